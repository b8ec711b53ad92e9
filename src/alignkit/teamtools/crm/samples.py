"""Sample CRM exports in the HubSpot and Salesforce preset layouts, written from the Brightline data.

``write_samples(folder)`` writes, for the leads that arrived from August to December 2025
(a few thousand, straddling the alignment programme's start on 1 October 2025):

* ``hubspot/contacts.csv``, ``hubspot/deals.csv`` — HubSpot layout, ISO dates, comma separated;
* ``salesforce/leads.csv`` (UTF-8 with BOM, Windows line endings, MM/DD/YYYY dates) and
  ``salesforce/opportunities.xlsx``, plus ``salesforce/mapping.toml`` (extends the preset, says
  ``date_order = "MDY"``);
* ``pipedrive/deals.csv`` — a Pipedrive deals export (deals only: title, value, stage, status
  open/won/lost, created, won and lost times, source channel, owner);
* ``spend.csv`` and ``revenue.csv`` in the simple layout of the base preset.

The output is deterministic: the same data always gives the same files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ...metrics.funnel import STAGES

FIRST_DAY, END_DAY = "2025-08-01", "2026-01-01"
HUBSPOT_LIFECYCLE = {
    "inquiry": "Lead",
    "mql": "Marketing Qualified Lead",
    "sal": "Sales Accepted Lead",
    "sql": "Sales Qualified Lead",
    "opportunity": "Opportunity",
    "won": "Customer",
}
SALESFORCE_STATUS = {
    "inquiry": "Nurturing",
    "mql": "Open - Not Contacted",
    "sal": "Working - Contacted",
    "sql": "Closed - Converted",
    "opportunity": "Closed - Converted",
    "won": "Closed - Converted",
}
HUBSPOT_DEAL_STAGE = {"won": "Closed Won", "lost": "Closed Lost", "open": "Contract Sent"}
SALESFORCE_DEAL_STAGE = {"won": "Closed Won", "lost": "Closed Lost", "open": "Negotiation/Review"}
# Pipedrive keeps a closed deal at the pipeline stage it closed in; its Status says won or lost.
PIPEDRIVE_DEAL_STAGE = {"won": "Negotiations Started", "lost": "Proposal Made", "open": "Demo Scheduled"}


def hubspot_contact_id(lead_id: pd.Series) -> pd.Series:
    """HubSpot-style contact record IDs made from the course's lead ids (a fixed offset plus the number)."""
    return (5_100_000 + lead_id.str[1:].astype(int)).astype(str)


def hubspot_deal_id(opportunity_id: pd.Series) -> pd.Series:
    """HubSpot-style deal record IDs made from the course's opportunity ids (a fixed offset plus the number)."""
    return (9_200_000 + opportunity_id.str[1:].astype(int)).astype(str)


def salesforce_id(prefix: str, raw: pd.Series) -> pd.Series:
    """Salesforce-style IDs: ``prefix`` then the course id's number in 12 digits."""
    return prefix + raw.str[1:].astype(int).map(lambda n: f"{n:012d}")


def _when(series: pd.Series, fmt: str) -> pd.Series:
    return series.dt.strftime(fmt).fillna("")


def sample_tables(company: str = "brightline") -> dict[str, pd.DataFrame]:
    """The course tables cut to the sample's leads, with ``furthest`` stage and title-case channels."""
    from ...casedata.dataset import load_company

    data = load_company(company)
    leads = data.leads[(data.leads["inquiry_at"] >= FIRST_DAY) & (data.leads["inquiry_at"] < END_DAY)].copy()
    reached = pd.DataFrame({s: leads[f"{s}_at"].notna() for s in STAGES})
    leads["furthest"] = [STAGES[i] for i in reached.to_numpy().cumprod(axis=1).sum(axis=1) - 1]
    leads["source"] = leads["channel"].str.title()
    leads = leads.merge(data.campaigns[["campaign_id", "name"]], on="campaign_id", how="left")
    first_touch = data.touches.groupby("lead_id")["first_touch_at"].min()
    leads["first_touch_at"] = leads["lead_id"].map(first_touch)
    deals = data.opportunities[data.opportunities["lead_id"].isin(leads["lead_id"])].copy()
    customers = data.customers[data.customers["opportunity_id"].isin(deals["opportunity_id"])].copy()
    months = pd.period_range(FIRST_DAY, pd.Timestamp(END_DAY) - pd.Timedelta(days=1), freq="M")
    campaigns = data.campaigns[data.campaigns["month"].dt.to_period("M").isin(months)]
    spend = (
        campaigns.assign(Channel=campaigns["channel"].str.title(), Month=campaigns["month"].dt.strftime("%Y-%m"))
        .groupby(["Channel", "Month"], as_index=False)["spend_usd"]
        .sum()
        .rename(columns={"spend_usd": "Amount"})
    )
    spend["Amount"] = spend["Amount"].round(2)
    return {"leads": leads, "deals": deals, "customers": customers, "spend": spend}


