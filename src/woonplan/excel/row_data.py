"""A Plans-sheet row read back into plan data, for ``woonplan import``.

Numbers typed as text are read as numbers, multi-line cells (obstacles, exemptions) are split
into their entries, and each field remembers its column, so that a problem is placed in its
cell. The layout itself (which columns there are) is :mod:`woonplan.excel.columns`.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from woonplan.checking.models import SEGMENTS
from woonplan.checking.number_hints import THOUSANDS
from woonplan.excel.columns import (
    DELIVERY_COLUMN,
    PRICE_SEGMENTS,
    READ_ONLY,
    STOP_COLUMN,
    STOP_FIELD,
    TEXT,
    Value,
    is_empty,
    price_column,
    segment_column,
)
from woonplan.i18n import _

_INT = re.compile(r"^[+-]?\d{1,15}$")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


_OBSTACLE = re.compile(r"^(?P<category>[A-Za-z_]+)\s*(:\s?(?P<note>.*))?$")


_EXEMPTION = re.compile(r"^(?P<criterion>[^\s(:]+)\s*\((?P<decided>[^)]*)\)\s*:\s?(?P<reason>.*)$")


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
    filled = {c: v for c, v in values.items() if not is_empty(v) and c not in READ_ONLY}
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
    if delivery or any(DELIVERY_COLUMN.match(c) for c in values):
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
    group = segment_column(column)
    if group is not None:
        out.columns.setdefault(group[0], column)
        out.columns[f"{group[0]}.{group[1]}"] = column
    elif (segment := price_column(column)) is not None:
        out.columns.setdefault("prices", column)
        out.columns[f"prices.{segment}"] = column
    elif match := DELIVERY_COLUMN.match(column):
        out.columns.setdefault("delivery", column)
        year = int(match.group(1))
        out.columns[f"delivery[{year}]"] = out.columns[f"delivery.{year}"] = column
    elif STOP_COLUMN.match(column):
        out.columns.setdefault("public_transport", column)
    elif column.startswith("work_"):
        out.columns.setdefault("work", column)
        out.columns[f"work.{column[5:]}"] = column
    else:
        out.columns[column] = column


def _delivery(filled: Mapping[str, Value], out: RowData) -> dict[int, Any]:
    delivery: dict[int, Any] = {}
    for column, value in filled.items():
        if match := DELIVERY_COLUMN.match(column):
            year = int(match.group(1))
            if not delivery:  # a wrong sum is best shown at the first year filled in
                out.columns["delivery"] = column
            delivery[year] = _count(value)
    return dict(sorted(delivery.items()))


def _stops(filled: Mapping[str, Value], out: RowData) -> list[dict[str, Any]]:
    by_number: dict[int, dict[str, str]] = {}
    for column in filled:
        if match := STOP_COLUMN.match(column):
            by_number.setdefault(int(match.group(1)), {})[match.group(2)] = column
    stops: list[dict[str, Any]] = []
    for number in sorted(by_number):
        index = len(stops)
        stop: dict[str, Any] = {}
        for part, key in STOP_FIELD.items():
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
