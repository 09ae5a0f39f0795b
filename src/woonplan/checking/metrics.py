"""Built-in metrics of a plan and the names an expression may use.

All metrics are computed on new homes, before demolition, unless named ``net``. Segments are
the plan's effective segments: homes priced above the region's price limit count as free-sector
(:mod:`woonplan.checking.prices`), here as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping

from woonplan.checking.expressions import Value
from woonplan.checking.models import SEGMENTS, Plan, PriceLimits
from woonplan.checking.prices import effective_segments

METRICS: dict[str, str] = {
    "total_homes": "new homes over all segments",
    "demolished_homes": "homes demolished for the plan (sloop)",
    "net_homes": "new homes minus demolished homes (netto toevoeging)",
    "social_rent_share": "social rent / total homes (aandeel sociale huur)",
    "affordable_share": "(social rent + mid rent + affordable buy) / total (aandeel betaalbaar)",
    "transit_distance_m": "walking distance to the nearest train or HOV stop, in metres",
    "stop_distance_m": "walking distance to the nearest stop of any type, in metres",
    "jobs_per_home": "jobs in the plan per new home (woon-werkbalans)",
}

MISSING_REASONS: dict[str, str] = {
    "transit_distance_m": "no train or HOV stop listed",
    "stop_distance_m": "no stop listed",
}

FIELDS: tuple[str, ...] = (
    *(f"homes.{s}" for s in SEGMENTS),
    *(f"demolished.{s}" for s in SEGMENTS),
    "work.jobs",
    "work.floor_area_m2",
    "phase",
    "municipality",
)

NAMES: frozenset[str] = frozenset(METRICS) | frozenset(FIELDS)
"""Every name an expression may use."""


def plan_values(plan: Plan, limits: Mapping[int, PriceLimits] | None = None) -> dict[str, Value]:
    """The value of every metric and field name for one plan (None where it has none).

    ``limits``: the region's price limits; homes priced above them count as free-sector.
    """
    effective = effective_segments(plan, limits or {})
    homes, demolished = effective.homes, effective.demolished
    total = homes.total
    gone = demolished.total
    transit = [s.walking_distance_m for s in plan.public_transport if s.type in ("train", "hov")]
    stops = [s.walking_distance_m for s in plan.public_transport]
    jobs = plan.work.jobs if plan.work else 0
    values: dict[str, Value] = {
        "total_homes": float(total),
        "demolished_homes": float(gone),
        "net_homes": float(total - gone),
        "social_rent_share": homes.social_rent / total if total else None,
        "affordable_share": (homes.social_rent + homes.mid_rent + homes.affordable_buy) / total
        if total
        else None,
        "transit_distance_m": min(transit) if transit else None,
        "stop_distance_m": min(stops) if stops else None,
        "jobs_per_home": jobs / total if total else None,
        "work.jobs": float(jobs),
        "work.floor_area_m2": plan.work.floor_area_m2 if plan.work else None,
        "phase": plan.phase,
        "municipality": plan.municipality,
    }
    for segment in SEGMENTS:
        values[f"homes.{segment}"] = float(getattr(homes, segment))
        values[f"demolished.{segment}"] = float(getattr(demolished, segment))
    return values


METRIC_PATHS: dict[str, tuple[str, ...]] = {
    "total_homes": ("homes",),
    "demolished_homes": ("demolished",),
    "net_homes": ("homes",),
    "social_rent_share": ("homes", "social_rent"),
    "affordable_share": ("homes",),
    "transit_distance_m": ("public_transport",),
    "stop_distance_m": ("public_transport",),
    "jobs_per_home": ("work", "jobs"),
}
"""Where in a plan file the figure behind each metric is written (for annotations)."""


def figure_path(names: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The plan path that best shows where an expression's figures come from."""
    for name in sorted(names):
        if name in METRIC_PATHS:
            return METRIC_PATHS[name]
        if "." in name:
            return tuple(name.split("."))
    return ("homes",)
