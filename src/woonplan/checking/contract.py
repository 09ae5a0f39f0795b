"""The JSON contract of ``woonplan check``: the report as plain data (see SPEC.md).

The JSON renderer writes it (:mod:`woonplan.render.check_json`, with its speed-ups); CI scripts
read it, so keys are only ever added.
"""

from __future__ import annotations

import math
from typing import Any

from woonplan.checking.run import CheckReport, PlanReport
from woonplan.checking.scoring import CriterionResult


def as_dict(report: CheckReport) -> dict[str, Any]:
    """The report as plain data."""
    return {"plans": [plan_dict(p) for p in report.plans], **about(report)}


def about(report: CheckReport) -> dict[str, Any]:
    """Everything after the plans."""
    return {
        "summary": report.summary(),
        "as_of": report.as_of,
        "criteria_file": report.criteria.source,
    }


def plan_dict(report: PlanReport) -> dict[str, Any]:
    """One plan file's entry."""
    result = report.result if report.valid else None
    return {
        "file": report.file,
        "id": report.plan_id,
        "valid": report.valid,
        "errors": [e.as_dict() for e in report.errors],
        "warnings": [w.as_dict() for w in report.warnings],
        "score": result.score if result else None,
        "verdict": report.verdict,
        "criteria": [_criterion(c) for c in result.criteria] if result else [],
    }


def _criterion(item: CriterionResult) -> dict[str, Any]:
    spec = item.criterion.spec
    exemption = item.exemption
    return {
        "id": spec.id,
        "status": item.status,
        "value": _round(item.value),
        "score": _round(item.score),
        "required": spec.required,
        "weight": int(spec.weight) if spec.weight == int(spec.weight) else spec.weight,
        "message": item.message,
        "title": spec.title,
        "target": spec.target,
        "limit": spec.limit,
        "better": spec.better,
        "waiver": {"reason": exemption.reason, "decided": exemption.decided.isoformat()}
        if exemption and item.status == "waived"
        else None,
    }


def _round(value: float | None) -> float | None:
    """Four decimals, halves away from zero as every figure of woonplan (Python's ``round``
    would give the even 0.7812 for 0.78125); float noise is removed first."""
    if value is None:
        return None
    scaled = round(value * 10_000, 6)
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / 10_000 + 0.0
