"""``woonplan check --format json``: the stable shape that CI scripts read (see README.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from json.encoder import encode_basestring

from woonplan.checking.contract import about, plan_dict
from woonplan.checking.run import CheckReport, PlanReport
from woonplan.render import Style, jsontext


def render(report: CheckReport, style: Style) -> str:
    """The report as JSON text: ``jsontext.dumps(contract.as_dict(report))``, each plan's entry
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
    for key, value in about(report).items():
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
    text = PlanText(report.verdict, jsontext.dumps_nested(plan_dict(report), 2), len(report.errors))
    return replace(report, result=None, findings=(), kept=text)


def _plan_text(report: PlanReport) -> str:
    kept = report.kept
    if isinstance(kept, PlanText) and kept.errors == len(report.errors):
        return kept.text
    return jsontext.dumps_nested(plan_dict(report), 2)
