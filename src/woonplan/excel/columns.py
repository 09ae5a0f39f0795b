"""The Plans sheet's layout: one row per plan, every plan field in a named column.

The same layout is written by ``woonplan progress --xlsx`` and read by ``woonplan import``;
docs/excel.md describes it for people who fill the sheet in by hand. Columns are found by
their header (row 1), so their order does not matter and more ``delivery_<year>`` or
``stop_<n>_...`` columns may be added. This module knows no openpyxl: it turns plans into
row values; :mod:`woonplan.excel.row_data` turns row values back into plan data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from woonplan.checking.models import SEGMENTS, Plan, Prices
from woonplan.i18n import LANGUAGES, _, in_language
from woonplan.output import OutputError
from woonplan.render import labels

TEXT = ("id", "name", "municipality", "phase")
READ_ONLY = ("homes_total", "score", "verdict")
"""Written for readers; ignored by ``woonplan import``."""

Value = str | int | float | datetime.date | bool | None

MAX_STOPS = 999
"""Stop column groups the Plans sheet can have: what ``stop_<n>_...`` headers allow (n < 1000),
2,997 columns, well within Excel's 16,384 with every other column."""


class SheetLimitError(OutputError):
    """The plans do not fit in the Plans sheet (Excel's column limit)."""


DELIVERY_COLUMN = re.compile(r"^delivery_(\d{4})$")
STOP_COLUMN = re.compile(r"^stop_([1-9]\d{0,2})_(name|type|distance_m)$")
STOP_FIELD = {"name": "stop", "type": "type", "distance_m": "walking_distance_m"}
PRICE_SEGMENTS: tuple[str, ...] = tuple(Prices.model_fields)
"""The segments a plan may give a price for: columns ``price_<segment>``."""


def plan_columns(plans: Sequence[Plan], start: int, end: int) -> list[str]:
    """The Plans sheet's headers for these plans.

    Delivery has one column per year from the earliest to the latest year of the period and
    of all plans' deliveries; public transport has name/type/distance columns for as many
    stops as the plan with the most stops lists (at least one).
    """
    years = {y for p in plans for y in p.delivery} | {start, end}
    stops = max([1, *(len(p.public_transport) for p in plans)])
    if stops > MAX_STOPS:
        crowded = max(plans, key=lambda p: len(p.public_transport))
        raise SheetLimitError(
            _(
                "plan {id} lists {stops:,} public transport stops; the Plans sheet has room for "
                "{limit} (3 columns each; Excel allows 16,384 columns): workbook not written"
            ).format(id=crowded.id, stops=stops, limit=MAX_STOPS)
        )
    return [
        *TEXT,
        "initiators",
        *(f"homes_{s}" for s in SEGMENTS),
        "homes_total",
        *(f"demolished_{s}" for s in SEGMENTS),
        *(f"price_{s}" for s in PRICE_SEGMENTS),
        *(f"delivery_{y}" for y in range(min(years), max(years) + 1)),
        *(f"stop_{n}_{part}" for n in range(1, stops + 1) for part in STOP_FIELD),
        "work_jobs",
        "work_floor_area_m2",
        "obstacles",
        "exemptions",
        "notes",
        "score",
        "verdict",
    ]


def column_label(column: str) -> str:
    """The Plans column's header in words, for the row above the keys (``import`` skips it)."""
    fixed = {
        "id": _("Plan id"),
        "name": _("Name"),
        "municipality": _("Municipality (gemeente)"),
        "phase": _("Phase (fase)"),
        "initiators": _("Initiators, separated by ;"),
        "homes_total": _("Homes: total (not imported)"),
        "work_jobs": _("Jobs (arbeidsplaatsen)"),
        "work_floor_area_m2": _("Work floor area (m²)"),
        "obstacles": _("Obstacles (knelpunten): one per line, category: note"),
        "exemptions": _("Exemptions (vrijstellingen): one per line, criterion (date): reason"),
        "notes": _("Notes"),
        "score": _("Score (not imported)"),
        "verdict": _("Verdict (not imported)"),
    }
    if column in fixed:
        return fixed[column]
    group = segment_column(column)
    if group is not None:
        words = _("Homes: {segment}") if group[0] == "homes" else _("Demolished: {segment}")
        return words.format(segment=labels.SEGMENTS.get(group[1], group[1]))
    if match := DELIVERY_COLUMN.match(column):
        return _("Delivered in {year}").format(year=match.group(1))
    if match := STOP_COLUMN.match(column):
        parts = {
            "name": _("Stop {number}: name"),
            "type": _("Stop {number}: train, hov or bus"),
            "distance_m": _("Stop {number}: walking distance (m)"),
        }
        return parts[match.group(2)].format(number=match.group(1))
    return column.replace("_", " ").capitalize()


