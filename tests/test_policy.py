"""Hand-computed policy tests and price limits (tests/examples/policy/).

Every expected figure below was worked out by hand from the plan files before the code ran on
them; the comments show the arithmetic. The region (criteria.yaml there): period 2025–2028,
target 600; municipalities Aadorp (target 200), Beekum (200), Ceestad (no target), Dijkveen
(target 100, no plans); price limits 2025 {social 900, mid 1,200, buy 400,000} and 2026
{social 930, mid 1,230, buy 420,000}.

Effective segments (SPEC "Price limits"; reference year = earliest delivering year, clamped to
2025–2026) and net homes in the period (SPEC "Progress": segments spread over the delivery
years, each net of its own demolished homes in the earliest year):

A1 aadorp-centrum, adopted, 200 homes: mid rent at 1,250 > 1,230 (2026) → its 40 homes are
   free rent; social 900 ≤ 930 stays. Effective: social 60, mid 0, buy 20, free rent 40,
   free buy 80. 2026 and 2027 both in the period: 200 net; social 60, mid 0, buy 20.
A2 aadorp-veld, initiative, 100 homes (30 social): 2028: 50 in the period, social
   30 × 50/100 = 15, free buy 35; 2029: after the period.
   Aadorp: planned 250; social 75; mid 0; buy 20 → affordable 95.
B1 beekum-dorp, under construction, 60 homes (10 social, 30 mid, 20 free buy), 40 social
   demolished; 2025: net 60 − 40 = 20; social 10 − 40 = −30; mid 30; free buy 20.
B2 beekum-haven, preparation, 100 homes (20 social, 20 mid, 40 buy, 20 free rent); buy at
   395,000: reference year 2024 clamps to 2025, limit 400,000, within. 2024 is before the
   period; 2025: 60 of 100 → social 12, mid 12, buy 24, free rent 12.
   Beekum: planned 20 + 60 = 80; social −30 + 12 = −18; mid 30 + 12 = 42; buy 24
   → affordable −18 + 42 + 24 = 48.
C1 ceestad-molen, feasibility, 100 homes (28 social, 30 mid, 10 buy, 32 free buy); buy at
   450,000: reference year 2027 clamps to 2026, limit 420,000 → its 10 homes are free buy.
   2027: social 28, mid 30, buy 0, free buy 42. Ceestad: planned 100, affordable 58.
Dijkveen: nothing planned.
Region: planned 250 + 80 + 100 = 430; social 75 − 18 + 28 = 85; mid 0 + 42 + 30 = 72;
   buy 20 + 24 + 0 = 44; affordable 85 + 72 + 44 = 201.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import EXAMPLES

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.contract import as_dict
from woonplan.progress.sums import compute_progress

POLICY = EXAMPLES / "policy"
POLICY_PLANS = POLICY / "plans"
POLICY_CRITERIA = POLICY / "criteria.yaml"

EXPECTED_TESTS: list[dict[str, Any]] = [
    # 201 / 430 = 0.46744 → 0.467 < limit 0.60: fail
    {"id": "affordable_region", "municipality": None, "value": 0.467, "verdict": "fail"},
    # Aadorp 75 / 250 = 0.300 ≥ target 0.30: pass
    {"id": "social_rent_municipality", "municipality": "Aadorp", "value": 0.3, "verdict": "pass"},
    # Beekum −18 / 80 = −0.225 < 0.25: fail (net social rent is negative after demolition)
    {
        "id": "social_rent_municipality",
        "municipality": "Beekum",
        "value": -0.225,
        "verdict": "fail",
    },
    # Ceestad 28 / 100 = 0.280, between limit 0.25 and target 0.30: warn
    {"id": "social_rent_municipality", "municipality": "Ceestad", "value": 0.28, "verdict": "warn"},
    # Dijkveen planned 0: a share of nothing is n/a
    {"id": "social_rent_municipality", "municipality": "Dijkveen", "value": None, "verdict": "n/a"},
    # 85 / 430 = 0.19767 → 0.198 < 0.30: fail
    {"id": "social_rent_region", "municipality": None, "value": 0.198, "verdict": "fail"},
    # 72 mid-rent homes: between limit 60 and target 80: warn
    {"id": "mid_rent_region", "municipality": None, "value": 72.0, "verdict": "warn"},
    # 201 affordable homes ≥ target 200: pass
    {"id": "affordable_homes_region", "municipality": None, "value": 201.0, "verdict": "pass"},
    # better lower: 72 / 430 = 0.16744 → 0.167, above target 0.10, not above limit 0.20: warn
    {"id": "mid_rent_share_region", "municipality": None, "value": 0.167, "verdict": "warn"},
    # Aadorp 250 / 200 = 1.25: between 1.00 and 1.30: warn
    {"id": "capacity_municipality", "municipality": "Aadorp", "value": 1.25, "verdict": "warn"},
    # Beekum 80 / 200 = 0.4 < 1.00: fail
    {"id": "capacity_municipality", "municipality": "Beekum", "value": 0.4, "verdict": "fail"},
    # Ceestad has no target: n/a
    {"id": "capacity_municipality", "municipality": "Ceestad", "value": None, "verdict": "n/a"},
    # Dijkveen 0 / 100 = 0.0 < 1.00: fail
    {"id": "capacity_municipality", "municipality": "Dijkveen", "value": 0.0, "verdict": "fail"},
    # 430 / 600 = 0.71667 → 0.717 < 1.00: fail
    {"id": "capacity_region", "municipality": None, "value": 0.717, "verdict": "fail"},
]


def _progress_json(as_of: int = 2026) -> dict[str, Any]:
    criteria = load_criteria(POLICY_CRITERIA)
    report = check_paths([POLICY_PLANS], criteria, as_of)
    assert all(p.valid for p in report.plans), [p.errors for p in report.plans]
    progress = compute_progress(
        report.valid_results, criteria.region, as_of, policy_tests=criteria.policy_tests
    )
    return as_dict(progress)


def test_policy_tests_match_the_hand_computed_values_and_verdicts() -> None:
    got = _progress_json()["policy_tests"]
    assert [{k: t[k] for k in ("id", "municipality", "value", "verdict")} for t in got] == (
        EXPECTED_TESTS
    )
    first = got[0]
    assert first["title"] == "Two thirds affordable"
    assert (first["scope"], first["target"], first["limit"]) == ("region", 0.6667, 0.60)
    assert {t["scope"] for t in got if t["municipality"] is not None} == {"municipality"}


def test_progress_counts_homes_above_a_price_limit_as_free_sector() -> None:
    data = _progress_json()
    totals = data["totals"]
    # under construction 20 (B1); hard 200 (A1); soft 50 (A2) + 60 (B2) + 100 (C1) = 210
    assert (totals["under_construction"], totals["hard"], totals["soft"]) == (20, 200, 210)
    assert totals["planned"] == 430
    assert data["social_rent"]["planned"] == 85.0  # 75 − 18 + 28
    towns = {m["name"]: m for m in data["municipalities"]}
    assert towns["Beekum"]["social_rent_planned"] == -18.0
    assert towns["Beekum"]["social_rent_share"] == -0.225


def test_the_check_metric_drops_for_homes_above_a_price_limit() -> None:
    criteria = load_criteria(POLICY_CRITERIA)
    report = check_paths([POLICY_PLANS], criteria, 2026)
    values = {p.plan_id: p.result.criteria[0].value for p in report.plans if p.result is not None}
    # A1: (60 + 0 + 20) / 200 = 0.4 (as written it would be (60 + 40 + 20) / 200 = 0.6)
    assert values["aadorp-centrum"] == pytest.approx(0.4)
    # C1: (28 + 30 + 0) / 100 = 0.58 (as written (28 + 30 + 10) / 100 = 0.68)
    assert values["ceestad-molen"] == pytest.approx(0.58)
    # B2: 395,000 is within 2025's 400,000: (20 + 20 + 40) / 100 = 0.8
    assert values["beekum-haven"] == pytest.approx(0.8)


def test_a_price_above_its_limit_is_a_warning_at_the_price_line(run: Callable[..., Any]) -> None:
    result = run(
        "check", str(POLICY_PLANS), "--criteria", str(POLICY_CRITERIA), "--format", "json",
        "--as-of", "2025",
    )  # fmt: skip
    plans = {p["id"]: p for p in json.loads(result.stdout)["plans"]}
    (above,) = plans["aadorp-centrum"]["warnings"]
    assert above["code"] == "price-above-limit"
    assert above["path"] == "prices.mid_rent"
    assert above["line"] == 14  # `mid_rent: 1250` under prices: (two comment lines first)
    assert above["message"] == (
        "40 mid-rent homes at € 1,250 are above the 2026 limit of € 1,230: "
        "they count as free-sector rent"
    )
    (buy,) = plans["ceestad-molen"]["warnings"]
    assert buy["message"] == (
        "10 affordable-buy homes at € 450,000 are above the 2026 limit of € 420,000: "
        "they count as free-sector buy"
    )
    # within its limit: no price warning (2024 is overdue at as-of 2025: that one stays)
    assert [w["code"] for w in plans["beekum-haven"]["warnings"]] == ["overdue-delivery"]


# --- criteria.yaml: policy tests and price limits are checked at load -----------------------


def _criteria_with(tmp_path: Any, old: str, new: str, extra: str = "") -> Any:
    text = POLICY_CRITERIA.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "criteria.yaml"
    path.write_text(text.replace(old, new) + extra, encoding="utf-8")
    return path


def test_an_unknown_policy_metric_or_scope_is_an_error_with_line_and_suggestion(
    tmp_path: Any, run: Callable[..., Any]
) -> None:
    path = _criteria_with(
        tmp_path,
        "metric: social_rent_share, target: 0.30",
        "metric: social_rent_shar, target: 0.30",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "scope: region, metric: capacity_ratio", "scope: regoin, metric: capacity_ratio"
        ),
        encoding="utf-8",
    )
    result = run("progress", str(POLICY_PLANS), "--criteria", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}:37:14: policy_tests[1].metric: must be one of ")
    assert lines[0].endswith("(got 'social_rent_shar') (did you mean 'social_rent_share'?)")
    assert lines[1].startswith(f"{path}:48:")
    assert lines[1].endswith("policy_tests[7].scope: must be one of region, municipality "
                             "(got 'regoin') (did you mean 'region'?)")  # fmt: skip


def test_a_policy_test_id_used_twice_or_a_limit_beyond_target_is_an_error(
    tmp_path: Any, run: Callable[..., Any]
) -> None:
    extra = (
        "  - {id: capacity_region, title: Again, scope: region, metric: capacity_ratio,\n"
        "     target: 1.0, limit: 1.2}\n"
    )
    path = _criteria_with(tmp_path, "Toetsregio", "Toetsregio", extra)
    result = run("progress", str(POLICY_PLANS), "--criteria", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:50:10: policy_tests[8].id: policy test id 'capacity_region' is used twice",
        f"{path}:51:26: policy_tests[8].limit: with better: higher, limit must be <= target "
        "(limit 1.2, target 1)",
    ]


def test_a_price_limit_of_zero_is_an_error_at_its_line(
    tmp_path: Any, run: Callable[..., Any]
) -> None:
    path = _criteria_with(tmp_path, "2026: {social_rent: 930", "2026: {social_rent: 0")
    result = run("check", str(POLICY_PLANS), "--criteria", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:23:25: region.price_limits.2026.social_rent: must be > 0 (got 0)"
    ]


# --- a plan's prices ------------------------------------------------------------------------


def test_a_price_of_zero_or_less_is_an_error_and_one_without_homes_a_warning(
    write_plan: Callable[[str, str], Any], run: Callable[..., Any]
) -> None:
    plan = write_plan(
        "aadorp-klein",
        """
        id: aadorp-klein
        name: Klein
        municipality: Aadorp
        phase: adopted
        homes:
          social_rent: 10
        prices:
          social_rent: -5
          mid_rent: 0
        delivery:
          2026: 10
        """,
    )
    args = ("--criteria", str(POLICY_CRITERIA), "--format", "json", "--as-of", "2026")
    result = run("check", str(plan), *args)
    assert result.exit_code == 2
    (report,) = json.loads(result.stdout)["plans"]
    assert [(e["line"], e["path"], e["message"]) for e in report["errors"]] == [
        (8, "prices.social_rent", "must be > 0 (got -5)"),
        (9, "prices.mid_rent", "must be > 0 (got 0)"),
    ]
    text = (
        plan.read_text(encoding="utf-8")
        .replace("-5", "880")
        .replace("mid_rent: 0", "mid_rent: 1000")
    )
    plan.write_text(text, encoding="utf-8")
    result = run("check", str(plan), *args)
    assert result.exit_code == 0
    (report,) = json.loads(result.stdout)["plans"]
    assert [(w["line"], w["code"], w["message"]) for w in report["warnings"]] == [
        (9, "price-without-homes", "a price for mid_rent, but the plan has no mid_rent homes")
    ]


def test_a_price_at_the_limit_still_counts_and_one_cent_above_does_not(
    make_plan: Callable[..., Any],
) -> None:
    from woonplan.checking.metrics import plan_values

    limits = load_criteria(POLICY_CRITERIA).region.price_limits
    homes = {"social_rent": 50, "mid_rent": 50}
    at = make_plan(homes=homes, prices={"mid_rent": 1230.0}, delivery={2026: 100})
    above = make_plan(homes=homes, prices={"mid_rent": 1230.01}, delivery={2026: 100})
    assert plan_values(at, limits)["affordable_share"] == 1.0  # (50 + 50) / 100
    assert plan_values(above, limits)["affordable_share"] == 0.5  # 50 / 100
    assert plan_values(above, limits)["homes.free_rent"] == 50.0
    # no price limits in the region: prices are not judged
    assert plan_values(above, {})["affordable_share"] == 1.0


# --- shown in every view --------------------------------------------------------------------


def test_table_and_markdown_show_the_policy_tests(run: Callable[..., Any]) -> None:
    args = ("progress", str(POLICY_PLANS), "--criteria", str(POLICY_CRITERIA), "--as-of", "2026")
    table = run(*args).stdout
    assert "Policy tests (toetsen)" in table
    lines = [" ".join(line.split()) for line in table.splitlines()]  # columns: one space
    # one line per region test: verdict, value, title, target and limit
    assert "fail 46.7% Two thirds affordable target ≥ 66.7%, limit 60%" in lines
    assert "warn 72 80 mid-rent homes target ≥ 80, limit 60" in lines
    assert "warn 16.7% Not too much mid rent target ≤ 10%, limit 20%" in lines
    # the municipality grid: social share, affordable share (Beekum (−18 + 42 + 24) / 80), tests
    assert "Beekum -22.5% 60.0% -22.5% fail 40% fail" in lines
    assert "Ceestad 28.0% 58.0% 28% warn – n/a" in lines
    markdown = run(*args, "--format", "markdown").stdout.splitlines()
    assert "### Policy tests (toetsen)" in markdown
    assert "| Two thirds affordable | 46.7% | target ≥ 66.7%, limit 60% | **fail** |" in markdown
    assert "| Aadorp | 30.0% | 38.0% | 30% pass | 125% warn |" in markdown
    assert "| Dijkveen | – | – | – n/a | 0% **fail** |" in markdown


def test_the_table_colours_verdicts_as_check_does() -> None:
    from woonplan.render import Style
    from woonplan.render.progress_table import render

    criteria = load_criteria(POLICY_CRITERIA)
    report = check_paths([POLICY_PLANS], criteria, 2026)
    progress = compute_progress(
        report.valid_results, criteria.region, 2026, policy_tests=criteria.policy_tests
    )
    coloured = render(progress, Style(color=True))
    # rich's standard colours: green 32, yellow 33, red 31 (STATUS_STYLE of check)
    assert "\x1b[31mfail" in coloured and "\x1b[32mpass" in coloured
    assert "\x1b[33mwarn" in coloured
