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
import difflib

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import DataError

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


def suggest(name: str, choices: list[str]) -> str:
    """' Did you mean 'X'?' using difflib, or a list of what there is."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.6)
    if close:
        return " Did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"
    shown = ", ".join(repr(c) for c in choices[:12]) + (" ..." if len(choices) > 12 else "")
    return f" The file has: {shown}." if choices else ""


@dataclass
class RawTable:
    """One export file as strings: ``frame`` is indexed by spreadsheet row number (first record = 2)."""

    path: Path
    frame: pd.DataFrame
    header: list[str]
    what: str  # "leads", "deals", "spend" or "revenue"

    @property
    def name(self) -> str:
        return self.path.name

    def where(self, column: str | None = None) -> str:
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
            raise CrmError(f"{where}, column '{column}' (mapped as {field}): the header (row 1) has it "
                           f"{len(places)} times (columns {', '.join(places)}); rename all but one.")
        if column in header:
            found[field] = column
        elif " ".join(column.split()).lower() in folded:
            found[field] = folded[" ".join(column.split()).lower()]
        elif field in required:
            hint = suggest(column, header)
            if len(header) == 1:
                other = [s for s in SEPARATORS if s in header[0]]
                if other:
                    hint += (f" The header is one single column: the file seems to be separated by "
                             f"{SEPARATOR_NAMES[other[0]]}s; set separator = '{other[0]}' in the mapping "
                             f"or leave it out to detect it.")
            raise CrmError(f"{where}, column '{column}' (mapped as {field}): no such column in the header (row 1)."
                           + hint)
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
                bad = line[exc.start:exc.start + 4]
                fields = next(csv.reader([line.decode("utf-8", errors="replace")], delimiter=sep), [])
                col = next((i for i, f in enumerate(fields) if "\ufffd" in f), None)
                column = f", column '{header[col]}'" if col is not None and col < len(header) else ""
                return (f"{path.name}{column}, row {number}: bytes {bad!r} are not UTF-8. Export the file as "
                        f"UTF-8 (in Excel: 'CSV UTF-8'), or re-save it in a text editor as UTF-8.")
            if number == 1:
                header = next(csv.reader([text.rstrip("\r\n")], delimiter=sep), [])
    return f"{path.name}: the file is not UTF-8 text. Export it as UTF-8 (in Excel: 'CSV UTF-8')."


def read_csv_export(path: Path, what: str, wanted: dict[str, str], required: set[str],
                    separator: str | None = None, names: set[str] = frozenset()) -> tuple[RawTable, dict[str, str]]:
    """Read only the mapped columns of a CSV export, as strings; blank cells are ''."""
    _check_file(path, what)
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
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
        frame = pd.read_csv(path, sep=sep, dtype=dtypes, keep_default_na=False, na_filter=False, engine="c",
                            usecols=lambda c: c.strip() in usecols, encoding="utf-8-sig", quotechar='"')
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
        raise CrmError(f"{path.name}{row}: the {what} file cannot be split into columns with the "
                       f"{SEPARATOR_NAMES.get(sep, repr(sep))} separator ({detail}). Check for a stray "
                       f"separator or quote, or set separator in the mapping.") from None
    frame.columns = [c.strip() for c in frame.columns]
    frame.index = pd.RangeIndex(2, 2 + len(frame))
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


def read_excel_export(path: Path, what: str, wanted: dict[str, str], required: set[str],
                      sheet: str | None = None) -> tuple[RawTable, dict[str, str]]:
    """Read a sheet of an .xlsx export (the first sheet unless the mapping names one), as strings."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_file(path, what)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise CrmError(f"{path.name}: not a readable Excel .xlsx workbook ({exc.__class__.__name__}). "
                       f"Save it again as .xlsx, or export CSV.") from None
    try:
        names = book.sheetnames
        if not names:
            raise CrmError(f"{path.name}: the workbook has no sheet; the {what} need a sheet with a header row.")
        if sheet is not None and sheet not in names:
            raise CrmError(f"{path.name}: no sheet named '{sheet}' (mapping {what}.sheet)."
                           + suggest(sheet, names).replace("The file has", "The workbook has the sheets"))
        ws = book[sheet] if sheet is not None else book[names[0]]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            raise CrmError(f"{path.name}, sheet '{ws.title}': row 1 is empty; the {what} need a header row "
                           f"with column names.")
        header = [_cell_text(v).strip() for v in first]
        columns = resolve_columns(wanted, header, f"{path.name}, sheet '{ws.title}'", required)
        positions = {c: header.index(c) for c in set(columns.values())}
        data: dict[str, list[str]] = {c: [] for c in positions}
        numbers: list[int] = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None for v in values):
                continue
            numbers.append(number)
            for c, i in positions.items():
                data[c].append(_cell_text(values[i]) if i < len(values) else "")
    finally:
        book.close()
    frame = pd.DataFrame(data, index=pd.Index(numbers, dtype="int64"), dtype=object)
    table = RawTable(path, frame, header, what)
    _require_rows(table)
    return table, columns


def _require_rows(table: RawTable) -> None:
    if len(table.frame) == 0:
        raise CrmError(f"{table.name}: the {table.what} file has a header (row 1) but no records; "
                       f"export it again with its rows.")


