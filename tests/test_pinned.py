"""What users read, pinned: the survivors of a mutation-testing pass (issue 12 points 19–22).

Each test names the figure or text a user sees that no test asserted before; see
docs/testing.md for the mutation run that found them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CRITERIA, PLANS

from woonplan.checking.criteria import load_criteria, parse_criteria
from woonplan.checking.expressions import EvaluationError, Value, compile_expression
from woonplan.checking.metrics import NAMES
from woonplan.checking.scoring import describe, format_for

Run = Callable[..., Any]

# --- 19: the workbook's even pace ----------------------------------------------------------


def test_the_years_sheet_shows_the_even_pace(run: Run, tmp_path: Path) -> None:
    # 7,000 homes over the 9 years 2022–2030 (both inclusive): 7000 / 9 = 777.78 → 777.8
    path = tmp_path / "w.xlsx"
    result = run("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)["Years"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][5] == "even_pace"  # row 1: the JSON keys; row 2: the headers in words
    assert [r[0] for r in rows[2:]] == list(range(2022, 2031))
    assert [r[5] for r in rows[2:]] == [777.8] * 9


# --- 21: plain numbers in criterion messages, in every format --------------------------------

HOME_WORK = "0.14 jobs per home (target 0.2 or more, limit 0.05)"
"""huizen-centrum: 30 jobs / 210 homes = 0.1429; target 0.2, limit 0.05 (criteria.yaml)."""


@pytest.fixture(scope="module")
def jobs_criterion() -> Any:
    (criterion,) = [c for c in load_criteria(CRITERIA).criteria if c.id == "home_work_balance"]
    return criterion


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, "0"),
        (2.0, "2"),
        (1234.0, "1,234"),  # whole numbers get a thousands separator
        (0.14285714, "0.14"),  # two decimals at most
        (0.2, "0.2"),  # trailing zeros dropped
        (0.05, "0.05"),
        (0.125, "0.13"),  # an exact half (1/8 is exact in binary): away from zero
        (0.075, "0.08"),  # 0.07499999… in binary, but written 0.075: away from zero
        (12.5, "12.5"),
        (0.001, "0"),  # rounds to nothing: no "0." left behind
        (1e15, "1000000000000000"),  # beyond any housing figure: no separators
    ],
)
def test_plain_numbers_read_as_written(jobs_criterion: Any, value: float, shown: str) -> None:
    assert format_for(jobs_criterion)(value) == shown


def test_describe_names_the_unit_of_a_plain_number(jobs_criterion: Any) -> None:
    assert describe(jobs_criterion, 30 / 210) == HOME_WORK


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0499, "0.0499 jobs per home"),  # fails the 0.05 limit: not "0.05"
        (0.0501, "0.0501 jobs per home"),  # warns: above the limit it would read as
        (0.05, "0.05 jobs per home"),  # the limit itself
        (0.19996, "0.19996 jobs per home"),  # under the 0.2 target by a hair: three more at most
        (0.2, "0.2 jobs per home"),
    ],
)
def test_a_value_never_reads_as_a_bound_it_misses(
    jobs_criterion: Any, value: float, shown: str
) -> None:
    assert describe(jobs_criterion, value).split(" (")[0] == shown


def test_a_share_just_under_its_limit_shows_the_decimals_that_show_it() -> None:
    (criterion,) = [c for c in load_criteria(CRITERIA).criteria if c.id == "social_rent_share"]
    assert describe(criterion, 2999 / 9999).startswith("29.99% (")  # fails 30%
    assert describe(criterion, 0.30004).startswith("30.004% (")  # passes 30%, warns
    assert describe(criterion, 0.3).startswith("30% (")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # walking distances are whole metres with a thousands separator and no decimals
        (1400.0, "1,400 m (target 800 m or less, limit 1,200 m)"),
        (650.0, "650 m (target 800 m or less, limit 1,200 m)"),
    ],
)
def test_distances_read_in_whole_metres(value: float, shown: str) -> None:
    # public_transport in criteria.yaml: better lower, target 800, limit 1200; a mutant that
    # gave metres one decimal ("1,400.0 m") survived every test of scoring.py
    (criterion,) = [c for c in load_criteria(CRITERIA).criteria if c.id == "public_transport"]
    assert describe(criterion, value) == shown


@pytest.mark.parametrize("format", ["table", "json", "markdown", "github"])
def test_the_home_work_message_in_every_format(run: Run, format: str) -> None:
    plan = PLANS / "huizen-centrum.yaml"
    result = run("check", str(plan), "--criteria", str(CRITERIA), "--format", format)
    out = result.stdout
    if format == "json":
        (report,) = json.loads(out)["plans"]
        (item,) = [c for c in report["criteria"] if c["id"] == "home_work_balance"]
        assert item["message"] == HOME_WORK
    elif format == "table":
        assert HOME_WORK in " ".join(out.split())
    elif format == "markdown":
        assert f"Home-work balance (woon-werkbalans) (warn): {HOME_WORK}" in out
    else:
        assert f"(home_work_balance, warn): {HOME_WORK}" in out


# --- 22: malformed exemptions ----------------------------------------------------------------

PLAN = """\
id: {id}
name: X
municipality: Hilversum
phase: adopted
homes: {{social_rent: 20, free_buy: 80}}
delivery: {{2028: 100}}
"""


def _errors(run: Run, tmp_path: Path, name: str, extra: str) -> list[str]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(PLAN.format(id=name) + extra, encoding="utf-8")
    result = run("check", str(path), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    return [line.strip().removeprefix(f"{path}:") for line in result.stdout.splitlines()[1:3]]


def test_an_exemption_written_as_a_bare_id(run: Run, tmp_path: Path) -> None:
    errors = _errors(run, tmp_path, "p", "exemptions: [social_rent_share]\n")
    assert errors[0] == (
        "7:14: exemptions[0]: must be a mapping with criterion, reason and decided "
        "(got 'social_rent_share'); write '- criterion: social_rent_share' and below it "
        "reason: and decided:"
    )


def test_an_exemption_without_criterion(run: Run, tmp_path: Path) -> None:
    errors = _errors(
        run, tmp_path, "p", "exemptions:\n  - reason: decided\n    decided: 2025-03-12\n"
    )
    assert errors[0] == "8:5: exemptions[0].criterion: required, but missing"


# --- 22: an expression criterion on a metric, as a GitHub annotation --------------------------

EXPRESSION_CRITERIA = """\
region:
  name: Testregio
  municipalities: [Hilversum]
  period: {start: 2024, end: 2030}
  target_homes: 1000
  target_social_rent_share: 0.3
  review_threshold: 50
  realisation: {initiative: 0.5, feasibility: 0.6, preparation: 0.7, adopted: 0.9,
                under_construction: 1.0, completed: 1.0}
