"""Text as a cell can hold it, and rows turned into openpyxl's write-only cells.

:class:`Cells` is the ordinary path (header rows, the rows below a table, and any row the
fast writer in :mod:`woonplan.excel.rows` hands back); both paths write the same cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from woonplan.excel.columns import Value
from woonplan.excel.styles import MAX_CELL_TEXT, STYLE_NAMES, WRAPPED_STYLE, Sheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these could be taken for a formula by a spreadsheet program."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\ufffe\uffff]")
"""Characters XML 1.0 does not allow that openpyxl's ILLEGAL_CHARACTERS_RE lets through
(a plan file can hold them as a YAML escape, ``"\\uffff"``)."""


def quoted(text: str) -> bool:
    """Whether ``text`` is written with a quote prefix: it could be taken for a formula, or
    has blanks around it."""
    return text != text.strip() or text.startswith(FORMULA_START)


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it, and ``woonplan import`` reads it back.

    A carriage return is written as ``_x000D_``, as Excel writes it (XML turns a raw one into
    a line feed); a file name that is not UTF-8 (lone surrogates) as ``\\udcff``, since XML
    cannot hold it; other characters xlsx cannot hold as ``\\ufffd``; then cut to Excel's limit.
    """
    if "\r" in text:
        text = text.replace("\r", "_x000D_")
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    text = _NOT_XML.sub("\ufffd", text)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_CELL_TEXT]


def shown_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return max(len(line) for line in str(value).split("\n"))


class Cells:
    """Turns values into what a write-only sheet appends: plain values where they need no
    style, else one styled cell per column and style, its value replaced row by row (a
    write-only sheet writes each row out before the next is made)."""

    def __init__(self, ws: Sheet, wrap_columns: set[int]) -> None:
        self.ws = ws
        self.wrap_columns = wrap_columns
        self.styled: dict[tuple[int, str], Cell] = {}

    def text(self, text: str, style: str) -> Cell:
        """A header cell: ``text`` (always text) in the named ``style``."""
        cell = WriteOnlyCell(self.ws, cell_text(text))
        cell.data_type = "s"
        cell.style = style
        cell.quotePrefix = quoted(text)
        return cell

    def row(self, values: Sequence[Value], formats: Sequence[str | None]) -> list[Any]:
        out: list[Any] = []
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            if value is None:
                out.append(None)
            elif isinstance(value, str):
                text = cell_text(value)
                prefixed = quoted(value)
                if column in self.wrap_columns or prefixed or number_format is not None:
                    # Text such as "=HYPERLINK(...)" would otherwise be stored as a formula.
                    cell = WriteOnlyCell(self.ws, text)
                    cell.data_type = "s"
                    if column in self.wrap_columns:
                        cell.style = WRAPPED_STYLE
                    elif number_format is not None:
                        cell.style = number_format  # a named style for text (a verdict's colour)
                    if prefixed:
                        # Marked as text (Excel's leading apostrophe): never a formula when
                        # edited in Excel or LibreOffice; `woonplan import` reads it as written.
                        cell.quotePrefix = True
                    out.append(cell)
                else:
                    out.append(text)
            elif number_format is None or isinstance(value, bool):
                out.append(value)
            else:
                key = (column, number_format)
                styled = self.styled.get(key)
                if styled is None:
                    styled = self.styled[key] = WriteOnlyCell(self.ws)
                    styled.style = STYLE_NAMES[number_format]
                styled.value = value
                out.append(styled)
        return out
