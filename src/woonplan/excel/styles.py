"""The workbook's named styles: number formats, headers, wrapped text and verdict colours.

A number format is a named style shared by a whole column (visible in Excel's cell styles), so
no cell carries a style object of its own.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

WHOLE, DECIMAL, SHARE, SCORE = "#,##0", "#,##0.0", "0.0%", "0.0"
DATE = "yyyy-mm-dd"
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell; longer text is cut (docs/excel.md)."""

RATIO = "0.000"

STYLE_NAMES = {
    WHOLE: "Homes",
    DECIMAL: "Homes, one decimal",
    SHARE: "Share",
    SCORE: "Score",
    DATE: "Date",
    "0": "Whole number",
    "0%": "Percentage",
    "0.00": "Figure",
    "#,##0.00": "Price",
    RATIO: "Ratio",
}
"""Named styles (visible in Excel's cell styles) for the number formats the workbook uses."""
HEADER_STYLE = "Header"
KEY_STYLE = "Column key"
WRAPPED_STYLE = "Wrapped text"

VERDICT_FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE"}
"""Excel's good / neutral / bad cell colours: the green, yellow and red that check shows."""
VERDICT_STYLES = {"pass": "Verdict pass", "warn": "Verdict warn", "fail": "Verdict fail"}
"""Named styles with those colours, for a policy test's verdict cell (a text's "format")."""


Sheet = Any
"""A write-only worksheet: openpyxl's type stubs lack most of its attributes (freeze panes,
column widths, print set-up), which it takes from ``Worksheet`` at run time."""


def add_styles(workbook: Workbook) -> None:
    for number_format, name in STYLE_NAMES.items():
        workbook.add_named_style(NamedStyle(name=name, number_format=number_format))
    top = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle(name=HEADER_STYLE, font=Font(bold=True), alignment=top))
    grey = Font(italic=True, size=8, color="808080")
    workbook.add_named_style(NamedStyle(name=KEY_STYLE, font=grey))
    wrapped = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle(name=WRAPPED_STYLE, alignment=wrapped))
    for verdict, name in VERDICT_STYLES.items():
        fill = PatternFill("solid", fgColor=VERDICT_FILL[verdict])
        workbook.add_named_style(NamedStyle(name=name, fill=fill))
