"""metrics.py: every built-in metric on a small hand-made plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from woonplan.checking.metrics import METRICS, NAMES, plan_values
from woonplan.checking.models import Plan

STOPS = [
    {"stop": "Hilversum, Snelbus", "type": "hov", "walking_distance_m": 900},
    {"stop": "Hilversum Sportpark", "type": "train", "walking_distance_m": 650},
    {"stop": "Hilversum, Kerkelanden", "type": "bus", "walking_distance_m": 120},
]


@pytest.fixture
def plan(make_plan: Callable[..., Plan]) -> Plan:
    # 20 + 10 + 10 + 5 + 35 = 80 new homes; 12 + 3 = 15 demolished
    return make_plan(
        homes={
            "social_rent": 20,
            "mid_rent": 10,
            "affordable_buy": 10,
            "free_rent": 5,
            "free_buy": 35,
        },
        demolished={"social_rent": 12, "free_buy": 3},
        public_transport=STOPS,
        work={"jobs": 8, "floor_area_m2": 400},
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("total_homes", 80),
        ("demolished_homes", 15),
        ("net_homes", 65),  # 80 - 15
        ("social_rent_share", 0.25),  # 20 / 80, before demolition
        ("affordable_share", 0.5),  # (20 + 10 + 10) / 80
        ("transit_distance_m", 650),  # nearest train or HOV stop; the bus at 120 m does not count
        ("stop_distance_m", 120),  # nearest stop of any type
        ("jobs_per_home", 0.1),  # 8 / 80
    ],
)
def test_every_metric(plan: Plan, name: str, expected: float) -> None:
    assert plan_values(plan)[name] == pytest.approx(expected)


def test_the_test_covers_every_metric() -> None:
    assert set(METRICS) == {
        "total_homes",
        "demolished_homes",
        "net_homes",
        "social_rent_share",
        "affordable_share",
        "transit_distance_m",
        "stop_distance_m",
        "jobs_per_home",
    }


def test_no_stops_listed_means_no_distance(make_plan: Callable[..., Plan]) -> None:
    values = plan_values(make_plan())
    assert values["transit_distance_m"] is None
    assert values["stop_distance_m"] is None


def test_only_bus_stops_means_no_transit_distance(make_plan: Callable[..., Plan]) -> None:
    values = plan_values(make_plan(public_transport=[STOPS[2]]))
    assert values["transit_distance_m"] is None
    assert values["stop_distance_m"] == 120


def test_no_work_means_zero_jobs_per_home(make_plan: Callable[..., Plan]) -> None:
    values = plan_values(make_plan())
    assert values["jobs_per_home"] == 0
    assert values["work.jobs"] == 0
    assert values["work.floor_area_m2"] is None


def test_fields_by_dotted_path(plan: Plan) -> None:
    values = plan_values(plan)
    assert values["homes.free_rent"] == 5
    assert values["demolished.social_rent"] == 12
    assert values["demolished.mid_rent"] == 0
    assert values["work.floor_area_m2"] == 400
    assert (values["phase"], values["municipality"]) == ("adopted", "Hilversum")


def test_every_name_has_a_value(plan: Plan) -> None:
    assert set(plan_values(plan)) == set(NAMES)


def test_price_limits_count_in_the_metrics(make_plan: Callable[..., Plan]) -> None:
    # 40 social-rent homes at 950 a month, above the 2024 limit of 900: free-sector rent
    from woonplan.checking.models import PriceLimits

    plan = make_plan(homes={"social_rent": 40, "free_buy": 60}, prices={"social_rent": 950})
    limits = {2024: PriceLimits(social_rent=900)}
    assert plan_values(plan)["social_rent_share"] == 0.4  # 40 / 100 without limits
    assert plan_values(plan, limits)["social_rent_share"] == 0.0
    assert plan_values(plan, limits)["homes.free_rent"] == 40.0
