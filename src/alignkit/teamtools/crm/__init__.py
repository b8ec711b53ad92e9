"""Your own data: read a team's CRM export (HubSpot, Salesforce or any CSV/Excel layout) into the
course's lead and deal tables, so the scorecard (:mod:`alignkit.teamtools.scorecard`) can measure the funnel.

    from alignkit.teamtools.crm import load_export, load_mapping
    crm = load_export(load_mapping(preset="hubspot"), leads="contacts.csv", deals="deals.csv")

Everything runs locally: nothing is sent anywhere. See ``README.md`` in this folder.

* ``read``: reading an export file (CSV or Excel) into strings, and its cells into dates, numbers, yes/no
* ``xlsx``: a small, fast and bounded reader for an ``.xlsx`` sheet
* ``mapping``: the mapping of an export's columns to the course's (presets in ``presets/``, or a file)
* ``export``: the export turned into the course's lead and deal tables (``load_export``)
* ``samples``: sample exports in the presets' layouts, written from Brightline's data
* ``bench``: the scorecard's speed and memory on large and hostile exports
"""

from .export import CrmExport, load_export
from .mapping import Mapping, load_mapping, presets
from .read import CrmError

__all__ = ["CrmError", "CrmExport", "Mapping", "load_export", "load_mapping", "presets"]