def is_words_row(values: Sequence[Value], columns: Sequence[str | None]) -> bool:
    """True for the row of headers in words below the keys: every filled cell under a known
    column is its label, in one of woonplan's languages (a column whose key is unknown,
    reported on its own, is not judged)."""
    filled = [
        (v, c)
        for v, c in zip(values, columns, strict=False)
        if not is_empty(v) and c is not None and is_known(c)
    ]
    if not filled:
        return False
    for language in LANGUAGES:  # a workbook written in English is read in a Dutch run
        with in_language(language):
            if all(v == column_label(c) for v, c in filled):
                return True
    return False


def plan_row(plan: Plan, score: float | None, verdict: str) -> dict[str, Value]:
    """One plan as Plans-sheet values by column name (absent fields: no entry)."""
    row: dict[str, Value] = {
        "id": plan.id,
        "name": plan.name,
        "municipality": plan.municipality,
        "phase": plan.phase,
        "homes_total": plan.homes.total,
        "score": score,
        "verdict": verdict,
        "notes": plan.notes,
    }
    if plan.initiators:
        row["initiators"] = "; ".join(plan.initiators)
    for segment in SEGMENTS:
        row[f"homes_{segment}"] = getattr(plan.homes, segment)
        demolished = getattr(plan.demolished, segment)
        row[f"demolished_{segment}"] = demolished or None
    if plan.prices is not None:
        for segment in PRICE_SEGMENTS:
            row[f"price_{segment}"] = getattr(plan.prices, segment)
    for year, homes in plan.delivery.items():
        row[f"delivery_{year}"] = homes
    for n, stop in enumerate(plan.public_transport, start=1):
        row[f"stop_{n}_name"] = stop.stop
        row[f"stop_{n}_type"] = stop.type
        row[f"stop_{n}_distance_m"] = stop.walking_distance_m
    if plan.work is not None:
        row["work_jobs"] = plan.work.jobs
        row["work_floor_area_m2"] = plan.work.floor_area_m2
    if plan.obstacles:
        row["obstacles"] = "\n".join(
            o.category if o.note is None else f"{o.category}: {o.note}" for o in plan.obstacles
        )
    if plan.exemptions:
        row["exemptions"] = "\n".join(
            f"{e.criterion} ({e.decided.isoformat()}): {e.reason}" for e in plan.exemptions
        )
    return row


def is_known(column: str) -> bool:
    """True for a header that ``woonplan import`` understands (including read-only ones)."""
    return (
        column in (*TEXT, "initiators", "notes", "work_jobs", "work_floor_area_m2")
        or column in ("obstacles", "exemptions", *READ_ONLY)
        or segment_column(column) is not None
        or price_column(column) is not None
        or DELIVERY_COLUMN.match(column) is not None
        or STOP_COLUMN.match(column) is not None
    )


def known_examples() -> list[str]:
    """Header names for did-you-mean suggestions."""
    fixed = plan_columns([], 2022, 2022)
    return [c for c in fixed if not c.startswith(("delivery_", "stop_"))] + [
        "delivery_2027",
        "stop_1_name",
        "stop_1_type",
        "stop_1_distance_m",
    ]


def segment_column(column: str) -> tuple[str, str] | None:
    for group in ("homes", "demolished"):
        prefix = f"{group}_"
        if column.startswith(prefix) and column[len(prefix) :] in SEGMENTS:
            return group, column[len(prefix) :]
    return None


def price_column(column: str) -> str | None:
    segment = column.removeprefix("price_")
    return segment if column.startswith("price_") and segment in PRICE_SEGMENTS else None


def is_empty(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
