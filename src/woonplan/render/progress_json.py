"""``woonplan progress --format json``: the stable shape described in README.md.

Sums of whole homes are integers; ``expected`` and segment (social rent) figures keep one decimal.
"""

from __future__ import annotations

import json
from typing import Any

from woonplan.progress.compute import RegionProgress, Totals
from woonplan.progress.rounding import one_decimal, whole
from woonplan.render import Style


def render(progress: RegionProgress, style: Style) -> str:
    """The progress as JSON text."""
    return json.dumps(as_dict(progress), indent=2, ensure_ascii=False) + "\n"


def as_dict(progress: RegionProgress) -> dict[str, Any]:
    """The progress as plain data (the JSON contract)."""
    region = progress.region
    return {
        "region": region.name,
        "as_of": progress.as_of,
        "period": {"start": region.period.start, "end": region.period.end},
        "totals": _totals(progress.totals, whole_homes=True),
        "social_rent": _totals(progress.social_rent, whole_homes=False),
        "municipalities": [
            {
                "name": m.name,
                "target": m.target,
                "completed": whole(m.completed),
                "planned": whole(m.planned),
                "expected": one_decimal(m.expected),
                "social_rent_planned": one_decimal(m.social_rent_planned),
                "social_rent_share": None
                if m.social_rent_share is None
                else round(m.social_rent_share, 4),
            }
            for m in progress.municipalities
        ],
        "years": [
            {
                "year": y.year,
                "completed": whole(y.completed),
                "planned": whole(y.planned),
                "expected": one_decimal(y.expected),
            }
            for y in progress.years
        ],
        "obstacles": [
            {"category": o.category, "plans": o.plans, "homes": whole(o.homes)}
            for o in progress.obstacles
        ],
        "verdicts": dict(progress.verdicts),
        "invalid": list(progress.invalid),
    }


def _totals(t: Totals, whole_homes: bool) -> dict[str, Any]:
    fmt = whole if whole_homes else one_decimal
    return {
        "target": t.target,
        "completed": fmt(t.completed),
        "under_construction": fmt(t.under_construction),
        "hard": fmt(t.hard),
        "soft": fmt(t.soft),
        "planned": fmt(t.planned),
        "expected": one_decimal(t.expected),
        "gap": one_decimal(t.gap),
        "after_period": fmt(t.after_period),
        "required_per_year": t.required_per_year,
        "gross": fmt(t.gross),
        "demolished": fmt(t.demolished),
        "not_in_plans": fmt(t.not_in_plans),
        "capacity_ratio": round(t.capacity_ratio, 3),
    }
