"""The bundled region data: plans/ and criteria.yaml are valid and check cleanly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import CRITERIA, PLANS

from woonplan.checking.criteria import load_criteria
from woonplan.checking.models import Plan
from woonplan.checking.scoring import evaluate

PLAN_FILES = sorted(PLANS.glob("*.yaml"))


def test_there_is_a_realistic_sample() -> None:
    assert 15 <= len(PLAN_FILES) <= 25


def test_check_on_the_bundled_plans_exits_0_or_1_with_every_plan_valid(
    run: Callable[..., Any],
) -> None:
    result = run("check", str(PLANS), "--format", "json", "--criteria", str(CRITERIA))
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["summary"]["invalid"] == 0
    invalid = [(p["file"], p["errors"]) for p in data["plans"] if not p["valid"]]
    assert invalid == []
    assert data["summary"]["plans"] == len(PLAN_FILES)


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_every_plan_file_name_equals_its_id(path: Any) -> None:
    import yaml

    assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] == path.stem


def test_the_sample_covers_every_municipality_and_some_of_each_verdict(
    run: Callable[..., Any],
) -> None:
    result = run("check", str(PLANS), "--format", "json", "--criteria", str(CRITERIA))
    data = json.loads(result.stdout)
    verdicts = {p["verdict"] for p in data["plans"]}
    assert {"pass", "fail", "not_reviewed"} <= verdicts
    assert any(c["status"] == "waived" for p in data["plans"] for c in p["criteria"])
    region = load_criteria(CRITERIA).region
    found = {yaml_municipality(p) for p in PLAN_FILES}
    assert found == set(region.municipalities)


def yaml_municipality(path: Any) -> str:
    import yaml

    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["municipality"])


def test_exactly_two_thirds_affordable_meets_the_target(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(homes={"social_rent": 40, "mid_rent": 40, "free_buy": 40})
    (affordable,) = [
        c for c in evaluate(plan, load_criteria(CRITERIA)).criteria if c.id == "affordable_share"
    ]
    assert affordable.status == "pass"
