"""Each valid plan's part of the region's figures (:class:`PlanContribution`).

Homes count as net additions (netto toevoegingen): per plan and year the new homes delivered that
year, with the plan's demolished homes (sloop) subtracted in its earliest delivery year. Only
years inside the agreement's period count toward the target. Every segment (social rent — sociale
huur —, mid rent, ...) is spread over the delivery years in proportion to the homes delivered
each year, so its yearly figures can be fractional; its own demolished homes come off in the
earliest year. Segments are the plans' effective segments: homes priced above the region's price
limit count as free-sector (:mod:`woonplan.checking.prices`). Every figure is a sum over plan
files; nothing is estimated elsewhere.

A contribution is small enough to keep for 100,000 plans where the plans themselves are not:
``progress`` keeps only the contributions (:func:`keep_contribution`, applied in the worker
processes) unless the workbook or the report needs the plans themselves.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial

from woonplan.checking.models import SEGMENTS, Plan, PriceLimits, Region
from woonplan.checking.prices import Effective, effective_segments
from woonplan.checking.run import PlanReport
from woonplan.checking.scoring import PlanResult
from woonplan.problems import reduce_slots
from woonplan.progress.obstacles import OBSTACLE_PHASES_DONE

SOCIAL = SEGMENTS.index("social_rent")
"""Where social rent stands among a year's segment figures."""
assert SEGMENTS == ("social_rent", "mid_rent", "affordable_buy", "free_rent", "free_buy")


def net_segments_by_year(
    plan: Plan, effective: Effective
) -> dict[int, tuple[float, tuple[float, ...]]]:
    """Per delivery year: (net homes, net homes per segment in :data:`SEGMENTS` order).

    Demolished homes come off in the earliest year with homes delivered; every segment is spread
    over the years in proportion to the homes delivered each year, with its own demolished homes
    off in that earliest year. ``effective``: the plan's segments as they count under the
    region's price limits (homes priced above them count as free-sector).
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return {}
    first = years[0]
    new, gone = effective.homes, effective.demolished
    # in SEGMENTS order, written out: this runs for every plan of every progress run
    homes_by = (new.social_rent, new.mid_rent, new.affordable_buy, new.free_rent, new.free_buy)
    out: dict[int, tuple[float, tuple[float, ...]]] = {}
    for year in years:
        homes = plan.delivery[year]
        net = float(homes)
        # multiply first, then divide: a whole result (30 × 60 / 100 = 18) stays exact
        segments = (
            homes_by[0] * homes / total,
            homes_by[1] * homes / total,
            homes_by[2] * homes / total,
            homes_by[3] * homes / total,
            homes_by[4] * homes / total,
        )
        if year == first:
            net -= gone.total
            segments = (
                segments[0] - gone.social_rent,
                segments[1] - gone.mid_rent,
                segments[2] - gone.affordable_buy,
                segments[3] - gone.free_rent,
                segments[4] - gone.free_buy,
            )
        out[year] = (net, segments)
    return out


def gross_in_period(
    plan: Plan, start: int, end: int, effective: Effective
) -> tuple[float, float, float, float]:
    """(gross homes, gross social rent, demolished, demolished social rent) of one plan in
    the period ``start``–``end``.

    Gross counts the homes delivered in the period's years before demolition; the demolition
    counts when the plan's earliest delivering year lies in the period (where
    :func:`net_segments_by_year` subtracts it), so gross − demolished is the plan's net homes
    in the period. Social rent is counted as there, from the ``effective`` segments.
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return (0.0, 0.0, 0.0, 0.0)
    inside = [y for y in years if start <= y <= end]
    gross = float(sum(plan.delivery[y] for y in inside))
    social = effective.homes.social_rent * gross / total
    if start <= years[0] <= end:
        gone = effective.demolished
        return (gross, social, float(gone.total), float(gone.social_rent))
    return (gross, social, 0.0, 0.0)


