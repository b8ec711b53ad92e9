"""The lesson quizzes, answerable in JupyterLab and on the website from the same questions.

``display_quiz(questions)`` (same call as jupyterquiz's) shows one output that carries:

* an ipywidget for JupyterLab: each question with its answers as radio buttons; choosing one shows
  whether it is right and the answer's feedback (:func:`answer` decides, a pure function);
* the questions as ``application/vnd.alignkit.quiz+json``, which the site renders (:class:`QuizPage`,
  a myst-nb mime plugin) as jupyterquiz's own offline quiz: jupyterquiz's HTML, and its script
  library served once as ``_static/alignkit-jupyterquiz.js`` (byte for byte the code jupyterquiz
  inlines in every quiz) and loaded only when the quiz comes near the screen, so the site's quizzes
  are unchanged and a lesson page no longer carries (and runs while it loads) 40 kB of quiz code;
* plain text (the questions and answers) anywhere else.

jupyterquiz itself writes a Javascript output, which JupyterLab 4 does not run: it showed
``<IPython.core.display.Javascript object>`` there.

Questions are jupyterquiz's multiple-choice dicts, as ``alignkit.ui.exercises.multiple_choice`` makes them.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
from typing import Any

QUIZ_MIME = "application/vnd.alignkit.quiz+json"
RIGHT, WRONG = "Right.", "Not quite."


def _check_questions(questions) -> list[dict]:
    if not isinstance(questions, (list, tuple)) or not questions:
        raise ValueError("display_quiz() needs a list of questions (see alignkit.ui.exercises.multiple_choice).")
    for n, q in enumerate(questions, 1):
        answers = q.get("answers") if isinstance(q, dict) else None
        if not isinstance(q, dict) or not q.get("question") or not answers:
            raise ValueError(f"quiz question {n} needs a 'question' and a list of 'answers', got {q!r:.120}")
        if q.get("type", "multiple_choice") not in ("multiple_choice", "many_choice"):
            raise ValueError(f"quiz question {n}: only multiple-choice questions are supported, got {q.get('type')!r}")
        if not any(a.get("correct") for a in answers):
            raise ValueError(f"quiz question {n} ({q['question'][:60]!r}) has no right answer.")
    return list(questions)


def answer(question: dict, choice: str) -> tuple[bool, str]:
    """Whether ``choice`` (an answer's text) is right for ``question``, and the text to show for it:
    the answer's feedback, after "Right." or "Not quite." unless the feedback already says so."""
    for a in question["answers"]:
        if a["answer"] == choice:
            right = bool(a.get("correct"))
            verdict = RIGHT if right else WRONG
            feedback = str(a.get("feedback") or "").strip()
            says = (
                feedback.lower().startswith(("right", "correct", "yes"))
                if right
                else feedback.lower().startswith(("not quite", "wrong", "no:", "no."))
            )
            return right, feedback if says else f"{verdict} {feedback}".strip()
    raise ValueError(f"{choice!r} is not one of the answers to {question['question'][:60]!r}.")


def quiz_text(questions: list[dict]) -> str:
    """The quiz as plain text (for a terminal or anything that shows no widgets)."""
    lines = [f"Quiz: {len(questions)} questions."]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}. {q['question']}")
        lines += [f"   - {a['answer']}" for a in q["answers"]]
    return "\n".join(lines)


def quiz_widget(questions: list[dict], shuffle_answers: bool = True, seed: int | None = None):
    """The JupyterLab view: one block per question, radio buttons, feedback under each."""
    import ipywidgets as w

    rng = random.Random(seed)
    blocks = []
    for n, q in enumerate(questions, 1):
        options = [a["answer"] for a in q["answers"]]
        if shuffle_answers:
            rng.shuffle(options)
        title = w.HTML(f'<p class="alignkit-quiz-question"><strong>{n}. {html.escape(q["question"])}</strong></p>')
        pick = w.RadioButtons(
            options=options, value=None, layout=w.Layout(width="auto"), style={"description_width": "0px"}
        )
        pick.add_class("alignkit-quiz-answers")
        feedback = w.HTML("")
        feedback.add_class("alignkit-quiz-feedback")

        def show(change, q=q, feedback=feedback):
            if change["new"] is None:
                return
            right, text = answer(q, change["new"])
            colour, mark = ("#0b6e1f", "✓") if right else ("#a4161a", "✗")
            feedback.value = (
                f'<p role="status" style="color:{colour}; margin:0 0 0 0.5em">'
                f'<strong aria-hidden="true">{mark}</strong> {html.escape(text)}</p>'
            )

        pick.observe(show, names="value")
        blocks.append(w.VBox([title, pick, feedback], layout=w.Layout(margin="0 0 0.8em 0")))
    box = w.VBox([w.HTML("<p><em>Choose an answer to each question; the feedback appears under it.</em></p>"), *blocks])
    box.add_class("alignkit-quiz")
    return box


class Quiz:
    """A quiz: a widget in JupyterLab, jupyterquiz's offline quiz on the site, text elsewhere."""

    def __init__(self, questions, shuffle_answers: bool = True):
        self.questions = _check_questions(questions)
        self.shuffle_answers = shuffle_answers

    def spec(self) -> dict:
        """The quiz as JSON for the site's quiz script."""
        return {"questions": self.questions, "shuffle_answers": self.shuffle_answers}

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {QUIZ_MIME: self.spec(), "text/plain": quiz_text(self.questions)}
        view = quiz_widget(self.questions, self.shuffle_answers)._repr_mimebundle_()
        if isinstance(view, tuple):  # (data, metadata)
            view = view[0]
        if view and "application/vnd.jupyter.widget-view+json" in view:
            bundle["application/vnd.jupyter.widget-view+json"] = view["application/vnd.jupyter.widget-view+json"]
        return bundle

    def __repr__(self) -> str:
        return quiz_text(self.questions)


