"""Writing a command's output files so that no file is ever lost, and printing its messages safely.

Used by ``alignkit scorecard`` (``--out``, ``--csv``) and ``alignkit playbook`` (``playbook.md`` and
``playbook.html``). The rules, checked by :func:`check_outputs` *before any work is done*:

* an output may not be one of the input files (by path, symbolic link or hard link);
* two outputs may not be the same file;
* an existing output must be an ordinary file (not a folder, a device such as ``/dev/null``, a
  named pipe, a socket or a symbolic link) that we may write (a read-only file is refused, never
  silently replaced);
* its folder must exist and be writable.

:func:`write_together` then writes every output to a temporary file in its folder and renames them
over the targets only when all are complete; if a rename fails, the targets already replaced get
their previous content back. So the outputs are written together or not at all.

:func:`write_atomically` is the same for one file (text or bytes): a reader never sees it half-written.

:func:`one_line` makes any message safe for a terminal: control characters (terminal escape codes,
line breaks, bidirectional overrides) from a cell are shown as ``\\x1b``-style escapes, never
obeyed, and the message stays on one line. :func:`did_you_mean` ends a message about an unknown
name with the names that look like it, so a typo is one glance to fix.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
import unicodedata
from pathlib import Path

from .errors import DataError


class OutputError(DataError):
    """An output file cannot be written safely; nothing was written."""


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_outputs(outputs: list[tuple[str, Path]], inputs: list[Path]) -> None:
    """Refuse (OutputError) any output that could destroy an input, another output or a special file.

    ``outputs`` are (label, path) pairs, the label being how the user named it ("--out report.html");
    ``inputs`` are the files the command reads."""
    for i, (label, path) in enumerate(outputs):
        path = Path(path)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise OutputError(f"{label}: cannot be checked ({exc.strerror}); nothing was written.") from None
        if st is not None:
            if stat.S_ISLNK(st.st_mode):
                raise OutputError(f"{label}: is a symbolic link; name the file itself (nothing was written).")
            if stat.S_ISDIR(st.st_mode):
                raise OutputError(f"{label}: is a folder; give a file name such as {path / 'report.html'}.")
            if not stat.S_ISREG(st.st_mode):
                kind = (
                    "a device"
                    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                    else "a named pipe"
                    if stat.S_ISFIFO(st.st_mode)
                    else "a socket"
                    if stat.S_ISSOCK(st.st_mode)
                    else "not an ordinary file"
                )
                raise OutputError(
                    f"{label}: is {kind}, not an ordinary file; it would be replaced. Name a new "
                    f"file (nothing was written)."
                )
            if not os.access(path, os.W_OK):
                raise OutputError(
                    f"{label}: the file exists and is read-only; it is not replaced. Name another "
                    f"file or make it writable (nothing was written)."
                )
        folder = path.absolute().parent
        if not folder.is_dir():
            raise OutputError(f"{label}: the folder {folder} does not exist.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{label}: the folder {folder} is not writable (nothing was written).")
        for source in inputs:
            if source is not None and _same(path, Path(source)):
                raise OutputError(
                    f"{label}: is the input file {Path(source).name}; writing it would destroy "
                    f"the input. Name a different output file (nothing was written)."
                )
        for other_label, other in outputs[:i]:
            if _same(path, Path(other)):
                raise OutputError(
                    f"{label}: is the same file as {other_label}; one would overwrite the other. "
                    f"Name two different files (nothing was written)."
                )


def write_together(items: list[tuple[Path, str | bytes]]) -> None:
    """Write each (path, text or bytes) to a temporary file next to it, then rename all over their targets.
    If any step fails, no target is left changed (the ones already renamed are restored)."""
    umask = os.umask(0)
    os.umask(umask)
    temps: list[str] = []
    backups: dict[Path, str | None] = {}
    done: list[Path] = []
    try:
        for path, text in items:
            fd, tmp = tempfile.mkstemp(dir=Path(path).absolute().parent, prefix=f".{Path(path).name}.", suffix=".tmp")
            temps.append(tmp)
            os.chmod(tmp, 0o666 & ~umask)
            if isinstance(text, bytes):
                with os.fdopen(fd, "wb") as fh:
                    fh.write(text)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
        for (path, _), tmp in zip(items, temps, strict=True):
            path = Path(path)
            backup = None
            if path.exists():
                if not stat.S_ISREG(os.lstat(path).st_mode):  # changed since check_outputs
                    raise OutputError(f"{path}: is no longer an ordinary file; nothing was written.")
                backup = tempfile.mktemp(dir=path.absolute().parent, prefix=f".{path.name}.", suffix=".bak")
                try:
                    os.link(path, backup)
                except OSError:  # a file system without hard links: a copy does the same job
                    import shutil

                    shutil.copy2(path, backup)
            backups[path] = backup
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            backup = backups.get(path)
            try:
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                pass
        raise
    finally:
        for tmp in temps:
            Path(tmp).unlink(missing_ok=True)
        for backup in backups.values():
            if backup is not None:
                Path(backup).unlink(missing_ok=True)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8, or bytes) to ``path`` through a temporary file in the same folder
    renamed over it: the file is the old one or the new one, never half-written."""
    write_together([(Path(path), content)])


def did_you_mean(name: str, choices, known: str | None = "The file has", n: int = 3) -> str:
    """The end of a message about an unknown ``name``: " Did you mean 'x'?" with up to ``n`` of
    ``choices`` that look like it (case does not matter); otherwise " <known>: 'a', 'b', ..." listing
    the first 12 choices (each cut to 60 characters), or "" when ``known`` is None, so a message never
    echoes a data file's content beyond the offending cell."""
    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=n, cutoff=0.6)
    if close:
        return " Did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"
    if known is None or not choices:
        return ""
    shown = ", ".join(repr(c[:60]) for c in choices[:12]) + (" ..." if len(choices) > 12 else "")
    return f" {known}: {shown}."


def _escape_char(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: object) -> str:
    """``text`` with every control or format character (escape codes, line breaks, tabs, bidirectional
    overrides) written as a visible escape, so it prints as one inert line."""
    return "".join(_escape_char(c) if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in str(text))
