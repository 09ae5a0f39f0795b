"""A table's data rows written as XML text straight into a write-only sheet's stream.

openpyxl turns every value into a cell object and serialises it through ElementTree: three
quarters of the workbook's time. Here a row of values becomes its ``<row>`` element in one
pass, with the same attributes and value text as openpyxl writes (inline strings, ``%.16g``
numbers, date serials, named style ids, the quote prefix as a style), and the same pass
measures what each column shows, for its width.

Write-only mode writes a sheet's column widths before its first row, so the rows are made
first, into a temporary file, and copied into the sheet's stream after the header rows. A row
with a value of another kind (a float that is not finite, a date without a date format) is
made by openpyxl's own row writer, into the same file. Only with openpyxl's own XML writer
(et_xmlfile); with lxml installed openpyxl writes through lxml, and :func:`usable` says no.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any, TextIO
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml import LXML
from openpyxl.xml.functions import xmlfile

from woonplan.excel.cells import FORMULA_START, Cells, cell_text, shown_length
from woonplan.excel.columns import Value
from woonplan.excel.styles import MAX_CELL_TEXT, STYLE_NAMES, WRAPPED_STYLE, Sheet

_ODD = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""A character that :func:`cell_text` replaces or XML escapes; text without one (and not
longer than a cell holds) is written as it is."""
_FIRST, _REST = ("rows",), ("written",)
"""What :meth:`RowWriter.append_to` appends: the first stands for all the rows, the others
only count (openpyxl numbers the rows it is given)."""


CACHED_TEXTS = 2_000
"""Texts remembered per column (a column of ids or messages stops growing there)."""


def usable() -> bool:
    """Whether rows can be written as text: openpyxl writes XML with et_xmlfile, not lxml."""
    return not LXML


def _number_length(value: float | int | None, decimal: bool) -> int:
    """:func:`shown_length` of a number (0 for None)."""
    if value is None:
        return 0
    return len(f"{value:,.1f}") if decimal else len(f"{value:,}")


