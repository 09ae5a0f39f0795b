"""The Plans sheet's layout: one row per plan, every plan field in a named column.

The same layout is written by ``woonplan progress --xlsx`` and read by ``woonplan import``;
docs/excel.md describes it for people who fill the sheet in by hand. Columns are found by
their header (row 1), so their order does not matter and more ``delivery_<year>`` or
``stop_<n>_...`` columns may be added. This module knows no openpyxl: it turns plans into
row values and row values back into plan data.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from woonplan.checking.model_errors import THOUSANDS
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


_DELIVERY = re.compile(r"^delivery_(\d{4})$")
_STOP = re.compile(r"^stop_([1-9]\d{0,2})_(name|type|distance_m)$")
_STOP_FIELD = {"name": "stop", "type": "type", "distance_m": "walking_distance_m"}
PRICE_SEGMENTS: tuple[str, ...] = tuple(Prices.model_fields)
"""The segments a plan may give a price for: columns ``price_<segment>``."""
_INT = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_OBSTACLE = re.compile(r"^(?P<category>[A-Za-z_]+)\s*(:\s?(?P<note>.*))?$")
_EXEMPTION = re.compile(r"^(?P<criterion>[^\s(:]+)\s*\((?P<decided>[^)]*)\)\s*:\s?(?P<reason>.*)$")


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
        *(f"stop_{n}_{part}" for n in range(1, stops + 1) for part in _STOP_FIELD),
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
    group = _segment_column(column)
    if group is not None:
        words = _("Homes: {segment}") if group[0] == "homes" else _("Demolished: {segment}")
        return words.format(segment=labels.SEGMENTS.get(group[1], group[1]))
    if match := _DELIVERY.match(column):
        return _("Delivered in {year}").format(year=match.group(1))
    if match := _STOP.match(column):
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
        if not _empty(v) and c is not None and is_known(c)
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
        or _segment_column(column) is not None
        or _price_column(column) is not None
        or _DELIVERY.match(column) is not None
        or _STOP.match(column) is not None
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


@dataclass
class RowData:
    """One row turned into plan data, with the column each field came from."""

    data: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    """Dotted field path (as in problems) → column name, for placing errors in cells."""
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """(column, dotted path, message) for values that cannot even be read as plan data."""

    def column_for(self, path: str) -> str | None:
        """The column of ``path`` or of its nearest parent that has one."""
        while True:
            if path in self.columns:
                return self.columns[path]
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                return self.columns.get(path)
            path = path[:cut]


def row_data(values: Mapping[str, Value]) -> RowData:
    """Plan data from one row's values by column name (empty cells are None or absent).

    Numbers typed as text are read as numbers; a whole number stored as a float is an int;
    a value that cannot be converted is passed on unchanged, so the model reports it.
    """
    out = RowData()
    for column in values:
        _register(out, column)
    filled = {c: v for c, v in values.items() if not _empty(v) and c not in READ_ONLY}
    data = out.data
    for column in TEXT:
        if column in filled:
            data[column] = _trim(_text(filled[column]))
    if "initiators" in filled:
        names = [_trim(n) for n in _text(filled["initiators"]).split(";")]
        data["initiators"] = [n for n in names if n]
    for group in ("homes", "demolished"):
        segments = {s: _count(filled[f"{group}_{s}"]) for s in SEGMENTS if f"{group}_{s}" in filled}
        if segments or (group == "homes" and any(c.startswith("homes_") for c in values)):
            data[group] = segments
    prices = {s: _number(filled[f"price_{s}"]) for s in PRICE_SEGMENTS if f"price_{s}" in filled}
    if prices:
        data["prices"] = prices
    delivery = _delivery(filled, out)
    if delivery or any(_DELIVERY.match(c) for c in values):
        data["delivery"] = delivery
    stops = _stops(filled, out)
    if stops:
        data["public_transport"] = stops
    work = {
        key: _count(filled[f"work_{key}"])  # whole square metres: "1.200" must not be 1.2
        for key in ("jobs", "floor_area_m2")
        if f"work_{key}" in filled
    }
    if work:
        data["work"] = work
    for column, parse in (("obstacles", _obstacles), ("exemptions", _exemptions)):
        if column in filled:
            items, message = parse(_text(filled[column]))
            if message:
                out.problems.append((column, column, message))
            elif items:
                data[column] = items
    if "notes" in filled:
        data["notes"] = _text(filled["notes"])
    return out


def _register(out: RowData, column: str) -> None:
    group = _segment_column(column)
    if group is not None:
        out.columns.setdefault(group[0], column)
        out.columns[f"{group[0]}.{group[1]}"] = column
    elif (segment := _price_column(column)) is not None:
        out.columns.setdefault("prices", column)
        out.columns[f"prices.{segment}"] = column
    elif match := _DELIVERY.match(column):
        out.columns.setdefault("delivery", column)
        year = int(match.group(1))
        out.columns[f"delivery[{year}]"] = out.columns[f"delivery.{year}"] = column
    elif _STOP.match(column):
        out.columns.setdefault("public_transport", column)
    elif column.startswith("work_"):
        out.columns.setdefault("work", column)
        out.columns[f"work.{column[5:]}"] = column
    else:
        out.columns[column] = column


def _segment_column(column: str) -> tuple[str, str] | None:
    for group in ("homes", "demolished"):
        prefix = f"{group}_"
        if column.startswith(prefix) and column[len(prefix) :] in SEGMENTS:
            return group, column[len(prefix) :]
    return None


def _price_column(column: str) -> str | None:
    segment = column.removeprefix("price_")
    return segment if column.startswith("price_") and segment in PRICE_SEGMENTS else None


def _delivery(filled: Mapping[str, Value], out: RowData) -> dict[int, Any]:
    delivery: dict[int, Any] = {}
    for column, value in filled.items():
        if match := _DELIVERY.match(column):
            year = int(match.group(1))
            if not delivery:  # a wrong sum is best shown at the first year filled in
                out.columns["delivery"] = column
            delivery[year] = _count(value)
    return dict(sorted(delivery.items()))


def _stops(filled: Mapping[str, Value], out: RowData) -> list[dict[str, Any]]:
    by_number: dict[int, dict[str, str]] = {}
    for column in filled:
        if match := _STOP.match(column):
            by_number.setdefault(int(match.group(1)), {})[match.group(2)] = column
    stops: list[dict[str, Any]] = []
    for number in sorted(by_number):
        index = len(stops)
        stop: dict[str, Any] = {}
        for part, key in _STOP_FIELD.items():
            column = f"stop_{number}_{part}"
            out.columns[f"public_transport[{index}].{key}"] = column
            if part in by_number[number]:
                value = filled[column]
                # whole metres: a text cell "1.200" must not become 1.2
                stop[key] = _count(value) if part == "distance_m" else _trim(_text(value))
        out.columns[f"public_transport[{index}]"] = f"stop_{number}_name"
        stops.append(stop)
    return stops


def _obstacles(text: str) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    for line in _lines(text):
        match = _OBSTACLE.match(_trim(line))
        if match is None:
            if not items:
                return [], _("write one obstacle per line as 'category: note' (got {line})").format(
                    line=repr(line)
                )
            items[-1]["note"] = (items[-1].get("note") or "") + "\n" + line
            continue
        item: dict[str, Any] = {"category": match.group("category")}
        note = _trim(match.group("note") or "")
        if note:
            item["note"] = note
        items.append(item)
    return items, ""


def _exemptions(text: str) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    for line in _lines(text):
        match = _EXEMPTION.match(_trim(line))
        if match is None:
            if not items:
                return [], _(
                    "write one exemption per line as 'criterion (YYYY-MM-DD): reason' (got {line})"
                ).format(line=repr(line))
            items[-1]["reason"] += "\n" + line
            continue
        decided: Any = match.group("decided").strip()
        with contextlib.suppress(ValueError):  # else the model reports it, at this cell
            decided = datetime.date.fromisoformat(decided)
        items.append(
            {
                "criterion": match.group("criterion"),
                "reason": _trim(match.group("reason")),
                "decided": decided,
            }
        )
    return items, ""


def _lines(text: str) -> Iterable[str]:
    return (line for line in text.replace("\r\n", "\n").split("\n") if line.strip())


def _trim(text: str) -> str:
    """Leading and trailing spaces removed; a tab, carriage return or line feed is kept, so
    that text such as ``"\\t=1+1"`` comes back from the workbook as it was written."""
    return text.strip(" ")


def _empty(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _count(value: Value) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value.strip())
    return value


def _number(value: Value) -> Any:
    """A text cell that holds a number, as the number; ``'405.000'`` (a Dutch thousands dot)
    stays text, so that the check says what to write instead of reading 405."""
    text = value.strip() if isinstance(value, str) else ""
    if _NUMBER.match(text) and not THOUSANDS.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return value
