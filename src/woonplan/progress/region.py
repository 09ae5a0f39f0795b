"""The region's progress toward the target (voortgang woningbouwopgave): everything
``woonplan progress`` reports, as :class:`RegionProgress` — totals by phase group, per
municipality, per year, obstacles and policy tests.

The figures are sums over the plans' contributions (:mod:`woonplan.progress.contributions`),
added up by :mod:`woonplan.progress.sums`; what is here only holds them and derives shares,
gaps and paces from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from woonplan.checking.models import SEGMENTS, Region
from woonplan.progress.obstacles import ObstacleProgress
from woonplan.progress.rounding import one_decimal, three_decimals, whole

if TYPE_CHECKING:
    from woonplan.progress.policy import PolicyResult

AFFORDABLE: tuple[str, ...] = ("social_rent", "mid_rent", "affordable_buy")
"""The segments that count as affordable (betaalbaar)."""


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
            "capacity_ratio": three_decimals(self.capacity_ratio),
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
