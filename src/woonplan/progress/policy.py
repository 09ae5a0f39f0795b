"""Policy tests (toetsen): what the region and each municipality must reach, judged on the net
planned homes in the period.

The Woondeal and the Wet versterking regie volkshuisvesting (Wvrv) judge a region's programme,
not single plans: two thirds affordable, at least 30% social rent; the region adds one third
social rent and a number of mid-rent homes; national practice keeps 130% plan capacity. Each
test is one metric on all phases together (unweighted), every segment net of its own demolished
homes and spread over the delivery years (:mod:`woonplan.progress.contributions`).

Values are rounded as reported — shares and ratios to 3 decimals, homes to one decimal — and
the verdict is judged on that rounded value, so a reader can recompute it from the JSON
(0.29996 social rent reads 0.300 and passes a target of 0.30). A value that cannot be computed
is ``n/a``: a share when nothing (or less than nothing, after demolition) is planned, a
municipality's capacity ratio when it has no target (or a target of 0).

Plain functions over a :class:`RegionProgress`, so they run wherever the aggregation does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from woonplan.checking.models import PolicyTest
from woonplan.checking.scoring import score_value
from woonplan.progress.region import RegionProgress, affordable
from woonplan.progress.rounding import one_decimal, three_decimals

PolicyVerdict = Literal["pass", "warn", "fail", "n/a"]


@dataclass(frozen=True)
class PolicyResult:
    """One policy test for the region (``municipality`` None) or one municipality."""

    test: PolicyTest
    municipality: str | None
    value: float | None
    """Rounded as reported: 3 decimals for shares and ratios, one decimal for homes."""
    verdict: PolicyVerdict

    @property
    def id(self) -> str:
        """The test's id."""
        return self.test.id


def policy_results(tests: Sequence[PolicyTest], progress: RegionProgress) -> list[PolicyResult]:
    """Every test in order; a municipality test gives one result per municipality, in the
    region's order."""
    out: list[PolicyResult] = []
    for test in tests:
        if test.scope == "region":
            value = policy_value(
                test.metric,
                progress.totals.planned,
                progress.segments_planned,
                progress.totals.target,
            )
            out.append(judge(test, None, value))
            continue
        for town in progress.municipalities:
            value = policy_value(test.metric, town.planned, town.segments_planned, town.target)
            out.append(judge(test, town.name, value))
    return out


def policy_value(
    metric: str, planned: float, segments: Mapping[str, float], target: int | None
) -> float | None:
    """One metric on net planned homes (``planned``, per segment ``segments``), rounded as
    reported; None when it cannot be computed."""
    if metric == "capacity_ratio":
        # planned / target (the region's, or the municipality's own target)
        return three_decimals(planned / target) if target else None
    if metric.endswith("_homes"):
        return one_decimal(_homes(metric, segments))
    if planned <= 0:  # a share of nothing (or of a net loss) means nothing
        return None
    return three_decimals(_homes(metric.replace("_share", "_homes"), segments) / planned)


def _homes(metric: str, segments: Mapping[str, float]) -> float:
    if metric == "affordable_homes":
        return affordable(segments)
    return segments[metric.removesuffix("_homes")]


def judge(test: PolicyTest, municipality: str | None, value: float | None) -> PolicyResult:
    """The verdict of ``value`` against the test's target and limit, as for criteria."""
    if value is None:
        return PolicyResult(test, municipality, None, "n/a")
    status, _score = score_value(value, test.target, test.limit, test.better)
    verdict: PolicyVerdict = "pass" if status == "pass" else "fail" if status == "fail" else "warn"
    return PolicyResult(test, municipality, value, verdict)
