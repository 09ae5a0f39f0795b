"""``woonplan progress`` through the real command line (typer's CliRunner)."""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CRITERIA, PLANS
from test_progress import EXPECTED_2025, HAND_CRITERIA, HAND_PLANS

Run = Callable[..., Any]
ANSI = re.compile(r"\x1b\[")
BAD_PLAN = """\
id: bad
name: Bad
municipality: Zuidstad
phase: adopted
homes:
  social_rent: -4
  free_buy: 10
delivery:
  2025: 10
"""


@pytest.fixture
def hand_copy(tmp_path: Path) -> Path:
    """A copy of the hand-computed plan set that a test may add files to."""
    folder = tmp_path / "plans"
    shutil.copytree(HAND_PLANS, folder)
    return folder


def _hand(run: Run, *args: str, env: dict[str, str] | None = None) -> Any:
    return run("progress", "--criteria", str(HAND_CRITERIA), "--as-of", "2025", *args, env=env)


# --- invalid input ----------------------------------------------------------------------------


def test_invalid_file_is_listed_and_left_out_of_the_figures(run: Run, hand_copy: Path) -> None:
    bad = hand_copy / "bad.yaml"
    bad.write_text(BAD_PLAN, encoding="utf-8")
    result = _hand(run, str(hand_copy), "--format", "json")
    assert result.exit_code == 2
    assert f"{bad}:6:16: homes.social_rent: must be >= 0 (got -4)" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr + result.stdout
    data = json.loads(result.stdout)
    assert data["invalid"] == [str(bad)]
    # the figures are exactly those of the valid hand-computed set
    assert {k: v for k, v in data.items() if k != "invalid"} == {
        k: v for k, v in EXPECTED_2025.items() if k != "invalid"
    }


@pytest.mark.parametrize("format", ["table", "markdown"])
def test_invalid_file_is_named_in_table_and_markdown(
    run: Run, hand_copy: Path, format: str
) -> None:
    bad = hand_copy / "bad.yaml"
    bad.write_text(BAD_PLAN, encoding="utf-8")
    result = _hand(run, str(hand_copy), "--format", format)
    assert result.exit_code == 2
    # issue 12 point 5: said first, before any figure (6 valid hand plans + bad.yaml)
    first = result.stdout.splitlines()[0]
    assert first.strip("*") == "1 of 7 plan files is invalid and left out of these figures" + (
        "." if format == "markdown" else ""
    )
    assert str(bad) in result.stdout
    assert "391 planned of target 1,000" in result.stdout  # the valid plans' figures


