"""Tools a team runs on its own data: the CRM export reader, the scorecard and the playbook.

* ``crm``: reading a CRM export (CSV or Excel; HubSpot and Salesforce presets, mapping files)
* ``scorecard``: the course's metrics computed from a team's export (``alignkit scorecard``)
* ``scorecard_html``: the scorecard as one offline HTML page, and its channel table as safe CSV
* ``playbook``: the team's playbook from its answers (``alignkit playbook``)
* ``templates``: the Jinja2 templates (autoescaping) of the scorecard's and the playbook's HTML pages
"""
