"""``woonplan check --format table``: per plan its verdict, score and each criterion in words.

Each plan is a few lines laid out here directly, with the column widths and word wrapping that
rich's ``Table`` would give them (``tests/test_check_table.py`` holds the two side by side):
rendering every plan through a rich ``Table`` and ``Console`` took 1.2 s per 1,000 plans, five
times the whole JSON run. rich still renders the summary table, and any line with control
characters or tabs, whose handling is rich's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from rich import box
from rich._wrap import divide_line
from rich.cells import cell_len as rich_cell_len
from rich.color import ColorSystem
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text

from woonplan import numbers
from woonplan.checking.run import CheckReport, PlanReport
from woonplan.i18n import N_, _, ngettext, title
from woonplan.render import Style
from woonplan.render.console import STATUS_STYLE, VERDICT_LABEL, VERDICT_STYLE, to_text
from woonplan.render.labels import (
    COUNTS,
    PHASE_WORDS,
    STATUSES,
    criteria_source,
    zero_score_reason,
)
from woonplan.text import shown

Piece = tuple[str, str]
"""Text and its rich style name ("" for none)."""

_WORD = re.compile(r"\s*\S+\s*")
"""A word and the blanks around it, as rich's word wrap sees it."""
_UNUSUAL = re.compile(r"[\x00-\x1f\x7f]")

GLUE = "\ue000"
"""Stands for the blank between a number and its unit while lines are wrapped (a printable,
one-column character that is no blank, so no wrap breaks there); a blank again in the output."""
_UNIT_GAP = re.compile(
    r"(?<=\d) (?=(?:m²|m|%|homes?|years?|jobs|woningen|woning|jaar|banen)(?![\w²]))"
)


NARROW = 32
"""A message column narrower than this, with a message that must wrap, is given up: the
plan's messages go onto lines of their own below each criterion (issue 12: at 80 columns the
column was 21 wide, a few words a line, and an id in a waiver reason folded mid-word)."""


def glued(message: str) -> str:
    """``message`` with each number joined to the unit after it (``1,200 m``), for wrapping."""
    return _UNIT_GAP.sub(GLUE, message)


def stacked(rows: Sequence[tuple[str, str, str]], room: int) -> bool:
    """Whether the messages go below their criteria rather than beside them in ``room`` columns.

    Only when some message must wrap, and the column is narrow or a word of it (an id, a long
    name) would have to be folded inside the word.
    """
    if max((cell_len(message) for _, _, message in rows), default=0) <= room:
        return False  # every message fits beside its criterion (the common case: no words)
    if room < NARROW:
        return True
    return any(cell_len(word) > room for _, _, message in rows for word in message.split())


INDENT = 5
"""A plan's lines under its verdict: the file (when the head line is full), the note on a 0.0
score, what the plan is; wrapped lines keep the indent, not the left margin (issue 12 point
13: at 80 columns they started at column 0, like a new plan)."""

PROBLEM_WIDTH = 1_000_000
"""Problems are one line each, never wrapped or cropped: editors and CI jump to
``file:line:col``, so they are rendered without a width limit."""


def render(report: CheckReport, style: Style) -> str:
    """The report as a readable screen."""
    screen = _Screen(style)
    chunks: list[str] = []
    for plan in report.plans:
        chunks += _plan(plan, report.criteria.region.review_threshold, screen)
        chunks.append("\n")
    chunks.append(to_text([_summary(report)], style))
    return "".join(chunks).replace(GLUE, " ")


