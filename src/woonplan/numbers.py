"""Numbers, amounts and dates for people, in the run's language: one formatter for every view.

English keeps the forms woonplan has always printed (``7,000``, ``33.3%``). Dutch writes
``7.000``, ``1.669,2``, ``33,3%``, ``€ 1.228,07`` and ``12 maart 2025``. The separators of
plain numbers come from :data:`SYMBOLS`, a table of each language's decimal and grouping
symbol that a test checks against the Unicode CLDR (through Babel): numbers are formatted by
the hundred thousand when 10,000 plans are checked, and Python's own formatting with the two
symbols swapped is about ten times faster than Babel's, with the same result. Amounts and dates
in prose come from Babel itself, imported only when one is formatted, so a run that prints JSON
never loads it.
"""

from __future__ import annotations

import datetime
import math

from woonplan.i18n import current_language
from woonplan.progress.rounding import whole

SYMBOLS = {"nl": {ord(","): ".", ord("."): ","}}
"""Per language other than English: English's grouping and decimal symbols → the language's
(CLDR ``nl``: decimal ``,``, group ``.``); tests/test_i18n.py checks them against Babel."""
BABEL_LOCALES = {"nl": "nl_NL"}
DASH = "–"
"""What stands in for a figure that does not exist (a share of nothing)."""


def _local(text: str) -> str:
    """``text``, formatted the English way, with the run's language's symbols."""
    table = SYMBOLS.get(current_language())
    return text if table is None else text.translate(table)


def plain_digits(text: str) -> str:
    """Digits formatted the English way (``1,234.5``), in the run's language (``1.234,5``)."""
    return _local(text)


def integer(value: int) -> str:
    """A whole number with thousands separators: ``7,000`` / ``7.000``."""
    return _local(f"{value:,}")


def homes(value: float) -> str:
    """Whole homes with thousands separators (halves rounded up, as in the JSON)."""
    return integer(whole(value))


def _half_up(value: float, digits: int) -> float:
    """``value`` to ``digits`` decimals, halves away from zero as in the JSON (Python's own
    formatting rounds halves to even and works on the binary value: 0.075 → ``0.07``, 12.5 →
    ``12``, where people and spreadsheets read 0.08 and 13); float noise removed first."""
    scale = 10.0**digits
    scaled = round(value * scale, 6)
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / scale + 0.0


def shown_difference(value: float, reference: int) -> int:
    """``value`` as shown in whole homes, minus ``reference``: the difference a reader works out
    from the figures in a row (expected 50.5 shows as 51; 51 − 1,400 = −1,349, not the −1,350
    that rounding −1,349.5 would give)."""
    return whole(value) - reference


def signed(value: int) -> str:
    """A whole difference with its sign: ``+12``, ``−1,349`` / ``−1.349``."""
    return f"{'+' if value >= 0 else '−'}{integer(abs(value))}"


def decimal(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators: ``1,669.2`` / ``1.669,2``."""
    return _local(f"{_half_up(value, digits):,.{digits}f}")


def plain(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals, no thousands separator: ``78.5`` / ``78,5``."""
    return _local(f"{_half_up(value, digits):.{digits}f}")


def trimmed(value: float, digits: int, grouped: bool = False) -> str:
    """At most ``digits`` decimals, trailing zeros dropped: ``14.3``, ``0.2``, ``30``;
    ``grouped``: with thousands separators (``1,500.5``)."""
    text = f"{_half_up(value, digits):{',' if grouped else ''}.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _local(text)


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage: ``33%``, ``33.3%`` / ``33,3%``; ``–`` when there is none."""
    return DASH if value is None else _local(f"{_half_up(value * 100, digits):.{digits}f}%")


def euro(value: float) -> str:
    """An amount in euros: ``€1,228.07`` / ``€ 1.228,07`` (CLDR, through Babel)."""
    name = BABEL_LOCALES.get(current_language())
    if name is None:
        return f"€{value:,.2f}"
    from babel.numbers import format_currency

    return format_currency(value, "EUR", locale=name)


def date(value: datetime.date) -> str:
    """A date in prose: ``12 March 2025`` / ``12 maart 2025`` (CLDR, through Babel)."""
    name = BABEL_LOCALES.get(current_language())
    if name is None:
        return f"{value.day} {value:%B %Y}"
    from babel.dates import format_date

    return format_date(value, format="long", locale=name)
