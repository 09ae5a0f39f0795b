"""Benchmark woonplan against the targets of issue 6, measuring whole processes.

Builds the data sets (10,000 and 100,000 generated plans in benchmarks/data/, git-ignored;
regenerated only when missing), then runs each command several times and compares medians:

- the floor: a plain Python script that only reads and parses the same files with PyYAML's
  CSafeLoader, one after the other;
- ``woonplan check DIR --format json`` and ``woonplan progress DIR --format json`` over 10,000
  plans: at most 1.5x the floor;
- ``woonplan check one-plan.yaml --format json``: at most 4x ``python -c "import yaml"``;
- ``woonplan changes OLD NEW --format json`` between the 10,000 plans and a changed copy of them
  (a tenth delivered a year later, a twentieth back to initiative, 200 removed, 100 added):
  at most 2x the ``progress`` run above, both with two folders and with OLD read from a git
  revision (``old:plans`` in a repository whose working tree holds the changed copy);
- peak memory of ``woonplan progress`` over 100,000 plans: under 1 GiB. Measured as the largest
  proportional memory (Pss) of the process and its worker processes together, sampled from
  /proc every 50 ms, and as the largest single process (wait4's ru_maxrss); the higher counts.

Only the standard library is needed:

    python benchmarks/bench.py [--runs 5] [--skip-memory]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SEED = 2030
AS_OF = "2026"

FLOOR_SCRIPT = """\
import os, sys, yaml
for root, dirs, names in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(names):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def dataset(count: int) -> Path:
    """The folder with ``count`` generated plans; generated once (marker file holds the seed)."""
    folder = DATA / f"plans-{count}"
    marker = DATA / f"plans-{count}.done"
    if marker.exists() and marker.read_text() == f"{count} {SEED}\n":
        return folder
    print(f"generating {count:,} plans in {folder} ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    generate(folder, count, SEED)
    marker.write_text(f"{count} {SEED}\n")
    return folder


def changed_copy(plans: Path) -> Path:
    """A copy of ``plans`` as a later meeting would see it (generated once, deterministic)."""
    folder = DATA / f"{plans.name}-changed"
    marker = DATA / f"{plans.name}-changed.done"
    if marker.exists() and marker.read_text() == f"{SEED}\n":
        return folder
    print(f"writing a changed copy of {plans.name} in {folder} ...", flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    slip = re.compile(r"^  (\d{4}): ", flags=re.M)
    for index, path in enumerate(sorted(plans.iterdir())):
        text = path.read_text(encoding="utf-8")
        if index % 50 == 25:
            continue  # removed
        if index % 10 == 0:  # delivered a year later
            text = slip.sub(lambda m: f"  {int(m.group(1)) + 1}: ", text)
        if index % 20 == 5:  # back to the first phase
            text = re.sub(r"^phase: .*$", "phase: initiative", text, flags=re.M)
        (folder / path.name).write_text(text, encoding="utf-8")
        if index % 100 == 50:  # a new plan beside it
            stem = path.name.rsplit(".", 1)[0]
            text = text.replace(f"id: {stem}\n", f"id: {stem}-bis\n")
            (folder / f"{stem}-bis.yaml").write_text(text, encoding="utf-8")
    marker.write_text(f"{SEED}\n")
    return folder


def git_repository(old: Path, new: Path) -> Path | None:
    """A git repository with ``old`` committed as ``plans/`` (tag ``old``) and ``new`` in its
    working tree; None when git is not installed."""
    if shutil.which("git") is None:
        return None
    repo = DATA / f"{old.name}-repo"
    marker = DATA / f"{old.name}-repo.done"
    if marker.exists() and marker.read_text() == f"{SEED}\n":
        return repo
    print(f"building a git repository in {repo} ...", flush=True)
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    env = os.environ | {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)

    git("init", "-q")
    shutil.copytree(old, repo / "plans")
    git("add", "plans")
    git("commit", "-q", "-m", "old")
    git("tag", "old")
    shutil.rmtree(repo / "plans")
    shutil.copytree(new, repo / "plans")
    marker.write_text(f"{SEED}\n")
    return repo


def woonplan_command() -> list[str]:
    """The installed ``woonplan`` entry point next to this Python, else ``python -m woonplan``."""
    script = Path(sys.executable).parent / "woonplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "woonplan"]


def run_once(command: Sequence[str], ok: Sequence[int] = (0,), cwd: Path = ROOT) -> float:
    """Wall time of one run, in seconds; output goes to /dev/null."""
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}"
        )
    return elapsed


def median_time(
    command: Sequence[str], runs: int, ok: Sequence[int] = (0,), cwd: Path = ROOT
) -> float:
    """Median wall time over ``runs`` runs, after one warm-up run (fills the page cache)."""
    run_once(command, ok, cwd)
    return statistics.median(run_once(command, ok, cwd) for _ in range(runs))


