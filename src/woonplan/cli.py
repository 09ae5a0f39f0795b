"""The command line: options in, one library call, one renderer, one exit code.

Exit codes: 0 success; 1 a required criterion failed (with ``--strict``: anything warned);
2 invalid input or usage.
"""

from __future__ import annotations

import datetime
import gc
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn, get_args

import typer

from woonplan import __version__
from woonplan.render import CheckFormat, ProgressFormat, Style

if TYPE_CHECKING:
    from woonplan.checking.criteria import Criteria
    from woonplan.checking.run import CheckReport
    from woonplan.output import Writer

EXIT_INVALID = 2
"""Bad input or usage; exit codes 0 and 1 are the report's (``CheckReport.exit_code``)."""
FLAG = ""
"""Metavar of on/off options: typer would show ``<bool>``, as if they took a value."""

app = typer.Typer(
    name="woonplan",
    help="Check housing plans for Gooi en Vechtstreek against the regional criteria, "
    "and summarise progress toward the 2030 target.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help and errors: paragraphs re-wrapped, no rich boxes, no <bool> metavars
    rich_markup_mode=None,
)


class _Command(typer.core.TyperCommand):
    """Usage lines as people read them: ``WORKBOOK``, not typer's ``{WORKBOOK}``."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:].replace("}", "", 1) if p.startswith("{") else p for p in pieces]


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan files or folders (every *.yaml / *.yml below, sorted). Default: plans/",
        show_default=False,
        metavar="PATH...",
    ),
]
CriteriaOpt = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        help="criteria.yaml to use. Default: ./criteria.yaml, else the packaged region default.",
        dir_okay=False,
        metavar="FILE",
    ),
]
AsOfOpt = Annotated[
    int | None,
    typer.Option(
        "--as-of",
        help="The current year for overdue checks and pace. Default: this year.",
        min=1900,
        max=2100,
        show_default=False,
        metavar="YEAR",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file (atomically) instead of stdout.",
        dir_okay=False,
        metavar="FILE",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"woonplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_version,
            is_eager=True,
            metavar=FLAG,
        ),
    ] = False,
) -> None:
    """Check housing plans for Gooi en Vechtstreek against the regional criteria."""


@app.command(cls=_Command)
def check(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: table; github when GITHUB_ACTIONS=true.",
            show_default=False,
            callback=lambda value: _choice(value, get_args(CheckFormat), "format"),
            metavar="[" + "|".join(get_args(CheckFormat)) + "]",
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
) -> None:
    """Validate plan files and score them on the regional criteria.

    Exit code 0 when every plan is valid and no required criterion fails, 1 when a required
    criterion fails (with --strict: when anything warns), 2 when a file is invalid.
    """
    from woonplan.render import CHECK_RENDERERS, renderer

    report = _check_run(paths, criteria, as_of, [output], partial=True)
    if changed_since is not None:
        from woonplan.checking.changed import ChangedError, changed_files

        try:
            changed = changed_files(changed_since, (paths or [Path("plans")])[0])
        except ChangedError as exc:
            _fail_input([str(exc)])
        report = report.restricted_to(changed)
    if format is None:
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"
    _emit(renderer(CHECK_RENDERERS, format)(report, _style(output)), output)
    raise typer.Exit(report.exit_code(strict))


@app.command(cls=_Command)
def progress(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="Output format.",
            callback=lambda value: _choice(value, get_args(ProgressFormat), "format"),
            metavar="[" + "|".join(get_args(ProgressFormat)) + "]",
        ),
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
) -> None:
    """Summarise the region's progress toward its target: totals, social rent (sociale huur),
    per municipality, per year, obstacles and verdicts.

    Invalid plan files are listed and left out of the figures; the exit code is then 2.
    """
    from woonplan.progress.compute import compute_progress
    from woonplan.render import PROGRESS_RENDERERS, renderer

    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":  # Excel refuses other suffixes
        from woonplan.i18n import _

        _fail_input([_("--xlsx: {path} must end in .xlsx").format(path=xlsx)])
    report = _check_run(paths, criteria, as_of, [output, xlsx], partial=False)
    loaded, year = report.criteria, report.as_of
    invalid = [p for p in report.plans if not p.valid]
    for plan_report in invalid:
        for error in plan_report.errors:
            typer.echo(str(error), err=True)
    figures = compute_progress(report.valid_results, loaded.region, year, [p.file for p in invalid])
    text = renderer(PROGRESS_RENDERERS, format)(figures, _style(output))
    if xlsx is None:
        _emit(text, output)
    else:
        from woonplan.excel.export import workbook_writer  # imports openpyxl: only when asked

        _emit(text, output, also=[(xlsx, workbook_writer(figures, report.valid_results))])
    if invalid:
        raise typer.Exit(EXIT_INVALID)


SchemaKind = Literal["plan", "criteria"]


@app.command(cls=_Command)
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            help="Which file: a plan file (plan) or criteria.yaml (criteria).",
            callback=lambda value: _choice(value, get_args(SchemaKind), "kind"),
            metavar="[plan|criteria]",
        ),
    ] = "plan",
    criteria: Annotated[
        Path | None,
        typer.Option(
            "--criteria",
            help="For the plan schema: the criteria.yaml whose municipalities and criterion ids "
            "the schema allows. Default: ./criteria.yaml, else the packaged region default.",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    output: OutputOpt = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a plan file or of criteria.yaml.

    Generated from woonplan's models, for editors and validators; see docs/ci.md.
    """
    from woonplan.schema import schema_text

    loaded = _load_criteria(criteria) if kind == "plan" else None
    _guard_outputs([output], [loaded.path] if loaded is not None and loaded.path else [])
    _emit(schema_text("plan" if kind == "plan" else "criteria", loaded), output)


