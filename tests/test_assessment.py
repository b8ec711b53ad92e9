"""The final assessment (src/alignkit/ui/assessment.py): questions, coverage, scoring, the record's code,
the decision tasks' answers recomputed from Northfield's CSVs with plain pandas, and `alignkit verify`."""

from __future__ import annotations

import hashlib
import math
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from alignkit.ui import assessment as A
from alignkit.ui.course import CONCEPTS, MODULES

DATA = Path(__file__).resolve().parents[1] / "data" / "northfield"


def right_answers():
    return [q.answer for q in A.questions()]


def test_about_twenty_scenarios_and_two_decision_tasks():
    kinds = [q.kind for q in A.questions()]
    assert 18 <= kinds.count("scenario") <= 24
    assert kinds.count("decision") == 2
    assert len({q.id for q in A.questions()}) == len(A.questions())


@pytest.mark.parametrize("q", A.questions(), ids=lambda q: q.id)
def test_each_question_has_one_right_answer_and_feedback_on_every_option(q):
    assert 3 <= len(q.options) <= 4
    assert 0 <= q.answer < len(q.options)
    texts = [o.text for o in q.options]
    assert len(set(texts)) == len(texts), "two options read the same"
    for i, o in enumerate(q.options):
        assert len(o.feedback) > 30, f"option {i} of {q.id} has no real feedback"
        # the right option's feedback says so, and no other does
        assert o.feedback.startswith("Right.") == (i == q.answer), (q.id, i)
    assert set(q.concepts) <= set(CONCEPTS)
    assert q.lesson in {m.number for m in MODULES}


def test_every_concept_is_assessed_at_least_once():
    assessed = {c for q in A.questions() for c in q.concepts}
    assert assessed == set(CONCEPTS), f"not assessed: {sorted(set(CONCEPTS) - assessed)}"


def test_questions_come_from_every_lesson_with_content():
    lessons = {q.lesson for q in A.questions()}
    assert lessons >= set(range(1, 12))


def test_right_answers_are_not_always_in_one_place():
    positions = [q.answer for q in A.questions()]
    for p in range(4):
        assert positions.count(p) >= 3, f"option {p} is right in only {positions.count(p)} questions"


def test_all_right_passes_with_every_concept_full():
    r = A.score(right_answers())
    assert r["right"] == r["total"] == len(A.questions()) and r["passed"] and r["wrong"] == []
    assert all(v["right"] == v["asked"] and v["revisit"] == [] for v in r["concepts"].values())


def test_blank_fails_and_sends_to_every_teaching_lesson():
    r = A.score([None] * len(A.questions()))
    assert r["right"] == 0 and not r["passed"]
    for c, v in r["concepts"].items():
        assert v["right"] == 0 and v["revisit"], c
    # C6 (MQL and SQL) is taught in lesson 4 only, C12 in lesson 8 only
    assert r["concepts"]["C6"]["revisit"] == [4]
    assert r["concepts"]["C12"]["revisit"] == [8]


def test_pass_mark_and_partly_wrong():
    qs = A.questions()
    assert A.pass_mark() == math.ceil(0.75 * len(qs))
    answers = right_answers()
    # miss exactly the questions on C12 (two of them)
    c12 = [i for i, q in enumerate(qs) if "C12" in q.concepts]
    for i in c12:
        answers[i] = (qs[i].answer + 1) % len(qs[i].options)
    r = A.score(answers)
    assert r["right"] == len(qs) - len(c12)
    assert r["concepts"]["C12"] == {"asked": len(c12), "right": 0, "revisit": [8]}
    assert r["passed"] == (len(qs) - len(c12) >= A.pass_mark())
    # one short of the pass mark fails; at the pass mark passes
    answers = [None] * len(qs)
    for i in range(A.pass_mark()):
        answers[i] = qs[i].answer
    assert A.score(answers)["passed"]
    answers[0] = None
    assert not A.score(answers)["passed"]


def test_bad_answers_are_clear_errors():
    with pytest.raises(ValueError, match="expected"):
        A.score([0])
    bad = right_answers()
    bad[0] = 7
    with pytest.raises(ValueError, match=A.questions()[0].id):
        A.score(bad)


