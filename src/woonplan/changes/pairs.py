"""Both sides of ``woonplan changes`` read and checked together, each shared file checked once.

Most files are the same on both sides of a comparison. A file at the same path inside both
sides, with the same text, gives the same check result on both (same criteria, same as-of
year, same file name): it is checked once and its report reused for the other side, with that
side's name for the file in the report and in every problem. The files are checked in pairs
(old, new) by the worker processes, which read both and compare them; two git blobs with the
same object id are not even compared. Ids used twice are found per side afterwards, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from woonplan.changes.snapshot import Blob, GitTree, Snapshot, split_revision
from woonplan.checking.criteria import Criteria
from woonplan.checking.run import (
    CheckReport,
    PlanReport,
    check_document,
    check_files,
    mark_duplicate_ids,
)
from woonplan.problems import Problem
from woonplan.progress.contributions import contribution
from woonplan.reading.plan_files import find_plan_files
from woonplan.reading.source import Document, decode_text, parse_text, read_text


@dataclass(frozen=True)
class _Side:
    """One side, listed but not yet checked."""

    label: str
    sources: list[Path | Blob]
    paths: list[str]
    """Each source's path inside the side, which pairs it with the other side's file."""
    unread: list[PlanReport]
    """Paths that do not exist, links, files too large: reported before the checked files."""
    tree: GitTree | None = None
    revision: str | None = None

    @property
    def reload(self) -> Callable[[str], Document] | None:
        return self.tree.reload if self.tree is not None else None


@dataclass(frozen=True, slots=True)
class _Pair:
    """A file of the old side, of the new side, or of both (at the same path)."""

    old: Path | Blob | None
    new: Path | Blob | None
    trees: tuple[GitTree | None, GitTree | None]
    """The sides' git trees (to read blobs), the same tuple in every pair."""


def read_snapshots(old: str, new: str, criteria: Criteria, as_of: int) -> tuple[Snapshot, Snapshot]:
    """Read and check both sides (as :func:`~woonplan.changes.snapshot.read_snapshot` reads
    each), checking a file that is the same on both sides once."""
    sides = (_open(old), _open(new))
    where = {path: index for index, path in enumerate(sides[1].paths)}
    trees = (sides[0].tree, sides[1].tree)
    pairs: list[_Pair] = []
    paired: set[int] = set()
    for source, path in zip(sides[0].sources, sides[0].paths, strict=True):
        index = where.get(path)
        if index is not None:
            paired.add(index)
        pairs.append(_Pair(source, None if index is None else sides[1].sources[index], trees))
    pairs += [_Pair(None, s, trees) for i, s in enumerate(sides[1].sources) if i not in paired]
    reports = iter(check_files(pairs, criteria, as_of, _check_pairs))
    by_source: list[dict[int, PlanReport]] = [{}, {}]
    for pair in pairs:
        for number, either in enumerate((pair.old, pair.new)):
            if either is not None:
                by_source[number][id(either)] = next(reports)
    snapshots = []
    for side, found in zip(sides, by_source, strict=True):
        checked = [found[id(source)] for source in side.sources]
        report = CheckReport(
            tuple(side.unread + mark_duplicate_ids(checked, side.reload)), criteria, as_of
        )
        snapshots.append(Snapshot(side.label, report, side.revision))
    return snapshots[0], snapshots[1]


def _open(side: str) -> _Side:
    """List one side's plan files (a folder, a file, or ``REV:PATH``)."""
    path = Path(side)
    if path.exists() or path.is_symlink():
        files, problems = find_plan_files([path])
        unread = [
            PlanReport(p.file, None, errors=(p,), missing=p.code == "no-such-path")
            for p in problems
        ]
        return _Side(side, list(files), [_inside(path, f) for f in files], unread)
    revision, inside = split_revision(side)
    tree = GitTree.open(side, revision, inside)
    return _Side(
        side, list(tree.blobs), [b.path for b in tree.blobs], tree.problems, tree, revision
    )


def _inside(root: Path, file: Path) -> str:
    """``file``'s path inside the side ``root`` (its name when the side is one file)."""
    if file == root:
        return file.name
    try:
        return file.relative_to(root).as_posix()
    except ValueError:  # pragma: no cover - find_plan_files lists files under root
        return str(file)


def _check_pairs(pairs: Sequence[_Pair], criteria: Criteria, as_of: int) -> list[PlanReport]:
    """Check a run of pairs: the old file's report, then the new file's, for each pair."""
    texts = [_Texts(pairs, 0), _Texts(pairs, 1)]
    out: list[PlanReport] = []
    for pair in pairs:
        old_text, old_problem = texts[0].next(pair.old)
        if pair.old is not None:
            out.append(_check(pair.old, old_text, old_problem, criteria, as_of))
        if pair.new is None:
            continue
        if _same_blob(pair.old, pair.new):
            out.append(_renamed(out[-1], _display(pair.new)))
            continue
        new_text, new_problem = texts[1].next(pair.new)
        if pair.old is not None and old_text is not None and new_text == old_text:
            out.append(_renamed(out[-1], _display(pair.new)))
        else:
            out.append(_check(pair.new, new_text, new_problem, criteria, as_of))
    return out


class _Texts:
    """The text of one side's files in a run of pairs; a git side's blobs are streamed from
    one ``git cat-file`` (a new blob the same as its old one is not read)."""

    def __init__(self, pairs: Sequence[_Pair], side: int) -> None:
        blobs = []
        tree = None
        for pair in pairs:
            source = (pair.old, pair.new)[side]
            if isinstance(source, Blob) and not (side and _same_blob(pair.old, source)):
                blobs.append(source)
                tree = pair.trees[side]
        self.raw: Iterator[bytes] = iter(())
        if tree is not None:
            self.raw = tree._read([b.oid for b in blobs])

    def next(self, source: Path | Blob | None) -> tuple[str | None, Problem | None]:
        if source is None:
            return None, None
        if isinstance(source, Blob):
            return decode_text(next(self.raw), source.display)
        return read_text(source, str(source))


def _same_blob(old: Path | Blob | None, new: Path | Blob | None) -> bool:
    return isinstance(old, Blob) and isinstance(new, Blob) and old.oid == new.oid


def _display(source: Path | Blob) -> str:
    return source.display if isinstance(source, Blob) else str(source)


def _check(
    source: Path | Blob,
    text: str | None,
    problem: Problem | None,
    criteria: Criteria,
    as_of: int,
) -> PlanReport:
    display = _display(source)
    if text is None:
        doc = Document(display, problems=[problem] if problem else [])
    else:
        doc = parse_text(text, display)
    report = check_document(doc, source.name, criteria, as_of)
    if not report.valid or report.result is None:
        return report
    # the plan's part of the figures, made here (in a worker); warnings and findings,
    # which changes does not show, are not sent back
    region = criteria.region
    period = (region.period.start, region.period.end)
    kept = contribution(report.result, region.price_limits, period)
    return replace(report, warnings=(), findings=(), kept=kept)


def _renamed(report: PlanReport, display: str) -> PlanReport:
    """``report`` of the same text under another name: the file and every problem renamed."""

    def moved(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
        return tuple(replace(p, file=display) if p.file == report.file else p for p in problems)

    return replace(
        report,
        file=display,
        errors=moved(report.errors),
        warnings=moved(report.warnings),
        findings=moved(report.findings),
    )