def _plan(report: PlanReport, threshold: int, screen: _Screen) -> list[str]:
    """One plan's lines: verdict and id, what it is, its criteria, then its problems."""
    verdict = report.verdict
    # Text from files (ids, names, file names, messages) is shown escaped: one line each.
    head: list[Piece] = [
        (f"{VERDICT_LABEL[verdict]:<5}", VERDICT_STYLE[verdict]),
        (shown(report.plan_id or report.file), "bold"),
    ]
    if report.result and report.valid and report.result.score is not None:
        score = numbers.plain(report.result.score, 1)
        head.append(("  " + _("score {score}").format(score=score), "bold"))
    path = f"  {shown(report.file)}"
    if cell_len("".join(text for text, _ in head) + path) <= screen.width:
        out = [screen.line([*head, (path, "dim")])]
    else:  # the file on a line of its own, under the id, rather than folded at the margin
        out = [screen.line(head), screen.line([(path.strip(), "dim")], indent=INDENT)]
    why_warn = zero_score_reason(report)
    if why_warn:
        out.append(screen.line([(why_warn, "yellow")], indent=INDENT))
    plan = report.plan
    if plan is not None and report.valid:
        about = (
            f"{shown(plan.name)} · {shown(plan.municipality)} · "
            f"{_homes(plan.total_homes)} · "
            f"{PHASE_WORDS[plan.phase]}"
        )
        out.append(screen.line([(about, "dim")], indent=INDENT))
    if not report.valid:
        out += [screen.line([(f"{'':5}{e}", "red")], PROBLEM_WIDTH) for e in report.errors]
        return out
    result = report.result
    if result is not None and result.verdict != "not_reviewed":
        rows = [
            (
                item.status,
                shown(title(item.criterion.spec.title))
                + (" *" if item.criterion.spec.required else ""),
                glued(shown(item.message)),
            )
            for item in result.criteria
            if item.status != "n/a"
        ]
        out.append(screen.criteria(rows))
    elif result is not None:
        why = (
            _("under the review threshold of {threshold} homes").format(
                threshold=numbers.integer(threshold)
            )
            if result.plan.total_homes < threshold
            else _("no criterion applies to this plan")
        )
        out.append(screen.line([(f"{'':5}" + _("{why}: not scored").format(why=why), "dim")]))
    out += [
        screen.line(
            [(f"{'':5}" + _("warning: {warning}").format(warning=w), "yellow")], PROBLEM_WIDTH
        )
        for w in report.warnings
    ]
    return out


def _homes(count: int) -> str:
    return ngettext("{count} home", "{count} homes", count).format(count=numbers.integer(count))


def _summary(report: CheckReport) -> RenderableType:
    counts = report.summary()
    table = Table(box=box.SIMPLE_HEAD, title=None, show_edge=False)
    for name in ("plans", "pass", "warn", "fail", "not_reviewed", "invalid"):
        table.add_column(COUNTS[name], justify="right")
    table.add_row(
        *(str(counts[n]) for n in ("plans", "pass", "warn", "fail", "not_reviewed", "invalid"))
    )
    note = Text(
        _("* required criterion · as of {year} · criteria: {source}").format(
            year=report.as_of, source=criteria_source(report.criteria.source)
        ),
        style="dim",
    )
    return Group(table, note, Text(_(REQUIRED_NOTE), style="dim"))


def cell_len(text: str) -> int:
    """Columns that ``text`` takes on a screen (rich's measure; ASCII without the lookup)."""
    return len(text) if text.isascii() else rich_cell_len(text)


def _breaks(text: str, width: int) -> list[int]:
    """Where rich's word wrap (folding long words) breaks ``text`` to fit ``width`` columns.

    rich's own ``divide_line``, which measures every word through its cell-width tables;
    for ASCII text (all but odd plan names), the same steps with ``len``.
    """
    if not text.isascii():
        return divide_line(text, width, fold=True)
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        length = len(match.group().rstrip())
        if width - offset >= length:
            offset += end - start
        elif length > width:  # fold the word over lines of ``width``
            for cut in range(start, end, width):
                if cut:
                    breaks.append(cut)
                offset = min(width, end - cut)
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


