"""validate.py: pydantic errors become one-line problems at the right place; cross-field rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from woonplan.checking.criteria import Criteria
from woonplan.checking.model_errors import allowed_keys
from woonplan.checking.models import Plan
from woonplan.checking.plan_rules import data_warnings
from woonplan.checking.run import check_file
from woonplan.reading.source import parse_text

BASE = """\
id: {id}
name: Test plan
municipality: Hilversum
phase: adopted
homes:
  social_rent: 40
  free_buy: 60
delivery:
  2027: 100
"""


@pytest.fixture
def errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, criteria: Criteria
) -> Callable[[str, str], list[str]]:
    """Check ``text`` as ``<name>.yaml`` (a relative path, as a user types it); error lines."""
    monkeypatch.chdir(tmp_path)

    def check(name: str, text: str) -> list[str]:
        Path(f"{name}.yaml").write_text(text, encoding="utf-8")
        report = check_file(Path(f"{name}.yaml"), criteria, 2025)
        return [str(e) for e in report.errors]

    return check


def plan_text(name: str, old: str = "", new: str = "", extra: str = "") -> str:
    text = BASE.format(id=name)
    if old:
        assert old in text
        text = text.replace(old, new)
    return text + extra


def test_a_valid_plan_has_no_errors(errors: Callable[[str, str], list[str]]) -> None:
    assert errors("ok", plan_text("ok")) == []


def test_typo_key_points_at_the_key_with_did_you_mean(
    errors: Callable[[str, str], list[str]],
) -> None:
    text = plan_text("p", "social_rent: 40", "socal_rent: 40")
    assert errors("p", text) == [
        "p.yaml:6:3: homes.socal_rent: unknown key 'socal_rent' (did you mean 'social_rent'?)"
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(
    errors: Callable[[str, str], list[str]],
) -> None:
    (line,) = errors("p", plan_text("p", extra="work:\n  jobs: 1\n  zzz: 2\n"))
    assert line == "p.yaml:12:3: work.zzz: unknown key 'zzz'; allowed: floor_area_m2, jobs"


def test_negative_number(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("p", "social_rent: 40", "social_rent: -4")
    # the delivery sum is not judged while the homes themselves are wrong
    assert errors("p", text) == ["p.yaml:6:16: homes.social_rent: must be >= 0 (got -4)"]


def test_float_limits_read_as_written(errors: Callable[[str, str], list[str]]) -> None:
    stop = "public_transport:\n  - stop: X\n    type: bus\n    walking_distance_m: -5\n"
    (line,) = errors("p", plan_text("p", extra=stop))
    assert line == "p.yaml:13:25: public_transport[0].walking_distance_m: must be >= 0 (got -5)"


def test_delivery_sum_mismatch_shows_both_numbers(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("p", "2027: 100", "2027: 50\n  2028: 45")
    assert errors("p", text) == [
        "p.yaml:9:3: delivery: delivery adds up to 95 homes, but homes total 100"
    ]


def test_missing_required_field_points_at_the_parent_mapping(
    errors: Callable[[str, str], list[str]],
) -> None:
    assert errors("p", plan_text("p", "phase: adopted\n", "")) == [
        "p.yaml:1:1: phase: required, but missing"
    ]
    work = "work:\n  floor_area_m2: 100\n"
    assert errors("q", plan_text("q", extra=work)) == [
        "q.yaml:11:3: work.jobs: required, but missing"
    ]


def test_not_a_mapping(errors: Callable[[str, str], list[str]]) -> None:
    assert errors("p", "just text\n") == [
        "p.yaml:1:1: must be a YAML mapping of keys to values (the file is a text)"
    ]
    assert errors("q", "- 1\n") == [
        "q.yaml:1:1: must be a YAML mapping of keys to values (the file is a list)"
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [("yes", "true"), ("10.5", "10.5"), ('"60"', "'60'"), ("1e2", "'1e2'"), ("60.0", "60.0")],
)
def test_strict_numbers(errors: Callable[[str, str], list[str]], value: str, shown: str) -> None:
    text = plan_text("p", "free_buy: 60", f"free_buy: {value}")
    assert errors("p", text) == [
        f"p.yaml:7:13: homes.free_buy: must be a whole number (got {shown})"
    ]


def test_municipality_in_the_wrong_case_suggests_the_right_one(
    errors: Callable[[str, str], list[str]],
) -> None:
    text = plan_text("p", "Hilversum", "hilversum")
    assert errors("p", text) == [
        "p.yaml:3:15: municipality: 'hilversum' is not a municipality of Gooi en Vechtstreek "
        "(did you mean 'Hilversum'?)"
    ]


def test_id_must_equal_the_file_name(errors: Callable[[str, str], list[str]]) -> None:
    assert errors("p", plan_text("other")) == [
        "p.yaml:1:5: id: must equal the file name 'p' (got 'other')"
    ]


def test_exemption_naming_an_unknown_criterion(errors: Callable[[str, str], list[str]]) -> None:
    extra = "exemptions:\n  - criterion: transit\n    reason: r\n    decided: 2025-01-02\n"
    assert errors("p", plan_text("p", extra=extra)) == [
        "p.yaml:11:16: exemptions[0].criterion: unknown criterion 'transit'"
    ]


def test_the_same_criterion_exempted_twice(errors: Callable[[str, str], list[str]]) -> None:
    one = "  - criterion: affordable_share\n    reason: r\n    decided: 2025-01-02\n"
    (line,) = errors("p", plan_text("p", extra="exemptions:\n" + one + one))
    assert (
        line
        == "p.yaml:14:16: exemptions[1].criterion: criterion 'affordable_share' is exempted twice"
    )


def test_a_year_key_written_as_text(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("p", "2027: 100", "'2027': 100")
    assert errors("p", text) == [
        # issue 12 point 8: the fix, not only the rule
        "p.yaml:9:3: delivery.2027: a year must not be quoted: remove the quotes: write 2027: 100"
    ]


def test_a_year_out_of_range_points_at_the_year(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("p", "2027: 100", "2101: 100")
    assert errors("p", text) == ["p.yaml:9:3: delivery.2101: must be <= 2100 (got 2101)"]


def test_all_errors_of_a_file_are_reported_in_file_order(
    errors: Callable[[str, str], list[str]],
) -> None:
    text = plan_text("p", "phase: adopted", "phase: built").replace("free_buy: 60", "free_buy: x")
    text += "colour: red\n"
    found = errors("p", text)
    assert [line.split(": ", 2)[1] for line in found] == ["phase", "homes.free_buy", "colour"]
    assert len(found) == 3


def test_schema_errors_do_not_hide_rule_errors(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("other", "Hilversum", "Weesp").replace("free_buy: 60", "free_buy: -1")
    assert [line.split(": ", 2)[1] for line in errors("p", text)] == [
        "id",
        "municipality",
        "homes.free_buy",
    ]


def test_a_duplicate_key_does_not_hide_other_errors(
    errors: Callable[[str, str], list[str]],
) -> None:
    text = plan_text("p", "social_rent: 40", "socal_rent: 40") + "name: Again\n"
    assert errors("p", text) == [
        "p.yaml:6:3: homes.socal_rent: unknown key 'socal_rent' (did you mean 'social_rent'?)",
        "p.yaml:10:1: name: duplicate key 'name'",
    ]


def test_a_duplicated_value_is_not_judged_by_the_rules(
    errors: Callable[[str, str], list[str]],
) -> None:
    # which social_rent counts is a guess, so no sum mismatch is reported on top
    text = plan_text("p", "free_buy: 60", "free_buy: 60\n  social_rent: 1")
    assert errors("p", text) == ["p.yaml:8:3: homes.social_rent: duplicate key 'social_rent'"]


def test_zero_homes(errors: Callable[[str, str], list[str]]) -> None:
    text = plan_text("p", "social_rent: 40\n  free_buy: 60", "free_buy: 0").replace("100", "0")
    assert errors("p", text) == ["p.yaml:6:3: homes: the plan has no new homes (total is 0)"]


def test_allowed_keys_follow_the_model() -> None:
    assert allowed_keys(Plan, ("public_transport", 0)) == ["stop", "type", "walking_distance_m"]
    assert "social_rent" in allowed_keys(Plan, ("homes",))


def _warnings(text: str, as_of: int) -> list[str]:
    doc = parse_text(text, "p.yaml")
    plan = Plan.model_validate(doc.data)
    return [str(w) for w in data_warnings(plan, doc, as_of)]


def test_overdue_delivery_warns_at_the_first_past_year() -> None:
    text = plan_text("p", "2027: 100", "2024: 30\n  2025: 30\n  2027: 40")
    assert _warnings(text, 2026) == [
        "p.yaml:9:3: delivery.2024: overdue: delivery in 2024, 2025 is in the past "
        "but the phase is still 'adopted'"
    ]
    assert _warnings(text, 2024) == []  # the current year is not overdue


@pytest.mark.parametrize("phase", ["under_construction", "completed"])
def test_built_phases_are_never_overdue(phase: str) -> None:
    text = plan_text("p", "phase: adopted", f"phase: {phase}").replace("2027", "2020")
    assert _warnings(text, 2025) == []


def test_completed_plan_delivering_in_the_future_warns() -> None:
    text = plan_text("p", "phase: adopted", "phase: completed")
    assert _warnings(text, 2025) == [
        "p.yaml:9:3: delivery.2027: the plan is 'completed' but delivers in 2027, after 2025"
    ]
    assert _warnings(text, 2027) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # issue 12 point 1: a Dutch thousands separator is a decimal point in YAML
        (
            "social_rent: 40",
            "social_rent: 1.060",
            "p.yaml:6:16: homes.social_rent: must be a whole number: 1.060 is read as 1.06; "
            "did you mean 1060?",
        ),
        # 1.000 is 1.0, which a lax reader would take for 1 home
        (
            "social_rent: 40",
            "social_rent: 1.000",
            "p.yaml:6:16: homes.social_rent: must be a whole number: 1.000 is read as 1.0; "
            "did you mean 1000?",
        ),
        (
            "social_rent: 40",
            "social_rent: 12.5",
            "p.yaml:6:16: homes.social_rent: must be a whole number (got 12.5)",
        ),
        (
            "social_rent: 40",
            "social_rent: '1.060'",
            "p.yaml:6:16: homes.social_rent: must be a whole number (got '1.060'); "
            "did you mean 1060?",
        ),
    ],
)
def test_a_decimal_in_a_whole_number_field_says_what_was_read(
    errors: Callable[[str, str], list[str]], old: str, new: str, message: str
) -> None:
    assert errors("p", plan_text("p", old, new)) == [message]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "public_transport:\n  - {stop: S, type: train, walking_distance_m: 1.650}\n",
            "p.yaml:11:48: public_transport[0].walking_distance_m: 1.650 is read as 1.65; "
            "write whole metres: 1650",
        ),
        (
            "public_transport:\n  - {stop: S, type: train, walking_distance_m: 650.5}\n",
            "p.yaml:11:48: public_transport[0].walking_distance_m: "
            "must be whole metres (got 650.5)",
        ),
        (
            "work:\n  jobs: 4\n  floor_area_m2: 1.200\n",
            "p.yaml:12:18: work.floor_area_m2: 1.200 is read as 1.2; "
            "write whole square metres: 1200",
        ),
    ],
)
def test_distances_and_floor_areas_are_whole_numbers(
    errors: Callable[[str, str], list[str]], extra: str, message: str
) -> None:
    # Before: 1.650 was read as 1.65 m and passed the public-transport criterion.
    assert errors("p", plan_text("p", extra=extra)) == [message]


@pytest.mark.parametrize(
    ("price", "message"),
    [
        (
            "affordable_buy: 395.000",
            "p.yaml:11:19: prices.affordable_buy: 395.000 is read as 395 euros (YAML reads the "
            "dot as a decimal point); write 395000, without a thousands separator",
        ),
        (
            "social_rent: 1.150",
            "p.yaml:11:16: prices.social_rent: 1.150 is read as 1.15 euros (YAML reads the dot "
            "as a decimal point); write 1150, without a thousands separator",
        ),
    ],
)
def test_a_price_with_a_thousands_dot_is_an_error(
    errors: Callable[[str, str], list[str]], price: str, message: str
) -> None:
    # Before: 395.000 was a sale price of 395 euros, far under any limit: the homes counted as
    # affordable buy without a word.
    assert errors("p", plan_text("p", extra=f"prices:\n  {price}\n")) == [message]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "public_transport:\n  - stop: S\n    type: train\n    walking_distance_m: 1,650\n",
            "p.yaml:13:25: public_transport[0].walking_distance_m: '1,650' is text, not a number; "
            "write 1650, without a thousands separator",
        ),
        (
            "prices:\n  mid_rent: 1.150,50\n",
            "p.yaml:11:13: prices.mid_rent: '1.150,50' is text, not a number; write 1150.50, "
            "without a thousands separator",
        ),
        (
            "prices:\n  affordable_buy: 395,000\n",
            "p.yaml:11:19: prices.affordable_buy: '395,000' is text, not a number; write 395000, "
            "without a thousands separator",
        ),
    ],
)
def test_a_number_with_separators_says_what_to_write(
    errors: Callable[[str, str], list[str]], extra: str, message: str
) -> None:
    # YAML keeps 1,650 and 1.150,50 as text; before, only "must be a whole number (got
    # '1,650')" or "must be a number (got '1.150,50')"
    assert errors("p", plan_text("p", extra=extra)) == [message]


def test_a_price_with_cents_is_a_price(errors: Callable[[str, str], list[str]]) -> None:
    assert errors("p", plan_text("p", extra="prices:\n  social_rent: 879.66\n")) == []
