"""Signals and worker processes (issue 11, defects 17-19; docs/security.md, "Files, paths,
outputs, signals"): Ctrl-C and SIGTERM while the workbook is written end with 130 and 143, no
traceback and no temporary file; ``kill -9`` of a parallel check leaves no worker behind and
releases the caller's stdout.

Each test runs the real command as a child process, with bounded waits, and kills whatever it
started (by pid) before it ends.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

WAIT_S = 30.0
"""Generous bound for anything a test waits for (the runs take about a second)."""

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc: Linux")

ROOT = Path(__file__).resolve().parents[2]
"""The repository. Not imported from ``conftest``: should a ``tests/hostile/conftest.py`` ever
exist, pytest would import it as ``conftest`` in place of ``tests/conftest.py``."""
CRITERIA = ROOT / "criteria.yaml"


def plan_yaml(plan_id: str, notes: str = "") -> str:
    extra = f'notes: "{notes}"\n' if notes else ""
    return (
        f"id: {plan_id}\nname: Plan {plan_id}\nmunicipality: Hilversum\nphase: adopted\n"
        "homes:\n  social_rent: 40\n  free_buy: 60\ndelivery:\n  2027: 100\n" + extra
    )


def start(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "woonplan", *args, "--criteria", str(CRITERIA)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts; any still running at the end are killed."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT_S)


def wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


@pytest.fixture(scope="module")
def heavy_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 plans with long notes: ``progress --xlsx`` spends about a second saving."""
    folder = tmp_path_factory.mktemp("heavy") / "plans"
    folder.mkdir()
    words = " ".join(f"woning{n}" for n in range(3_000))  # ~30 KB per plan
    for n in range(300):
        (folder / f"plan-{n}.yaml").write_text(plan_yaml(f"plan-{n}", words), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["ctrl-c", "sigterm"],
)
def test_a_signal_while_the_workbook_is_saved_ends_cleanly(
    heavy_plans: Path,
    tmp_path: Path,
    started: list[subprocess.Popen[bytes]],
    signum: int,
    code: int,
) -> None:
    # Before: Ctrl-C printed "Exception ignored in: <function ZipFile.__del__ ...>" with a
    # traceback; SIGTERM killed the run and left the ~3 MB hidden temporary file behind.
    out = tmp_path / "out"
    out.mkdir()
    process = start("progress", str(heavy_plans), "--xlsx", "progress.xlsx", cwd=out)
    started.append(process)
    wait_for(lambda: any(out.glob(".progress.xlsx.*.tmp")), "the temporary workbook")
    time.sleep(0.01)  # inside the save, which takes about a second
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=WAIT_S)
    assert process.returncode == code, stderr.decode()
    assert stderr == b"", stderr.decode()  # no traceback, no "Exception ignored"
    assert list(out.iterdir()) == []  # neither a temporary file nor a half workbook


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_9_of_a_parallel_check_leaves_no_worker_and_releases_stdout(
    tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    # Before: the forked workers stayed alive, blocked on their pipe, holding the caller's
    # stdout open, so `out=$(woonplan check plans)` never returned.
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: the check runs in one process")
    plans = tmp_path / "plans"
    plans.mkdir()
    for n in range(3_000):  # 500 files or more are checked by workers (two per 250 files)
        (plans / f"plan-{n}.yaml").write_text(plan_yaml(f"plan-{n}"), encoding="utf-8")
    process = start("check", str(plans), cwd=tmp_path)
    started.append(process)
    workers: list[int] = []

    def forked() -> bool:
        workers[:] = children(process.pid)
        return len(workers) >= 2

    try:
        wait_for(forked, "the worker processes")
        time.sleep(0.1)  # the workers are busy checking
        process.kill()
        process.wait(WAIT_S)
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], WAIT_S)
        assert ready, "stdout still held open after the main process was killed"
        assert os.read(process.stdout.fileno(), 1 << 16) == b""  # end of file: nobody holds it
        wait_for(lambda: not any(alive(w) for w in workers), "the workers to end")
    finally:
        for worker in workers:
            if alive(worker):
                os.kill(worker, signal.SIGKILL)