class _Screen:
    """Lays out lines at a width, as rich's console would, with colour codes when asked."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.width = style.width
        self.color = style.color

    def paint(self, text: str, style: str) -> str:
        """``text`` in ``style``'s escape codes (colour on), else as it is."""
        if not self.color or not style or not text:
            return text
        return RichStyle.parse(style).render(text, color_system=ColorSystem.STANDARD)

    def line(self, pieces: Sequence[Piece], width: int | None = None, indent: int = 0) -> str:
        """One line of styled pieces, word-wrapped at ``width`` (words longer than a line
        folded), each output line without trailing blanks, ending in a line break; with
        ``indent``, every output line starts with that many (unstyled) blanks."""
        width = self.width if width is None else width
        if indent:
            inner = self.line(pieces, width - indent)
            return "".join(" " * indent + part + "\n" for part in inner[:-1].split("\n"))
        plain = "".join(text for text, _ in pieces)
        if _UNUSUAL.search(plain):
            return to_text([Text.assemble(*pieces)], replace(self.style, width=width))
        if cell_len(plain) <= width:
            return "".join(self.paint(text, style) for text, style in pieces).rstrip() + "\n"
        out = []
        bounds = [0, *_breaks(plain, width), len(plain)]
        for start, end in pairwise(bounds):
            # as rich's Text.rstrip_end and truncate: blanks beyond the width go (counted in
            # characters, then in cells), others stay, styled
            excess = end - start - width
            if excess > 0:
                blanks = len(plain[start:end]) - len(plain[start:end].rstrip())
                end -= min(blanks, excess)
            while cell_len(plain[start:end]) > width:
                end -= 1
            out.append(self._slice(pieces, start, end).rstrip())
        return "\n".join(out) + "\n"

    def _slice(self, pieces: Sequence[Piece], start: int, end: int) -> str:
        """The painted characters ``start:end`` of the pieces' joined text."""
        out = []
        offset = 0
        for text, style in pieces:
            low, high = max(start, offset), min(end, offset + len(text))
            if low < high:
                out.append(self.paint(text[low - offset : high - offset], style))
            offset += len(text)
        return "".join(out)

    def criteria(self, rows: Sequence[tuple[str, str, str]]) -> str:
        """The criteria of one plan: status, title and message in columns.

        Column widths as rich's ``Table(box=None, padding=(0, 1), pad_edge=False)`` with a
        4-wide empty first column sets them: each column as wide as its longest cell, and when
        that is too wide for the screen only the message column gives way, its text wrapped.
        """
        if not rows:
            return ""
        if any(_UNUSUAL.search(part) for row in rows for part in row):
            return to_text([rich_criteria(rows, self.width)], self.style)
        status_width = max(cell_len(STATUSES[status]) for status, _, _ in rows)
        title_width = max(cell_len(name) for _, name, _ in rows)
        message_width = max(cell_len(message) for _, _, message in rows)
        fixed = 5 + status_width + 2 + title_width + 2
        room = self.width - fixed - 1  # the message column has a blank on its left only
        if room < 1:  # the fixed columns alone are too wide: rich crops them
            return to_text([rich_criteria(rows, self.width)], self.style)
        message_width = min(message_width, room)
        below = stacked(rows, room)
        if below:  # the messages get the screen's width from the title column on
            title_width = 0
            message_width = self.width - (5 + status_width + 2) - 1
        indent = " " * 6
        blank = " " * (5 + status_width + 3 if below else fixed + 1)
        out = []
        for status, name, message in rows:
            word = STATUSES[status]  # in the run's language; the style by the status itself
            padded = word + " " * (status_width - cell_len(word))
            lead = (
                f"{indent}{self.paint(padded, STATUS_STYLE[status])}  "
                f"{name}{' ' * (title_width - cell_len(name))}  "
            )
            if below:
                out.append(lead.rstrip())
                lead = blank
            if cell_len(message) <= message_width:
                out.append(f"{lead}{message}".rstrip())
                continue
            bounds = [0, *_breaks(message, message_width), len(message)]
            parts = [message[a:b].rstrip() for a, b in pairwise(bounds)]
            out.append(f"{lead}{parts[0]}".rstrip())
            out += [f"{blank}{part}".rstrip() for part in parts[1:]]
        return "\n".join(out) + "\n"


def rich_criteria(rows: Sequence[tuple[str, str, str]], width: int) -> RenderableType:
    """The criteria laid out by rich: for text with control characters or a very narrow screen,
    and as the reference the fast layout is tested against."""

    def table(messages: bool) -> Table:
        """An empty 4-wide column, the status and the title, and the messages when beside."""
        grid = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        grid.add_column(width=4)
        grid.add_column(no_wrap=True, width=status_width)
        grid.add_column(no_wrap=True)
        if messages:
            grid.add_column(overflow="fold")
        return grid

    # Text, not str: rich would read "[...]" in a plain string as markup
    status_width = max(cell_len(STATUSES[status]) for status, _, _ in rows)
    fixed = 5 + status_width + 2 + max(cell_len(name) for _, name, _ in rows) + 2
    if not stacked(rows, width - fixed - 1):
        grid = table(messages=True)
        for status, name, message in rows:
            status_text = Text(STATUSES[status], style=STATUS_STYLE[status])
            grid.add_row("", status_text, Text(name), Text(message))
        return grid
    parts: list[RenderableType] = []
    for status, name, message in rows:
        grid = table(messages=False)
        grid.add_row("", Text(STATUSES[status], style=STATUS_STYLE[status]), Text(name))
        parts.append(grid)
        parts.append(Padding(Text(message, overflow="fold"), (0, 0, 0, 6 + status_width + 2)))
    return Group(*parts)


REQUIRED_NOTE = N_("Only a required (*) criterion can fail a plan; the others can only warn.")
"""Said under every check summary; translated where it is shown."""
