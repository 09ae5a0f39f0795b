"""``check --changed-since REV``: all plans validated, only the changed ones reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CRITERIA, PLANS

from woonplan.checking.changed import ChangedError, changed_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FAILING = "blaricum-eemnesserweg"  # a bundled plan that fails a required criterion


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the bundled plans and criteria, one commit tagged ``base``."""
    root = tmp_path / "region"
    shutil.copytree(PLANS, root / "plans")
    shutil.copy(CRITERIA, root / "criteria.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plans")
    git(root, "tag", "base")
    monkeypatch.chdir(root)
    return root


def _json(run: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any], str]:
    result = run("check", "plans", "--format", "json", "--as-of", "2026", *args)
    return result.exit_code, json.loads(result.stdout or "{}"), result.stderr


def test_nothing_changed_reports_nothing_and_passes(run: Callable[..., Any], repo: Path) -> None:
    code, _, _ = _json(run)
    assert code == 1  # the whole set: one old plan fails a required criterion
    code, data, stderr = _json(run, "--changed-since", "base")
    assert (code, data["plans"], data["summary"]["plans"]) == (0, [], 0)
    # "0 plans, exit 0" must not read as "every plan is fine": stderr says what was left out
    assert stderr.strip() == (
        "--changed-since base: 0 of 24 plan files checked are reported (added, modified or "
        "renamed since base); the others are not"
    )


def test_only_changed_and_new_files_are_reported(run: Callable[..., Any], repo: Path) -> None:
    plans = repo / "plans"
    # modified and committed
    edited = plans / "huizen-centrum.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    git(repo, "commit", "-qam", "edit")
    # modified, not staged
    laren = plans / "laren-brink.yaml"
    laren.write_text(laren.read_text(encoding="utf-8") + "# later\n", encoding="utf-8")
    # renamed (id and file), staged
    git(repo, "mv", "plans/laren-naarderstraat.yaml", "plans/laren-naarderstraat-2.yaml")
    moved = plans / "laren-naarderstraat-2.yaml"
    moved.write_text(
        moved.read_text(encoding="utf-8").replace(
            "id: laren-naarderstraat", "id: laren-naarderstraat-2"
        ),
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    # new and untracked
    shutil.copy(plans / "huizen-centrum.yaml", plans / "huizen-nieuw.yaml")
    code, data, _ = _json(run, "--changed-since", "base")
    files = sorted(p["file"] for p in data["plans"])
    assert files == [
        "plans/huizen-centrum.yaml",
        "plans/huizen-nieuw.yaml",
        "plans/laren-brink.yaml",
        "plans/laren-naarderstraat-2.yaml",
    ]
    # huizen-nieuw.yaml is a copy: its id clashes with an unchanged file, so both are invalid,
    # but only the changed ones are reported; the failing old plan does not set the exit code
    verdicts = {p["file"]: p["verdict"] for p in data["plans"]}
    assert verdicts["plans/huizen-nieuw.yaml"] == "invalid"
    assert verdicts["plans/huizen-centrum.yaml"] == "invalid"
    assert code == 2
    assert all(FAILING not in f for f in files)


def test_a_failing_changed_plan_sets_exit_1(run: Callable[..., Any], repo: Path) -> None:
    failing = repo / "plans" / f"{FAILING}.yaml"
    failing.write_text(failing.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    code, data, _ = _json(run, "--changed-since", "base")
    assert [p["verdict"] for p in data["plans"]] == ["fail"]
    assert code == 1


def test_github_annotations_only_for_changed_files(run: Callable[..., Any], repo: Path) -> None:
    laren = repo / "plans" / "laren-brink.yaml"
    laren.write_text(laren.read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    result = run("check", "plans", "--format", "github", "--changed-since", "base")
    annotated = {line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines()
                 if line.startswith("::")}  # fmt: skip
    assert annotated <= {"plans/laren-brink.yaml"}


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("nope", "--changed-since: unknown git revision 'nope'"),
        ("--output=x", "--changed-since: '--output=x' is not a git revision"),
    ],
)
def test_a_bad_revision_is_exit_2_with_one_line(
    run: Callable[..., Any], repo: Path, rev: str, message: str
) -> None:
    result = run("check", "plans", "--changed-since", rev)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(message)
    assert not (repo / "x").exists()


def test_outside_a_repository_is_exit_2(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "loose"
    shutil.copytree(PLANS, outside / "plans")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("check", "plans", "--criteria", str(CRITERIA), "--changed-since", "main")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--changed-since needs a git repository, and plans is not inside one"
    )


def test_changed_files_are_real_paths(repo: Path) -> None:
    new = repo / "plans" / "x.yaml"
    new.write_text("id: x\n", encoding="utf-8")
    assert changed_files("base", repo / "plans") == {os.path.realpath(new)}
    with pytest.raises(ChangedError):
        changed_files("", repo)


def test_the_github_workflow_judges_pull_requests_by_their_changed_files() -> None:
    import yaml
    from conftest import ROOT

    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["woonplan"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch, for the revision
    pull = next(s for s in steps if "--changed-since" in s.get("run", ""))
    assert pull["if"] == "github.event_name == 'pull_request'"
    assert pull["run"] == 'woonplan check plans/ --changed-since "origin/$GITHUB_BASE_REF"'
