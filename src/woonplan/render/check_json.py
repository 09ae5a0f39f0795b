"""``woonplan check --format json``: the stable shape that CI scripts read (see README.md).

For many plans the entries are not kept in memory: each valid plan's entry is written as JSON
text where it is checked (:func:`slim`, in the worker processes), the parent puts that text
into a temporary file as each chunk of plans arrives (:class:`Spool`), and :func:`stream`
writes the document piece by piece from it. The entries cannot go straight to the output as
they arrive: an id used by a later file makes an earlier file invalid too, which is only
known once every file is checked (such an entry is written anew, from its report).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from json.encoder import encode_basestring
from typing import IO

from woonplan.checking.contract import about, plan_dict
from woonplan.checking.run import CheckReport, PlanReport
from woonplan.render import Style, jsontext


def render(report: CheckReport, style: Style) -> str:
    """The report as JSON text: ``jsontext.dumps(contract.as_dict(report))``, each plan's entry
    taken as :func:`slim` wrote it where it could be."""
    return "".join(stream(report))


def stream(report: CheckReport) -> Iterator[str]:
    """The text of :func:`render` in pieces (a plan's entry at a time), for writing as made."""
    yield '{\n  "plans": '
    if report.plans:
        yield "["
        for index, plan in enumerate(report.plans):
            yield (",\n    " if index else "\n    ") + _plan_text(plan)
        yield "\n  ]"
    else:
        yield "[]"
    parts = []
    for key, value in about(report).items():
        parts += [",\n  ", encode_basestring(key), ": ", jsontext.dumps_nested(value, 1)]
    parts.append("\n}\n")
    yield "".join(parts)


@dataclass(frozen=True, slots=True)
class PlanText:
    """A valid plan's entry in the JSON output, written where the plan was checked."""

    verdict: str
    text: str
    errors: int
    """How many errors the report had then: checking ids across files may add one."""


def slim(report: PlanReport) -> PlanReport:
    """A valid plan's report with its result replaced by its JSON text (applied in the worker
    processes): the parent then holds text, not every plan's models, for 100,000 plans."""
    if report.result is None or not report.valid:
        return report
    text = PlanText(report.verdict, jsontext.dumps_nested(plan_dict(report), 2), len(report.errors))
    return replace(report, result=None, findings=(), kept=text)


IN_MEMORY = 500
"""Entries kept in memory before a :class:`Spool` starts its file (one plan: no file at all)."""


class Spool:
    """A temporary file that holds the plans' entries, so that the parent process does not
    (100,000 plans: hundreds of MB of text); removed when closed or collected. The first
    :data:`IN_MEMORY` entries stay in memory."""

    def __init__(self) -> None:
        self.kept = 0
        self._file: IO[bytes] | None = None
        self.size = 0
        self.position = 0
        """Where the file is: at ``size`` while entries are added, after the last one read."""

    @property
    def file(self) -> IO[bytes]:
        """The file, made when the first entry goes into it."""
        if self._file is None:
            import tempfile  # only for many plans: one plan must start fast

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the report
        return self._file

    def keep(self, report: PlanReport) -> PlanReport:
        """``report`` with the entry :func:`slim` made moved into this file (in the parent, as
        each report arrives: the file's end is where the next entry goes)."""
        kept = report.kept
        if not isinstance(kept, PlanText):
            return report
        self.kept += 1
        if self.kept <= IN_MEMORY:
            return report
        data = kept.text.encode("utf-8", "surrogatepass")
        if self.position != self.size:
            self.file.seek(self.size)
        self.file.write(data)
        spooled = SpooledText(kept.verdict, self, self.size, len(data), kept.errors)
        self.size += len(data)
        self.position = self.size
        return replace(report, kept=spooled)

    def read(self, offset: int, size: int) -> str:
        """The entry at ``offset`` (read in file order, the file is read straight through)."""
        if self.position != offset:
            self.file.seek(offset)
        data = self.file.read(size)
        self.position = offset + len(data)
        return data.decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class SpooledText:
    """A valid plan's entry, as :class:`PlanText`, kept in a :class:`Spool`."""

    verdict: str
    spool: Spool
    offset: int
    size: int
    errors: int


def _plan_text(report: PlanReport) -> str:
    kept = report.kept
    if isinstance(kept, PlanText) and kept.errors == len(report.errors):
        return kept.text
    if isinstance(kept, SpooledText) and kept.errors == len(report.errors):
        return kept.spool.read(kept.offset, kept.size)
    return jsontext.dumps_nested(plan_dict(report), 2)