def display_quiz(questions, shuffle_answers: bool = True) -> None:
    """Show a quiz (jupyterquiz's call, for the lessons): see :class:`Quiz`."""
    from IPython.display import display

    display(Quiz(questions, shuffle_answers))


# --- the website: jupyterquiz's own offline quiz --------------------------------------------------

QUIZ_SCRIPT = "alignkit-jupyterquiz.js"  # jupyterquiz's script, served once by the site (see write_library)
_SPEC_CLASS = "alignkit-quiz-spec"


def _jupyterquiz_outputs(spec: dict) -> tuple[str, str, str]:
    """jupyterquiz's two outputs for these questions (the HTML, the script) and the element id it
    chose, as its ``display_quiz`` writes them."""
    from unittest import mock

    from jupyterquiz.dynamic import display as jq

    shown: list[Any] = []
    with mock.patch.object(jq, "display", side_effect=shown.append):
        jq.display_quiz(spec["questions"], shuffle_answers=spec.get("shuffle_answers", True))
    div, script = shown[0].data, shown[1].data
    found = re.search(r'id="([A-Za-z]{12})"', div)
    if found is None:
        raise RuntimeError("JupyterQuiz's HTML has no 12-letter quiz id; has its output changed?")
    return div, script, found.group(1)


def _split_script(script: str, div_id: str) -> tuple[str, str]:
    """jupyterquiz's script cut into its questions (JSON) and its library (the same for every quiz).
    It writes ``var questionsID=[...];`` then, inside ``if (typeof Question === 'undefined') {``, the
    library, then a suffix that calls ``show_questions`` (its static_suffix.js.tpl), then ``}``."""
    from importlib.resources import files
    from string import Template

    head = re.match(
        r"var questions" + re.escape(div_id) + r"=(.*?);\n\nif \(typeof Question === 'undefined'\) \{\n", script, re.S
    )
    suffix = Template(files("jupyterquiz").joinpath("js/static_suffix.js.tpl").read_text()).substitute(div_id=div_id)
    if not head or not script.endswith(suffix + "\n}\n"):
        raise RuntimeError(
            "jupyterquiz's script no longer has the layout alignkit.ui.quiz expects (questions, "
            "library, show_questions call): check the pinned jupyterquiz version."
        )
    return head.group(1), script[head.end() : len(script) - len(suffix) - 3]


def jupyterquiz_library() -> str:
    """jupyterquiz's script library, exactly as its ``display_quiz`` inlines it in every quiz."""
    div, script, div_id = _jupyterquiz_outputs(
        {"questions": [{"question": "?", "type": "multiple_choice", "answers": [{"answer": "a", "correct": True}]}]}
    )
    return _split_script(script, div_id)[1]


def jupyterquiz_html(spec: dict) -> str:
    """jupyterquiz's HTML for these questions (its container and styles), with an element id derived
    from the questions so a build is reproducible, and the questions as inert JSON. jupyterquiz
    inlines its 40 kB library in every quiz and runs it while the page is read; here the site's
    script (alignkit-charts.js) loads that library once, from ``_static`` (:func:`write_library`),
    when the quiz comes near the screen, and calls jupyterquiz's ``show_questions`` as its own
    script does."""
    div, script, old = _jupyterquiz_outputs(spec)
    questions, library = _split_script(script, old)
    new = "q" + hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:11]
    version = hashlib.sha256(library.encode()).hexdigest()[:8]
    div = div.replace(old, new).replace(
        f'<div id="{new}"', f'<div id="{new}" class="alignkit-quiz" data-quiz-script="{QUIZ_SCRIPT}?v={version}"', 1
    )
    questions = re.sub(r"</(script)", r"<\\/\1", questions, flags=re.I)
    return f'{div}\n<script type="application/json" class="{_SPEC_CLASS}">{questions}</script>'


def write_library(app, exception) -> None:
    """Write jupyterquiz's library to the built site's ``_static`` (a Sphinx build-finished hook)."""
    if exception or app.builder.format != "html":
        return
    from pathlib import Path

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / QUIZ_SCRIPT).write_text(
        "/* The quiz library of the jupyterquiz package (its licence ships with it), "
        "as its display_quiz inlines it in every quiz; alignkit-charts.js loads it "
        "when a quiz comes near the screen. */\n" + jupyterquiz_library(),
        encoding="utf-8",
    )


class QuizPage:
    """Render quizzes (``application/vnd.alignkit.quiz+json``) on the HTML site as jupyterquiz's offline
    quiz, ahead of the JupyterLab widget that the same output carries (a myst-nb mime plugin)."""

    mime_priority_overrides = [("html", QUIZ_MIME, 0), ("dirhtml", QUIZ_MIME, 0)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        """A quiz output as jupyterquiz's offline quiz in HTML; None for other output types."""
        if data.mime_type != QUIZ_MIME:
            return None
        from docutils import nodes

        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        return [nodes.raw(text=jupyterquiz_html(spec), format="html", classes=["output", "text_html"])]


def setup(app):
    """The site serves jupyterquiz's library once (see :func:`jupyterquiz_html`)."""
    # before alignkit.build.site trims the theme's CSS, which keeps the classes the site's scripts use
    app.connect("build-finished", write_library, priority=300)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
