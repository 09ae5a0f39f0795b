"""Regional progress toward the target (voortgang woningbouwopgave): the figures of
``woonplan progress``, computed from valid plans and their verdicts.

Homes count as net additions (netto toevoegingen): per plan and year the new homes delivered that
year, with the plan's demolished homes (sloop) subtracted in its earliest delivery year. Only
years inside the agreement's period count toward the target. Social rent (sociale huur) is spread
over the delivery years in proportion to the homes delivered each year, so its yearly figures can
be fractional. Every figure is a sum over plan files; nothing is estimated elsewhere.

The figures are built in three steps: each valid plan's part (:class:`PlanContribution`, small
enough to keep for 100,000 plans where the plans themselves are not), added up in
:class:`ProgressSums`, which turn into :class:`RegionProgress`. ``progress`` keeps only the
contributions (:func:`keep_contribution`, applied in the worker processes) unless the
workbook needs the plans themselves.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from woonplan.checking.models import Plan, Region
from woonplan.checking.run import PlanReport
from woonplan.checking.scoring import VERDICTS, PlanResult
from woonplan.problems import reduce_slots


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

    @property
    def planned(self) -> float:
        """All phases together, unweighted (completed + under construction + hard + soft)."""
        return self.completed + self.under_construction + self.hard + self.soft

    @property
    def gap(self) -> float:
        """Target minus expected; negative is a surplus."""
        return self.target - self.expected

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

    @property
    def social_rent_share(self) -> float | None:
        """Planned social rent / planned homes; None when nothing is planned."""
        return self.social_rent_planned / self.planned if self.planned else None


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

    @property
    def years_left(self) -> int:
        """Years of the period from ``as_of`` (or the start) up to and including the end."""
        return years_left(self.region, self.as_of)

    @property
    def social_rent_share(self) -> float | None:
        """Planned social rent / planned homes in the region; None when nothing is planned."""
        planned = self.totals.planned
        return self.social_rent.planned / planned if planned else None

    @property
    def even_pace(self) -> float:
        """The target spread evenly over the period's years: the pace agreed at the start."""
        period = self.region.period
        return self.totals.target / (period.end - period.start + 1)


def years_left(region: Region, as_of: int) -> int:
    """end − max(as_of, start) + 1, at least 0."""
    return max(0, region.period.end - max(as_of, region.period.start) + 1)


def net_by_year(plan: Plan) -> dict[int, tuple[float, float]]:
    """Per delivery year: (net homes, net social-rent homes) of one plan.

    Demolished homes come off in the earliest year with homes delivered; social rent is spread
    over the years in proportion to the homes delivered each year.
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return {}
    first = years[0]
    social = plan.homes.social_rent
    out: dict[int, tuple[float, float]] = {}
    for year in years:
        homes = plan.delivery[year]
        net = float(homes)
        net_social = social * homes / total
        if year == first:
            net -= plan.demolished.total
            net_social -= plan.demolished.social_rent
        out[year] = (net, net_social)
    return out


@dataclass(frozen=True, slots=True)
class PlanContribution:
    """One valid plan's part of the region's figures: all that the sums need of it."""

    verdict: str
    phase: str
    municipality: str
    net: tuple[float, ...]
    """Per delivery year, flat: year, net homes, net social-rent homes, year, … (as
    :func:`net_by_year`; flat, as a tuple per year costs more than its three numbers)."""
    obstacles: tuple[str, ...]
    """Its obstacle categories, each once, in the order listed."""

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return reduce_slots(self)


def contribution(result: PlanResult) -> PlanContribution:
    """What the figures need of one valid plan's result."""
    plan = result.plan
    # interned: pickling a chunk of contributions then sends each word once, and the parent
    # holds one copy of it instead of one per plan
    return PlanContribution(
        verdict=sys.intern(result.verdict),
        phase=sys.intern(plan.phase),
        municipality=sys.intern(plan.municipality),
        net=tuple(x for year, pair in net_by_year(plan).items() for x in (year, *pair)),
        obstacles=tuple(sys.intern(c) for c in dict.fromkeys(o.category for o in plan.obstacles)),
    )


def keep_contribution(report: PlanReport) -> PlanReport:
    """A valid plan's report with its result replaced by its contribution (and no warnings
    or findings, which ``progress`` does not show): about 30 times smaller."""
    if not report.valid or report.result is None:
        return report
    return replace(report, result=None, warnings=(), findings=(), kept=contribution(report.result))


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
        )

    def add(self, part: PlanContribution) -> None:
        """Add one plan."""
        region, totals, social, years = self.region, self.totals, self.social, self.years
        start, end = region.period.start, region.period.end
        self.verdicts[part.verdict] += 1
        factor = region.realisation.factor(part.phase)
        town = self.municipalities.get(part.municipality)
        in_period = 0.0
        flat = part.net
        for index in range(0, len(flat), 3):
            year, net, net_social = int(flat[index]), flat[index + 1], flat[index + 2]
            if year > end:
                totals.after_period += net
                social.after_period += net_social
                continue
            if year < start:
                continue
            in_period += net
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
            for name in ("completed", "under_construction", "hard", "soft", "expected"):
                setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
            mine.after_period += theirs.after_period
        for name, town in other.municipalities.items():
            here = self.municipalities[name]
            here.completed += town.completed
            here.planned += town.planned
            here.expected += town.expected
            here.social_rent_planned += town.social_rent_planned
        for year, row in other.years.items():
            self.years[year].completed += row.completed
            self.years[year].planned += row.planned
            self.years[year].expected += row.expected
        for category, entry in other.obstacles.items():
            into = self.obstacles.setdefault(category, ObstacleProgress(category))
            into.plans += entry.plans
            into.homes += entry.homes
        self.verdicts.update(other.verdicts)

    def finish(self, as_of: int, invalid: Sequence[str] = ()) -> RegionProgress:
        """The region's progress from these sums."""
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
            entry.share = entry.homes / totals.planned if totals.planned else None
        return RegionProgress(
            region=region,
            as_of=as_of,
            totals=totals,
            social_rent=social,
            municipalities=list(self.municipalities.values()),
            years=list(self.years.values()),
            obstacles=sorted(self.obstacles.values(), key=lambda o: (-o.homes, o.category)),
            verdicts={v: self.verdicts.get(v, 0) for v in VERDICTS},
            invalid=list(invalid),
        )


def compute_progress(
    results: Iterable[PlanResult], region: Region, as_of: int, invalid: Sequence[str] = ()
) -> RegionProgress:
    """Aggregate valid plans (with their verdicts) into the region's progress."""
    sums = ProgressSums.start(region)
    for result in results:
        sums.add(contribution(result))
    return sums.finish(as_of, invalid)


def progress_of_reports(
    reports: Iterable[PlanReport], region: Region, as_of: int, invalid: Sequence[str] = ()
) -> RegionProgress:
    """The progress of the valid plans among ``reports``, in order: from their results or
    from the contributions that :func:`keep_contribution` kept instead."""
    sums = ProgressSums.start(region)
    for report in reports:
        if not report.valid:
            continue
        if isinstance(report.kept, PlanContribution):
            sums.add(report.kept)
        elif report.result is not None:
            sums.add(contribution(report.result))
    return sums.finish(as_of, invalid)
