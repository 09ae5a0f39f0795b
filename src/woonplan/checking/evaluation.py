"""Evaluating compiled expressions: the values they work on, the closures that compute
arithmetic, comparisons and function calls, and the errors of one plan.

:mod:`woonplan.checking.expressions` checks and compiles an expression once, at load, out of
these closures; they run for every plan. Arithmetic is on floats only, and a result that is
not finite, a division by zero or a missing value is an :class:`EvaluationError` for that plan
(the criterion's status is then ``error``).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from woonplan.i18n import _

Value = float | str | bool | None
Env = Mapping[str, Value]
Compiled = Callable[[Env], Value]


class EvaluationError(ValueError):
    """An expression that cannot be computed for one plan (e.g. division by zero)."""


class MissingValue(EvaluationError):
    """A name whose value this plan does not have (e.g. no train or HOV stop listed)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(_("{name} has no value for this plan").format(name=name))


@dataclass(frozen=True)
class Expression:
    """A checked, compiled expression."""

    source: str
    names: frozenset[str]
    _fn: Compiled

    def evaluate(self, env: Env) -> Value:
        """The expression's value for one plan's values; raises :class:`EvaluationError`."""
        return self._fn(env)


def arith(op: Callable[[float, float], float], left: Compiled, right: Compiled) -> Compiled:
    def apply(env: Env) -> Value:
        a, b = number(left(env)), number(right(env))
        try:
            result = op(a, b)
        except ZeroDivisionError:
            raise EvaluationError(_("division by zero")) from None
        if not math.isfinite(result):
            raise EvaluationError(_("result is not a finite number"))
        return result

    return apply


def comparison(
    ops: Sequence[Callable[[Any, Any], bool]], first: Compiled, rest: Sequence[Compiled]
) -> Compiled:
    """A chain of comparisons (``a < b <= c``); text compares with text, by ``==``/``!=``
    also with a number."""

    def compare(env: Env) -> Value:
        left = present(first(env))
        for fn, right_fn in zip(ops, rest, strict=True):
            right = present(right_fn(env))
            if isinstance(left, str) != isinstance(right, str) and fn not in (
                operator.eq,
                operator.ne,
            ):
                raise EvaluationError(_("cannot compare text with a number"))
            if not fn(left, right):
                return False
            left = right
        return True

    return compare


def function_call(name: str, fn: Callable[..., float], args: Sequence[Compiled]) -> Compiled:
    """A call of one of the allowed functions (``min max abs round``) on numbers."""

    def call(env: Env) -> Value:
        values = [number(a(env)) for a in args]
        if name == "round" and len(values) == 2:
            digits = values[1]
            if digits != int(digits) or not -10 <= digits <= 10:
                raise EvaluationError(_("round() digits must be a whole number from -10 to 10"))
            return float(round(values[0], int(digits)))
        return float(fn(*values))

    return call


def present(value: Value) -> Value:
    if value is None:
        raise EvaluationError(_("a value used in the expression is missing"))
    return value


def number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        raise EvaluationError(_("a value used in the expression is missing"))
    raise EvaluationError(
        _("arithmetic on text ({value}) is not allowed").format(value=repr(value))
    )


def truth(value: Value) -> bool:
    if value is None:
        raise EvaluationError(_("a value used in the expression is missing"))
    return bool(value)
