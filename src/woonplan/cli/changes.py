"""``woonplan changes``."""

from __future__ import annotations

import datetime
from typing import Annotated, get_args

import typer

from woonplan.cli.app import (
    EXIT_INVALID,
    AsOfOpt,
    Command,
    CriteriaOpt,
    LangOpt,
    OutputOpt,
    app,
    format_option,
)
from woonplan.cli.run import emit, fail_input, guard_outputs, read_criteria, style_for, use_language
from woonplan.render import ChangesFormat


@app.command(cls=Command)
def changes(
    old: Annotated[
        str,
        typer.Argument(
            help="The earlier plans: a folder, or a git revision and a path in it, REV:PATH "
            "(main~3:plans, bo-2026-09:plans, a sha). A path that exists is a folder.",
            show_default=False,
            metavar="OLD",
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="The later plans, written the same way. Default: plans/",
            show_default=False,
            metavar="NEW",
        ),
    ] = "plans",
    criteria: CriteriaOpt = None,
    format: Annotated[
        str,
        format_option(get_args(ChangesFormat)),
    ] = "table",
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = None,
) -> None:
    """What moved between two snapshots of the plans: the regional figures before and after,
    and every plan added, removed or changed (phase, homes, delivery, obstacles, verdict).

    A git revision is read from git's objects, without checking anything out. Both sides are
    scored with the same criteria. Invalid files are listed and left out of both sides; the
    exit code is then 2. See docs/changes.md.
    """
    from woonplan.changes.compare import compare
    from woonplan.changes.pairs import read_snapshots
    from woonplan.changes.snapshot import SnapshotError
    from woonplan.render import CHANGES_RENDERERS, renderer

    use_language(lang)
    loaded = read_criteria(criteria)
    year = as_of if as_of is not None else datetime.date.today().year
    try:
        before, after = read_snapshots(old, new, loaded, year)
    except SnapshotError as exc:
        fail_input([str(exc)])
    guard_outputs([output], before.report.input_files + after.report.input_files)
    for side in (before, after):
        for plan_report in side.invalid:
            for error in plan_report.errors:
                typer.echo(str(error), err=True)
    result = compare(before, after, loaded.region, year)
    emit(renderer(CHANGES_RENDERERS, format)(result, style_for(output)), output)
    if result.invalid:
        raise typer.Exit(EXIT_INVALID)
