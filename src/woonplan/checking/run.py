"""Checking plan files: find them, load, validate and score each, and find ids used twice.

This is the library behind ``woonplan check`` and ``woonplan progress``; it returns a
:class:`CheckReport` and never prints.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from woonplan.checking.criteria import Criteria
from woonplan.checking.metrics import METRIC_PATHS, figure_path
from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import Plan
from woonplan.checking.plan_rules import data_warnings, partial_plan_problems, plan_problems
from woonplan.checking.scoring import VERDICTS, PlanResult, evaluate
from woonplan.problems import Level, Problem
from woonplan.reading.source import Document, load_file

SUFFIXES = (".yaml", ".yml")
NO_SUCH_PATH = "no such file or folder"
PARALLEL_FILES = 500
"""Below this many files, starting worker processes costs more than it saves."""


@dataclass(frozen=True)
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
        return self.result.verdict if self.result and self.valid else "invalid"


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


def find_plan_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Every plan file named or below a named folder (sorted), and problems with the paths.

    Inside a folder, symbolic links are never followed, and an entry named like a plan file
    that is a link, FIFO, socket or device is a problem, not opened (docs/security.md): a pull
    request could otherwise add ``plans/x.yaml -> ~/.ssh/...`` and have CI print bits of it, or
    a FIFO that blocks the run. A path named on the command line is followed: the user chose it.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found, trouble = _walk(path)
            files.extend(found)
            problems.extend(trouble)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "", NO_SUCH_PATH, "no-such-path"))
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    found: list[Path] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        name = str(exc.filename or folder)
        problems.append(
            Problem(name, 0, 0, "", f"cannot read folder: {exc.strerror or exc}", "unreadable")
        )

    # followlinks=False: a symlinked folder (or a loop of them) is not descended into
    for root, dirs, names in os.walk(folder, followlinks=False, onerror=unreadable):
        visible = sorted(d for d in dirs if not d.startswith("."))
        dirs[:] = [d for d in visible if not os.path.islink(os.path.join(root, d))]
        for name in visible:
            if name not in dirs:
                problems.append(_not_followed(Path(root, name), "a link to a folder"))
        for name in names:
            if not name.endswith(SUFFIXES) or name.startswith("."):
                continue
            path = Path(root, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                problems.append(
                    Problem(str(path), 0, 0, "", f"cannot read file: {exc.strerror}", "unreadable")
                )
                continue
            if stat.S_ISLNK(mode):
                problems.append(_not_followed(path, "a symbolic link"))
            elif not stat.S_ISREG(mode):
                problems.append(Problem(str(path), 0, 0, "", "not a regular file", "not-a-file"))
            else:
                found.append(path)
    problems.sort(key=lambda p: p.file)
    return sorted(found, key=lambda p: p.parts), problems  # same order, without Path.__lt__


def _not_followed(path: Path, what: str) -> Problem:
    return Problem(
        str(path), 0, 0, "", f"{what}; links inside a plans folder are not followed", "link"
    )


def check_file(path: Path, criteria: Criteria, as_of: int) -> PlanReport:
    """Load, validate and score one plan file."""
    display = str(path)
    doc = load_file(path, display)
    if doc.problems and doc.node is None:  # not parsed at all: nothing more to check
        return PlanReport(display, None, errors=tuple(doc.problems))
    # Parsed, perhaps with duplicate keys: still validate, so that every error is reported.
    plan, schema_errors = validate_model(Plan, doc)
    plan_id = plan.id if plan else _raw_id(doc)
    stem = path.name.rsplit(".", 1)[0]
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
        warnings=tuple(data_warnings(plan, doc, as_of)),
        result=result,
        findings=tuple(_findings(result, doc)),
    )


def check_paths(paths: Sequence[Path], criteria: Criteria, as_of: int) -> CheckReport:
    """Check every plan file in ``paths``; ids used by more than one file are errors."""
    files, problems = find_plan_files(paths)
    # A file named twice (`plans/ plans/x.yaml`) is one plan, not an id used by two files.
    if len(paths) > 1:  # one folder's walk cannot list a file twice (links are not followed)
        files = _unique(files)
    reports = check_files(files, criteria, as_of)
    missing = [
        PlanReport(p.file, None, errors=(p,), missing=p.message == NO_SUCH_PATH) for p in problems
    ]
    return CheckReport(tuple(missing + mark_duplicate_ids(reports)), criteria, as_of)


def check_files(files: Sequence[Path], criteria: Criteria, as_of: int) -> list[PlanReport]:
    """``check_file`` on every file, in order; many files are spread over the CPU cores."""
    if len(files) >= PARALLEL_FILES:  # imported only then: one plan file must start fast
        from woonplan.checking import parallel

        workers = parallel.worker_count(len(files))
        if workers > 1:
            return parallel.check_files_parallel(files, criteria, as_of, workers)
    return [check_file(f, criteria, as_of) for f in files]


def _unique(files: Iterable[Path]) -> list[Path]:
    seen: set[str] = set()
    out: list[Path] = []
    for file in files:
        key = os.path.realpath(file)  # not Path.resolve: that raises on a symlink loop
        if key not in seen:
            seen.add(key)
            out.append(file)
    return out


def mark_duplicate_ids(reports: Iterable[PlanReport]) -> list[PlanReport]:
    """Make every file whose plan id another file also uses invalid, naming the other files."""
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
            message = f"id {plan_id!r} is also used by {others}"
            problem = Problem(report.file, *_id_position(report), "id", message, "duplicate-id")
            reports[index] = replace(
                report, errors=(*report.errors, problem), result=None, findings=()
            )
    return reports


def _id_position(report: PlanReport) -> tuple[int, int]:
    """Where the id is written: the file is read again, as reports keep no node trees."""
    placed = load_file(Path(report.file), report.file).problem(("id",), "", "duplicate-id")
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
        severity = "required, " if spec.required else ""
        text = f"{spec.title} ({spec.id}, {severity}{item.status}): {item.message}"
        level: Level = "error" if item.status == "fail" and spec.required else "warning"
        out.append(doc.problem(path, text, spec.id, level))
    return out


def _raw_id(doc: Document) -> str | None:
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return None
