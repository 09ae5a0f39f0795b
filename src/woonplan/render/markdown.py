"""Helpers for GitHub-flavoured Markdown output, shared by the Markdown renderers.

Everything that comes from a file (ids, names, messages, file names) goes through :func:`text`
or :func:`code`, so a ``|`` or a ``*`` in a plan cannot break a table or start emphasis, ``<``
cannot start HTML and ``[x](y)`` cannot become a link. Both first pass it through
:func:`woonplan.problems.shown` (one line, control characters escaped, bounded length), so
no regex here ever runs on unbounded text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from woonplan.text import shown

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!&])")


def text(value: str) -> str:
    """Plain text for Markdown: one line, control characters and special characters escaped."""
    return _SPECIAL.sub(r"\\\1", shown(value))


def code(value: str, in_table: bool = False) -> str:
    """``value`` as a code span that any backticks inside cannot close early.

    In a table cell a ``|`` must be written ``\\|`` even inside a code span (GFM splits cells
    before it reads code spans); outside a table that backslash would show, so it is left out.
    """
    value = shown(value)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    if in_table:
        value = value.replace("|", "\\|")
    return f"{fence}{pad}{value}{pad}{fence}"


def table_lines(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> list[str]:
    """The lines of a Markdown table; columns listed in ``right`` are right-aligned (numbers)."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    return [_row(headers), _row(align), *(_row(row) for row in rows)]


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()
) -> str:
    """A Markdown table as one string."""
    return "\n".join(table_lines(headers, rows, right))


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