def write_samples(folder: str | Path, company: str = "brightline") -> dict[str, Path]:
    """Write the sample exports under ``folder``; returns the path of each file written."""
    folder = Path(folder)
    (folder / "hubspot").mkdir(parents=True, exist_ok=True)
    (folder / "salesforce").mkdir(parents=True, exist_ok=True)
    t = sample_tables(company)
    leads, deals, customers = t["leads"], t["deals"], t["customers"]
    iso = "%Y-%m-%d %H:%M"
    out: dict[str, Path] = {}

    contacts = pd.DataFrame(
        {
            "Record ID": hubspot_contact_id(leads["lead_id"]),
            "Create Date": _when(leads["inquiry_at"], iso),
            "Lifecycle Stage": leads["furthest"].map(HUBSPOT_LIFECYCLE),
            "Original Source": leads["source"],
            "Original Source Drill-Down 1": leads["name"].fillna(""),
            "Became a Marketing Qualified Lead Date": _when(leads["mql_at"], iso),
            "Became a Sales Qualified Lead Date": _when(leads["sql_at"], iso),
            "Became an Opportunity Date": _when(leads["opportunity_at"], iso),
            "Became a Customer Date": _when(leads["won_at"], iso),
            "Date of first engagement": _when(leads["first_touch_at"], iso),
        }
    )
    out["hubspot_contacts"] = folder / "hubspot" / "contacts.csv"
    contacts.to_csv(out["hubspot_contacts"], index=False)
    hub_deals = pd.DataFrame(
        {
            "Record ID": hubspot_deal_id(deals["opportunity_id"]),
            "Deal Name": "Brightline – " + deals["opportunity_id"],
            "Deal Stage": deals["outcome"].map(HUBSPOT_DEAL_STAGE),
            "Amount": deals["amount_usd"].map(lambda a: f"{a:.2f}"),
            "Create Date": _when(deals["created_at"], iso),
            "Close Date": _when(deals["closed_at"], iso),
            "Associated Contact IDs": hubspot_contact_id(deals["lead_id"]),
        }
    )
    out["hubspot_deals"] = folder / "hubspot" / "deals.csv"
    hub_deals.to_csv(out["hubspot_deals"], index=False)

    sf_leads = pd.DataFrame(
        {
            "Lead ID": salesforce_id("00Q", leads["lead_id"]),
            "Created Date": _when(leads["inquiry_at"], "%m/%d/%Y %H:%M"),
            "Lead Status": leads["furthest"].map(SALESFORCE_STATUS),
            "Lead Source": leads["source"],
            "Converted Date": _when(leads["sql_at"], "%m/%d/%Y"),
            "Converted Opportunity ID": leads["lead_id"]
            .map(dict(zip(deals["lead_id"], salesforce_id("006", deals["opportunity_id"]), strict=True)))
            .fillna(""),
            "First Contact Date": _when(leads["first_touch_at"], "%m/%d/%Y %H:%M"),
        }
    )
    out["salesforce_leads"] = folder / "salesforce" / "leads.csv"
    sf_leads.to_csv(out["salesforce_leads"], index=False, encoding="utf-8-sig", lineterminator="\r\n")
    sf_opps = pd.DataFrame(
        {
            "Opportunity ID": salesforce_id("006", deals["opportunity_id"]),
            "Opportunity Name": "Brightline – " + deals["opportunity_id"],
            "Stage": deals["outcome"].map(SALESFORCE_DEAL_STAGE),
            "Amount": deals["amount_usd"],
            "Created Date": deals["created_at"].dt.floor("D"),
            "Close Date": deals["closed_at"]
            .dt.floor("D")
            .fillna(deals["created_at"].dt.floor("D") + pd.Timedelta(days=30)),
            "Won": deals["outcome"] == "won",
        }
    )
    out["salesforce_opportunities"] = folder / "salesforce" / "opportunities.xlsx"
    with pd.ExcelWriter(out["salesforce_opportunities"], engine="openpyxl") as writer:
        sf_opps.to_excel(writer, sheet_name="Opportunities", index=False)
    _fix_xlsx_timestamps(out["salesforce_opportunities"])
    out["salesforce_mapping"] = folder / "salesforce" / "mapping.toml"
    out["salesforce_mapping"].write_text(
        "# The Salesforce sample: its dates are month first (US locale).\n"
        'extends = "salesforce"\ndate_order = "MDY"\n\n[deals]\nsheet = "Opportunities"\n',
        encoding="utf-8",
    )

    (folder / "pipedrive").mkdir(parents=True, exist_ok=True)
    secs = "%Y-%m-%d %H:%M:%S"
    channel = deals["lead_id"].map(dict(zip(leads["lead_id"], leads["source"], strict=True)))
    pd_deals = pd.DataFrame(
        {
            "Deal - ID": (3_000 + deals["opportunity_id"].str[1:].astype(int)).astype(str),
            "Deal - Title": "Brightline – " + deals["opportunity_id"],
            "Deal - Value": deals["amount_usd"].map(lambda a: f"{a:.2f}"),
            "Deal - Currency": "USD",
            "Deal - Stage": deals["outcome"].map(PIPEDRIVE_DEAL_STAGE),
            "Deal - Status": deals["outcome"],
            "Deal - Deal created": _when(deals["created_at"], secs),
            "Deal - Won time": _when(deals["closed_at"].where(deals["outcome"] == "won"), secs),
            "Deal - Lost time": _when(deals["closed_at"].where(deals["outcome"] == "lost"), secs),
            "Deal - Source channel": channel.fillna(""),
            "Deal - Owner": "Brightline sales",
        }
    )
    out["pipedrive_deals"] = folder / "pipedrive" / "deals.csv"
    pd_deals.to_csv(out["pipedrive_deals"], index=False)

    out["spend"] = folder / "spend.csv"
    t["spend"].to_csv(out["spend"], index=False)
    revenue = pd.DataFrame(
        {
            "Deal ID": hubspot_deal_id(customers["opportunity_id"]),
            "Start Date": _when(customers["start_date"], "%Y-%m-%d"),
            "MRR": customers["mrr_usd"].map(lambda a: f"{a:.2f}"),
            "Churn Date": _when(customers["churned_on"], "%Y-%m-%d"),
            "Gross Margin": customers["gross_margin"].map(lambda a: f"{a:.3f}"),
        }
    )
    out["revenue"] = folder / "revenue.csv"
    revenue.to_csv(out["revenue"], index=False)
    return out


def _fix_xlsx_timestamps(path: Path) -> None:
    """Give every workbook the same creation time so the file is byte-for-byte reproducible."""
    import datetime as dt
    import zipfile

    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    fixed = []
    for info, body in items:
        if info.filename == "docProps/core.xml":
            import re

            body = re.sub(
                rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                rb"<dcterms:\1\2>2026-07-01T00:00:00Z</dcterms:\1>",
                body,
            )
        fixed.append((info.filename, body))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in fixed:
            zi = zipfile.ZipInfo(name, date_time=dt.datetime(2026, 7, 1).timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)


def main(argv: list[str] | None = None) -> int:
    """Write the sample exports into the folder named on the command line and print their paths; 0."""
    parser = argparse.ArgumentParser(
        prog="python -m alignkit.teamtools.crm.samples",
        description="Write sample HubSpot and Salesforce exports of Brightline.",
    )
    parser.add_argument("folder", help="folder to write into (created if missing)")
    args = parser.parse_args(argv)
    for path in write_samples(args.folder).values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
