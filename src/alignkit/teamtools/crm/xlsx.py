"""A small, fast and bounded reader for the sheets of an ``.xlsx`` export.

openpyxl reads a cell at a time in Python with its styles and types, which made a 9 MB workbook
take minutes, and a sheet that declares a huge size allocate for it. This reader streams the sheet's
XML in pieces and cuts it into rows and cells with regular expressions (the sheet part of a workbook
is a flat list of ``<row>`` and ``<c>`` elements; the workbook, its relationships and styles, which
are small, go through the standard library's XML parser), keeps only the columns asked for, never
pads rows to a declared size, and turns cells into the same text openpyxl gave (dates by their
number format, as ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``; whole numbers without ``.0``;
booleans as ``true``/``false``). Reading a workbook that would unpack to far more than its size is
refused before this runs (see :func:`alignkit.teamtools.crm.read._check_workbook_size`).

The standard library's expat refuses external entities and, from expat 2.4.1, limits entity
expansion ("billion laughs"), so a hostile workbook cannot make the parser fetch or grow anything.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from collections.abc import Generator, Iterator
from xml.etree.ElementTree import iterparse

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# built-in number formats that show a date or a time (ECMA-376 part 1, 18.8.30)
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DATE_CODE = re.compile(r"[dmyhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[(?!h\]|m\]|s\])[^\]]*\]', re.I)
_P = r"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:row)
_ROW = re.compile(rf"<{_P}row\b([^>]*?)(?:/>|>(.*?)</{_P}row\s*>)", re.S)
_ROW_START = re.compile(rf"<{_P}row\b")
_CELL = re.compile(rf"<{_P}c\b([^>]*?)(?:/>|>(.*?)</{_P}c\s*>)", re.S)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_V = re.compile(rf"<{_P}v(?:\s[^>]*)?>(.*?)</{_P}v\s*>", re.S)
_T = re.compile(rf"<{_P}t(?:\s[^>]*)?>(.*?)</{_P}t\s*>", re.S)
_SI = re.compile(rf"<{_P}si(?:\s[^>]*)?>(.*?)</{_P}si\s*>|<{_P}si\s*/>", re.S)
_RPH = re.compile(rf"<{_P}rPh\b.*?</{_P}rPh\s*>", re.S)
# the cells as Excel, openpyxl and most exporters write them (attributes r, s, t in this order):
# one C-level findall per piece of XML; anything else goes through the general path
_FAST_CELL = re.compile(
    r'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?>'
    r'(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>|<f>[^<]*</f><v>([^<]*)</v>)'
    r'</c>|<c r="[A-Z]{1,3}\d+"[^>]*/>'
)
_ANY_CELL = re.compile(rf"<{_P}c[\s>/]")
_END = re.compile(rf"</{_P}worksheet\s*>\s*$")
MAX_ROW_BYTES = 64 << 20  # one row of more XML than this is not a row of an export
PIECE = 4 << 20


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).rsplit(":", 1)[-1]: (m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTR.finditer(text)
    }


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _texts(xml: str) -> str:
    """The joined <t> texts of a string item (phonetic guides removed), entities decoded."""
    if "rPh" in xml:
        xml = _RPH.sub("", xml)
    return _unescape("".join(_T.findall(xml)))


def _pieces(stream) -> Iterator[str]:
    """The part's text in pieces, each ending at a '>' so no tag is cut in two."""
    rest = b""
    while True:
        block = stream.read(PIECE)
        if not block:
            if rest:
                yield rest.decode("utf-8")
            return
        block = rest + block
        cut = block.rfind(b">") + 1
        if cut == 0:
            rest = block
            if len(rest) > MAX_ROW_BYTES:
                raise ValueError("an element of more than 64 MB")
            continue
        rest = block[cut:]
        yield block[:cut].decode("utf-8")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _is_date_code(code: str) -> bool:
    """A custom number format that shows a date or time: d, m, y, h or s outside quotes and colours."""
    return bool(_DATE_CODE.search(_QUOTED.sub("", code.split(";")[0])))


