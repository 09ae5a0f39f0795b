"""``woonplan check``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, get_args

import typer

from woonplan.cli.app import (
    FLAG,
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
from woonplan.i18n import _, ngettext
from woonplan.render import CheckFormat


@app.command(cls=Command)
def check(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str | None,
        format_option(
            get_args(CheckFormat), "Output format. Default: table; github when GITHUB_ACTIONS=true."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit 1 when anything warns, not only on failures.", metavar=FLAG
        ),
    ] = False,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            help="Validate all plans, but report and decide the exit code only for plan files "
            "added, modified or renamed since this git revision (committed or not, and "
            "untracked files): the pull-request view. See docs/ci.md.",
            metavar="REV",
            show_default=False,
        ),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Validate plan files and score them on the regional criteria.

    Exit code 0 when every plan is valid and no required criterion fails, 1 when a required
    criterion fails (with --strict: when anything warns), 2 when a file is invalid.
    """
    from woonplan.render import CHECK_RENDERERS, renderer, slimmer

    use_language(lang)
    if format is None:
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"
    slim = slimmer(CHECK_RENDERERS, format)
    spool = None
    if format == "json":  # entries kept in a temporary file, written out piece by piece
        from woonplan.render.check_json import Spool

        spool = Spool()
    keep = spool.keep if spool is not None else None
    report = check_run(paths, criteria, as_of, [output], partial=True, slim=slim, keep=keep)
    if changed_since is not None:
        from woonplan.checking.changed import ChangedError, changed_files

        try:
            changed = changed_files(changed_since, (paths or [Path("plans")])[0])
        except ChangedError as exc:
            fail_input([str(exc)])
        rules = report.criteria.path
        # new rules are judged on every plan: a pull request that only changes criteria.yaml
        # (a municipality renamed, a stricter required criterion) changes no plan file
        if rules is None or os.path.realpath(rules) not in changed:
            validated = len(report.plans)
            report = report.restricted_to(changed)
            # said on stderr, for every format: "0 plans, exit 0" must not read as "all is well"
            typer.echo(
                ngettext(
                    "--changed-since {rev}: {shown} of {count} plan file checked is reported "
                    "(added, modified or renamed since {rev}); the others are not",
                    "--changed-since {rev}: {shown} of {count} plan files checked are reported "
                    "(added, modified or renamed since {rev}); the others are not",
                    validated,
                ).format(rev=changed_since, shown=len(report.plans), count=validated),
                err=True,
            )
        else:
            typer.echo(
                _("--changed-since {rev}: the criteria changed, so every plan is reported").format(
                    rev=changed_since
                ),
                err=True,
            )
    if spool is not None:
        from woonplan.render.check_json import stream

        emit(stream(report), output)
    else:
        emit(renderer(CHECK_RENDERERS, format)(report, style_for(output)), output)
    raise typer.Exit(report.exit_code(strict))