def net_by_year(
    plan: Plan, limits: Mapping[int, PriceLimits] | None = None
) -> dict[int, tuple[float, float]]:
    """Per delivery year: (net homes, net social-rent homes) of one plan under the price
    ``limits`` (see :func:`net_segments_by_year`)."""
    effective = effective_segments(plan, limits or {})
    return {
        year: (net, segments[SOCIAL])
        for year, (net, segments) in net_segments_by_year(plan, effective).items()
    }


def net_in_period(plan: Plan, region: Region) -> float:
    """A plan's net homes delivered in the period (what it adds to ``planned``)."""
    start, end = region.period.start, region.period.end
    # price limits only move homes between segments: the net total does not depend on them
    return sum(net for year, (net, _) in net_by_year(plan).items() if start <= year <= end)


def mean_delivery_year(plan: Plan) -> float | None:
    """The plan's delivery years weighted by the homes delivered in each; None if none."""
    homes = sum(plan.delivery.values())
    if not homes:
        return None
    return sum(year * n for year, n in plan.delivery.items()) / homes


@dataclass(frozen=True, slots=True)
class PlanContribution:
    """One valid plan's part of the region's figures: all that the sums need of it."""

    verdict: str
    phase: str
    municipality: str
    net: array[float]
    """Per delivery year, flat: year, net homes, then its net homes per segment in
    :data:`SEGMENTS` order (as :func:`net_segments_by_year`), year, … (flat doubles: a tuple
    of float objects per year costs several times its numbers, at 100,000 plans)."""
    obstacles: tuple[str, ...]
    """Its obstacle categories, each once, in the order listed (none once it is completed:
    they no longer threaten delivery)."""
    gross: array[float]
    """(gross homes, gross social rent, demolished, demolished social rent) in the period
    (:func:`gross_in_period`)."""
    share_limit: float | None
    """The limit of its social-rent-share criterion, as ``check`` applied it."""

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return reduce_slots(self)


STRIDE = 2 + len(SEGMENTS)
"""Numbers per delivery year in :attr:`PlanContribution.net`."""


def contribution(
    result: PlanResult, limits: Mapping[int, PriceLimits] | None, period: tuple[int, int]
) -> PlanContribution:
    """What the figures need of one valid plan's result (``limits``: the region's price
    limits)."""
    plan = result.plan
    threats = () if plan.phase in OBSTACLE_PHASES_DONE else plan.obstacles
    # once per plan: the net and the gross figures count the same segments
    effective = effective_segments(plan, limits or {})
    # interned: pickling a chunk of contributions then sends each word once, and the parent
    # holds one copy of it instead of one per plan
    return PlanContribution(
        verdict=sys.intern(result.verdict),
        phase=sys.intern(plan.phase),
        municipality=sys.intern(plan.municipality),
        # doubles in an array, not float objects in a tuple: about 600 bytes less a plan
        net=array(
            "d",
            (
                x
                for year, (net, segments) in net_segments_by_year(plan, effective).items()
                for x in (year, net, *segments)
            ),
        ),
        obstacles=tuple(sys.intern(c) for c in dict.fromkeys(o.category for o in threats)),
        gross=array("d", gross_in_period(plan, *period, effective)),
        share_limit=social_rent_limit(result),
    )


def keep_contribution(
    report: PlanReport, limits: Mapping[int, PriceLimits] | None, period: tuple[int, int]
) -> PlanReport:
    """A valid plan's report with its result replaced by its contribution (and no warnings
    or findings, which ``progress`` does not show): about 30 times smaller."""
    if not report.valid or report.result is None:
        return report
    kept = contribution(report.result, limits, period)
    return replace(report, result=None, warnings=(), findings=(), kept=kept)


def contribution_keeper(region: Region) -> Callable[[PlanReport], PlanReport]:
    """:func:`keep_contribution` with the region's price limits and period."""
    period = (region.period.start, region.period.end)
    return partial(keep_contribution, limits=region.price_limits, period=period)


def social_rent_limit(result: PlanResult) -> float | None:
    """The limit of the criterion that scores the social-rent share, as ``check`` applied it."""
    for item in result.criteria:
        spec = item.criterion.spec
        if spec.metric == "social_rent_share":
            return spec.limit
    return None
