"""Consistency of ``woonplan progress`` over many generated plan sets (hypothesis).

The plans are built as pydantic models and scored with the rules engine on the repository's
criteria.yaml (with generated realisation factors), then aggregated by ``compute_progress``.
Whatever the plans, the figures must add up: totals equal the sums over municipalities and
years, planned is the sum of the phase groups, nothing is counted twice or lost.
"""

from __future__ import annotations

import math
from typing import Any

from conftest import CRITERIA
from hypothesis import given, settings
from hypothesis import strategies as st

from woonplan.checking.criteria import Criteria, parse_criteria
from woonplan.checking.metrics import plan_values
from woonplan.checking.models import PHASES, SEGMENTS, Plan, Prices, Realisation
from woonplan.checking.scoring import evaluate
from woonplan.progress.contract import as_dict
from woonplan.progress.region import RegionProgress, affordable
from woonplan.progress.sums import compute_progress

BASE = parse_criteria(CRITERIA.read_text(encoding="utf-8"), str(CRITERIA))
REGION = BASE.region
START, END = REGION.period.start, REGION.period.end
CATEGORIES = ("grid_congestion", "nitrogen", "objections", "costs", "procedure", "other")
TOL = 1e-6


@st.composite
def plans(draw: st.DrawFn, index: int, demolition: bool) -> Plan:
    """One valid plan: homes per segment, delivery split over 1–4 years around the period."""
    homes = {s: draw(st.integers(0, 150)) for s in SEGMENTS}
    if sum(homes.values()) == 0:
        homes["free_buy"] = draw(st.integers(1, 150))
    total = sum(homes.values())
    years = draw(st.lists(st.integers(START - 4, END + 4), min_size=1, max_size=4, unique=True))
    cuts = sorted(
        draw(st.lists(st.integers(0, total), min_size=len(years) - 1, max_size=len(years) - 1))
    )
    bounds = [0, *cuts, total]
    delivery = {y: bounds[i + 1] - bounds[i] for i, y in enumerate(years)}
    data: dict[str, Any] = {
        "id": f"plan-{index}",
        "name": f"Plan {index}",
        "municipality": draw(st.sampled_from(REGION.municipalities)),
        "phase": draw(st.sampled_from(PHASES)),
        "homes": homes,
        "delivery": delivery,
        "obstacles": [
            {"category": c} for c in draw(st.lists(st.sampled_from(CATEGORIES), max_size=3))
        ],
    }
    if demolition:
        data["demolished"] = {s: draw(st.integers(0, 40)) for s in SEGMENTS}
    plan = Plan.model_validate(data)
    assert sum(plan.delivery.values()) == plan.homes.total  # valid, as check_file requires
    return plan


@st.composite
def plan_sets(draw: st.DrawFn, demolition: bool = True) -> tuple[Criteria, list[Plan], int]:
    """Criteria with generated realisation factors (each ≤ 1), 0–12 plans and an as-of year."""
    factors = {p: draw(st.floats(0, 1, allow_nan=False)) for p in PHASES}
    region = REGION.model_copy(update={"realisation": Realisation(**factors)})
    criteria = Criteria(BASE.source, region, BASE.criteria)
    count = draw(st.integers(0, 12))
    with_demolition = demolition and draw(st.booleans())
    found = [draw(plans(i, with_demolition)) for i in range(count)]
    return criteria, found, draw(st.integers(START - 3, END + 3))


def _progress(criteria: Criteria, found: list[Plan], as_of: int) -> RegionProgress:
    return compute_progress([evaluate(p, criteria) for p in found], criteria.region, as_of)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOL, abs_tol=TOL)


SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(plan_sets())
def test_totals_equal_the_sums_over_municipalities_and_years(
    case: tuple[Criteria, list[Plan], int],
) -> None:
    progress = _progress(*case)
    t = progress.totals
    towns, years = progress.municipalities, progress.years
    assert [m.name for m in towns] == list(REGION.municipalities)
    assert [y.year for y in years] == list(range(START, END + 1))
    for name in ("completed", "planned", "expected"):
        assert close(getattr(t, name), sum(getattr(m, name) for m in towns)), name
        assert close(getattr(t, name), sum(getattr(y, name) for y in years)), name
    assert close(progress.social_rent.planned, sum(m.social_rent_planned for m in towns))
    assert close(t.planned, t.completed + t.under_construction + t.hard + t.soft)
    assert close(t.gap, t.target - t.expected)
    # SPEC: planned = gross − demolished, for all homes and for social rent
    for figures in (t, progress.social_rent):
        assert close(figures.planned, figures.gross - figures.demolished)
        assert close(figures.not_in_plans, max(0.0, figures.target - figures.planned))


