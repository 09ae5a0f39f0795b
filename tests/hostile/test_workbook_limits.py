"""``woonplan import`` bounds every part of a workbook before openpyxl reads it (issue 11, 5).

Before: a 1 GiB inline string took 80 s and 12 GB and ended in a MemoryError traceback from
difflib; a 4 MB sheet inflating to 4 GiB of whitespace 56 s and 4.2 GB; 1 GiB of shared strings
7 s and 2.1 GB; a ``<dimension>`` of A1:ALL1048576 with 100,001 rows 59 s and 7.1 GB. Now the
archive's parts (their number and sizes), the Plans sheet's rows, columns and cells, and the
shared strings are bounded first (excel/bounded.py); each case is one line and exit 2, within
the time and memory bounds. The hostile workbooks are built here, a few MB each.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from probe import (
    CRITERIA,
    MIB,
    PARTS,
    SHEET_TAIL,
    Pieces,
    Run,
    header_row,
    inline,
    sheet_head,
    woonplan,
    workbook,
)

from woonplan.excel.bounded import (
    MAX_CELL_CHARS,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    MAX_XML_PART_BYTES,
)
from woonplan.excel.importer import MAX_ROWS

SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def import_(tmp_path: Path, sheet: Pieces, **options: object) -> Run:
    path = workbook(tmp_path / "hostile.xlsx", sheet, **options)  # type: ignore[arg-type]
    run = woonplan("import", str(path), "--out", str(tmp_path / "out"), "--criteria", str(CRITERIA))
    run.assert_bounded()
    assert not (tmp_path / "out").exists()
    return run


def one_line(run: Run, text: str) -> None:
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and text in lines[0], run.stderr[-2000:]


def with_cell(cell: Pieces) -> Pieces:
    return [
        (sheet_head(), 1),
        (header_row(), 1),
        (b'<row r="2">' + inline("A2", "x"), 1),
        *cell,
        (b"</row>", 1),
        (SHEET_TAIL, 1),
    ]


def test_a_1_gib_inline_string_is_refused_by_its_part_size(tmp_path: Path) -> None:
    cell = [(b'<c r="B2" t="inlineStr"><is><t>', 1), (b"A" * MIB, 1024), (b"</t></is></c>", 1)]
    run = import_(tmp_path, with_cell(cell))
    one_line(run, "part xl/worksheets/sheet1.xml unpacks to 1,073,742,")
    assert f"(at most {MAX_MEMBER_BYTES:,})" in run.stderr


def test_a_cell_longer_than_any_plan_text_is_refused(tmp_path: Path) -> None:
    cell = [(b'<c r="B2" t="inlineStr"><is><t>', 1), (b"A" * (MAX_CELL_CHARS + 1), 1)]
    run = import_(tmp_path, with_cell([*cell, (b"</t></is></c>", 1)]))
    one_line(run, "the cell in row 2, column 2 is longer than 100,000 characters")


def test_a_32_mib_header_never_reaches_did_you_mean(tmp_path: Path) -> None:
    # Before: difflib.get_close_matches on the header text (a MemoryError on 1 GiB).
    sheet = [
        (sheet_head(), 1),
        (b'<row r="1"><c r="A1" t="inlineStr"><is><t>', 1),
        (b"x" * MIB, 32),
        (b"</t></is></c></row>", 1),
        (SHEET_TAIL, 1),
    ]
    run = import_(tmp_path, sheet)
    one_line(run, "the cell in row 1, column 1 is longer than 100,000 characters")


def test_a_zip_bomb_of_whitespace_is_refused_before_inflating(tmp_path: Path) -> None:
    # 4.7 MB on disk, 1 GiB of spaces inside the sheet
    sheet = [(sheet_head(), 1), (header_row(), 1), (b" " * MIB, 1024), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet)
    one_line(run, "part xl/worksheets/sheet1.xml unpacks to 1,073,742,")


def test_1_gib_of_shared_strings_is_refused(tmp_path: Path) -> None:
    shared = [(SST + b"<si><t>", 1), (b"A" * MIB, 1024), (b"</t></si></sst>", 1)]
    cell = [(b'<c r="B2" t="s"><v>0</v></c>', 1)]
    run = import_(tmp_path, with_cell(cell), shared=shared)
    one_line(run, "part xl/sharedStrings.xml unpacks to 1,073,741,")


def test_a_shared_string_longer_than_any_plan_text_is_refused(tmp_path: Path) -> None:
    shared = [(SST + b"<si><t>" + b"A" * (MAX_CELL_CHARS + 1) + b"</t></si></sst>", 1)]
    cell = [(b'<c r="B2" t="s"><v>0</v></c>', 1)]
    run = import_(tmp_path, with_cell(cell), shared=shared)
    one_line(run, "a text in the workbook is longer than 100,000 characters")


def test_a_huge_dimension_with_100001_rows_is_refused(tmp_path: Path) -> None:
    assert MAX_ROWS == 100_000
    rows = b"".join(
        b'<row r="%d">' % n + inline(f"A{n}", f"p{n}") + b"</row>" for n in range(2, 100_002)
    )
    sheet = [(sheet_head("A1:ALL1048576"), 1), (header_row(), 1), (rows, 1), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet)
    one_line(run, "more than 100,000 rows in sheet Plans")


def test_a_value_in_the_last_row_of_excel_is_refused_at_once(tmp_path: Path) -> None:
    last = b'<row r="1048576">' + inline("A1048576", "x") + b"</row>"
    sheet = [(sheet_head(), 1), (header_row(), 1), (last, 1), (SHEET_TAIL, 1)]
    one_line(import_(tmp_path, sheet), "more than 100,000 rows in sheet Plans")


def test_a_lying_dimension_and_empty_rows_far_below_are_not_read(tmp_path: Path) -> None:
    # The sheet claims A1:ALL1048576 and has an empty (formatted) row 1,048,576: openpyxl would
    # yield a million rows of 1,000 cells. Only the rows and columns with values are read.
    sheet = [
        (sheet_head("A1:ALL1048576"), 1),
        (header_row(), 1),
        (b'<row r="2">' + inline("A2", "x") + inline("B2", "Name") + b"</row>", 1),
        (b'<row r="1048576" s="1" customFormat="1"/>', 1),
        (SHEET_TAIL, 1),
    ]
    run = import_(tmp_path, sheet)
    assert run.exit_code == 2
    # the row is read and checked like a plan file: its missing fields are the problems
    assert "Plans!A2: municipality: required, but missing" in run.stderr


def test_a_part_larger_than_it_declares_is_not_believed(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d">' % n + inline(f"A{n}", "x") + b"</row>" for n in range(2, 50))
    sheet = [(sheet_head(), 1), (header_row(), 1), (rows, 1), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet, declare=200)
    assert run.exit_code == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


@pytest.mark.parametrize("extra", [MAX_MEMBERS, 70_000])
def test_too_many_parts_are_refused(tmp_path: Path, extra: int) -> None:
    # 70,000 parts: more than 65,535, so the archive's end record is the zip64 one
    sheet = [(sheet_head(), 1), (header_row(), 1), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet, extra=extra)
    parts = extra + len(PARTS) + 2  # the fixed parts, the sheet and the shared strings
    one_line(run, f"the workbook has {parts:,} parts (at most {MAX_MEMBERS:,})")


def test_a_document_type_with_entities_is_refused(tmp_path: Path) -> None:
    lol = b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    shared = [(lol + SST + b"<si><t>&b;</t></si></sst>", 1)]
    cell = [(b'<c r="B2" t="s"><v>0</v></c>', 1)]
    run = import_(tmp_path, with_cell(cell), shared=shared)
    one_line(run, "declares a document type or entities")


def test_a_workbook_over_50_mib_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(50 * MIB + 1)  # sparse: nothing is written to disk
    run = woonplan("import", str(path), "--out", str(tmp_path / "out"), "--criteria", str(CRITERIA))
    run.assert_bounded()
    one_line(run, "the workbook is too large (52,428,801 bytes; limit 50 MiB)")


def test_a_value_past_excels_last_column_is_refused(tmp_path: Path) -> None:
    # column 16,385 is XFE, one past Excel's last (XFD); every column up to XFD is read
    cell = [(inline("XFE2", "x"), 1)]
    one_line(
        import_(tmp_path, with_cell(cell)), "a value in column 16,385: more than 16,384 columns"
    )


def test_more_cells_than_can_be_read_are_refused(tmp_path: Path) -> None:
    # 2,001 rows, the last with a value in column 1,000: 2,001,000 cells > 2,000,000
    rows = b"".join(b'<row r="%d">' % n + inline(f"A{n}", "x") + b"</row>" for n in range(2, 2001))
    last = b'<row r="2001">' + inline("ALL2001", "x") + b"</row>"
    sheet = [(sheet_head(), 1), (header_row(), 1), (rows + last, 1), (SHEET_TAIL, 1)]
    one_line(import_(tmp_path, sheet), "2,001 rows and 1,000 columns: more than 2,000,000 cells")


def test_parts_adding_up_to_more_than_256_mib_are_refused(tmp_path: Path) -> None:
    # five extra parts of 60 MiB each: each under the part limit, 300 MiB together
    sheet = [(sheet_head(), 1), (header_row(), 1), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet, extra=5, extra_pieces=[(b" " * MIB, 60)])
    one_line(run, f"(at most {MAX_TOTAL_BYTES:,})")


def test_60_mib_of_styles_are_refused_before_openpyxl_parses_them(tmp_path: Path) -> None:
    # openpyxl parses xl/styles.xml whole into objects: 60 MiB took 16 s CPU and 830 MB
    xfs = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * 1000
    main = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    styles = [
        (main + b"<cellXfs>", 1),
        (xfs, 60 * MIB // len(xfs)),
        (b"</cellXfs></styleSheet>", 1),
    ]
    sheet = [(sheet_head(), 1), (header_row(), 1), (SHEET_TAIL, 1)]
    run = import_(tmp_path, sheet, more={"xl/styles.xml": styles})
    one_line(run, "part xl/styles.xml unpacks to 62,8")
    assert f"(at most {MAX_XML_PART_BYTES:,})" in run.stderr
