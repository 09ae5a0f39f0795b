"""``woonplan changes`` checks a file that is the same on both sides once (issue 17), and still
names each side's own file: in every problem, and in the list of files left out."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from woonplan.changes import pairs
from woonplan.cli import app

CASE = EXAMPLES / "changes"
BROKEN = EXAMPLES / "invalid" / "negative-homes.yaml"
"""Its one error: ``7:16: homes.social_rent: must be >= 0 (got -4)`` (tests/examples)."""


def _sides(root: Path) -> None:
    """old/ and new/ as in tests/examples/changes, both with the same broken file."""
    for side in ("old", "new"):
        shutil.copytree(CASE / side, root / side)
        shutil.copy(BROKEN, root / side)


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(
        app, ["changes", *args, "--criteria", str(CASE / "criteria.yaml"), "--as-of", "2025"]
    )


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    original = pairs.check_document  # type: ignore[attr-defined]

    def counted(doc: Any, name: str, *args: Any) -> Any:
        checked.append(doc.file)
        return original(doc, name, *args)

    monkeypatch.setattr(pairs, "check_document", counted)
    return checked


def test_a_shared_broken_file_is_named_on_each_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sides(tmp_path)
    monkeypatch.chdir(tmp_path)
    checked = _counting(monkeypatch)
    result = _invoke("old", "new", "--format", "markdown")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if "negative-homes.yaml:7" in line]
    assert errors == [
        "old/negative-homes.yaml:7:16: homes.social_rent: must be >= 0 (got -4)",
        "new/negative-homes.yaml:7:16: homes.social_rent: must be >= 0 (got -4)",
    ]
    assert "- `old/negative-homes.yaml`" in result.stdout
    assert "- `new/negative-homes.yaml`" in result.stdout
    # each side has 7 plans + the broken file; a file with the same bytes on both sides is
    # checked once (the old side's copy)
    shared = [
        p.name
        for p in sorted((tmp_path / "old").iterdir())
        if (tmp_path / "new" / p.name).exists()
        and (tmp_path / "new" / p.name).read_bytes() == p.read_bytes()
    ]
    assert "negative-homes.yaml" in shared
    assert "new/negative-homes.yaml" not in checked
    assert len(checked) == 8 + 8 - len(shared)


def test_the_json_names_the_new_side_in_its_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared file's problems, reused from the old side, carry the new side's name."""
    _sides(tmp_path)
    monkeypatch.chdir(tmp_path)
    from woonplan.checking.criteria import load_criteria

    before, after = pairs.read_snapshots("old", "new", load_criteria(CASE / "criteria.yaml"), 2025)
    [old_report] = [p for p in before.report.plans if p.file.endswith("negative-homes.yaml")]
    [new_report] = [p for p in after.report.plans if p.file.endswith("negative-homes.yaml")]
    assert old_report.file == "old/negative-homes.yaml"
    assert new_report.file == "new/negative-homes.yaml"
    assert {e.file for e in new_report.errors} == {"new/negative-homes.yaml"}
    assert [(e.line, e.column) for e in new_report.errors] == [
        (e.line, e.column) for e in old_report.errors
    ]
    assert (7, 16) in [(e.line, e.column) for e in new_report.errors]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_shared_blob_in_two_revisions_is_named_with_each_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "HOME": str(tmp_path),
    }
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    _sides(tmp_path / "sides")
    for tag in ("old", "new"):
        shutil.rmtree(repo / "plans", ignore_errors=True)
        shutil.copytree(tmp_path / "sides" / tag, repo / "plans")
        git("add", "-A")
        git("commit", "-q", "-m", tag)
        git("tag", f"t-{tag}")
    monkeypatch.chdir(repo)
    checked = _counting(monkeypatch)
    result = _invoke("t-old:plans", "t-new:plans", "--format", "markdown")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if "negative-homes.yaml:7" in line]
    assert errors == [
        "t-old:plans/negative-homes.yaml:7:16: homes.social_rent: must be >= 0 (got -4)",
        "t-new:plans/negative-homes.yaml:7:16: homes.social_rent: must be >= 0 (got -4)",
    ]
    assert "- `t-new:plans/negative-homes.yaml`" in result.stdout
    assert "t-new:plans/negative-homes.yaml" not in checked
