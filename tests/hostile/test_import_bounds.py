"""The workbook both ways under hostile input (issue 11, defects 13-16 and 23; docs/security.md,
"Files, paths, outputs, signals"): Excel's column limit, columns ``woonplan import`` used to
drop silently, numbers that ``check`` refuses, a dangling link in the import folder, and text
that starts with a tab or a carriage return. Workbooks are generated in ``tmp_path``.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner, Result

from woonplan.cli import app

ROOT = Path(__file__).resolve().parents[2]
"""The repository. Not imported from ``conftest``: should a ``tests/hostile/conftest.py`` ever
exist, pytest would import it as ``conftest`` in place of ``tests/conftest.py``."""
CRITERIA = ROOT / "criteria.yaml"


def woonplan(*args: str) -> Result:
    """``woonplan ARGS`` in-process with the repository's criteria; never a traceback."""
    command, rest = args[0], args[1:]
    result = CliRunner().invoke(app, [command, "--criteria", str(CRITERIA), *rest])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def plan(plan_id: str = "hilversum-haltes", **fields: Any) -> dict[str, Any]:
    """A valid plan with work, obstacles and notes: the fields after the stop columns."""
    data: dict[str, Any] = {
        "id": plan_id,
        "name": "Veel haltes",
        "municipality": "Hilversum",
        "phase": "adopted",
        "homes": {"social_rent": 40, "free_buy": 60},
        "delivery": {2027: 100},
        "work": {"jobs": 120, "floor_area_m2": 2500},
        "obstacles": [{"category": "grid_congestion", "note": "No connection before 2028"}],
        "notes": "The last column of the Plans sheet but two.",
    }
    data.update(fields)
    return data


def stops(count: int) -> list[dict[str, Any]]:
    return [
        {"stop": f"Halte {n}", "type": "bus", "walking_distance_m": 100 + n}
        for n in range(1, count + 1)
    ]


