"""Hostile and broken input (issue 7, docs/security.md): every case is refused with a clear
one-line error naming the file, exit code 2, no traceback, in bounded time and memory, and
nothing is executed, followed, overwritten or changed.

Hostile files are generated in ``tmp_path`` at test time; none are committed. Time bounds are
generous (the cases take milliseconds) so that a slow CI machine does not make them flake.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from woonplan.checking.expressions import ExpressionError, compile_expression
from woonplan.checking.metrics import NAMES
from woonplan.cli import app
from woonplan.reading.source import MAX_FILE_BYTES, Document, load_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
CRITERIA = ROOT / "criteria.yaml"
LIMIT_S = 5.0
"""Generous wall-clock bound for one hostile case (they take milliseconds)."""


# --- helpers -------------------------------------------------------------------------------


def plan_text(plan_id: str, extra: str = "") -> str:
    """A small valid plan (exit 0 or 1 on its own), with ``extra`` YAML lines appended."""
    return (
        f"id: {plan_id}\n"
        "name: Test plan\n"
        "municipality: Hilversum\n"
        "phase: adopted\n"
        "homes:\n"
        "  social_rent: 40\n"
        "  free_buy: 60\n"
        "delivery:\n"
        "  2027: 100\n" + extra
    )


def billion_laughs(levels: int = 9, anchor_key: str = "lol") -> str:
    """The classic alias bomb: 9 levels of 9 aliases expand to 9⁹ ≈ 387 million strings."""
    lines = [f'{anchor_key}0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"{anchor_key}{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@contextmanager
def within(seconds: float = LIMIT_S) -> Iterator[None]:
    """Fail if the block takes longer than ``seconds``."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s (bound {seconds} s)"


