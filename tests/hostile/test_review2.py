"""Hostile-input review, round three: the surfaces added since issue 11 (policy tests, price
limits, ``changes``, ``report``, ``--changed-since``, Dutch output). Each test failed on the code
before its fix (docs/security.md, "Review round three").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from probe import CRITERIA, PLANS, plan_text, woonplan

HOSTILE_TITLE = "[/bold] \x1b[2J\u009b31m\n::error::title"
"""A closing rich-markup tag that opens nothing, escapes, and a GitHub workflow command."""


def _criteria(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = CRITERIA.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "criteria.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (escapes written as YAML escapes)."""
    escaped = value.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"'


# --- policy-test titles and municipality names in the progress table -----------------------


def test_policy_test_titles_and_municipalities_are_text_in_the_progress_table(
    tmp_path: Path,
) -> None:
    # Before: the titles (the region's tests and the grid's headers) and the grid's municipality
    # names went to rich as markup strings: "[/bold]" ended in a MarkupError traceback, "[red]"
    # would have styled, and ESC, CSI and a newline (a ::error:: line) reached the terminal.
    plans = tmp_path / "plans"
    plans.mkdir()
    for plan in PLANS.glob("*.yaml"):
        text = plan.read_text(encoding="utf-8")
        if "\nmunicipality: Laren\n" in text:
            text = text.replace("\nmunicipality: Laren\n", f"\nmunicipality: {_quoted('[/i]L')}\n")
        (plans / plan.name).write_text(text, encoding="utf-8")
    criteria = _criteria(
        tmp_path,
        ("title: 130% plan capacity", f"title: {_quoted(HOSTILE_TITLE)}"),
        ("title: 30% social rent per municipality (Wvrv)", f"title: {_quoted(HOSTILE_TITLE)}"),
        ("Huizen, Laren,", f"Huizen, {_quoted('[/i]L')},"),
    )
    run = woonplan(
        "progress", str(plans), "--criteria", str(criteria), "--as-of", "2026", "--lang", "en"
    )
    run.assert_bounded()
    assert run.exit_code == 0, run.stderr
    for bad in ("\x1b", "\u009b"):
        assert bad not in run.stdout
    assert not re.search(r"^\s*::error::", run.stdout, re.MULTILINE)
    assert "[/bold]" in run.stdout and r"\x1b[2J" in run.stdout and r"\u009b31m" in run.stdout
    assert "[/i]L" in run.stdout


# --- policy tests × municipalities ----------------------------------------------------------

SIX = "Blaricum, Gooise Meren, Hilversum, Huizen, Laren, Wijdemeren"


def _region(municipalities: list[str], tests: int) -> str:
    """The bundled criteria.yaml with these municipalities and ``tests`` municipality tests."""
    text = re.sub(r"\n *#[^\n]*", "", CRITERIA.read_text(encoding="utf-8"))  # 1 MiB at most
    head, rest = text.split("\npolicy_tests:\n", 1)
    criteria = "\ncriteria:\n" + rest.split("\ncriteria:\n", 1)[1]
    head = head.replace(f"[{SIX}]", "[" + ", ".join(municipalities) + "]")
    items = "".join(
        f"- {{id: t{i}, title: t, scope: municipality, metric: mid_rent_homes,"
        f" target: 1, limit: 0}}\n"
        for i in range(tests)
    )
    return head + "\npolicy_tests:" + ("\n" + items if tests else " []") + criteria


