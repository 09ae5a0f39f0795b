"""Price limits (betaalbaarheidsgrenzen): which homes really count as social rent, mid rent or
affordable buy.

A plan may give the highest rent or price per segment (``prices``); the region gives, per year,
the highest rent or price that still counts as that segment (``region.price_limits``). The
reference year is the plan's earliest year that delivers homes, clamped to the years the table
has. Homes priced above their limit count as free-sector rent (``free_rent``) or free-sector buy
(``free_buy``) wherever figures are computed: the metrics of ``check``, ``progress`` and its
policy tests all take a plan's segments from :func:`effective_segments`, the one place this
rule lives.

Demolished homes (sloop) are existing homes: the new homes' prices say nothing about them, so
they keep the segment the plan gives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from woonplan.checking.models import Plan, PriceLimits, Segments
from woonplan.i18n import _

PRICED: dict[str, str] = {
    "social_rent": "free_rent",
    "mid_rent": "free_rent",
    "affordable_buy": "free_buy",
}
"""The segments a price limit applies to, and where their homes go above the limit."""


@dataclass(frozen=True, slots=True)
class Reclassified:
    """Homes of one segment priced above that segment's limit: they count as ``to``."""

    segment: str
    to: str
    homes: int
    price: float
    limit: float
    year: int


@dataclass(frozen=True, slots=True)
class Effective:
    """A plan's segments as they count: homes priced above a limit moved to free-sector."""

    homes: Segments
    demolished: Segments
    moved: tuple[Reclassified, ...] = ()


def reference_year(plan: Plan, limits: Mapping[int, PriceLimits]) -> int | None:
    """The plan's earliest delivering year, clamped to the years of ``limits`` (None: no table
    or no delivery)."""
    if not limits:
        return None
    delivering = [y for y, n in plan.delivery.items() if n > 0]
    if not delivering:
        return None
    return min(max(min(delivering), min(limits)), max(limits))


def effective_segments(plan: Plan, limits: Mapping[int, PriceLimits]) -> Effective:
    """The plan's homes and demolished homes per segment as they count under ``limits``."""
    prices = plan.prices
    if prices is None or not limits:
        return Effective(plan.homes, plan.demolished)
    year = reference_year(plan, limits)
    if year is None:
        return Effective(plan.homes, plan.demolished)
    table = limits[year]
    homes = plan.homes.model_dump()
    moved: list[Reclassified] = []
    for segment, to in PRICED.items():
        price, limit = getattr(prices, segment), getattr(table, segment)
        count = homes[segment]
        if price is None or limit is None or count == 0 or price <= limit:
            continue
        homes[segment] = 0
        homes[to] += count
        moved.append(Reclassified(segment, to, count, price, limit, year))
    if not moved:
        return Effective(plan.homes, plan.demolished)
    return Effective(Segments.model_construct(**homes), plan.demolished, tuple(moved))


def describe(move: Reclassified) -> str:
    """E.g. ``40 mid-rent homes at € 1,250 are above the 2026 limit of € 1,228.07: they count
    as free-sector rent``."""
    return _(
        "{homes} {what} at {price} are above the {year} limit of {limit}: they count as {to}"
    ).format(
        homes=f"{move.homes:,}",
        what=_homes(move.segment),
        price=euros(move.price),
        year=move.year,
        limit=euros(move.limit),
        to=_("free-sector rent") if move.to == "free_rent" else _("free-sector buy"),
    )


def _homes(segment: str) -> str:
    if segment == "social_rent":
        return _("social-rent homes")
    if segment == "mid_rent":
        return _("mid-rent homes")
    return _("affordable-buy homes")


def euros(value: float) -> str:
    """``€ 1,250`` for whole euros, ``€ 1,228.07`` otherwise."""
    if float(value).is_integer():
        return f"€ {int(value):,}"
    return f"€ {value:,.2f}"
