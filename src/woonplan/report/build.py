"""The report's content, built from the plain data of woonplan's JSON outputs.

:func:`build_report` takes the progress as ``woonplan progress --format json`` shapes it
(:func:`woonplan.progress.contract.as_dict`), one :func:`plan_entry` per valid plan, and the
changes as ``woonplan changes --format json`` shapes them (or None). Every section exists only
when its data does, so a figure the JSON gains appears in the report without a change to this
module's callers. Nothing here formats numbers or writes words: the templates do, through
:mod:`woonplan.report.numbers` and the translation function.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from woonplan import numbers
from woonplan.checking.models import SEGMENTS, Region
from woonplan.checking.prices import effective_segments
from woonplan.checking.scoring import CriterionResult, PlanResult
from woonplan.progress.contributions import net_by_year
from woonplan.progress.rounding import whole
from woonplan.render import labels

CAPACITY_NORM = 1.30
"""National practice: plan capacity of 130% of the target, as about 30% of soft plans fall
away (ABF Research); the headline sets the region's capacity against it."""
TOTAL_KEYS = ("target", "planned", "expected", "gap", "completed", "required_per_year")
"""The totals rows of the changes section, in this order (those both sides have)."""


def plan_entry(result: PlanResult, region: Region) -> dict[str, Any]:
    """One valid plan as plain data: the plan file's fields, its score, verdict and criteria,
    and its net homes inside and after the period."""
    plan = result.plan
    start, end = region.period.start, region.period.end
    net = net_by_year(plan)
    homes = effective_segments(plan, region.price_limits).homes  # as check counts them
    return {
        "plan": plan.model_dump(mode="json", exclude_none=True),
        # homes priced above a limit count as free-sector, here as in every other figure
        "social_rent_share": homes.social_rent / homes.total if homes.total else None,
        "score": result.score,
        "verdict": result.verdict,
        "criteria": [_criterion(c) for c in result.criteria],
        "in_period": sum(n for y, (n, _) in net.items() if start <= y <= end),
        "after_period": sum(n for y, (n, _) in net.items() if y > end),
    }


def _criterion(item: CriterionResult) -> dict[str, Any]:
    spec = item.criterion.spec
    exemption = item.exemption
    return {
        "id": spec.id,
        "title": spec.title,
        "status": item.status,
        "value": item.value,
        "target": spec.target,
        "limit": spec.limit,
        "better": spec.better,
        "required": spec.required,
        "weight": spec.weight,
        "kind": value_kind(spec.metric),
        "message": item.message,
        "waiver": {"reason": exemption.reason, "decided": exemption.decided.isoformat()}
        if exemption is not None and item.status == "waived"
        else None,
    }


def value_kind(metric: str | None) -> str:
    """How a criterion's values read best: shares as percent, distances in metres."""
    name = metric or ""
    if name.endswith("_share"):
        return "percent"
    if name.endswith("_m"):
        return "metres"
    return "number"


def build_report(
    progress: Mapping[str, Any],
    plans: Sequence[Mapping[str, Any]],
    *,
    review_threshold: int,
    generated: datetime.date,
    changes: Mapping[str, Any] | None = None,
    since: str | None = None,
    price_limits: Mapping[Any, Any] | None = None,
) -> dict[str, Any]:
    """Everything the template shows, in the report's order."""
    totals = progress["totals"]
    reviewed = [p for p in plans if _total(p["plan"]["homes"]) >= review_threshold]
    changed = {c["id"]: c for c in (changes or {}).get("plans", [])}
    return {
        "region": progress["region"],
        "as_of": progress["as_of"],
        "period": progress["period"],
        "generated": generated.isoformat(),
        "headline": headline(progress),
        "social_rent": social_rent(progress),
        "policy_tests": policy_tests(progress.get("policy_tests")),
        "municipalities": municipalities(progress),
        "years": years(progress),
        "obstacles": [
            {**o, "share": o["homes"] / totals["planned"] if totals["planned"] else None}
            for o in progress["obstacles"]
        ],
        "verdicts": progress["verdicts"],
        "invalid": list(progress.get("invalid", [])),
        "changes": changes_section(changes, since) if changes is not None else None,
        "review_threshold": review_threshold,
        "reviewed": [_row(p) for p in reviewed],
        "dossiers": [
            dossier(p, price_limits, changed.get(p["plan"]["id"]), changes is not None)
            for p in reviewed
        ],
    }