def test_policy_tests_and_municipalities_are_capped(tmp_path: Path) -> None:
    # Before: 11,000 policy tests of scope municipality on 506 municipalities (a 1 MiB file)
    # made `progress` take over 11 GB and run for minutes (5.8 million results); 100,006
    # municipalities made `check` of 300 plans naming another one run for over 60 s (a
    # did-you-mean over every name and a message listing them all, for each plan).
    criteria = tmp_path / "criteria.yaml"
    names = SIX.split(", ")
    criteria.write_text(_region([*names, *(f"m{i}" for i in range(500))], 11_000))
    run = woonplan("progress", "--criteria", str(criteria), "--format", "json", str(PLANS))
    run.assert_bounded()
    assert run.exit_code == 2
    assert "region.municipalities: must have at most 400 items (got 506)" in run.stderr
    assert "policy_tests: must have at most 100 items (got 11,000)" in run.stderr
    criteria.write_text(_region([*names, *(f"m{i}" for i in range(395))], 0))
    run = woonplan("check", "--criteria", str(criteria), str(PLANS))
    assert run.exit_code == 2 and "must have at most 400 items (got 401)" in run.stderr
    criteria.write_text(_region([*names, "M" * 101], 0))
    run = woonplan("check", "--criteria", str(criteria), str(PLANS))
    assert run.exit_code == 2 and "is too long (at most 100 characters)" in run.stderr
    criteria.write_text(_region(names, 101))
    run = woonplan("check", "--criteria", str(criteria), str(PLANS))
    assert run.exit_code == 2
    assert "policy_tests: must have at most 100 items (got 101)" in run.stderr


def test_the_most_policy_tests_and_municipalities_allowed_stay_within_bounds(
    tmp_path: Path,
) -> None:
    criteria = tmp_path / "criteria.yaml"
    names = SIX.split(", ") + [f"{i:03d}" + "m" * 97 for i in range(394)]  # 400, of 100 letters
    criteria.write_text(_region(names, 100))
    for fmt in ("table", "json", "markdown"):
        run = woonplan(
            "progress", "--criteria", str(criteria), "--format", fmt, "--as-of", "2026", str(PLANS)
        )
        run.assert_bounded()
        assert run.exit_code == 0, run.stderr
    plans = tmp_path / "plans"
    plans.mkdir()
    for i in range(300):  # each told every municipality's name
        (plans / f"p{i}.yaml").write_text(plan_text(f"p{i}", municipality="Nowhere"))
    run = woonplan("check", "--criteria", str(criteria), "--format", "json", str(plans))
    run.assert_bounded()
    assert run.exit_code == 2
    assert run.stdout.count("is not a municipality of") == 300


# --- a Dutch thousands dot in criteria.yaml --------------------------------------------------


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_thousands_dot_in_a_price_limit_or_a_count_is_an_error(tmp_path: Path) -> None:
    # Before: `affordable_buy: 390.000` was read as a limit of 390 euros, so every plan's
    # affordable-buy homes counted as free-sector buy, and `target: 1.500` on a count of homes
    # as 1.5 homes (the test passed with 2 mid-rent homes): both silently, exit 0. A plan's
    # own prices already refused the same thing (issue 12).
    criteria = _criteria(
        tmp_path,
        ("affordable_buy: 390000\n", "affordable_buy: 390.000\n"),
        ("    target: 1500\n    limit: 1200\n", "    target: 1.500\n    limit: 1.200\n"),
    )
    run = woonplan("progress", "--criteria", str(criteria), "--lang", "en", str(PLANS))
    run.assert_bounded()
    assert run.exit_code == 2, run.stdout
    price = _line_of(criteria, "      affordable_buy: 390.000")
    target = _line_of(criteria, "    target: 1.500")
    assert run.stderr.splitlines() == [
        f"{criteria}:{price}:23: region.price_limits.2024.affordable_buy: 390.000 is read as 390 "
        "euros (YAML reads the dot as a decimal point); write 390000, without a thousands "
        "separator",
        f"{criteria}:{target}:13: policy_tests[3].target: 1.500 is read as 1.5 (YAML reads the "
        "dot as a decimal point); write 1500, without a thousands separator",
        f"{criteria}:{target + 1}:12: policy_tests[3].limit: 1.200 is read as 1.2 (YAML reads the "
        "dot as a decimal point); write 1200, without a thousands separator",
    ]


def test_a_ratio_or_share_with_three_decimals_is_not_a_thousands_dot(tmp_path: Path) -> None:
    # 1.300 plan capacity is 130%, a ratio: written so on purpose, never refused.
    criteria = _criteria(tmp_path, ("    target: 1.30\n", "    target: 1.300\n"))
    run = woonplan("progress", "--criteria", str(criteria), "--format", "json", str(PLANS))
    assert run.exit_code == 0, run.stderr