def peak_memory(command: Sequence[str], ok: Sequence[int] = (0,)) -> tuple[int, int]:
    """(peak Pss of the process tree, largest single-process RSS), in bytes."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    tree_peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not stop.is_set():
            tree_peak = max(tree_peak, _tree_rss(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    # ru_maxrss of wait4 covers the child; its own children's peaks are in RUSAGE_CHILDREN of
    # the child, which getrusage cannot see from here, hence the sampled tree sum as well.
    single = usage.ru_maxrss * 1024
    return max(tree_peak, single), single


def _tree_rss(pid: int) -> int:
    """Memory of ``pid`` and all its descendants now, in bytes (Linux /proc).

    Proportional set size (Pss): pages that forked workers still share with the parent are
    counted once, not once per process as a sum of RSS would.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    family = {pid}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                changed = True
    total = 0
    for member in family:
        try:
            with open(f"/proc/{member}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def verdict(ratio: float, target: float) -> str:
    """PASS when ``ratio`` is at most ``target``."""
    return "PASS" if ratio <= target else "FAIL"


def main() -> None:
    """Build the data, run every measurement, print the figures and PASS/FAIL per target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--single-runs", type=int, default=20, help="runs for the one-plan check")
    parser.add_argument("--count", type=int, default=10_000, help="plans for the speed targets")
    parser.add_argument("--memory-count", type=int, default=100_000, help="plans for memory")
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory measurement")
    args = parser.parse_args()

    woonplan = woonplan_command()
    # An installed package has its bytecode compiled; an editable checkout may not (and with
    # PYTHONDONTWRITEBYTECODE never gets it), which would add compile time to every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    plans = dataset(args.count)
    one = sorted(plans.iterdir())[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    print(f"data: {args.count:,} plans in {plans.relative_to(ROOT)}; runs: {args.runs} (median)")
    print()

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(FLOOR_SCRIPT)
    floor_script = handle.name
    try:
        floor = median_time([sys.executable, floor_script, str(plans)], args.runs)
    finally:
        os.unlink(floor_script)
    check = median_time(
        [*woonplan, "check", str(plans), "--format", "json", "--as-of", AS_OF], args.runs, (0, 1)
    )
    progress = median_time(
        [*woonplan, "progress", str(plans), "--format", "json", "--as-of", AS_OF], args.runs
    )
    changed = changed_copy(plans)
    changes = median_time(
        [*woonplan, "changes", str(plans), str(changed), "--format", "json", "--as-of", AS_OF],
        args.runs,
    )
    repo = git_repository(plans, changed)
    changes_git = (
        None
        if repo is None
        else median_time(
            [*woonplan, "changes", "old:plans", "plans", "--format", "json", "--as-of", AS_OF],
            args.runs,
            cwd=repo,
        )
    )
    import_yaml = median_time([sys.executable, "-c", "import yaml"], args.single_runs)
    single = median_time(
        [*woonplan, "check", str(one), "--format", "json", "--as-of", AS_OF],
        args.single_runs,
        (0, 1),
    )

    rows = [
        (f"floor: parse {args.count:,} files (CSafeLoader)", floor, None, None),
        (f"woonplan check {args.count:,} --format json", check, check / floor, 1.5),
        (f"woonplan progress {args.count:,} --format json", progress, progress / floor, 1.5),
        (f"woonplan changes {args.count:,} vs changed copy", changes, changes / progress, 2.0),
    ]
    if changes_git is not None:
        rows.append(
            ("  the same, OLD read from git (old:plans)", changes_git, changes_git / progress, 2.0)
        )
    rows += [
        ('python -c "import yaml"', import_yaml, None, None),
        ("woonplan check one-plan.yaml --format json", single, single / import_yaml, 4.0),
    ]
    print(f"{'measurement':<48} {'median':>9} {'ratio':>7} {'target':>7}  result")
    print("(changes: ratio against the progress run, not the floor)")
    failed = False
    for name, seconds, ratio, target in rows:
        if ratio is None or target is None:
            print(f"{name:<48} {seconds:>8.3f}s")
            continue
        result = verdict(ratio, target)
        failed |= result == "FAIL"
        print(f"{name:<48} {seconds:>8.3f}s {ratio:>6.2f}x {target:>6.1f}x  {result}")

    if not args.skip_memory:
        big = dataset(args.memory_count)
        start = time.perf_counter()
        peak, single_peak = peak_memory(
            [*woonplan, "progress", str(big), "--format", "json", "--as-of", AS_OF]
        )
        elapsed = time.perf_counter() - start
        limit = 1024**3
        result = "PASS" if peak < limit else "FAIL"
        failed |= result == "FAIL"
        print(
            f"{f'woonplan progress {args.memory_count:,}: peak memory':<48} "
            f"{peak / 1024**2:>7.0f}MiB {'':>7} {'<1 GiB':>7}  {result}"
        )
        print(
            f"  (largest single process {single_peak / 1024**2:.0f} MiB; "
            f"wall time {elapsed:.1f}s, one run)"
        )
    print()
    print("all targets met" if not failed else "some targets NOT met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
