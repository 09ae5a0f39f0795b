"""The rules engine: score one plan on every criterion and give its verdict.

Scoring of one criterion (SPEC.md): with ``better: higher``, value >= target → pass (score 1),
value < limit → fail (0), otherwise warn with score (value − limit) / (target − limit);
``better: lower`` mirrors it. ``when`` false → n/a. A criterion the plan is exempted from is
computed and shown but ``waived``: it counts in neither score nor verdict.

A criterion whose value cannot be computed (division by zero, a non-finite result, a ``when`` on
a missing optional field) is ``error``: it is left out of the score and counts as a failure for
the verdict (SPEC.md), so an ``error`` on a *required* criterion fails the plan (leaving out an
optional field must not switch a required criterion off) and on any other makes it ``warn``.
Choice where SPEC.md is silent (documented in README.md): a plan to which some criteria apply
but all are waived is reviewed: its score is null and its verdict ``pass``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from woonplan.checking.criteria import CompiledCriterion, Criteria
from woonplan.checking.expressions import EvaluationError, MissingValue, Value
from woonplan.checking.metrics import MISSING_REASONS, plan_values
from woonplan.checking.models import Exemption, Plan
from woonplan.i18n import N_, _
from woonplan.numbers import decimal, integer, trimmed
from woonplan.problems import reduce_slots

Status = Literal["pass", "warn", "fail", "n/a", "error", "waived"]
Verdict = Literal["pass", "warn", "fail", "not_reviewed"]
VERDICTS: tuple[Verdict, ...] = ("pass", "warn", "fail", "not_reviewed")


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion on one plan."""

    criterion: CompiledCriterion
    status: Status
    value: float | None
    score: float | None
    message: str
    exemption: Exemption | None = None

    @property
    def id(self) -> str:
        """The criterion's id."""
        return self.criterion.id

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return reduce_slots(self)


@dataclass(frozen=True, slots=True)
class PlanResult:
    """A plan scored on all criteria: per-criterion results, score (0–100) and verdict."""

    plan: Plan
    criteria: tuple[CriterionResult, ...]
    score: float | None
    verdict: Verdict

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return reduce_slots(self)

    def failing(self) -> list[CriterionResult]:
        """The required criteria that failed or cannot be computed (what makes the verdict
        ``fail``)."""
        return [c for c in self.criteria if blocks(c)]


def evaluate(plan: Plan, criteria: Criteria) -> PlanResult:
    """Score ``plan`` on every criterion of ``criteria``."""
    env = plan_values(plan, criteria.region.price_limits)
    exemptions = {e.criterion: e for e in plan.exemptions}
    threshold = criteria.region.review_threshold
    results = tuple(
        _evaluate_one(c, env, exemptions.get(c.id), threshold) for c in criteria.criteria
    )
    return _verdict(plan, results)


def _evaluate_one(
    criterion: CompiledCriterion,
    env: dict[str, Value],
    exemption: Exemption | None,
    threshold: int,
) -> CriterionResult:
    spec = criterion.spec
    try:
        applies = (
            bool(criterion.when.evaluate(env))
            if criterion.when is not None
            else float(env["total_homes"] or 0) >= threshold
        )
    except EvaluationError as exc:
        return _error(criterion, _("when: {reason}").format(reason=_reason(exc)), exemption)
    if not applies:
        return CriterionResult(criterion, "n/a", None, None, _("does not apply to this plan"))
    try:
        raw = criterion.expression.evaluate(env) if criterion.expression else env[spec.metric or ""]
        if raw is None:
            raise MissingValue(spec.metric or "")
        if isinstance(raw, str):
            raise EvaluationError(
                _("the value is text ({value}), not a number").format(value=repr(raw))
            )
        value = float(raw)
    except MissingValue as exc:
        message = _(MISSING_REASONS[exc.name]) if exc.name in MISSING_REASONS else str(exc)
        if exemption is not None:
            return CriterionResult(
                criterion, "waived", None, 0.0, _waived(message, exemption), exemption
            )
        return CriterionResult(criterion, "fail", None, 0.0, message)
    except EvaluationError as exc:
        return _error(criterion, _reason(exc), exemption)
    status, score = score_value(value, spec.target, spec.limit, spec.better)
    message = describe(criterion, value)
    if exemption is not None:
        return CriterionResult(
            criterion, "waived", value, score, _waived(message, exemption), exemption
        )
    return CriterionResult(criterion, status, value, score, message)


