"""`woonplan check` end to end, through typer's CliRunner and a subprocess, on example files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CRITERIA, EXAMPLES, PLANS

from woonplan import __version__

VALID = sorted((EXAMPLES / "valid").glob("*.y*ml"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))
BAD_CRITERIA = sorted((EXAMPLES / "criteria").glob("bad-*.yaml"))
ANSI = re.compile(r"\x1b\[")

Run = Callable[..., Any]

GOOD = """\
id: {id}
name: Test plan
municipality: Hilversum
phase: {phase}
homes:
  social_rent: {social}
  mid_rent: 30
  free_buy: {free}
delivery:
  {year}: 100
public_transport:
  - stop: Hilversum
    type: train
    walking_distance_m: 500
work:
  jobs: 20
"""


def plan(pid: str, social: int = 40, phase: str = "adopted", year: int = 2027) -> str:
    """A plan that passes every criterion with social=40, warns at 31, fails at 20."""
    return GOOD.format(id=pid, social=social, free=70 - social, phase=phase, year=year)


def expectations(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ").rstrip("\n")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


def check_json(run: Run, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("check", "--format", "json", "--as-of", "2025", "--criteria", str(CRITERIA), *args)
    return result.exit_code, json.loads(result.stdout)


# --- acceptance tests driven by tests/examples/ -------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_examples_are_valid(run: Run, path: Path) -> None:
    code, data = check_json(run, str(path))
    (entry,) = data["plans"]
    assert entry["errors"] == []
    assert entry["valid"] is True
    assert entry["id"] == path.name.rsplit(".", 1)[0]
    assert code in (0, 1)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_examples_give_their_expected_errors(run: Run, path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' header"
    code, data = check_json(run, str(path))
    assert code == 2
    (entry,) = data["plans"]
    assert entry["valid"] is False
    assert entry["verdict"] == "invalid"
    lines = [
        f"{e['file']}:{e['line']}:{e['column']}: "
        + (f"{e['path']}: " if e["path"] else "")
        + e["message"]
        for e in entry["errors"]
    ]
    assert len(lines) == len(expected), lines
    for line, fragment in zip(lines, expected, strict=True):
        assert line.startswith(str(path)), line
        assert fragment in line


@pytest.mark.parametrize("path", BAD_CRITERIA, ids=lambda p: p.name)
def test_bad_criteria_are_refused_at_load_with_their_line(run: Run, path: Path) -> None:
    (fragment,) = expectations(path)
    result = run("check", "--criteria", str(path), str(EXAMPLES / "valid"))
    assert result.exit_code == 2
    assert f"{path}:{fragment}" in result.stderr
    assert result.stdout == ""  # refused before any plan was scored
    assert "Traceback" not in result.output


def test_bad_expression_in_the_local_criteria_yaml(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = CRITERIA.read_text().replace(
        "    metric: jobs_per_home\n", '    expression: "work.jobs ** 2"\n'
    )
    (tmp_path / "criteria.yaml").write_text(text)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.yaml").write_text(plan("p"))
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2
    assert re.search(
        r"^criteria\.yaml:\d+:\d+: criteria\[3\]\.expression: operator \*\*", result.stderr, re.M
    )


# --- exit codes ---------------------------------------------------------------------------


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write plans into ./plans under a fresh working folder; returns the folder."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "plans"
    folder.mkdir()

    def write(**texts: str) -> Path:
        for name, text in texts.items():
            (folder / f"{name}.yaml").write_text(text)
        return folder

    return write


@pytest.mark.parametrize(
    ("social", "strict", "code"),
    [
        (40, False, 0),  # all pass
        (40, True, 0),
        (31, False, 0),  # warns
        (31, True, 1),  # --strict: a warning fails
        (20, False, 1),  # a required criterion fails
    ],
)
def test_exit_codes(
    run: Run, plans: Callable[..., Path], social: int, strict: bool, code: int
) -> None:
    plans(p=plan("p", social=social))
    args = ["check", "--as-of", "2025", "--criteria", str(CRITERIA), "plans"]
    assert run(*args, *(["--strict"] if strict else [])).exit_code == code


def test_an_invalid_file_exits_2_even_next_to_valid_ones(
    run: Run, plans: Callable[..., Path]
) -> None:
    plans(good=plan("good"), bad=plan("bad").replace("Hilversum\n", "Weesp\n", 1))
    assert run("check", "--as-of", "2025", "plans").exit_code == 2


def test_default_path_is_plans(run: Run, plans: Callable[..., Path]) -> None:
    plans(p=plan("p"))
    result = run("check", "--as-of", "2025")
    assert result.exit_code == 0
    assert "plans/p.yaml" in result.stdout


def test_a_path_that_does_not_exist_exits_2(run: Run, tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    # alone, a missing path is a usage error: one line on stderr, no report
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{tmp_path / 'nope.yaml'}: no such file or folder"]


def test_a_missing_path_among_plans_is_reported_with_them(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "laren-brink.yaml"
    plan.write_bytes((PLANS / "laren-brink.yaml").read_bytes())
    result = run("check", str(plan), str(tmp_path / "nope.yaml"), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [p["verdict"] for p in data["plans"]] == ["invalid", "not_reviewed"]
    assert data["plans"][0]["errors"][0]["message"] == "no such file or folder"


def test_bad_options_exit_2(run: Run) -> None:
    assert run("check", "--format", "xml").exit_code == 2
    assert run("check", "--as-of", "1800").exit_code == 2
    assert run("check", "--criteria", "/nonexistent/criteria.yaml").exit_code == 2


# --- --as-of: data warnings ---------------------------------------------------------------


def test_overdue_delivery_warns_with_the_delivery_line(
    run: Run, plans: Callable[..., Path]
) -> None:
    plans(p=plan("p", phase="preparation", year=2024))
    code, data = check_json(run, "plans")
    assert data["plans"][0]["warnings"] == [
        {
            "file": "plans/p.yaml",
            "line": 10,
            "column": 3,
            "path": "delivery.2024",
            "message": "overdue: delivery in 2024 is in the past but the phase is still "
            "'preparation'",
            "code": "overdue-delivery",
        }
    ]
    assert code == 0  # a data warning does not fail a plan...
    strict = run("check", "--strict", "--as-of", "2025", "--criteria", str(CRITERIA), "plans")
    assert strict.exit_code == 1  # ...except with --strict
    later = run("check", "--format", "json", "--as-of", "2024", "plans")
    assert json.loads(later.stdout)["plans"][0]["warnings"] == []


def test_completed_plan_delivering_in_the_future_warns(
    run: Run, plans: Callable[..., Path]
) -> None:
    plans(p=plan("p", phase="completed", year=2027))
    _, data = check_json(run, "plans")
    (warning,) = data["plans"][0]["warnings"]
    assert (warning["line"], warning["path"]) == (10, "delivery.2027")
    assert warning["message"] == "the plan is 'completed' but delivers in 2027, after 2025"


# --- JSON shape ---------------------------------------------------------------------------

# The keys of SPEC.md's "JSON output of check", in its order, then the additions that
# README.md documents ("fields may be added, never renamed or removed"). Pinned exactly, so a
# renamed, dropped or undocumented key fails here.
PLAN_KEYS = ["file", "id", "valid", "errors", "warnings", "score", "verdict", "criteria"]
PROBLEM_KEYS = ["file", "line", "column", "path", "message", "code"]
CRITERION_KEYS = ["id", "status", "value", "score", "required", "weight", "message"]
CRITERION_ADDED = ["title", "target", "limit", "better", "waiver"]
SUMMARY_KEYS = ["plans", "invalid", "pass", "warn", "fail", "not_reviewed"]
TOP_ADDED = ["as_of", "criteria_file"]


def test_json_has_exactly_the_keys_of_the_spec(run: Run) -> None:
    code, data = check_json(
        run, str(EXAMPLES / "hand"), str(EXAMPLES / "invalid" / "negative-homes.yaml")
    )
    assert code == 2
    assert list(data) == ["plans", "summary", *TOP_ADDED]
    assert (data["as_of"], data["criteria_file"]) == (2025, str(CRITERIA))
    assert list(data["summary"]) == SUMMARY_KEYS
    for entry in data["plans"]:
        assert list(entry) == PLAN_KEYS
        for problem in entry["errors"] + entry["warnings"]:
            assert list(problem) == PROBLEM_KEYS
        for item in entry["criteria"]:
            assert list(item) == CRITERION_KEYS + CRITERION_ADDED
    bad = data["plans"][-1]
    assert bad["errors"][0]["path"] == "homes.social_rent"
    assert (bad["score"], bad["verdict"], bad["criteria"]) == (None, "invalid", [])
    assert data["summary"] == {
        "plans": 5,
        "invalid": 1,
        "pass": 0,
        "warn": 2,
        "fail": 1,
        "not_reviewed": 1,
    }


def test_json_criterion_values(run: Run) -> None:
    _, data = check_json(run, str(EXAMPLES / "hand" / "hand-d.yaml"))
    (entry,) = data["plans"]
    social = entry["criteria"][0]
    assert social["id"] == "social_rent_share"
    assert (social["status"], social["value"], social["required"], social["weight"]) == (
        "waived",
        0.2,
        True,
        3,
    )
    assert "waived on 2025-03-12: Compensated elsewhere in the region" in social["message"]
    assert social["waiver"] == {
        "reason": "Compensated elsewhere in the region",
        "decided": "2025-03-12",
    }
    assert [c["waiver"] for c in entry["criteria"][1:]] == [None, None, None]
    assert isinstance(entry["score"], float)


# --- --output, terminals, version ---------------------------------------------------------


def test_output_writes_the_file_and_prints_nothing(run: Run, plans: Callable[..., Path]) -> None:
    plans(p=plan("p"))
    result = run("check", "--as-of", "2025", "--format", "json", "--output", "report.json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(Path("report.json").read_text())["summary"]["pass"] == 1
    assert [p.name for p in Path().iterdir() if p.name.startswith(".report")] == []


def test_output_replaces_an_existing_file_atomically(run: Run, plans: Callable[..., Path]) -> None:
    plans(p=plan("p"))
    Path("report.txt").write_text("old report\n")
    assert run("check", "--as-of", "2025", "-o", "report.txt").exit_code == 0
    assert "old report" not in Path("report.txt").read_text()
    # an output folder that does not exist: exit 2, nothing written, the old file untouched
    result = run("check", "--as-of", "2025", "-o", "missing/report.txt")
    assert result.exit_code == 2
    assert not Path("missing").exists()


def test_table_reads_in_words(run: Run) -> None:
    args = ["check", "--as-of", "2025", "--criteria", str(CRITERIA), str(EXAMPLES / "hand")]
    result = run(*args, env={"COLUMNS": "200"})
    out = result.stdout
    assert "FAIL hand-a  score 31.7" in out
    assert "25% (target 33.3% or more, limit 30%)" in out
    assert "1,000 m (target 800 m or less, limit 1,200 m)" in out
    assert "no train or HOV stop listed" in out
    assert "waived on 2025-03-12: Compensated elsewhere in the region" in out
    assert "under the review threshold of 50 homes: not scored" in out
    assert result.exit_code == 1


def test_table_shows_the_bundled_failing_plan_in_words(run: Run) -> None:
    result = run(
        "check", "--as-of", "2025", "--criteria", str(CRITERIA), "plans/blaricum-eemnesserweg.yaml"
    )
    assert "14.3% (target 33.3% or more, limit 30%)" in result.stdout


def test_table_lists_errors_as_file_line_col(run: Run) -> None:
    path = EXAMPLES / "invalid" / "negative-homes.yaml"
    result = run("check", "--criteria", str(CRITERIA), str(path))
    assert f"{path}:7:16: homes.social_rent: must be >= 0 (got -4)" in result.stdout


def _subprocess(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "woonplan", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_python_m_woonplan_version() -> None:
    result = _subprocess("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"woonplan {__version__}"


def test_no_escape_codes_when_output_is_not_a_terminal() -> None:
    result = _subprocess(
        "check",
        "--as-of",
        "2025",
        "--criteria",
        str(CRITERIA),
        str(EXAMPLES / "hand"),
        str(EXAMPLES / "invalid" / "typo-key.yaml"),
        TERM="xterm-256color",
        COLUMNS="80",
    )
    assert result.returncode == 2
    assert "FAIL hand-a" in result.stdout
    assert not ANSI.search(result.stdout + result.stderr)
    assert "Traceback" not in result.stderr


def test_help_and_usage_errors_have_no_traceback(run: Run) -> None:
    assert run("check", "--help").exit_code == 0
    result = run("check", "--bogus")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_plan_no_criterion_applies_to_is_not_called_small(run: Run, tmp_path: Path) -> None:
    criteria = tmp_path / "criteria.yaml"
    text = CRITERIA.read_text(encoding="utf-8")
    only_completed = "    when: \"phase == 'completed'\"\n    weight:"
    criteria.write_text(text.replace("    weight:", only_completed), encoding="utf-8")
    result = run("check", str(PLANS / "hilversum-stationsgebied.yaml"), "--criteria", str(criteria))
    assert "no criterion applies to this plan: not scored" in result.stdout
    assert "review threshold" not in result.stdout
