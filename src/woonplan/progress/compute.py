"""Regional progress toward the target (voortgang woningbouwopgave): the figures of
``woonplan progress``, computed from valid plans and their verdicts.

Homes count as net additions (netto toevoegingen): per plan and year the new homes delivered that
year, with the plan's demolished homes (sloop) subtracted in its earliest delivery year. Only
years inside the agreement's period count toward the target. Social rent (sociale huur) is spread
over the delivery years in proportion to the homes delivered each year, so its yearly figures can
be fractional. Every figure is a sum over plan files; nothing is estimated elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from woonplan.checking.models import Plan, Region
from woonplan.checking.scoring import VERDICTS, PlanResult


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
    social_rent_limit: float | None = None
    """The limit of the plans' social-rent-share criterion (below it a plan fails), if any."""

    @property
    def files(self) -> int:
        """Plan files read: the valid ones counted here and the invalid ones left out."""
        return sum(self.verdicts.values()) + len(self.invalid)

    def share_status(self, share: float | None) -> str | None:
        """A social-rent share judged as ``check`` judges a plan's: pass, warn or fail.

        At or above the region's target share: pass; below the social-rent-share criterion's
        limit (or the target, without such a criterion): fail; in between: warn.
        """
        if share is None:
            return None
        target = self.region.target_social_rent_share
        limit = target if self.social_rent_limit is None else self.social_rent_limit
        if share >= target:
            return "pass"
        return "fail" if share < limit else "warn"

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


def gross_in_period(plan: Plan, start: int, end: int) -> tuple[float, float, float, float]:
    """(gross homes, gross social rent, demolished, demolished social rent) of one plan in
    the period ``start``–``end``.

    Gross counts the homes delivered in the period's years before demolition; the demolition
    counts when the plan's earliest delivering year lies in the period (where net_by_year
    subtracts it), so gross − demolished is the plan's net homes in the period.
    """
    total = plan.homes.total
    years = sorted(y for y, n in plan.delivery.items() if n > 0)
    if not years or total == 0:
        return (0.0, 0.0, 0.0, 0.0)
    inside = [y for y in years if start <= y <= end]
    gross = float(sum(plan.delivery[y] for y in inside))
    social = plan.homes.social_rent * gross / total
    if start <= years[0] <= end:
        return (gross, social, float(plan.demolished.total), float(plan.demolished.social_rent))
    return (gross, social, 0.0, 0.0)


OBSTACLE_PHASES_DONE: frozenset[str] = frozenset({"completed"})
"""Phases whose obstacles no longer threaten delivery: they are not counted."""


def compute_progress(
    results: Iterable[PlanResult], region: Region, as_of: int, invalid: Sequence[str] = ()
) -> RegionProgress:
    """Aggregate valid plans (with their verdicts) into the region's progress."""
    start, end = region.period.start, region.period.end
    social_target = round(region.target_homes * region.target_social_rent_share)
    totals = Totals(region.target_homes)
    social = Totals(social_target)
    municipalities = {
        name: MunicipalityProgress(name, region.municipality_targets.get(name))
        for name in region.municipalities
    }
    years = {y: YearProgress(y) for y in range(start, end + 1)}
    obstacles: dict[str, ObstacleProgress] = {}
    verdicts: Counter[str] = Counter()
    share_limit: float | None = None

    for result in results:
        plan = result.plan
        verdicts[result.verdict] += 1
        if share_limit is None:
            share_limit = social_rent_limit(result)
        factor = region.realisation.factor(plan.phase)
        town = municipalities.get(plan.municipality)
        in_period = 0.0
        for year, (net, net_social) in net_by_year(plan).items():
            if year > end:
                totals.after_period += net
                social.after_period += net_social
                continue
            if year < start:
                continue
            in_period += net
            totals.add(plan.phase, net, factor)
            social.add(plan.phase, net_social, factor)
            row = years[year]
            row.planned += net
            row.expected += net * factor
            if plan.phase == "completed":
                row.completed += net
            if town is not None:
                town.planned += net
                town.expected += net * factor
                town.social_rent_planned += net_social
                if plan.phase == "completed":
                    town.completed += net
        gross, gross_social, demolished, demolished_social = gross_in_period(plan, start, end)
        totals.gross += gross
        totals.demolished += demolished
        social.gross += gross_social
        social.demolished += demolished_social
        threats = () if plan.phase in OBSTACLE_PHASES_DONE else plan.obstacles
        for category in dict.fromkeys(o.category for o in threats):
            entry = obstacles.setdefault(category, ObstacleProgress(category))
            entry.plans += 1
            entry.homes += in_period

    left = years_left(region, as_of)
    for figures in (totals, social):
        figures.required_per_year = (
            # round first: float sums such as 2333.0000000001 must not add a home
            math.ceil(round(max(0.0, figures.target - figures.completed) / left, 6))
            if left
            else None
        )
    for row in years.values():
        if row.year >= as_of:
            row.pace = totals.required_per_year
    for entry in obstacles.values():
        entry.share = entry.homes / totals.planned if totals.planned else None
    return RegionProgress(
        region=region,
        as_of=as_of,
        totals=totals,
        social_rent=social,
        municipalities=list(municipalities.values()),
        years=list(years.values()),
        obstacles=sorted(obstacles.values(), key=lambda o: (-o.homes, o.category)),
        verdicts={v: verdicts.get(v, 0) for v in VERDICTS},
        invalid=list(invalid),
        social_rent_limit=share_limit,
    )


def social_rent_limit(result: PlanResult) -> float | None:
    """The limit of the criterion that scores the social-rent share, as ``check`` applied it."""
    for item in result.criteria:
        spec = item.criterion.spec
        if spec.metric == "social_rent_share":
            return spec.limit
    return None
