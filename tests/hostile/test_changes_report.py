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


# --- woonplan report -----------------------------------------------------------------------

LONG = "W" * 300
"""One word far wider than an A4 page."""
PAYLOAD = "</style><script>alert(1)</script>]]><!-- <svg onload=alert(2)> javascript:alert(3) \"'"


def _hostile_plans(folder: Path, text: str) -> Path:
    """A plan folder and a criteria file with ``text`` in every field the report shows."""
    quoted = "'" + text.replace("'", "''") + "'"  # a YAML single-quoted scalar
    (folder / "plans").mkdir()
    extra = (
        f"initiators:\n  - {quoted}\n"
        f"public_transport:\n  - stop: {quoted}\n    type: bus\n    walking_distance_m: 600\n"
        f"exemptions:\n  - criterion: social_rent_share\n    reason: {quoted}\n"
        "    decided: 2025-03-12\n"
        f"obstacles:\n  - category: nitrogen\n    note: {quoted}\n"
        f"notes: {quoted}\n"
    )
    plan = plan_text("hostile-plan", extra, name=quoted)
    (folder / "plans" / "hostile-plan.yaml").write_text(plan, encoding="utf-8")
    criteria = CRITERIA.read_text(encoding="utf-8")
    criteria = criteria.replace("name: Gooi en Vechtstreek", f"name: {quoted}", 1)
    criteria = criteria.replace("title: Social rent share (sociale huur)", f"title: {quoted}", 1)
    (folder / "criteria.yaml").write_text(criteria, encoding="utf-8")
    return folder / "criteria.yaml"


def test_report_html_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    # Held (autoescaped templates): kept as a guard. Every field of the plan and the criteria
    # holds markup; the page has no element or attribute it did not have without it.
    from html.parser import HTMLParser

    criteria = _hostile_plans(tmp_path, PAYLOAD)
    page = tmp_path / "report.html"
    args = ["report", str(tmp_path / "plans"), "--criteria", str(criteria), "--html", str(page)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")

    found: list[tuple[str, list[tuple[str, str | None]]]] = []
    comments: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

        def handle_comment(self, data: str) -> None:
            comments.append(data)

    Collect().feed(html)
    assert "script" not in {tag for tag, _attrs in found}
    assert not [a for _tag, attrs in found for a in attrs if a[0].startswith("on")]
    assert not [v for _tag, attrs in found for _k, v in attrs if v and "javascript" in v]
    assert html.count("<style>") == 1 and html.count("</style>") == 1
    assert all("alert" not in c for c in comments)
    # the text is there, escaped: region (title, heading), name, notes, reason, stop, title
    assert html.count("&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;") >= 8


needs_browser = pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")),
    reason="needs Chromium",
)


@needs_browser
def test_report_long_words_stay_on_the_page(tmp_path: Path) -> None:
    # Defect: `overflow-wrap: break-word` on th/td does not let a table cell (or a grid item)
    # shrink below its longest word, and headings had no overflow-wrap at all: a 300-letter
    # name, title, initiator or stop pushed the page to 8,878 px wide on an A4 width of 794
    # px, and the PDF cut every table at the right edge.
    from woonplan.report.pdf import browser_page

    criteria = _hostile_plans(tmp_path, LONG)
    page = tmp_path / "report.html"
    args = ["report", str(tmp_path / "plans"), "--criteria", str(criteria), "--html", str(page)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    with browser_page(page.read_text(encoding="utf-8")) as chromium:
        metrics = {"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": False}
        chromium.call("Emulation.setDeviceMetricsOverride", metrics)  # A4 at 96 dpi
        wide = chromium.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        spilling = chromium.evaluate(
            "[...document.querySelectorAll('body *')].filter("
            "e => !e.closest('svg') && e.scrollWidth > e.clientWidth + 1).length"
        )
    assert wide == 0
    assert spilling == 0


@needs_browser
def test_pdf_leaves_nothing_in_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Defect: besides its temporary profile, Chromium wrote ~/.config/chromium/Crash Reports/
    # (and ~/.cache/dconf/), left behind after every --pdf run.
    from woonplan.report.pdf import PageFurniture, print_pdf

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    printed = print_pdf("<!DOCTYPE html><p>x</p>", PageFurniture("<span></span>", "<span></span>"))
    assert printed.startswith(b"%PDF")
    assert [p.relative_to(home).as_posix() for p in home.rglob("*")] == []


@needs_git
@pytest.mark.parametrize("inside", ["plans/link.yaml", "./plans/link.yaml"])
def test_changes_rev_path_naming_a_link_is_a_link_problem(
    repo: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    # Defect: `REV:plans/link.yaml` read the link's target text as the plan's YAML (here a
    # valid plan, as a crafted commit can store any text as a link), where the folder listing
    # `REV:plans` reports the same link as "a symbolic link ... not followed".
    target = plan_text("link")
    (repo / "plans" / "link.yaml").symlink_to(target)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a link")
    runner = CliRunner()
    folder = runner.invoke(app, ["changes", "HEAD:plans", "HEAD:plans", "-f", "json"])
    assert "HEAD:plans/link.yaml: a symbolic link" in folder.stderr
    one = runner.invoke(app, ["changes", f"HEAD:{inside}", "HEAD:plans", "-f", "json"])
    assert one.exit_code == 2, one.output
    assert f"HEAD:{inside}: a symbolic link" in one.stderr
    assert "must be a YAML mapping" not in one.stderr
    assert '"link"' not in one.stdout  # not read as the plan `link`


@needs_git
@pytest.mark.parametrize("old", ["HEAD~1:plans", "HEAD~1:./", "HEAD~1:../plans"])
def test_changes_from_a_subfolder_reads_the_whole_revision(
    repo: Path, monkeypatch: pytest.MonkeyPatch, old: str
) -> None:
    # Defect: run from a subfolder of the repository (here plans/), `git ls-tree` without
    # --full-tree lists only what lies under the current folder's path *inside the listed
    # tree* (plans/plans/...): every revision side was empty, so "0 plans unchanged", or
    # every plan "added" against a folder. The same for the link test of one file.
    monkeypatch.chdir(repo / "plans")
    result = CliRunner().invoke(app, ["changes", old, ".", "-f", "json"])
    assert result.exit_code == 2, result.output  # the hostile-named file in the folder
    assert '"unchanged": 1' in result.stdout  # good-plan, on both sides
    (repo / "plans" / "link.yaml").symlink_to(plan_text("link"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "a link")
    one = CliRunner().invoke(app, ["changes", "HEAD:./link.yaml", "HEAD:./", "-f", "json"])
    assert "HEAD:./link.yaml: a symbolic link" in one.stderr
