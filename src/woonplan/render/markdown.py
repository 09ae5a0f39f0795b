"""Small helpers for GitHub-flavoured Markdown output."""

from __future__ import annotations

from collections.abc import Sequence

_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#"})


def escape(text: str) -> str:
    """User text made safe inside Markdown (and inside a table cell): no markup, no ``|``."""
    return " ".join(text.split()).translate(_SPECIAL)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A Markdown table; columns listed in ``right`` are right-aligned (numbers)."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)
