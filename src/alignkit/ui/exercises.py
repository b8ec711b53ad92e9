"""Checkers for the lessons' exercises: each says what is right and what is missing.

A checker never raises on a learner's answer. An empty answer, a wrong type or a value out of
range gets a friendly message; a right answer gets a short confirmation of why it is right.
The expected values are computed from the data with the package's functions, never typed in.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from numbers import Real
from typing import cast


@dataclass
class Feedback:
    """The result of a check: ``status`` is 'ok', 'todo' (nothing answered yet) or 'wrong'."""

    status: str
    title: str
    points: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the answer is right."""
        return self.status == "ok"

    def __str__(self) -> str:
        mark = {"ok": "✓", "todo": "…", "wrong": "✗"}[self.status]
        return "\n".join([f"{mark} {self.title}", *[f"  - {p}" for p in self.points]])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in self.points)
        return (
            f'<div class="alignkit-feedback {self.status}" role="status"><strong>{html.escape(self.title)}'
            f"</strong>{f'<ul>{items}</ul>' if items else ''}</div>"
        )


def _is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and not math.isnan(float(x))


def check_number(
    answer,
    expected: float,
    *,
    what: str,
    tolerance: float = 0.01,
    unit: str = "",
    hint: str = "",
    as_share: bool = False,
) -> Feedback:
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
            return Feedback(
                "wrong", f"'{answer}' is not a number.", [f"{what} is a number{', ' + unit if unit else ''}."]
            )
    if not _is_number(answer):
        return Feedback(
            "wrong", f"The answer for {what} should be a number, not {type(answer).__name__}.", [hint] if hint else []
        )
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


def check_choice(
    answer, expected: str, *, what: str, options: list[str] | tuple[str, ...], why: dict[str, str] | None = None
) -> Feedback:
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
    return {
        "question": question,
        "type": "multiple_choice",
        "answers": [{"answer": a, "correct": c, "feedback": f} for a, c, f in answers],
    }


# --- decision exercises: one spec, answered in JupyterLab or on the website ------------------------
#
# A lesson module declares its decision exercises as Exercise objects (see INFRA_GUIDE.md). The
# same spec is checked here, in Python, and on the website by _static/alignkit-exercises.js, which
# follows the rules below word for word (tests/browser/test_pages.py proves the two agree).

EXERCISE_MIME = "application/vnd.alignkit.exercise+json"
KINDS = ("number", "choice", "text")
NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Idea:
    """One idea a written answer must contain: ``name`` says it in the feedback ("the customer");
    the answer shows it when it contains any of ``words`` (each a word or phrase; a word matches
    any word it begins, so 'custom' matches 'customers')."""

    name: str
    words: tuple[str, ...]


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _mentions(tokens: list[str], phrase: str) -> bool:
    want = _words(phrase)
    if not want:
        return False
    return any(all(tokens[i + k].startswith(w) for k, w in enumerate(want)) for i in range(len(tokens) - len(want) + 1))


def _norm_choice(text: str) -> str:
    return re.sub(r"\s+", "", text.lower()).replace("->", "→")