# --- outputs that are symbolic links (output.py; another branch's file at the time) ---------


def test_an_output_that_is_a_link_is_written_through_it(tmp_path: Path) -> None:
    # `check -o link.json` with link.json -> real.json: the link was replaced by a regular file
    # and real.json kept its old content, so whatever reads real.json saw no new result.
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text("plan"), encoding="utf-8")
    run = woonplan(
        "check", "--criteria", str(CRITERIA), "--format", "json", "-o", str(link), str(plan)
    )
    assert run.exit_code == 0, run.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("{")


def test_an_output_linked_to_standard_output_is_never_replaced(tmp_path: Path) -> None:
    # `woonplan check -o /dev/stdout > log` (a common CI idiom): /dev/stdout is a link to
    # /proc/self/fd/1, which is the regular file `log`, so the check passed; the temporary file
    # was made in /dev and renamed onto /dev/stdout, replacing the system's link with a file
    # (as root; as another user: "cannot write here"). Here the same with a link of our own, so
    # that the test cannot damage the machine whatever the code does.
    stdout_link = tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text("plan"), encoding="utf-8")
    log = tmp_path / "log"
    with log.open("wb") as handle:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "woonplan",
                "check",
                "--criteria",
                str(CRITERIA),
                "-o",
                str(stdout_link),
                str(plan),
            ],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert stdout_link.is_symlink(), "the link was replaced by a regular file"
    # written through to the file behind fd 1, or refused with one line: never the link replaced
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 2:
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


# --- git that never answers (changes/snapshot.py; another branch's file at the time) ---------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_that_never_answers_is_given_up_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `woonplan changes main:plans plans` (and `report --since`) waited for git forever: e.g. a
    # partial clone fetching a blob from a remote that does not answer. A git that sleeps
    # on `cat-file --batch` stands in for it; the fix gives every git call a timeout
    # (snapshot.GIT_TIMEOUT, as checking.changed has) and kills git when it passes.
    from woonplan.changes import snapshot
    from woonplan.checking.criteria import load_criteria

    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    (repo / "plans" / "plan.yaml").write_text(plan_text("plan"), encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one"],
    ):
        subprocess.run(["git", *args], cwd=repo, env=os.environ | env, check=True)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = --batch ] && sleep 8; done\n'
        f'exec {shutil.which("git")} "$@"\n',
        encoding="utf-8",
    )
    (fake / "git").chmod(0o755)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setattr(snapshot, "GIT_TIMEOUT", 2, raising=False)
    criteria = load_criteria(CRITERIA)
    start = time.monotonic()
    with pytest.raises(snapshot.SnapshotError, match="git"):
        snapshot.read_snapshot("HEAD:plans", criteria, 2026)
    assert time.monotonic() - start < 6


# --- the report's page (report/templates; another branch's files at the time) --------------


def test_the_report_page_forbids_scripts_and_fetches_itself(tmp_path: Path) -> None:
    # Every text is escaped (test_changes_report.py), but nothing stops a page that a future
    # template mistake lets a <script> or an <img src=https://...> into: a policy in the page
    # itself is the second wall (a browser that opens the file, Chromium printing the PDF).
    page = tmp_path / "report.html"
    run = woonplan("report", "--criteria", str(CRITERIA), "--html", str(page), str(PLANS))
    assert run.exit_code == 0, run.stderr
    html = page.read_text(encoding="utf-8")
    policy = re.search(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html, re.IGNORECASE
    )
    assert policy is not None
    rules = {part.strip().split()[0]: part.strip() for part in policy.group(1).split(";")}
    assert rules["default-src"] == "default-src 'none'"
    assert "script-src" not in rules
    assert html.index("Content-Security-Policy") < html.index("<style")


# --- a browser that answers nonsense (report/pdf.py; another branch's file at the time) ------

