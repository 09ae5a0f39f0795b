"""A hostile user against ``woonplan changes`` and ``woonplan report`` (docs/security.md,
"woonplan changes and woonplan report"): each test here failed before its fix.

The git repositories are made in ``tmp_path`` with git's global and system configuration
switched off, so that nothing of the machine's own configuration takes part.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from probe import CRITERIA, plan_text
from typer.testing import CliRunner

from woonplan.cli import app

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HOSTILE_NAME = "bad\n::error::pwned\x1b[31m.yaml"
"""A file name git stores as it is: a newline that would start a CI log command, and ESC."""


def _git(repo: Path, *args: str) -> None:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(repo.parent),
    }
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one valid plan and, in HEAD, an invalid file with a hostile name."""
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(CRITERIA, repo / "criteria.yaml")
    (repo / "plans" / "good-plan.yaml").write_text(plan_text("good-plan"), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "one")
    (repo / "plans" / HOSTILE_NAME).write_text("id: x\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "two")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return repo


@needs_git
def test_changes_table_escapes_invalid_file_names(repo: Path) -> None:
    # Defect: the table's line "1 invalid file left out on both sides: ..." printed the git
    # file name raw, so its newline began a line `::error::pwned` (a GitHub Actions command)
    # and its ESC reached the terminal. check, markdown and stderr already escaped it.
    result = CliRunner().invoke(app, ["changes", "HEAD~1:plans", "HEAD:plans"])
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.stdout
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert "HEAD:plans/bad\\n::error::pwned\\x1b[31m.yaml" in result.stdout


@needs_git
@pytest.mark.parametrize("path", ["plans/x blob", "plans/x tree", "plans tree", "x blob 12"])
def test_changes_path_that_looks_like_a_git_answer(repo: Path, path: str) -> None:
    # Defect: `git cat-file --batch-check` answers a missing `<tree>:PATH` with
    # "<tree>:PATH missing"; a PATH ending in " blob" or " tree" split into three fields that
    # looked like "<oid> <type> <size>". " blob" crashed with a ValueError traceback; "plans
    # tree" passed "<tree>:plans" on as the object and read the folder plans/ under a name
    # that does not exist.
    result = CliRunner().invoke(app, ["changes", f"HEAD:{path}", "HEAD:plans"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path!r} is not in git revision 'HEAD'" in result.stderr