class RowWriter:
    """One table's data rows: made with :meth:`render`, written with :meth:`append_to`.

    While rendering it keeps, per column, the longest text (or other value) shown and the
    smallest and largest whole and decimal number: a number's shown length grows with its
    size (and a minus sign), so those four give the longest number without formatting each.
    """

    def __init__(self, ws: Sheet, cells: Cells, columns: int) -> None:
        self.ws = ws
        self.cells = cells
        self.letters = [get_column_letter(i + 1) for i in range(columns)]
        self.epoch = ws.parent.epoch
        self.style_attrs: dict[tuple[str | None, bool], str] = {}
        self.number_styles: dict[str | None, str] = {}
        self.text_cache: list[dict[Any, str]] = [{} for _ in range(columns)]
        self.longest = [0] * columns
        self.whole: list[list[int]] = [[] for _ in range(columns)]
        """Per column: [smallest, largest] whole number, or empty."""
        self.decimal: list[list[float]] = [[] for _ in range(columns)]
        # closed by __exit__ (a RowWriter is used as a context manager)
        self.body: TextIO = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.body.close()

    def render(
        self, rows: Sequence[Sequence[Value]], formats: Sequence[Sequence[str | None]], first: int
    ) -> None:
        """Make the rows' XML, numbered from ``first``, into the temporary file."""
        write = self.body.write
        for index, (values, row_formats) in enumerate(zip(rows, formats, strict=True), first):
            text = self._xml(values, row_formats, index)
            if text is None:
                text = self._openpyxl_row(values, row_formats, index)
            write(text)

    def lengths(self) -> list[int]:
        """Per column, the longest value shown (as :func:`shown_length` measures it)."""
        return [
            max(
                [
                    longest,
                    *(_number_length(v, False) for v in whole),
                    *(_number_length(v, True) for v in decimal),
                ]
            )
            for longest, whole, decimal in zip(self.longest, self.whole, self.decimal, strict=True)
        ]

    def append_to(self, count: int) -> None:
        """Write the rendered rows into the sheet's stream as its next ``count`` rows."""
        if not count:
            return
        ws = self.ws
        body = self.body

        def write(xf: Any, row: tuple[Any, ...], index: int) -> None:
            if row is _FIRST:
                body.seek(0)
                while chunk := body.read(1 << 20):
                    xf._file(chunk)

        # instance attributes: the sheet's row loop looks both up for every row
        ws._values_to_row = lambda row, index: row
        ws._writer.write_row = write
        try:
            ws.append(_FIRST)
            for _ in range(count - 1):
                ws.append(_REST)
        finally:
            del ws._values_to_row
            del ws._writer.write_row

    def _style(self, name: str | None, quoted: bool = False) -> str:
        """The ``s`` attribute of a cell in named style ``name``, with a quote prefix or not."""
        key = (name, quoted)
        attr = self.style_attrs.get(key)
        if attr is None:
            probe = WriteOnlyCell(self.ws)
            if name is not None:
                probe.style = name
            if quoted:
                probe.quotePrefix = True
            attr = f' s="{probe.style_id}"' if probe.has_style else ""
            self.style_attrs[key] = attr
        return attr

    def _number_style(self, number_format: str | None) -> str:
        """The ``s`` attribute of a number in ``number_format`` (kept in ``number_styles``)."""
        style = "" if number_format is None else self._style(STYLE_NAMES[number_format])
        self.number_styles[number_format] = style
        return style

    def _openpyxl_row(
        self, values: Sequence[Value], formats: Sequence[str | None], index: int
    ) -> str:
        """One row as openpyxl writes it, for values this writer does not make itself."""
        for column, value in enumerate(values):
            self.longest[column] = max(self.longest[column], shown_length(value))
        cells = self.ws._values_to_row(self.cells.row(values, formats), index)
        buffer = io.BytesIO()
        with xmlfile(buffer) as xf:
            # the sheet's own writer exists only once its first row is appended
            WorksheetWriter.write_row(SimpleNamespace(ws=self.ws), xf, cells, index)  # type: ignore[arg-type]
        return buffer.getvalue().decode("utf-8")

    def _text(self, text: str, number_format: str | None, column: int) -> str:
        """A text cell after its reference (``<c r="A3"`` and then this); its width counted."""
        quoted = text != text.strip() or text.startswith(FORMULA_START)
        if column in self.cells.wrap_columns:
            style = self._style(WRAPPED_STYLE, quoted)
        elif number_format is not None or quoted:
            # a named style for text (a verdict's colour); the quote prefix marks it as text:
            # never a formula when edited in Excel or LibreOffice
            style = self._style(number_format, quoted)
        else:
            style = ""
        shown = max(map(len, text.split("\n"))) if "\n" in text else len(text)
        if shown > self.longest[column]:
            self.longest[column] = shown
        if len(text) > MAX_CELL_TEXT or _ODD.search(text):
            text = cell_text(text)
            xml = escape(text)
        else:
            xml = text
        if not text:
            return f'{style} t="inlineStr"/>'
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        return f'{style} t="inlineStr"><is><t{space}>{xml}</t></is></c>'

    def _xml(
        self, values: Sequence[Value], formats: Sequence[str | None], index: int
    ) -> str | None:
        parts = [f'<row r="{index}">']
        add = parts.append
        letters, longest = self.letters, self.longest
        number_styles, text_cache = self.number_styles, self.text_cache
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            if value is None:
                continue
            kind = value.__class__
            if kind is not str and kind is not int and kind is not float and kind is not bool:
                value, kind = _plain(value)
            if kind is str:
                # a text is often repeated in its column (a criterion's id, title, status):
                # its cell after the reference is made once
                cache = text_cache[column]
                key = value if number_format is None else (value, number_format)
                cell = cache.get(key)
                if cell is None:
                    cell = self._text(value, number_format, column)  # type: ignore[arg-type]
                    if len(cache) < CACHED_TEXTS:
                        cache[key] = cell
                add(f'<c r="{letters[column]}{index}"{cell}')
            elif kind is bool:
                shown = 4 if value else 5
                if shown > longest[column]:
                    longest[column] = shown
                add(f'<c r="{letters[column]}{index}" t="b"><v>{1 if value else 0}</v></c>')
            elif kind is int or kind is float:
                if kind is float:
                    if not math.isfinite(value):  # type: ignore[arg-type]
                        return None
                    _extremes(self.decimal[column], value)  # type: ignore[arg-type]
                else:
                    _extremes(self.whole[column], value)  # type: ignore[arg-type]
                number_style = number_styles.get(number_format)
                if number_style is None:
                    number_style = self._number_style(number_format)
                add(f'<c r="{letters[column]}{index}"{number_style} t="n"><v>{value:.16g}</v></c>')
            elif number_format is not None and is_date_format(number_format):
                shown = shown_length(value)
                if shown > longest[column]:
                    longest[column] = shown
                serial: float = to_excel(value, self.epoch)  # type: ignore[no-untyped-call]
                style = self._style(STYLE_NAMES[number_format])
                add(f'<c r="{letters[column]}{index}"{style} t="n"><v>{serial:.16g}</v></c>')
            else:
                return None
        add("</row>")
        return "".join(parts)


def _plain(value: Any) -> tuple[Any, type]:
    """A subclass of str, bool, int or float as the plain value (written the same), and its
    kind; any other value as it is."""
    if isinstance(value, str):
        return str.__str__(value), str
    for kind in (int, float):  # bool has no subclasses
        if isinstance(value, kind):
            return kind(value), kind
    return value, value.__class__


def _extremes(pair: list[Any], value: float) -> None:
    """Keep ``pair`` as [smallest, largest] of the values seen, -0.0 before 0.0 (its "-0.0"
    is one character longer)."""
    if not pair:
        pair += [value, value]
    elif value < pair[0] or (value == 0 == pair[0] and math.copysign(1.0, value) < 0):
        pair[0] = value
    elif value > pair[1]:
        pair[1] = value
