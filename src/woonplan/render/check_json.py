"""``woonplan check --format json``: the stable shape that CI scripts read (see README.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from json.encoder import encode_basestring
from typing import Any

from woonplan.checking.run import CheckReport, PlanReport
from woonplan.checking.scoring import CriterionResult
from woonplan.render import Style, jsontext


def render(report: CheckReport, style: Style) -> str:
    """The report as JSON text: ``jsontext.dumps(as_dict(report))``, each plan's entry
    taken as :func:`slim` wrote it where it could be."""
    parts = ['{\n  "plans": ']
    if report.plans:
        parts.append("[")
        for index, plan in enumerate(report.plans):
            parts.append(",\n    " if index else "\n    ")
            parts.append(_plan_text(plan))
        parts.append("\n  ]")
    else:
        parts.append("[]")
    for key, value in _about(report).items():
        parts += [",\n  ", encode_basestring(key), ": ", jsontext.dumps_nested(value, 1)]
    parts.append("\n}\n")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class PlanText:
    """A valid plan's entry in the JSON output, written where the plan was checked."""

    verdict: str
    text: str
    errors: int
    """How many errors the report had then: checking ids across files may add one."""


def slim(report: PlanReport) -> PlanReport:
    """A valid plan's report with its result replaced by its JSON text (applied in the worker
    processes): the parent then holds text, not every plan's models, for 100,000 plans."""
    if report.result is None or not report.valid:
        return report
    text = PlanText(report.verdict, jsontext.dumps_nested(_plan(report), 2), len(report.errors))
    return replace(report, result=None, findings=(), kept=text)


def _plan_text(report: PlanReport) -> str:
    kept = report.kept
    if isinstance(kept, PlanText) and kept.errors == len(report.errors):
        return kept.text
    return jsontext.dumps_nested(_plan(report), 2)


def as_dict(report: CheckReport) -> dict[str, Any]:
    """The report as plain data."""
    return {"plans": [_plan(p) for p in report.plans], **_about(report)}


def _about(report: CheckReport) -> dict[str, Any]:
    """Everything after the plans."""
    return {
        "summary": report.summary(),
        "as_of": report.as_of,
        "criteria_file": report.criteria.source,
    }


def _plan(report: PlanReport) -> dict[str, Any]:
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
    return None if value is None else round(value, 4)
