"""Regional progress toward the target (voortgang woningbouwopgave): the figures of
``woonplan progress``, computed from valid plans and their verdicts.

Homes count as net additions (netto toevoegingen): per plan and year the new homes delivered that
year, with the plan's demolished homes (sloop) subtracted in its earliest delivery year. Only
years inside the agreement's period count toward the target. Every segment (social rent — sociale
huur —, mid rent, ...) is spread over the delivery years in proportion to the homes delivered
each year, so its yearly figures can be fractional; its own demolished homes come off in the
earliest year. Segments are the plans' effective segments: homes priced above the region's price
limit count as free-sector (:mod:`woonplan.checking.prices`). Every figure is a sum over plan
files; nothing is estimated elsewhere.

The figures are built in three steps: each valid plan's part (:class:`PlanContribution`, small
enough to keep for 100,000 plans where the plans themselves are not), added up in
:class:`ProgressSums`, which turn into :class:`RegionProgress`. ``progress`` keeps only the
contributions (:func:`keep_contribution`, applied in the worker processes) unless the
workbook or the report needs the plans themselves.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from woonplan.checking.models import SEGMENTS, Plan, PolicyTest, PriceLimits, Region
from woonplan.checking.prices import effective_segments
from woonplan.checking.run import PlanReport
from woonplan.checking.scoring import VERDICTS, PlanResult
from woonplan.problems import reduce_slots
from woonplan.progress.rounding import one_decimal, whole

if TYPE_CHECKING:
    from woonplan.progress.policy import PolicyResult

AFFORDABLE: tuple[str, ...] = ("social_rent", "mid_rent", "affordable_buy")
"""The segments that count as affordable (betaalbaar)."""
_SOCIAL = SEGMENTS.index("social_rent")
assert SEGMENTS == ("social_rent", "mid_rent", "affordable_buy", "free_rent", "free_buy")


@dataclass
class Totals:
    """Net homes in the period by phase group, and what they mean for the target."""

    target: int
    completed: float = 0.0
    under_construction: float = 0.0
    hard: float = 0.0
    soft: float = 0.0
    expected: float = 0.0
    after_period: float = 0.0
    required_per_year: int | None = None
    gross: float = 0.0
    """New homes delivered in the period, before demolition (bruto)."""
    demolished: float = 0.0
    """Demolished homes (sloop) of plans whose earliest delivering year lies in the period."""

    @property
    def planned(self) -> float:
        """All phases together, unweighted (completed + under construction + hard + soft)."""
        return self.completed + self.under_construction + self.hard + self.soft

    @property
    def gap(self) -> float:
        """Target minus expected; negative is a surplus."""
        return self.target - self.expected

    @property
    def not_in_plans(self) -> float:
        """Target minus planned, at least 0: the homes no plan provides for yet."""
        return max(0.0, self.target - self.planned)

    @property
    def capacity_ratio(self) -> float:
        """Planned / target: plan capacity (plancapaciteit) against the national norm of 1.30."""
        return self.planned / self.target if self.target else 0.0

    def rounded(self, whole_homes: bool) -> dict[str, int | float | None]:
        """The figures as the JSON of ``progress`` gives them (``whole_homes``: homes as whole
        numbers; otherwise, for a segment, one decimal); ``changes`` compares these."""
        fmt = whole if whole_homes else one_decimal
        return {
            "target": self.target,
            "completed": fmt(self.completed),
            "under_construction": fmt(self.under_construction),
            "hard": fmt(self.hard),
            "soft": fmt(self.soft),
            "planned": fmt(self.planned),
            "expected": one_decimal(self.expected),
            "gap": one_decimal(self.gap),
            "after_period": fmt(self.after_period),
            "required_per_year": self.required_per_year,
            "gross": fmt(self.gross),
            "demolished": fmt(self.demolished),
            "not_in_plans": fmt(self.not_in_plans),
            "capacity_ratio": round(self.capacity_ratio, 3),
        }

    def add(self, phase: str, net: float, factor: float) -> None:
        """Count ``net`` homes of a plan in ``phase`` inside the period."""
        if phase == "completed":
            self.completed += net
        elif phase == "under_construction":
            self.under_construction += net
        elif phase == "adopted":
            self.hard += net
        else:
            self.soft += net
        self.expected += net * factor


@dataclass
class MunicipalityProgress:
    """One municipality's figures for the period."""

    name: str
    target: int | None
    completed: float = 0.0
    planned: float = 0.0
    expected: float = 0.0
    social_rent_planned: float = 0.0
    segments_planned: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SEGMENTS, 0.0))
    """Net planned homes in the period per segment (all phases), as the policy tests use them."""

    @property
    def social_rent_share(self) -> float | None:
        """Planned social rent / planned homes; None when the planned homes are 0 or negative
        (more demolished than built: a share of a negative total means nothing)."""
        return self.social_rent_planned / self.planned if self.planned > 0 else None

    @property
    def affordable_share(self) -> float | None:
        """Planned affordable homes (social rent + mid rent + affordable buy) / planned homes;
        None when nothing is planned."""
        return affordable(self.segments_planned) / self.planned if self.planned > 0 else None


