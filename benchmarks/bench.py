"""Benchmark woonplan against the targets of issue 6, measuring whole processes.

Builds the data sets (10,000 and 100,000 generated plans in benchmarks/data/, git-ignored;
regenerated only when missing), then runs each command several times and compares medians:

- the floor: a plain Python script that only reads and parses the same files with PyYAML's
  CSafeLoader, one after the other;
- ``woonplan check DIR --format json`` and ``woonplan progress DIR --format json`` over 10,000
  plans: at most 1.5x the floor;
- ``woonplan check one-plan.yaml --format json``: at most 4x ``python -c "import yaml"``;
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


def woonplan_command() -> list[str]:
    """The installed ``woonplan`` entry point next to this Python, else ``python -m woonplan``."""
    script = Path(sys.executable).parent / "woonplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "woonplan"]


def run_once(command: Sequence[str], ok: Sequence[int] = (0,)) -> float:
    """Wall time of one run, in seconds; output goes to /dev/null."""
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stderr.decode()[-2000:]}"
        )
    return elapsed


def median_time(command: Sequence[str], runs: int, ok: Sequence[int] = (0,)) -> float:
    """Median wall time over ``runs`` runs, after one warm-up run (fills the page cache)."""
    run_once(command, ok)
    return statistics.median(run_once(command, ok) for _ in range(runs))


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
    import_yaml = median_time([sys.executable, "-c", "import yaml"], args.single_runs)
    single = median_time(
        [*woonplan, "check", str(one), "--format", "json", "--as-of", AS_OF],
        args.single_runs,
        (0, 1),
    )
    # The same in Dutch: the catalogue (.mo) is read, Babel is not imported (issue 15).
    single_nl = median_time(
        [*woonplan, "check", str(one), "--format", "json", "--as-of", AS_OF, "--lang", "nl"],
        args.single_runs,
        (0, 1),
    )

    rows = [
        (f"floor: parse {args.count:,} files (CSafeLoader)", floor, None, None),
        (f"woonplan check {args.count:,} --format json", check, check / floor, 1.5),
        (f"woonplan progress {args.count:,} --format json", progress, progress / floor, 1.5),
        ('python -c "import yaml"', import_yaml, None, None),
        ("woonplan check one-plan.yaml --format json", single, single / import_yaml, 4.0),
        ("  the same with --lang nl", single_nl, single_nl / import_yaml, 4.0),
    ]
    print(f"{'measurement':<48} {'median':>9} {'ratio':>7} {'target':>7}  result")
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
