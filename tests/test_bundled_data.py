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


# --- policy tests and price limits on the bundled data, recomputed from the YAML ------------


def _policy_recount() -> dict[str, Any]:
    """SPEC's policy-test figures straight from the YAML files, independent of woonplan's code:
    plain dicts, one loop. Per plan: the earliest delivering year, clamped to the price-limit
    table, gives the limits; a segment priced above its limit moves to free rent / free buy;
    each segment is spread over the years by homes delivered, its own demolition off in the
    earliest year; only years in the period count (all phases)."""
    import yaml

    data = yaml.safe_load(CRITERIA.read_text(encoding="utf-8"))
    region = data["region"]
    start, end = region["period"]["start"], region["period"]["end"]
    limits = region["price_limits"]
    moves = {"social_rent": "free_rent", "mid_rent": "free_rent", "affordable_buy": "free_buy"}
    towns = {
        name: {"planned": 0.0, "social_rent": 0.0, "mid_rent": 0.0, "affordable_buy": 0.0}
        for name in region["municipalities"]
    }
    above: list[str] = []
    for path in PLAN_FILES:
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        homes = dict(plan["homes"])
        gone = plan.get("demolished", {})
        first = min(year for year, n in plan["delivery"].items() if n)
        year = min(max(first, min(limits)), max(limits))
        for segment, price in plan.get("prices", {}).items():
            if price > limits[year][segment] and homes.get(segment, 0):
                homes[moves[segment]] = homes.get(moves[segment], 0) + homes.pop(segment)
                above.append(plan["id"])
        total = sum(plan["homes"].values())
        town = towns[plan["municipality"]]
        for year, n in plan["delivery"].items():
            if not start <= year <= end:
                continue
            town["planned"] += n - (sum(gone.values()) if year == first else 0)
            for segment in ("social_rent", "mid_rent", "affordable_buy"):
                share = homes.get(segment, 0) * n / total
                town[segment] += share - (gone.get(segment, 0) if year == first else 0)
    keys = ("planned", "social_rent", "mid_rent", "affordable_buy")
    totals = {key: sum(t[key] for t in towns.values()) for key in keys}
    return {"towns": towns, "totals": totals, "target": region["target_homes"], "above": above}


def test_bundled_policy_tests_trace_back_to_the_plan_files(run: Callable[..., Any]) -> None:
    result = run(
        "progress", str(PLANS), "--criteria", str(CRITERIA), "--format", "json", "--as-of", "2026"
    )
    assert result.exit_code == 0, result.stderr
    got = {(t["id"], t["municipality"]): t for t in json.loads(result.stdout)["policy_tests"]}
    recount = _policy_recount()
    t = recount["totals"]
    affordable = t["social_rent"] + t["mid_rent"] + t["affordable_buy"]
    expected = {
        ("affordable_region", None): round(affordable / t["planned"], 3),
        ("social_rent_region", None): round(t["social_rent"] / t["planned"], 3),
        ("mid_rent_region", None): round(t["mid_rent"], 1),
        ("plan_capacity", None): round(t["planned"] / recount["target"], 3),
    }
    for name, town in recount["towns"].items():
        expected["social_rent_municipality", name] = round(town["social_rent"] / town["planned"], 3)
    assert {key: entry["value"] for key, entry in got.items()} == pytest.approx(expected)
    # the verdicts of the bundled policy tests (target / limit from criteria.yaml)
    for key, entry in got.items():
        value, target, limit = entry["value"], entry["target"], entry["limit"]
        verdict = "pass" if value >= target else "fail" if value < limit else "warn"
        assert entry["verdict"] == verdict, key
    # the sample has one plan priced above a limit, and it matters: 100 mid-rent homes of
    # gooise-meren-bussum-zuid count as free rent, so the region has fewer mid-rent homes
    assert recount["above"] == ["gooise-meren-bussum-zuid"]


def test_bundled_price_limits_are_the_published_figures() -> None:
    limits = load_criteria(CRITERIA).region.price_limits
    assert sorted(limits) == [2024, 2025, 2026]
    assert [limits[y].social_rent for y in (2024, 2025, 2026)] == [879.66, 900.07, 932.93]
    assert [limits[y].mid_rent for y in (2024, 2025, 2026)] == [1123.83, 1184.82, 1228.07]
    assert [limits[y].affordable_buy for y in (2024, 2025, 2026)] == [390000, 405000, 420000]
    text = CRITERIA.read_text(encoding="utf-8")
    assert "TO BE CONFIRMED BY THE REGION" in text