def headline(progress: Mapping[str, Any]) -> dict[str, Any]:
    """Target, planned, expected, gap, pace and plan capacity: the progress JSON's totals as
    they are, with the even pace, the 130% norm and the years left beside them."""
    totals = dict(progress["totals"])
    period = progress["period"]
    target = totals["target"]
    totals["even_pace"] = target / (period["end"] - period["start"] + 1)
    totals["capacity_norm"] = CAPACITY_NORM
    totals["capacity_needed"] = target * CAPACITY_NORM
    totals["years_left"] = max(0, period["end"] - max(progress["as_of"], period["start"]) + 1)
    return totals


def social_rent(progress: Mapping[str, Any]) -> dict[str, Any]:
    """The social-rent totals and their share of all planned homes."""
    social = dict(progress["social_rent"])
    planned = progress["totals"]["planned"]
    social["share"] = social["planned"] / planned if planned else None
    return social


def policy_tests(tests: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The policy tests with the kind of their values; None when the run has none (no
    ``policy_tests`` in criteria.yaml: the progress JSON's list is empty), so that the report
    has no empty section.

    The JSON does not say a test's metric, so its target decides: up to 2 a share or ratio
    (shown as a percentage: 66.7%, 130%), above 2 a number of homes (1,500).
    """
    if not tests:
        return None
    out = []
    for test in tests:
        kind = test.get("kind") or ("percent" if abs(test.get("target") or 0) <= 2 else "homes")
        out.append({**test, "kind": kind})
    return out


def municipalities(progress: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each municipality, with its share of the region's planned homes."""
    planned = progress["totals"]["planned"]
    return [
        {**m, "region_share": m["planned"] / planned if planned else None}
        for m in progress["municipalities"]
    ]


def years(progress: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each year of the period with the pace still needed from the as-of year on."""
    pace = progress["totals"]["required_per_year"]
    out = []
    for y in progress["years"]:
        needed = pace if y["year"] >= progress["as_of"] and pace is not None else None
        # the difference of the two figures in the row, as the progress table shows it
        versus = None if needed is None else numbers.shown_difference(y["expected"], needed)
        out.append({**y, "pace": needed, "versus_pace": versus})
    return out


def _shown_change(old: Any, new: Any, change: Any) -> Any:
    """A total's change as the difference of the whole homes shown beside it (1,669 → 1,532:
    −137, not the −138 of rounding −137.5), as ``woonplan changes`` shows it."""
    if isinstance(old, int | float) and isinstance(new, int | float):
        return numbers.shown_difference(new, whole(old))
    return change


def changes_section(changes: Mapping[str, Any], since: str | None) -> dict[str, Any]:
    """The changes since the last meeting: totals old → new and the plans that moved."""
    rows = []
    for name, key in (("totals", "homes"), ("social_rent", "social_rent")):
        side = changes.get(name) or {}
        old, new, change = side.get("old") or {}, side.get("new") or {}, side.get("change") or {}
        for field in TOTAL_KEYS:
            if field in old and field in new:
                rows.append(
                    {
                        "group": key,
                        "field": field,
                        "old": old[field],
                        "new": new[field],
                        "change": _shown_change(old[field], new[field], change.get(field)),
                    }
                )
    return {
        "old": changes.get("old", since),
        "new": changes.get("new"),
        "totals": rows,
        "plans": list(changes.get("plans", [])),
        "summary": changes.get("summary", {}),
    }


def _row(entry: Mapping[str, Any]) -> dict[str, Any]:
    plan = entry["plan"]
    homes = plan["homes"]
    total = _total(homes)
    return {
        "id": plan["id"],
        "name": plan["name"],
        "municipality": plan["municipality"],
        "phase": plan["phase"],
        "homes": total,
        "in_period": entry["in_period"],
        "social_rent_share": entry["social_rent_share"],
        "score": entry["score"],
        "verdict": entry["verdict"],
        "obstacles": len(plan.get("obstacles", [])),
    }


def dossier(
    entry: Mapping[str, Any],
    price_limits: Mapping[Any, Any] | None,
    change: Mapping[str, Any] | None,
    with_changes: bool,
) -> dict[str, Any]:
    """One plan's page: facts, segments with prices, delivery, criteria, exemptions, obstacles
    and (with ``--since``) its change."""
    plan = entry["plan"]
    titles = {c["id"]: c["title"] for c in entry["criteria"]}
    homes, demolished = plan["homes"], plan.get("demolished", {})
    transit = [s for s in plan.get("public_transport", []) if s["type"] in ("train", "hov")]
    return {
        **_row(entry),
        "initiators": plan.get("initiators", []),
        "demolished": _total(demolished),
        "net": _total(homes) - _total(demolished),
        "after_period": entry["after_period"],
        "nearest_transit": min(transit, key=lambda s: s["walking_distance_m"], default=None),
        "jobs": (plan.get("work") or {}).get("jobs"),
        "segments": segment_rows(plan, price_limits),
        "has_prices": bool(plan.get("prices")),
        "delivery": [
            {"year": int(year), "homes": homes_in_year}
            for year, homes_in_year in sorted(plan["delivery"].items(), key=lambda i: int(i[0]))
        ],
        "criteria": entry["criteria"],
        "exemptions": [
            {**e, "title": titles.get(e["criterion"], e["criterion"])}
            for e in plan.get("exemptions", [])
        ],
        # a note is optional, and the plan's plain data leaves out what it does not have
        "obstacle_notes": [
            {"category": o["category"], "note": o.get("note")} for o in plan.get("obstacles", [])
        ],
        "notes": plan.get("notes"),
        "change": change,
        "with_changes": with_changes,
    }


def segment_rows(
    plan: Mapping[str, Any], price_limits: Mapping[Any, Any] | None
) -> list[dict[str, Any]]:
    """The segments with homes or demolition, each with its price and that year's limit."""
    homes, demolished = plan["homes"], plan.get("demolished", {})
    prices = plan.get("prices") or {}
    limits = limits_for(plan, price_limits)
    rows = []
    for segment in SEGMENTS:
        new, gone = homes.get(segment, 0), demolished.get(segment, 0)
        price = prices.get(segment)
        if not (new or gone or price is not None):
            continue
        limit = limits.get(segment)
        rows.append(
            {
                "segment": segment,
                "label": labels.SEGMENTS[segment],
                "homes": new,
                "demolished": gone,
                "price": price,
                "price_kind": "euro",
                "limit": limit,
                "within": None if price is None or limit is None else price <= limit,
            }
        )
    return rows


def limits_for(plan: Mapping[str, Any], price_limits: Mapping[Any, Any] | None) -> dict[str, float]:
    """The price limits (betaalbaarheidsgrenzen) of the plan's reference year: its earliest
    delivering year, clamped to the years the table has (SPEC.md, Price limits)."""
    if not price_limits:
        return {}
    table = {int(year): limits for year, limits in price_limits.items()}
    delivering = [int(y) for y, n in plan["delivery"].items() if n > 0]
    year = min(delivering) if delivering else min(table)
    year = min(max(year, min(table)), max(table))
    row = table[year]
    return {
        segment: float(value)
        for segment, value in dict(row).items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def _total(segments: Mapping[str, int]) -> int:
    return sum(segments.get(s, 0) for s in SEGMENTS)
