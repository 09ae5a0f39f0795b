"""Problems with a place: every error or warning knows its file, line, column and field path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from woonplan.text import MAX_MESSAGE, shown

Level = Literal["error", "warning"]


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
    ``code`` is stable (one of :data:`CODES`, or a criterion id for a criterion finding), so
    renderers and CI scripts select by code, never by text or position.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    code: str
    level: Level = "error"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return reduce_slots(self)

    def __str__(self) -> str:
        # Every part may come from a file (a file name, a key, a value in the message): shown
        # escaped and bounded, so one problem is one line whatever the file holds.
        # The parts' bounds add up to less than MAX_SHOWN: a renderer that shows the whole line
        # again (a Markdown code span) does not cut it a second time.
        where = shown(self.file, 500)
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        prefix = f"{shown(self.path, MAX_MESSAGE)}: " if self.path else ""
        return f"{where}: {prefix}{shown(self.message, 1000)}"

    def as_dict(self) -> dict[str, object]:
        """The stable JSON shape of a problem."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "code": self.code,
        }


class WoonplanError(Exception):
    """The base of woonplan's own errors: input or output that cannot be used at all."""


class InputError(WoonplanError):
    """Input that cannot be used at all (e.g. a broken criteria.yaml); carries its problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


CODES: dict[str, str] = {
    # reading a file
    "no-such-path": "a path given on the command line does not exist",
    "unreadable": "a file or folder cannot be read (permissions, I/O error)",
    "not-a-file": "not a regular file (a FIFO, a device)",
    "link": "a link inside a plans folder; links are not followed",
    "too-large": "the file is larger than 1 MiB",
    "not-utf8": "the file is not UTF-8 text",
    "not-text": "the file holds NUL bytes (binary)",
    "forbidden-character": "a character YAML does not allow (a control character)",
    "yaml-syntax": "the YAML cannot be parsed",
    "forbidden-tag": "a YAML tag such as !!python/object; plan files hold plain data only",
    "alias-bomb": "YAML aliases expand to too much data",
    "invalid-value": "a value the loader cannot build (an impossible date) or a bad cell",
    "duplicate-key": "a key appears twice in one mapping",
    "number-form": "a number written as octal (010), hex (0x3C), binary, base 60 (1:20) or 1_000",
    # the plan model
    "not-a-mapping": "the file is not a mapping of keys to values",
    "missing-key": "a required key is missing",
    "unknown-key": "a key the plan format does not have (a typo)",
    "wrong-type": "a value of the wrong type (text for a number, a decimal for a whole number)",
    "out-of-range": "a number outside its bounds (negative homes, a year outside 1900-2100)",
    "wrong-length": "text or a list that is empty or too long",
    "unknown-value": "a value outside its list (phase, stop type, obstacle category)",
    "invalid-year": "a delivery key that is not a year",
    "invalid-id": "an id that is not a lowercase slug",
    # plan rules across fields and files
    "id-mismatch": "the id differs from the file name",
    "duplicate-id": "two plan files (or rows) use the same id",
    "unknown-municipality": "a municipality that is not in the region",
    "no-homes": "the plan has no new homes",
    "delivery-sum": "the delivery years do not add up to the homes total",
    "unknown-criterion": "an exemption names a criterion that does not exist",
    "duplicate-exemption": "a criterion is exempted twice",
    "demolition-too-large": "more than 10,000 demolished homes in one segment of one plan",
    # data warnings
    "overdue-delivery": "delivery years in the past while the plan is not built yet",
    "completed-in-future": "a completed plan that delivers after the as-of year",
    "price-above-limit": "homes priced above the year's price limit; they count as free-sector",
    "price-without-homes": "a price for a segment in which the plan has no homes",
    "demolition-exceeds-homes": "a plan demolishes more than 10 times its new homes",
    # criteria.yaml
    "period-order": "the period starts after it ends",
    "duplicate-municipality": "a municipality is listed twice",
    "duplicate-criterion": "two criteria have the same id",
    "metric-or-expression": "a criterion needs exactly one of metric or expression",
    "limit-beyond-target": "a criterion's limit lies on the wrong side of its target",
    "invalid-expression": "an expression that cannot be used (unknown name, forbidden construct)",
    "duplicate-policy-test": "two policy tests have the same id",
    # the workbook (woonplan import)
    "headerless-value": "a value in a column without a header",
    "formula": "a formula where a value belongs",
    "unknown-column": "a column the Plans sheet does not have",
    "duplicate-column": "a column appears twice",
}
"""Every problem code with what triggers it; docs/codes.md has the same table with examples.

A criterion finding (a criterion that fails, warns or cannot be computed) has the criterion's
id as its code instead.
"""