def test_empty_plans_folder_is_a_one_line_message(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("progress", str(empty))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{empty}: no plan files found (*.yaml or *.yml)"]


def test_bad_criteria_is_exit_2_and_leaves_the_output_file_alone(run: Run, tmp_path: Path) -> None:
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text("region: [not, a, mapping]\ncriteria: []\n", encoding="utf-8")
    out = tmp_path / "progress.json"
    out.write_text("previous", encoding="utf-8")
    result = run("progress", str(HAND_PLANS), "--criteria", str(criteria), "--output", str(out))
    assert result.exit_code == 2
    assert str(criteria) in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["criteria.yaml", "progress.json"]


# --- --output ---------------------------------------------------------------------------------


def test_output_writes_the_report_to_the_file(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "progress.json"
    out.write_text("previous", encoding="utf-8")
    result = _hand(run, str(HAND_PLANS), "--format", "json", "--output", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == EXPECTED_2025
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]  # no temporary file left


def test_output_is_atomic_when_the_rename_fails(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("woonplan.output.os.replace", refuse)
    out = tmp_path / "progress.md"
    out.write_text("previous", encoding="utf-8")
    result = _hand(run, str(HAND_PLANS), "--format", "markdown", "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and str(out) in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["progress.md"]


def test_output_into_a_missing_folder_is_exit_2(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "progress.md"
    result = _hand(run, str(HAND_PLANS), "--format", "markdown", "--output", str(out))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not out.parent.exists()


# --- markdown and table -----------------------------------------------------------------------


def test_markdown_renders_tables(run: Run) -> None:
    result = _hand(run, str(HAND_PLANS), "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("## Testregio: new homes 2024–2027 (as of 2025)\n")
    header = (
        "| Municipality | Target | Completed | Planned | Expected | Social rent | Social share "
        "| Affordable share |"
    )
    assert header in text
    lines = text.splitlines()
    after = lines[lines.index(header) + 1]
    assert re.fullmatch(r"\| --- (\| ---: )+\|", after)
    # hand figures (tests/test_progress.py), rounded to whole homes (half up) for display:
    # Zuidstad expected 120.5 → 121, social rent 61.7 → 62. Affordable = social rent + mid rent:
    # Noorddorp 43.4 + P2's 30 mid rent = 73.4, / 196 = 37%; Zuidstad 61.667 − P6's 10
    # demolished mid rent = 51.667, / 195 = 26%
    assert "| Noorddorp | 600 | 71 | 196 | 176 | 43 | 22% | 37% |" in lines
    assert "| Oosterveen | – | 0 | 0 | 0 | 0 | – | – |" in lines
    assert "| Zuidstad | – | 0 | 195 | 121 | 62 | 32% | 26% |" in lines
    assert "| nitrogen (stikstof) | 2 | 175 |" in lines
    assert "| **planned** | **391** | **105** |" in lines
    assert "3 pass, 1 warn, 1 fail, 1 not reviewed" in lines
    # every table row has as many cells as its header
    for line in lines:
        if line.startswith("|"):
            assert line.endswith("|")


def test_display_rounds_half_homes_like_the_json(run: Run) -> None:
    """expected 296.5 and 2024's 88.5 (JSON, half away from zero) show as 297 and 89."""
    text = _hand(run, str(HAND_PLANS), "--format", "markdown").stdout
    assert "expected 297 (30%)" in text
    assert "| 2024 | 71 | 96 | 89 |  |" in text.splitlines()
    table = _hand(run, str(HAND_PLANS)).stdout
    assert "expected 297 (30%)" in table


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}, {"TERM": "xterm-256color"}])
def test_table_has_no_escape_codes_when_not_a_terminal(run: Run, env: dict[str, str]) -> None:
    result = _hand(run, str(HAND_PLANS), env=env)
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert "Testregio — new homes 2024–2027" in result.stdout
    assert "Homes (woningen): 391 planned of target 1,000" in result.stdout
    assert "pace needed: 310 homes a year" in result.stdout


def test_table_as_of_after_the_period_has_no_pace(run: Run) -> None:
    result = run("progress", str(HAND_PLANS), "--criteria", str(HAND_CRITERIA), "--as-of", "2028")
    assert result.exit_code == 0
    assert "the period ended in 2027: no pace left to compute" in result.stdout
    assert "pace needed" not in result.stdout


# --- the bundled data -------------------------------------------------------------------------


def _recount(plans: Path, criteria: Path) -> dict[str, Any]:
    """The totals of SPEC.md's net-additions rule, recomputed straight from the YAML files.

    Independent of woonplan's code on purpose: plain dicts from PyYAML, one loop.
    """
    region = yaml.safe_load(criteria.read_text(encoding="utf-8"))["region"]
    start, end = region["period"]["start"], region["period"]["end"]
    group = {
        "completed": "completed",
        "under_construction": "under_construction",
        "adopted": "hard",
        "initiative": "soft",
        "feasibility": "soft",
        "preparation": "soft",
    }
    homes = dict.fromkeys(["completed", "under_construction", "hard", "soft", "after_period"], 0)
    social = dict.fromkeys(homes, 0.0)
    expected = social_expected = 0.0
    towns = dict.fromkeys(region["municipalities"], 0)
    files = sorted(plans.glob("*.yaml"))
    for path in files:
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        total = sum(plan["homes"].values())
        gone = plan.get("demolished", {})
        first = min(year for year, n in plan["delivery"].items() if n)
        factor = region["realisation"][plan["phase"]]
        for year, n in plan["delivery"].items():
            sr = plan["homes"].get("social_rent", 0) * n / total
            if year == first:
                n -= sum(gone.values())
                sr -= gone.get("social_rent", 0)
            if year > end:
                key = "after_period"
            elif year >= start:
                key = group[plan["phase"]]
                expected += n * factor
                social_expected += sr * factor
                towns[plan["municipality"]] += n
            else:
                continue
            homes[key] += n
            social[key] += sr
    in_period = ("completed", "under_construction", "hard", "soft")
    return {
        "files": len(files),
        "totals": homes | {"planned": sum(homes[k] for k in in_period), "expected": expected},
        "social_rent": social
        | {"planned": sum(social[k] for k in in_period), "expected": social_expected},
        "towns": towns,
    }


def test_bundled_data_totals_trace_back_to_the_plan_files(run: Run) -> None:
    result = run(
        "progress", str(PLANS), "--criteria", str(CRITERIA), "--format", "json", "--as-of", "2026"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    recount = _recount(PLANS, CRITERIA)
    assert recount["files"] >= 10 and data["invalid"] == []
    assert sum(data["verdicts"].values()) <= recount["files"]
    for key, value in recount["totals"].items():
        if key == "expected":
            assert math.isclose(data["totals"][key], value, abs_tol=0.05 + 1e-9), key
        else:
            assert data["totals"][key] == value, key
    for key, value in recount["social_rent"].items():
        assert math.isclose(data["social_rent"][key], value, abs_tol=0.05 + 1e-9), key
    assert {m["name"]: m["planned"] for m in data["municipalities"]} == recount["towns"]
    target = data["totals"]["target"]
    missing = target - data["totals"]["completed"]
    assert data["totals"]["required_per_year"] == math.ceil(missing / (2030 - 2026 + 1))
    assert data["totals"]["gap"] == pytest.approx(target - data["totals"]["expected"], abs=0.1)


def test_bundled_data_table_shows_the_headline_with_thousands_separators(run: Run) -> None:
    args = ("progress", str(PLANS), "--criteria", str(CRITERIA), "--as-of", "2026")
    figures = json.loads(run(*args, "--format", "json").stdout)["totals"]
    assert figures["planned"] >= 1000  # so the separator shows
    result = run(*args)
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    headline = f"Homes (woningen): {figures['planned']:,} planned of target {figures['target']:,}"
    assert headline in result.stdout
    assert f"completed {figures['completed']:,}" in result.stdout
    assert f"pace needed: {figures['required_per_year']:,} homes a year" in result.stdout


def test_a_missing_path_alone_is_a_one_line_message(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "plnas"
    result = run("progress", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{missing}: no such file or folder"]