def check(*args: str) -> Result:
    """``woonplan check ARGS`` in-process with the repository's criteria, timed."""
    with within():
        result = CliRunner().invoke(app, ["check", "--criteria", str(CRITERIA), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def check_subprocess(
    *args: str, cwd: Path | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """``python -m woonplan check ARGS`` in a child process (for cases that could hang)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "woonplan", "check", "--criteria", str(CRITERIA), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"took {elapsed:.2f} s"
    assert "Traceback" not in done.stdout + done.stderr
    return done


def error_lines(output: str, file: Path | str) -> list[str]:
    """The report's problem lines about ``file`` (each ``file:line:col: path: message``)."""
    name = str(file)
    return [line.strip() for line in output.splitlines() if line.strip().startswith(name + ":")]


def assert_refused(result: Result, file: Path, *needles: str) -> str:
    """Exit 2 and exactly one error line about ``file`` that contains every needle."""
    assert result.exit_code == 2, result.output
    lines = error_lines(result.stdout, file)
    assert len(lines) == 1, result.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def sha256_tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- size ----------------------------------------------------------------------------------


def test_a_file_over_1_mib_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    # Unclosed flow and an alias bomb: parsing it would give another error, so the size
    # message shows that it was refused before parsing.
    body = "id: [unclosed\n" + billion_laughs()
    big.write_text(body + "#" * (MAX_FILE_BYTES + 1 - len(body)))
    assert big.stat().st_size == MAX_FILE_BYTES + 1
    line = assert_refused(check(str(big)), big, "file is too large", "1,048,577 bytes", "1 MiB")
    assert line.startswith(f"{big}: ")


def test_a_file_of_exactly_1_mib_is_parsed(tmp_path: Path) -> None:
    ok = tmp_path / "ok.yaml"
    body = plan_text("ok")
    ok.write_text(body + "#" * (MAX_FILE_BYTES - len(body)))
    result = check(str(ok))
    assert result.exit_code in (0, 1), result.output


def test_a_criteria_file_over_1_mib_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "criteria.yaml"
    big.write_text(CRITERIA.read_text(encoding="utf-8") + "#" * MAX_FILE_BYTES)
    with within():
        result = CliRunner().invoke(app, ["check", "--criteria", str(big), str(PLANS)])
    assert result.exit_code == 2
    assert f"{big}: file is too large" in result.stderr
    assert "Traceback" not in result.output


# --- alias bombs ---------------------------------------------------------------------------

BOMBS = {
    "plain": billion_laughs(),
    # Duplicate keys make the loader walk the node tree to place them: it must not walk a bomb.
    "with-duplicate-key": plan_text("x", billion_laughs() + "name: Again\n"),
    # Validation errors (unknown keys, wrong types) must not be translated from expanded data.
    "with-validation-errors": plan_text("x", billion_laughs() + "phase2: nope\n"),
    "as-a-field-value": plan_text("x", billion_laughs() + "notes: *a8\ninitiators: *a8\n"),
    "in-delivery": plan_text("x", billion_laughs(anchor_key="d")).replace(
        "  2027: 100\n", "  2027: 100\n  2028: *a8\n"
    ),
    "as-a-key": billion_laughs() + "? *a8\n: 1\n",
    "in-a-sequence": "- " + billion_laughs().replace("\n", "\n  ").rstrip() + "\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_alias_bomb_is_refused_quickly(tmp_path: Path, name: str) -> None:
    bomb = tmp_path / f"{name}.yaml"
    bomb.write_text(BOMBS[name])
    with within(1.0):
        result = check(str(bomb))
    lines = error_lines(result.stdout, bomb)
    assert result.exit_code == 2
    assert lines and all(re.match(rf"{re.escape(str(bomb))}:\d+:\d+: ", x) for x in lines)
    assert any("alias" in x for x in lines), lines


def test_an_alias_bomb_costs_little_memory_in_the_loader(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(plan_text("bomb", billion_laughs() + "name: Twice\nnotes: *a8\n"))
    tracemalloc.start()
    try:
        doc = load_file(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.message for p in doc.problems] == [
        "YAML aliases expand to too much data (alias bomb?); write the values out instead"
    ]
    assert doc.data is None and doc.node is None  # nothing downstream can walk it
    assert peak < 5 * 1024 * 1024, f"peak {peak:,} bytes"


def test_an_alias_bomb_run_through_the_command_stays_small(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(plan_text("bomb", billion_laughs() + "name: Twice\nnotes: *a8\n"))
    probe = (
        "import resource, sys\n"
        "from woonplan.cli import main\n"
        "sys.argv = ['woonplan', 'check', '--format', 'json', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print('PEAK', peak, 'EXIT', code, file=sys.stderr)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, str(bomb)], capture_output=True, text=True, timeout=60
    )
    assert time.perf_counter() - start < 15
    match = re.search(r"PEAK (\d+) EXIT (\d+)", done.stderr)
    assert match, done.stderr
    peak_kib, code = int(match[1]), int(match[2])
    assert code == 2
    # The interpreter with pydantic, PyYAML and typer loaded takes some tens of MiB; an
    # expanded bomb would take many GiB.
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib:,} KiB"


def test_a_small_use_of_aliases_is_still_fine(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(plan_text("aliases", "initiators: &who [Gemeente Hilversum]\n"))
    assert check(str(path)).exit_code in (0, 1)


def test_an_alias_bomb_in_criteria_yaml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "criteria.yaml"
    bad.write_text(CRITERIA.read_text(encoding="utf-8") + billion_laughs())
    with within(1.0):
        result = CliRunner().invoke(app, ["check", "--criteria", str(bad), str(PLANS)])
    assert result.exit_code == 2
    assert re.match(rf"{re.escape(str(bad))}:\d+:1: YAML aliases expand to too much", result.stderr)


# --- nesting -------------------------------------------------------------------------------

NESTING = {
    "flow-sequences": "notes: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "flow-mappings": "notes: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "block-sequences": "notes:\n" + "- " * 10_000 + "1\n",
    # Indented block mappings: 1,400 levels fit in 1 MiB.
    "block-mappings": "notes:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1400)),
}


@pytest.mark.parametrize("name", sorted(NESTING))
def test_deep_nesting_is_refused_with_a_clear_message(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(plan_text(name, NESTING[name]))
    assert path.stat().st_size <= MAX_FILE_BYTES
    result = check(str(path))
    line = assert_refused(result, path, "exceeded maximum nesting depth")
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: invalid YAML: ", line)
    assert "RecursionError" not in result.output


def test_nesting_just_under_the_limit_with_duplicate_keys_does_not_recurse(
    tmp_path: Path,
) -> None:
    # 999 levels are allowed by libyaml; placing the duplicate key must not hit Python's
    # recursion limit (regression: the duplicate-key walker was recursive).
    path = tmp_path / "deep.yaml"
    path.write_text(plan_text("deep", "notes: " + "{b: " * 995 + "1" + "}" * 995 + "\nname: Two\n"))
    result = check(str(path))
    assert result.exit_code == 2
    lines = error_lines(result.stdout, path)
    assert f"{path}:11:1: name: duplicate key 'name'" in lines
    assert "RecursionError" not in result.output


def test_duplicate_keys_at_depth_999_are_placed() -> None:
    text = "a: " + "{b: " * 998 + "{c: 1, c: 2}" + "}" * 998 + "\n"
    doc = parse_text(text, "deep.yaml")
    assert [(p.line, p.path.count(".")) for p in doc.problems] == [(1, 999)]
    assert doc.problems[0].message == "duplicate key 'c'"


# --- tags: nothing executes ----------------------------------------------------------------

TAGS = [
    "!!python/object/apply:os.system [{cmd}]",
    "!!python/object/apply:subprocess.check_call [[sh, -c, {cmd}]]",
    "!!python/object/new:os.system [{cmd}]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [{cmd}]",
    "!custom {cmd}",
]


@pytest.mark.parametrize("tag", TAGS)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tagged.yaml"
    value = tag.format(cmd=f"'touch {marker}'")
    path.write_text(plan_text("tagged", f"notes: {value}\n"))
    result = check(str(path))
    line = assert_refused(result, path, "is not allowed; plan files hold plain data only")
    assert line.startswith(f"{path}:10:8: notes: invalid YAML: tag ")
    assert not marker.exists()


def test_a_python_tag_in_criteria_yaml_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bad = tmp_path / "criteria.yaml"
    text = CRITERIA.read_text(encoding="utf-8").replace(
        "  name: Gooi en Vechtstreek",
        f"  name: !!python/object/apply:os.system ['touch {marker}']",
        1,
    )
    bad.write_text(text)
    result = CliRunner().invoke(app, ["check", "--criteria", str(bad), str(PLANS)])
    assert result.exit_code == 2
    assert "tag !!python/object/apply:os.system is not allowed" in result.stderr
    assert not marker.exists()


# --- encodings and binary ------------------------------------------------------------------

ENCODINGS = {
    "utf-16-le-bom": (plan_text("x").encode("utf-16"), "UTF-16"),
    "utf-16-be-bom": (b"\xfe\xff" + plan_text("x").encode("utf-16-be"), "UTF-16"),
    "utf-16-no-bom": (plan_text("x").encode("utf-16-le"), "contains NUL bytes"),
    "utf-32": (plan_text("x").encode("utf-32"), "UTF-16 (or UTF-32)"),
    "latin-1": (plan_text("x", "notes: café\n").encode("latin-1"), "not valid UTF-8 (byte 0xe9)"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "NUL bytes"),
    "nul-in-text": (plan_text("x", "notes: a\x00b\n").encode(), "contains NUL bytes"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_wrong_encodings_and_binary_are_refused_with_the_file_named(
    tmp_path: Path, name: str
) -> None:
    data, needle = ENCODINGS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    line = assert_refused(check(str(path)), path, needle)
    assert line.startswith(str(path))


def test_a_device_is_not_read() -> None:
    result = load_file(Path(os.devnull))
    assert [p.message for p in result.problems] == ["not a regular file"]


def test_latin_1_error_has_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(plan_text("latin", "notes: café\n").encode("latin-1"))
    assert_refused(check(str(path)), path, f"{path}:10: not valid UTF-8")


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + plan_text("bom", "notes: café ✓\n").encode())
    result = check("--format", "json", str(path))
    assert result.exit_code in (0, 1), result.output
    assert '"valid": true' in result.stdout


def test_a_control_character_is_one_line_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_text(plan_text("ctrl", 'notes: "é\x01"\n'))
    line = assert_refused(check(str(path)), path)
    assert line == f"{path}:10:10: invalid YAML: character U+0001 is not allowed " + (
        "(control characters are not allowed)"
    )


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("9" * 400, "is too large (at most 1,000,000,000,000,000)"),
        ("9" * 5000, "is too large"),
        ("1_000_000_000_000_001", "is too large"),
        (".inf", "'.inf' is not a finite number"),
        ("-.inf", "'-.inf' is not a finite number"),
        (".nan", "'.nan' is not a finite number"),
    ],
)
def test_numbers_beyond_any_housing_figure_are_refused(
    tmp_path: Path, value: str, needle: str
) -> None:
    # Regression: `work.jobs: 999…9` passed validation and crashed the metrics with an
    # OverflowError traceback (int / int too large for a float).
    path = tmp_path / "numbers.yaml"
    path.write_text(plan_text("numbers", f"work:\n  jobs: 60\n  floor_area_m2: {value}\n"))
    line = assert_refused(check(str(path)), path, needle)
    assert line.startswith(f"{path}:12:18: ")
    path.write_text(plan_text("numbers", f"work:\n  jobs: {value}\n"))
    assert_refused(check(str(path)), path, f"{path}:11:9: ")


# --- folders: links, loops, FIFOs ----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")
def test_links_loops_and_fifos_in_a_plans_folder_are_reported_not_followed(
    tmp_path: Path,
) -> None:
    plans = tmp_path / "plans"
    (plans / "sub").mkdir(parents=True)
    shutil.copy(PLANS / "laren-brink.yaml", plans / "laren-brink.yaml")
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: TOKEN-abc123\nname: secret\n")
    os.symlink("..", plans / "sub" / "up")  # a loop: plans/sub/up/sub/up/...
    os.symlink(plans, plans / "self")
    os.symlink("nowhere.yaml", plans / "dangling.yaml")
    os.symlink("loop.yaml", plans / "loop.yaml")  # a link to itself
    os.symlink(secret, plans / "leak.yaml")  # a pull request pointing at a runner's file
    os.mkfifo(plans / "x.yaml")  # opening it for reading would block without O_NONBLOCK
    done = check_subprocess("plans", cwd=tmp_path)
    assert done.returncode == 2
    out = done.stdout
    expected = {
        "plans/dangling.yaml": "a symbolic link; links inside a plans folder are not followed",
        "plans/leak.yaml": "a symbolic link; links inside a plans folder are not followed",
        "plans/loop.yaml": "a symbolic link; links inside a plans folder are not followed",
        "plans/self": "a link to a folder; links inside a plans folder are not followed",
        "plans/sub/up": "a link to a folder; links inside a plans folder are not followed",
        "plans/x.yaml": "not a regular file",
    }
    for name, message in expected.items():
        assert error_lines(out, name) == [f"{name}: {message}"], out
    assert "TOKEN-abc123" not in out + done.stderr
    assert "---- laren-brink" in out  # the real plan is still checked


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_on_the_command_line_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    done = check_subprocess(str(fifo), timeout=20)
    assert done.returncode == 2
    assert error_lines(done.stdout, fifo) == [f"{fifo}: not a regular file"]


def test_a_dangling_link_named_on_the_command_line_is_one_line(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    os.symlink(tmp_path / "nowhere.yaml", link)
    result = check(str(link))
    assert_refused(result, link, "cannot read file: No such file or directory")


def test_a_link_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_text(plan_text("linked"))
    link = tmp_path / "linked.yaml"
    os.symlink(target, link)
    assert check(str(link)).exit_code in (0, 1)


# --- criteria.yaml expressions -------------------------------------------------------------

EXPRESSIONS = {
    "power tower": ("9**9**9", "operator ** is not allowed"),
    "string blow-up with power": ("'a' * 10**9", "is not allowed"),
    "string blow-up": ("'a' * 1000000000", "arithmetic on text ('a') is not allowed"),
    "string concatenation": ("'a' + 'b'", "arithmetic on text"),
    "text in a function": ("max('a', 'b')", "arithmetic on text"),
    "huge literal": ("1" * 400, "number is too large"),
    "nested parentheses": ("(" * 150 + "1" + ")" * 150, "nested too deeply"),
    "nested unary minus": ("-" * 500 + "1", "expression is too complex"),
    "nested calls": ("abs(" * 40 + "1" + ")" * 40, "nested too deeply"),
    "long sum": ("+".join(["total_homes"] * 80), "expression is too complex"),
    "10,000 characters": ("1+" * 4999 + "1", "is too long"),
    "dunder import": ("__import__('os').system('true')", "is not allowed"),
    "dunder name": ("__builtins__", "unknown name '__builtins__'"),
    "dunder attribute on a plan field": ("homes.__class__", "unknown name 'homes.__class__'"),
    "attribute on a literal": ("().__class__.__bases__", "attribute access is only allowed"),
    "attribute on a number": ("total_homes.real", "unknown name 'total_homes.real'"),
    "attribute on a function": ("min.__self__", "unknown name 'min.__self__'"),
    "subscript": ("homes['social_rent']", "indexing ([...]) is not allowed"),
    "comprehension": ("[x for x in 'ab']", "a comprehension is not allowed"),
    "lambda": ("(lambda: 1)()", "is not allowed"),
    "other function": ("getattr(homes, 'x')", "function getattr is not allowed"),
    "walrus": ("(x := 1)", "is not allowed"),
    "floor division": ("total_homes // 2", "operator // is not allowed"),
}


def _criteria_with(tmp_path: Path, field: str, source: str) -> tuple[Path, int]:
    """criteria.yaml whose first criterion uses ``source`` as its ``field``; and that line."""
    text = CRITERIA.read_text(encoding="utf-8")
    old = "    metric: social_rent_share\n"
    assert old in text
    quoted = "'" + source.replace("'", "''") + "'"
    new = f"    {field}: {quoted}\n"
    if field == "when":
        new = old + new
    at = text.index(old, text.index("\ncriteria:\n"))  # not a policy test's metric
    line = text[:at].count("\n") + 1 + (field == "when")
    path = tmp_path / "criteria.yaml"
    path.write_text(text[:at] + new + text[at + len(old) :])
    return path, line


@pytest.mark.parametrize("field", ["expression", "when"])
@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_hostile_expressions_are_refused_when_criteria_yaml_loads(
    tmp_path: Path, name: str, field: str
) -> None:
    source, needle = EXPRESSIONS[name]
    path, line = _criteria_with(tmp_path, field, source)
    with within():
        result = CliRunner().invoke(app, ["check", "--criteria", str(path), str(PLANS)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}:{line}:"), errors[0]
    assert f"criteria[0].{field}: " in errors[0]
    assert needle in errors[0], errors[0]
    assert result.stdout == ""  # refused at load: no plan was scored


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_hostile_expressions_fail_fast_in_the_compiler(name: str) -> None:
    source, _ = EXPRESSIONS[name]
    with within(0.5), pytest.raises(ExpressionError):
        compile_expression(source, NAMES)


# --- writes --------------------------------------------------------------------------------


def test_output_under_a_regular_file_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "somefile"
    blocker.write_text("I am a file")
    before = sha256_tree(tmp_path)
    result = check("--output", str(blocker / "out.json"), "--format", "json", str(PLANS))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"{blocker / 'out.json'}: folder {blocker} is not a folder"
    ]
    assert sha256_tree(tmp_path) == before  # nothing written, no temporary file left


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failing_write_leaves_the_previous_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:

    out = tmp_path / "report.json"
    out.write_text("previous report")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "write":

        class Full:
            def __init__(self, handle: object) -> None:
                self.handle = handle

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()  # type: ignore[attr-defined]

            def write(self, data: bytes) -> int:
                raise OSError(28, "No space left on device")

        real_fdopen = os.fdopen

        def fdopen(fd: int, mode: str = "r", **kwargs: object) -> object:
            handle = real_fdopen(fd, mode, **kwargs)  # type: ignore[call-overload]
            return Full(handle) if mode == "wb" else handle

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, failing, boom)
    result = check("--output", str(out), "--format", "json", str(PLANS))
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"{out}: cannot write (No space left on device)"]
    assert out.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_run_never_changes_its_input_files(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    (plans / "broken.yaml").write_text(plan_text("broken", "name: twice\n"))
    criteria = tmp_path / "criteria.yaml"
    shutil.copy(CRITERIA, criteria)
    before = sha256_tree(tmp_path)
    for args in (
        [str(plans)],
        ["--format", "json", str(plans)],
        ["--format", "markdown", "--output", str(tmp_path / "out" / "r.md"), str(plans)],
    ):
        (tmp_path / "out").mkdir(exist_ok=True)
        CliRunner().invoke(app, ["check", "--criteria", str(criteria), *args])
    after = sha256_tree(tmp_path)
    after.pop("out/r.md")
    assert after == before


def test_output_onto_an_input_file_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "x.yaml"
    plan.write_text(plan_text("x"))
    before = plan.read_bytes()
    result = check("--output", str(plan), str(plan))
    assert plan.read_bytes() == before
    assert result.exit_code == 2


# --- many problems in one file stay linear -------------------------------------------------


def test_placing_many_problems_in_one_mapping_is_linear() -> None:
    keys = "".join(f"k{i}: {i}\n" for i in range(50_000))
    doc: Document = parse_text(keys, "many.yaml")
    with within(2.0):
        problems = [doc.problem((f"k{i}",), "x", "unknown-key") for i in range(50_000)]
    assert problems[-1].line == 50_000
    assert doc.key_position(("k49999",)) == (50_000, 1)
    assert doc.key_position(("nope",)) is None


def test_a_file_with_thousands_of_unknown_keys_is_checked_quickly(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text(plan_text("keys", "".join(f"zz{i}: 1\n" for i in range(20_000))))
    start = time.perf_counter()
    try:
        done = check_subprocess("--format", "json", str(path), timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("timed out")
    assert done.returncode == 2
    assert time.perf_counter() - start < LIMIT_S
