"""Problems with a place: every error or warning knows its file, line, column and field path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_MESSAGE = 200
"""Text taken from the file into a message (a tag, a parser message) is cut to this length."""


def clip(text: object) -> str:
    """Text from a file as part of a one-line message: whitespace collapsed, length bounded."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


def reduce_slots(obj: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle a frozen slots dataclass as a plain constructor call.

    The standard way calls ``dataclasses.fields()`` for every object; checking many files on
    several cores sends hundreds of thousands of these between processes.
    """
    return (type(obj), tuple(getattr(obj, name) for name in obj.__slots__))


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning, printed as ``file:line:col: path: message``.

    ``line`` and ``column`` are 1-based; 0 means "unknown" (e.g. a file that cannot be read).
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return reduce_slots(self)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        prefix = f"{self.path}: " if self.path else ""
        return f"{where}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """The stable JSON shape of a problem."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class InputError(Exception):
    """Input that cannot be used at all (e.g. a broken criteria.yaml); carries its problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
