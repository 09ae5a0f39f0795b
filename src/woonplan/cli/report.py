"""``woonplan report``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from woonplan.cli.app import EXIT_INVALID, AsOfOpt, Command, CriteriaOpt, LangOpt, PathsArg, app
from woonplan.cli.run import check_run, fail_input, guard_outputs, use_language, write_files
from woonplan.i18n import _

if TYPE_CHECKING:
    from woonplan.checking.run import CheckReport


@app.command(cls=Command)
def report(
    paths: PathsArg = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write the report as one self-contained HTML page (atomically).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf",
            help="Write the report as an A4 PDF, printed by a headless Chromium on PATH.",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Show what changed since OLD: a folder or a git revision with a path "
            "(REV:PATH), as woonplan changes reads it.",
            metavar="OLD",
        ),
    ] = None,
    criteria: CriteriaOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the governance meeting's report: headline, policy tests, municipalities, years
    against the pace, obstacles, changes since OLD, and a dossier for every plan of
    review_threshold homes or more. See docs/report.md.

    At least one of --html and --pdf is required. Invalid plan files are listed and left out
    of the figures; the exit code is then 2.
    """
    use_language(lang)
    if html is None and pdf is None:
        fail_input([_("woonplan report: give --html FILE, --pdf FILE or both")])
    browser = None
    if pdf is not None:  # before the work, not after it
        from woonplan.report.pdf import BrowserError, find_browser

        try:
            browser = find_browser()
        except BrowserError as exc:
            fail_input([str(exc)])
    checked = check_run(paths, criteria, as_of, [html, pdf], partial=False)
    invalid = [p for p in checked.plans if not p.valid]
    for plan_report in invalid:
        for error in plan_report.errors:
            typer.echo(str(error), err=True)
    changes, invalid_before = _changes_since(since, checked, paths, [html, pdf])
    from woonplan.report.make import report_files
    from woonplan.report.pdf import BrowserError

    try:
        files = report_files(checked, changes, since, html, pdf, browser)
    except BrowserError as exc:  # nothing is written
        fail_input([str(exc)])
    write_files(files)
    if invalid or invalid_before:
        raise typer.Exit(EXIT_INVALID)


def _changes_since(
    since: str | None, checked: CheckReport, paths: list[Path] | None, outputs: list[Path | None]
) -> tuple[dict[str, Any] | None, bool]:
    """``report --since``: the changes as JSON data (None without ``--since``), and whether the
    old side had invalid files (listed on stderr, as ``woonplan changes`` lists them)."""
    if since is None:
        return None, False
    from woonplan.problems import WoonplanError
    from woonplan.report.since import changes_since

    label = " ".join(str(p) for p in paths or [Path("plans")])
    try:
        found = changes_since(since, checked, label)
    except WoonplanError as exc:
        fail_input([str(exc)])
    guard_outputs(outputs, found.input_files)
    for problem in found.problems:
        typer.echo(str(problem), err=True)
    return found.changes, bool(found.problems)
