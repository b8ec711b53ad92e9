"""Reading a CRM export file into a table of strings, and turning its cells into dates, numbers and yes/no.

Everything here fails with a :class:`CrmError` whose message names the file, the column, the row(s)
and what was expected. Rows are counted as a spreadsheet shows them: the header is row 1, the
first record row 2.

Speed matters (an export can have a million leads), so every conversion is vectorised: the date
*style* of a column is recognised once from a sample, then the whole column is parsed with that
explicit format; nothing is parsed value by value.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Set
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import DataError
from ...outputs import did_you_mean

MAX_CELL_CHARS = 1000  # a longer id, stage or source is almost always a missing closing quote
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class CrmError(DataError):
    """The export or the mapping cannot be used as it is. The message says where and what to do."""


def rows_text(index: pd.Index | np.ndarray | list, limit: int = 5) -> str:
    """'row 5' / 'rows 5, 9, 12 and 40 more' from spreadsheet row numbers."""
    rows = [int(i) for i in list(index)[:limit]]
    more = len(index) - len(rows)
    label = "row" if len(index) == 1 else "rows"
    return f"{label} " + ", ".join(map(str, rows)) + (f" and {more} more" if more > 0 else "")


def header_hint(column: str, header: list[str]) -> str:
    """:func:`alignkit.outputs.did_you_mean` for a column the header lacks: the header comes from the
    file, so it is never listed (a message never echoes a file's content beyond the offending cell)."""
    return did_you_mean(column, header, known=None) or (
        f" None of the {len(header):,} column(s) in the header is close." if header else ""
    )


@dataclass
class RawTable:
    """One export file as strings: ``frame`` is indexed by spreadsheet row number (first record = 2)."""

    path: Path
    frame: pd.DataFrame
    header: list[str]
    what: str  # "leads", "deals", "spend" or "revenue"

    @property
    def name(self) -> str:
        """The file's name, without its folder."""
        return self.path.name

    def where(self, column: str | None = None) -> str:
        """Where a message points: the file's name, and the column when one is given."""
        return f"{self.name}" + (f", column '{column}'" if column else "")


# ----------------------------------------------------------------------------------------------
# Files


def _check_file(path: Path, what: str) -> None:
    if not path.exists():
        raise CrmError(f"{path}: the {what} file does not exist.")
    if not path.is_file():
        raise CrmError(f"{path}: the {what} file is a folder, not a file.")
    if path.stat().st_size == 0:
        raise CrmError(f"{path.name}: the {what} file is empty; export it again with a header row and records.")


def resolve_columns(wanted: dict[str, str], header: list[str], where: str, required: set[str]) -> dict[str, str]:
    """Map each field to the file's own spelling of its column.

    An exact match wins; otherwise a match ignoring case and spaces at the ends. A required field
    whose column is missing fails with "did you mean ..."; a missing optional one is left out.
    """
    found: dict[str, str] = {}
    folded: dict[str, str] = {}
    for h in header:
        folded.setdefault(" ".join(h.split()).lower(), h)
    for field, column in wanted.items():
        if header.count(column) > 1:
            places = [str(i + 1) for i, h in enumerate(header) if h == column]
            raise CrmError(
                f"{where}, column '{column}' (mapped as {field}): the header (row 1) has it "
                f"{len(places)} times (columns {', '.join(places)}); rename all but one."
            )
        if column in header:
            found[field] = column
        elif " ".join(column.split()).lower() in folded:
            found[field] = folded[" ".join(column.split()).lower()]
        elif field in required:
            hint = header_hint(column, header)
            if len(header) == 1:
                other = [s for s in SEPARATORS if s in header[0]]
                if other:
                    hint += (
                        f" The header is one single column: the file seems to be separated by "
                        f"{SEPARATOR_NAMES[other[0]]}s; set separator = '{other[0]}' in the mapping "
                        f"or leave it out to detect it."
                    )
            raise CrmError(
                f"{where}, column '{column}' (mapped as {field}): no such column in the header (row 1)." + hint
            )
    return found


def _sniff_separator(header_line: str) -> str:
    counts = {s: 0 for s in SEPARATORS}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def _locate_bad_bytes(path: Path, sep: str) -> str:
    """Find the first line that is not UTF-8 and say which column it is in (only on the error path)."""
    with open(path, "rb") as fh:
        header: list[str] = []
        for number, line in enumerate(fh, start=1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 4]
                fields = next(csv.reader([line.decode("utf-8", errors="replace")], delimiter=sep), [])
                col = next((i for i, f in enumerate(fields) if "\ufffd" in f), None)
                column = f", column '{header[col]}'" if col is not None and col < len(header) else ""
                return (
                    f"{path.name}{column}, row {number}: bytes {bad!r} are not UTF-8. Export the file as "
                    f"UTF-8 (in Excel: 'CSV UTF-8'), or re-save it in a text editor as UTF-8."
                )
            if number == 1:
                header = next(csv.reader([text.rstrip("\r\n")], delimiter=sep), [])
    return f"{path.name}: the file is not UTF-8 text. Export it as UTF-8 (in Excel: 'CSV UTF-8')."


MAX_HEADER_BYTES = 16 << 20  # a header row longer than this is not a header
CHUNK = 4 << 20


def _first_line(path: Path) -> bytes:
    """The bytes of line 1 (the header), however long, without its line ending or BOM."""
    out = bytearray()
    with open(path, "rb") as fh:
        while len(out) < MAX_HEADER_BYTES:
            block = fh.read(1 << 16)
            if not block:
                break
            out += block
            cut = min((i for i in (out.find(b"\n"), out.find(b"\r")) if i >= 0), default=-1)
            if cut >= 0:
                del out[cut:]
                break
        else:
            raise CrmError(
                f"{path.name}: row 1 is longer than {MAX_HEADER_BYTES >> 20} MB with no line break; "
                f"this is not a CSV export with a header row."
            )
    if out.startswith(b"\xef\xbb\xbf"):
        del out[:3]
    return bytes(out)


def _refuse_non_text(path: Path, what: str) -> None:
    """A workbook, a PDF or any binary file given as CSV gets a plain message, not a parser error."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04"):
        raise CrmError(
            f"{path.name}: this is an Excel workbook (or another zip file), not CSV text. If it is a "
            f"workbook, name it .xlsx; otherwise export the {what} as CSV."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CrmError(f"{path.name}: this is an old Excel .xls workbook, not CSV text; save it as .xlsx or CSV.")
    if b"\x00" in head:
        raise CrmError(
            f"{path.name}: this is not a text file (it holds NUL bytes); export the {what} as CSV (UTF-8) or .xlsx."
        )


def record_shapes(path: Path, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """For every line of a CSV file: the number of fields and whether the line is blank (see
    :func:`_record_shapes`)."""
    fields, blanks, _ = _record_shapes(path, sep)
    return fields, blanks


def _record_shapes(path: Path, sep: str) -> tuple[np.ndarray, np.ndarray, int | None]:
    """For every line of a CSV file (line breaks inside quotes do not count; \\n, \\r\\n and \\r end a
    line, as for pandas' parser): the number of fields, whether the line is blank, and the longest
    field in bytes (None when unknown). Vectorised over chunks of the file, so a million rows take
    about a second."""
    sep_b, quote, lf, cr = ord(sep), ord('"'), 10, 13
    fields: list[np.ndarray] = []
    blanks: list[np.ndarray] = []
    carry_quote = 0  # 1 while inside quotes at a chunk boundary
    pending_seps, pending_len, last_byte = 0, 0, lf
    longest, pending_field = 0, 0
    with open(path, "rb") as fh:
        data = fh.read(CHUNK)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        while data:
            following = fh.read(CHUNK)
            a = np.frombuffer(data, dtype=np.uint8)
            is_quote = a == quote
            nxt = np.empty_like(a)
            nxt[:-1] = a[1:]
            nxt[-1] = following[0] if following else lf
            if carry_quote or is_quote.any():
                parity = np.cumsum(is_quote, dtype=np.uint8) & 1
                if carry_quote:
                    parity ^= 1
                outside = parity == 0
                prev = np.empty_like(a)
                prev[1:] = a[:-1]
                prev[0] = last_byte
                # counting quotes is exact only when every quote opens a field or closes/doubles inside one;
                # a quote in the middle of a value (12" screen) is read differently: count with the csv module
                opening = is_quote & ~outside & (prev != sep_b) & (prev != lf) & (prev != cr) & (prev != quote)
                closing = is_quote & outside & (nxt != sep_b) & (nxt != lf) & (nxt != cr) & (nxt != quote)
                if opening.any() or closing.any():
                    return (*_record_shapes_csv(path, sep), None)
                is_lf = (a == lf) & outside
                is_cr = (a == cr) & outside
                is_sep = (a == sep_b) & outside
            else:  # no quote in this chunk (the usual case): every byte is outside quotes
                parity = np.zeros(1, dtype=np.uint8)
                is_lf, is_cr, is_sep = a == lf, a == cr, a == sep_b
            ends = is_lf | (is_cr & (nxt != lf))
            end_pos = np.flatnonzero(ends)
            # separators per line: sums over each line's bytes (one pass), the tail carried to the next chunk
            per_line = np.empty(len(end_pos) + 1, dtype=np.int64)
            if len(end_pos):
                line_starts = np.concatenate(([0], end_pos[:-1] + 1))
                per_line[:-1] = np.add.reduceat(is_sep[: end_pos[-1] + 1], line_starts, dtype=np.int64)
                per_line[-1] = np.count_nonzero(is_sep[end_pos[-1] + 1 :])
            else:
                per_line[-1] = np.count_nonzero(is_sep)
            per_line[0] += pending_seps
            # the longest field, in bytes: the longest gap between two field boundaries
            bounds = np.flatnonzero(is_sep | ends)
            if len(bounds):
                gap = int(max(bounds[0] + pending_field, int(np.diff(bounds).max()) if len(bounds) > 1 else 0))
                longest = max(longest, gap)
                pending_field = len(a) - 1 - int(bounds[-1])
            else:
                pending_field += len(a)
            # a line is blank (skipped, as pandas does) when it holds nothing but spaces, tabs or line ends;
            # only lines without a separator and shorter than their neighbours' gap can be: check those
            starts = np.empty(len(end_pos), dtype=np.int64)
            if len(end_pos):
                starts[0] = 0
                starts[1:] = end_pos[:-1] + 1
            spaces = (a == 32) | (a == 9) | is_lf | is_cr
            fields.append(per_line[:-1] + 1)
            blank = per_line[:-1] == 0
            if blank.any():
                candidates = np.flatnonzero(blank)
                if len(candidates):
                    solid = np.concatenate(([0], np.cumsum(~spaces, dtype=np.int64)))
                    content = solid[end_pos[candidates] + 1] - solid[starts[candidates]]
                    if len(candidates) and candidates[0] == 0:
                        content[0] += pending_len
                    blank[candidates] = content == 0
            blanks.append(blank)
            pending_seps = int(per_line[-1])
            tail_start = int(end_pos[-1]) + 1 if len(end_pos) else 0
            tail = int(np.count_nonzero(~spaces[tail_start:]))
            pending_len = (0 if len(end_pos) else pending_len) + tail
            carry_quote = int(parity[-1])
            last_byte = int(a[-1])
            data = following
    if pending_len or pending_seps:  # a last line without a line break
        fields.append(np.array([pending_seps + 1]))
        blanks.append(np.array([False]))
    return (
        np.concatenate(fields) if fields else np.zeros(0, np.int64),
        np.concatenate(blanks) if blanks else np.zeros(0, bool),
        max(longest, pending_field),
    )


def _record_shapes_csv(path: Path, sep: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`record_shapes` with the csv module, for files whose quotes are not all at field edges."""
    old = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            counts = []
            blank = []
            for row in csv.reader(fh, delimiter=sep, quotechar='"', strict=False):
                counts.append(len(row))
                blank.append(not row or (len(row) == 1 and not row[0].strip(" \t")))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise CrmError(
            f"{path.name}: cannot be split into rows and columns ({exc.__class__.__name__}); check "
            f"for a stray quote, or export the file again."
        ) from None
    finally:
        csv.field_size_limit(old)
    return np.asarray(counts, dtype=np.int64), np.asarray(blank, dtype=bool)


def _check_shapes(path: Path, sep: str, header: list[str], n_records: int) -> tuple[pd.Index, int | None]:
    """Refuse rows with more or fewer fields than the header (values would shift into the wrong
    column); return the spreadsheet row number of each record pandas read, and the longest field."""
    fields, blank, longest = _record_shapes(path, sep)
    rows = np.arange(1, len(fields) + 1)
    body = ~blank
    body[:1] = False  # the header
    wrong = body & (fields != len(header))
    if wrong.any():
        bad = rows[wrong]
        n = int(fields[wrong][0])
        more = n > len(header)
        hint = (
            "a value holds the separator without quotes (such as 1,500 in a comma-separated file: write "
            '"1,500" in quotes or 1500)'
            if more
            else "a row was cut short or a separator is missing"
        )
        raise CrmError(
            f"{path.name}, {rows_text(bad)}: {n} fields where the header (row 1) has {len(header)}; "
            f"{hint}. Values would land in the wrong columns, so nothing is counted: fix or re-export "
            f"the file."
        )
    numbers = rows[body]
    if len(numbers) != n_records:  # should not happen; keep pandas' own count rather than guess
        return pd.RangeIndex(2, 2 + n_records), None
    return pd.Index(numbers, dtype="int64"), longest


def read_csv_export(
    path: Path,
    what: str,
    wanted: dict[str, str],
    required: set[str],
    separator: str | None = None,
    names: Set[str] = frozenset(),
) -> tuple[RawTable, dict[str, str]]:
    """Read only the mapped columns of a CSV export, as strings; blank cells are ''.

    Every row must have as many fields as the header: a row with more or fewer is refused (its
    values would otherwise shift into other columns and be counted wrongly)."""
    _check_file(path, what)
    _refuse_non_text(path, what)
    first = _first_line(path)
    try:
        header_line = first.decode("utf-8")
    except UnicodeDecodeError:
        raise CrmError(_locate_bad_bytes(path, separator or ",")) from None
    if not header_line.strip():
        raise CrmError(f"{path.name}: row 1 is blank; the {what} file needs a header row with column names.")
    sep = separator or _sniff_separator(header_line)
    header = next(csv.reader([header_line], delimiter=sep))
    header = [h.strip() for h in header]
    columns = resolve_columns(wanted, header, path.name, required)
    usecols = sorted(set(columns.values()), key=header.index)
    # few distinct values (sources, stages): read straight into categories, which saves time and memory
    dtypes = {c: ("category" if any(columns.get(f) == c for f in names) else object) for c in usecols}
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            dtype=dtypes,
            keep_default_na=False,
            na_filter=False,
            engine="c",
            usecols=lambda c: c.strip() in usecols,
            encoding="utf-8-sig",
            quotechar='"',
        )
    except UnicodeDecodeError:
        raise CrmError(_locate_bad_bytes(path, sep)) from None
    except pd.errors.EmptyDataError:
        raise CrmError(f"{path.name}: the {what} file has no header row and no records.") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().replace("Error tokenizing data. C error: ", "")
        line = re.search(r"line (\d+)", detail)  # pandas counts file lines from 1 here ...
        start = re.search(r"starting at row (\d+)", detail)  # ... and from 0 here
        number = int(line.group(1)) if line else int(start.group(1)) + 1 if start else None
        row = f", row {number}" if number else ""
        if start:
            detail = f"a quote opened on row {number} is never closed"
        raise CrmError(
            f"{path.name}{row}: the {what} file cannot be split into columns with the "
            f"{SEPARATOR_NAMES.get(sep, repr(sep))} separator ({detail[:200]}). Check for a stray "
            f"separator or quote, or set separator in the mapping."
        ) from None
    frame.columns = [c.strip() for c in frame.columns]
    frame.index, longest = _check_shapes(path, sep, header, len(frame))
    if longest is not None:  # lets check_length skip measuring every cell of a file without long cells
        frame.attrs["max_field_bytes"] = longest
    table = RawTable(path, frame, header, what)
    _require_rows(table)
    return table, columns


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


MAX_XLSX_RATIO = 30  # an .xlsx unpacks to at most this many times its size (ordinary exports: 5-15 times) ...
MAX_XLSX_UNPACKED = 400 << 20  # ... and to at most 400 MB of XML


def _check_workbook_size(path: Path) -> None:
    """Refuse a workbook that would unpack to far more than a spreadsheet does (a "zip bomb": a 1 MB
    file whose shared strings expand thousands of times), before reading any of it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CrmError(
            f"{path.name}: not a readable Excel .xlsx workbook ({exc.__class__.__name__}). "
            f"Save it again as .xlsx, or export CSV."
        ) from None
    size = max(path.stat().st_size, 1)
    unpacked = sum(max(i.file_size, 0) for i in infos)
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    if unpacked > MAX_XLSX_UNPACKED or unpacked > MAX_XLSX_RATIO * size + (1 << 20):
        raise CrmError(
            f"{path.name}: the workbook would unpack to {unpacked / 2**20:,.0f} MB from "
            f"{size / 2**20:,.1f} MB ({biggest.filename if biggest else ''} is the largest part); an "
            f"export unpacks to at most {MAX_XLSX_RATIO} times its size and "
            f"{MAX_XLSX_UNPACKED >> 20} MB. Export the data as CSV instead."
        )


def read_excel_export(
    path: Path, what: str, wanted: dict[str, str], required: set[str], sheet: str | None = None
) -> tuple[RawTable, dict[str, str]]:
    """Read a sheet of an .xlsx export (the first sheet unless the mapping names one), as strings.

    The sheet's declared size is ignored (a file may claim a million rows and 16,384 columns for a
    few cells): only the rows and cells it really holds are read, up to the header's width."""
    from .xlsx import Workbook

    _check_file(path, what)
    _check_workbook_size(path)
    try:
        book = Workbook(path)
    except CrmError:
        raise
    except Exception as exc:  # a damaged workbook fails in many ways inside zipfile and the XML parser
        raise CrmError(
            f"{path.name}: not a readable Excel .xlsx workbook ({exc.__class__.__name__}). "
            f"Save it again as .xlsx, or export CSV."
        ) from None
    try:
        names = list(book.sheets)
        if not names:
            raise CrmError(f"{path.name}: the workbook has no sheet; the {what} need a sheet with a header row.")
        if sheet is not None and sheet not in names:
            raise CrmError(
                f"{path.name}: no sheet named '{sheet}' (mapping {what}.sheet)."
                + did_you_mean(sheet, names, known="The workbook has the sheets")
            )
        title = sheet if sheet is not None else names[0]
        rows = book.rows(title)
        first = next(rows, None)
        if first is None or first[0] != 1:
            raise CrmError(
                f"{path.name}, sheet '{title}': row 1 is empty; the {what} need a header row with column names."
            )
        header = [v.strip() for v in first[1]]
        rows.close()
        columns = resolve_columns(wanted, header, f"{path.name}, sheet '{title}'", required)
        positions = {c: header.index(c) for c in set(columns.values())}
        numbers, by_position = book.columns(title, set(positions.values()), max(len(header), 1))
        data = {c: by_position[i] for c, i in positions.items()}
    except CrmError:
        raise
    except Exception as exc:
        raise CrmError(
            f"{path.name}: a part of the workbook is damaged and cannot be read "
            f"({exc.__class__.__name__}). Open it in Excel and save it again, or export CSV."
        ) from None
    finally:
        book.close()
    frame = pd.DataFrame(data, index=pd.Index(numbers, dtype="int64"), dtype=object)
    table = RawTable(path, frame, header, what)
    _require_rows(table)
    return table, columns


