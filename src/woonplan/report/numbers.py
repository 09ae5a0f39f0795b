"""Every figure in the report, formatted in one place: the Jinja2 filters of the templates.

Whole homes with a thousands separator (``7,000``), shares as percentages (``33.3%``), money
(``€ 1,228``), distances (``650 m``), negative figures with a real minus sign (``−35``). The
digits come from :mod:`woonplan.numbers`, the one number formatter, so they are in the run's
language's number forms (Dutch ``7.000``, ``33,3%``) as everywhere else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from woonplan import numbers
from woonplan.progress.rounding import whole

DASH = "–"
"""Shown where there is no value."""
MINUS = "−"


def _minus(text: str) -> str:
    """A figure of :mod:`woonplan.numbers` with the minus sign the report prints."""
    return text.replace("-", MINUS)


def homes(value: float | None) -> str:
    """Whole homes: ``7,000`` (halves rounded up, as everywhere in woonplan)."""
    return DASH if value is None else _minus(numbers.homes(value))


def signed(value: float | None) -> str:
    """A change in whole homes, with its sign: ``+120``, ``−35``, ``0``."""
    if value is None:
        return DASH
    rounded = whole(value)
    return _minus(("+" if rounded > 0 else "") + numbers.integer(rounded))


def decimal(value: float | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals: ``2.5``."""
    if value is None:
        return DASH
    return _minus(numbers.decimal(value, digits))  # halves away from zero


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage, trailing zeros dropped: ``33.3%``, ``30%``."""
    if value is None:
        return DASH
    # halves away from zero, as every figure in woonplan (f"{81.25:.1f}" would give 81.2)
    return _minus(numbers.trimmed(value * 100, digits)) + "%"


def euro(value: float | None) -> str:
    """An amount of money: ``€ 395,000``; cents only when there are any (``€ 1,228.07``)."""
    if value is None:
        return DASH
    cents = 0 if float(value).is_integer() else 2
    return "€ " + _minus(numbers.decimal(value, cents))


def metres(value: float | None) -> str:
    """A distance in whole metres: ``1,200 m``."""
    return DASH if value is None else _minus(numbers.integer(whole(value))) + " m"


def number(value: float | None) -> str:
    """A plain figure: whole when it is whole (``1,500``), else up to two decimals."""
    if value is None:
        return DASH
    if float(value).is_integer():
        return _minus(numbers.integer(int(value)))
    return _minus(numbers.trimmed(value, 2, grouped=True))  # 0.075: 0.08, as everywhere


def date(value: str | datetime.date | None) -> str:
    """A date as the report shows it: ISO 8601 (``2025-03-12``), read the same in every
    language."""
    if value is None:
        return DASH
    return value if isinstance(value, str) else value.isoformat()


def measure(value: float | None, kind: str) -> str:
    """``value`` formatted by its kind: ``percent``, ``metres``, ``euro``, ``homes`` or else a
    plain ``number``."""
    return FILTERS.get(kind, number)(value)


FILTERS: dict[str, Callable[[float | None], str]] = {
    "homes": homes,
    "signed": signed,
    "percent": percent,
    "euro": euro,
    "metres": metres,
    "number": number,
}
"""The Jinja2 filters of the report templates (``{{ value | homes }}``), plus ``measure``,
``decimal`` and ``date``."""
