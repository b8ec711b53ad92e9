"""The final assessment on the site: answered right, partly wrong and empty; the score per concept; the
printed record's code checked on the verification page, matching and tampered; and the page's script
agreeing with alignkit.ui.assessment on scores and codes (src/alignkit/build/site_static/alignkit-assessment.js)."""

from __future__ import annotations

import random
import re

import pytest
from pypdf import PdfReader

from alignkit.ui import assessment as A

from .conftest import SITE

PAGE = "book/assessment.html"
VERIFY = "book/assessment-verify.html"
pytestmark = pytest.mark.skipif(not (SITE / PAGE).exists(), reason="the site has no assessment page (make book)")


def _answer(page, answers):
    for q, a in zip(A.questions(), answers, strict=True):
        if a is not None:
            page.locator(f"#{q.id}-{a}").check()


def _score(v, answers, name="", date=""):
    p = v.page
    _answer(p, answers)
    if name:
        p.fill("#alignkit-name", name)
    p.fill("#alignkit-date", date)
    p.click("button.alignkit-score")
    p.wait_for_selector("#alignkit-result:not([hidden]) .alignkit-result-summary")
    if name and date:
        p.wait_for_selector(".alignkit-record-code")
    return p.locator("#alignkit-result")


def _concept_cells(result):
    rows = {}
    for row in result.locator(".alignkit-concept-table tbody tr").all():
        rows[row.get_attribute("data-concept")] = (
            row.locator(".alignkit-concept-score").inner_text(),
            row.locator(".alignkit-concept-revisit").inner_text(),
        )
    return rows


def test_all_right_passes_with_every_concept_full(visit):
    v = visit(PAGE)
    answers = [q.answer for q in A.questions()]
    result = _score(v, answers, "Priya Lim", "2026-06-30")
    n = len(answers)
    assert result.get_attribute("data-passed") == "true"
    assert result.locator(".alignkit-result-summary").inner_text().startswith(f"{n} of {n} right")
    expected = A.score(answers)["concepts"]
    cells = _concept_cells(result)
    assert set(cells) == set(expected)
    for c, (score, revisit) in cells.items():
        assert score == f"{expected[c]['asked']} of {expected[c]['asked']}" and revisit == "—"
    # every question shows its feedback, marked right
    assert v.page.locator("fieldset.alignkit-right").count() == n
    assert v.page.locator(".alignkit-record-code").inner_text() == A.record_code("Priya Lim", "2026-06-30", answers)
    assert v.errors == [] and v.outside == []


def test_partly_wrong_shows_the_missed_concepts_and_the_lessons(visit):
    v = visit(PAGE)
    qs = A.questions()
    answers = [q.answer for q in qs]
    for i, q in enumerate(qs):  # miss the questions on C12 and C16, and leave the last one blank
        if {"C12", "C16"} & set(q.concepts):
            answers[i] = (q.answer + 1) % len(q.options)
    answers[-1] = None
    result = _score(v, answers)
    expected = A.score(answers)
    assert (
        result.locator(".alignkit-result-summary")
        .inner_text()
        .startswith(f"{expected['right']} of {expected['total']} right")
    )
    assert result.get_attribute("data-passed") == str(expected["passed"]).lower()
    cells = _concept_cells(result)
    for c, v_ in expected["concepts"].items():
        assert cells[c][0] == f"{v_['right']} of {v_['asked']}"
        if v_["revisit"]:
            for lesson in v_["revisit"]:
                assert f"{lesson}. " in cells[c][1], (c, cells[c])
    assert cells["C12"][1].startswith("8. Remote and hybrid")
    # the revisit link leads to the lesson
    href = result.locator("tr[data-concept='C16'] a").first.get_attribute("href")
    assert href.endswith("notebooks/09-leading-change.html")
    assert v.page.locator("fieldset.alignkit-wrong").count() == sum(
        a is not None and a != q.answer for q, a in zip(qs, answers, strict=True)
    )
    assert v.page.locator("fieldset.alignkit-blank").count() == 1
    assert "Not answered" in v.page.locator(f"[data-question='{qs[-1].id}'] .alignkit-qfeedback").inner_text()
    # no name: no record, and the page says how to get one
    assert result.locator(".alignkit-record-missing").count() == 1


def test_empty_fails_and_every_concept_sends_back_to_a_lesson(visit):
    v = visit(PAGE)
    result = _score(v, [None] * len(A.questions()))
    assert result.get_attribute("data-passed") == "false"
    assert result.locator(".alignkit-result-summary").inner_text().startswith(f"0 of {len(A.questions())} right")
    cells = _concept_cells(result)
    assert len(cells) == 17 and all(score.startswith("0 of") and revisit != "—" for score, revisit in cells.values())


