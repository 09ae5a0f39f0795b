"""Benchmark woonplan against the targets of issues 6 and 17, measuring whole processes.

Builds the data sets (1,000, 10,000 and 100,000 generated plans in benchmarks/data/,
git-ignored; regenerated only when missing), then, for each size, runs every command and
prints one table: median wall time, the ratio to the floor measured in the same run (paired:
the machine may be shared), and the targets:

- the floor: a plain Python script that only reads and parses the same files with PyYAML's
  CSafeLoader, one after the other;
- ``check --format json`` and ``progress --format json``: at most 1.5x the floor (10,000);
- ``check`` (the default table): at most 1.3x ``check --format json``; markdown shown too;
- ``progress --xlsx``: at most 2x ``progress --format json``; the progress table shown too;
- ``changes`` and ``report``, when this woonplan has them (rows for them are in COMMANDS);
- at 10,000 plans, ``changes OLD NEW --format json`` between the plans and a changed copy of
  them (a tenth delivered a year later, a twentieth back to initiative, 200 removed, 100
  added): at most 2x ``progress --format json``, both with two folders and with OLD read from
  a git revision (``old:plans`` in a repository whose working tree holds the changed copy);
- ``check one-plan.yaml --format json``: at most 7.5x ``python -c "import yaml"``;
- peak memory at 100,000 plans: ``progress`` at most 250 MB, ``check --format json`` at most
  800 MB. Measured as the largest proportional memory (Pss) of the process and its worker
  processes together, sampled from /proc every 50 ms, and as the largest single process
  (wait4's ru_maxrss); the higher counts. Peaks are measured for every row of every size.

Only the standard library is needed:

    python benchmarks/bench.py                 # 1k, 10k (median of 3) and 100k (one run)
    python benchmarks/bench.py --quick         # 1k and 10k, one run each
    python benchmarks/bench.py --sizes 10000 --runs 5
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
from dataclasses import dataclass
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
    write_changed_copy(plans, folder)
    marker.write_text(f"{SEED}\n")
    return folder


def write_changed_copy(plans: Path, folder: Path) -> None:
    """Write into the new ``folder`` the plans of ``plans`` with a tenth delivered a year
    later, a twentieth back to initiative, every 50th removed and every 100th beside a new one."""
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


@dataclass(frozen=True)
class Command:
    """One row: ``woonplan *args DIR``, its target ratio against ``against``, a memory limit."""

    name: str
    args: tuple[str, ...]
    against: str | None = None
    """"floor" or the name of another row; None: shown without a target."""
    target: float | None = None
    memory_mib: float | None = None
    """Peak memory limit at 100,000 plans, in MiB."""
    needs: str | None = None
    """A woonplan subcommand that must exist for this row to run."""


COMMANDS = (
    Command("check json", ("check", "{dir}", "--format", "json"), "floor", 1.5, 800 / 1.048576),
    Command("check table", ("check", "{dir}"), "check json", 1.3),
    Command("check markdown", ("check", "{dir}", "--format", "markdown"), "check json"),
    Command(
        "progress json", ("progress", "{dir}", "--format", "json"), "floor", 1.5, 250 / 1.048576
    ),
    Command("progress table", ("progress", "{dir}"), "progress json"),
    Command(
        "progress xlsx",
        ("progress", "{dir}", "--format", "json", "--xlsx", "{tmp}/bench.xlsx"),
        "progress json",
        2.0,
    ),
    # issue 17 asks for these rows too; they run once woonplan has the commands
    Command("changes", ("changes", "{dir}", "{dir}", "--format", "json"), "floor", needs="changes"),
    Command("report", ("report", "{dir}", "--html", "{tmp}/bench.html"), "floor", needs="report"),
)


def changed_rows(woonplan: list[str], plans: Path, runs: int, progress: float) -> bool:
    """``changes`` between ``plans`` and a changed copy, from two folders and from git, each
    against the ``progress`` run (target 2x); True when a target is missed."""
    if not has_command(woonplan, "changes"):
        return False
    failed = False
    changed = changed_copy(plans)
    repo = git_repository(plans, changed)
    cases = [("changes vs changed copy", [str(plans), str(changed)], ROOT)]
    if repo is not None:
        cases.append(("  the same, OLD from git", ["old:plans", "plans"], repo))
    for name, args, cwd in cases:
        command = [*woonplan, "changes", *args, "--format", "json", "--as-of", AS_OF]
        seconds = median_time(command, runs, cwd=cwd)
        result = verdict(seconds / progress, 2.0)
        failed |= result == "FAIL"
        ratio = seconds / progress
        print(f"{name:<26} {seconds:>7.2f}s {'':>9} {ratio:>5.2f}x progre  2.0x  {result}")
    return failed


def has_command(woonplan: list[str], name: str) -> bool:
    """True when ``woonplan name --help`` exits 0."""
    done = subprocess.run([*woonplan, name, "--help"], capture_output=True, check=False)
    return done.returncode == 0


def sizes_of(folder: Path) -> str:
    """The plan files' sizes: median and 10th-90th percentile, in bytes."""
    sizes = sorted(p.stat().st_size for p in folder.iterdir())
    pick = lambda q: sizes[min(len(sizes) - 1, int(q * len(sizes)))]  # noqa: E731
    return f"plan files {pick(0.5)} bytes median, {pick(0.1)}-{pick(0.9)} (10th-90th percentile)"


