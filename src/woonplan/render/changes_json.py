"""``woonplan changes --format json``: the stable shape of SPEC.md (``Changes.as_dict``)."""

from __future__ import annotations

from woonplan.changes.compare import Changes
from woonplan.render import Style
from woonplan.render.jsontext import dumps


def render(changes: Changes, style: Style) -> str:
    """The changes as JSON text."""
    return dumps(changes.as_dict()) + "\n"
