"""criteria.yaml holds at most 100 criteria (issue 11, defect 4).

5,000 criteria scored on 500 plans took 89 s and 7.5 GB: every plan is scored on every
criterion. criteria.yaml is semi-trusted (reviewed, edited by hand), so the number is capped at
load with a clear error (models.MAX_CRITERIA, code ``wrong-length``); the largest allowed file
on 500 plans stays within the bounds.
"""

from __future__ import annotations

from pathlib import Path

from probe import CRITERIA, plan_text, woonplan

from woonplan.checking.models import MAX_CRITERIA

REGION = CRITERIA.read_text(encoding="utf-8").split("\ncriteria:")[0] + "\ncriteria:\n"


def many_criteria(count: int) -> str:
    return REGION + "".join(
        f"  - {{id: c{i}, title: Criterion {i}, expression: 'homes.social_rent / total_homes',"
        f" target: 0.5, limit: 0.1, when: 'total_homes >= 1'}}\n"
        for i in range(count)
    )


def test_5000_criteria_are_refused_at_load(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(many_criteria(5_000))
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text("plan"))
    run = woonplan("check", "--criteria", str(criteria), str(plan))
    run.assert_bounded()
    assert run.exit_code == 2
    line = REGION.count("\n") + 1  # the first item of the list
    assert run.stderr.strip() == (
        f"{criteria}:{line}:3: criteria: must have at most {MAX_CRITERIA} items (got 5,000)"
    )


def test_the_most_criteria_allowed_on_500_plans_stay_within_bounds(tmp_path: Path) -> None:
    assert MAX_CRITERIA == 100
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(many_criteria(MAX_CRITERIA))
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(500):
        (plans / f"p{i}.yaml").write_text(plan_text(f"p{i}"))
    run = woonplan("check", "--criteria", str(criteria), "--format", "json", str(plans))
    run.assert_bounded()
    assert run.exit_code == 0
    assert run.stdout.count('"id": "c99"') == 500
