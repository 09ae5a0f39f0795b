"""Where the report's charts put their bars and lines: plain geometry for the SVG templates.

The charts are small SVG drawn by ``templates/charts.html.j2`` from these figures, not by a
charting library: three kinds of bar chart do not justify a dependency, every bar is exactly
its figure (no smoothing, no hidden rounding), and the markup stays ours to make accessible
(a title, a description, and the numbers in a table beside each chart).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 640
"""Every chart's width in SVG units (it scales to the page)."""


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round axis values from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 6))
    return ticks


def _r(value: float) -> float:
    return round(value, 1)


def capacity_bar(headline: Mapping[str, Any]) -> dict[str, Any]:
    """The headline bar: planned homes by phase group, against the target and 130% of it."""
    left, right, bar_top, bar_height = 8, 8, 22, 30
    top = max(headline["planned"], headline["capacity_needed"], headline["expected"], 1) * 1.04
    scale = (WIDTH - left - right) / top
    parts = []
    x = float(left)
    for key in ("completed", "under_construction", "hard", "soft"):
        value = max(0.0, float(headline[key]))
        parts.append({"key": key, "value": value, "x": _r(x), "width": _r(value * scale)})
        x += value * scale
    markers = [
        {"key": key, "value": value, "x": _r(left + max(0.0, value) * scale)}
        for key, value in (
            ("expected", headline["expected"]),
            ("target", headline["target"]),
            ("capacity_needed", headline["capacity_needed"]),
        )
    ]
    return {
        "width": WIDTH,
        "height": bar_top + bar_height + 22,
        "bar_top": bar_top,
        "bar_height": bar_height,
        "parts": parts,
        "markers": markers,
    }


def year_chart(years: Sequence[Mapping[str, Any]], even_pace: float) -> dict[str, Any]:
    """Per year: planned, expected and completed homes as bars; the even pace and the pace
    still needed as lines."""
    left, right, top_margin, bottom = 52, 8, 10, 26
    height = 240
    plot_height = height - top_margin - bottom
    paces = [y["pace"] for y in years if y.get("pace") is not None]
    top = max([even_pace, *paces, *(max(y["planned"], y["expected"]) for y in years), 1])
    ticks = nice_ticks(top)
    scale = plot_height / ticks[-1]
    base = top_margin + plot_height
    slot = (WIDTH - left - right) / max(1, len(years))
    bar = slot * 0.26

    def y_of(value: float) -> float:
        return _r(base - max(0.0, value) * scale)

    groups = []
    for index, year in enumerate(years):
        x0 = left + index * slot + slot * 0.11
        bars = []
        for offset, key in enumerate(("planned", "expected", "completed")):
            value = float(year[key])
            bars.append(
                {
                    "key": key,
                    "value": value,
                    "x": _r(x0 + offset * bar),
                    "y": y_of(value),
                    "height": _r(max(0.0, value) * scale),
                    "width": _r(bar * 0.92),
                }
            )
        groups.append(
            {"year": year["year"], "label_x": _r(left + (index + 0.5) * slot), "bars": bars}
        )
    first_pace = next((i for i, y in enumerate(years) if y.get("pace") is not None), None)
    pace_line = None
    if first_pace is not None:
        pace_line = {
            "value": paces[0],
            "x1": _r(left + first_pace * slot),
            "x2": WIDTH - right,
            "y": y_of(paces[0]),
        }
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "right": WIDTH - right,
        "base": base,
        "ticks": [{"value": t, "y": y_of(t)} for t in ticks],
        "groups": groups,
        "even_pace": {"value": even_pace, "y": y_of(even_pace), "x1": left, "x2": WIDTH - right},
        "pace": pace_line,
    }


def municipality_chart(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per municipality: planned and expected homes as bars, its target (if any) as a mark."""
    label_width, right, row_height, top_margin = 120, 56, 34, 4
    top = max([1.0, *(max(r["planned"], r["expected"], r.get("target") or 0) for r in rows)])
    scale = (WIDTH - label_width - right) / top
    out = []
    for index, row in enumerate(rows):
        y = top_margin + index * row_height
        target = row.get("target")
        out.append(
            {
                "name": row["name"],
                "y": y,
                "label_y": y + row_height / 2 + 4,
                "planned": {"value": row["planned"], "width": _r(max(0, row["planned"]) * scale)},
                "expected": {
                    "value": row["expected"],
                    "width": _r(max(0, row["expected"]) * scale),
                },
                "target_x": None if target is None else _r(label_width + target * scale),
            }
        )
    return {
        "width": WIDTH,
        "height": top_margin * 2 + len(rows) * row_height,
        "x0": label_width,
        "row_height": row_height,
        "rows": out,
    }
