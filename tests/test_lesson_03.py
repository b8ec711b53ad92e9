"""Lesson 3's analyst extension 3.A, counted here with plain pandas on the raw CSV."""

import pandas as pd

from alignkit.casedata.schema import DATA_DIR
from alignkit.lessons import m03_one_journey as m03


def test_leads_lost_at_the_biggest_step():
    leads = pd.read_csv(DATA_DIR / "brightline" / "leads.csv")
    before = leads[leads.inquiry_at < "2025-10-01"]
    lost = {"inquiry→mql": before.mql_at.isna().sum(), "mql→sal": (before.mql_at.notna() & before.sal_at.isna()).sum()}
    assert lost["mql→sal"] > lost["inquiry→mql"]  # the step exercise 3.1 names
    assert m03.check_leads_lost(int(lost["mql→sal"])).ok
    assert not m03.check_leads_lost(int(lost["mql→sal"]) + 1).ok
    assert m03.check_leads_lost(None).status == "todo"
    # the decision exercise names the step but not the count the extension asks for
    question = m03.exercises()[0].question
    assert "mql→sal" in question and f"{lost['mql→sal']:,}" not in question