def read_export(path: Path, what: str, wanted: dict[str, str], required: set[str],
                separator: str | None = None, sheet: str | None = None,
                names: set[str] = frozenset()) -> tuple[RawTable, dict[str, str]]:
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
    """A cell longer than MAX_CELL_CHARS in an id, stage or source column is refused."""
    lengths = raw.str.len()
    long = lengths > MAX_CELL_CHARS
    if long.any():
        raise CrmError(f"{where}, {rows_text(raw.index[long])}: a cell of {int(lengths[long].iloc[0]):,} characters; "
                       f"expected at most {MAX_CELL_CHARS:,}. A quote that is opened and never closed makes "
                       f"many rows run into one cell — check the row before it.")


def text_column(raw: pd.Series, where: str, required: bool) -> pd.Series:
    """Names (sources, campaigns, stages) as a categorical column, trimmed and with single spaces;
    blank cells become ''. Required columns must have a value in every row."""
    check_length(raw, where)
    codes, uniques = pd.factorize(raw, sort=False)
    cleaned = np.array([" ".join(str(u).split()) for u in uniques], dtype=object)
    names, inverse = np.unique(cleaned, return_inverse=True) if len(cleaned) else (np.array([], object), codes)
    out = pd.Series(pd.Categorical.from_codes(inverse[codes] if len(cleaned) else codes, categories=names),
                    index=raw.index)
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
EXPECTED_DATES = ("a date as YYYY-MM-DD, DD.MM.YYYY, DD-MM-YYYY or MM/DD/YYYY (DD/MM/YYYY with "
                  "date_order = \"DMY\"), optionally followed by a time HH:MM[:SS] [AM/PM]")
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


def date_column(raw: pd.Series, where: str, date_order: str | None, required: bool = False,
                not_after: pd.Timestamp | None = None) -> pd.Series:
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
                raise CrmError(f"{where}, {rows_text(filled.index[ambiguous])}: '{example}' could be "
                               f"{d:%d %B %Y} (day first) or {m:%d %B %Y} (month first). Say which: add "
                               f"date_order = \"DMY\" or date_order = \"MDY\" at the top of the mapping file.")
            only_dmy, only_mdy = dmy.notna() & mdy.isna(), mdy.notna() & dmy.isna()
            if only_dmy.any() and only_mdy.any():
                raise CrmError(f"{where}: day-first dates ({rows_text(filled.index[only_dmy], 2)}) and month-first "
                               f"dates ({rows_text(filled.index[only_mdy], 2)}) are mixed in one column.")
            parsed = dmy if only_dmy.any() else mdy
    bad = parsed.isna()
    if bad.any():
        shown = DATE_STYLES[style][1]
        if style != "iso" and date_order == "DMY":
            shown = shown.replace("MM/DD", "DD/MM")
        if style != "iso" and date_order == "MDY":
            shown = shown.replace("DD.MM", "MM.DD").replace("DD-MM", "MM-DD")
        raise CrmError(f"{where}, {rows_text(filled.index[bad])}: '{filled[bad].iloc[0][:40]}' is not a date in the "
                       f"column's style {shown} (optionally with a time HH:MM). The first date of the column, "
                       f"'{first[:40]}', set that style.")
    if not_after is not None:
        future = parsed > not_after
        if future.any():
            raise CrmError(f"{where}, {rows_text(filled.index[future])}: {parsed[future].iloc[0]:%Y-%m-%d} is in the "
                           f"future (after {not_after:%Y-%m-%d}); an event in an export has already happened.")
    out[~blank] = parsed.to_numpy(dtype="datetime64[us]")
    return pd.Series(out, index=raw.index)


_NUMBER_JUNK = re.compile(r"[\s$€£¥\u00a0\u202f]|USD|EUR|GBP")


def number_column(raw: pd.Series, where: str, decimal: str = ".", required: bool = False,
                  minimum: float | None = 0.0, maximum: float | None = None, what: str = "a number") -> pd.Series:
    """Parse amounts such as 1200, 1,200.50, $1,200 (or 1.200,50 with decimal = ","); blank is NaN."""
    blank = raw.str.strip() == ""
    if required and blank.any():
        raise CrmError(f"{where}, {rows_text(raw.index[blank])}: empty; {what} is required in every row.")
    text = raw[~blank].str.replace(_NUMBER_JUNK, "", regex=True)
    thousands = "," if decimal == "." else "."
    grouped = text.str.fullmatch(r"-?\d{1,3}(" + re.escape(thousands) + r"\d{3})+(" + re.escape(decimal) + r"\d*)?")
    text = text.where(~grouped, text.str.replace(thousands, "", regex=False))
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna()
    if bad.any():
        hint = " If the export uses a decimal comma, set decimal = \",\" in the mapping." if decimal == "." else ""
        raise CrmError(f"{where}, {rows_text(text.index[bad])}: '{raw[~blank][bad].iloc[0][:40]}' is not {what}.{hint}")
    if minimum is not None and (values < minimum).any():
        low = values < minimum
        raise CrmError(f"{where}, {rows_text(values.index[low])}: {raw[~blank][low].iloc[0]} is below {minimum:g}; "
                       f"expected {what} of at least {minimum:g}.")
    if maximum is not None and (values > maximum).any():
        high = values > maximum
        raise CrmError(f"{where}, {rows_text(values.index[high])}: {raw[~blank][high].iloc[0]} is above {maximum:g}; "
                       f"expected {what} of at most {maximum:g}.")
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
            raise CrmError(f"{where}, {rows_text(raw.index[bad])}: '{raw[bad].iloc[0][:40]}' is not yes/no "
                           f"(expected true/false, yes/no or 1/0).")
    return pd.Series(np.asarray(truth, dtype=bool)[codes] if len(uniques) else np.zeros(0, bool), index=raw.index)


