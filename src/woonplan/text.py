"""Text helpers shared by every stage: one-line clipping and did-you-mean suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from woonplan.i18n import _

MAX_MESSAGE = 200
"""Text taken from the file into a message (a tag, a parser message) is cut to this length."""


def clip(text: object) -> str:
    """Text from a file as part of a one-line message: whitespace collapsed, length bounded."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


def did_you_mean(word: str, options: Iterable[str], fold_case: bool = False) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or ``""`` when none is close.

    ``fold_case``: an option equal but for case is the answer (``hilversum`` → ``Hilversum``).
    """
    options = list(options)
    if fold_case:
        for option in options:
            if option.casefold() == word.casefold():
                return " " + _("(did you mean {option}?)").format(option=repr(option))
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return " " + _("(did you mean {option}?)").format(option=repr(match[0])) if match else ""
