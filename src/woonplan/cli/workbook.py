"""``woonplan import``: a workbook's Plans sheet into plan files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from woonplan.cli.app import FLAG, Command, CriteriaOpt, LangOpt, app
from woonplan.cli.run import fail_input, read_criteria, use_language
from woonplan.i18n import _


@app.command("import", cls=Command)
def import_plans(
    workbook: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx workbook with a Plans sheet in the layout of docs/excel.md.",
            metavar="WORKBOOK",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the plan files (created if missing).",
            file_okay=False,
            metavar="DIR",
        ),
    ],
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace plan files that already exist.", metavar=FLAG),
    ] = False,
    criteria: CriteriaOpt = None,
    lang: LangOpt = None,
) -> None:
    """Turn the rows of a workbook's Plans sheet into plan files, one per row, named after the id.

    Every row is checked like a plan file; errors name the sheet and cell. If any row is
    invalid, nothing is written (exit 2).
    """
    from woonplan.excel.importer import WorkbookError, read_plans, write_plans
    from woonplan.i18n import ngettext
    from woonplan.output import OutputError

    use_language(lang)
    loaded = read_criteria(criteria)
    try:
        result = read_plans(workbook, loaded)
    except WorkbookError as exc:
        fail_input([str(exc)])
    if result.problems:
        fail_input(
            [str(p) for p in result.problems]
            + [
                ngettext(
                    "{workbook}: nothing written ({count} problem)",
                    "{workbook}: nothing written ({count} problems)",
                    len(result.problems),
                ).format(workbook=workbook, count=len(result.problems))
            ]
        )
    try:
        written = write_plans(result, out, overwrite)
    except OutputError as exc:
        fail_input([str(exc)])
    for path in written:
        typer.echo(_("wrote {path}").format(path=path), err=True)
