"""The rules of a plan file that need more than one field or outside knowledge.

Municipality in the region, homes total and delivery sum, id equal to the file name,
exemptions naming known criteria, demolition within a sane bound; and the data warnings that
do not fail a plan. Structural errors come from the models
(:mod:`woonplan.checking.model_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from woonplan.checking.model_errors import at_key
from woonplan.checking.models import SEGMENTS, Plan, Region
from woonplan.checking.number_hints import thousands_dot_hint
from woonplan.checking.prices import PRICED, describe, effective_segments
from woonplan.i18n import _
from woonplan.numbers import integer
from woonplan.problems import Problem
from woonplan.reading.positions import PathPart
from woonplan.reading.source import Document
from woonplan.text import did_you_mean

MAX_DEMOLISHED = 10_000
"""Demolished homes of one segment in one plan above this are an error (``demolition-too-large``).

The whole region's target for 2022-2030 is 7,000 new homes and its largest municipality has
about 40,000 homes: no single plan demolishes more than 10,000 of one kind. A figure beyond it
is a typo (``1000000000000000``) that would make the region's totals absurdly negative.
"""
DEMOLITION_RATIO = 10
"""A plan demolishing more than this many times its new homes gets a data warning
(``demolition-exceeds-homes``): renewal plans replace old homes, they rarely remove ten for one.
"""


def plan_problems(
    plan: Plan, doc: Document, region: Region, criteria_ids: Collection[str], stem: str
) -> list[Problem]:
    """The rules across fields and files for one structurally valid plan."""
    facts = _Facts(
        plan.id,
        plan.municipality,
        plan.homes.total,
        sum(plan.delivery.values()),
        [(i, e.criterion) for i, e in enumerate(plan.exemptions)],
        {name: getattr(plan.demolished, name) for name in SEGMENTS},
    )
    return _rule_problems(facts, doc, region, criteria_ids, stem)


def partial_plan_problems(
    doc: Document,
    region: Region,
    criteria_ids: Collection[str],
    stem: str,
    schema_errors: Iterable[Problem],
) -> list[Problem]:
    """The same rules for a plan with schema errors, on the fields that are themselves valid.

    So that a file's schema errors do not hide its other errors (SPEC: all errors of a file).
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    bad = [p.path for p in schema_errors]

    def usable(path: str) -> bool:
        return not any(b == path or b.startswith((path + ".", path + "[")) for b in bad)

    homes, delivery = data.get("homes"), data.get("delivery")
    sums = usable("homes") and usable("delivery")
    exemptions = data.get("exemptions")
    demolished = data.get("demolished")
    facts = _Facts(
        data["id"] if isinstance(data.get("id"), str) and usable("id") else None,
        data["municipality"]
        if isinstance(data.get("municipality"), str) and usable("municipality")
        else None,
        sum(homes.values()) if sums and isinstance(homes, dict) else None,
        sum(delivery.values()) if sums and isinstance(delivery, dict) else None,
        [
            (i, e["criterion"])
            for i, e in enumerate(exemptions if isinstance(exemptions, list) else [])
            if isinstance(e, dict)
            and isinstance(e.get("criterion"), str)
            and usable(f"exemptions[{i}].criterion")
        ],
        {
            name: count
            for name, count in (demolished if isinstance(demolished, dict) else {}).items()
            if name in SEGMENTS and isinstance(count, int) and usable(f"demolished.{name}")
        },
    )
    return _rule_problems(facts, doc, region, criteria_ids, stem)


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""A valid plan id (the pattern of ``Slug`` in :mod:`woonplan.checking.models`)."""


@dataclass(frozen=True)
class _Facts:
    """What the cross-field rules look at; None where the file has no valid value for it."""

    id: str | None
    municipality: str | None
    total: int | None
    delivered: int | None
    exemptions: list[tuple[int, str]]
    demolished: dict[str, int]
    """Demolished homes per segment, where the file has a valid whole number for it."""


def _rule_problems(
    facts: _Facts, doc: Document, region: Region, criteria_ids: Collection[str], stem: str
) -> list[Problem]:
    out: list[Problem] = []
    if facts.id is not None and facts.id != stem:
        if _SLUG.fullmatch(stem):
            message = _("must equal the file name {stem} (got {id})").format(
                stem=repr(stem), id=repr(facts.id)
            )
        elif _SLUG.fullmatch(facts.id):  # the file name cannot be an id: rename the file
            message = _(
                "the file name {stem!r} is not a valid id (a lowercase slug of a-z, 0-9 and "
                "'-'): rename the file to {id}.yaml"
            ).format(stem=stem, id=facts.id)
        else:
            message = _(
                "the file name {stem!r} is not a valid id: choose a lowercase slug of a-z, 0-9 "
                "and '-', and use it as both the id and the file name"
            ).format(stem=stem)
        out.append(doc.problem(("id",), message, "id-mismatch"))
    municipality = facts.municipality
    if municipality is not None and municipality not in region.municipalities:
        hint = did_you_mean(municipality, region.municipalities, fold_case=True)
        out.append(
            doc.problem(
                ("municipality",),
                _("{municipality} is not a municipality of {region}").format(
                    municipality=repr(municipality), region=region.name
                )
                + (
                    hint
                    or _("; one of {municipalities}").format(
                        municipalities=", ".join(region.municipalities)
                    )
                ),
                "unknown-municipality",
            )
        )
    total, delivered = facts.total, facts.delivered
    if total == 0:
        out.append(doc.problem(("homes",), _("the plan has no new homes (total is 0)"), "no-homes"))
    if total is not None and delivered is not None and delivered != total:
        out.append(
            doc.problem(
                ("delivery",),
                _("delivery adds up to {delivered} homes, but homes total {total}").format(
                    delivered=delivered, total=total
                ),
                "delivery-sum",
            )
        )
    seen: set[str] = set()
    for index, criterion in facts.exemptions:
        path: tuple[PathPart, ...] = ("exemptions", index, "criterion")
        if criterion not in criteria_ids:
            hint = did_you_mean(criterion, criteria_ids)
            out.append(
                doc.problem(
                    path,
                    _("unknown criterion {criterion}").format(criterion=repr(criterion)) + hint,
                    "unknown-criterion",
                )
            )
        elif criterion in seen:
            message = _("criterion {criterion} is exempted twice").format(criterion=repr(criterion))
            out.append(doc.problem(path, message, "duplicate-exemption"))
        seen.add(criterion)
    for segment, count in facts.demolished.items():
        if count > MAX_DEMOLISHED:
            out.append(
                doc.problem(
                    ("demolished", segment),
                    _(
                        "{count} demolished homes is beyond any plan of the region "
                        "(at most {limit} per segment); a typo?"
                    ).format(count=integer(count), limit=integer(MAX_DEMOLISHED)),
                    "demolition-too-large",
                )
            )
    return out + _thousands_in_prices(doc)


def _thousands_in_prices(doc: Document) -> list[Problem]:
    """``affordable_buy: 395.000`` is 395 euros to YAML (the dot is a decimal point), a price
    far below any limit that would count the homes as affordable: an error, never a guess."""
    prices = doc.data.get("prices") if isinstance(doc.data, dict) else None
    out: list[Problem] = []
    for segment, value in (prices if isinstance(prices, dict) else {}).items():
        written = doc.text_at(("prices", segment)) if isinstance(value, float) else None
        message = thousands_dot_hint(written, euros=True) if written is not None else None
        if message is not None:
            out.append(doc.problem(("prices", segment), message, "wrong-type"))
    return out


def data_warnings(plan: Plan, doc: Document, as_of: int) -> list[Problem]:
    """Warnings that do not fail a plan: overdue delivery, a completed plan delivering later,
    far more homes demolished than built."""
    return _delivery_warnings(plan, doc, as_of) + _demolition_warnings(plan, doc)


def _demolition_warnings(plan: Plan, doc: Document) -> list[Problem]:
    demolished, new = plan.demolished.total, plan.homes.total
    if demolished <= DEMOLITION_RATIO * new:
        return []
    message = _(
        "demolishes {demolished} homes for {new} new ones (more than {ratio} times as many); "
        "check the figures"
    ).format(demolished=integer(demolished), new=integer(new), ratio=DEMOLITION_RATIO)
    return [doc.problem(("demolished",), message, "demolition-exceeds-homes", "warning")]


def _delivery_warnings(plan: Plan, doc: Document, as_of: int) -> list[Problem]:
    years = sorted(y for y, n in plan.delivery.items() if n)
    if plan.phase == "completed":
        off = [y for y in years if y > as_of]
        why = _("the plan is 'completed' but delivers in {years}, after {as_of}")
        code = "completed-in-future"
    elif plan.phase != "under_construction":
        off = [y for y in years if y < as_of]
        why = _("overdue: delivery in {years} is in the past but the phase is still '{phase}'")
        code = "overdue-delivery"
    else:
        return []
    if not off:
        return []
    listed = ", ".join(str(y) for y in off)
    message = why.format(years=listed, as_of=as_of, phase=plan.phase)
    warning = at_key(doc, ("delivery", str(off[0])), message, code)
    return [replace(warning, level="warning")]


def price_warnings(plan: Plan, doc: Document, region: Region) -> list[Problem]:
    """Warnings at a plan's prices: homes above the price limit (they count as free-sector),
    and a price for a segment without homes."""
    out: list[Problem] = []
    prices = plan.prices
    if prices is None:
        return out
    for segment in PRICED:
        price = getattr(prices, segment)
        if price is not None and getattr(plan.homes, segment) == 0:
            message = _("a price for {segment}, but the plan has no {segment} homes").format(
                segment=segment
            )
            out.append(doc.problem(("prices", segment), message, "price-without-homes", "warning"))
    for move in effective_segments(plan, region.price_limits).moved:
        out.append(
            doc.problem(("prices", move.segment), describe(move), "price-above-limit", "warning")
        )
    out.sort(key=lambda p: (p.line, p.column))
    return out