@app.command("import", cls=_Command)
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
) -> None:
    """Turn the rows of a workbook's Plans sheet into plan files, one per row, named after the id.

    Every row is checked like a plan file; errors name the sheet and cell. If any row is
    invalid, nothing is written (exit 2).
    """
    from woonplan.excel.importer import WorkbookError, read_plans, write_plans
    from woonplan.i18n import ngettext
    from woonplan.output import OutputError

    loaded = _load_criteria(criteria)
    try:
        result = read_plans(workbook, loaded)
    except WorkbookError as exc:
        _fail_input([str(exc)])
    if result.problems:
        _fail_input(
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
        _fail_input([str(exc)])
    for path in written:
        typer.echo(f"wrote {path}", err=True)


def _choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    """A plain message for a value outside ``choices`` (typer's own reads 'Value error, ...')."""
    if value is None or value in choices:
        return value
    from woonplan.i18n import _

    raise typer.BadParameter(
        _("{value!r} is not a {what}; choose one of: {choices}").format(
            value=value, what=what, choices=", ".join(choices)
        )
    )


def _check_run(
    paths: list[Path] | None,
    criteria: Path | None,
    as_of: int | None,
    outputs: list[Path | None],
    partial: bool,
) -> CheckReport:
    """What check and progress share: criteria loaded, plans checked, outputs guarded."""
    from woonplan.checking.run import check_paths

    loaded = _load_criteria(criteria)
    year = as_of if as_of is not None else datetime.date.today().year
    report = check_paths(paths or [Path("plans")], loaded, year)
    _require_plans(report, paths, partial)
    _guard_outputs(outputs, report.input_files)
    return report


def _guard_outputs(outputs: Sequence[Path | None], inputs: Sequence[str | Path]) -> None:
    """Exit 2 with one line, before anything is written, for an output that would fail or
    destroy an input (:func:`woonplan.output.guard_outputs`)."""
    from woonplan.output import OutputError, guard_outputs

    try:
        guard_outputs(outputs, inputs)
    except OutputError as exc:
        _fail_input([str(exc)])


def _require_plans(report: CheckReport, paths: list[Path] | None, partial: bool) -> None:
    """Stop with one line per missing path, or when there are no plan files at all.

    ``partial``: a missing path among real plan files is reported in the report itself
    (``check``, so CI annotates it); otherwise (``progress``) it stops the run, because
    figures without the plans the user named would mislead.
    """
    missing = [p for p in report.plans if p.missing]
    if missing and (not partial or len(missing) == len(report.plans)):
        _fail_input([str(e) for p in missing for e in p.errors])
    if not report.plans:
        where = ", ".join(str(p) for p in paths or [Path("plans")])
        _fail_input([f"{where}: no plan files found (*.yaml or *.yml)"])


def _load_criteria(path: Path | None) -> Criteria:
    from woonplan.checking.criteria import load_criteria
    from woonplan.problems import InputError

    try:
        return load_criteria(path)
    except InputError as exc:
        _fail_input([str(p) for p in exc.problems])


def _fail_input(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(EXIT_INVALID)


def _style(output: Path | None) -> Style:
    width = shutil.get_terminal_size((100, 24)).columns
    tty = output is None and sys.stdout.isatty()
    # no-color.org: NO_COLOR set to a non-empty value turns colour off
    color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Style(color=color, width=max(60, width))


def _emit(text: str, output: Path | None, also: Sequence[tuple[Path, Writer]] = ()) -> None:
    """The report to ``output`` (or stdout) and the ``also`` files: all written or none (exit 2)."""
    files = list(also)
    if output is not None:
        from woonplan.output import text_writer

        files.append((output, text_writer(text)))
    if files:
        from woonplan.output import OutputError, write_all

        try:
            write_all(files)
        except OutputError as exc:
            _fail_input([f"{exc}"])
        for path, _ in files:
            typer.echo(f"wrote {path}", err=True)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()


def main() -> None:
    """Entry point of the ``woonplan`` command."""
    # A run keeps hundreds of thousands of small acyclic objects (the plans and their results);
    # with the default thresholds the cycle collector rescans them over and over (about 15%
    # of a 10,000-plan check). A short-lived command can collect far less often, as mypy does.
    gc.set_threshold(200_000, 30, 30)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
