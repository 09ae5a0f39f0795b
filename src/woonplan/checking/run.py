"""Checking plan files: find them, load, validate and score each, and find ids used twice.

This is the library behind ``woonplan check`` and ``woonplan progress``; it returns a
:class:`CheckReport` and never prints.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from woonplan.checking.criteria import Criteria
from woonplan.checking.metrics import METRIC_PATHS, figure_path
from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import Plan
from woonplan.checking.plan_rules import (
    data_warnings,
    partial_plan_problems,
    plan_problems,
    price_warnings,
)
from woonplan.checking.scoring import VERDICTS, PlanResult, blocks, evaluate
from woonplan.i18n import _, title
from woonplan.problems import Level, Problem
from woonplan.reading.plan_files import find_plan_files
from woonplan.reading.source import Document, load_file

PARALLEL_FILES = 500
"""Below this many files, starting worker processes costs more than it saves."""


class Kept(Protocol):
    """What a caller kept of a valid plan's result instead of the result itself, to save
    memory over many plans (``progress``: the plan's part of the figures)."""

    @property
    def verdict(self) -> str:
        """The plan's verdict: pass | warn | fail | not_reviewed."""


Slim = Callable[["PlanReport"], "PlanReport"]
"""Applied to each plan's report where it is made (in a worker process for many files)."""


@dataclass(frozen=True, slots=True)  # slots: one per plan file, 100,000 in a large run
class PlanReport:
    """What checking one file found: its plan (if valid), problems, and score."""

    file: str
    plan_id: str | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    result: PlanResult | None = None
    findings: tuple[Problem, ...] = ()
    """Criteria that fail, warn or error, placed at the figure in the file they are about."""
    missing: bool = False
    """True for a path named on the command line that does not exist (not a plan file)."""
    kept: Kept | None = None
    """What a :data:`Slim` function kept of ``result``, which it then dropped."""

    @property
    def valid(self) -> bool:
        """True when the file is a valid plan."""
        return not self.errors

    @property
    def plan(self) -> Plan | None:
        """The validated plan, if any."""
        return self.result.plan if self.result else None

    @property
    def verdict(self) -> str:
        """pass | warn | fail | not_reviewed | invalid."""
        if not self.valid:
            return "invalid"
        if self.result is not None:
            return self.result.verdict
        return self.kept.verdict if self.kept is not None else "invalid"


@dataclass(frozen=True)
class CheckReport:
    """The result of checking a set of plan files."""

    plans: tuple[PlanReport, ...]
    criteria: Criteria
    as_of: int

    def summary(self) -> dict[str, int]:
        """Counts of plans by verdict, as in the JSON output."""
        counts = {"plans": len(self.plans), "invalid": 0} | {v: 0 for v in VERDICTS}
        for report in self.plans:
            counts[report.verdict] += 1
        return counts

    def exit_code(self, strict: bool = False) -> int:
        """0 all good; 1 a required criterion failed (``strict``: anything warned); 2 invalid."""
        verdicts = [p.verdict for p in self.plans]
        if "invalid" in verdicts:
            return 2
        warned = "warn" in verdicts or any(p.warnings for p in self.plans)
        return 1 if "fail" in verdicts or (strict and warned) else 0

    @property
    def input_files(self) -> list[str]:
        """Every plan file read, and the criteria file when one was named or found."""
        criteria = self.criteria.path
        return [p.file for p in self.plans] + ([str(criteria)] if criteria else [])

    def restricted_to(self, files: set[str]) -> CheckReport:
        """The report of only the plan files in ``files`` (real paths), and missing paths.

        For ``check --changed-since``: every plan was validated together (ids unique across
        the whole set), but only the changed files are reported and decide the exit code.
        """
        kept = tuple(p for p in self.plans if p.missing or os.path.realpath(p.file) in files)
        return replace(self, plans=kept)

    @property
    def valid_results(self) -> list[PlanResult]:
        """Results of the valid plans, in file order."""
        return [p.result for p in self.plans if p.valid and p.result is not None]


def check_file(path: Path, criteria: Criteria, as_of: int) -> PlanReport:
    """Load, validate and score one plan file."""
    return check_document(load_file(path, str(path)), path.name, criteria, as_of)


def check_document(doc: Document, name: str, criteria: Criteria, as_of: int) -> PlanReport:
    """Validate and score one loaded plan file; ``name`` is its file name (the id's stem).

    What :func:`check_file` does after reading; also for plan files read from elsewhere
    (a git revision: :mod:`woonplan.changes.snapshot`).
    """
    display = doc.file
    if doc.problems and doc.node is None:  # not parsed at all: nothing more to check
        return PlanReport(display, None, errors=tuple(doc.problems))
    # Parsed, perhaps with duplicate keys: still validate, so that every error is reported.
    plan, schema_errors = validate_model(Plan, doc)
    plan_id = plan.id if plan else _raw_id(doc)
    stem = name.rsplit(".", 1)[0]
    # Where a key is duplicated, which value counts is a guess: no rule judges that field.
    unsure = [*doc.problems, *schema_errors]
    rules = (
        plan_problems(plan, doc, criteria.region, criteria.ids, stem)
        if plan is not None and not unsure
        else partial_plan_problems(doc, criteria.region, criteria.ids, stem, unsure)
    )
    errors = [*doc.problems, *schema_errors, *rules]
    if errors or plan is None:
        errors.sort(key=lambda p: (p.line, p.column))  # file order, for the reader
        return PlanReport(display, plan_id, errors=tuple(errors))
    result = evaluate(plan, criteria)
    return PlanReport(
        display,
        plan.id,
        warnings=(
            *data_warnings(plan, doc, as_of),
            *price_warnings(plan, doc, criteria.region),
        ),
        result=result,
        findings=tuple(_findings(result, doc)),
    )


def check_paths(
    paths: Sequence[Path],
    criteria: Criteria,
    as_of: int,
    slim: Slim | None = None,
    keep: Slim | None = None,
) -> CheckReport:
    """Check every plan file in ``paths``; ids used by more than one file are errors.

    ``slim``, if given, is applied to every plan's report as soon as it is made, so that what
    it drops never reaches the caller (or leaves a worker process); ``keep`` in this process,
    to each report as it arrives, in file order (e.g. to move its text into a file).
    """
    found, problems = find_plan_files(paths)
    # A file named twice (`plans/ plans/x.yaml`) is one plan, not an id used by two files.
    if len(paths) > 1:  # one folder's walk cannot list a file twice (links are not followed)
        found = _unique(found)
    files: Any = found  # a list of Paths, or parallel.Names
    if len(found) >= PARALLEL_FILES:
        from woonplan.checking.parallel import Names

        # the names in one string for the rest of the run: 100,000 Path objects are 52 MiB
        files = Names(found)
        del found
    reports = check_files(files, criteria, as_of, slim=slim, keep=keep)
    missing = [
        PlanReport(p.file, None, errors=(p,), missing=p.code == "no-such-path") for p in problems
    ]
    return CheckReport(tuple(missing + mark_duplicate_ids(reports)), criteria, as_of)


ChunkChecker = Callable[[Sequence[Any], Criteria, int], list[PlanReport]]
"""Checks a run of plan sources (paths, or git blobs) in order: one report per source."""


def check_paths_in_order(files: Sequence[Path], criteria: Criteria, as_of: int) -> list[PlanReport]:
    """``check_file`` on every file, in this process."""
    return [check_file(f, criteria, as_of) for f in files]


def check_files(
    files: Sequence[Any],
    criteria: Criteria,
    as_of: int,
    check_chunk: ChunkChecker = check_paths_in_order,
    slim: Slim | None = None,
    keep: Slim | None = None,
) -> list[PlanReport]:
    """``check_file`` on every file, in order; many files are spread over the CPU cores.

    ``check_chunk`` checks other sources than paths (git blobs), a run of them at a time;
    ``slim``, if given, is applied to every report where it is made; ``keep`` in this process,
    to each report in order as it arrives.
    """
    if len(files) >= PARALLEL_FILES:  # imported only then: one plan file must start fast
        from woonplan.checking import parallel

        workers = parallel.worker_count(len(files))
        if workers > 1:
            return parallel.check_files_parallel(
                files, criteria, as_of, workers, check_chunk, slim, keep
            )
        if isinstance(files, parallel.Names):  # one core: the names as Paths again
            files = files.paths(0, len(files))
    reports = check_chunk(files, criteria, as_of)
    if slim is not None:
        reports = [slim(report) for report in reports]
    if keep is not None:
        reports = [keep(report) for report in reports]
    return reports


def _unique(files: Iterable[Path]) -> list[Path]:
    seen: set[str] = set()
    out: list[Path] = []
    for file in files:
        key = os.path.realpath(file)  # not Path.resolve: that raises on a symlink loop
        if key not in seen:
            seen.add(key)
            out.append(file)
    return out


def mark_duplicate_ids(
    reports: Iterable[PlanReport], reload: Callable[[str], Document] | None = None
) -> list[PlanReport]:
    """Make every file whose plan id another file also uses invalid, naming the other files.

    ``reload`` reads a file again by its name, to place the error at its id (default: from disk).
    """
    reports = list(reports)
    by_id: dict[str, list[int]] = defaultdict(list)
    for index, report in enumerate(reports):
        if report.plan_id is not None:
            by_id[report.plan_id].append(index)
    for plan_id, indexes in by_id.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            report = reports[index]
            others = ", ".join(reports[i].file for i in indexes if i != index)
            message = _("id {id} is also used by {others}").format(id=repr(plan_id), others=others)
            line, column = _id_position(report, reload)
            problem = Problem(report.file, line, column, "id", message, "duplicate-id")
            reports[index] = replace(
                report, errors=(*report.errors, problem), result=None, findings=()
            )
    return reports


def _id_position(report: PlanReport, reload: Callable[[str], Document] | None) -> tuple[int, int]:
    """Where the id is written: the file is read again, as reports keep no node trees."""
    doc = reload(report.file) if reload else load_file(Path(report.file), report.file)
    placed = doc.problem(("id",), "", "duplicate-id")
    return placed.line, placed.column


def _findings(result: PlanResult, doc: Document) -> list[Problem]:
    out = []
    for item in result.criteria:
        if item.status not in ("fail", "warn", "error"):
            continue
        spec = item.criterion.spec
        if spec.metric:
            path = METRIC_PATHS.get(spec.metric, ("homes",))
        else:
            names = item.criterion.expression.names if item.criterion.expression else frozenset()
            path = figure_path(names)
        severity = _("required, ") if spec.required else ""
        status = _(item.status)  # the status words are in the catalogue (render.labels.STATUSES)
        text = f"{title(spec.title)} ({spec.id}, {severity}{status}): {item.message}"
        level: Level = "error" if blocks(item) else "warning"
        out.append(doc.problem(path, text, spec.id, level))
    return out


def _raw_id(doc: Document) -> str | None:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return None
