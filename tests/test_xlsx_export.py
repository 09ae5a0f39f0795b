"""``woonplan progress --xlsx``: the workbook's figures equal the JSON output, its formatting,
its chart, the formula-injection guard and atomic writing."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CRITERIA, EXAMPLES, PLANS, ROOT
from typer.testing import CliRunner

from woonplan.cli import app

SHEETS = ["Summary", "Plans", "Municipalities", "Years", "Checks", "Obstacles", "Policy tests"]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The bundled plans' workbook and the JSON of the same run."""
    path = tmp_path_factory.mktemp("xlsx") / "woonplan.xlsx"
    result = invoke(
        "progress", str(PLANS), "--criteria", str(CRITERIA), "--as-of", "2026",
        "--format", "json", "--xlsx", str(path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return path, json.loads(result.stdout)


def rows(ws: Any) -> list[dict[str, Any]]:
    """A sheet's table as dicts by column key (row 1; row 2 holds the headers in words)."""
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[2:] if row[0] is not None]


def test_sheets_and_summary_figures_equal_the_json(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, figures = bundled
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEETS
    summary = {r["figure"]: r for r in rows(wb["Summary"])}
    for key, value in figures["totals"].items():
        assert summary[key]["all_homes"] == value, key
        assert summary[key]["social_rent"] == figures["social_rent"][key], key
    assert summary["region"]["all_homes"] == "Gooi en Vechtstreek"
    assert summary["period_start"]["all_homes"] == figures["period"]["start"]
    assert summary["period_end"]["all_homes"] == figures["period"]["end"]
    assert summary["as_of"]["all_homes"] == 2026
    for verdict, count in figures["verdicts"].items():
        assert summary[f"plans_{verdict}"]["all_homes"] == count
    # hand-computed in docs/progress.md: 1,126 completed, 7,000 target
    assert summary["completed"]["all_homes"] == 1126
    assert isinstance(summary["completed"]["all_homes"], int)


def test_tables_equal_the_json(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, figures = bundled
    wb = openpyxl.load_workbook(path)
    assert rows(wb["Municipalities"]) == figures["municipalities"]
    years = rows(wb["Years"])
    assert [{k: y[k] for k in ("year", "completed", "planned", "expected")} for y in years] == (
        figures["years"]
    )
    needed = figures["totals"]["required_per_year"]
    assert [y["pace_needed"] for y in years] == [None] * 4 + [needed] * 5  # 2026..2030
    obstacles = rows(wb["Obstacles"])
    assert [{k: o[k] for k in ("category", "plans", "homes")} for o in obstacles] == (
        figures["obstacles"]
    )
    for entry in obstacles:
        assert len(entry["plan_ids"].split("; ")) == entry["plans"]


def test_plans_and_checks_sheets(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, _ = bundled
    wb = openpyxl.load_workbook(path)
    plans = rows(wb["Plans"])
    assert [p["id"] for p in plans] == sorted(p.stem for p in PLANS.glob("*.yaml"))
    station = next(p for p in plans if p["id"] == "hilversum-stationsgebied")
    assert station["homes_social_rent"] == 300 and station["homes_total"] == 850
    assert station["delivery_2028"] == 200 and station["delivery_2027"] is None
    assert station["stop_2_name"] == "Hilversum, Busstation"
    assert station["stop_2_distance_m"] == 300
    assert station["initiators"].startswith("Gemeente Hilversum; Dudok Wonen")
    assert station["obstacles"].splitlines()[0].startswith("grid_congestion: No new large")
    laren = next(p for p in plans if p["id"] == "laren-naarderstraat")
    assert laren["exemptions"].startswith("social_rent_share (2025-03-12): Compensated by 17")
    checks = rows(wb["Checks"])
    assert len(checks) == 24 * 4
    waived = [c for c in checks if c["status"] == "waived"]
    assert [(c["plan_id"], c["criterion"]) for c in waived] == [
        ("laren-naarderstraat", "social_rent_share")
    ]
    assert waived[0]["waiver_reason"].startswith("Compensated")
    assert waived[0]["waiver_date"].date().isoformat() == "2025-03-12"
    assert waived[0]["value"] == pytest.approx(12 / 64)


def test_formats_frozen_header_autofilter_and_widths(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, _ = bundled
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == ("C3" if ws.title == "Plans" else "A3"), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:"), ws.title
        assert ws["A2"].font.b, ws.title
        assert ws.column_dimensions["A"].width >= 8, ws.title
    summary = wb["Summary"]
    assert summary["C3"].number_format == "#,##0"  # target
    assert summary["C9"].number_format == "#,##0.0"  # expected
    assert summary["D4"].number_format == "#,##0.0"  # social rent completed
    assert summary["C3"].style == "Homes"  # a named style, not a format per cell
    towns = wb["Municipalities"]
    assert towns["G3"].value == 0.292  # 28 / 96 = 0.29167, 3 decimals as in the JSON
    assert towns["G3"].number_format == "0.0%"
    plans = wb["Plans"]
    header = [c.value for c in plans[1]]
    assert plans.cell(3, header.index("homes_social_rent") + 1).number_format == "#,##0"
    scores = [plans.cell(r, header.index("score") + 1) for r in range(3, plans.max_row + 1)]
    assert all(c.number_format == "0.0" for c in scores if c.value is not None)
    assert {type(c.value) for c in scores} <= {int, float, type(None)}
    checks = wb["Checks"]
    assert checks["F3"].number_format == "0.0%"  # social-rent share target


def test_headers_in_words_above_the_data_keys_where_import_reads_them(
    bundled: tuple[Path, dict[str, Any]],
) -> None:
    wb = openpyxl.load_workbook(bundled[0])
    plans = wb["Plans"]
    keys = [c.value for c in plans[1]]
    words = dict(zip(keys, [c.value for c in plans[2]], strict=True))
    assert keys[:4] == ["id", "name", "municipality", "phase"]
    assert words["id"] == "Plan id"
    assert words["homes_social_rent"] == "Homes: social rent (sociale huur)"
    assert words["delivery_2027"] == "Delivered in 2027"
    assert words["stop_1_distance_m"] == "Stop 1: walking distance (m)"
    assert not plans.row_dimensions[1].hidden  # the keys are the import layout: shown here
    for ws in wb.worksheets[:1] + wb.worksheets[2:]:
        assert ws.row_dimensions[1].hidden, ws.title  # elsewhere only for scripts
        assert all(c.value and "_" not in str(c.value) for c in ws[2]), ws.title
    assert wb["Summary"]["C2"].value == "All homes"


def test_invalid_files_are_said_first_on_the_summary_sheet(tmp_path: Path) -> None:
    # Before: progress said "2 of 26 plan files are invalid ..." first in the table and the
    # Markdown, but the workbook only listed the files at the bottom of the Summary sheet,
    # after every figure. Now the sentence stands above the table, in bold on red, in view and
    # on every printed page; the list stays where it was.
    folder = tmp_path / "plans"
    folder.mkdir()
    for plan in PLANS.glob("*.yaml"):  # the 24 bundled plans
        shutil.copy(plan, folder)
    for name in ("delivery-sum.yaml", "duplicate-and-typo.yaml"):  # two invalid plan files
        shutil.copy(EXAMPLES / "invalid" / name, folder)
    path = tmp_path / "woonplan.xlsx"
    for language, sentence in (
        # 24 valid + 2 invalid = 26 plan files
        ("en", "2 of 26 plan files are invalid and left out of these figures"),
        ("nl", "2 van de 26 planbestanden zijn ongeldig en niet meegeteld in deze cijfers"),
    ):
        result = invoke(
            "progress", str(folder), "--criteria", str(CRITERIA), "--as-of", "2026",
            "--xlsx", str(path), "--lang", language,
        )  # fmt: skip
        assert result.exit_code == 2, result.output  # invalid files: exit 2, as always
        summary = openpyxl.load_workbook(path).worksheets[0]
        assert summary["A1"].value == sentence
        assert summary["A1"].font.b
        assert {summary.cell(1, c).style for c in range(1, 5)} == {"Verdict fail"}
        # the table one row lower: keys (hidden) in row 2, words in row 3, figures from row 4
        if language == "en":
            keys = ["figure", "meaning", "all_homes", "social_rent"]
            assert [c.value for c in summary[2]] == keys
        assert summary.row_dimensions[2].hidden and not summary.row_dimensions[1].hidden
        assert summary["A3"].font.b
        # the invalid files are left out: the same figures as the bundled plans alone
        assert (summary["A4"].value, summary["C4"].value) == ("target", 7000)
        assert (summary["A5"].value, summary["C5"].value) == ("completed", 1126)
        assert summary.freeze_panes == "A4"
        assert summary.auto_filter.ref == "A3:D17"  # the words' row and 14 figures
        assert summary.print_title_rows == "$1:$3"
        listed = [r for r in summary.iter_rows(values_only=True) if r[0] == "invalid_files"]
        names = f"{folder / 'delivery-sum.yaml'}; {folder / 'duplicate-and-typo.yaml'}"
        assert listed == [("invalid_files", names, 2, None)]  # still below the figures
    # without invalid files the Summary starts with the keys, as before
    clean = openpyxl.load_workbook(bundled_path(tmp_path)).worksheets[0]
    assert clean["A1"].value == "figure" and clean.freeze_panes == "A3"


def bundled_path(tmp_path: Path) -> Path:
    path = tmp_path / "bundled.xlsx"
    result = invoke("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_print_set_up_on_every_sheet(bundled: tuple[Path, dict[str, Any]]) -> None:
    wb = openpyxl.load_workbook(bundled[0])
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr is not None, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.print_title_rows == ("$1:$2" if ws.title == "Plans" else "$2:$2"), ws.title
    assert wb["Plans"].page_setup.orientation == "landscape"
    assert wb["Checks"].page_setup.orientation == "landscape"
    assert wb["Municipalities"].page_setup.orientation == "portrait"


def test_drop_down_lists_on_the_plans_sheet(bundled: tuple[Path, dict[str, Any]]) -> None:
    plans = openpyxl.load_workbook(bundled[0])["Plans"]
    keys = [c.value for c in plans[1]]
    by_column = {}
    for validation in plans.data_validations.dataValidation:
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        by_column[keys[openpyxl.utils.column_index_from_string(letter) - 1]] = validation
    assert set(by_column) == {"municipality", "phase", "obstacles"}
    assert by_column["municipality"].formula1 == (
        '"Blaricum,Gooise Meren,Hilversum,Huizen,Laren,Wijdemeren"'
    )
    assert "under_construction" in by_column["phase"].formula1
    assert by_column["phase"].errorStyle == "stop"
    # an obstacle cell holds lines of 'category: note': the list suggests, it does not refuse
    assert "grid_congestion" in by_column["obstacles"].formula1
    assert by_column["obstacles"].errorStyle == "information"
    assert str(by_column["phase"].sqref).endswith(":D5000")


def test_chart_of_homes_per_year_against_the_pace(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, _ = bundled
    wb = openpyxl.load_workbook(path)
    charts = wb["Years"]._charts  # type: ignore[attr-defined]  # openpyxl keeps charts private
    assert len(charts) == 1
    # openpyxl reads a combined chart back as its first (bar) part; check the file itself
    xml = zipfile.ZipFile(path).read("xl/charts/chart1.xml").decode()
    assert "barChart>" in xml and "lineChart>" in xml
    for column in "BCDEF":  # completed, planned, expected; pace_needed, even_pace
        assert f"<f>'Years'!{column}2</f>" in xml
        assert f"<f>'Years'!${column}$3:${column}$11</f>" in xml


HOSTILE = {
    "name": '=HYPERLINK("http://evil.example","click")',
    "note": "+cmd|' /C calc'!A0",
    "initiator": "-2+3",
    "stop": "@SUM(1+1)",
    "notes": "\t=1+1",
}


def test_text_from_plan_files_never_becomes_a_formula(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "hilversum-x.yaml").write_text(
        textwrap.dedent(
            f"""\
            id: hilversum-x
            name: {json.dumps(HOSTILE["name"])}
            municipality: Hilversum
            phase: adopted
            initiators: [{json.dumps(HOSTILE["initiator"])}]
            homes: {{social_rent: 10}}
            delivery: {{2027: 10}}
            public_transport:
              - {{stop: {json.dumps(HOSTILE["stop"])}, type: bus, walking_distance_m: 100}}
            obstacles:
              - {{category: costs, note: {json.dumps(HOSTILE["note"])}}}
            notes: {json.dumps(HOSTILE["notes"])}
            """
        ),
        encoding="utf-8",
    )
    out = tmp_path / "wb.xlsx"
    result = invoke("progress", str(plans), "--criteria", str(CRITERIA), "--xlsx", str(out))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["Plans"]
    header = [c.value for c in ws[1]]
    expected = {
        "name": HOSTILE["name"],
        "initiators": HOSTILE["initiator"],
        "stop_1_name": HOSTILE["stop"],
        "obstacles": f"costs: {HOSTILE['note']}",
        "notes": HOSTILE["notes"],
    }
    for column, text in expected.items():
        cell = ws.cell(3, header.index(column) + 1)
        assert cell.data_type == "s", column
        assert cell.value == text, column
    sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in sheet


def test_impossible_paths_give_one_line_and_exit_2(tmp_path: Path) -> None:
    for target in (tmp_path / "missing" / "wb.xlsx", tmp_path):
        result = invoke("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(target))
        assert result.exit_code == 2, result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_previous_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "wb.xlsx"
    target.write_bytes(b"previous workbook")
    save = openpyxl.Workbook.save

    def broken_save(self: Any, handle: Any) -> None:
        # The workbook is finished as a real save finishes it, into memory: a write-only sheet
        # left unfinished would close its temporary file only when garbage-collected, and its
        # row writer would then fail ("I/O operation on closed file") in some later test.
        save(self, io.BytesIO())
        handle.write(b"PK partial zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    result = invoke("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(target))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert target.read_bytes() == b"previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["wb.xlsx"]


def test_openpyxl_is_imported_only_for_xlsx() -> None:
    code = textwrap.dedent(
        """\
        import sys
        from typer.testing import CliRunner
        from woonplan.cli import app
        result = CliRunner().invoke(app, ["progress", "plans", "--as-of", "2026"])
        assert result.exit_code == 0, result.output
        print("openpyxl" in sys.modules)
        """
    )
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False"


def test_policy_tests_sheet_equals_the_json(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, figures = bundled
    wb = openpyxl.load_workbook(path)
    sheet = rows(wb["Policy tests"])
    keys = ("id", "title", "scope", "municipality", "value", "target", "limit", "verdict")
    assert [{k: r[k] for k in keys} for r in sheet] == figures["policy_tests"]
    assert figures["policy_tests"]  # the bundled region has policy tests
    towns = {m["name"]: m for m in figures["municipalities"]}
    for row in sheet:
        if row["municipality"] is not None:  # the municipality's shares beside its tests
            share = towns[row["municipality"]]["social_rent_share"]
            # the sheet has the exact share, the JSON three decimals of it
            assert row["social_rent_share"] == pytest.approx(share, abs=5e-4)
    ws = wb["Policy tests"]
    header = [c.value for c in ws[1]]
    verdict = header.index("verdict") + 1
    fills = {ws.cell(r, verdict).value: ws.cell(r, verdict).fill.fgColor.rgb for r in range(3, 13)}
    assert fills["fail"].endswith("FFC7CE") and fills["pass"].endswith("C6EFCE")


def test_plans_sheet_has_the_prices(bundled: tuple[Path, dict[str, Any]]) -> None:
    path, _ = bundled
    plans = {r["id"]: r for r in rows(openpyxl.load_workbook(path)["Plans"])}
    zuid = plans["gooise-meren-bussum-zuid"]
    assert (zuid["price_social_rent"], zuid["price_mid_rent"]) == (925, 1250)
    assert zuid["price_affordable_buy"] is None
    assert plans["laren-brink"]["price_mid_rent"] is None
