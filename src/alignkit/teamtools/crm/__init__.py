"""Your own data: read a team's CRM export (HubSpot, Salesforce or any CSV/Excel layout) into the
course's lead and deal tables, so the scorecard (:mod:`alignkit.teamtools.scorecard`) can measure the funnel.

    from alignkit.teamtools.crm import load_export, load_mapping
    crm = load_export(load_mapping(preset="hubspot"), leads="contacts.csv", deals="deals.csv")

Everything runs locally: nothing is sent anywhere. See ``README.md`` in this folder.
"""

from .export import CrmExport, load_export
from .mapping import Mapping, load_mapping, presets
from .read import CrmError

__all__ = ["CrmError", "CrmExport", "Mapping", "load_export", "load_mapping", "presets"]