@dataclass(frozen=True)
class Exercise:
    """A decision exercise: a number to work out, a choice to make or a short text to write.

    ``expected`` is computed from the data when the lesson runs (never typed): a number for
    'number' (a fraction when ``share``; answers given in % are read as such), one of ``options``
    for 'choice'. A 'text' answer is right when it has every one of ``ideas`` and at least
    ``min_words`` words. ``tolerance`` is relative (0.01: within 1 %). ``why`` explains choices
    (shown when one is chosen); ``explain`` is shown with a right answer; ``hint`` with a wrong or
    missing one. ``minutes`` is the time it takes a reader, counted in the lesson's time.
    """

    id: str
    kind: str
    question: str
    what: str
    hint: str
    minutes: int
    expected: float | str | None = None
    tolerance: float = 0.01
    unit: str = ""
    share: bool = False
    options: tuple[str, ...] = ()
    why: tuple[tuple[str, str], ...] = ()
    ideas: tuple[Idea, ...] = ()
    min_words: int = 0
    explain: str = ""

    def __post_init__(self):
        problems = []
        if self.kind not in KINDS:
            problems.append(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.kind == "number" and not _is_number(self.expected):
            problems.append("a number exercise needs a number as expected")
        if self.kind == "choice" and (self.expected not in self.options or len(self.options) < 2):
            problems.append("a choice exercise needs two or more options, the expected one among them")
        if self.kind == "choice" and len({_norm_choice(o) for o in self.options}) != len(self.options):
            problems.append("two options read the same")
        if self.kind == "text" and not self.ideas:
            problems.append("a text exercise needs the ideas an answer must contain")
        if not isinstance(self.minutes, int) or self.minutes < 1:
            problems.append("minutes must be a whole number of at least 1")
        if problems:
            raise ValueError(f"Exercise {self.id}: " + "; ".join(problems) + ".")

    @property
    def _number(self) -> float:
        """A number exercise's ``expected`` as a float (``__post_init__`` made sure it is a number)."""
        return float(cast(float, self.expected))

    # -- what the reader is shown ------------------------------------------------------------
    @property
    def shown(self) -> str:
        """The expected answer as the feedback writes it."""
        if self.kind != "number":
            return str(self.expected or "")
        from .present import number, percent

        if self.share:
            return percent(self.expected)
        digits = 0 if self._number.is_integer() or abs(self._number) >= 100 else 2
        return number(self.expected, digits).replace("−", "-") + (f" {self.unit}" if self.unit else "")

    def spec(self) -> dict:
        """The exercise as JSON for the website's checker (and for from_spec)."""
        return {
            "version": 1,
            "id": self.id,
            "kind": self.kind,
            "question": self.question,
            "what": self.what,
            "hint": self.hint,
            "minutes": self.minutes,
            "expected": self.expected,
            "shown": self.shown,
            "tolerance": self.tolerance,
            "unit": self.unit,
            "share": self.share,
            "options": list(self.options),
            "why": dict(self.why),
            "ideas": [{"name": i.name, "words": list(i.words)} for i in self.ideas],
            "min_words": self.min_words,
            "explain": self.explain,
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Exercise:
        """An exercise from its saved spec (the JSON a lesson's output holds)."""
        return cls(
            id=spec["id"],
            kind=spec["kind"],
            question=spec["question"],
            what=spec["what"],
            hint=spec["hint"],
            minutes=spec["minutes"],
            expected=spec["expected"],
            tolerance=spec["tolerance"],
            unit=spec["unit"],
            share=spec["share"],
            options=tuple(spec["options"]),
            why=tuple(spec["why"].items()),
            ideas=tuple(Idea(i["name"], tuple(i["words"])) for i in spec["ideas"]),
            min_words=spec["min_words"],
            explain=spec["explain"],
        )

    # -- the check (alignkit-exercises.js mirrors it) -------------------------------------------
    def check(self, answer) -> Feedback:
        """What is right, what is missing, and a hint. Never raises on an answer."""
        hint = [self.hint] if self.hint else []
        if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
            return Feedback("todo", f"No answer yet for {self.what}.", hint)
        return {"number": self._check_number, "choice": self._check_choice, "text": self._check_text}[self.kind](
            answer, hint
        )

    def _check_number(self, answer, hint) -> Feedback:
        note, percent_sign = [], False
        if isinstance(answer, str):
            text = re.sub(r"[\s\u00a0\u202f,$€£]", "", answer)
            if text.endswith("%"):
                text, percent_sign = text[:-1], True
            if not NUMBER_TEXT.match(text):
                return Feedback(
                    "wrong",
                    f"“{answer.strip()}” is not a number.",
                    ["Write it with digits only, for example 1250 or 12.5."],
                )
            value = float(text)
        elif _is_number(answer) and not math.isinf(float(answer)):
            value = float(answer)
        else:
            return Feedback("wrong", f"The answer for {self.what} should be a number.", hint)
        if self.share and (percent_sign or (value > 1 and self._number <= 1)):
            value /= 100
            if not percent_sign:
                note = ["Read as a percentage."]
        expected = self._number
        if abs(value - expected) <= max(self.tolerance * max(abs(value), abs(expected)), 1e-9):
            return Feedback(
                "ok", f"Right: {self.what} is {self.shown}.", [*note, *([self.explain] if self.explain else [])]
            )
        return Feedback(
            "wrong",
            f"Not yet: your answer for {self.what} is too {'high' if value > expected else 'low'}.",
            [*note, *hint],
        )

    def _check_choice(self, answer, hint) -> Feedback:
        choose = [f"Choose one of: {', '.join(self.options)}."]
        if not isinstance(answer, str):
            return Feedback("wrong", f"The answer for {self.what} should be one of the options.", choose)
        chosen = {_norm_choice(o): o for o in self.options}.get(_norm_choice(answer))
        if chosen is None:
            return Feedback("wrong", f"“{answer.strip()}” is not one of the options.", choose)
        why = dict(self.why)
        if chosen == self.expected:
            return Feedback(
                "ok", f"Right: {self.what} is {self.expected}.", [p for p in (why.get(chosen, ""), self.explain) if p]
            )
        return Feedback("wrong", f"Not {chosen}.", [why[chosen]] if why.get(chosen) else hint)

    def _check_text(self, answer, hint) -> Feedback:
        if not isinstance(answer, str):
            return Feedback("wrong", f"The answer for {self.what} should be written text.", hint)
        tokens = _words(answer)
        if not tokens:
            return Feedback("wrong", "There are no words in that answer.", hint)
        has = [i for i in self.ideas if any(_mentions(tokens, w) for w in i.words)]
        points = [f"It says {i.name}." if i in has else f"Missing: {i.name}." for i in self.ideas]
        short = len(tokens) < self.min_words
        if short:
            points.append(f"Write at least {self.min_words} words; this has {len(tokens)}.")
        if len(has) == len(self.ideas) and not short:
            return Feedback(
                "ok",
                f"Right: your answer has every idea {self.what} needs.",
                [
                    *points,
                    *([self.explain] if self.explain else []),
                    "A word check cannot judge the sentence itself: read it to a colleague.",
                ],
            )
        return Feedback(
            "wrong",
            f"Not yet: your answer has {len(has)} of {len(self.ideas)} ideas {self.what} needs.",
            [*points, *hint],
        )

    # -- showing it in a notebook ----------------------------------------------------------------
    def __repr__(self) -> str:
        how = {"number": "a number", "choice": "one of: " + ", ".join(self.options), "text": "a few sentences"}[
            self.kind
        ]
        return (
            f"Exercise {self.id}: {self.question}\nAnswer with {how} (about {self.minutes} min). "
            f"Check an answer with: .check(your_answer)"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget for JupyterLab, the spec for the website (alignkit.build.site renders it as a form),
        and plain text for anything else."""
        bundle = {"text/plain": repr(self), EXERCISE_MIME: self.spec()}
        try:
            from .widgets import exercise_widget

            view = exercise_widget(self)._repr_mimebundle_()
        except Exception:  # no kernel (plain Python): the text and the spec are enough
            view = {}
        if view and "application/vnd.jupyter.widget-view+json" in view:
            bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
        return bundle
