"""Outputs never destroy inputs or each other, and one bad output path writes nothing at all."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CRITERIA, PLANS

Run = Callable[..., Any]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with ./criteria.yaml and ./plans/ (one plan), as a region's repository has."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "laren-brink.yaml").write_bytes((PLANS / "laren-brink.yaml").read_bytes())
    (tmp_path / "criteria.yaml").write_bytes(CRITERIA.read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_output_onto_the_implicit_criteria_file_is_refused(run: Run, workdir: Path) -> None:
    before = _digest(workdir / "criteria.yaml")
    result = run("check", "--output", "criteria.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "criteria.yaml: is one of the input files; not overwritten"
    assert _digest(workdir / "criteria.yaml") == before


def test_xlsx_and_output_naming_one_file_is_refused(run: Run, workdir: Path) -> None:
    result = run("progress", "--xlsx", "report.xlsx", "--output", "report.xlsx")
    assert result.exit_code == 2
    assert "report.xlsx: named for two outputs" in result.stderr
    assert not (workdir / "report.xlsx").exists()


def test_one_unwritable_output_writes_nothing(run: Run, workdir: Path) -> None:
    result = run("progress", "--xlsx", "report.xlsx", "--output", "missing/summary.txt")
    assert result.exit_code == 2
    assert result.stderr.strip() == "missing/summary.txt: folder missing does not exist"
    assert not (workdir / "report.xlsx").exists()
    assert sorted(p.name for p in workdir.iterdir()) == ["criteria.yaml", "plans"]


def test_a_symlink_loop_named_twice_is_an_invalid_file_not_a_crash(run: Run, workdir: Path) -> None:
    os.symlink("loop.yaml", workdir / "loop.yaml")
    result = run("check", "loop.yaml", "loop.yaml", "plans", "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    plans = json.loads(result.stdout)["plans"]
    assert [p["file"] for p in plans] == ["loop.yaml", "plans/laren-brink.yaml"]  # checked once
    assert plans[0]["errors"][0]["message"].startswith("cannot read file")


def test_a_workbook_is_not_left_behind_when_the_report_cannot_be_written(
    run: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder exists, so the check before writing passes; the report's temporary file
    # then cannot be created. Both outputs go, or neither: the workbook must not appear.
    (workdir / "out").mkdir()
    real_mkstemp = tempfile.mkstemp

    def refuse_in_out(*args: Any, **kwargs: Any) -> Any:
        if Path(str(kwargs.get("dir", ""))).name == "out":
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse_in_out)
    result = run("progress", "--xlsx", "report.xlsx", "--output", "out/summary.md")
    assert result.exit_code == 2
    assert "Permission denied" in result.stderr
    assert not (workdir / "report.xlsx").exists()
    assert list((workdir / "out").iterdir()) == []
    assert not [p for p in workdir.iterdir() if p.name.startswith(".report.xlsx")]


def test_a_fifo_is_not_replaced_by_a_report(run: Run, workdir: Path) -> None:
    os.mkfifo(workdir / "pipe")
    result = run("check", "--output", "pipe")
    assert result.exit_code == 2
    assert result.stderr.strip() == "pipe: is not a regular file; name a file to write"
    assert stat.S_ISFIFO(os.lstat(workdir / "pipe").st_mode)


def test_an_output_that_is_a_hard_link_to_an_input_is_refused(run: Run, workdir: Path) -> None:
    # Another name for the same file (as Criteria.yaml is on macOS and Windows): same inode.
    os.link(workdir / "criteria.yaml", workdir / "other-name.txt")
    before = _digest(workdir / "criteria.yaml")
    result = run("check", "--output", "other-name.txt")
    assert result.exit_code == 2
    assert result.stderr.strip() == "other-name.txt: is one of the input files; not overwritten"
    assert _digest(workdir / "criteria.yaml") == before


@pytest.mark.parametrize("explicit", [False, True])
def test_schema_output_onto_the_criteria_it_read_is_refused(
    run: Run, workdir: Path, explicit: bool
) -> None:
    """Issue 11 #8: `schema plan -o criteria.yaml` replaced the criteria file it had just read."""
    before = _digest(workdir / "criteria.yaml")
    given = ["--criteria", "criteria.yaml"] if explicit else []
    result = run("schema", "plan", *given, "-o", "criteria.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "criteria.yaml: is one of the input files; not overwritten"
    assert _digest(workdir / "criteria.yaml") == before