def column_index(ref: str) -> int:
    """'A1' -> 0, 'AB7' -> 27 (the letters of a cell reference)."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n - 1


class Workbook:
    """The sheets, shared strings and date styles of one workbook (read lazily, sheet by sheet)."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        names = set(self.zip.namelist())
        self.sheets: dict[str, str] = {}  # title -> part name
        rels = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for _, el in iterparse(self.zip.open("xl/_rels/workbook.xml.rels")):
                if _local(el.tag) == "Relationship":
                    target = el.get("Target", "")
                    rels[el.get("Id")] = (
                        target.lstrip("/")
                        if target.startswith("/")
                        else posixpath.normpath(posixpath.join("xl", target))
                    )
        self.date1904 = False
        for _, el in iterparse(self.zip.open("xl/workbook.xml")):
            tag = _local(el.tag)
            if tag == "sheet":
                rid = el.get(f"{{{REL_NS}}}id") or el.get("id")
                self.sheets[el.get("name", "")] = rels.get(rid, f"xl/worksheets/sheet{len(self.sheets) + 1}.xml")
            elif tag == "workbookPr" and el.get("date1904") in ("1", "true"):
                self.date1904 = True
        self.names = names
        self._strings: list[str] | None = None
        self._date_styles: set[int] | None = None

    def close(self) -> None:
        """Close the workbook's file."""
        self.zip.close()

    @property
    def strings(self) -> list[str]:
        """The workbook's shared strings, in order (read on first use, then kept)."""
        if self._strings is None:
            out: list[str] = []
            part = "xl/sharedStrings.xml"
            if part in self.names:
                buffer = ""
                for piece in _pieces(self.zip.open(part)):
                    buffer += piece
                    end = 0
                    for m in _SI.finditer(buffer):
                        out.append(_texts(m.group(1)) if m.group(1) is not None else "")
                        end = m.end()
                    buffer = buffer[end:]
                    if len(buffer) > MAX_ROW_BYTES:
                        raise ValueError("a shared string of more than 64 MB")
            self._strings = out
        return self._strings

    @property
    def date_styles(self) -> set[int]:
        """Indexes of the cell formats (``s`` of a cell) that show dates."""
        if self._date_styles is None:
            custom: dict[int, str] = {}
            styles: set[int] = set()
            if "xl/styles.xml" in self.names:
                in_xfs, index = False, 0
                for event, el in iterparse(self.zip.open("xl/styles.xml"), events=("start", "end")):
                    tag = _local(el.tag)
                    if tag == "numFmt" and event == "end":
                        try:
                            custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
                        except ValueError:
                            pass
                    elif tag == "cellXfs":
                        in_xfs = event == "start"
                    elif tag == "xf" and in_xfs and event == "end":
                        try:
                            fid = int(el.get("numFmtId", "0"))
                        except ValueError:
                            fid = 0
                        if fid in DATE_FORMAT_IDS or (fid in custom and _is_date_code(custom[fid])):
                            styles.add(index)
                        index += 1
            self._date_styles = styles
        return self._date_styles

    def _date_text(self, serial: float) -> str:
        base = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)
        when = base + dt.timedelta(days=serial)
        when = when.replace(microsecond=0) + dt.timedelta(seconds=round(when.microsecond / 1e6))
        return (
            f"{when:%Y-%m-%d}" if when.time() == dt.time(0) and serial == int(serial) else f"{when:%Y-%m-%d %H:%M:%S}"
        )

    def _value(self, kind: str, style: str, value: str, strings_ref: list) -> str:
        if kind == "s":
            if strings_ref[0] is None:
                strings_ref[0] = self.strings
            try:
                return strings_ref[0][int(value)]
            except (ValueError, IndexError):
                raise ValueError(f"shared string {value!r} does not exist") from None
        if kind == "b":
            return "true" if value.strip() in ("1", "true") else "false"
        if kind in ("n", "") and value != "":
            number_value = float(value)
            if style and style.isdigit() and int(style) in self.date_styles:
                return self._date_text(number_value)
            if number_value.is_integer() and abs(number_value) < 1e16:
                return str(int(number_value))
            return repr(number_value)
        return _unescape(value)

    def columns(self, title: str, positions: set[int], width: int) -> tuple[list[int], dict[int, list[str]]]:
        """The rows after row 1 that hold any value in their first ``width`` columns, and the texts of
        the columns at ``positions`` (0-based) in those rows ('' where blank). Fast for the usual
        layout of cells; a piece of the sheet written otherwise is read cell by cell with
        :meth:`rows`'s general path."""
        numbers: list[int] = []
        data: dict[int, list[str]] = {p: [] for p in positions}
        letters = {}
        for p in positions:
            name, k = "", p + 1
            while k:
                k, rem = divmod(k - 1, 26)
                name = chr(65 + rem) + name
            letters[name] = p
        strings_ref: list = [None]
        current, row_values = 0, dict[int, str]()
        known: dict[str, int] = {}

        def flush():
            if current > 1 and row_values is not None:
                numbers.append(current)
                for p in positions:
                    data[p].append(row_values.get(p, ""))

        seen_value = False
        tail = ""
        buffer = ""
        for piece in _pieces(self.zip.open(self.sheets[title])):
            buffer += piece
            tail = (tail + piece)[-256:]
            cut = buffer.rfind("</row>")
            if cut < 0:
                if len(buffer) > MAX_ROW_BYTES:
                    raise ValueError("a row of more than 64 MB")
                continue
            text, buffer = buffer[: cut + 6], buffer[cut + 6 :]
            found = _FAST_CELL.findall(text)
            if len(found) != len(_ANY_CELL.findall(text)):  # another layout: the general path for this piece
                found = []
                for number, values in _general_rows(self, text, strings_ref):
                    for i, v in enumerate(values):
                        if v != "":
                            found.append((i, number, v))
                for pos, number, value in found:
                    if pos >= width:
                        continue
                    if number != current:
                        if seen_value:
                            flush()
                        current, row_values, seen_value = number, {}, False
                    seen_value = True
                    if pos in positions:
                        row_values[pos] = value
                continue
            for col, row, style, kind, v, inline, formula in found:
                if not row:  # an empty self-closing cell
                    continue
                value = v or inline or formula
                if value == "" and not inline:
                    continue
                at = known.get(col)
                if at is None:
                    at = known[col] = column_index(col)
                if at >= width:
                    continue
                number = int(row)
                if number != current:
                    if seen_value:
                        flush()
                    current, row_values, seen_value = number, {}, False
                pos = letters.get(col)
                if kind == "inlineStr":
                    value = _unescape(inline)
                    if value == "":
                        continue
                    seen_value = True
                    if pos is not None:
                        row_values[pos] = value
                    continue
                seen_value = True
                if pos is not None:
                    row_values[pos] = self._value(kind, style, value, strings_ref)
        if seen_value:
            flush()
        if not _END.search(tail):
            raise ValueError("the sheet's XML is cut short (no closing </worksheet>)")
        return numbers, data

    def rows(self, title: str, width: int | None = None) -> Generator[tuple[int, list[str]], None, None]:
        """(row number, cell texts) for each row of a sheet that holds a cell, left to right; cells at
        or beyond ``width`` columns are ignored; a missing cell is ''."""
        strings = None
        dates = self.date_styles
        number = 0
        buffer = ""
        tail = ""
        for piece in _pieces(self.zip.open(self.sheets[title])):
            buffer += piece
            tail = (tail + piece)[-256:]
            end = 0
            for row in _ROW.finditer(buffer):
                end = row.end()
                r = _attrs(row.group(1)).get("r")
                number = int(r) if r and r.isdigit() else number + 1
                body = row.group(2)
                if not body:
                    continue
                cells: dict[int, str] = {}
                position = -1
                for cell in _CELL.finditer(body):
                    attrs = _attrs(cell.group(1))
                    ref = attrs.get("r")
                    position = column_index(ref) if ref else position + 1
                    if width is not None and position >= width:
                        continue
                    inner = cell.group(2)
                    if not inner:
                        continue
                    kind = attrs.get("t", "n")
                    if kind == "inlineStr":
                        value = _texts(inner)
                    else:
                        v = _V.search(inner)
                        if v is None:
                            continue
                        value = _unescape(v.group(1))
                    if kind == "s":
                        if strings is None:
                            strings = self.strings
                        try:
                            value = strings[int(value)]
                        except (ValueError, IndexError):
                            raise ValueError(
                                f"cell {ref or position}: shared string {value!r} does not exist"
                            ) from None
                    elif kind == "b":
                        value = "true" if value.strip() in ("1", "true") else "false"
                    elif kind == "n" and value != "":
                        number_value = float(value)
                        style = attrs.get("s")
                        if style is not None and style.isdigit() and int(style) in dates:
                            value = self._date_text(number_value)
                        elif number_value.is_integer() and abs(number_value) < 1e16:
                            value = str(int(number_value))
                        else:
                            value = repr(number_value)
                    cells[position] = value
                if cells and any(v != "" for v in cells.values()):
                    size = max(cells) + 1
                    yield number, [cells.get(i, "") for i in range(size)]
            buffer = buffer[end:]
            if len(buffer) > MAX_ROW_BYTES:
                raise ValueError("a row of more than 64 MB")
            start = _ROW_START.search(buffer)
            if start is None:  # nothing of a row left: keep only a tail that could begin one
                buffer = buffer[-64:]
        if not _END.search(tail):
            raise ValueError("the sheet's XML is cut short (no closing </worksheet>)")


def _general_rows(book: Workbook, text: str, strings_ref: list) -> Iterator[tuple[int, list[str]]]:
    """Rows of a piece of sheet XML, any attribute order or prefix (the general path)."""
    number = 0
    for row in _ROW.finditer(text):
        r = _attrs(row.group(1)).get("r")
        number = int(r) if r and r.isdigit() else number + 1
        cells: dict[int, str] = {}
        position = -1
        for cell in _CELL.finditer(row.group(2) or ""):
            attrs = _attrs(cell.group(1))
            ref = attrs.get("r")
            position = column_index(ref) if ref else position + 1
            inner = cell.group(2)
            if not inner:
                continue
            kind = attrs.get("t", "n")
            if kind == "inlineStr":
                value = _texts(inner)
            else:
                v = _V.search(inner)
                if v is None:
                    continue
                value = book._value(kind, attrs.get("s", ""), v.group(1), strings_ref)
            cells[position] = value
        if cells:
            yield number, [cells.get(i, "") for i in range(max(cells) + 1)]