def test_script_and_python_agree_on_scores_and_codes(visit):
    v = visit(PAGE)
    rng = random.Random(20260630)
    qs = A.questions()
    names = ["Priya Lim", "  zofia   JANSEN ", "Łucja Żak-Müller", "Ines Kowalski"]
    for trial in range(25):
        answers = [None if rng.random() < 0.15 else rng.randrange(len(q.options)) for q in qs]
        name, date = names[trial % len(names)], f"2026-0{1 + trial % 9}-{10 + trial % 18}"
        js = v.page.evaluate(
            "([a, n, d]) => Promise.all([alignkitAssessment.score(a), alignkitAssessment.code(n, d, a)])",
            [answers, name, date],
        )
        py = A.score(answers)
        assert js[0]["right"] == py["right"] and js[0]["passed"] == py["passed"]
        assert js[0]["concepts"] == py["concepts"] and js[0]["wrong"] == py["wrong"]
        assert js[1] == A.record_code(name, date, answers), (answers, name, date)
        assert v.page.evaluate("c => alignkitAssessment.decode(c).answers", js[1]) == answers


def _verify(v, code, name, date):
    p = v.page
    p.fill("#alignkit-verify-code", code)
    p.fill("#alignkit-verify-name", name)
    p.fill("#alignkit-verify-date", date)
    p.click("#alignkit-verify button[type=submit]")
    p.wait_for_selector("#alignkit-verify-result:not([hidden]) .alignkit-verdict")
    out = p.locator("#alignkit-verify-result")
    return out.get_attribute("data-verdict"), out.inner_text()


def test_a_printed_record_is_one_page_and_its_code_checks_both_ways(visit, tmp_path):
    v = visit(PAGE)
    qs = A.questions()
    answers = [q.answer for q in qs]
    answers[0] = (answers[0] + 1) % len(qs[0].options)  # one wrong: still passes
    _score(v, answers, "Priya Lim", "2026-06-30")
    assert v.page.evaluate("alignkitAssessment.preparePrint()")
    v.page.emulate_media(media="print")
    pdf = tmp_path / "record.pdf"
    v.page.pdf(path=str(pdf), format="A4", margin={"top": "14mm", "bottom": "14mm", "left": "14mm", "right": "14mm"})
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1, f"the record prints on {len(reader.pages)} pages"
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Priya Lim" in text and "2026-06-30" in text and "course version" in text
    assert "Question 1" not in text, "the questions printed with the record"
    found = re.search(r"Code: (AK1-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})", text)
    assert found, text[:400]
    code = found.group(1)
    assert code == A.record_code("Priya Lim", "2026-06-30", answers)

    check = visit(VERIFY)
    verdict, said = _verify(check, code, "priya lim", "2026-06-30")
    assert verdict == "pass" and f"{len(qs) - 1} of {len(qs)} right" in said
    assert "consistency, not identity" in said
    # tampered: another name, another date, one character of the code changed
    assert _verify(check, code, "Priya Lin", "2026-06-30")[0] == "no match"
    assert _verify(check, code, "Priya Lim", "2026-07-01")[0] == "no match"
    i = 10
    tampered = code[:i] + ("0" if code[i] != "0" else "1") + code[i + 1 :]
    assert _verify(check, tampered, "Priya Lim", "2026-06-30")[0] in ("no match", "malformed")
    verdict, said = _verify(check, "AK1-1234", "Priya Lim", "2026-06-30")
    assert verdict == "malformed" and "20 letters" in said
    # a genuine record that does not pass: matches, but says it does not pass
    empty = A.record_code("Kai Ito", "2026-05-01", [None] * len(qs))
    assert _verify(check, empty, "Kai Ito", "2026-05-01")[0] == "match, not passed"
    assert check.errors == [] and check.outside == []


def test_assessment_at_phone_width(browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(f"{server}/{PAGE}", wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"the assessment page scrolls sideways at phone width ({width}px)"
    finally:
        context.close()


def test_the_notebooks_record_prints_on_one_page_and_verifies(browser, tmp_path):
    """JupyterLab's record (alignkit.ui.assessment.record_html), opened and printed as a learner would."""
    answers = [q.answer for q in A.questions()]
    answers[3] = None
    path = tmp_path / "completion-record.html"
    path.write_text(A.record_html("Zofia Jansen", "2026-05-04", answers), encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        page.pdf(path=str(tmp_path / "record.pdf"), format="Letter")
    finally:
        page.close()
    reader = PdfReader(tmp_path / "record.pdf")
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    code = re.search(r"AK1-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text).group()
    verdict = A.verify(code, "Zofia Jansen", "2026-05-04")
    assert verdict["matches"] and verdict["passed"] and verdict["right"] == len(answers) - 1
    assert "Zofia Jansen" in text and "0.1.0" in text
