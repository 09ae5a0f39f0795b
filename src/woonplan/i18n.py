"""Text for people in the run's language: one translation function for every message.

``_("...")`` marks a message for translation (gettext style, so a translator works with
ordinary ``.po`` tools); placeholders are named and filled with ``str.format`` after
translation: ``_("{count} plans").format(count=n)``. The catalogue is loaded only when a
language other than English is chosen, so a plain run pays nothing for it.

The run's language is chosen in one place, :func:`resolve_language`: ``--lang``, else the
environment variable ``WOONPLAN_LANG``, else ``region.language`` in criteria.yaml, else English.
Catalogues live in ``locales/<lang>/LC_MESSAGES/woonplan.po`` (the source a translator edits)
with the compiled ``woonplan.mo`` beside it (what is read at run time); see CONTRIBUTING.md.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
ENV = "WOONPLAN_LANG"
"""The environment variable that chooses the language when ``--lang`` is not given."""
DOMAIN = "woonplan"
LOCALES = Path(__file__).resolve().parent / "locales"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language: Language = "en"


class LanguageError(ValueError):
    """An unknown language in ``WOONPLAN_LANG``."""


def _(message: str) -> str:
    """``message`` in the run's language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it yet (module-level tables
    whose entries are translated where they are shown, with :func:`_`)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the run's language."""
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the run's language, where the same English word needs another
    translation in ``context`` (``pgettext("criterion", "target")``: streefwaarde, not opgave)."""
    return _translations.pgettext(context, message)


def title(text: str) -> str:
    """A title written in criteria.yaml, in the run's language where the catalogue has it (the
    packaged region's titles, :data:`woonplan.checking.criteria.BUNDLED_TITLES`); any other
    title as written."""
    return _translations.gettext(text) if text else text


def set_language(language: Language) -> None:
    """Translate from now on into ``language``; English reads no file at all."""
    global _translations, _language
    if language == _language:
        return
    if language == "en":
        _translations = gettext.NullTranslations()
    else:
        mo = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with mo.open("rb") as file:
            _translations = gettext.GNUTranslations(file)
    _language = language


@contextmanager
def in_language(language: Language) -> Iterator[None]:
    """Translate into ``language`` for the duration of a ``with`` block, then as before."""
    before = _language
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


def current_language() -> Language:
    """The language text is translated into now."""
    return _language


def resolve_language(option: Language | None, region: Language | None = None) -> Language:
    """The run's language: ``--lang`` (``option``), else ``WOONPLAN_LANG``, else the region's
    ``language`` from criteria.yaml, else English. Raises :class:`LanguageError` for an unknown
    ``WOONPLAN_LANG``."""
    if option is not None:
        return option
    env = os.environ.get(ENV, "").strip()
    if env:
        for language in LANGUAGES:
            if env.lower() == language:
                return language
        raise LanguageError(f"{ENV}={env!r}: unknown language (use one of: {', '.join(LANGUAGES)})")
    return region if region is not None else "en"