def _error(
    criterion: CompiledCriterion, message: str, exemption: Exemption | None
) -> CriterionResult:
    # A waived criterion counts in neither score nor verdict, even when it cannot be computed.
    if exemption is not None:
        return CriterionResult(
            criterion, "waived", None, None, _waived(message, exemption), exemption
        )
    return CriterionResult(criterion, "error", None, None, message)


def score_value(
    value: float, target: float, limit: float, better: Literal["higher", "lower"]
) -> tuple[Status, float]:
    """Status and score of one value against target and limit."""
    if better == "lower":
        value, target, limit = -value, -target, -limit
    if value >= target:
        return "pass", 1.0
    if value < limit:
        return "fail", 0.0
    return "warn", (value - limit) / (target - limit)


def _verdict(plan: Plan, results: tuple[CriterionResult, ...]) -> PlanResult:
    applying = [r for r in results if r.status != "n/a"]
    if not applying:
        return PlanResult(plan, results, None, "not_reviewed")
    counted = [r for r in applying if r.status in ("pass", "warn", "fail")]
    weights = sum(r.criterion.spec.weight for r in counted)
    score = None
    if counted and weights > 0:
        total = sum(r.criterion.spec.weight * (r.score or 0.0) for r in counted)
        # one decimal, halves away from zero, float noise removed first: 100 x 0.5 / 8 is
        # 6.25 -> 6.3, though 0.075 / 0.15 is 0.49999999999999994 in floats
        score = math.floor(round(1000 * total / weights, 6) + 0.5) / 10
    verdict: Verdict = "pass"
    if any(blocks(r) for r in applying):
        verdict = "fail"
    elif any(r.status in ("warn", "fail", "error") for r in applying):
        verdict = "warn"
    return PlanResult(plan, results, score, verdict)


def blocks(result: CriterionResult) -> bool:
    """A required criterion that fails, or whose value cannot be computed: the plan fails."""
    return result.status in ("fail", "error") and result.criterion.spec.required


def _waived(message: str, exemption: Exemption) -> str:
    return _("{message}; waived on {date}: {reason}").format(
        message=message, date=exemption.decided.isoformat(), reason=exemption.reason
    )


def _reason(exc: EvaluationError) -> str:
    if isinstance(exc, MissingValue):
        return _(MISSING_REASONS[exc.name]) if exc.name in MISSING_REASONS else str(exc)
    return str(exc)


def describe(criterion: CompiledCriterion, value: float) -> str:
    """The value against target and limit in words, e.g. ``20% (target 33%, limit 30%)``.

    A value that rounds to a bound it is not equal to gets more decimals (up to three more):
    29.993% social rent fails a 30% limit, and reads ``29.99%``, not ``30%``.
    """
    spec = criterion.spec
    fmt = format_for(criterion)
    template = (
        _("{value}{unit} (target {target} or more, limit {limit})")
        if spec.better == "higher"
        else _("{value}{unit} (target {target} or less, limit {limit})")
    )
    shown = fmt(value)
    for extra in range(1, 4):
        if not any(shown == fmt(bound) and value != bound for bound in (spec.target, spec.limit)):
            break
        shown = fmt(value, extra)
    return template.format(
        value=shown, unit=unit_for(criterion), target=fmt(spec.target), limit=fmt(spec.limit)
    )


_UNITS = {"jobs_per_home": N_("jobs per home")}
"""Metrics whose plain number needs its unit to be read, and that unit."""


def unit_for(criterion: CompiledCriterion) -> str:
    """The unit a plain number needs to be read: `` jobs per home`` for ``jobs_per_home``."""
    unit = _UNITS.get(criterion.spec.metric or "")
    return " " + _(unit) if unit else ""


def format_for(criterion: CompiledCriterion) -> Callable[..., str]:
    """How this criterion's values read best: a share as %, a distance in m, else a number;
    each takes ``extra`` decimals beyond its usual ones."""
    name = criterion.spec.metric or ""
    if name.endswith("_share"):
        return _percent
    if name.endswith("_m"):
        return _metres
    return _number


def _percent(value: float, extra: int = 0) -> str:
    return f"{trimmed(value * 100, 1 + extra)}%"


def _metres(value: float, extra: int = 0) -> str:
    return f"{decimal(value, 0)} m"  # whole metres: a distance is a whole number


def _number(value: float, extra: int = 0) -> str:
    if value == int(value) and abs(value) < 1e15:
        return integer(int(value))
    return trimmed(value, 2 + extra)