# --- decision tasks, recomputed with plain pandas from the CSVs -------------------------------


def test_channel_task_answer_is_the_channel_with_the_highest_media_spend_per_new_customer():
    campaigns = pd.read_csv(DATA / "campaigns.csv")
    leads = pd.read_csv(DATA / "leads.csv")
    opps = pd.read_csv(DATA / "opportunities.csv")
    customers = pd.read_csv(DATA / "customers.csv")
    spend = campaigns.groupby("channel")["spend_usd"].sum()
    channel_of = opps.merge(leads[["lead_id", "channel"]], on="lead_id").set_index("opportunity_id")["channel"]
    won = customers["opportunity_id"].map(channel_of).value_counts()
    per_customer = spend / won
    q = next(q for q in A.questions() if q.id == "northfield-channel")
    assert q.options[q.answer].text.lower() == per_customer.idxmax()
    # the table shows the same figures
    shown = {row[0].lower(): row for row in q.table[1:]}
    for ch, value in per_customer.items():
        assert shown[ch][1] == f"${value:,.0f}"
        assert shown[ch][3] == f"{won[ch]:,}"
        assert shown[ch][4] == f"{(leads['channel'] == ch).sum():,}"


def test_sla_task_answer_is_the_goal_worked_back_to_mqls():
    leads = pd.read_csv(DATA / "leads.csv")
    opps = pd.read_csv(DATA / "opportunities.csv")
    won = opps[opps["outcome"] == "won"]
    closed = opps[opps["outcome"].isin(["won", "lost"])]
    deal = won["amount_usd"].mean()
    l2o = leads["opportunity_at"].notna().sum() / leads["mql_at"].notna().sum()
    o2w = len(won) / len(closed)
    month = pd.to_datetime(won["closed_at"]).dt.to_period("M")
    last = pd.Period("2026-06", "M")
    goal = math.ceil(won.loc[month > last - 3, "amount_usd"].sum() / 3 * 1.2 / 5000) * 5000
    mqls = math.ceil(goal / deal / o2w / l2o)
    q = next(q for q in A.questions() if q.id == "northfield-sla")
    assert q.options[q.answer].text == f"{mqls:,} MQLs a month"
    assert f"${goal:,.0f}" in q.prompt
    assert len({o.text for o in q.options}) == 4


# --- the record's code ----------------------------------------------------------------------------


def test_code_round_trip_and_format():
    answers = right_answers()
    code = A.record_code("Priya Lim", "2026-06-30", answers)
    assert code.startswith("AK1-") and [len(g) for g in code.split("-")[1:]] == [5, 5, 5, 5]
    assert A.decode_code(code) == answers
    v = A.verify(code, "  priya   LIM ", "2026-06-30")
    assert v["matches"] and v["passed"] and v["right"] == len(answers)


def test_checksum_is_the_sha256_of_the_canonical_string():
    answers = [None] * len(A.questions())
    answers[0] = 1
    code = A.record_code("Ana", "2026-01-02", answers)
    canon = "alignkit-assessment|AK1|ana|2026-01-02|2" + "0" * (len(answers) - 1)
    check = int(hashlib.sha256(canon.encode()).hexdigest(), 16) >> (256 - 44)
    value = 0
    for c in code[4:].replace("-", ""):
        value = value * 32 + "0123456789ABCDEFGHJKMNPQRSTVWXYZ".index(c)
    assert value & ((1 << 44) - 1) == check
    assert value >> 44 == 2  # the first question's digit is the lowest


def test_every_answer_set_fits_in_the_code():
    assert 5 ** len(A.questions()) <= 2**A.ANSWER_BITS


def test_tampered_code_name_or_date_does_not_match():
    answers = right_answers()
    code = A.record_code("Priya Lim", "2026-06-30", answers)
    assert not A.verify(code, "Priya Lin", "2026-06-30")["matches"]
    assert not A.verify(code, "Priya Lim", "2026-06-29")["matches"]
    # change one answer inside the code, keep the checksum: no match (or an impossible answer)
    rng = random.Random(5)
    for _ in range(30):
        chars = list(code)
        i = rng.choice([i for i, c in enumerate(chars) if c != "-" and i > 3])
        chars[i] = rng.choice([c for c in A.ALPHABET if c != chars[i]])
        try:
            assert not A.verify("".join(chars), "Priya Lim", "2026-06-30")["matches"]
        except ValueError:
            pass


