"""Values the type checker showed can be missing get a clear message, not an AttributeError or TypeError."""

from __future__ import annotations

import copy

import pytest

from alignkit.lessons import m09_leading_change as m09
from alignkit.lessons import m11_your_playbook as m11


def test_a_company_without_a_programme_has_no_start_date():
    with pytest.raises(ValueError, match="northfield has no alignment programme"):
        m09.programme_start("northfield")


def test_the_sla_range_needs_the_mqls_a_month_now():
    card = copy.deepcopy(m11.sample_scorecard())
    assert len(m11.sla_range(card, m11.example_answers(), range(90_000, 90_001))) == 1
    for row in card["funnel"]:
        if row["stage"] == "mql":
            row["leads"] = None  # an export that records no MQL
    with pytest.raises(ValueError, match="no MQLs a month now"):
        m11.sla_range(card, m11.example_answers(), range(90_000, 90_001))