@SETTINGS
@given(plan_sets())
def test_every_net_home_is_counted_once(case: tuple[Criteria, list[Plan], int]) -> None:
    """In the period, after it, or before it: together the plans' net homes, nothing else."""
    criteria, found, as_of = case
    progress = _progress(criteria, found, as_of)
    net = before = net_social = before_social = 0.0
    for plan in found:
        first = min(y for y, n in plan.delivery.items() if n > 0)
        net += plan.homes.total - plan.demolished.total
        net_social += plan.homes.social_rent - plan.demolished.social_rent
        for year, n in plan.delivery.items():
            share = plan.homes.social_rent * n / plan.homes.total
            if year == first:
                n -= plan.demolished.total
                share -= plan.demolished.social_rent
            if year < START:
                before += n
                before_social += share
    t, s = progress.totals, progress.social_rent
    assert close(t.planned + t.after_period + before, net)
    assert close(s.planned + s.after_period + before_social, net_social)
    assert sum(progress.verdicts.values()) == len(found)
    assert t.completed <= sum(p.homes.total for p in found if p.phase == "completed") + TOL


@SETTINGS
@given(plan_sets(demolition=False))
def test_without_demolition_expected_and_segments_stay_within_planned(
    case: tuple[Criteria, list[Plan], int],
) -> None:
    progress = _progress(*case)
    t, s = progress.totals, progress.social_rent
    for figures in (t, s):
        for name in ("completed", "under_construction", "hard", "soft", "after_period"):
            assert getattr(figures, name) >= 0, name
        assert figures.expected <= figures.planned + TOL
    assert s.planned <= t.planned + TOL
    for m in progress.municipalities:
        assert m.expected <= m.planned + TOL
        assert m.social_rent_planned <= m.planned + TOL
        share = m.social_rent_share
        if m.planned == 0:
            assert share is None
        else:
            assert share is not None and 0 <= share <= 1 + TOL
    for y in progress.years:
        assert y.completed <= y.planned + TOL and y.expected <= y.planned + TOL
    listing = {o.category: 0 for o in progress.obstacles}
    for plan in case[1]:
        if plan.phase == "completed":  # built: its obstacles no longer threaten delivery
            continue
        for category in {o.category for o in plan.obstacles}:
            listing[category] += 1
    for o in progress.obstacles:
        assert 0 <= o.homes <= t.planned + TOL
        assert o.plans == listing[o.category]
    homes = [o.homes for o in progress.obstacles]
    assert homes == sorted(homes, reverse=True)


@SETTINGS
@given(plan_sets())
def test_required_per_year_is_the_smallest_pace_that_reaches_the_target(
    case: tuple[Criteria, list[Plan], int],
) -> None:
    criteria, found, as_of = case
    progress = _progress(criteria, found, as_of)
    left = END - max(as_of, START) + 1
    for figures in (progress.totals, progress.social_rent):
        missing = max(0.0, figures.target - figures.completed)
        if left <= 0:
            assert figures.required_per_year is None
            continue
        pace = figures.required_per_year
        assert isinstance(pace, int)
        assert pace * left >= missing - TOL
        assert pace == 0 or (pace - 1) * left < missing - TOL


def _json_numbers(data: dict[str, Any]) -> None:
    for part in ("totals", "social_rent"):
        assert type(data[part]["target"]) is int
        pace = data[part]["required_per_year"]
        assert pace is None or type(pace) is int
    for key in ("completed", "under_construction", "hard", "soft", "planned", "after_period"):
        assert type(data["totals"][key]) is int, key
    for row in data["municipalities"]:
        assert type(row["completed"]) is int and type(row["planned"]) is int
        assert type(row["expected"]) is float and type(row["social_rent_planned"]) is float
    for row in data["years"]:
        assert type(row["completed"]) is int and type(row["planned"]) is int
        assert type(row["expected"]) is float
    for row in data["obstacles"]:
        assert type(row["plans"]) is int and type(row["homes"]) is int
    assert all(type(n) is int for n in data["verdicts"].values())


