"""A required criterion that cannot be computed fails the plan (issue 11, defect 20).

Before, a division by zero, a non-finite result or a ``when`` on a missing optional field made a
required criterion ``error``, and the verdict only ``warn`` with exit 0: leaving out an optional
field switched a required criterion off. SPEC: an ``error`` counts as a failure for the verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probe import CRITERIA, plan_text
from typer.testing import CliRunner

from woonplan.cli import app

REGION = CRITERIA.read_text(encoding="utf-8").split("\ncriteria:")[0] + "\ncriteria:\n"

CASES = {
    # the plan demolishes nothing: division by zero
    "division": ('expression: "homes.social_rent / demolished_homes"', "division by zero"),
    # 1e300 * 1e300 is not a finite number
    "non-finite": ('expression: "total_homes * 1e300 * 1e300"', "finite"),
    # the plan lists no work: floor_area_m2 is missing
    "when-missing": (
        'metric: total_homes\n    when: "work.floor_area_m2 > 0"',
        "",
    ),
}


def criteria_with(body: str, required: bool) -> str:
    return REGION + (
        f"  - id: blocker\n    title: Blocker\n    {body}\n    target: 1\n    limit: 0\n"
        f"    required: {str(required).lower()}\n"
    )


def run_check(tmp_path: Path, body: str, required: bool, fmt: str) -> tuple[int, str]:
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(criteria_with(body, required))
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text("plan"))
    result = CliRunner().invoke(
        app, ["check", "--criteria", str(criteria), "--format", fmt, "--as-of", "2025", str(plan)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_required_criterion_in_error_fails_the_plan(tmp_path: Path, case: str) -> None:
    body, reason = CASES[case]
    code, out = run_check(tmp_path, body, required=True, fmt="json")
    plan = json.loads(out)["plans"][0]
    (item,) = [c for c in plan["criteria"] if c["id"] == "blocker"]
    assert item["status"] == "error"
    assert reason in item["message"] and item["message"]
    assert plan["verdict"] == "fail"
    assert code == 1
    # the finding is an error, so CI annotates it as one
    code, out = run_check(tmp_path, body, required=True, fmt="github")
    assert code == 1
    assert any(line.startswith("::error ") and "blocker" in line for line in out.splitlines())


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_optional_criterion_in_error_still_only_warns(tmp_path: Path, case: str) -> None:
    body, _ = CASES[case]
    code, out = run_check(tmp_path, body, required=False, fmt="json")
    plan = json.loads(out)["plans"][0]
    assert plan["verdict"] == "warn"
    assert code == 0
