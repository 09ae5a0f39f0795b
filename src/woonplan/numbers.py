"""Numbers, amounts and dates for people, in the run's language: one formatter for every view.

English keeps the forms woonplan has always printed (``7,000``, ``33.3%``), written with
Python's own format specifications, so an English run imports nothing more. Other languages
take their forms from the Unicode CLDR through Babel (``7.000``, ``1.669,2``, ``33,3%``,
``€ 1.228,07``, ``12 maart 2025``) rather than hand-written separators: Babel is imported
only when a number is formatted in such a language, so a run that prints JSON never loads it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from woonplan.i18n import current_language
from woonplan.progress.rounding import whole

if TYPE_CHECKING:
    from babel import Locale

LOCALES = {"nl": "nl_NL"}
DASH = "–"
"""What stands in for a figure that does not exist (a share of nothing)."""


def _locale() -> Locale | None:
    """Babel's locale for the run's language; ``None`` for English (Python's own forms)."""
    name = LOCALES.get(current_language())
    if name is None:
        return None
    from babel import Locale

    return Locale.parse(name)


def integer(value: int) -> str:
    """A whole number with thousands separators: ``7,000`` / ``7.000``."""
    locale = _locale()
    if locale is None:
        return f"{value:,}"
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0", locale=locale)


def homes(value: float) -> str:
    """Whole homes with thousands separators (halves rounded up, as in the JSON)."""
    return integer(whole(value))


def decimal(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals and thousands separators: ``1,669.2`` / ``1.669,2``."""
    locale = _locale()
    if locale is None:
        return f"{value:,.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale, decimal_quantization=True)


def plain(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals and no thousands separator: ``78.5`` / ``78,5``."""
    locale = _locale()
    if locale is None:
        return f"{value:.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale, group_separator=False)


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage: ``33%``, ``33.3%`` / ``33,3%``; ``–`` when there is none."""
    if value is None:
        return DASH
    locale = _locale()
    if locale is None:
        return f"{value * 100:.{digits}f}%"
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=pattern, locale=locale)


def euro(value: float) -> str:
    """An amount in euros: ``€1,228.07`` / ``€ 1.228,07``."""
    locale = _locale()
    if locale is None:
        return f"€{value:,.2f}"
    from babel.numbers import format_currency

    return format_currency(value, "EUR", locale=locale)


def date(value: datetime.date) -> str:
    """A date in prose: ``12 March 2025`` / ``12 maart 2025``."""
    locale = _locale()
    if locale is None:
        return f"{value.day} {value:%B %Y}"
    from babel.dates import format_date

    return format_date(value, format="long", locale=locale)
