"""The one function that puts typed text into Markdown: :func:`md_text`.

Every Markdown the package writes from text a person typed (the playbook's ``playbook.md``: answers,
RACI tasks and roles, warnings, file names; the definitions agreement of
:func:`alignkit.metrics.lead_scores.definitions_agreement`: the company and the SQL criteria) passes that text
through :func:`md_text`, so it stays text wherever the Markdown is rendered (a wiki, GitHub, MyST).
"""

from __future__ import annotations

import re
import unicodedata

# every ASCII punctuation mark that means something inside a line, in CommonMark, GitHub's or MyST's dialects
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#&~{}$"})
# what starts a block only at the beginning of a line: a list item (- + 1. 1)) or a setext underline (=)
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)])(?=\s|$))")


def md_text(value) -> str:
    """``value`` as Markdown text that renders as itself: markup characters are backslash-escaped, so
    ``<script>``, a link, a table cell break ``|``, a leading ``#`` or ``-`` or an HTML entity stays
    text; control and invisible format characters (terminal escapes, right-to-left overrides) become
    spaces; line breaks become spaces and runs of spaces one space, so the text stays on its line."""
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cf") else " " for c in str(value))
    text = " ".join(text.split()).translate(_MD_SPECIAL)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)
