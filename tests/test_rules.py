"""rules.py: scoring at and around target and limit, n/a, waived, error, verdicts, plan score."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from woonplan.checking.criteria import Criteria, parse_criteria
from woonplan.checking.models import Plan
from woonplan.checking.scoring import CriterionResult, PlanResult, evaluate, score_value

REGION = """\
region:
  name: Test region
  municipalities: [Hilversum]
  period: {start: 2022, end: 2030}
  target_homes: 100
  target_social_rent_share: 0.3333
  review_threshold: 50
  realisation: {initiative: 0.5, feasibility: 0.6, preparation: 0.7, adopted: 0.9,
                under_construction: 1.0, completed: 1.0}
criteria:
"""


def criteria(*items: str) -> Criteria:
    """Criteria from ``- id: ...`` blocks, each indented as in criteria.yaml."""
    return parse_criteria(REGION + "".join(items), "criteria.yaml")


def criterion(
    cid: str,
    *,
    metric: str | None = None,
    expression: str | None = None,
    better: str = "higher",
    target: float,
    limit: float,
    required: bool = False,
    weight: float = 1,
    when: str | None = None,
) -> str:
    lines = [f"  - id: {cid}", f"    title: {cid}"]
    lines += [f"    metric: {metric}"] if metric else [f'    expression: "{expression}"']
    lines += [f"    better: {better}", f"    target: {target}", f"    limit: {limit}"]
    lines += [f"    required: {str(required).lower()}", f"    weight: {weight}"]
    lines += [f'    when: "{when}"'] if when else []
    return "\n".join(lines) + "\n"


SOCIAL = criterion(
    "social", metric="social_rent_share", target=0.3333, limit=0.3, required=True, weight=3
)
TRANSIT = criterion("transit", metric="transit_distance_m", better="lower", target=800, limit=1200)


def one(result: PlanResult, cid: str) -> CriterionResult:
    (item,) = [c for c in result.criteria if c.id == cid]
    return item


# --- one criterion ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status", "score"),
    [
        (0.40, "pass", 1.0),  # beyond target
        (0.3333, "pass", 1.0),  # exactly at target
        (0.3332, "warn", (0.3332 - 0.3) / (0.3333 - 0.3)),  # just below target
        (0.3150, "warn", 0.015 / 0.0333),  # in between: linear
        (0.30, "warn", 0.0),  # exactly at limit: still warn, score 0
        (0.2999, "fail", 0.0),  # just below limit
        (0.0, "fail", 0.0),
    ],
)
def test_better_higher(value: float, status: str, score: float) -> None:
    assert score_value(value, 0.3333, 0.30, "higher") == (status, pytest.approx(score))


@pytest.mark.parametrize(
    ("value", "status", "score"),
    [
        (100, "pass", 1.0),
        (800, "pass", 1.0),  # exactly at target
        (801, "warn", 399 / 400),
        (1000, "warn", 0.5),  # halfway
        (1200, "warn", 0.0),  # exactly at limit
        (1200.5, "fail", 0.0),  # just beyond limit
        (5000, "fail", 0.0),
    ],
)
def test_better_lower(value: float, status: str, score: float) -> None:
    assert score_value(value, 800, 1200, "lower") == (status, pytest.approx(score))


@pytest.mark.parametrize(
    ("social", "status"),
    [(30, "warn"), (29, "fail"), (34, "pass")],  # shares of 100 homes: 0.30, 0.29, 0.34
)
def test_shares_computed_from_homes_meet_the_limit_exactly(
    make_plan: Callable[..., Plan], social: int, status: str
) -> None:
    plan = make_plan(homes={"social_rent": social, "free_buy": 100 - social})
    assert one(evaluate(plan, criteria(SOCIAL)), "social").status == status


def test_message_shows_value_against_target_and_limit(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(homes={"social_rent": 20, "free_buy": 80})
    item = one(evaluate(plan, criteria(SOCIAL)), "social")
    assert item.message == "20% (target 33.3% or more, limit 30%)"
    stops = [{"stop": "S", "type": "train", "walking_distance_m": 1500}]
    item = one(evaluate(make_plan(public_transport=stops), criteria(TRANSIT)), "transit")
    assert item.message == "1,500 m (target 800 m or less, limit 1,200 m)"


def test_no_train_or_hov_stop_fails_with_a_reason(make_plan: Callable[..., Plan]) -> None:
    stops = [{"stop": "S", "type": "bus", "walking_distance_m": 50}]
    item = one(evaluate(make_plan(public_transport=stops), criteria(TRANSIT)), "transit")
    assert (item.status, item.value, item.score) == ("fail", None, 0.0)
    assert item.message == "no train or HOV stop listed"


# --- when / n/a ---------------------------------------------------------------------------


@pytest.mark.parametrize(("homes", "status"), [(49, "n/a"), (50, "pass")])
def test_default_when_is_the_review_threshold(
    make_plan: Callable[..., Plan], homes: int, status: str
) -> None:
    plan = make_plan(homes={"social_rent": homes})
    result = evaluate(plan, criteria(SOCIAL))
    assert one(result, "social").status == status
    assert result.verdict == ("not_reviewed" if status == "n/a" else "pass")
    assert result.score == (None if status == "n/a" else 100.0)


def test_when_expression_decides_whether_a_criterion_applies(
    make_plan: Callable[..., Plan],
) -> None:
    only_adopted = criterion(
        "big", metric="total_homes", target=10, limit=5, when="phase == 'adopted'"
    )
    loaded = criteria(only_adopted)
    small = {"homes": {"social_rent": 20}}  # under the threshold, but `when` overrides it
    assert one(evaluate(make_plan(**small), loaded), "big").status == "pass"
    plan = make_plan(phase="completed", **small)
    assert one(evaluate(plan, loaded), "big").status == "n/a"


# --- error --------------------------------------------------------------------------------


def test_division_by_zero_is_an_error_status_with_a_message(
    make_plan: Callable[..., Plan],
) -> None:
    ratio = criterion("ratio", expression="homes.social_rent / demolished_homes", target=2, limit=1)
    result = evaluate(make_plan(), criteria(SOCIAL, ratio))
    item = one(result, "ratio")
    assert (item.status, item.value, item.score) == ("error", None, None)
    assert item.message == "division by zero"
    # an error is left out of the score and makes the verdict at least warn
    assert result.score == 100.0
    assert result.verdict == "warn"


def test_an_error_in_when_is_an_error_status(make_plan: Callable[..., Plan]) -> None:
    bad_when = criterion(
        "w", metric="total_homes", target=1, limit=0, when="total_homes / demolished_homes > 1"
    )
    item = one(evaluate(make_plan(), criteria(bad_when)), "w")
    assert (item.status, item.message) == ("error", "when: division by zero")


# --- waived -------------------------------------------------------------------------------

EXEMPTION = {
    "criterion": "social",
    "reason": "Compensated elsewhere",
    "decided": datetime.date(2025, 3, 12),
}


def _exempt(make_plan: Callable[..., Plan], **fields: object) -> Plan:
    return make_plan(exemptions=[EXEMPTION], **fields)


def test_waived_criterion_is_computed_and_shown_but_not_counted(
    make_plan: Callable[..., Plan],
) -> None:
    other = criterion(
        "transit", metric="transit_distance_m", better="lower", target=800, limit=1200
    )
    stops = [{"stop": "S", "type": "train", "walking_distance_m": 1000}]
    plan = _exempt(make_plan, homes={"social_rent": 10, "free_buy": 90}, public_transport=stops)
    result = evaluate(plan, criteria(SOCIAL, other))
    item = one(result, "social")
    assert item.status == "waived"
    assert item.value == pytest.approx(0.1)
    assert item.message == (
        "10% (target 33.3% or more, limit 30%); waived on 2025-03-12: Compensated elsewhere"
    )
    # a failed required criterion, but waived: the verdict follows the other criterion only
    assert result.score == 50.0  # transit 1000 m: (1200 - 1000) / 400 = 0.5
    assert result.verdict == "warn"


def test_all_applying_criteria_waived_gives_no_score(make_plan: Callable[..., Plan]) -> None:
    plan = _exempt(make_plan, homes={"social_rent": 10, "free_buy": 90})
    result = evaluate(plan, criteria(SOCIAL))
    assert (result.score, result.verdict) == (None, "pass")


def test_a_waived_criterion_that_cannot_be_computed_does_not_count(
    make_plan: Callable[..., Plan],
) -> None:
    broken = criterion(
        "social", expression="homes.social_rent / demolished_homes", target=1, limit=0
    )
    plan = _exempt(make_plan)
    item = one(evaluate(plan, criteria(broken)), "social")
    assert item.status == "waived"
    assert item.message.startswith("division by zero; waived on 2025-03-12")
    assert evaluate(plan, criteria(broken)).verdict == "pass"


# --- verdicts and score -------------------------------------------------------------------


def test_verdict_fail_only_when_a_required_criterion_fails(
    make_plan: Callable[..., Plan],
) -> None:
    optional = criterion("optional", metric="social_rent_share", target=0.5, limit=0.45)
    plan = make_plan(homes={"social_rent": 40, "free_buy": 60})  # 0.40
    assert evaluate(plan, criteria(SOCIAL, optional)).verdict == "warn"
    plan = make_plan(homes={"social_rent": 20, "free_buy": 80})  # 0.20
    assert evaluate(plan, criteria(SOCIAL, optional)).verdict == "fail"


def test_verdict_warn_when_a_criterion_warns(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(homes={"social_rent": 31, "free_buy": 69})
    assert evaluate(plan, criteria(SOCIAL)).verdict == "warn"


def test_plan_score_is_the_weighted_mean_rounded_to_one_decimal(
    make_plan: Callable[..., Plan],
) -> None:
    # social 0.31: (0.31 - 0.30) / 0.0333 = 0.3003..., weight 3
    # transit 1100 m: (1200 - 1100) / 400 = 0.25, weight 1
    # 100 * (3 * 0.3003 + 1 * 0.25) / 4 = 100 * 1.1509 / 4 = 28.77... -> 28.8
    stops = [{"stop": "S", "type": "hov", "walking_distance_m": 1100}]
    plan = make_plan(homes={"social_rent": 31, "free_buy": 69}, public_transport=stops)
    assert evaluate(plan, criteria(SOCIAL, TRANSIT)).score == 28.8


def test_n_a_criteria_do_not_count_in_the_score(make_plan: Callable[..., Plan]) -> None:
    never = criterion("never", metric="total_homes", target=1000, limit=999, when="total_homes < 0")
    plan = make_plan(homes={"social_rent": 40, "free_buy": 60})
    result = evaluate(plan, criteria(SOCIAL, never))
    assert one(result, "never").status == "n/a"
    assert (result.score, result.verdict) == (100.0, "pass")


def test_failing_lists_the_failed_required_criteria(make_plan: Callable[..., Plan]) -> None:
    plan = make_plan(homes={"social_rent": 10, "free_buy": 90})
    assert [c.id for c in evaluate(plan, criteria(SOCIAL, TRANSIT)).failing()] == ["social"]
