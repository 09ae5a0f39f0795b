"""One side of ``woonplan changes``: the plans of a folder, or of a git revision (``REV:PATH``).

How a side is read (README.md, docs/changes.md): a path that exists is a folder (or a file),
read as ``woonplan check`` reads it. Otherwise text with a ``:`` is ``REV:PATH``, split at the
first ``:`` outside ``{}`` as git splits it (``main~3:plans``, ``bo-2026-09:plans``, a sha).
PATH is as git reads it: from the top of the repository, or from the current folder when
written ``./plans``; the repository is the one the current folder is in.

A revision is read straight from git's objects, never checked out: ``git ls-tree`` lists the
files, one ``git cat-file --batch`` process streams their bytes, and neither touches the
working tree or the index. The bytes go through the same limits and parser as a file on disk
(1 MiB, UTF-8, no NUL bytes, the bounded YAML loader; :func:`~woonplan.reading.source.
load_bytes`), a file larger than the limit is refused from its size in the listing without
being read, and a link or a submodule named like a plan file is reported, not followed.
Git is run with an argument list, never through a shell. Positions in problems name the
revision as given: ``bo-2026-09:plans/x.yaml:12:5``.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from woonplan.changes.git_process import Watchdog, feed, git_env
from woonplan.checking.criteria import Criteria
from woonplan.checking.run import (
    CheckReport,
    PlanReport,
    check_document,
    check_files,
    check_paths,
    mark_duplicate_ids,
)
from woonplan.i18n import _
from woonplan.numbers import integer
from woonplan.problems import Problem, WoonplanError
from woonplan.reading.plan_files import SUFFIXES
from woonplan.reading.source import MAX_FILE_BYTES, Document, load_bytes
from woonplan.text import clip

MODE_LINK = b"120000"
GIT_TIMEOUT = 60
"""Seconds a git call may take (as ``check --changed-since``): a git that hangs (a partial
clone fetching from a remote that does not answer) is given up on, not waited for forever.
For the ``cat-file --batch`` stream: the seconds without a next object."""


class SnapshotError(WoonplanError):
    """A side that cannot be read at all: no git, no repository, an unknown revision or path."""


@dataclass(frozen=True)
class Snapshot:
    """One side: the label as the user gave it, and every plan file on it checked."""

    label: str
    report: CheckReport
    revision: str | None = None
    """The git revision as given (``bo-2026-09``), or None for a folder."""

    @property
    def invalid(self) -> list[PlanReport]:
        """The files on this side that are not valid plans."""
        return [p for p in self.report.plans if not p.valid]


@dataclass(frozen=True, slots=True)
class Blob:
    """A plan file in a git tree: its name for messages, its file name, object id and size,
    and its path inside PATH (which pairs it with the other side's file in ``changes``)."""

    display: str
    name: str
    oid: str
    size: int
    path: str = ""


def read_snapshot(side: str, criteria: Criteria, as_of: int) -> Snapshot:
    """Read and check one side; raises :class:`SnapshotError` when it cannot be read at all."""
    path = Path(side)
    if path.exists() or path.is_symlink():
        return Snapshot(side, check_paths([path], criteria, as_of))
    revision, inside = split_revision(side)
    tree = GitTree.open(side, revision, inside)
    return Snapshot(side, tree.check(criteria, as_of), revision)


def split_revision(side: str) -> tuple[str, str]:
    """``REV:PATH`` as (REV, PATH), split at the first ``:`` outside ``{}`` (as git does)."""
    depth = 0
    for index, char in enumerate(side):
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        elif char == ":" and not depth:
            revision, inside = side[:index], side[index + 1 :]
            break
    else:
        raise SnapshotError(
            _(
                "{side}: no such file or folder (a git revision is written REV:PATH, "
                "e.g. main:plans)"
            ).format(side=side)
        )
    if not revision:
        raise SnapshotError(
            _("{side}: no git revision before ':' (write REV:PATH, e.g. main:plans)").format(
                side=side
            )
        )
    if revision.startswith("-") or any(c in side for c in "\n\r\0"):
        raise SnapshotError(_("{side}: not a git revision").format(side=side))
    return revision, inside


class GitTree:
    """The plan files under PATH in one git revision, read from git's objects."""

    def __init__(self, git: str, side: str, blobs: list[Blob], problems: list[PlanReport]):
        self.git = git
        self.side = side
        self.blobs = blobs
        self.problems = problems
        """Files named like plan files that are not read: links, submodules, too large."""

    @classmethod
    def open(cls, side: str, revision: str, inside: str) -> GitTree:
        """Find REV:PATH in the repository of the current folder and list its plan files."""
        git = shutil.which("git")
        if git is None:
            raise SnapshotError(
                _("{side}: reading a git revision needs git, and git is not on PATH").format(
                    side=side
                )
            )
        probe = _run(git, side, ["rev-parse", "--git-dir"])
        if probe.returncode != 0:
            reason = clip(probe.stderr.decode("utf-8", "replace"))
            if "not a git repository" in reason or not reason:
                raise SnapshotError(
                    _(
                        "{side}: not in a git repository (run woonplan inside the plans "
                        "repository, or compare two folders)"
                    ).format(side=side)
                )
            # e.g. "detected dubious ownership" in a container: git's own words say what to do
            raise SnapshotError(
                _("{side}: git cannot use the repository here: {reason}").format(
                    side=side, reason=reason
                )
            )
        found = _run(git, side, ["rev-parse", "--verify", "--quiet", f"{revision}^{{tree}}"])
        if found.returncode != 0 or not found.stdout.strip():
            raise SnapshotError(
                _("{side}: unknown git revision {revision!r}").format(side=side, revision=revision)
            )
        tree = found.stdout.decode("ascii", "replace").strip()
        # The tree or file at PATH; batch-check reads a `./` path from the current folder too.
        what = _run(git, side, ["cat-file", "--batch-check"], f"{tree}:{inside}\n".encode())
        fields = what.stdout.decode("utf-8", "replace").split()
        # A missing PATH is answered "<tree>:PATH missing": a PATH ending " blob" or " tree"
        # would split into three fields, so the object must be a hex id and the size digits.
        if (
            what.returncode != 0
            or len(fields) != 3
            or fields[1] not in ("tree", "blob")
            or not _is_oid(fields[0])
            or not fields[2].isdigit()
        ):
            raise SnapshotError(
                _("{side}: {path!r} is not in git revision {revision!r}").format(
                    side=side, path=inside, revision=revision
                )
            )
        oid, kind, size = fields
        if kind == "blob":  # REV:plans/x.yaml, one file
            name = inside.rstrip("/").rsplit("/", 1)[-1]
            if _is_link(git, side, tree, inside):
                message = _("a symbolic link; links inside a plans folder are not followed")
                return cls(git, side, [], [_unread(side, message, "link")])
            if int(size) > MAX_FILE_BYTES:
                return cls(git, side, [], [_too_large(side, int(size))])
            return cls(git, side, [Blob(side, name, oid, int(size), name)], [])
        prefix = f"{revision}:" + (inside.rstrip("/") + "/" if inside.strip("/") else "")
        listing = _run(git, side, ["ls-tree", "--full-tree", "-r", "-z", "-l", oid])
        if listing.returncode != 0:
            raise SnapshotError(
                _("{side}: git cannot list the files of {path!r}").format(side=side, path=inside)
            )
        blobs, problems = _plan_files(listing.stdout, prefix)
        return cls(git, side, blobs, problems)

    def check(self, criteria: Criteria, as_of: int) -> CheckReport:
        """Every plan file checked, as ``check_paths`` checks a folder (ids used twice too)."""
        reports = check_files(self.blobs, criteria, as_of, self.check_blobs)
        return CheckReport(
            tuple(self.problems + mark_duplicate_ids(reports, self.reload)), criteria, as_of
        )

    def check_blobs(
        self, blobs: Sequence[Blob], criteria: Criteria, as_of: int
    ) -> list[PlanReport]:
        """Check a run of blobs in order, streamed from one ``git cat-file --batch``."""
        return [
            check_document(load_bytes(raw, blob.display), blob.name, criteria, as_of)
            for blob, raw in zip(blobs, self._read([b.oid for b in blobs]), strict=True)
        ]

    def reload(self, display: str) -> Document:
        """One blob again by its name (to place an error at its id)."""
        blob = next(b for b in self.blobs if b.display == display)
        [raw] = list(self._read([blob.oid]))
        return load_bytes(raw, display)

    def _read(self, oids: Sequence[str]) -> Iterator[bytes]:
        """The bytes of each object, in order (at most 1 MiB + 1 of each)."""
        if not oids:
            return
        try:
            process = subprocess.Popen(
                [self.git, "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_env(),
                # its own process group, killed whole on a timeout: a child of git (a fetch
                # of a partial clone, a wrapper's sleep) would hold the pipe open after git
                start_new_session=True,
            )
        except OSError as exc:
            raise SnapshotError(_git_failed(self.side, exc)) from None
        assert process.stdin is not None and process.stdout is not None
        watchdog = Watchdog(process, GIT_TIMEOUT)
        # Written from a thread: git answers while it reads, and both pipes have a limit.
        feeder = threading.Thread(target=feed, args=(process.stdin, oids), daemon=True)
        feeder.start()
        try:
            for oid in oids:
                try:
                    raw = _read_object(process.stdout, oid, self.side)
                except SnapshotError:
                    if watchdog.fired:
                        raise SnapshotError(_took_too_long(self.side)) from None
                    raise
                if watchdog.fired:  # killed while the object was read: cut short
                    raise SnapshotError(_took_too_long(self.side))
                yield raw
                watchdog.answered()  # the time the reader took is not git's
        finally:
            process.stdout.close()
            feeder.join()
            process.wait()
            watchdog.stop()


def _read_object(stdout: IO[bytes], oid: str, side: str) -> bytes:
    """One ``<oid> blob <size>`` answer of ``git cat-file --batch`` and its bytes."""
    header = stdout.readline().split()
    if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
        raise SnapshotError(_("{side}: git cannot read object {oid}").format(side=side, oid=oid))
    size = int(header[2])
    data = stdout.read(min(size, MAX_FILE_BYTES + 1))
    left = size - len(data)
    while left > 0:  # never kept: refused as too large from the part that was read
        chunk = stdout.read(min(left, 1 << 16))
        if not chunk:
            break
        left -= len(chunk)
    stdout.read(1)  # the newline after the object
    return data


def _plan_files(listing: bytes, prefix: str) -> tuple[list[Blob], list[PlanReport]]:
    """Plan files in ``git ls-tree -r -z -l`` output, sorted as a folder's are, and problems.

    Hidden files and folders are skipped, as in a folder; a link or submodule named like a
    plan file is a problem, never followed; a file over the size limit is refused unread.
    """
    found: list[tuple[tuple[str, ...], Blob]] = []
    problems: list[PlanReport] = []
    for record in listing.split(b"\0"):
        meta, tab, raw_path = record.partition(b"\t")
        if not tab:
            continue
        fields = meta.split()
        if len(fields) != 4:
            continue
        mode, kind, oid, size = fields
        path = raw_path.decode("utf-8", "backslashreplace")
        parts = tuple(path.split("/"))
        name = parts[-1]
        if not name.endswith(SUFFIXES) or any(p.startswith(".") for p in parts):
            continue
        display = prefix + path
        if mode == MODE_LINK:
            message = _("a symbolic link; links inside a plans folder are not followed")
            problems.append(_unread(display, message, "link"))
        elif kind != b"blob" or not size.isdigit():
            problems.append(_unread(display, _("not a regular file"), "not-a-file"))
        elif int(size) > MAX_FILE_BYTES:
            problems.append(_too_large(display, int(size)))
        else:
            found.append((parts, Blob(display, name, oid.decode("ascii"), int(size), path)))
    found.sort(key=lambda item: item[0])
    problems.sort(key=lambda p: p.file)
    return [blob for _parts, blob in found], problems


def _is_link(git: str, side: str, tree: str, inside: str) -> bool:
    """Whether the file at PATH is a symbolic link: its mode in its folder's listing.

    ``cat-file`` gives a link as a blob (its target as text); git 2.39 cannot say its mode.
    The folder is PATH up to its last ``/``, kept with it, so that ``./`` reads as git reads it.
    """
    cut = inside.rfind("/") + 1
    folder, name = inside[:cut], inside[cut:].encode("utf-8", "surrogateescape")
    what = _run(git, side, ["cat-file", "--batch-check"], f"{tree}:{folder}\n".encode())
    fields = what.stdout.split()
    if what.returncode != 0 or len(fields) != 3 or fields[1] != b"tree":
        return False
    listing = _run(
        git, side, ["ls-tree", "--full-tree", "-z", fields[0].decode("ascii", "replace")]
    )
    for record in listing.stdout.split(b"\0"):
        meta, _tab, entry = record.partition(b"\t")
        if entry == name:
            return meta.split()[:1] == [MODE_LINK]
    return False


def _is_oid(text: str) -> bool:
    """A full object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits."""
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _unread(display: str, message: str, code: str) -> PlanReport:
    return PlanReport(display, None, errors=(Problem(display, 0, 0, "", message, code),))


def _too_large(display: str, size: int) -> PlanReport:
    message = _("file is too large ({size} bytes; the limit is 1 MiB)").format(size=integer(size))
    return _unread(display, message, "too-large")


def _run(
    git: str, side: str, args: list[str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [git, *args],
            input=stdin,
            capture_output=True,
            env=git_env(),
            check=False,
            timeout=GIT_TIMEOUT,  # run kills git and waits for it alone
        )
    except subprocess.TimeoutExpired:
        raise SnapshotError(_took_too_long(side)) from None
    except OSError as exc:
        raise SnapshotError(_git_failed(side, exc)) from None


def _took_too_long(side: str) -> str:
    return _("{side}: git took longer than {seconds} s").format(side=side, seconds=GIT_TIMEOUT)


def _git_failed(side: str, exc: OSError) -> str:
    return _("{side}: cannot run git ({reason})").format(side=side, reason=exc.strerror or exc)
