"""expressions.py: the allow-list refuses everything unsafe when compiled; allowed parts compute."""

from __future__ import annotations

import pytest

from woonplan.checking.expressions import (
    EvaluationError,
    ExpressionError,
    MissingValue,
    Value,
    compile_expression,
)
from woonplan.checking.metrics import NAMES

ENV: dict[str, Value] = {
    "total_homes": 100.0,
    "homes.social_rent": 25.0,
    "homes.mid_rent": 35.0,
    "demolished_homes": 0.0,
    "phase": "adopted",
    "municipality": "Hilversum",
    "transit_distance_m": None,
}


def value(source: str) -> Value:
    return compile_expression(source, NAMES).evaluate(ENV)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "function __import__ is not allowed"),
        ("homes.__class__", "unknown name 'homes.__class__'"),
        ("total_homes.__class__.__mro__", "unknown name"),
        ("().__class__", "attribute access is only allowed on plan fields"),
        ("__builtins__", "unknown name '__builtins__'"),
        ("lambda: 1", "lambda is not allowed"),
        ("9**9**9", "operator ** is not allowed"),
        ("total_homes // 2", "operator // is not allowed"),
        ("total_homes % 2", "operator % is not allowed"),
        ("[x for x in (1, 2)]", "a comprehension is not allowed"),
        ("(x for x in (1, 2))", "a comprehension is not allowed"),
        ("int(total_homes)", "function int is not allowed (only min, max, abs, round)"),
        ("eval('1')", "function eval is not allowed"),
        ("getattr(homes, 'x')", "function getattr is not allowed"),
        ("min(*[1, 2])", "min() takes plain arguments only"),
        ("round(x=1)", "round() takes plain arguments only"),
        ("total_home", "unknown name 'total_home' (did you mean 'total_homes'?)"),
        ("homes.socal_rent", "unknown name 'homes.socal_rent' (did you mean 'homes.social_rent'?)"),
        ("homes", "unknown name 'homes'"),
        ("homes['social_rent']", "indexing ([...]) is not allowed"),
        ("total_homes if True else 0", "if/else is not allowed"),
        ("(y := 1)", "assignment (:=) is not allowed"),
        ("f'{total_homes}'", "an f-string is not allowed"),
        ("True", "True is not allowed"),
        ("~1", "operator ~ is not allowed"),
        ("1 in (1, 2)", "comparison In is not allowed"),
        ("1e999", "number is too large"),
        ("total_homes +", "cannot parse expression"),
        ("min(total_homes)", "min() needs at least two arguments"),
        ("x" * 1001, "expression is too long"),
        ("+".join(["1"] * 150), "expression is too complex"),
    ],
)
def test_forbidden_expressions_are_refused_when_compiled(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, NAMES)
    assert message in str(info.value)


def test_deep_nesting_is_refused_when_compiled() -> None:
    with pytest.raises(ExpressionError, match=r"nested too deeply|too complex"):
        compile_expression("-" * 40 + "1", NAMES)


def test_a_method_call_is_refused_with_a_readable_message() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("municipality.upper()", NAMES)
    assert "Attribute" not in str(info.value)
    assert "municipality.upper()" in str(info.value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("homes.social_rent / total_homes", 0.25),
        ("homes.social_rent + homes.mid_rent - 10", 50.0),
        ("2 * (homes.social_rent + 5)", 60.0),
        ("-homes.social_rent", -25.0),
        ("min(homes.social_rent, homes.mid_rent)", 25.0),
        ("max(homes.social_rent, homes.mid_rent, 30)", 35.0),
        ("abs(demolished_homes - homes.social_rent)", 25.0),
        ("round(homes.social_rent / 3, 2)", 8.33),
        ("round(2.6)", 3.0),
        ("total_homes >= 50", True),
        ("total_homes < 50", False),
        ("10 < homes.social_rent <= 25", True),
        ("total_homes >= 50 and phase == 'adopted'", True),
        ("total_homes < 50 or municipality == 'Hilversum'", True),
        ("not total_homes >= 50", False),
        ("phase == 'adopted'", True),
        ("phase != 'completed'", True),
    ],
)
def test_allowed_expressions_evaluate(source: str, expected: Value) -> None:
    assert value(source) == pytest.approx(expected)


def test_compile_records_the_names_used() -> None:
    expression = compile_expression("homes.social_rent / total_homes", NAMES)
    assert expression.names == {"homes.social_rent", "total_homes"}


def test_division_by_zero_is_an_evaluation_error_not_a_crash() -> None:
    expression = compile_expression("homes.social_rent / demolished_homes", NAMES)
    with pytest.raises(EvaluationError, match="division by zero"):
        expression.evaluate(ENV)


def test_a_name_without_a_value_raises_missing_value() -> None:
    expression = compile_expression("transit_distance_m / 2", NAMES)
    with pytest.raises(MissingValue) as info:
        expression.evaluate(ENV)
    assert info.value.name == "transit_distance_m"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("phase * 2", "arithmetic on text"),
        ("phase < 3", "cannot compare text with a number"),
        ("max(total_homes, 1e308) * 10", "not a finite number"),
        ("round(total_homes, 0.5)", "digits must be a whole number"),
    ],
)
def test_type_mistakes_are_evaluation_errors(source: str, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        value(source)


TEXT_NAMES = {"phase": ("adopted", "completed"), "municipality": ("Hilversum", "Laren")}


@pytest.mark.parametrize(
    "source",
    [
        "phase == 'adopted' or phase == 'completed'",
        "municipality != 'Laren' and total_homes > 10",
        "'adopted' == phase != 'completed'",
        "not (phase == 'adopted')",
        "0 < total_homes < 100",
    ],
)
def test_text_fields_compared_with_real_values_are_allowed(source: str) -> None:
    compile_expression(source, NAMES, TEXT_NAMES)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("phase == 'adoptd'", "'adoptd' is not a possible phase (did you mean 'adopted'?)"),
        ("phase == total_homes", "phase is text; compare it with a quoted value"),
        ("phase == municipality", "phase is text; compare it with a quoted value"),
        ("phase == adopted", "unknown name 'adopted'; to compare phase with text, quote it"),
        ("(phase and phase) == 'adopted'", "text 'adopted' can only be compared with"),
        ("total_homes == 'x'", "text 'x' can only be compared with municipality or phase"),
        ("not phase", "phase is text, not a condition"),
        ("phase", "phase is text, not a condition"),
        ("phase < 'b'", "phase is text; compare it with == or != only"),
        ("phase * 2", "phase is text; it can only be compared with == or !="),
    ],
)
def test_text_fields_that_would_silently_be_false_are_refused(source: str, message: str) -> None:
    # Each of these would load and then be false (or true) for every plan, switching a
    # criterion off without anyone noticing.
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, NAMES, TEXT_NAMES)
    assert message in str(info.value)