@dataclass
class YearProgress:
    """One year of the period."""

    year: int
    completed: float = 0.0
    planned: float = 0.0
    expected: float = 0.0
    pace: int | None = None
    """The homes a year still needed (``required_per_year``), for years from the as-of year."""

    @property
    def versus_pace(self) -> float | None:
        """Expected minus the pace needed (negative: short of the pace); None before as-of."""
        return None if self.pace is None else self.expected - self.pace


@dataclass
class ObstacleProgress:
    """Plans listing one obstacle category (knelpunt) and their planned homes in the period."""

    category: str
    plans: int = 0
    homes: float = 0.0
    share: float | None = None
    """Homes affected / all planned homes in the period (None when nothing is planned)."""


@dataclass
class RegionProgress:
    """Everything ``woonplan progress`` reports."""

    region: Region
    as_of: int
    totals: Totals
    social_rent: Totals
    municipalities: list[MunicipalityProgress]
    years: list[YearProgress]
    obstacles: list[ObstacleProgress]
    verdicts: dict[str, int]
    invalid: list[str] = field(default_factory=list)
    social_rent_limit: float | None = None
    """The limit of the plans' social-rent-share criterion (below it a plan fails), if any."""
    segments_planned: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SEGMENTS, 0.0))
    """Net planned homes in the period per segment (all phases), for the whole region."""
    policy_tests: list[PolicyResult] = field(default_factory=list)
    """The policy tests' results, in criteria.yaml's order (municipalities in region order)."""

    @property
    def files(self) -> int:
        """Plan files read: the valid ones counted here and the invalid ones left out."""
        return sum(self.verdicts.values()) + len(self.invalid)

    def share_status(self, share: float | None, municipality: str | None = None) -> str | None:
        """A social-rent share judged as the other views judge it: pass, warn or fail.

        With a ``social_rent_share`` policy test for ``municipality`` (or, when None, for the
        region), by its target and limit, as the policy grid shows it; otherwise as ``check``
        judges a plan: at or above the region's target share pass, below the
        social-rent-share criterion's limit (or the target, without one) fail, else warn.
        """
        if share is None:
            return None
        target, limit = self._share_bounds(municipality)
        if share >= target:
            return "pass"
        return "fail" if share < limit else "warn"

    def _share_bounds(self, municipality: str | None) -> tuple[float, float]:
        for result in self.policy_tests:
            test = result.test
            if test.metric == "social_rent_share" and result.municipality == municipality:
                return test.target, test.limit
        target = self.region.target_social_rent_share
        return target, target if self.social_rent_limit is None else self.social_rent_limit

    @property
    def years_left(self) -> int:
        """Years of the period from ``as_of`` (or the start) up to and including the end."""
        return years_left(self.region, self.as_of)

    @property
    def social_rent_share(self) -> float | None:
        """Planned social rent / planned homes in the region; None when the planned homes are 0
        or negative."""
        planned = self.totals.planned
        return self.social_rent.planned / planned if planned > 0 else None

    @property
    def affordable_share(self) -> float | None:
        """Planned affordable homes / planned homes in the region; None when nothing is planned."""
        planned = self.totals.planned
        return affordable(self.segments_planned) / planned if planned > 0 else None

    @property
    def even_pace(self) -> float:
        """The target spread evenly over the period's years: the pace agreed at the start."""
        period = self.region.period
        return self.totals.target / (period.end - period.start + 1)


