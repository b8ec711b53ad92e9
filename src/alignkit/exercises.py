"""Checkers for the lessons' exercises: each says what is right and what is missing.

A checker never raises on a learner's answer. An empty answer, a wrong type or a value out of
range gets a friendly message; a right answer gets a short confirmation of why it is right.
The expected values are computed from the data with the package's functions, never typed in.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from numbers import Real


@dataclass
class Feedback:
    """The result of a check: ``status`` is 'ok', 'todo' (nothing answered yet) or 'wrong'."""

    status: str
    title: str
    points: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def __str__(self) -> str:
        mark = {"ok": "✓", "todo": "…", "wrong": "✗"}[self.status]
        return "\n".join([f"{mark} {self.title}", *[f"  - {p}" for p in self.points]])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.points)
        return (f'<div class="alignkit-feedback {self.status}" role="status"><strong>{html.escape(self.title)}'
                f"</strong>{f'<ul>{items}</ul>' if items else ''}</div>")


def _is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and not math.isnan(float(x))


def check_number(answer, expected: float, *, what: str, tolerance: float = 0.01, unit: str = "",
                 hint: str = "", as_share: bool = False) -> Feedback:
    """Check a number within a relative ``tolerance`` (1 % by default).

    With ``as_share`` the expected value is a fraction (0.42); an answer of 42 is read as 42 %
    and accepted, and the message says so.
    """
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
        return Feedback("todo", f"No answer yet for {what}.", [f"Put your number in place of None. {hint}".strip()])
    if isinstance(answer, str):
        try:
            answer = float(answer.replace(",", "").replace("%", "").strip())
        except ValueError:
            return Feedback("wrong", f"'{answer}' is not a number.", [f"{what} is a number{', ' + unit if unit else ''}."])
    if not _is_number(answer):
        return Feedback("wrong", f"The answer for {what} should be a number, not {type(answer).__name__}.",
                        [hint] if hint else [])
    value = float(answer)
    note = []
    if as_share and value > 1 and value <= 100:
        value /= 100
        note = [f"Read {answer} as {value:.1%}."]
    close = math.isclose(value, expected, rel_tol=tolerance, abs_tol=1e-9)
    shown = f"{expected:.1%}" if as_share else f"{expected:,.4g}{(' ' + unit) if unit else ''}"
    if close:
        return Feedback("ok", f"Right: {what} is {shown}.", note)
    direction = "high" if value > expected else "low"
    return Feedback("wrong", f"Not yet: your answer for {what} is too {direction}.", [*note, hint] if hint else note)


def check_choice(answer, expected: str, *, what: str, options: list[str] | tuple[str, ...],
                 why: dict[str, str] | None = None) -> Feedback:
    """Check a choice among ``options`` (case and spaces do not matter); ``why`` explains each option."""
    why = why or {}
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Feedback("todo", f"No answer yet for {what}.", [f"Choose one of: {', '.join(options)}."])
    if not isinstance(answer, str):
        return Feedback("wrong", f"The answer for {what} should be text, one of: {', '.join(options)}.")
    norm = {o.lower().replace(" ", ""): o for o in options}
    key = answer.lower().replace(" ", "").replace("->", "→")
    if key not in norm:
        return Feedback("wrong", f"'{answer}' is not one of the options.", [f"Choose one of: {', '.join(options)}."])
    chosen = norm[key]
    if chosen == expected:
        return Feedback("ok", f"Right: {what} is {expected}.", [why[expected]] if expected in why else [])
    return Feedback("wrong", f"Not {chosen}.", [why.get(chosen, "Look at the table again.")])


def combine(title: str, parts: list[Feedback]) -> Feedback:
    """Several checks as one: ok only when all are; the points list what is right and what is missing."""
    if all(p.status == "todo" for p in parts):
        return Feedback("todo", f"{title}: nothing answered yet.", [p.title for p in parts])
    status = "ok" if all(p.ok for p in parts) else "wrong"
    points = [f"{p.title}{' ' + ' '.join(p.points) if p.points else ''}" for p in parts]
    done = sum(p.ok for p in parts)
    return Feedback(status, f"{title}: {done} of {len(parts)} right.", points)


def multiple_choice(question: str, answers: list[tuple[str, bool, str]]) -> dict:
    """One jupyterquiz question: ``answers`` are (text, is it correct, feedback shown when chosen)."""
    return {"question": question, "type": "multiple_choice",
            "answers": [{"answer": a, "correct": c, "feedback": f} for a, c, f in answers]}
