"""Load a company's sample data, checked, with the columns every lesson needs.

``load_company("brightline")`` reads every table through :func:`alignkit.casedata.schema.load_table`
and adds to the leads the inquiry month and quarter and the programme phase, so lessons can
group by them without repeating the date arithmetic.

The tables are read once and kept private; every call hands out its own copy (about a
millisecond, see :meth:`CompanyData.copy`), so a learner who writes into ``brightline.leads``
changes nothing the lessons' checkers compute their expected answers from.
:func:`alignkit.casedata.caching.cached` does the same for the values a lesson computes once and keeps.
"""

from __future__ import annotations

import dataclasses
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..metrics.funnel import programme_phase
from .companies import COMPANIES, CompanyProfile
from .schema import load_table


@dataclass(frozen=True)
class CompanyData:
    """Every table of one company, checked (see :func:`load_company`)."""

    profile: CompanyProfile
    campaigns: pd.DataFrame
    leads: pd.DataFrame
    touches: pd.DataFrame
    opportunities: pd.DataFrame
    customers: pd.DataFrame
    people: pd.DataFrame
    okrs: pd.DataFrame
    feedback: pd.DataFrame

    @property
    def data_end(self) -> pd.Timestamp:
        """The first moment after the data: nothing later has happened yet."""
        return (pd.Period(self.profile.first_month, "M") + self.profile.months).start_time

    def copy(self) -> CompanyData:
        """A copy that shares nothing mutable with this one. The tables are pandas' lazy copies: with
        copy-on-write (always on from pandas 3) a write to either side copies the data it touches first,
        so a copy costs well under a millisecond instead of the leads' 4 ms deep copy."""
        return dataclasses.replace(
            self,
            profile=deepcopy(self.profile),
            **{f.name: getattr(self, f.name).copy(deep=False) for f in dataclasses.fields(self) if f.name != "profile"},
        )


def with_periods(leads: pd.DataFrame, profile: CompanyProfile) -> pd.DataFrame:
    """Add ``month``, ``quarter`` (of the inquiry) and ``phase`` (of the programme) to a lead table."""
    out = leads.copy()
    out["month"] = out["inquiry_at"].dt.to_period("M").astype(str)
    out["quarter"] = out["inquiry_at"].dt.to_period("Q").astype(str)
    out["phase"] = programme_phase(out["inquiry_at"], profile.programme_start, profile.dip_months)
    return out


def load_company(slug: str = "brightline", data_dir: Path | None = None) -> CompanyData:
    """Every table of one company, validated: a fresh copy each call, so a lesson can call it in every cell
    and change what it gets without changing anyone else's."""
    return _load_private(slug, data_dir).copy()


@lru_cache(maxsize=4)
def _load_private(slug: str, data_dir: Path | None) -> CompanyData:
    """The tables as read, kept for :func:`load_company` to copy; never handed out."""
    if slug not in COMPANIES:
        raise DataError(f"unknown company '{slug}'; the companies are {', '.join(COMPANIES)}.")
    profile = COMPANIES[slug]
    tables = {
        name: load_table(name, slug, data_dir)
        for name in ("campaigns", "leads", "touches", "opportunities", "customers", "people", "okrs", "feedback")
    }
    tables["leads"] = with_periods(tables["leads"], profile)
    return CompanyData(profile=profile, **tables)
