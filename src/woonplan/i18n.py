"""Text for people in the run's language: one translation function for every message.

``_("...")`` marks a message for translation (gettext style, so a translator works with
ordinary ``.po`` tools); placeholders are named and filled with ``str.format`` after
translation: ``_("{count} plans").format(count=n)``. The catalogue is loaded only when a
language other than English is chosen, so a plain run pays nothing for it.
"""

from __future__ import annotations

import gettext

_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the run's language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the run's language."""
    return _translations.ngettext(singular, plural, count)
