"""Evaluating compiled expressions: the values they work on and the errors of one plan.

:mod:`woonplan.checking.expressions` checks and compiles an expression once, at load; the
closures it builds call these helpers for every plan. Arithmetic is on floats only, and a
result that is not finite, a division by zero or a missing value is an
:class:`EvaluationError` for that plan (the criterion's status is then ``error``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Value = float | str | bool | None
Env = Mapping[str, Value]
Compiled = Callable[[Env], Value]


class EvaluationError(ValueError):
    """An expression that cannot be computed for one plan (e.g. division by zero)."""


class MissingValue(EvaluationError):
    """A name whose value this plan does not have (e.g. no train or HOV stop listed)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} has no value for this plan")


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
            raise EvaluationError("division by zero") from None
        if not math.isfinite(result):
            raise EvaluationError("result is not a finite number")
        return result

    return apply


def present(value: Value) -> Value:
    if value is None:
        raise EvaluationError("a value used in the expression is missing")
    return value


def number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        raise EvaluationError("a value used in the expression is missing")
    raise EvaluationError(f"arithmetic on text ({value!r}) is not allowed")


def truth(value: Value) -> bool:
    if value is None:
        raise EvaluationError("a value used in the expression is missing")
    return bool(value)
