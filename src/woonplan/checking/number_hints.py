"""What a number typed the Dutch or the spreadsheet way was read as, and what to write instead.

``1.650`` is one point six five to YAML (a Dutch thousands dot), ``1,650`` and ``1.150,50``
stay text; each gets a message that says what was read and the digits to write.
"""

from __future__ import annotations

import re
from typing import Any

from woonplan.i18n import N_, _
from woonplan.numbers import plain_digits

THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
"""``1.650``: a Dutch thousands separator, which YAML reads as a decimal point."""
_COMMA_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_DUTCH_AMOUNT = re.compile(r"[-+]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]{1,2}")
"""``1.150,50``: an amount written the Dutch way, thousands dot and decimal comma (a text)."""


def separated_number(value: Any, kind: str) -> str | None:
    """What to write for a number typed with separators that YAML keeps as text: ``1650`` for
    ``1,650`` (any number field), ``1150.50`` for ``1.150,50`` (a number that may have
    decimals, such as a rent). None for anything else."""
    if not isinstance(value, str) or kind not in NUMBER_KINDS:
        return None
    text = value.strip()
    if _COMMA_THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    if kind.startswith("float") and _DUTCH_AMOUNT.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    return None


NUMBER_KINDS = ("int_type", "int_parsing", "float_type", "float_parsing")
"""pydantic's error kinds for a value that is not the number its field needs."""
_UNITS = {"walking_distance_m": N_("metres"), "floor_area_m2": N_("square metres")}
"""Whole-number fields with a unit, named in the message."""


def whole_number_hint(written: str | None, value: float | str, field: str) -> str | None:
    """What to say when a whole-number field holds a decimal, in the words of what was written.

    ``1.650`` is one point six five in YAML (and a Dutch way to write 1650): the message says
    what was read and what to write. Other decimals get the plain "whole number" message.
    """
    text = written if written is not None else str(value)
    unit = _UNITS.get(field)
    if THOUSANDS.fullmatch(text.strip()):
        digits = text.strip().replace(".", "")
        if isinstance(value, str):  # quoted, or a text cell in the workbook
            if unit:
                return _("{text!r} is text, not a number; write whole {unit}: {digits}").format(
                    text=value, unit=_(unit), digits=digits
                )
            return _("must be a whole number (got {text!r}); did you mean {digits}?").format(
                text=value, digits=digits
            )
        if unit:
            return _("{text} is read as {read}; write whole {unit}: {digits}").format(
                text=text.strip(), read=plain_digits(repr(value)), unit=_(unit), digits=digits
            )
        return _("must be a whole number: {text} is read as {read}; did you mean {digits}?").format(
            text=text.strip(), read=plain_digits(repr(value)), digits=digits
        )
    if unit and isinstance(value, float):
        return _("must be whole {unit} (got {value})").format(unit=_(unit), value=text)
    return None


def thousands_text_hint(value: str) -> str:
    """``'405.000'`` as text where a number with decimals belongs (a price in a workbook)."""
    message = _("{text!r} is text, not a number; write {digits}, without a thousands separator")
    return message.format(text=value, digits=value.strip().replace(".", ""))


def thousands_dot_hint(written: str, euros: bool = False) -> str | None:
    """For a number written ``395.000`` (a Dutch thousands dot, a decimal point to YAML): what
    was read and what to write (``euros``: an amount of money); None when it is written
    otherwise."""
    text = written.strip()
    if not THOUSANDS.fullmatch(text):
        return None
    template = (
        _(
            "{text} is read as {read} euros (YAML reads the dot as a decimal point); "
            "write {digits}, without a thousands separator"
        )
        if euros
        else _(
            "{text} is read as {read} (YAML reads the dot as a decimal point); "
            "write {digits}, without a thousands separator"
        )
    )
    read = plain_digits(repr(float(text)).removesuffix(".0"))
    return template.format(text=text, read=read, digits=text.replace(".", ""))
