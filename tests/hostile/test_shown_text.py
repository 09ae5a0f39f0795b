"""Text from files reaches people and CI logs escaped, on one line, bounded (issue 11, 1, 6, 7).

A key, a name or a file name may hold newlines, ESC and C1 controls, Markdown, or 50,000
spaces; whatever it holds, every output shows it as one escaped line of bounded length, and
no output format takes long over it. JSON keeps the raw text (JSON escapes it itself).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from probe import CRITERIA, plan_text, woonplan
from typer.testing import CliRunner

from woonplan.cli import app
from woonplan.problems import Problem
from woonplan.render.markdown import code, text
from woonplan.text import MAX_SHOWN, clip, shown

INJECTED = "k\n::error::injected"
ESCAPES = "\x1b[2J\x1b]0;pwn\x07\u009b31m"
"""Clear the screen, set the terminal's title, and a one-byte CSI (C1 U+009B)."""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- the helpers ---------------------------------------------------------------------------


def test_shown_escapes_controls_and_bounds_the_length() -> None:
    assert shown("plain Ünïcode – text") == "plain Ünïcode – text"
    assert shown(INJECTED) == r"k\n::error::injected"
    assert shown(ESCAPES) == r"\x1b[2J\x1b]0;pwn\x07\u009b31m"
    assert shown("a\tb\rc\x7fd\u2028e\u202ef") == r"a\tb\rc\x7fd\u2028e\u202ef"
    assert shown("name-\udcff.yaml") == r"name-\udcff.yaml"  # a file name that is not UTF-8
    long = "x" * (10 * MAX_SHOWN)
    assert shown(long) == "x" * MAX_SHOWN + "..."


def test_clip_makes_one_bounded_line_and_looks_at_a_bounded_prefix() -> None:
    assert clip("a \n  b\tc") == "a b c"
    assert clip("a\x1bb") == r"a\x1bb"
    assert clip(" " * 50_000 + "k") == "..."  # 50,000 spaces: nothing to show but that it is cut
    assert len(clip("word " * 1_000_000)) == 200


def test_a_problem_prints_as_one_escaped_line() -> None:
    problem = Problem("plans/a\nb.yaml", 3, 1, INJECTED, "unknown key" + ESCAPES, "unknown-key")
    line = str(problem)
    assert "\n" not in line and "\x1b" not in line and "\u009b" not in line
    assert line == r"plans/a\nb.yaml:3:1: k\n::error::injected: unknown key" + (
        r"\x1b[2J\x1b]0;pwn\x07\u009b31m"
    )


def test_markdown_helpers_escape_before_anything_else() -> None:
    assert text(INJECTED) == r"k\\n::error::injected"
    assert code("x`[click](javascript:alert(1))`.yaml") == (
        "``x`[click](javascript:alert(1))`.yaml``"
    )


# --- 1. a key of 50,000 spaces --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "table", "github", "json"])
def test_a_key_of_50000_spaces_is_reported_quickly_on_a_short_line(
    tmp_path: Path, fmt: str
) -> None:
    # Before: the Markdown renderer's regex \s*[\r\n]+\s* took 38 s on the unknown-key message.
    plan = tmp_path / "spaces.yaml"
    # an explicit key (`? `): a plain `key:` may be at most 1,024 characters long in YAML
    plan.write_text(plan_text("spaces", f'? "k{" " * 50_000}x"\n: 1\n'))
    run = woonplan("check", "--criteria", str(CRITERIA), "--format", fmt, str(plan))
    run.assert_bounded()
    assert run.exit_code == 2
    assert "unknown key" in run.stdout
    if fmt != "json":  # JSON keeps the raw path: that is data, not a line for people
        assert max(len(line) for line in run.stdout.splitlines()) < 3 * MAX_SHOWN


# --- 6. newlines, ESC and C1 controls never reach a log or terminal as themselves ----------


def _no_raw_controls(output: str) -> None:
    for line in output.splitlines():
        assert not line.startswith("::error::"), line
    assert "\x1b" not in output and "\u009b" not in output and "\x07" not in output


