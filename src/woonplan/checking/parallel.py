"""Checking many plan files on all CPU cores, with the same results in the same order.

Each file is checked on its own (:func:`woonplan.checking.run.check_file`), so the files can be
spread over worker processes. Workers are forked, so they share the already loaded criteria
and imported modules without loading them again; they check consecutive chunks of the file
list and send the reports back pickled. The compiled criteria that every result points to are
sent as their index, so the parent's reports point at the parent's own criteria, exactly as
when checking in one process. Ids used twice are found afterwards, over all files, by the
caller. Where ``fork`` is not available (Windows, macOS default), files are checked in one
process.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import signal
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from woonplan.checking.criteria import CompiledCriterion, Criteria
from woonplan.checking.run import (
    PARALLEL_FILES,
    ChunkChecker,
    PlanReport,
    Slim,
    check_paths_in_order,
)

MIN_FILES = PARALLEL_FILES

CHUNK_FILES = 250
"""Files per task: large enough to amortise the round trip, small enough to balance load."""

# Set in the parent before the workers fork; workers read them, the parent uses them to
# turn criterion indexes back into its own criteria objects.
_FILES: Sequence[Any] | Names = ()
_CRITERIA: Criteria | None = None
_AS_OF = 0
_CHECK: ChunkChecker = check_paths_in_order
_SLIM: Slim | None = None


def worker_count(files: int) -> int:
    """How many processes to use for ``files`` plan files (1: check them in this process)."""
    if files < MIN_FILES or sys.platform != "linux":
        return 1
    import multiprocessing  # only now: one plan file must start fast

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # pragma: no cover
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, files // (MIN_FILES // 2)))


def check_files_parallel(
    files: Sequence[Any],
    criteria: Criteria,
    as_of: int,
    workers: int,
    check_chunk: ChunkChecker = check_paths_in_order,
    slim: Slim | None = None,
    keep: Slim | None = None,
) -> list[PlanReport]:
    """``[check_file(f, criteria, as_of) for f in files]``, computed by ``workers`` processes
    (each report passed through ``slim`` in the worker, when given, and through ``keep`` in
    this process as its chunk arrives).

    ``check_chunk`` checks a run of other sources (git blobs) instead, in a worker.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FILES, _CRITERIA, _AS_OF, _CHECK, _SLIM
    # The workers read file names from one string, not from the list of Path objects:
    # touching those (reference counts) would copy their memory pages into every worker.
    if isinstance(files, Names):  # already one string (check_paths, many files)
        _FILES = files
    else:
        names = check_chunk is check_paths_in_order and all(isinstance(f, Path) for f in files)
        _FILES = Names(files) if names else files
    _CRITERIA, _AS_OF, _CHECK, _SLIM = criteria, as_of, check_chunk, slim
    chunks = [(i, min(i + CHUNK_FILES, len(files))) for i in range(0, len(files), CHUNK_FILES)]
    reports: list[PlanReport] = []
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        ) as pool:
            for data in pool.map(_check_chunk, chunks):
                chunk = pickle.loads(data)
                reports.extend(chunk if keep is None else map(keep, chunk))
    finally:
        _FILES, _CRITERIA, _AS_OF, _CHECK, _SLIM = (), None, 0, check_paths_in_order, None
    return reports


def _start_worker(parent: int) -> None:
    """In a new worker: die with the parent, leave signals to it, and let go of its stdout.

    Killed with ``kill -9``, the parent cannot stop its workers; without this they would stay
    blocked on their pipe, holding the caller's stdout open (a ``$(woonplan check)`` would
    never return). ``PR_SET_PDEATHSIG`` has the kernel send them SIGKILL when it dies; the
    parent's pid is checked after setting it, in case it died before.
    """
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)  # the parent is already gone
    # Ctrl-C reaches the whole process group: the parent handles it and its workers end
    # with it, instead of each printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Results go through pipes; a worker never writes to stdout, so it need not hold it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _die_with_parent() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (Linux; workers are only used there)."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc/musl: the check remains
        pass


def _check_chunk(chunk: tuple[int, int]) -> bytes:
    """In a worker: check ``_FILES[start:end]``, pickled with criteria sent by index."""
    assert _CRITERIA is not None
    start, end = chunk
    sources = _FILES.paths(start, end) if isinstance(_FILES, Names) else _FILES[start:end]
    reports = _CHECK(sources, _CRITERIA, _AS_OF)
    if _SLIM is not None:
        reports = [_SLIM(report) for report in reports]
    index = {id(c): i for i, c in enumerate(_CRITERIA.criteria)}

    def by_index(criterion: CompiledCriterion) -> tuple[Any, tuple[int]]:
        return _shared_criterion, (index[id(criterion)],)

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {CompiledCriterion: by_index}
    pickler.dump(reports)
    return buffer.getvalue()


class Names:
    """File names in one string, for worker processes to read without touching the Paths."""

    def __init__(self, files: Sequence[Path]) -> None:
        names = [str(f) for f in files]
        self.text = "\0".join(names)
        self.starts = array("q", [0])
        for name in names:
            self.starts.append(self.starts[-1] + len(name) + 1)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def paths(self, start: int, end: int) -> list[Path]:
        """The files ``start`` to ``end`` (exclusive), as Paths."""
        text = self.text[self.starts[start] : self.starts[end] - 1]
        return [Path(name) for name in text.split("\0")] if end > start else []


def _shared_criterion(index: int) -> CompiledCriterion:
    """In the parent, while unpickling: the parent's own criterion number ``index``."""
    assert _CRITERIA is not None
    return _CRITERIA.criteria[index]
