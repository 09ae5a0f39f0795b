"""The seam between the report and ``woonplan changes`` (``report --since OLD``).

The report shows the changes as the plain data of ``woonplan changes --format json``; this
module is the one place that asks the changes package for them, imported only when
``--since`` is given. The new side is the report's own checked plans (not read twice); the old
side is read as ``woonplan changes`` reads it. Where the package is missing (a build without
``woonplan changes``), :class:`ChangesUnavailable` says so and the command exits 2.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from woonplan.checking.run import CheckReport
from woonplan.i18n import _
from woonplan.problems import Problem, WoonplanError


class ChangesUnavailable(WoonplanError):
    """This build has no ``woonplan.changes`` package."""


@dataclass(frozen=True)
class Since:
    """The changes since OLD, and what reading OLD found."""

    changes: dict[str, Any]
    """The JSON shape of SPEC.md, "Changes between two snapshots"."""
    input_files: list[str]
    """The files read on the old side (no output may replace one)."""
    problems: list[Problem]
    """Errors of the old side's invalid files (left out of the figures, as in ``changes``)."""


def changes_since(old: str, new: CheckReport, new_label: str) -> Since:
    """The changes from ``old`` (a folder or ``REV:PATH``) to the checked plans ``new``.

    Raises :class:`ChangesUnavailable`, or the changes package's own error (a
    :class:`~woonplan.problems.WoonplanError`) when OLD cannot be read at all.
    """
    try:
        snapshot = importlib.import_module("woonplan.changes.snapshot")
        compare = importlib.import_module("woonplan.changes.compare")
    except ImportError:
        raise ChangesUnavailable(
            _("--since needs 'woonplan changes', which this build of woonplan lacks")
        ) from None
    before = snapshot.read_snapshot(old, new.criteria, new.as_of)
    after = snapshot.Snapshot(new_label, new)
    result = compare.compare(before, after, new.criteria.region, new.as_of)
    data: dict[str, Any] = result.as_dict()
    problems = [e for p in before.report.plans if not p.valid for e in p.errors]
    return Since(data, list(before.report.input_files), problems)
