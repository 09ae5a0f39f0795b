"""``woonplan import``: the bundled plans survive plans → workbook → plan files; errors name the
cell; nothing is written when a row is invalid; existing files need ``--overwrite``."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import CRITERIA, PLANS
from typer.testing import CliRunner

from woonplan.checking.models import SEGMENTS
from woonplan.cli import app


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbook ``progress --xlsx`` writes for the bundled plans."""
    path = tmp_path_factory.mktemp("import") / "woonplan.xlsx"
    result = invoke("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    return path


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Plan data with zero or absent segments and empty sections treated alike."""
    out = dict(data)
    for group in ("homes", "demolished"):
        segments = {s: n for s, n in (out.get(group) or {}).items() if n}
        out[group] = segments
    for key in ("initiators", "public_transport", "obstacles", "exemptions"):
        if not out.get(key):
            out.pop(key, None)
    return out


def edited(source: Path, target: Path, changes: dict[tuple[str, str], Any]) -> Path:
    """A copy of the workbook with ``{(plan id, column): value}`` changed in the Plans sheet."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Plans"]
    header = [c.value for c in ws[1]]
    ids = [c.value for c in ws["A"]]
    for (plan_id, column), value in changes.items():
        ws.cell(ids.index(plan_id) + 1, header.index(column) + 1).value = value
    wb.save(target)
    return target


def cell(source: Path, plan_id: str, column: str) -> str:
    ws = openpyxl.load_workbook(source)["Plans"]
    header = [c.value for c in ws[1]]
    ids = [c.value for c in ws["A"]]
    letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
    return f"Plans!{letter}{ids.index(plan_id) + 1}"


def test_round_trip_gives_the_original_data(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = invoke("import", str(workbook), "--out", str(out), "--criteria", str(CRITERIA))
    assert result.exit_code == 0, result.output
    originals = sorted(PLANS.glob("*.yaml"))
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in originals]
    for original in originals:
        before = yaml.safe_load(original.read_text(encoding="utf-8"))
        after = yaml.safe_load((out / original.name).read_text(encoding="utf-8"))
        assert normalised(after) == normalised(before), original.name
    check = invoke("check", str(out), "--criteria", str(CRITERIA), "--format", "json")
    assert '"invalid": 0' in check.stdout


def test_written_yaml_is_clean(workbook: Path, tmp_path: Path) -> None:
    invoke("import", str(workbook), "--out", str(tmp_path), "--criteria", str(CRITERIA))
    text = (tmp_path / "hilversum-kerkelanden.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Imported from woonplan.xlsx, sheet Plans, row ")
    assert lines[0].endswith(", by woonplan import")
    keys = [line.split(":")[0] for line in lines[1:] if line and line[0].isalpha()]
    assert keys == [
        "id", "name", "municipality", "phase", "initiators", "homes", "demolished",
        "delivery", "public_transport", "obstacles", "notes",
    ]  # fmt: skip
    assert "  - Dudok Wonen" in lines
    assert "free_buy" not in text  # zero segments are left out
    small = (tmp_path / "laren-brink.yaml").read_text(encoding="utf-8")
    assert "obstacles" not in small and "demolished" not in small
    data = yaml.safe_load((tmp_path / "laren-naarderstraat.yaml").read_text(encoding="utf-8"))
    assert str(data["exemptions"][0]["decided"]) == "2025-03-12"
    assert type(data["exemptions"][0]["decided"]).__name__ == "date"


