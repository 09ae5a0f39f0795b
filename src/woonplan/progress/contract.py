"""The JSON contract of ``woonplan progress``: the figures as plain data (see SPEC.md).

Sums of whole homes are integers; ``expected`` and segment (social rent) figures keep one decimal.
Policy-test values are rounded where they are computed (:mod:`woonplan.progress.policy`). The
JSON renderer, the workbook and the report all take their figures from here.
"""

from __future__ import annotations

from typing import Any

from woonplan.progress.region import RegionProgress, Totals
from woonplan.progress.rounding import one_decimal, three_decimals, whole


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
                else three_decimals(m.social_rent_share),
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
        "policy_tests": [
            {
                "id": r.test.id,
                "title": r.test.title,
                "scope": r.test.scope,
                "municipality": r.municipality,
                "value": r.value,
                "target": r.test.target,
                "limit": r.test.limit,
                "verdict": r.verdict,
            }
            for r in progress.policy_tests
        ],
    }


def _totals(t: Totals, whole_homes: bool) -> dict[str, Any]:
    return t.rounded(whole_homes)
