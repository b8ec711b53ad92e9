"""nbval checks the notebooks' saved outputs against a fresh run, except where a cell tells it not to.

An ignored (``nbval-ignore-output``, ``# NBVAL_IGNORE_OUTPUT``) or skipped (``nbval-skip``,
``# NBVAL_SKIP``) cell is not checked at all, so a figure in its output could be changed to nonsense
and nbval would still pass. An ignore is kept only where the output truly varies between runs, it
says why beside it (``nbval_reason`` in the cell's metadata), and its output holds no figure: no
digit beyond a numbered list, an ordinal or a year. Sanitizer rules (tests/nbval_sanitize.cfg) blank
out what varies; a rule that matches no saved output is dead and goes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import find_comment_markers, find_metadata_tags, get_sanitize_patterns

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))  # what `make nbval` checks
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
# nbval never compares these (a widget's model id is random): an ignore does not hide them
NOT_COMPARED = {"application/vnd.jupyter.widget-view+json"}
# digits that are not a figure from the data
NOT_FIGURES = [
    re.compile(r"^\s*\d{1,2}[.)](?=\s)", re.M),  # a numbered list: "1. Which company…"
    re.compile(r"\b\d+(?:st|nd|rd|th)\b"),  # an ordinal: "the 3rd step"
    re.compile(r"(?<![\d.,])(?:19|20)\d\d(?:Q[1-4])?(?!\d|[.,]\d|\s?%)"),  # a year or a quarter: 2025, 2025Q4
]


def unchecked(cell) -> bool:
    """nbval does not compare this cell's output (it reads the same tags and markers as here)."""
    markers = dict(find_metadata_tags(cell.metadata)) | dict(find_comment_markers(cell.source))
    return markers.get("check") is False or markers.get("skip") is True


def compared_text(outputs) -> str:
    """What nbval would have compared in these outputs, as text."""
    parts = []
    for out in outputs:
        if "text" in out:
            parts.append(out["text"])
        for mime, value in out.get("data", {}).items():
            if mime not in NOT_COMPARED:
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def figures(text: str) -> list[str]:
    """The numbers in ``text`` once numbered lists, ordinals and years are taken out."""
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def problems(nb) -> list[str]:
    found = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not unchecked(cell):
            continue
        where = f"cell {n} ({cell.source.strip().splitlines()[0][:50] if cell.source.strip() else 'empty'})"
        if not str(cell.metadata.get("nbval_reason", "")).strip():
            found.append(f"{where}: not checked by nbval and no nbval_reason in its metadata says why")
        shown = figures(compared_text(cell.get("outputs", [])))
        if shown:
            found.append(f"{where}: not checked by nbval, yet its output holds figures {shown[:6]}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_unchecked_output_hides_a_figure(path):
    assert problems(nbformat.read(path, as_version=4)) == []


def _cell(source, outputs, tags=(), reason=None):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    if tags:
        cell.metadata["tags"] = list(tags)
    if reason:
        cell.metadata["nbval_reason"] = reason
    return cell


def test_the_rule_finds_figures_and_missing_reasons():
    table = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/plain": "Channel  Win rate\nwebinars     42 %", "text/html": "<td>42 %</td>"},
    }
    printed = {"output_type": "stream", "name": "stdout", "text": "MQL→SAL: 30% before, 82% after\n"}
    widget = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {
            "application/vnd.jupyter.widget-view+json": {"model_id": "5d5bcd2d270e44e4a64024e0d03c0636"},
            "text/plain": "1. Which company?\n2. In 2025Q4, the 3rd step",
        },
    }
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell("show(table)", [table], ["nbval-ignore-output"], "the ids vary"),  # a figure hidden
        _cell("# NBVAL_IGNORE_OUTPUT\nprint(rates)", [printed], reason="it varies"),  # the marker, too
        _cell("quiz()", [widget], ["nbval-ignore-output"]),  # no figure, but no reason
        _cell("quiz()", [widget], ["nbval-ignore-output"], "model ids"),  # fine: list numbers, a year, an ordinal
        _cell("show(table)", [table]),  # checked by nbval: fine
        _cell("# NBVAL_SKIP\nshow(table)", [table], reason="slow"),  # skipped is unchecked too
    ]
    found = problems(nb)
    assert [f.split(":")[0] for f in found] == [
        "cell 0 (show(table))",
        "cell 1 (# NBVAL_IGNORE_OUTPUT)",
        "cell 2 (quiz())",
        "cell 5 (# NBVAL_SKIP)",
    ]
    assert "'42'" in found[0] and "'30'" in found[1] and "'82'" in found[1] and "nbval_reason" in found[2]


def test_every_sanitizer_rule_matches_a_saved_output():
    """A rule that matches nothing only hides whatever it may match one day."""
    texts = [
        compared_text(c.get("outputs", []))
        for p in NOTEBOOKS
        for c in nbformat.read(p, as_version=4).cells
        if c.cell_type == "code"
    ]
    for regex, _ in get_sanitize_patterns(SANITIZE.read_text()):
        assert any(re.search(regex, t) for t in texts), f"dead rule in {SANITIZE.name}: {regex}"
