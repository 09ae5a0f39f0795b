"""``woonplan progress``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

from woonplan.cli.app import (
    EXIT_INVALID,
    AsOfOpt,
    Command,
    CriteriaOpt,
    LangOpt,
    OutputOpt,
    PathsArg,
    app,
    format_option,
)
from woonplan.cli.run import check_run, emit, fail_input, style_for, use_language
from woonplan.i18n import _
from woonplan.render import ProgressFormat


@app.command(cls=Command)
def progress(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str,
        format_option(get_args(ProgressFormat)),
    ] = "table",
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Also write an Excel workbook (atomically) with summary, plans, "
            "municipalities, years with a chart, checks and obstacles. See docs/excel.md.",
            metavar="FILE.xlsx",
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Summarise the region's progress toward its target: totals, social rent (sociale huur),
    per municipality, per year, obstacles and verdicts.

    Invalid plan files are listed and left out of the figures; the exit code is then 2.
    """
    from woonplan.progress.contributions import contribution_keeper
    from woonplan.progress.sums import progress_of_reports
    from woonplan.render import PROGRESS_RENDERERS, renderer

    use_language(lang)
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":  # Excel refuses other suffixes
        fail_input([_("--xlsx: {path} must end in .xlsx").format(path=xlsx)])
    # only the workbook shows plans one by one; otherwise each plan's part of the figures is
    # all that is kept of it (memory for 100,000 plans)
    # (with the region's price limits, which move homes between segments)
    keeper = contribution_keeper
    if xlsx is not None:  # the workbook shows the plans: results kept, figures made in workers
        from woonplan.excel.export import workbook_keeper

        keeper = workbook_keeper
    report = check_run(
        paths, criteria, as_of, [output, xlsx], partial=False, slim_for_region=keeper
    )
    loaded, year = report.criteria, report.as_of
    invalid = [p for p in report.plans if not p.valid]
    for plan_report in invalid:
        for error in plan_report.errors:
            typer.echo(str(error), err=True)
    figures = progress_of_reports(
        report.plans,
        loaded.region,
        year,
        [p.file for p in invalid],
        policy_tests=loaded.policy_tests,
    )
    text = renderer(PROGRESS_RENDERERS, format)(figures, style_for(output))
    if xlsx is None:
        emit(text, output)
    else:
        from woonplan.excel.export import workbook_writer  # imports openpyxl: only when asked
        from woonplan.output import OutputError

        try:
            workbook = workbook_writer(figures, report.valid_results)
        except OutputError as exc:  # e.g. more public transport stops than Excel has columns
            fail_input([f"{xlsx}: {exc}"])
        emit(text, output, also=[(xlsx, workbook)])
    if invalid:
        raise typer.Exit(EXIT_INVALID)