def _require_rows(table: RawTable) -> None:
    if len(table.frame) == 0:
        raise CrmError(
            f"{table.name}: the {table.what} file has a header (row 1) but no records; export it again with its rows."
        )


def read_export(
    path: Path,
    what: str,
    wanted: dict[str, str],
    required: set[str],
    separator: str | None = None,
    sheet: str | None = None,
    names: Set[str] = frozenset(),
) -> tuple[RawTable, dict[str, str]]:
    """Read a CSV or .xlsx export; returns the table and the file's spelling of each mapped column.
    ``names`` are fields with few distinct values (read as categories)."""
    suffix = path.suffix.lower()
    if suffix in (".xls", ".numbers", ".ods"):
        raise CrmError(f"{path.name}: '{suffix}' files are not read; save the export as .xlsx or CSV (UTF-8).")
    if suffix in (".xlsx", ".xlsm"):
        return read_excel_export(path, what, wanted, required, sheet)
    return read_csv_export(path, what, wanted, required, separator, names)


# ----------------------------------------------------------------------------------------------
# Cells


def check_length(raw: pd.Series, where: str) -> None:
    """A cell longer than MAX_CELL_CHARS in an id, stage or source column is refused. (Skipped when
    the file's longest field, measured while its rows were counted, is shorter.)"""
    if raw.attrs.get("max_field_bytes", MAX_CELL_CHARS + 1) <= MAX_CELL_CHARS:
        return
    lengths = raw.str.len()
    long = lengths > MAX_CELL_CHARS
    if long.any():
        raise CrmError(
            f"{where}, {rows_text(raw.index[long])}: a cell of {int(lengths[long].iloc[0]):,} characters; "
            f"expected at most {MAX_CELL_CHARS:,}. A quote that is opened and never closed makes "
            f"many rows run into one cell — check the row before it."
        )