def years_left(region: Region, as_of: int) -> int:
    """end − max(as_of, start) + 1, at least 0."""
    return max(0, region.period.end - max(as_of, region.period.start) + 1)


def affordable(segments: Mapping[str, float]) -> float:
    """Social rent + mid rent + affordable buy (betaalbaar)."""
    return sum(segments[s] for s in AFFORDABLE)


def net_segments_by_year(
    plan: Plan, limits: Mapping[int, PriceLimits] | None = None
) -> dict[int, tuple[float, tuple[float, ...]]]:
    """Per delivery year: (net homes, net homes per segment in :data:`SEGMENTS` order).

    Demolished homes come off in the earliest year with homes delivered; every segment is spread
    over the years in proportion to the homes delivered each year, with its own demolished homes
    off in that earliest year. ``limits``: the region's price limits (homes priced above them
    count as free-sector).
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return {}
    first = years[0]
    effective = effective_segments(plan, limits or {})
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
    plan: Plan, start: int, end: int, limits: Mapping[int, PriceLimits] | None = None
) -> tuple[float, float, float, float]:
    """(gross homes, gross social rent, demolished, demolished social rent) of one plan in
    the period ``start``–``end``.

    Gross counts the homes delivered in the period's years before demolition; the demolition
    counts when the plan's earliest delivering year lies in the period (where
    :func:`net_segments_by_year` subtracts it), so gross − demolished is the plan's net homes
    in the period. Social rent is counted as there: homes priced above ``limits`` are not.
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return (0.0, 0.0, 0.0, 0.0)
    effective = effective_segments(plan, limits or {})
    inside = [y for y in years if start <= y <= end]
    gross = float(sum(plan.delivery[y] for y in inside))
    social = effective.homes.social_rent * gross / total
    if start <= years[0] <= end:
        gone = effective.demolished
        return (gross, social, float(gone.total), float(gone.social_rent))
    return (gross, social, 0.0, 0.0)


OBSTACLE_PHASES_DONE: frozenset[str] = frozenset({"completed"})
"""Phases whose obstacles no longer threaten delivery: they are not counted."""


