"""The seam between the report and ``woonplan changes`` (``report --since OLD``).

The report shows the changes as the plain data of ``woonplan changes --format json``; this
module is the one place that asks the changes package for them, imported only when
``--since`` is given. Where the package is missing (a build without ``woonplan changes``),
:class:`ChangesUnavailable` says so and the command exits 2.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from woonplan.checking.criteria import Criteria
from woonplan.i18n import _
from woonplan.problems import WoonplanError


class ChangesUnavailable(WoonplanError):
    """This build has no ``woonplan.changes`` package."""


def changes_since(old: str, new: Sequence[Path], criteria: Criteria, as_of: int) -> dict[str, Any]:
    """The changes from ``old`` (a folder or ``REV:PATH``) to the plans in ``new``, as the JSON
    of ``woonplan changes`` shapes them. Errors of the changes package (an unknown revision, a
    side that cannot be read) propagate as :class:`~woonplan.problems.WoonplanError`."""
    try:
        changes = importlib.import_module("woonplan.changes")
    except ImportError:
        raise ChangesUnavailable(
            _("--since needs 'woonplan changes', which this build of woonplan lacks")
        ) from None
    # MERGE SEAM (issue 14): the changes package's entry point; its result has as_dict() with
    # the JSON shape of SPEC.md "Changes between two snapshots".
    result = changes.compare(old, list(new), criteria, as_of)
    data: dict[str, Any] = result.as_dict()
    return data