criteria:
  - id: social_percent
    title: Social rent in percent
    expression: "social_rent_share * 100"
    better: higher
    target: 33
    limit: 30
    required: {required}
"""


@pytest.mark.parametrize(
    ("required", "share", "line"),
    [
        # 20 of 100 = 20.0 < 30: fails; required → an error annotation
        (
            "true",
            20,
            "::error file={file},line=5,col=22,title=woonplan%3A p fails Social rent in percent::"
            "Social rent in percent (social_percent, required, fail): 20 (target 33 or more, "
            "limit 30)",
        ),
        # 31 of 100 = 31.0: between limit and target → a warning annotation
        (
            "false",
            31,
            "::warning file={file},line=5,col=22,title=woonplan%3A p warns on Social rent in "
            "percent::Social rent in percent (social_percent, warn): 31 (target 33 or more, "
            "limit 30)",
        ),
    ],
)
def test_an_expression_on_a_metric_is_annotated_at_its_figure(
    run: Run, tmp_path: Path, required: str, share: int, line: str
) -> None:
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(EXPRESSION_CRITERIA.replace("{required}", required), encoding="utf-8")
    plan = tmp_path / "p.yaml"
    text = PLAN.format(id="p").replace(
        "social_rent: 20, free_buy: 80", f"social_rent: {share}, free_buy: {100 - share}"
    )
    plan.write_text(text, encoding="utf-8")
    result = run("check", str(plan), "--criteria", str(criteria), "--format", "github")
    # line 5 is `homes: {social_rent: ...}`; column 22 is the social-rent figure
    assert line.format(file=str(plan).replace(":", "%3A").replace(",", "%2C")) in result.stdout


# --- 22: expression evaluation at its edges -------------------------------------------------

ENV: dict[str, Value] = {"total_homes": 100.0, "homes.social_rent": 25.0, "phase": "adopted"}


def _value(source: str) -> Value:
    return compile_expression(source, NAMES).evaluate(ENV)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(phase == 'adopted') * total_homes", 100.0),  # True counts as 1
        ("(phase == 'completed') * total_homes", 0.0),  # False as 0
        ("(phase == 'adopted') + (total_homes > 50)", 2.0),
        ("+total_homes", 100.0),
        ("-(+homes.social_rent)", -25.0),
        ("+(phase == 'adopted')", 1.0),
        ("round(1234.5678, 10)", 1234.5678),
        ("round(1234.5678, -10)", 0.0),
        ("round(1234.5678, -2)", 1200.0),
    ],
)
def test_expression_values(source: str, expected: float) -> None:
    assert _value(source) == expected


@pytest.mark.parametrize("digits", ["11", "-11", "10.5"])
def test_round_digits_beyond_ten_are_refused(digits: str) -> None:
    with pytest.raises(EvaluationError, match="digits must be a whole number from -10 to 10"):
        _value(f"round(total_homes, {digits})")


def test_unary_plus_on_text_is_refused() -> None:
    with pytest.raises(EvaluationError, match="arithmetic on text"):
        _value("+phase")


def test_criteria_with_an_expression_parse(tmp_path: Path) -> None:
    criteria = parse_criteria(EXPRESSION_CRITERIA.replace("{required}", "true"), "c.yaml")
    assert [c.id for c in criteria.criteria] == ["social_percent"]


# --- scoring at its edges --------------------------------------------------------------------

REGION = """\
region:
  name: Testregio
  municipalities: [Hilversum]
  period: {start: 2024, end: 2030}
  target_homes: 1000
  target_social_rent_share: 0.3
  review_threshold: 50
  realisation: {initiative: 0.5, feasibility: 0.6, preparation: 0.7, adopted: 0.9,
                under_construction: 1.0, completed: 1.0}