def workbook_of(tmp_path: Path, *plans: dict[str, Any]) -> Path:
    """``progress --xlsx`` for these plans (each written as ``<id>.yaml``)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for data in plans:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (folder / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    book = tmp_path / "plans.xlsx"
    result = woonplan("progress", str(folder), "--xlsx", str(book))
    assert result.exit_code in (0, 1), result.output
    return book


def imported(book: Path, out: Path) -> dict[str, dict[str, Any]]:
    """``woonplan import``: the plan files written, as data by id."""
    result = woonplan("import", str(book), "--out", str(out))
    assert result.exit_code == 0, result.output
    return {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.yaml"))
    }


def rewritten_sheet(book: Path, target: Path, change: Any) -> Path:
    """A copy of ``book`` whose Plans sheet XML went through ``change(xml) -> xml``."""
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[1] == "Plans"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            copy.writestr(item, data)
    return target


# --- 13: Excel's column limit ----------------------------------------------------------------


def test_more_stops_than_excel_has_columns_is_one_line_and_no_workbook(tmp_path: Path) -> None:
    # 6,100 stops need 18,300 stop columns; Excel has 16,384 in all. openpyxl raised
    # "ValueError: Invalid column index" (6,100) or wrote a sheet Excel cannot open (6,080).
    folder = tmp_path / "plans"
    folder.mkdir()
    data = plan(public_transport=stops(6_100))
    (folder / "hilversum-haltes.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    book = tmp_path / "plans.xlsx"
    result = woonplan("progress", str(folder), "--xlsx", str(book))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{book}: plan hilversum-haltes lists 6,100 public transport stops")
    assert list(tmp_path.glob("*.xlsx*")) == list(tmp_path.glob(".*.tmp")) == []


def test_999_stops_fit_and_come_back(tmp_path: Path) -> None:
    # 999 stop groups = 2,997 columns, the most `stop_<n>_...` headers allow (n < 1000)
    book = workbook_of(tmp_path, plan(public_transport=stops(999)))
    header = next(openpyxl.load_workbook(book, read_only=True)["Plans"].values)
    assert "stop_999_distance_m" in header and len(header) <= 16_384
    back = imported(book, tmp_path / "out")["hilversum-haltes"]
    assert back["public_transport"] == stops(999)


# --- 14: columns import used to drop ---------------------------------------------------------


def test_columns_past_1000_are_read(tmp_path: Path) -> None:
    # 340 stops: 1,020 stop columns, so work_*, obstacles, exemptions and notes come after
    # column 1,000 (and stops 328-340 too); import read only the first 1,000 columns.
    original = plan(public_transport=stops(340))
    book = workbook_of(tmp_path, original)
    header = next(openpyxl.load_workbook(book, read_only=True)["Plans"].values)
    assert header.index("notes") >= 1_000
    back = imported(book, tmp_path / "out")["hilversum-haltes"]
    assert back == original


def test_a_dimension_smaller_than_the_data_drops_nothing(tmp_path: Path) -> None:
    original = plan(public_transport=stops(2))
    book = workbook_of(tmp_path, original)

    def small(xml: str) -> str:
        # the streaming writer of ``progress --xlsx`` writes no <dimension>: put one in
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        changed, count = re.subn("<sheetViews", '<dimension ref="A1:B2"/><sheetViews', xml)
        assert count == 1
        return changed

    copy = rewritten_sheet(book, tmp_path / "small.xlsx", small)
    assert imported(copy, tmp_path / "out")["hilversum-haltes"] == original


def test_a_sheet_without_a_dimension_is_read_whole(tmp_path: Path) -> None:
    # <dimension> is optional in OOXML; without it openpyxl's read-only mode read column A only
    original = plan(public_transport=stops(2))
    book = workbook_of(tmp_path, original)

    def without(xml: str) -> str:
        changed, count = re.subn(r"<dimension [^>]*/>", "", xml)
        assert count <= 1  # the streaming writer of ``progress --xlsx`` writes none
        return changed

    copy = rewritten_sheet(book, tmp_path / "bare.xlsx", without)
    assert imported(copy, tmp_path / "out")["hilversum-haltes"] == original


# --- 15: numbers check refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        # 1E300 homes of work: an int of 301 digits in the plan file; check refuses
        # anything above 10^15 (docs/security.md, "huge or non-finite numbers")
        ("work_jobs", 1e300, "jobs"),
        ("work_floor_area_m2", 1e16, "floor_area_m2"),  # a whole float is written as an int
    ],
)
def test_import_refuses_numbers_that_check_refuses(
    tmp_path: Path, column: str, value: Any, field: str
) -> None:
    book = workbook_of(tmp_path, plan())
    wb = openpyxl.load_workbook(book)
    ws = wb["Plans"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index(column) + 1).value = value  # row 3: the first plan (2: words)
    wb.save(book)
    out = tmp_path / "out"
    result = woonplan("import", str(book), "--out", str(out))
    assert result.exit_code == 2, result.output
    letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Plans!{letter}3: work.{field}: "), first
    assert not out.exists() or list(out.iterdir()) == []
    # exactly check's rule: the same number in a plan file gets the same message
    number = "10000000000000000" if value == 1e16 else str(int(1e300))
    folder = tmp_path / "yaml"
    folder.mkdir()
    text = yaml.safe_dump(plan(work={"jobs": 120}), sort_keys=False)
    text = text.replace("  jobs: 120\n", f"  jobs: 120\n  floor_area_m2: {number}\n")
    if field == "jobs":
        text = text.replace("  jobs: 120\n  floor_area_m2", f"  jobs: {number}\n  floor_area_m2")
        text = text.replace(f"  floor_area_m2: {number}\n", "")
    (folder / "hilversum-haltes.yaml").write_text(text, encoding="utf-8")
    check = woonplan("check", "--format", "json", str(folder))
    assert check.exit_code == 2
    message = first.split(f"work.{field}: ", 1)[1]
    assert message in check.stdout, (message, check.stdout[:800])


def test_import_refuses_text_that_is_no_whole_number(tmp_path: Path) -> None:
    # "1e999" (infinite) in the floor-area column, which holds whole square metres: refused as
    # text, never read as a float (a text "1.200" would otherwise become 1.2)
    book = workbook_of(tmp_path, plan())
    wb = openpyxl.load_workbook(book)
    ws = wb["Plans"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("work_floor_area_m2") + 1).value = "1e999"  # row 2: the words
    wb.save(book)
    result = woonplan("import", str(book), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    letter = openpyxl.utils.get_column_letter(header.index("work_floor_area_m2") + 1)
    first = result.stderr.splitlines()[0]
    assert first == f"Plans!{letter}3: work.floor_area_m2: must be a whole number (got '1e999')"


# --- 16: a dangling link in the import folder ------------------------------------------------


def test_import_does_not_replace_a_dangling_link_without_overwrite(tmp_path: Path) -> None:
    book = workbook_of(tmp_path, plan())
    out = tmp_path / "out"
    out.mkdir()
    link = out / "hilversum-haltes.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    result = woonplan("import", str(book), "--out", str(out))
    assert result.exit_code == 2
    assert f"{link}: already exists; use --overwrite" in result.stderr
    assert link.is_symlink() and not (tmp_path / "nowhere.yaml").exists()
    assert [p.name for p in out.iterdir()] == ["hilversum-haltes.yaml"]  # no temporary file


# --- 23: text starting with a tab or a carriage return ---------------------------------------

TRICKY: dict[str, Any] = {
    "name": "\t=1+1",
    "initiators": ["\t=a", "\r@b", "+31 35 000", "-x"],
    "obstacles": [{"category": "other", "note": "\t-cmd"}, {"category": "costs", "note": "\r=2"}],
    "exemptions": [
        {
            "criterion": "social_rent_share",
            "reason": "\t=HYPERLINK(0)",
            "decided": datetime.date(2025, 3, 12),
        }
    ],
    "notes": "\r=SUM(A1)\r\nline two\t",
}


def test_text_starting_with_a_tab_or_cr_comes_back_as_it_was(tmp_path: Path) -> None:
    original = plan(**TRICKY)
    book = workbook_of(tmp_path, original)
    back = imported(book, tmp_path / "out")["hilversum-haltes"]
    assert back == original


def test_such_text_is_a_marked_text_cell_never_a_formula(tmp_path: Path) -> None:
    book = workbook_of(tmp_path, plan(**TRICKY))
    ws = openpyxl.load_workbook(book)["Plans"]
    header = [c.value for c in ws[1]]
    for column in ("name", "initiators", "notes"):
        cell = ws.cell(3, header.index(column) + 1)  # row 3: the first plan (2: words)
        assert cell.data_type == "s", column  # a string, never a formula (data_type "f")
        assert cell.quotePrefix, column  # Excel's leading apostrophe: text also when edited
    with zipfile.ZipFile(book) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet2.xml")


def test_characters_xml_cannot_hold_never_reach_the_workbook(tmp_path: Path) -> None:
    # U+FFFE and U+FFFF are not XML 1.0 characters, and openpyxl's own filter lets them
    # through; a plan file holds them as YAML escapes. The workbook must still parse.
    book = workbook_of(tmp_path, plan(name="a\uffffb\ufffe", notes="bell \x07 escape \x1b[2J"))
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ET.fromstring(archive.read(name))
    ws = openpyxl.load_workbook(book)["Plans"]
    header = [c.value for c in ws[1]]
    assert ws.cell(3, header.index("name") + 1).value == "a\ufffdb\ufffd"  # row 2: words