def text_column(raw: pd.Series, where: str, required: bool) -> pd.Series:
    """Names (sources, campaigns, stages) as a categorical column, trimmed and with single spaces;
    blank cells become ''. Required columns must have a value in every row."""
    check_length(raw, where)
    codes, uniques = pd.factorize(raw, sort=False)
    cleaned = np.array([" ".join(str(u).split()) for u in uniques], dtype=object)
    names, inverse = np.unique(cleaned, return_inverse=True) if len(cleaned) else (np.array([], object), codes)
    out = pd.Series(
        pd.Categorical.from_codes(inverse[codes] if len(cleaned) else codes, categories=names), index=raw.index
    )
    if required:
        blank = out == ""
        if blank.any():
            raise CrmError(f"{where}, {rows_text(raw.index[blank])}: empty; a value is required in every row.")
    return out


def id_column(raw: pd.Series, where: str, required: bool) -> pd.Series:
    """Identifiers, compared exactly as written (ids have no spaces to tidy; a million of them are not
    rewritten). Required id columns must have a value in every row."""
    check_length(raw, where)
    blank = raw == ""
    if required and blank.any():
        raise CrmError(f"{where}, {rows_text(raw.index[blank])}: empty; an id is required in every row.")
    return raw.astype(object)


DATE_STYLES = {
    "iso": (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T].*)?$"), "YYYY-MM-DD"),
    "month": (re.compile(r"^\d{4}-\d{1,2}$"), "YYYY-MM"),
    "dot": (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}(\s.*)?$"), "DD.MM.YYYY"),
    "dash": (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}(\s.*)?$"), "DD-MM-YYYY"),
    "slash": (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}(\s.*)?$"), "MM/DD/YYYY"),
}
EXPECTED_DATES = (
    "a date as YYYY-MM-DD, DD.MM.YYYY, DD-MM-YYYY or MM/DD/YYYY (DD/MM/YYYY with "
    'date_order = "DMY"), optionally followed by a time HH:MM[:SS] [AM/PM]'
)
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", "T%H:%M", "T%H:%M:%S")


