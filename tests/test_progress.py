"""Hand-computed progress figures (tests/examples/progress/).

Every expected figure below was worked out by hand from the plan files before the code ran on
them; the comment beside each shows the arithmetic. The region (criteria.yaml there): period
2024–2027, target 1,000 homes, social-rent target round(1000 × 0.3333) = 333, realisation
initiative 0.5 / feasibility 0.6 / preparation 0.7 / adopted 0.9 / under construction 1.0 /
completed 1.0, municipalities Noorddorp (target 600), Oosterveen (no plans), Zuidstad.

Net homes and net social rent per plan and year (sr = social rent × year's homes / total):

P1 noorddorp-stationsplein, completed (1.0): 40 sr of 100, demolished 10 sr; obstacle costs
   (not counted: the plan is completed, the obstacle no longer threatens delivery);
   2023 (before the period, and the earliest year, so the demolition falls outside it):
        29 − 10 = 19, sr 40×29/100 − 10 = 1.6 — not counted;
   2024: 71, sr 40×71/100 = 28.4.
P2 noorddorp-kerkstraat, under construction (1.0): 30 sr of 100, demolished 20 sr + 5 free buy;
   2025 (earliest): 60 − 25 = 35, sr 30×60/100 − 20 = −2;   2026: 40, sr 30×40/100 = 12.
P3 zuidstad-havenkade, adopted (0.9): 10 sr of 30 (below the review threshold of 50);
   2027: 20, sr 10×20/30 = 6.667;   2028 (after the period): 10, sr 10×10/30 = 3.333.
P4 zuidstad-molenweg, preparation (0.7): 25 sr of 75;
   2024: 25, sr 25×25/75 = 8.333;   2025: 20, sr 25×20/75 = 6.667;   2026: 30, sr 25×30/75 = 10.
P5 noorddorp-akkerveld, feasibility (0.6): 10 sr of 100;
   2026: 50, sr 5;   2029 (after): 50, sr 5.
P6 zuidstad-dijkzicht, initiative (0.5): 40 sr of 120, demolished 10 sr + 10 mid rent;
   2027: 120 − 20 = 100, sr 40 − 10 = 30.

Gross (new homes in the period before demolition) and demolished (of plans whose earliest
delivering year lies in the period):
   homes: P1 71 (2023 is outside) + P2 60 + 40 + P3 20 + P4 75 + P5 50 + P6 120 = 436;
          demolished P2 25 (earliest 2025) + P6 20 (earliest 2027) = 45 (P1's 10 came off in
          2023); 436 − 45 = 391 = planned.
   social rent: P1 40×71/100 = 28.4, P2 30×100/100 = 30, P3 10×20/30 = 6.667, P4 25, P5 5,
          P6 40 → 135.067; demolished P2 20 + P6 10 = 30; 135.067 − 30 = 105.067 = planned.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES

from woonplan.checking.criteria import load_criteria
from woonplan.checking.models import Plan
from woonplan.checking.prices import effective_segments
from woonplan.checking.scoring import evaluate
from woonplan.progress import contributions
from woonplan.progress.contract import as_dict
from woonplan.progress.contributions import gross_in_period, net_by_year
from woonplan.progress.region import years_left
from woonplan.progress.rounding import one_decimal, whole
from woonplan.progress.sums import compute_progress

HAND = EXAMPLES / "progress"
HAND_PLANS = HAND / "plans"
HAND_CRITERIA = HAND / "criteria.yaml"

EXPECTED_2025: dict[str, Any] = {
    "region": "Testregio",
    "as_of": 2025,
    "period": {"start": 2024, "end": 2027},
    "totals": {
        "target": 1000,
        "completed": 71,  # P1 2024
        "under_construction": 75,  # P2 35 + 40
        "hard": 20,  # P3 2027
        "soft": 225,  # P4 25+20+30 = 75, P5 50, P6 100
        "planned": 391,  # 71 + 75 + 20 + 225
        # 71×1.0 + 75×1.0 + 20×0.9 + 75×0.7 + 50×0.6 + 100×0.5 = 71 + 75 + 18 + 52.5 + 30 + 50
        "expected": 296.5,
        "gap": 703.5,  # 1000 − 296.5
        "after_period": 60,  # P3 2028: 10, P5 2029: 50
        "required_per_year": 310,  # ceil((1000 − 71) / (2027 − 2025 + 1)) = ceil(309.67)
        "gross": 436,  # 71 + 100 + 20 + 75 + 50 + 120 (see the docstring)
        "demolished": 45,  # P2 25 + P6 20
        "not_in_plans": 609,  # max(0, 1000 − 391)
        "capacity_ratio": 0.391,  # 391 / 1000
    },
    "social_rent": {
        "target": 333,  # round(1000 × 0.3333) = round(333.3)
        "completed": 28.4,  # P1 2024
        "under_construction": 10.0,  # P2 −2 + 12
        "hard": 6.7,  # P3 6.667
        "soft": 60.0,  # P4 8.333 + 6.667 + 10 = 25, P5 5, P6 30
        "planned": 105.1,  # 28.4 + 10 + 6.667 + 60 = 105.067
        # 28.4 + 10 + 6.667×0.9 + 25×0.7 + 5×0.6 + 30×0.5 = 28.4 + 10 + 6 + 17.5 + 3 + 15
        "expected": 79.9,
        "gap": 253.1,  # 333 − 79.9
        "after_period": 8.3,  # P3 3.333 + P5 5
        "required_per_year": 102,  # ceil((333 − 28.4) / 3) = ceil(101.53)
        "gross": 135.1,  # 28.4 + 30 + 6.667 + 25 + 5 + 40 = 135.067
        "demolished": 30.0,  # P2 20 + P6 10
        "not_in_plans": 227.9,  # 333 − 105.067 = 227.933
        "capacity_ratio": 0.316,  # 105.067 / 333 = 0.31552
    },
    "municipalities": [
        {
            "name": "Noorddorp",
            "target": 600,
            "completed": 71,  # P1
            "planned": 196,  # P1 71 + P2 75 + P5 50
            "expected": 176.0,  # 71 + 75 + 50×0.6
            "social_rent_planned": 43.4,  # 28.4 + 10 + 5
            "social_rent_share": 0.221,  # 43.4 / 196 = 0.22143, three decimals
        },
        {
            "name": "Oosterveen",  # no plans
            "target": None,
            "completed": 0,
            "planned": 0,
            "expected": 0.0,
            "social_rent_planned": 0.0,
            "social_rent_share": None,
        },
        {
            "name": "Zuidstad",
            "target": None,
            "completed": 0,
            "planned": 195,  # P3 20 + P4 75 + P6 100
            "expected": 120.5,  # 18 + 52.5 + 50
            "social_rent_planned": 61.7,  # 6.667 + 25 + 30 = 61.667
            "social_rent_share": 0.316,  # 61.667 / 195 = 0.31624, three decimals
        },
    ],
    "years": [
        # P1 71 + P4 25; expected 71 + 25×0.7 = 71 + 17.5
        {"year": 2024, "completed": 71, "planned": 96, "expected": 88.5},
        # P2 35 + P4 20; expected 35 + 20×0.7 = 35 + 14
        {"year": 2025, "completed": 0, "planned": 55, "expected": 49.0},
        # P2 40 + P4 30 + P5 50; expected 40 + 21 + 30
        {"year": 2026, "completed": 0, "planned": 120, "expected": 91.0},
        # P3 20 + P6 100; expected 18 + 50
        {"year": 2027, "completed": 0, "planned": 120, "expected": 68.0},
    ],
    "obstacles": [
        # homes = the plans' planned (net) homes in the period; most homes first
        {"category": "nitrogen", "plans": 2, "homes": 175},  # P4 75 + P6 100
        # P3 (listed twice, counted once) 20 + P4 75
        {"category": "grid_congestion", "plans": 2, "homes": 95},
        {"category": "objections", "plans": 1, "homes": 50},  # P5
    ],
    # P1 40/100 = 0.40 pass; P2 30/100 = 0.30, not below the limit: warn; P3 30 homes < 50:
    # not reviewed; P4 25/75 = 0.3333… ≥ 0.3333 pass; P5 10/100 fail; P6 40/120 pass
    "verdicts": {"pass": 3, "warn": 1, "fail": 1, "not_reviewed": 1},
    "invalid": [],
    "policy_tests": [],  # the hand case's criteria.yaml has none (see test_policy.py)
}


def _after_the_period() -> dict[str, Any]:
    """The same figures with --as-of 2028: no year of 2024–2027 is left, so no pace."""
    expected = copy.deepcopy(EXPECTED_2025)
    expected["as_of"] = 2028
    expected["totals"]["required_per_year"] = None
    expected["social_rent"]["required_per_year"] = None
    return expected


def _progress_json(run: Callable[..., Any], as_of: int) -> tuple[int, dict[str, Any]]:
    result = run(
        "progress",
        str(HAND_PLANS),
        "--criteria",
        str(HAND_CRITERIA),
        "--format",
        "json",
        "--as-of",
        str(as_of),
    )
    return result.exit_code, json.loads(result.stdout)


def test_hand_computed_json_as_of_inside_the_period(run: Callable[..., Any]) -> None:
    code, data = _progress_json(run, 2025)
    assert data == EXPECTED_2025
    assert code == 0


def test_hand_computed_json_as_of_after_the_period(run: Callable[..., Any]) -> None:
    code, data = _progress_json(run, 2028)
    assert data == _after_the_period()
    assert code == 0


@pytest.mark.parametrize(
    ("as_of", "homes", "social"),
    [
        (2020, 233, 77),  # before the start: 4 years; ceil(929/4 = 232.25), ceil(304.6/4 = 76.15)
        (2024, 233, 77),  # the start: the same 4 years
        (2027, 929, 305),  # the last year: 1 year; 1000 − 71, ceil(333 − 28.4 = 304.6)
        (2031, None, None),  # well after the end
    ],
)
def test_hand_computed_pace_by_as_of(
    run: Callable[..., Any], as_of: int, homes: int | None, social: int | None
) -> None:
    _, data = _progress_json(run, as_of)
    assert data["totals"]["required_per_year"] == homes
    assert data["social_rent"]["required_per_year"] == social


def test_hand_computed_json_integers_are_ints(run: Callable[..., Any]) -> None:
    _, data = _progress_json(run, 2025)
    for key in (
        *("target", "completed", "under_construction", "hard", "soft", "planned"),
        *("gross", "demolished", "not_in_plans"),
    ):
        assert type(data["totals"][key]) is int, key
    for key in ("expected", "gap", "completed", "planned"):
        assert type(data["social_rent"][key]) is float, key
    for row in data["municipalities"]:
        assert type(row["completed"]) is int and type(row["planned"]) is int
    for row in data["years"]:
        assert type(row["completed"]) is int and type(row["planned"]) is int
    for row in data["obstacles"]:
        assert type(row["plans"]) is int and type(row["homes"]) is int


# --- the library, one rule at a time --------------------------------------------------------


def _plan(**fields: Any) -> Plan:
    data: dict[str, Any] = {
        "id": "p",
        "name": "P",
        "municipality": "Noorddorp",
        "phase": "adopted",
    }
    data.update(fields)
    return Plan.model_validate(data, strict=False)


def test_net_by_year_subtracts_demolition_in_the_earliest_year_whatever_the_key_order() -> None:
    plan = _plan(
        homes={"social_rent": 30, "mid_rent": 30, "free_buy": 40},
        demolished={"social_rent": 20, "free_buy": 5},
        delivery={2026: 40, 2025: 60},
    )
    # 2025: 60 − 25 = 35, sr 30×60/100 − 20 = −2; 2026: 40, sr 12
    assert net_by_year(plan) == {2025: (35.0, -2.0), 2026: (40.0, 12.0)}


def test_net_by_year_splits_social_rent_in_proportion() -> None:
    plan = _plan(homes={"social_rent": 25, "free_buy": 50}, delivery={2024: 25, 2025: 20, 2026: 30})
    got = net_by_year(plan)
    assert got[2024] == (25.0, pytest.approx(25 / 3))
    assert got[2025] == (20.0, pytest.approx(20 / 3))
    assert got[2026] == (30.0, pytest.approx(10.0))


def test_net_by_year_skips_years_without_homes_for_the_demolition() -> None:
    # A year listed with 0 homes is no delivery: the demolition comes off in 2026, the first
    # year homes are delivered (SPEC: "its earliest delivery year").
    plan = _plan(homes={"free_buy": 10}, demolished={"free_buy": 4}, delivery={2025: 0, 2026: 10})
    assert net_by_year(plan) == {2026: (6.0, 0.0)}


def test_years_left() -> None:
    region = load_criteria(HAND_CRITERIA).region
    assert [years_left(region, y) for y in (2000, 2024, 2025, 2027, 2028)] == [4, 4, 3, 1, 0]


def test_compute_progress_leaves_invalid_files_listed_but_uncounted() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    plan = _plan(homes={"free_buy": 10}, delivery={2025: 10})
    got = compute_progress([evaluate(plan, criteria)], criteria.region, 2025, ["bad.yaml"])
    assert got.invalid == ["bad.yaml"]
    assert got.totals.planned == 10
    assert got.totals.hard == 10


def test_obstacles_tie_on_homes_sorted_by_category() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    plans = [
        _plan(
            id=f"p{i}",
            homes={"free_buy": 10},
            delivery={2025: 10},
            obstacles=[{"category": c}],
        )
        for i, c in enumerate(["procedure", "costs"])
    ]
    got = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    assert [(o.category, o.plans, o.homes) for o in got.obstacles] == [
        ("costs", 1, 10.0),
        ("procedure", 1, 10.0),
    ]


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0.05, 0.1), (-0.05, -0.1), (2.25, 2.3), (0.1 + 0.2, 0.3), (-0.0, 0.0), (105.0667, 105.1)],
)
def test_one_decimal_rounds_half_away_from_zero(value: float, rounded: float) -> None:
    assert one_decimal(value) == rounded


def test_whole_is_an_int() -> None:
    assert whole(70.99999999) == 71 and type(whole(3.0)) is int


def test_as_dict_is_json_serialisable_and_round_trips() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    plans = [Plan.model_validate(_yaml(p), strict=False) for p in sorted(HAND_PLANS.glob("*.yaml"))]
    figures = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    data = as_dict(figures)
    assert json.loads(json.dumps(data)) == data == EXPECTED_2025


def _yaml(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_region_that_reached_its_target_needs_no_pace() -> None:
    # issue 12 point 20: completed ≥ target → required_per_year 0, not 1 (max(1, …) survived)
    criteria = load_criteria(HAND_CRITERIA)
    plan = _plan(
        phase="completed", homes={"social_rent": 400, "free_buy": 800}, delivery={2024: 1200}
    )
    got = compute_progress([evaluate(plan, criteria)], criteria.region, 2025)
    assert got.totals.completed == 1200  # ≥ target 1000
    assert got.totals.required_per_year == 0  # ceil(max(0, 1000 − 1200) / 3)
    assert got.social_rent.required_per_year == 0  # ceil(max(0, 333 − 400) / 3)
    assert got.totals.not_in_plans == 0  # max(0, 1000 − 1200)
    assert got.totals.capacity_ratio == 1.2  # 1200 / 1000


def test_a_one_home_plan_is_counted() -> None:
    # issue 12 point 23: only a lucky property-test seed caught a `total == 1` mutant
    criteria = load_criteria(HAND_CRITERIA)
    plan = _plan(homes={"social_rent": 1}, delivery={2025: 1}, obstacles=[{"category": "costs"}])
    assert net_by_year(plan) == {2025: (1.0, 1.0)}
    got = compute_progress([evaluate(plan, criteria)], criteria.region, 2025)
    assert (got.totals.planned, got.totals.hard, got.totals.gross) == (1, 1, 1)
    assert got.social_rent.planned == 1
    assert [(y.year, y.planned) for y in got.years if y.planned] == [(2025, 1)]
    (town,) = [m for m in got.municipalities if m.planned]
    assert (town.name, town.social_rent_share, town.affordable_share) == ("Noorddorp", 1.0, 1.0)
    assert (got.social_rent_share, got.affordable_share) == (1.0, 1.0)  # the region's
    assert [(o.category, o.plans, o.homes, o.share) for o in got.obstacles] == [
        ("costs", 1, 1.0, 1.0)
    ]


def test_gross_and_demolition_of_a_plan_whose_first_year_is_after_the_period() -> None:
    # The demolition comes off in 2028 (after 2027): neither gross nor demolished in the period
    criteria = load_criteria(HAND_CRITERIA)
    plan = _plan(homes={"free_buy": 10}, demolished={"free_buy": 4}, delivery={2028: 10})
    got = compute_progress([evaluate(plan, criteria)], criteria.region, 2025)
    assert (got.totals.gross, got.totals.demolished, got.totals.after_period) == (0, 0, 6)
    # planned 0: nothing toward the target, all of it still missing
    assert (got.totals.not_in_plans, got.totals.capacity_ratio) == (1000, 0.0)


def test_obstacles_of_completed_plans_do_not_count() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    plans = [
        _plan(id="built", phase="completed", homes={"free_buy": 10}, delivery={2024: 10},
              obstacles=[{"category": "costs"}]),
        _plan(id="coming", phase="under_construction", homes={"free_buy": 7},
              delivery={2025: 7}, obstacles=[{"category": "costs"}]),
    ]  # fmt: skip
    got = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    assert [(o.category, o.plans, o.homes) for o in got.obstacles] == [("costs", 1, 7.0)]


def test_hand_computed_years_against_the_pace() -> None:
    # pace 310 from 2025 (as-of) on; before it, none. expected − pace:
    # 2025: 49 − 310 = −261; 2026: 91 − 310 = −219; 2027: 68 − 310 = −242
    criteria = load_criteria(HAND_CRITERIA)
    plans = [Plan.model_validate(_yaml(p), strict=False) for p in sorted(HAND_PLANS.glob("*.yaml"))]
    figures = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    assert [(y.year, y.pace) for y in figures.years] == [
        (2024, None),
        (2025, 310),
        (2026, 310),
        (2027, 310),
    ]
    assert [y.versus_pace for y in figures.years] == [None, -261.0, -219.0, -242.0]


def test_a_zero_social_rent_target_has_ratio_zero_and_nothing_missing() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    region = criteria.region.model_copy(update={"target_social_rent_share": 0.0})
    plan = _plan(homes={"social_rent": 10}, delivery={2025: 10})
    got = compute_progress([evaluate(plan, criteria)], region, 2025)
    assert got.social_rent.target == 0  # round(1000 × 0)
    assert got.social_rent.capacity_ratio == 0.0  # no target: no ratio to show
    assert got.social_rent.not_in_plans == 0.0  # max(0, 0 − 10)


def test_hand_computed_region_share_and_even_pace() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    plans = [Plan.model_validate(_yaml(p), strict=False) for p in sorted(HAND_PLANS.glob("*.yaml"))]
    figures = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    # social rent planned / planned = 105.067 / 391 = 0.26871
    assert figures.social_rent_share == pytest.approx(105.0667 / 391, abs=1e-4)
    # 1,000 homes over the 4 years 2024–2027
    assert figures.even_pace == 250.0
    assert figures.files == 6 and figures.years_left == 3  # 2025–2027


def test_nothing_planned_has_no_region_share() -> None:
    criteria = load_criteria(HAND_CRITERIA)
    got = compute_progress([], criteria.region, 2025)
    assert got.social_rent_share is None and got.affordable_share is None
    assert (got.totals.planned, got.totals.not_in_plans, got.totals.capacity_ratio) == (0, 1000, 0)


def test_a_plan_without_homes_gives_no_figures_and_no_division_by_zero() -> None:
    # invalid (total < 1), but the library must not divide by the homes total of 0
    plan = _plan(homes={}, delivery={2025: 5})
    assert net_by_year(plan) == {}
    assert gross_in_period(plan, 2024, 2027, effective_segments(plan, {})) == (0.0, 0.0, 0.0, 0.0)


def test_hand_computed_obstacle_shares() -> None:
    # homes affected / all planned homes (391): nitrogen 175, grid congestion 95, objections 50
    criteria = load_criteria(HAND_CRITERIA)
    plans = [Plan.model_validate(_yaml(p), strict=False) for p in sorted(HAND_PLANS.glob("*.yaml"))]
    figures = compute_progress([evaluate(p, criteria) for p in plans], criteria.region, 2025)
    shares = {o.category: o.share for o in figures.obstacles}
    assert shares == {
        "nitrogen": pytest.approx(175 / 391),  # 0.4476
        "grid_congestion": pytest.approx(95 / 391),  # 0.2430
        "objections": pytest.approx(50 / 391),  # 0.1279
    }
    empty = compute_progress([], criteria.region, 2025)
    assert empty.obstacles == []


def test_gross_skips_years_without_homes_for_the_demolition() -> None:
    # 2023 is listed with 0 homes: no delivery. The earliest delivering year is 2025, inside
    # 2024–2027, so the 4 demolished homes count there: gross 10, demolished 4 (net 6).
    plan = _plan(homes={"free_buy": 10}, demolished={"free_buy": 4}, delivery={2023: 0, 2025: 10})
    assert gross_in_period(plan, 2024, 2027, effective_segments(plan, {})) == (10.0, 0.0, 4.0, 0.0)


def test_a_plan_s_effective_segments_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # its net figures per year and its gross figures count the same segments: one call per plan
    criteria = load_criteria(HAND_CRITERIA)
    plans = [Plan.model_validate(_yaml(p), strict=False) for p in sorted(HAND_PLANS.glob("*.yaml"))]
    results = [evaluate(p, criteria) for p in plans]
    calls: list[str] = []

    def counted(plan: Plan, limits: Any) -> Any:
        calls.append(plan.id)
        return effective_segments(plan, limits)

    monkeypatch.setattr(contributions, "effective_segments", counted)
    compute_progress(results, criteria.region, 2025)
    assert sorted(calls) == sorted(p.id for p in plans)


def test_the_region_affordable_share() -> None:
    # (social rent 1 + mid rent 1) / 4 planned homes = 0.5; social rent 1 / 4 = 0.25
    criteria = load_criteria(HAND_CRITERIA)
    plan = _plan(homes={"social_rent": 1, "mid_rent": 1, "free_buy": 2}, delivery={2025: 4})
    got = compute_progress([evaluate(plan, criteria)], criteria.region, 2025)
    assert (got.affordable_share, got.social_rent_share) == (0.5, 0.25)


def test_net_in_period_counts_both_ends_of_the_period() -> None:
    # 2024–2027, both inclusive: 10 in 2024 and 5 in 2027 count, 7 in 2028 does not
    from woonplan.progress.contributions import net_in_period

    region = load_criteria(HAND_CRITERIA).region
    plan = _plan(homes={"free_buy": 22}, delivery={2024: 10, 2027: 5, 2028: 7})
    assert net_in_period(plan, region) == 15.0
