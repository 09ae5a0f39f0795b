"""The running sums of the region's figures (:class:`ProgressSums`): the plans' contributions
added up, one by one or merged, and turned into :class:`RegionProgress`.

The figures are built in three steps: each valid plan's part
(:class:`~woonplan.progress.contributions.PlanContribution`), added up in
:class:`ProgressSums`, which turn into :class:`RegionProgress`. :func:`compute_progress` and
:func:`progress_of_reports` do all three.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from woonplan.checking.models import SEGMENTS, PolicyTest, Region
from woonplan.checking.run import PlanReport
from woonplan.checking.scoring import VERDICTS, PlanResult
from woonplan.progress.contributions import SOCIAL, STRIDE, PlanContribution, contribution
from woonplan.progress.obstacles import ObstacleProgress
from woonplan.progress.policy import policy_results
from woonplan.progress.region import (
    MunicipalityProgress,
    RegionProgress,
    Totals,
    YearProgress,
    years_left,
)


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
        plan_segments: list[Sequence[float]] = []
        flat = part.net
        for index in range(0, len(flat), STRIDE):
            year, net = int(flat[index]), flat[index + 1]
            segments = flat[index + 2 : index + STRIDE]
            net_social = segments[SOCIAL]
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