def _parse_with(values: pd.Series, formats: list[str]) -> pd.Series:
    """Try each explicit format in turn on the values still unparsed (each pass is vectorised)."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = np.arange(len(values))
    for fmt in formats:
        if not len(todo):
            break
        parsed = pd.to_datetime(values.iloc[todo], format=fmt, errors="coerce").to_numpy(dtype="datetime64[us]")
        ok = ~np.isnat(parsed)
        out[todo[ok]] = parsed[ok]
        todo = todo[~ok]
    return pd.Series(out, index=values.index)


def _parse_iso(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[us]")


def _day_month_formats(sep: str, order: str) -> list[str]:
    base = f"%d{sep}%m{sep}%Y" if order == "DMY" else f"%m{sep}%d{sep}%Y"
    return [base + t for t in _TIMES]


def date_column(
    raw: pd.Series, where: str, date_order: str | None, required: bool = False, not_after: pd.Timestamp | None = None
) -> pd.Series:
    """Parse a column of dates (blank cells become NaT).

    The style (ISO, DD.MM.YYYY, DD-MM-YYYY, MM/DD/YYYY) is recognised from the first filled cell,
    and the whole column is parsed with it. For day-and-month styles the order comes from the
    mapping's ``date_order``; without it, a value that reads as two different days (03/04/2025)
    fails rather than being guessed. ``not_after`` refuses dates in the future.
    """
    blank = (raw == "").to_numpy()
    if required and blank.any():
        raise CrmError(f"{where}, {rows_text(raw.index[blank])}: empty; a date is required in every row.")
    filled = raw[~blank]
    out = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[us]")
    if filled.empty:
        return pd.Series(out, index=raw.index)
    first = filled.iloc[0].strip()
    style = next((s for s, (rx, _) in DATE_STYLES.items() if rx.match(first)), None)
    if style is None:
        raise CrmError(f"{where}, {rows_text(filled.index[:1])}: '{first[:40]}' is not {EXPECTED_DATES}.")
    if style == "iso":
        parsed = _parse_iso(filled)
        if parsed.isna().any():  # surrounding spaces: strip only the cells that need it
            retry = filled[parsed.isna()].str.strip()
            parsed = parsed.fillna(_parse_iso(retry))
    elif style == "month":
        parsed = _parse_with(filled, ["%Y-%m"])
    else:
        sep = {"dot": ".", "dash": "-", "slash": "/"}[style]
        if date_order is not None:
            parsed = _parse_with(filled, _day_month_formats(sep, date_order))
        else:
            dmy = _parse_with(filled, _day_month_formats(sep, "DMY"))
            mdy = _parse_with(filled, _day_month_formats(sep, "MDY"))
            ambiguous = dmy.notna() & mdy.notna() & (dmy != mdy)
            if ambiguous.any():
                example = filled[ambiguous].iloc[0]
                d = dmy[ambiguous].iloc[0]
                m = mdy[ambiguous].iloc[0]
                raise CrmError(
                    f"{where}, {rows_text(filled.index[ambiguous])}: '{example}' could be "
                    f"{d:%d %B %Y} (day first) or {m:%d %B %Y} (month first). Say which: add "
                    f'date_order = "DMY" or date_order = "MDY" at the top of the mapping file.'
                )
            only_dmy, only_mdy = dmy.notna() & mdy.isna(), mdy.notna() & dmy.isna()
            if only_dmy.any() and only_mdy.any():
                raise CrmError(
                    f"{where}: day-first dates ({rows_text(filled.index[only_dmy], 2)}) and month-first "
                    f"dates ({rows_text(filled.index[only_mdy], 2)}) are mixed in one column."
                )
            parsed = dmy if only_dmy.any() else mdy
    bad = parsed.isna()
    if bad.any():
        shown = DATE_STYLES[style][1]
        if style != "iso" and date_order == "DMY":
            shown = shown.replace("MM/DD", "DD/MM")
        if style != "iso" and date_order == "MDY":
            shown = shown.replace("DD.MM", "MM.DD").replace("DD-MM", "MM-DD")
        raise CrmError(
            f"{where}, {rows_text(filled.index[bad])}: '{filled[bad].iloc[0][:40]}' is not a date in the "
            f"column's style {shown} (optionally with a time HH:MM). The first date of the column, "
            f"'{first[:40]}', set that style."
        )
    if not_after is not None:
        future = parsed > not_after
        if future.any():
            raise CrmError(
                f"{where}, {rows_text(filled.index[future])}: {parsed[future].iloc[0]:%Y-%m-%d} is in the "
                f"future (after {not_after:%Y-%m-%d}); an event in an export has already happened."
            )
    out[~blank] = parsed.to_numpy(dtype="datetime64[us]")
    return pd.Series(out, index=raw.index)


MAX_NUMBER = 1e15  # larger is no amount of money (and sums of a million of them would overflow)
_NUMBER_JUNK = re.compile(r"[\s$€£¥\u00a0\u202f]|USD|EUR|GBP")


def number_column(
    raw: pd.Series,
    where: str,
    decimal: str = ".",
    required: bool = False,
    minimum: float | None = 0.0,
    maximum: float | None = None,
    what: str = "a number",
) -> pd.Series:
    """Parse amounts such as 1200, 1,200.50, $1,200 (or 1.200,50 with decimal = ","); blank is NaN."""
    blank = raw == ""
    values = (
        pd.to_numeric(raw[~blank], errors="coerce")
        if decimal == "."
        else pd.Series(np.nan, index=raw.index[~blank], dtype="float64")
    )
    todo = values.isna()
    if todo.any():  # the slow path only for cells that are not plain numbers: 1,200 / $1,200 / spaces
        sub = raw[~blank][todo]
        spaces = sub.str.strip() == ""
        blank = blank | pd.Series(raw.index.isin(sub.index[spaces]), index=raw.index)
        text = sub[~spaces].str.replace(_NUMBER_JUNK, "", regex=True)
        thousands = "," if decimal == "." else "."
        grouped = text.str.fullmatch(r"-?\d{1,3}(" + re.escape(thousands) + r"\d{3})+(" + re.escape(decimal) + r"\d*)?")
        text = text.where(~grouped, text.str.replace(thousands, "", regex=False))
        if decimal != ".":
            text = text.str.replace(decimal, ".", regex=False)
        values = values[~values.index.isin(sub.index[spaces])].astype("float64")
        values.loc[text.index] = pd.to_numeric(text, errors="coerce").astype("float64")
    if required and blank.any():
        raise CrmError(f"{where}, {rows_text(raw.index[blank])}: empty; {what} is required in every row.")
    text = raw[~blank]
    # 'inf', 'Infinity', 1e309 and the like parse as infinite: not an amount anyone booked
    bad = values.isna() | ~np.isfinite(values.astype("float64")) | (values.abs() > MAX_NUMBER)
    if bad.any():
        hint = ' If the export uses a decimal comma, set decimal = "," in the mapping.' if decimal == "." else ""
        value = raw[~blank][bad].iloc[0][:40]
        if pd.notna(values[bad].iloc[0]):
            hint = f" It is infinite or larger than {MAX_NUMBER:,.0f}."
        raise CrmError(f"{where}, {rows_text(text.index[bad])}: '{value}' is not {what}.{hint}")
    if minimum is not None and (values < minimum).any():
        low = values < minimum
        raise CrmError(
            f"{where}, {rows_text(values.index[low])}: {raw[~blank][low].iloc[0]} is below {minimum:g}; "
            f"expected {what} of at least {minimum:g}."
        )
    if maximum is not None and (values > maximum).any():
        high = values > maximum
        raise CrmError(
            f"{where}, {rows_text(values.index[high])}: {raw[~blank][high].iloc[0]} is above {maximum:g}; "
            f"expected {what} of at most {maximum:g}."
        )
    out = pd.Series(np.nan, index=raw.index, dtype="float64")
    out.loc[values.index] = values.astype("float64")
    return out


_TRUE = {"true", "yes", "y", "1", "won", "x", "wahr", "ja", "oui", "sí", "si"}
_FALSE = {"false", "no", "n", "0", "", "falsch", "nein", "non"}


def bool_column(raw: pd.Series, where: str) -> pd.Series:
    """true/false, yes/no, 1/0 (any case); blank is false."""
    codes, uniques = pd.factorize(raw.str.strip().str.lower(), sort=False)
    truth = []
    for u in uniques:
        if u in _TRUE:
            truth.append(True)
        elif u in _FALSE:
            truth.append(False)
        else:
            bad = raw.str.strip().str.lower() == u
            raise CrmError(
                f"{where}, {rows_text(raw.index[bad])}: '{raw[bad].iloc[0][:40]}' is not yes/no "
                f"(expected true/false, yes/no or 1/0)."
            )
    return pd.Series(np.asarray(truth, dtype=bool)[codes] if len(uniques) else np.zeros(0, bool), index=raw.index)