def net_by_year(
    plan: Plan, limits: Mapping[int, PriceLimits] | None = None
) -> dict[int, tuple[float, float]]:
    """Per delivery year: (net homes, net social-rent homes) of one plan (see
    :func:`net_segments_by_year`)."""
    return {
        year: (net, segments[_SOCIAL])
        for year, (net, segments) in net_segments_by_year(plan, limits).items()
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
    net: tuple[float, ...]
    """Per delivery year, flat: year, net homes, then its net homes per segment in
    :data:`SEGMENTS` order (as :func:`net_segments_by_year`), year, … (flat, as a tuple per
    year costs more than its numbers)."""
    obstacles: tuple[str, ...]
    """Its obstacle categories, each once, in the order listed (none once it is completed:
    they no longer threaten delivery)."""
    gross: tuple[float, float, float, float]
    """(gross homes, gross social rent, demolished, demolished social rent) in the period
    (:func:`gross_in_period`)."""
    share_limit: float | None
    """The limit of its social-rent-share criterion, as ``check`` applied it."""

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return reduce_slots(self)


_STRIDE = 2 + len(SEGMENTS)
"""Numbers per delivery year in :attr:`PlanContribution.net`."""


def contribution(
    result: PlanResult, limits: Mapping[int, PriceLimits] | None, period: tuple[int, int]
) -> PlanContribution:
    """What the figures need of one valid plan's result (``limits``: the region's price
    limits)."""
    plan = result.plan
    threats = () if plan.phase in OBSTACLE_PHASES_DONE else plan.obstacles
    # interned: pickling a chunk of contributions then sends each word once, and the parent
    # holds one copy of it instead of one per plan
    return PlanContribution(
        verdict=sys.intern(result.verdict),
        phase=sys.intern(plan.phase),
        municipality=sys.intern(plan.municipality),
        net=tuple(
            x
            for year, (net, segments) in net_segments_by_year(plan, limits).items()
            for x in (year, net, *segments)
        ),
        obstacles=tuple(sys.intern(c) for c in dict.fromkeys(o.category for o in threats)),
        gross=gross_in_period(plan, *period, limits),
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


@dataclass
class ProgressSums:
    """The running sums of the region's figures over the plans added so far."""

    region: Region
    totals: Totals
    social: Totals
    municipalities: dict[str, MunicipalityProgress]
    years: dict[int, YearProgress]
    obstacles: dict[str, ObstacleProgress]
    verdicts: Counter[str]
    segments_planned: dict[str, float]
    social_rent_limit: float | None = None

    @classmethod
    def start(cls, region: Region) -> ProgressSums:
        """Sums of no plans yet."""
        start, end = region.period.start, region.period.end
        social_target = round(region.target_homes * region.target_social_rent_share)
        return cls(
            region=region,
            totals=Totals(region.target_homes),
            social=Totals(social_target),
            municipalities={
                name: MunicipalityProgress(name, region.municipality_targets.get(name))
                for name in region.municipalities
            },
            years={y: YearProgress(y) for y in range(start, end + 1)},
            obstacles={},
            verdicts=Counter(),
            segments_planned=dict.fromkeys(SEGMENTS, 0.0),
        )

    def add(self, part: PlanContribution) -> None:
        """Add one plan."""
        region, totals, social, years = self.region, self.totals, self.social, self.years
        start, end = region.period.start, region.period.end
        self.verdicts[part.verdict] += 1
        if self.social_rent_limit is None:
            self.social_rent_limit = part.share_limit
        factor = region.realisation.factor(part.phase)
        town = self.municipalities.get(part.municipality)
        in_period = 0.0
        plan_segments: list[tuple[float, ...]] = []
        flat = part.net
        for index in range(0, len(flat), _STRIDE):
            year, net = int(flat[index]), flat[index + 1]
            segments = flat[index + 2 : index + _STRIDE]
            net_social = segments[_SOCIAL]
            if year > end:
                totals.after_period += net
                social.after_period += net_social
                continue
            if year < start:
                continue
            in_period += net
            plan_segments.append(segments)
            totals.add(part.phase, net, factor)
            social.add(part.phase, net_social, factor)
            row = years[year]
            row.planned += net
            row.expected += net * factor
            if part.phase == "completed":
                row.completed += net
            if town is not None:
                town.planned += net
                town.expected += net * factor
                town.social_rent_planned += net_social
                if part.phase == "completed":
                    town.completed += net
        gross, gross_social, demolished, demolished_social = part.gross
        totals.gross += gross
        totals.demolished += demolished
        social.gross += gross_social
        social.demolished += demolished_social
        if plan_segments:  # summed per plan first: this loop runs for every plan and year
            summed = [sum(values) for values in zip(*plan_segments, strict=True)]
            _add_segments(self.segments_planned, summed)
            if town is not None:
                _add_segments(town.segments_planned, summed)
        for category in part.obstacles:
            entry = self.obstacles.setdefault(category, ObstacleProgress(category))
            entry.plans += 1
            entry.homes += in_period

    def merge(self, other: ProgressSums) -> None:
        """Add the sums of other plans (of the same region), as if added here one by one.

        Floating-point sums depend on their order in the last bits; the command line adds
        plans one by one in file order so that its figures never change with the workers.
        """
        for mine, theirs in ((self.totals, other.totals), (self.social, other.social)):
            for name in (
                "completed",
                "under_construction",
                "hard",
                "soft",
                "expected",
                "gross",
                "demolished",
            ):
                setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
            mine.after_period += theirs.after_period
        for name, town in other.municipalities.items():
            here = self.municipalities[name]
            here.completed += town.completed
            here.planned += town.planned
            here.expected += town.expected
            here.social_rent_planned += town.social_rent_planned
            _add_segments(here.segments_planned, [town.segments_planned[s] for s in SEGMENTS])
        _add_segments(self.segments_planned, [other.segments_planned[s] for s in SEGMENTS])
        for year, row in other.years.items():
            self.years[year].completed += row.completed
            self.years[year].planned += row.planned
            self.years[year].expected += row.expected
        for category, entry in other.obstacles.items():
            into = self.obstacles.setdefault(category, ObstacleProgress(category))
            into.plans += entry.plans
            into.homes += entry.homes
        self.verdicts.update(other.verdicts)
        if self.social_rent_limit is None:
            self.social_rent_limit = other.social_rent_limit

    def finish(
        self, as_of: int, invalid: Sequence[str] = (), policy_tests: Sequence[PolicyTest] = ()
    ) -> RegionProgress:
        """The region's progress from these sums, with the ``policy_tests`` judged on it."""
        region, totals, social = self.region, self.totals, self.social
        left = years_left(region, as_of)
        for figures in (totals, social):
            figures.required_per_year = (
                # round first: float sums such as 2333.0000000001 must not add a home
                math.ceil(round(max(0.0, figures.target - figures.completed) / left, 6))
                if left
                else None
            )
        for row in self.years.values():
            if row.year >= as_of:
                row.pace = totals.required_per_year
        for entry in self.obstacles.values():
            entry.share = entry.homes / totals.planned if totals.planned > 0 else None
        progress = RegionProgress(
            region=region,
            as_of=as_of,
            totals=totals,
            social_rent=social,
            municipalities=list(self.municipalities.values()),
            years=list(self.years.values()),
            obstacles=sorted(self.obstacles.values(), key=lambda o: (-o.homes, o.category)),
            verdicts={v: self.verdicts.get(v, 0) for v in VERDICTS},
            invalid=list(invalid),
            segments_planned=self.segments_planned,
            social_rent_limit=self.social_rent_limit,
        )
        if policy_tests:
            from woonplan.progress.policy import policy_results

            progress.policy_tests = policy_results(policy_tests, progress)
        return progress


def compute_progress(
    results: Iterable[PlanResult],
    region: Region,
    as_of: int,
    invalid: Sequence[str] = (),
    policy_tests: Sequence[PolicyTest] = (),
) -> RegionProgress:
    """Aggregate valid plans (with their verdicts) into the region's progress, and judge the
    ``policy_tests`` on it."""
    sums = ProgressSums.start(region)
    period = (region.period.start, region.period.end)
    for result in results:
        sums.add(contribution(result, region.price_limits, period))
    return sums.finish(as_of, invalid, policy_tests)


def progress_of_reports(
    reports: Iterable[PlanReport],
    region: Region,
    as_of: int,
    invalid: Sequence[str] = (),
    policy_tests: Sequence[PolicyTest] = (),
) -> RegionProgress:
    """The progress of the valid plans among ``reports``, in order: from their results or
    from the contributions that :func:`keep_contribution` kept instead."""
    sums = ProgressSums.start(region)
    period = (region.period.start, region.period.end)
    for report in reports:
        if not report.valid:
            continue
        if isinstance(report.kept, PlanContribution):
            sums.add(report.kept)
        elif report.result is not None:
            sums.add(contribution(report.result, region.price_limits, period))
    return sums.finish(as_of, invalid, policy_tests)


def _add_segments(into: dict[str, float], segments: Sequence[float]) -> None:
    for name, value in zip(SEGMENTS, segments, strict=True):
        into[name] += value


def social_rent_limit(result: PlanResult) -> float | None:
    """The limit of the criterion that scores the social-rent share, as ``check`` applied it."""
    for item in result.criteria:
        spec = item.criterion.spec
        if spec.metric == "social_rent_share":
            return spec.limit
    return None