def measure(command: Sequence[str], runs: int, ok: Sequence[int]) -> tuple[float, int]:
    """(median wall time, peak memory in bytes) over ``runs`` runs after one warm-up run."""
    run_once(command, ok)
    results = [timed_peak(command, ok) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def timed_peak(command: Sequence[str], ok: Sequence[int]) -> tuple[float, int]:
    """Wall time and peak memory (the higher of tree Pss and single-process RSS) of one run."""
    start = time.perf_counter()
    peak, _ = peak_memory(command, ok)
    return time.perf_counter() - start, peak


def main() -> None:
    """Build the data, run every measurement, print the figures and PASS/FAIL per target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="plan counts (default 1k 10k 100k)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (median)")
    parser.add_argument("--big-runs", type=int, default=1, help="timed runs at 100,000 plans")
    parser.add_argument("--single-runs", type=int, default=20, help="runs for the one-plan check")
    parser.add_argument("--quick", action="store_true", help="1k and 10k plans, one run each")
    parser.add_argument("--only", nargs="+", help="only these rows (names as printed)")
    args = parser.parse_args()
    sizes = args.sizes or ([1_000, 10_000] if args.quick else [1_000, 10_000, 100_000])
    runs = 1 if args.quick else args.runs

    woonplan = woonplan_command()
    # An installed package has its bytecode compiled; an editable checkout may not (and with
    # PYTHONDONTWRITEBYTECODE never gets it), which would add compile time to every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=False)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    commands = [
        c
        for c in COMMANDS
        if (c.needs is None or has_command(woonplan, c.needs))
        and (not args.only or c.name in args.only)
    ]
    skipped = [c.name for c in COMMANDS if c not in commands]
    if skipped:
        print(f"not measured: {', '.join(skipped)}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        floor_script = Path(tmp, "floor.py")
        floor_script.write_text(FLOOR_SCRIPT)
        for count in sizes:
            plans = dataset(count)
            times = runs if count < 100_000 else args.big_runs
            print()
            print(f"{count:,} plans ({sizes_of(plans)}); median of {times} run(s)")
            print(f"{'measurement':<26} {'median':>8} {'peak':>9} {'ratio':>12} {'target':>7}")
            seconds: dict[str, float] = {}
            seconds["floor"], peak = measure(
                [sys.executable, str(floor_script), str(plans)], times, (0,)
            )
            print(f"{'floor (CSafeLoader)':<26} {seconds['floor']:>7.2f}s {peak / 2**20:>6.0f}MiB")
            for command in commands:
                argv = [a.format(dir=plans, tmp=tmp) for a in command.args]
                argv += ["--as-of", AS_OF]
                seconds[command.name], peak = measure([*woonplan, *argv], times, (0, 1, 2))
                line = f"{command.name:<26} {seconds[command.name]:>7.2f}s {peak / 2**20:>6.0f}MiB"
                if command.against is not None and command.against in seconds:
                    ratio = seconds[command.name] / seconds[command.against]
                    line += f" {ratio:>5.2f}x {command.against:<6.6}"
                    if command.target is not None:
                        result = verdict(ratio, command.target)
                        failed |= result == "FAIL" and count >= 10_000
                        line += f" {command.target:>4.1f}x  {result}"
                if command.memory_mib is not None and count >= 100_000:
                    result = "PASS" if peak <= command.memory_mib * 2**20 else "FAIL"
                    failed |= result == "FAIL"
                    line += f"  memory <= {command.memory_mib * 1.048576:.0f} MB: {result}"
                print(line)
            if count == 10_000 and "progress json" in seconds and not args.only:
                failed |= changed_rows(woonplan, plans, times, seconds["progress json"])

    one = sorted(dataset(sizes[0]).iterdir())[0]
    import_yaml = median_time([sys.executable, "-c", "import yaml"], args.single_runs)
    single = median_time(
        [*woonplan, "check", str(one), "--format", "json", "--as-of", AS_OF],
        args.single_runs,
        (0, 1),
    )
    result = verdict(single / import_yaml, 7.5)
    failed |= result == "FAIL"
    print()
    print(f"python -c 'import yaml'    {import_yaml:>7.3f}s")
    print(
        f"check one-plan.yaml json   {single:>7.3f}s {single / import_yaml:>15.2f}x  7.5x  {result}"
    )
    # The same in Dutch: the catalogue (.mo) is read, Babel is not imported (issue 15).
    single_nl = median_time(
        [*woonplan, "check", str(one), "--format", "json", "--as-of", AS_OF, "--lang", "nl"],
        args.single_runs,
        (0, 1),
    )
    result = verdict(single_nl / import_yaml, 7.5)
    failed |= result == "FAIL"
    ratio_nl = single_nl / import_yaml
    print(f"  the same with --lang nl  {single_nl:>7.3f}s {ratio_nl:>15.2f}x  7.5x  {result}")
    print()
    print("all targets met" if not failed else "some targets NOT met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
