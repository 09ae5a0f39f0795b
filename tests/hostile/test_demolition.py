"""Demolition beyond any real plan is an error; shares of a negative total are n/a (issue 11, 22).

``demolished.social_rent: 1000000000000000`` was a valid plan: the region's totals became
absurdly negative and a municipality's social-rent share 1.0 (negative over negative). Now more
than 10,000 demolished homes in one segment is an error (``demolition-too-large``), more than
ten times the plan's new homes a warning (``demolition-exceeds-homes``), and a share of a planned
total that is zero or negative is n/a: ``null`` in JSON, ``–`` on screen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probe import CRITERIA, plan_text
from typer.testing import CliRunner

from woonplan.checking.plan_rules import DEMOLITION_RATIO, MAX_DEMOLISHED
from woonplan.cli import app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, demolished: str) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text("plan", f"demolished:\n{demolished}"))
    return plan


def check_json(plan: Path) -> tuple[int, dict[str, object]]:
    code, out, _ = invoke(
        "check", "--criteria", str(CRITERIA), "--format", "json", "--as-of", "2025", str(plan)
    )
    plans: list[dict[str, object]] = json.loads(out)["plans"]
    return code, plans[0]


def codes(found: object) -> list[str]:
    assert isinstance(found, list)
    return [str(p["code"]) for p in found]


def test_an_absurd_demolition_is_an_error_at_its_line(tmp_path: Path) -> None:
    plan = write(tmp_path, "  social_rent: 1000000000000000\n")
    code, report = check_json(plan)
    assert code == 2
    errors = report["errors"]
    assert codes(errors) == ["demolition-too-large"]
    assert isinstance(errors, list)
    # plan_text has 9 lines; `demolished:` is line 10, its social_rent line 11, value column 16
    assert (errors[0]["line"], errors[0]["column"]) == (11, 16)
    assert errors[0]["path"] == "demolished.social_rent"
    assert "1,000,000,000,000,000" in errors[0]["message"]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(MAX_DEMOLISHED, []), (MAX_DEMOLISHED + 1, ["demolition-too-large"])],
)
def test_the_bound_is_per_segment_and_inclusive(
    tmp_path: Path, count: int, expected: list[str]
) -> None:
    assert MAX_DEMOLISHED == 10_000
    plan = write(tmp_path, f"  free_buy: {count}\n  social_rent: {count}\n")
    _, report = check_json(plan)
    assert codes(report["errors"]) == expected * 2


@pytest.mark.parametrize(("count", "warned"), [(1_000, False), (1_001, True)])
def test_demolishing_more_than_ten_times_the_new_homes_warns(
    tmp_path: Path, count: int, warned: bool
) -> None:
    # the plan builds 100 homes: 10 × 100 = 1,000 demolished is the most without a warning
    assert DEMOLITION_RATIO == 10
    plan = write(tmp_path, f"  free_buy: {count}\n")
    _, report = check_json(plan)
    assert report["valid"] is True
    warnings = codes(report["warnings"])
    assert ("demolition-exceeds-homes" in warnings) is warned
    code_strict, _, _ = invoke(
        "check", "--criteria", str(CRITERIA), "--strict", "--as-of", "2025", str(plan)
    )
    if warned:
        assert code_strict == 1


def test_a_share_of_a_negative_total_is_not_100_percent(tmp_path: Path) -> None:
    # One plan in Hilversum: 40 social rent + 60 free buy = 100 new homes in 2027, and 5,000
    # social-rent homes demolished (a warning, not an error: at most 10,000 per segment).
    # Net in 2027: planned = 100 − 5,000 = −4,900; social rent = 40 − 5,000 = −4,960.
    # Before: share = −4,960 / −4,900 = 1.012, shown as 101%. Now: n/a.
    plan = write(tmp_path, "  social_rent: 5000\n")
    code, out, _ = invoke(
        "progress", "--criteria", str(CRITERIA), "--format", "json", "--as-of", "2025", str(plan)
    )
    assert code == 0
    hilversum = next(m for m in json.loads(out)["municipalities"] if m["name"] == "Hilversum")
    assert hilversum["planned"] == -4900
    assert hilversum["social_rent_planned"] == -4960.0
    assert hilversum["social_rent_share"] is None
    for fmt in ("table", "markdown"):
        _, out, _ = invoke(
            "progress", "--criteria", str(CRITERIA), "--format", fmt, "--as-of", "2025", str(plan)
        )
        row = next(line for line in out.splitlines() if "Hilversum" in line)
        assert "101%" not in row and row.rstrip(" |").endswith("–"), row


def test_the_bound_is_reported_beside_other_errors_of_the_file(tmp_path: Path) -> None:
    # SPEC: all errors of a file; an unknown segment is only an unknown key
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        plan_text("plan").replace("social_rent: 40", "social_rent: -1")
        + "demolished:\n  social_rent: 20000\n  socal: 30000\n"
    )
    _, report = check_json(plan)
    assert sorted(codes(report["errors"])) == [
        "demolition-too-large",
        "out-of-range",
        "unknown-key",
    ]
