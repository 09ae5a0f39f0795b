"""Two snapshots compared (wat is er veranderd): the figures of ``woonplan changes``.

Plans are matched by id. Each side's totals are the progress totals
(:func:`woonplan.progress.sums.compute_progress`) of its valid plans, with the same region
and as-of year; a change is new − old of the figures as the progress JSON rounds them, so the
three numbers always add up. An invalid file on either side is left out of both sides (matched
by its id, or by its file name when the id cannot be read): a broken file should not look like
a plan that was removed.

Per plan: ``in_period`` is its net homes in the period (as ``planned`` counts them),
``delivery_shift`` the change of its homes-weighted mean delivery year (one decimal). A matched
plan is *changed* when anything the figures or the row show differs: municipality, phase, homes
or demolished homes per segment (as they count under the price limits), delivery, obstacle
categories or verdict. Social-rent homes are counted as everywhere else: homes priced above
the region's limit count as free-sector (:mod:`woonplan.checking.prices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from woonplan.changes.snapshot import Snapshot
from woonplan.checking.models import PHASES, Plan, Region, Segments
from woonplan.checking.prices import effective_segments
from woonplan.checking.run import PlanReport
from woonplan.checking.scoring import PlanResult
from woonplan.progress.contributions import mean_delivery_year, net_in_period
from woonplan.progress.region import RegionProgress
from woonplan.progress.rounding import one_decimal, whole
from woonplan.progress.sums import progress_of_reports

Status = Literal["added", "removed", "changed"]
Direction = Literal["forward", "back", "same"]
Figure = int | float | None


@dataclass(frozen=True)
class PlanChange:
    """One plan that was added, removed or changed between the two sides."""

    id: str
    status: Status
    old: PlanResult | None
    new: PlanResult | None
    old_in_period: int | None
    new_in_period: int | None
    old_social_rent: int | None
    """Social-rent homes as they count (homes priced above the limit count as free-sector)."""
    new_social_rent: int | None
    delivery_shift: float | None
    """Homes-weighted mean delivery year, new − old, one decimal; None if added or removed."""

    @property
    def municipality(self) -> str:
        """The plan's municipality (on the new side if it is there)."""
        return self._either.plan.municipality

    @property
    def _either(self) -> PlanResult:
        result = self.new or self.old
        assert result is not None
        return result

    @property
    def direction(self) -> Direction | None:
        """Did the phase move forward, back or not at all; None when added or removed."""
        if self.old is None or self.new is None:
            return None
        step = PHASES.index(self.new.plan.phase) - PHASES.index(self.old.plan.phase)
        return "forward" if step > 0 else "back" if step < 0 else "same"

    @property
    def in_period_change(self) -> int:
        """Net homes in the period, new − old (a side without the plan counts 0)."""
        return (self.new_in_period or 0) - (self.old_in_period or 0)

    @property
    def obstacles_added(self) -> list[str]:
        """Obstacle categories on the new side that the old side did not list."""
        return _missing(self.new, self.old)

    @property
    def obstacles_removed(self) -> list[str]:
        """Obstacle categories on the old side that the new side no longer lists."""
        return _missing(self.old, self.new)

    def as_dict(self) -> dict[str, Any]:
        """The plan's row in the JSON."""
        old, new = self.old, self.new
        return {
            "id": self.id,
            "municipality": self.municipality,
            "status": self.status,
            "phase": {
                "old": old.plan.phase if old else None,
                "new": new.plan.phase if new else None,
                "direction": self.direction,
            },
            "homes": {
                "old": old.plan.homes.total if old else None,
                "new": new.plan.homes.total if new else None,
            },
            "social_rent": {"old": self.old_social_rent, "new": self.new_social_rent},
            "in_period": {"old": self.old_in_period, "new": self.new_in_period},
            "delivery_shift": self.delivery_shift,
            "verdict": {"old": old.verdict if old else None, "new": new.verdict if new else None},
            "obstacles_added": self.obstacles_added,
            "obstacles_removed": self.obstacles_removed,
        }


@dataclass(frozen=True)
class Changes:
    """What moved between two snapshots: each side's progress, and the plans that changed."""

    old_label: str
    new_label: str
    old_revision: str | None
    """The old side's git revision as given (``bo-2026-09``), None for a folder."""
    old: RegionProgress
    new: RegionProgress
    plans: tuple[PlanChange, ...]
    """Added, removed and changed plans: largest |in_period change| first, then id."""
    unchanged: int
    invalid: tuple[str, ...] = ()
    """Files left out, old side first (each listed where it is invalid)."""

    @property
    def region(self) -> Region:
        """The region both sides were counted for."""
        return self.new.region

    def count(self, status: Status) -> int:
        """How many plans were added, removed or changed."""
        return sum(1 for p in self.plans if p.status == status)

    @property
    def slipped(self) -> list[PlanChange]:
        """Matched plans whose delivery moved later (``delivery_shift`` > 0)."""
        return [p for p in self.plans if p.delivery_shift is not None and p.delivery_shift > 0]

    @property
    def mean_slip(self) -> float | None:
        """The slipped plans' average delivery shift in years (one decimal); None if none."""
        shifts = [p.delivery_shift for p in self.slipped if p.delivery_shift is not None]
        return one_decimal(sum(shifts) / len(shifts)) if shifts else None

    def summary(self) -> dict[str, int]:
        """The counts of the JSON's ``summary``."""
        matched = [p for p in self.plans if p.status == "changed"]
        return {
            "added": self.count("added"),
            "removed": self.count("removed"),
            "changed": len(matched),
            "unchanged": self.unchanged,
            "slipped": len(self.slipped),
            "slipped_homes": sum(p.new.plan.homes.total for p in self.slipped if p.new),
            "phase_back": sum(1 for p in matched if p.direction == "back"),
            # Σ max(0, old − new in the period) over matched plans: homes that left the period
            "out_of_period": sum(max(0, -p.in_period_change) for p in matched),
        }

    def totals(self, segment: bool = False) -> dict[str, dict[str, Figure]]:
        """``{old, new, change}`` of the progress totals (``segment``: social rent)."""
        old = (self.old.social_rent if segment else self.old.totals).rounded(not segment)
        new = (self.new.social_rent if segment else self.new.totals).rounded(not segment)
        return {"old": old, "new": new, "change": {k: _difference(old[k], new[k]) for k in new}}

    def as_dict(self) -> dict[str, Any]:
        """The changes as plain data (the JSON contract of SPEC.md)."""
        return {
            "old": self.old_label,
            "new": self.new_label,
            "totals": self.totals(),
            "social_rent": self.totals(segment=True),
            "plans": [p.as_dict() for p in self.plans],
            "summary": self.summary(),
            # as progress has it: the files left out of both sides' figures (exit code 2)
            "invalid": list(self.invalid),
        }