_BROWSER = """\
#!{python}
import json, os, sys
mode = {mode!r}
if mode == "garbage":
    os.write(4, b"<html>not the DevTools protocol</html>\\0")
elif mode == "list":
    os.write(4, b"[1, 2]\\0")
buffer = b""
while mode in ("no-data", "bad-base64"):
    chunk = os.read(3, 65536)
    if not chunk:
        break
    buffer += chunk
    while b"\\0" in buffer:
        raw, buffer = buffer.split(b"\\0", 1)
        message = json.loads(raw)
        method, result = message["method"], {{}}
        if method == "Target.createTarget":
            result = {{"targetId": "t"}}
        elif method == "Target.attachToTarget":
            result = {{"sessionId": "s"}}
        elif method == "Page.navigate":
            os.write(4, json.dumps({{"method": "Page.loadEventFired"}}).encode() + b"\\0")
        elif method == "Page.printToPDF" and mode == "bad-base64":
            result = {{"data": "!!!"}}
        os.write(4, json.dumps({{"id": message["id"], "result": result}}).encode() + b"\\0")
os.read(3, 1)  # until woonplan closes the pipe
"""


@pytest.mark.parametrize("mode", ["garbage", "list", "no-data", "bad-base64"])
def test_a_browser_answering_nonsense_is_one_line(tmp_path: Path, mode: str) -> None:
    # A "chromium" on PATH that is not the Chromium woonplan expects (a wrapper, another
    # version, another program of that name) answered with text that is not JSON, JSON that is
    # not an object, a print without `data`, or `data` that is not base64: each ended in a
    # traceback, exit 1. Fix: in Chromium._receive, a message that does not parse as a JSON
    # object, and in pdf(), a `data` that is missing or not base64 (binascii.Error), raise
    # BrowserError("... answered something woonplan cannot read; the PDF was not made").
    folder = tmp_path / "bin"
    folder.mkdir()
    browser = folder / "chromium"
    browser.write_text(_BROWSER.format(python=sys.executable, mode=mode), encoding="utf-8")
    browser.chmod(0o755)
    pdf = tmp_path / "report.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "woonplan",
            "report",
            "--criteria",
            str(CRITERIA),
            "--pdf",
            str(pdf),
            "--lang",
            "en",
            str(PLANS),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=os.environ | {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"},
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not pdf.exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_a_file_name_that_is_not_utf8_does_not_stop_the_pdf(tmp_path: Path) -> None:
    # A plan file named b"bad-\xff.yaml" (Python holds the name as "bad-\udcff.yaml") is listed
    # as invalid in the report; the HTML output encodes it as "\udcff" (output.text_writer), but
    # Chromium.open_html wrote the page with page.write_text(html, encoding="utf-8"): a
    # UnicodeEncodeError traceback, exit 1, and neither the PDF nor the HTML of the same run was
    # written. Fix: page.write_bytes(html.encode("utf-8", "backslashreplace")).
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    with open(os.path.join(os.fsencode(plans), b"bad-\xff.yaml"), "wb") as handle:
        handle.write(b"id: x\n")
    pdf, html = tmp_path / "report.pdf", tmp_path / "report.html"
    # not under probe's address-space limit: Chromium maps far more than it uses
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "woonplan",
            "report",
            "--criteria",
            str(CRITERIA),
            "--html",
            str(html),
            "--pdf",
            str(pdf),
            "--lang",
            "en",
            str(plans),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr[-1500:]
    assert run.returncode == 2  # an invalid file: listed, left out, exit 2
    assert pdf.read_bytes().startswith(b"%PDF")
    assert r"bad-\udcff.yaml" in html.read_text(encoding="utf-8")


# --- a workbook whose imported sheet is not the one a reviewer sees (excel/importer.py) -------


def _workbook(tmp_path: Path) -> Path:
    """The bundled plans as `progress --xlsx` writes them (a Dutch run: sheet Plannen)."""
    book = tmp_path / "plans.xlsx"
    run = woonplan(
        "progress", "--criteria", str(CRITERIA), "--lang", "nl", "--xlsx", str(book), str(PLANS)
    )
    assert run.exit_code == 0, run.stderr
    return book


@pytest.mark.parametrize("case", ["hidden-plans-beside-plannen", "plannen-very-hidden"])
def test_import_never_reads_a_sheet_the_reviewer_cannot_see(tmp_path: Path, case: str) -> None:
    # A workbook from outside is looked at in Excel before it is imported. Before: with a
    # visible sheet Plannen and a "veryHidden" sheet Plans (Excel's menus cannot even unhide
    # it), import read Plans and wrote its plans, silently; a hidden Plannen alone was read as
    # well. Fix (importer): two Plans sheets (Plans and Plannen) are one line naming both, and
    # a Plans sheet whose state is hidden or veryHidden one line saying to unhide and check
    # it; exit 2, nothing written.
    import openpyxl

    book = _workbook(tmp_path)
    workbook = openpyxl.load_workbook(book)
    if case == "hidden-plans-beside-plannen":
        hidden = workbook.copy_worksheet(workbook["Plannen"])
        hidden.title = "Plans"
        names = [cell.value for cell in hidden[1]]
        hidden.cell(3, names.index("name") + 1, "Not what the reviewer read")
    else:
        hidden = workbook["Plannen"]
        workbook.active = 0
    hidden.sheet_state = "veryHidden"
    workbook.save(book)
    out = tmp_path / "out"
    run = woonplan("import", "--criteria", str(CRITERIA), "--out", str(out), str(book))
    run.assert_bounded()
    assert run.exit_code == 2, run.stdout
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert not out.exists() or not any(out.iterdir())


# --- the region's name in the changes table ---------------------------------------------------


def test_the_region_name_is_escaped_in_the_changes_table(tmp_path: Path) -> None:
    # Before: the title line of `woonplan changes` (table) held region.name raw: its ESC and
    # CSI reached the terminal and its newline began a line "::error::..." in a CI log. (The
    # other renderers of changes, and every renderer of check and progress, escaped it.)
    criteria = _criteria(
        tmp_path, ("  name: Gooi en Vechtstreek", f"  name: {_quoted(HOSTILE_TITLE)}")
    )
    run = woonplan("changes", "--criteria", str(criteria), "--lang", "en", str(PLANS), str(PLANS))
    run.assert_bounded()
    assert run.exit_code == 0, run.stderr
    for bad in ("\x1b", "\u009b"):
        assert bad not in run.stdout
    assert not re.search(r"^\s*::error::", run.stdout, re.MULTILINE)
    assert r"[/bold] \x1b[2J\u009b31m\n::error::title" in run.stdout


# --- a target a metric can never reach -------------------------------------------------------


def test_a_share_written_as_a_percentage_or_a_negative_count_is_an_error(tmp_path: Path) -> None:
    # Before: `target: 33, limit: 30` for "30% social rent per municipality" (a percentage
    # where a share from 0 to 1 belongs) failed every municipality, and `target: -1500` on a
    # count of homes passed everything, both without a word at load.
    criteria = _criteria(
        tmp_path,
        ("    target: 0.30\n    limit: 0.25\n", "    target: 33\n    limit: 30\n"),
        ("    target: 1500\n    limit: 1200\n", "    target: -1200\n    limit: -1500\n"),
    )
    run = woonplan("progress", "--criteria", str(criteria), "--lang", "en", str(PLANS))
    run.assert_bounded()
    assert run.exit_code == 2, run.stdout
    share = _line_of(criteria, "    target: 33")
    count = _line_of(criteria, "    target: -1200")
    assert run.stderr.splitlines() == [
        f"{criteria}:{share}:13: policy_tests[1].target: social_rent_share is a share from 0 to 1 "
        "(33% is written 0.33); got 33",
        f"{criteria}:{share + 1}:12: policy_tests[1].limit: social_rent_share is a share from 0 "
        "to 1 (33% is written 0.33); got 30",
        f"{criteria}:{count}:13: policy_tests[3].target: mid_rent_homes is never negative; got "
        "-1200",
        f"{criteria}:{count + 1}:12: policy_tests[3].limit: mid_rent_homes is never negative; got "
        "-1500",
    ]


def test_import_never_replaces_the_criteria_file_it_read(tmp_path: Path) -> None:
    # A row whose id is "criteria", imported with --out . --overwrite where criteria.yaml is
    # (the workbook comes from outside): before, import wrote the row over criteria.yaml, the
    # file the run had just read its rules from. Every other command refuses an output that is
    # one of its inputs; import now too, before anything is written.
    import openpyxl

    book = _workbook(tmp_path)
    workbook = openpyxl.load_workbook(book)
    workbook["Plannen"].cell(3, 1, "criteria")
    workbook.save(book)
    criteria = tmp_path / "criteria.yaml"
    shutil.copy(CRITERIA, criteria)
    before = criteria.read_bytes()
    out = tmp_path
    run = woonplan(
        "import",
        "--criteria",
        str(criteria),
        "--out",
        str(out),
        "--overwrite",
        "--lang",
        "en",
        str(book),
    )
    run.assert_bounded()
    assert run.exit_code == 2, run.stderr
    assert run.stderr.strip() == f"{criteria}: is one of the input files; not overwritten"
    assert criteria.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["criteria.yaml", "plans.xlsx"]


# --- check --changed-since leaves the repository as it was -----------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_does_not_write_the_git_index(tmp_path: Path) -> None:
    # `git diff REV` against the working tree refreshes the stat data of the index and writes
    # .git/index (taking index.lock) when a file's time changed: `check --changed-since` wrote
    # the repository's index on every such run (GIT_OPTIONAL_LOCKS=0 does not stop `git diff`;
    # tried). Now git diff and ls-files run on a copy of the index (GIT_INDEX_FILE).
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    plan = repo / "plans" / "plan.yaml"
    plan.write_text(plan_text("plan"), encoding="utf-8")
    env = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one"],
    ):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    index = repo / ".git" / "index"
    stamp = plan.stat().st_mtime + 5
    os.utime(plan, (stamp, stamp))  # a new time, the same bytes: git would refresh its stat data
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "woonplan",
            "check",
            "--criteria",
            str(CRITERIA),
            "--changed-since",
            "HEAD",
            "plans",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_pull_request_changing_the_criteria_is_judged_on_every_plan(tmp_path: Path) -> None:
    # Before: a pull request that changed only criteria.yaml (here: a municipality renamed, so
    # that a plan of it is no longer valid) changed no plan file, so `check --changed-since`
    # reported nothing and exited 0; the same check without --changed-since, on main after
    # the merge, exited 2. New rules are judged on every plan.
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    shutil.copy(CRITERIA, repo / "criteria.yaml")
    (repo / "plans" / "plan.yaml").write_text(
        plan_text("plan", municipality="Laren"), encoding="utf-8"
    )
    env = os.environ | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one"],
    ):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    criteria = repo / "criteria.yaml"
    criteria.write_text(
        criteria.read_text(encoding="utf-8").replace("Laren, Wijdemeren", "Laaren, Wijdemeren"),
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "woonplan",
            "check",
            "--changed-since",
            "HEAD",
            "--lang",
            "en",
            "--format",
            "json",
            "plans",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert done.returncode == 2, done.stdout
    assert "'Laren' is not a municipality of" in done.stdout


def test_a_region_name_with_control_characters_still_gives_a_workbook(tmp_path: Path) -> None:
    # YAML lets a double-quoted name hold "\x01" or "\uFFFE". Cells get them escaped (issue
    # 11, 10), but the workbook's document title ("Housing progress {region}") was written
    # raw: docProps/core.xml was not XML, so Excel, openpyxl and `woonplan import` could not
    # open the workbook woonplan had just written (exit 0). Fix: the title through
    # excel.cells.cell_text, as every cell's text.
    import zipfile
    from xml.dom import minidom

    criteria = _criteria(tmp_path, ("  name: Gooi en Vechtstreek", '  name: "reg \\x01\\uFFFE"'))
    book = tmp_path / "progress.xlsx"
    run = woonplan(
        "progress", "--criteria", str(criteria), "--xlsx", str(book), "--lang", "en", str(PLANS)
    )
    assert run.exit_code == 0, run.stderr
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(archive.read(name))  # raises on a character XML cannot hold