def test_a_key_with_a_newline_cannot_inject_a_workflow_command(tmp_path: Path) -> None:
    plan = tmp_path / "inject.yaml"
    plan.write_text(plan_text("inject", '"k\\n::error::injected": 1\n'))
    for fmt in ("table", "markdown", "github"):
        code_, out, err = invoke("check", "--criteria", str(CRITERIA), "--format", fmt, str(plan))
        assert code_ == 2
        _no_raw_controls(out)
        assert r"k\n::error::injected" in out
    # progress prints the errors of invalid files on stderr
    code_, out, err = invoke("progress", "--criteria", str(CRITERIA), str(plan))
    assert code_ == 2
    _no_raw_controls(err)
    assert r"k\n::error::injected" in err
    # JSON keeps the raw key (json escapes the newline itself)
    _, out, _ = invoke("check", "--criteria", str(CRITERIA), "--format", "json", str(plan))
    paths = [e["path"] for e in json.loads(out)["plans"][0]["errors"]]
    assert INJECTED in paths


def test_a_file_name_with_a_newline_cannot_inject_a_line(tmp_path: Path) -> None:
    plan = tmp_path / "a\n::error::injected.yaml"
    plan.write_text("id: [\n")  # invalid YAML: its file name is in the error
    for fmt in ("table", "markdown", "github"):
        code_, out, _ = invoke("check", "--criteria", str(CRITERIA), "--format", fmt, str(plan))
        assert code_ == 2
        _no_raw_controls(out)
        # github: a property value also has its ':' escaped, as @actions/core does
        shown_name = r"a\n%3A%3Aerror%3A%3Ainjected" if fmt == "github" else r"a\n::error::inj"
        assert shown_name in out
    for fmt in ("table", "markdown", "json"):
        code_, out, err = invoke("progress", "--criteria", str(CRITERIA), "-f", fmt, str(plan))
        assert code_ == 2
        _no_raw_controls(err)
        if fmt != "json":
            _no_raw_controls(out)


def test_escape_sequences_in_a_name_never_reach_the_terminal(tmp_path: Path) -> None:
    # Before: a name "\e[2J\e]0;pwn" cleared the screen and set the title of whoever ran check.
    plan = tmp_path / "escape.yaml"
    name = json.dumps("Plan " + ESCAPES)  # a YAML double-quoted string with \u escapes
    plan.write_text(plan_text("escape", name=name))
    for fmt in ("table", "markdown", "github"):
        code_, out, _ = invoke("check", "--criteria", str(CRITERIA), "--format", fmt, str(plan))
        assert code_ in (0, 1), out
        _no_raw_controls(out)
    _, out, _ = invoke("check", "--criteria", str(CRITERIA), "--format", "table", str(plan))
    assert r"Plan \x1b[2J\x1b]0;pwn\x07\u009b31m" in out


def test_escape_sequences_in_an_unknown_key_are_shown_escaped(tmp_path: Path) -> None:
    plan = tmp_path / "key.yaml"
    plan.write_text(plan_text("key", f"{json.dumps('k' + ESCAPES)}: 1\n"))
    for fmt in ("table", "markdown", "github"):
        code_, out, _ = invoke("check", "--criteria", str(CRITERIA), "--format", fmt, str(plan))
        assert code_ == 2
        _no_raw_controls(out)
    code_, _, err = invoke("progress", "--criteria", str(CRITERIA), str(plan))
    _no_raw_controls(err)


# --- 7. a file name with Markdown in it ----------------------------------------------------


def test_a_file_name_with_a_markdown_link_stays_code_in_progress_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ok.yaml").write_text(plan_text("ok"))
    bad = folder / "x`[click](javascript:alert(1))`.yaml"
    bad.write_text("id: [\n")
    code_, out, _ = invoke("progress", "--criteria", str(CRITERIA), "-f", "markdown", str(folder))
    assert code_ == 2
    listed = [line for line in out.splitlines() if "click" in line]
    # a code span fenced with two backticks: the single backticks inside cannot close it
    assert listed == [f"- ``{bad}``"], listed