def test_a_failing_set_matches_but_does_not_pass():
    code = A.record_code("Kai Ito", "2026-05-01", [None] * len(A.questions()))
    v = A.verify(code, "Kai Ito", "2026-05-01")
    assert v["matches"] and not v["passed"] and v["right"] == 0


@pytest.mark.parametrize(
    "code,message",
    [("XYZ", "starts with AK1"), ("AK1-12345", "20 letters"), ("AK2-00000-00000-00000-00000", "version AK2")],
)
def test_malformed_codes_say_why(code, message):
    with pytest.raises(ValueError, match=message):
        A.decode_code(code)


@pytest.mark.parametrize("date", ["30/06/2026", "2026-02-30", ""])
def test_bad_dates_say_why(date):
    with pytest.raises(ValueError, match="date"):
        A.record_code("Ana", date, right_answers())


def test_record_html_has_name_code_and_every_concept():
    page = A.record_html("Priya Lim", "2026-06-30", right_answers())
    assert "Priya Lim" in page and A.record_code("Priya Lim", "2026-06-30", right_answers()) in page
    assert all(f"<td>{c}</td>" in page for c in CONCEPTS)
    assert "consistency, not identity" in page


def test_form_has_every_question_and_its_options():
    page = A.form_html()
    for q in A.questions():
        assert f'data-question="{q.id}"' in page
        assert page.count(f'name="{q.id}"') == len(q.options)


# --- the command line -----------------------------------------------------------------------------


def _verify(*args):
    return subprocess.run(
        [sys.executable, "-m", "alignkit.cli", "verify", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_verify_matching_tampered_and_malformed():
    code = A.record_code("Priya Lim", "2026-06-30", right_answers())
    ok = _verify(code, "--name", "Priya Lim", "--date", "2026-06-30")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "matches" in ok.stdout and "passes" in ok.stdout and "consistency, not identity" in ok.stdout
    bad = _verify(code, "--name", "Priya Lin", "--date", "2026-06-30")
    assert bad.returncode == 1 and "does not match" in bad.stdout
    junk = _verify("AK1-123", "--name", "Priya Lim", "--date", "2026-06-30")
    assert junk.returncode == 2 and "20 letters" in junk.stderr and "Traceback" not in junk.stderr


# --- the JupyterLab form ----------------------------------------------------------------------------


def test_notebook_form_scores_and_writes_the_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    form = A.notebook_form()
    assert len(form.radios) == len(A.questions())
    answers = right_answers()
    answers[0] = (answers[0] + 1) % len(A.questions()[0].options)
    for radio, a in zip(form.radios, answers, strict=True):
        radio.value = a
    form.name.value, form.date.value = "Priya Lim", "2026-06-30"
    form.button.click()
    expected = A.score(answers)
    assert f"{expected['right']} of {expected['total']} right" in form.result.value
    code = A.record_code("Priya Lim", "2026-06-30", answers)
    assert code in form.result.value
    record = (tmp_path / "completion-record.html").read_text()
    assert code in record and "Priya Lim" in record
    # a blank form scores zero and says which lessons to revisit, without a record when no name is given
    form2 = A.notebook_form()
    form2.button.click()
    assert f"0 of {len(A.questions())} right" in form2.result.value and "Not passed yet" in form2.result.value


def test_notebook_form_bad_date_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    form = A.notebook_form()
    form.name.value, form.date.value = "Priya Lim", "30 June"
    form.button.click()
    assert "No record" in form.result.value and "YYYY-MM-DD" in form.result.value
    assert not (tmp_path / "completion-record.html").exists()


def test_the_right_option_is_not_given_away_by_its_length():
    """Test-wise learners pick the longest option; it is the right one in at most a third of questions."""
    longest_right = sum(
        max(range(len(q.options)), key=lambda i: len(q.options[i].text)) == q.answer for q in A.questions()
    )
    assert longest_right <= len(A.questions()) / 3
