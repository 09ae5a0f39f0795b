"""The workbook's fast row writer (``excel.rows``) writes the same cells as openpyxl's own
path, and measures the same column widths, for every kind of value a table can hold."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from woonplan.excel import table as table_module
from woonplan.excel.columns import Value
from woonplan.excel.styles import DATE, DECIMAL, SHARE, VERDICT_STYLES, add_styles
from woonplan.excel.table import table

HEADERS = ["text", "notes", "number", "share", "flag", "day", "verdict"]
FORMATS: list[str | None] = [None, None, DECIMAL, SHARE, None, DATE, VERDICT_STYLES["pass"]]
ROWS: list[list[Value]] = [
    ["plain", "two\nlines", 1.5, 0.25, True, datetime.date(2026, 3, 1), "pass"],
    ["=HYPERLINK(1)", " padded ", -0.0, 0.0, False, None, "  odd"],
    ["+31 6", "-minus", -12345.678, -0.04, None, datetime.date(1999, 12, 31), ""],
    ["@at", "tab\tinside", 1e16, 2.5, True, None, "=1"],
    ["<&>\r\n", "", 123456789, -7, None, None, None],
    ["surrogate \udcff and \uffff", "\x01control", float("nan"), float("inf"), None, None, "x"],
    ["long " * 8000, "é ü ĳ 漢", 0, 3, None, None, "fail"],
    ["", None, None, None, None, None, None],
    ["plain", " padded ", 1.5, 0.25, True, None, "  odd"],  # repeated texts: made once
]
"""Text taken for a formula or with blanks around it (quote prefix), a carriage return, XML
specials, a lone surrogate, control characters, text longer than a cell holds; -0.0, NaN and
infinity (written by openpyxl), whole numbers in a decimal column, booleans, dates."""


def _write(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_module, "usable", lambda: fast)
    workbook = Workbook(write_only=True)
    add_styles(workbook)
    sheet = workbook.create_sheet("T")
    table(sheet, HEADERS, ROWS, [FORMATS] * len(ROWS), wrap={"notes"}, below=([[1]], [[None]]))
    workbook.save(path)


def _cells(path: Path) -> list[Any]:
    sheet = load_workbook(path).worksheets[0]
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    cells = [
        (
            c.coordinate,
            repr(c.value),
            c.data_type,
            c.style,
            c.number_format,
            c.quotePrefix,
            c.alignment.wrap_text,
            c.fill.fgColor.rgb,
        )
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None or c.has_style
    ]
    return [widths, *cells]


def test_the_fast_rows_are_the_cells_openpyxl_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "slow.xlsx", False, monkeypatch)
    _write(tmp_path / "fast.xlsx", True, monkeypatch)
    slow, fast = _cells(tmp_path / "slow.xlsx"), _cells(tmp_path / "fast.xlsx")
    assert fast == slow
    quoted = {c[0] for c in fast[1:] if c[5]}
    # row 3 is the first data row; "  odd" and "=1" in the verdict column keep their style
    assert {"A4", "B4", "G4", "A5", "B5", "A6", "G6"} <= quoted
    assert len(fast) > 40


def test_widths_count_the_longest_line_and_a_negative_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "fast.xlsx", True, monkeypatch)
    widths = _cells(tmp_path / "fast.xlsx")[0]
    # number: the longest shown is "-12,345.7" (9) or "10,000,000,000,000,000.0" (24) -> 26
    assert widths["C"] == 26
    # share: "-0.0" (4), "-7.0" (4), "0.3" ... header "share" + 3 = 8 -> at least 10
    assert widths["D"] == 10
    # notes (wrapped, limit 50): "tab\tinside" 10, "\x01control" 8, header 5 + 3 -> 12
    assert widths["B"] == 12