@SETTINGS
@given(plan_sets())
def test_json_integers_are_ints_and_whole_sums_add_up(
    case: tuple[Criteria, list[Plan], int],
) -> None:
    data = as_dict(_progress(*case))
    _json_numbers(data)
    t = data["totals"]
    # whole homes are exact integer sums, so the JSON adds up without any tolerance
    assert t["planned"] == t["completed"] + t["under_construction"] + t["hard"] + t["soft"]
    for key in ("completed", "planned"):
        assert t[key] == sum(m[key] for m in data["municipalities"])
        assert t[key] == sum(y[key] for y in data["years"])


# --- price limits ---------------------------------------------------------------------------

LIMITS = REGION.price_limits
PRICED = ("social_rent", "mid_rent", "affordable_buy")


@st.composite
def priced_cases(draw: st.DrawFn) -> tuple[Criteria, list[Plan], int, int, str]:
    """A plan set whose plans carry prices (some within, some above the limits), and one plan
    and priced segment of it to move above its limit."""
    criteria, found, as_of = draw(plan_sets())
    priced: list[Plan] = []
    for plan in found:
        prices = {
            s: draw(st.floats(100, 600_000, allow_nan=False))
            for s in draw(st.lists(st.sampled_from(PRICED), unique=True))
        }
        priced.append(plan.model_copy(update={"prices": Prices(**prices) if prices else None}))
    if not priced:
        priced.append(draw(plans(0, demolition=True)))
    index = draw(st.integers(0, len(priced) - 1))
    return criteria, priced, as_of, index, draw(st.sampled_from(PRICED))


def _above_limit(plan: Plan, segment: str) -> Plan:
    """The plan with ``segment``'s price above the limit of every year in the table."""
    highest = max(getattr(LIMITS[y], segment) or 0.0 for y in LIMITS)
    prices = (plan.prices or Prices()).model_dump() | {segment: highest + 1}
    return plan.model_copy(update={"prices": Prices(**prices)})


@SETTINGS
@given(priced_cases())
def test_a_price_above_its_limit_never_raises_affordable_share_or_homes(
    case: tuple[Criteria, list[Plan], int, int, str],
) -> None:
    criteria, found, as_of, index, segment = case
    assert LIMITS  # the bundled region has price limits, so the property is not vacuous
    moved = [*found[:index], _above_limit(found[index], segment), *found[index + 1 :]]
    before = plan_values(found[index], LIMITS)["affordable_share"]
    after = plan_values(moved[index], LIMITS)["affordable_share"]
    assert isinstance(before, float) and isinstance(after, float)
    assert after <= before + TOL
    old = found[index].prices
    old_price = getattr(old, segment) if old is not None else None
    lowest = min(getattr(LIMITS[y], segment) for y in LIMITS)
    if getattr(found[index].homes, segment) and (old_price is None or old_price <= lowest):
        assert after < before  # those homes counted as affordable, and no longer do
    region_before = affordable(_progress(criteria, found, as_of).segments_planned)
    region_after = affordable(_progress(criteria, moved, as_of).segments_planned)
    assert region_after <= region_before + TOL


@SETTINGS
@given(priced_cases())
def test_segments_add_up_to_planned_and_over_municipalities(
    case: tuple[Criteria, list[Plan], int, int, str],
) -> None:
    """Every segment spread and net of its own demolition: together they are the planned homes,
    and the region's are the sums over its municipalities (prices move homes, never lose them)."""
    criteria, found, as_of, _, _ = case
    progress = _progress(criteria, found, as_of)
    assert close(sum(progress.segments_planned.values()), progress.totals.planned)
    assert close(progress.segments_planned["social_rent"], progress.social_rent.planned)
    for segment in SEGMENTS:
        towns = sum(m.segments_planned[segment] for m in progress.municipalities)
        assert close(progress.segments_planned[segment], towns), segment
    for m in progress.municipalities:
        assert close(sum(m.segments_planned.values()), m.planned)