def test_an_invalid_value_names_the_cell_and_nothing_is_written(
    workbook: Path, tmp_path: Path
) -> None:
    bad = edited(
        workbook,
        tmp_path / "bad.xlsx",
        {
            ("hilversum-media-park", "homes_social_rent"): -4,
            ("huizen-centrum", "stop_1_type"): "tram",
            ("laren-brink", "municipality"): "Amsterdam",
        },
    )
    out = tmp_path / "out"
    result = invoke("import", str(bad), "--out", str(out), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    where = cell(bad, "hilversum-media-park", "homes_social_rent")
    assert f"{where}: homes.social_rent: must be >= 0 (got -4)" in errors
    stop = cell(bad, "huizen-centrum", "stop_1_type")
    assert any(e.startswith(f"{stop}: public_transport[0].type: must be one of") for e in errors)
    town = cell(bad, "laren-brink", "municipality")
    assert any(e.startswith(f"{town}: municipality: 'Amsterdam' is not a") for e in errors)
    assert errors[-1].endswith("nothing written (3 problems)")
    assert not out.exists()


def test_rule_errors_point_at_their_columns(workbook: Path, tmp_path: Path) -> None:
    bad = edited(
        workbook,
        tmp_path / "bad.xlsx",
        {
            ("hilversum-arenapark", "delivery_2027"): 1,
            ("laren-naarderstraat", "exemptions"): "social_rent_shar (2025-03-12): typo",
            ("huizen-oostermeent", "exemptions"): "social_rent_share (2025-02-30): no such day",
            ("huizen-holleblok", "obstacles"): "grid: no such category",
            ("wijdemeren-ankeveen-dorp", "homes_mid_rent"): "=1+1",
            ("blaricum-bijvanck", "id"): "blaricum-eemnesserweg",
        },
    )
    result = invoke("import", str(bad), "--out", str(tmp_path / "o"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    text = result.stderr
    arena = cell(bad, "hilversum-arenapark", "delivery_2026")
    assert f"{arena}: delivery: delivery adds up to 261 homes, but homes total 540" in text
    waiver = cell(bad, "laren-naarderstraat", "exemptions")
    assert f"{waiver}: exemptions[0].criterion: unknown criterion 'social_rent_shar'" in text
    day = cell(bad, "huizen-oostermeent", "exemptions")
    assert f"{day}: exemptions[0].decided: must be a date" in text
    grid = cell(bad, "huizen-holleblok", "obstacles")
    assert f"{grid}: obstacles[0].category: must be one of" in text
    formula = cell(bad, "wijdemeren-ankeveen-dorp", "homes_mid_rent")
    assert f"{formula}: homes_mid_rent: is a formula" in text
    row = "".join(ch for ch in formula if ch.isdigit())
    same_row = [e for e in text.splitlines() if re.match(rf"Plans![A-Z]+{row}:", e)]
    assert len(same_row) == 1  # no follow-up error (the delivery sum) for that row
    assert "id 'blaricum-eemnesserweg' is also used in row" in text
    assert "Traceback" not in result.output


def test_a_formula_in_a_required_column_is_one_error(workbook: Path, tmp_path: Path) -> None:
    bad = edited(workbook, tmp_path / "bad.xlsx", {("laren-brink", "name"): "=A1"})
    result = invoke("import", str(bad), "--out", str(tmp_path / "o"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    formula = cell(bad, "laren-brink", "name")
    row = "".join(ch for ch in formula if ch.isdigit())
    same_row = [e for e in result.stderr.splitlines() if re.match(rf"Plans![A-Z]+{row}:", e)]
    assert same_row == [f"{formula}: name: is a formula; type the value itself (not imported)"]


def test_existing_files_need_overwrite(workbook: Path, tmp_path: Path) -> None:
    args = ["import", str(workbook), "--out", str(tmp_path), "--criteria", str(CRITERIA)]
    existing = tmp_path / "huizen-centrum.yaml"
    existing.write_text("# mine\n", encoding="utf-8")
    result = invoke(*args)
    assert result.exit_code == 2
    assert "huizen-centrum.yaml" in result.stderr and "--overwrite" in result.stderr
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["huizen-centrum.yaml"]
    result = invoke(*args, "--overwrite")
    assert result.exit_code == 0, result.output
    assert existing.read_text(encoding="utf-8").startswith("# Imported from")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("names", "english", "dutch"),
    [
        (["huizen-centrum"], "already exists; use", "bestaat al; gebruik"),
        (["huizen-centrum", "laren-brink"], "already exist; use", "bestaan al; gebruik"),
    ],
)
def test_existing_files_are_named_in_singular_or_plural(
    workbook: Path, tmp_path: Path, names: list[str], english: str, dutch: str
) -> None:
    # Before: "{names}: already exist(s); ..." whether one file or several was in the way.
    for name in names:
        (tmp_path / f"{name}.yaml").write_text("# mine\n", encoding="utf-8")
    listed = ", ".join(str(tmp_path / f"{name}.yaml") for name in names)
    args = ["import", str(workbook), "--out", str(tmp_path), "--criteria", str(CRITERIA)]
    for language, words in (("en", english), ("nl", dutch)):
        result = invoke(*args, "--lang", language)
        assert result.exit_code == 2, result.output
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"{listed}: {words} --overwrite ("), line


@pytest.mark.parametrize("kind", ["text", "missing", "no-plans-sheet", "directory"])
def test_unreadable_workbooks_give_one_line(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "plans.xlsx"
    if kind == "text":
        path.write_text("id,name\nx,y\n", encoding="utf-8")
    elif kind == "no-plans-sheet":
        openpyxl.Workbook().save(path)
    elif kind == "directory":
        path.mkdir()
    result = invoke("import", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(str(path))
    assert not (tmp_path / "out").exists()


def test_a_hand_made_sheet_with_a_few_columns(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Plans"
    ws.append(
        ["id", "name", "municipality", "phase", "homes_social_rent", "homes_free_buy",
         "delivery_2029", "delivery_2030", "stop_3_name", "stop_3_type", "stop_3_distance_m",
         "obstacles", "exemptions"]
    )  # fmt: skip
    ws.append(
        ["huizen-nieuw", " Nieuw ", "Huizen", "initiative", "20", 40.0, 30, 30, "Huizen, Bus",
         "bus", "450", "costs: too high\nnitrogen", None]
    )  # fmt: skip
    ws.append([None] * 13)  # blank rows are skipped
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    result = invoke("import", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "out" / "huizen-nieuw.yaml").read_text(encoding="utf-8"))
    assert data == {
        "id": "huizen-nieuw",
        "name": "Nieuw",
        "municipality": "Huizen",
        "phase": "initiative",
        "homes": {"social_rent": 20, "free_buy": 40},
        "delivery": {2029: 30, 2030: 30},
        "public_transport": [{"stop": "Huizen, Bus", "type": "bus", "walking_distance_m": 450}],
        "obstacles": [{"category": "costs", "note": "too high"}, {"category": "nitrogen"}],
    }


def test_unknown_columns_are_errors_with_a_suggestion(workbook: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    header = [c.value for c in wb["Plans"][1]]
    wb["Plans"].cell(1, header.index("homes_social_rent") + 1).value = "homes_socal_rent"
    path = tmp_path / "typo.xlsx"
    wb.save(path)
    result = invoke("import", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "unknown column 'homes_socal_rent' (did you mean 'homes_social_rent'?)" in result.stderr


def test_every_segment_has_a_column(workbook: Path) -> None:
    header = [c.value for c in openpyxl.load_workbook(workbook)["Plans"][1]]
    for segment in SEGMENTS:
        assert f"homes_{segment}" in header and f"demolished_{segment}" in header


def test_injected_text_comes_back_unchanged(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(PLANS / "laren-brink.yaml", plans)
    text = (plans / "laren-brink.yaml").read_text(encoding="utf-8")
    text = text.replace("name: ", 'name: "=1+2" # ', 1)
    (plans / "laren-brink.yaml").write_text(text, encoding="utf-8")
    wb = tmp_path / "wb.xlsx"
    assert invoke("progress", str(plans), "--xlsx", str(wb)).exit_code == 0
    out = tmp_path / "out"
    result = invoke("import", str(wb), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((out / "laren-brink.yaml").read_text(encoding="utf-8"))
    assert data["name"] == "=1+2"


def test_a_failing_write_leaves_no_plan_of_the_import(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    real_fdopen = os.fdopen
    opened: list[int] = []

    def full_after_three(fd: int, mode: str = "r", **kwargs: Any) -> Any:
        opened.append(fd)
        if len(opened) > 3:
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, mode, **kwargs)

    monkeypatch.setattr(os, "fdopen", full_after_three)
    out = tmp_path / "out"
    result = invoke("import", str(workbook), "--out", str(out), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert list(out.iterdir()) == []  # not three plans of twenty-four, and no temporary files


def test_a_text_cell_with_a_thousands_dot_is_not_a_decimal(workbook: Path, tmp_path: Path) -> None:
    # issue 12 point 1: a text cell "1.200" became 1.2 square metres
    bad = edited(
        workbook,
        tmp_path / "dots.xlsx",
        {
            ("hilversum-media-park", "work_floor_area_m2"): "1.200",
            ("hilversum-media-park", "stop_1_distance_m"): "1.650",
        },
    )
    result = invoke("import", str(bad), "--out", str(tmp_path / "out"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    area = cell(bad, "hilversum-media-park", "work_floor_area_m2")
    stop = cell(bad, "hilversum-media-park", "stop_1_distance_m")
    assert (
        f"{area}: work.floor_area_m2: '1.200' is text, not a number; "
        f"write whole square metres: 1200" in result.stderr
    )
    assert (
        f"{stop}: public_transport[0].walking_distance_m: '1.650' is text, not a number; "
        "write whole metres: 1650" in result.stderr
    )


def test_a_price_text_cell_with_a_thousands_dot_is_not_read_as_euros(
    workbook: Path, tmp_path: Path
) -> None:
    # "405.000" in a text cell became a sale price of 405 euros, under every limit
    bad = edited(
        workbook,
        tmp_path / "price.xlsx",
        {("hilversum-arenapark", "price_affordable_buy"): "405.000"},
    )
    result = invoke("import", str(bad), "--out", str(tmp_path / "out"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    where = cell(bad, "hilversum-arenapark", "price_affordable_buy")
    assert (
        f"{where}: prices.affordable_buy: '405.000' is text, not a number; "
        "write 405000, without a thousands separator" in result.stderr
    )


def test_a_workbook_written_in_english_is_read_in_a_dutch_run(
    workbook: Path, tmp_path: Path
) -> None:
    # The row of headers in words was only recognised in the run's own language: in a Dutch run
    # (the bundled region's default) an English workbook's row 2 was read as a plan, 37 errors.
    out = tmp_path / "out"
    args = ("import", str(workbook), "--out", str(out), "--criteria", str(CRITERIA))
    result = invoke(*args, "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in PLANS.glob("*.yaml"))


def test_every_problem_of_the_workbook_is_reported_at_once(workbook: Path, tmp_path: Path) -> None:
    # issue 12 point 11: an unknown column no longer hides the cells' problems
    wb = openpyxl.load_workbook(workbook)
    header = [c.value for c in wb["Plans"][1]]
    wb["Plans"].cell(1, header.index("notes") + 1).value = "noets"
    path = tmp_path / "both.xlsx"
    wb.save(path)
    bad = edited(path, tmp_path / "both2.xlsx", {("hilversum-media-park", "homes_social_rent"): -4})
    result = invoke("import", str(bad), "--out", str(tmp_path / "out"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert any("unknown column 'noets' (did you mean 'notes'?)" in e for e in errors)
    where = cell(bad, "hilversum-media-park", "homes_social_rent")
    assert f"{where}: homes.social_rent: must be >= 0 (got -4)" in errors
    assert errors.index(next(e for e in errors if "noets" in e)) < errors.index(
        f"{where}: homes.social_rent: must be >= 0 (got -4)"
    )  # the header first, then each cell
    assert errors[-1].endswith("nothing written (2 problems)")
    assert not (tmp_path / "out").exists()


def test_prices_round_trip_and_a_bad_price_names_its_cell(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    invoke("import", str(workbook), "--out", str(out), "--criteria", str(CRITERIA))
    data = yaml.safe_load((out / "gooise-meren-bussum-zuid.yaml").read_text(encoding="utf-8"))
    assert data["prices"] == {"social_rent": 925, "mid_rent": 1250}
    assert "prices" not in yaml.safe_load((out / "laren-brink.yaml").read_text(encoding="utf-8"))
    bad = edited(
        workbook,
        tmp_path / "bad.xlsx",
        {
            ("hilversum-arenapark", "price_mid_rent"): -5,
            ("laren-brink", "price_mid_rent"): "1150.50",  # a number typed as text is read
        },
    )
    result = invoke("import", str(bad), "--out", str(tmp_path / "o"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    where = cell(bad, "hilversum-arenapark", "price_mid_rent")
    assert result.stderr.splitlines()[0] == f"{where}: prices.mid_rent: must be > 0 (got -5)"
    assert "nothing written (1 problem)" in result.stderr
