"""Text helpers shared by every stage: text from files shown safely, one-line clipping and
did-you-mean suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MAX_MESSAGE = 200
"""Text taken from the file into a message (a tag, a parser message) is cut to this length."""

MAX_SHOWN = 2000
"""Any one piece of text from a file (a name, a path, a message) is shown at most this long."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach a terminal or a CI log as itself: C0 controls (newline, ESC), DEL,
C1 controls (U+009B is a one-byte CSI), line and paragraph separators, bidi overrides, and
lone surrogates (a file name that is not UTF-8 holds them; they cannot even be printed)."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def shown(text: object, limit: int = MAX_SHOWN) -> str:
    """Text from a file as people and CI logs see it: one line, no control characters.

    Newlines, tabs, ESC, C1 controls and the like are written escaped (``\\n``, ``\\x1b``,
    ``\\u009b``), so a name or key cannot start a new line (``::error::...`` in a CI log) or
    drive a terminal; beyond ``limit`` characters the text is cut with ``...``. Only the first
    ``limit`` characters are looked at, so a huge value costs nothing. JSON output keeps the raw
    text (JSON escapes it itself).
    """
    raw = str(text)
    head = raw[:limit]
    if not head.isprintable():  # fast path: nearly all text is printable
        head = _CONTROL.sub(_escape, head)
    return head if len(raw) <= limit else head + "..."


def clip(text: object, limit: int = MAX_MESSAGE) -> str:
    """Text from a file as part of a one-line message: whitespace collapsed, length bounded.

    Only a bounded prefix is looked at (a 1 GiB cell or a key of 50,000 spaces costs as much as
    a short one), and control characters that are not whitespace are escaped as in :func:`shown`.
    """
    raw = str(text)
    head = raw[: 4 * limit]
    flat = " ".join(head.split())
    if not flat.isprintable():
        flat = _CONTROL.sub(_escape, flat)
    if len(flat) <= limit and len(raw) == len(head):
        return flat
    return flat[: limit - 3] + "..."


def did_you_mean(word: str, options: Iterable[str], fold_case: bool = False) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or ``""`` when none is close.

    ``fold_case``: an option equal but for case is the answer (``hilversum`` → ``Hilversum``).
    """
    if len(word) > MAX_MESSAGE:
        # difflib is quadratic in the length, and a word this long cannot be close (ratio
        # >= 0.6) to any name woonplan knows: they are all far shorter.
        return ""
    options = list(options)
    if fold_case:
        for option in options:
            if option.casefold() == word.casefold():
                return f" (did you mean {option!r}?)"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
