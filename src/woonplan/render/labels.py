"""Words for people: English labels with the Dutch policy term beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from woonplan.i18n import _, ngettext
from woonplan.progress.rounding import whole

if TYPE_CHECKING:
    from woonplan.progress.compute import RegionProgress

PHASES = {
    "initiative": "initiative (initiatief)",
    "feasibility": "feasibility (haalbaarheid)",
    "preparation": "preparation (planvoorbereiding)",
    "adopted": "adopted (vastgesteld)",
    "under_construction": "under construction (in aanbouw)",
    "completed": "completed (opgeleverd)",
}
OBSTACLES = {
    "grid_congestion": "grid congestion (netcongestie)",
    "nitrogen": "nitrogen (stikstof)",
    "objections": "objections (bezwaren)",
    "costs": "costs (kosten)",
    "infrastructure": "infrastructure (infrastructuur)",
    "procedure": "procedure (procedure)",
    "capacity": "capacity (capaciteit)",
    "other": "other (overig)",
}
SEGMENTS = {
    "social_rent": "social rent (sociale huur)",
    "mid_rent": "mid rent (middenhuur)",
    "affordable_buy": "affordable buy (betaalbare koop)",
    "free_rent": "free-sector rent (vrije sector huur)",
    "free_buy": "free-sector buy (vrije sector koop)",
}
GROUPS = {
    "completed": "completed (opgeleverd)",
    "under_construction": "under construction (in aanbouw)",
    "hard": "hard: adopted (harde plancapaciteit)",
    "soft": "soft: initiative to preparation (zachte plancapaciteit)",
}


def homes(value: float) -> str:
    """Whole homes with a thousands separator: ``7,000`` (halves rounded up, as in the JSON)."""
    return f"{whole(value):,}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage: ``33%``; ``–`` when there is none."""
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def invalid_sentence(progress: RegionProgress) -> str:
    """``2 of 26 plan files are invalid and left out of these figures``."""
    return ngettext(
        "{invalid} of {files} plan files is invalid and left out of these figures",
        "{invalid} of {files} plan files are invalid and left out of these figures",
        len(progress.invalid),
    ).format(invalid=len(progress.invalid), files=progress.files)


def years_phrase(count: int) -> str:
    """``5 years`` / ``1 year``."""
    return ngettext("{count} year", "{count} years", count).format(count=count)


POLICY_VERDICTS = ("pass", "warn", "fail", "n/a")


def policy_figure(metric: str, value: float | None) -> str:
    """A policy test's value as people read it: shares and ratios as ``46.7%``, homes whole."""
    if value is None:
        return "–"
    if metric.endswith("_homes"):
        return homes(value)
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"


def policy_bounds(metric: str, better: str, target: float, limit: float) -> str:
    """``target ≥ 66.7%, limit 60%`` (``≤`` when lower is better)."""
    return _("target {side} {target}, limit {limit}").format(
        side="≥" if better == "higher" else "≤",
        target=policy_figure(metric, target),
        limit=policy_figure(metric, limit),
    )