criteria:
"""


def _plan(**fields: Any) -> Any:
    from woonplan.checking.models import Plan

    data: dict[str, Any] = {"id": "p", "name": "P", "municipality": "Hilversum"}
    data |= {"phase": "adopted", "homes": {"social_rent": 20, "free_buy": 30}}
    data |= fields
    data.setdefault("delivery", {2028: sum(data["homes"].values())})
    return Plan.model_validate(data, strict=False)


def _score(criteria_text: str, **fields: Any) -> Any:
    from woonplan.checking.scoring import evaluate

    return evaluate(_plan(**fields), parse_criteria(REGION + criteria_text, "c.yaml"))


SHARE = """\
  - id: share
    title: Share
    metric: social_rent_share
    better: higher
    target: 0.5
    limit: 0.3
    weight: {weight}
    required: true
"""


def test_a_plan_of_exactly_the_review_threshold_is_reviewed() -> None:
    # 20 + 30 = 50 homes, threshold 50: reviewed (total >= threshold)
    result = _score(SHARE.replace("{weight}", "1"))
    assert result.verdict == "warn"  # 20/50 = 0.4, between limit 0.3 and target 0.5
    # one criterion of weight 1: the score is (0.4 − 0.3) / (0.5 − 0.3) = 0.5 → 50.0
    assert result.score == 50.0
    smaller = _score(SHARE.replace("{weight}", "1"), homes={"social_rent": 20, "free_buy": 29})
    assert smaller.verdict == "not_reviewed" and smaller.score is None  # 49 homes


def test_failing_lists_the_required_criteria_that_fail() -> None:
    result = _score(SHARE.replace("{weight}", "2"), homes={"social_rent": 10, "free_buy": 40})
    assert [c.id for c in result.failing()] == ["share"]  # 10/50 = 0.2 < 0.3
    assert result.verdict == "fail" and result.score == 0.0
    passing = _score(SHARE.replace("{weight}", "2"), homes={"social_rent": 30, "free_buy": 20})
    assert passing.failing() == [] and passing.score == 100.0


TRANSIT = """\
  - id: transit
    title: Transit
    metric: transit_distance_m
    better: lower
    target: 800
    limit: 1200
    weight: 1
"""


def test_a_waived_criterion_without_a_value_keeps_its_reason() -> None:
    waiver = {"criterion": "transit", "reason": "bus line planned", "decided": "2025-03-12"}
    result = _score(TRANSIT, exemptions=[waiver])
    (item,) = result.criteria
    assert (item.status, item.value, item.score) == ("waived", None, 0.0)
    assert item.message == "no train or HOV stop listed; waived on 2025-03-12: bus line planned"
    assert result.verdict == "pass" and result.score is None  # all waived: reviewed, no score


def test_a_waived_criterion_that_cannot_be_computed_is_waived_not_error() -> None:
    broken = """\
  - id: broken
    title: Broken
    expression: "total_homes / demolished_homes"
    better: higher
    target: 2
    limit: 1
"""
    waiver = {"criterion": "broken", "reason": "no demolition", "decided": "2025-03-12"}
    (item,) = _score(broken, exemptions=[waiver]).criteria
    assert (item.status, item.score) == ("waived", None)
    assert item.message == "division by zero; waived on 2025-03-12: no demolition"
    (unwaived,) = _score(broken).criteria
    assert (unwaived.status, unwaived.message) == ("error", "division by zero")


def test_a_when_without_a_value_says_what_is_missing() -> None:
    when = TRANSIT.replace("weight: 1", "weight: 1\n    when: transit_distance_m < 5000")
    (item,) = _score(when).criteria
    assert (item.status, item.message) == ("error", "when: no train or HOV stop listed")


@pytest.mark.parametrize(
    ("names", "path"),
    [
        ({"social_rent_share", "total_homes"}, ("homes", "social_rent")),  # sorted: a metric first
        ({"homes.mid_rent"}, ("homes", "mid_rent")),
        ({"phase", "work.jobs"}, ("work", "jobs")),
        ({"phase"}, ("homes",)),
        (set(), ("homes",)),
    ],
)
def test_an_expression_is_placed_at_the_figure_it_names(
    names: set[str], path: tuple[str, ...]
) -> None:
    from woonplan.checking.metrics import figure_path

    assert figure_path(names) == path
