"""``woonplan progress --format json``: the stable shape of :mod:`woonplan.progress.contract`."""

from __future__ import annotations

import json

from woonplan.progress.contract import as_dict
from woonplan.progress.region import RegionProgress
from woonplan.render import Style


def render(progress: RegionProgress, style: Style) -> str:
    """The progress as JSON text."""
    return json.dumps(as_dict(progress), indent=2, ensure_ascii=False) + "\n"