def compare(old: Snapshot, new: Snapshot, region: Region, as_of: int) -> Changes:
    """Compare two checked snapshots of the plans, counted for ``region`` as of ``as_of``."""
    old_invalid, new_invalid = old.invalid, new.invalid
    left_out = _left_out(old_invalid) | _left_out(new_invalid)
    old_reports, new_reports = _valid(old, left_out), _valid(new, left_out)
    old_results = {k: r.result for k, r in old_reports.items() if r.result is not None}
    new_results = {k: r.result for k, r in new_reports.items() if r.result is not None}
    rows: list[PlanChange] = []
    unchanged = 0
    for plan_id in sorted(old_results.keys() | new_results.keys()):
        before, after = old_results.get(plan_id), new_results.get(plan_id)
        if before is not None and after is not None and not _differs(before, after, region):
            unchanged += 1
            continue
        rows.append(_row(plan_id, before, after, region))
    rows.sort(key=lambda r: (-abs(r.in_period_change), r.id))
    invalid = [p.file for p in old_invalid + new_invalid]
    return Changes(
        old_label=old.label,
        new_label=new.label,
        old_revision=old.revision,
        # from each plan's contribution where the workers made it (changes.pairs)
        old=progress_of_reports(old_reports.values(), region, as_of),
        new=progress_of_reports(new_reports.values(), region, as_of),
        plans=tuple(rows),
        unchanged=unchanged,
        invalid=tuple(invalid),
    )


def _row(
    plan_id: str, old: PlanResult | None, new: PlanResult | None, region: Region
) -> PlanChange:
    status: Status = "added" if old is None else "removed" if new is None else "changed"
    shift = None
    if old is not None and new is not None:
        before, after = mean_delivery_year(old.plan), mean_delivery_year(new.plan)
        if before is not None and after is not None:
            shift = one_decimal(after - before)
    return PlanChange(
        id=plan_id,
        status=status,
        old=old,
        new=new,
        old_in_period=None if old is None else whole(net_in_period(old.plan, region)),
        new_in_period=None if new is None else whole(net_in_period(new.plan, region)),
        old_social_rent=None if old is None else _social_rent(old.plan, region),
        new_social_rent=None if new is None else _social_rent(new.plan, region),
        delivery_shift=shift,
    )


def _social_rent(plan: Plan, region: Region) -> int:
    return _effective(plan, region).social_rent


def _left_out(invalid: list[PlanReport]) -> set[str]:
    """Ids to leave out on both sides: each invalid file's id, and its file name's stem."""
    ids: set[str] = set()
    for report in invalid:
        name = report.file.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        ids.add(name.rsplit(".", 1)[0])
        if report.plan_id is not None:
            ids.add(report.plan_id)
    return ids


def _valid(side: Snapshot, left_out: set[str]) -> dict[str, PlanReport]:
    """The valid plans' reports by id, in file order, without the ids left out."""
    return {
        p.result.plan.id: p
        for p in side.report.plans
        if p.valid and p.result is not None and p.result.plan.id not in left_out
    }


def _differs(old: PlanResult, new: PlanResult, region: Region) -> bool:
    a, b = old.plan, new.plan
    # cheapest first: most plans are unchanged, so every comparison is made for them
    return (
        old.verdict != new.verdict
        or a.phase != b.phase
        or a.municipality != b.municipality
        or a.delivery != b.delivery
        or {o.category for o in a.obstacles} != {o.category for o in b.obstacles}
        or a.homes != b.homes
        or a.demolished != b.demolished
        # a new price matters only when it moves homes out of a segment (above its limit)
        or (a.prices != b.prices and _effective(a, region) != _effective(b, region))
    )


def _effective(plan: Plan, region: Region) -> Segments:
    return effective_segments(plan, region.price_limits).homes


def _categories(plan: Plan) -> list[str]:
    return list(dict.fromkeys(o.category for o in plan.obstacles))


def _missing(side: PlanResult | None, other: PlanResult | None) -> list[str]:
    """Obstacle categories of ``side`` that ``other`` does not list, in ``side``'s order."""
    if side is None:
        return []
    there = set(_categories(other.plan)) if other is not None else set()
    return [c for c in _categories(side.plan) if c not in there]


def _difference(old: Figure, new: Figure) -> Figure:
    if old is None or new is None:
        return None
    if isinstance(old, int) and isinstance(new, int):
        return new - old
    return round(new - old, 6) + 0.0  # figures keep 1 or 3 decimals: no float noise
