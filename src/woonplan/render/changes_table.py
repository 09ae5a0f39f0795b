"""``woonplan changes --format table``: what moved since the last meeting, on one screen.

A headline in words, the regional figures before and after, then one row per plan that was
added, removed or changed, largest change in the period first: its phase (↑ forward, ↓ back),
homes before → after, the change of its net homes in the period, the delivery shift, obstacles
added (+) and removed (−), and its verdict. The rows are laid out here rather than by a rich
table, which takes seconds for thousands of rows; they read the same without colour.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

from rich import box
from rich.color import ColorSystem
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text

from woonplan.changes.compare import Changes, PlanChange
from woonplan.i18n import _, ngettext
from woonplan.render import Style
from woonplan.render.changes_text import (
    figure_rows,
    headline,
    homes_cell,
    number,
    obstacles_cell,
    phase_cell,
    shift_cell,
    signed,
    since,
    verdict_cell,
)
from woonplan.render.console import to_text
from woonplan.text import shown

GAP = "  "


def render(changes: Changes, style: Style) -> str:
    """The changes as a readable screen."""
    region = changes.region
    start, end = region.period.start, region.period.end
    title = Text(
        _("{region}, new homes {start}–{end}: {old} {arrow} {new}").format(
            region=region.name,
            start=start,
            end=end,
            old=changes.old_label,
            arrow="→",
            new=changes.new_label,
        ),
        style="bold",
    )
    title.append(_("   as of {year}").format(year=changes.new.as_of), style="dim")
    top = to_text(
        [
            title,
            Text(""),
            Text(headline(changes, since(changes)), style="bold"),
            Text(""),
            _figures(changes),
        ],
        style,
    )
    out = [top if top.endswith("\n\n") else top.rstrip("\n") + "\n\n"]
    if changes.invalid:  # said first, before any figure: these files are in neither side
        line = ngettext(
            "{count} invalid file left out on both sides: {files}",
            "{count} invalid files left out on both sides: {files}",
            len(changes.invalid),
        ).format(count=len(changes.invalid), files=", ".join(shown(f) for f in changes.invalid))
        out.insert(0, _paint(line, "bold magenta", style.color) + "\n")
    if changes.plans:
        out.append("\n".join(_plan_lines(changes, style.color, style.width)) + "\n\n")
    unchanged = changes.unchanged
    out.append(
        ngettext("{count} plan unchanged.", "{count} plans unchanged.", unchanged).format(
            count=unchanged
        )
        + "\n"
    )
    return "".join(out)


def _figures(changes: Changes) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(_("Region"))
    for name in (_("before"), _("after"), _("change")):
        table.add_column(name, justify="right")
    for key, label, old, new in figure_rows(changes):
        change = new - old
        # more is better, except for the gap to the target
        good = change < 0 if key == "gap" else change > 0
        colour = "" if change == 0 or key == "after_period" else "green" if good else "red"
        table.add_row(label, number(old), number(new), Text(signed(change), style=colour))
    return table


RIGHT = {2, 3, 4}
"""Columns aligned right: homes, the change in the period, the delivery shift."""


BELOW = (1, 5)
"""The change (phase) and obstacles columns: on a screen too narrow for every column, they go
on a line of their own below their plan's row (issue 12 point 13), the widest cells first."""


def _plan_lines(changes: Changes, color: bool, width: int) -> list[str]:
    rows = [_cells(p) for p in changes.plans]
    headers = [
        _("Plan"),
        _("Change"),
        _("Homes"),
        _("In period"),
        _("Delivery"),
        _("Obstacles"),
        _("Verdict"),
    ]
    widths = [max(len(h), *(len(r[i][0]) for r in rows)) for i, h in enumerate(headers)]
    widths[0] = min(widths[0], 40)  # a long id may push its own row, not every row
    below: list[int] = []
    for column in (5, 1):  # obstacles first, then the change
        if (
            sum(w for i, w in enumerate(widths) if i not in below)
            + len(GAP) * (len(widths) - len(below) - 1)
            <= width
        ):
            break
        below.append(column)
    kept = [i for i in range(len(headers)) if i not in below]
    lines = [
        _paint(_line([headers[i] for i in kept], [widths[i] for i in kept], kept), "bold", color)
    ]
    lines.append(_line(["─" * widths[i] for i in kept], [widths[i] for i in kept], kept))
    for row in rows:
        cells = []
        for index in kept:
            text, colour = row[index]
            padded = text.rjust(widths[index]) if index in RIGHT else text.ljust(widths[index])
            cells.append(_paint(padded, colour, color) if colour else padded)
        lines.append(GAP.join(cells).rstrip())
        lines += _below(row, sorted(below), color, width)
    return lines


def _below(row: list[tuple[str, str]], columns: list[int], color: bool, width: int) -> list[str]:
    """The cells moved below a row, on lines of their own, indented under the plan's id."""
    pieces = []
    for index in columns:
        text, colour = row[index]
        if text:
            pieces.append((_("obstacles") + ": " + text if index == 5 else text, colour))
    if not pieces:
        return []
    indent = " " * 4
    plain = SEPARATOR.join(text for text, _colour in pieces)
    if len(indent) + len(plain) <= width:
        return [indent + SEPARATOR.join(_paint(t, c, color) if c else t for t, c in pieces)]
    return textwrap.wrap(plain, width, initial_indent=indent, subsequent_indent=indent + "  ")


SEPARATOR = "  ·  "


def _line(cells: list[str], widths: list[int], columns: list[int]) -> str:
    return GAP.join(
        c.rjust(w) if i in RIGHT else c.ljust(w)
        for i, c, w in zip(columns, cells, widths, strict=True)
    ).rstrip()


def _cells(plan: PlanChange) -> list[tuple[str, str]]:
    """Each cell's text and colour."""
    change = plan.in_period_change
    direction = plan.direction
    phase_colour = (
        "green"
        if direction == "forward" or plan.status == "added"
        else "red"
        if direction == "back" or plan.status == "removed"
        else ""
    )
    shift = plan.delivery_shift or 0
    return [
        (plan.id, "bold"),
        (phase_cell(plan), phase_colour),
        (homes_cell(plan), ""),
        (signed(change), "green" if change > 0 else "red" if change < 0 else "dim"),
        (shift_cell(plan), "red" if shift > 0 else "green" if shift < 0 else ""),
        (obstacles_cell(plan), "yellow" if plan.obstacles_added else ""),
        (verdict_cell(plan), ""),
    ]


def _paint(text: str, style: str, color: bool) -> str:
    return _ansi(style).render(text, color_system=ColorSystem.STANDARD) if color else text


@lru_cache(maxsize=32)
def _ansi(style: str) -> RichStyle:
    return RichStyle.parse(style)
