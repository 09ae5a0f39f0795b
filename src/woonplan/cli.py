"""The command line: options in, one library call, one renderer, one exit code.

Exit codes: 0 success; 1 a required criterion failed (with ``--strict``: anything warned);
2 invalid input or usage.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, get_args

import typer

from woonplan import __version__
from woonplan.i18n import N_, Language, _
from woonplan.render import ChangesFormat, CheckFormat, ProgressFormat, Style

if TYPE_CHECKING:
    from woonplan.checking.criteria import Criteria
    from woonplan.checking.models import Region
    from woonplan.checking.run import CheckReport, Slim
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

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:].replace("}", "", 1) if p.startswith("{") else p for p in pieces]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Arguments without typer's Python type beside them (``PATH... <list[Path]>``)."""
        super().format_help(ctx, formatter)
        text = "".join(formatter.buffer)
        # "  PATH... <list[Path]>  help" → "  PATH...               help", columns kept
        text = _ARGUMENT_TYPE.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
        formatter.buffer[:] = [text]


_ARGUMENT_TYPE = re.compile(r"(?m)^(  \S+)( <[^>\n]+>)")


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
LangOpt = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of the output: nl (Dutch) or en (English). Default: WOONPLAN_LANG, "
        "else region.language in criteria.yaml, else en.",
        show_default=False,
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


def _format_option(formats: tuple[str, ...], help: str = "Output format.") -> Any:
    """``--format``/``-f`` with ``formats`` as its choices (a plain message for any other)."""
    return typer.Option(
        "--format",
        "-f",
        help=help,
        show_default=help == "Output format.",
        callback=lambda value: _choice(value, formats, N_("format")),
        metavar="[" + "|".join(formats) + "]",
    )


@app.command(cls=_Command)
def check(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str | None,
        _format_option(
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

    _language(lang)
    if format is None:
        format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table"
    slim = slimmer(CHECK_RENDERERS, format)
    spool = None
    if format == "json":  # entries kept in a temporary file, written out piece by piece
        from woonplan.render.check_json import Spool

        spool = Spool()
    keep = spool.keep if spool is not None else None
    report = _check_run(paths, criteria, as_of, [output], partial=True, slim=slim, keep=keep)
    if changed_since is not None:
        from woonplan.checking.changed import ChangedError, changed_files

        try:
            changed = changed_files(changed_since, (paths or [Path("plans")])[0])
        except ChangedError as exc:
            _fail_input([str(exc)])
        report = report.restricted_to(changed)
    if spool is not None:
        from woonplan.render.check_json import stream

        _emit(stream(report), output)
    else:
        _emit(renderer(CHECK_RENDERERS, format)(report, _style(output)), output)
    raise typer.Exit(report.exit_code(strict))


@app.command(cls=_Command)
def progress(
    paths: PathsArg = None,
    criteria: CriteriaOpt = None,
    format: Annotated[
        str,
        _format_option(get_args(ProgressFormat)),
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
    from woonplan.progress.compute import contribution_keeper, progress_of_reports
    from woonplan.render import PROGRESS_RENDERERS, renderer

    _language(lang)
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":  # Excel refuses other suffixes
        _fail_input([_("--xlsx: {path} must end in .xlsx").format(path=xlsx)])
    # only the workbook shows plans one by one; otherwise each plan's part of the figures is
    # all that is kept of it (memory for 100,000 plans)
    # (with the region's price limits, which move homes between segments)
    keeper = contribution_keeper
    if xlsx is not None:  # the workbook shows the plans: results kept, figures made in workers
        from woonplan.excel.export import workbook_keeper

        keeper = workbook_keeper
    report = _check_run(
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
    text = renderer(PROGRESS_RENDERERS, format)(figures, _style(output))
    if xlsx is None:
        _emit(text, output)
    else:
        from woonplan.excel.export import workbook_writer  # imports openpyxl: only when asked
        from woonplan.output import OutputError

        try:
            workbook = workbook_writer(figures, report.valid_results)
        except OutputError as exc:  # e.g. more public transport stops than Excel has columns
            _fail_input([f"{xlsx}: {exc}"])
        _emit(text, output, also=[(xlsx, workbook)])
    if invalid:
        raise typer.Exit(EXIT_INVALID)


@app.command(cls=_Command)
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
        _format_option(get_args(ChangesFormat)),
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

    _language(lang)
    loaded = _load_criteria(criteria)
    year = as_of if as_of is not None else datetime.date.today().year
    try:
        before, after = read_snapshots(old, new, loaded, year)
    except SnapshotError as exc:
        _fail_input([str(exc)])
    _guard_outputs([output], before.report.input_files + after.report.input_files)
    for side in (before, after):
        for plan_report in side.invalid:
            for error in plan_report.errors:
                typer.echo(str(error), err=True)
    result = compare(before, after, loaded.region, year)
    _emit(renderer(CHANGES_RENDERERS, format)(result, _style(output)), output)
    if result.invalid:
        raise typer.Exit(EXIT_INVALID)


@app.command(cls=_Command)
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
    _language(lang)
    if html is None and pdf is None:
        _fail_input([_("woonplan report: give --html FILE, --pdf FILE or both")])
    browser = None
    if pdf is not None:  # before the work, not after it
        from woonplan.report.pdf import BrowserError, find_browser

        try:
            browser = find_browser()
        except BrowserError as exc:
            _fail_input([str(exc)])
    checked = _check_run(paths, criteria, as_of, [html, pdf], partial=False)
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
        _fail_input([str(exc)])
    _write_files(files)
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
        _fail_input([str(exc)])
    _guard_outputs(outputs, found.input_files)
    for problem in found.problems:
        typer.echo(str(problem), err=True)
    return found.changes, bool(found.problems)


SchemaKind = Literal["plan", "criteria"]


@app.command(cls=_Command)
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            help="Which file: a plan file (plan) or criteria.yaml (criteria).",
            callback=lambda value: _choice(value, get_args(SchemaKind), N_("kind")),
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
    lang: LangOpt = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a plan file or of criteria.yaml.

    Generated from woonplan's models, for editors and validators; see docs/ci.md.
    """
    from woonplan.schema import schema_text

    _language(lang)
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
    lang: LangOpt = None,
) -> None:
    """Turn the rows of a workbook's Plans sheet into plan files, one per row, named after the id.

    Every row is checked like a plan file; errors name the sheet and cell. If any row is
    invalid, nothing is written (exit 2).
    """
    from woonplan.excel.importer import WorkbookError, read_plans, write_plans
    from woonplan.i18n import ngettext
    from woonplan.output import OutputError

    _language(lang)
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
        typer.echo(_("wrote {path}").format(path=path), err=True)


def _choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    """A plain message for a value outside ``choices`` (typer's own reads 'Value error, ...')."""
    if value is None or value in choices:
        return value
    raise typer.BadParameter(
        _("{value!r} is not a {what}; choose one of: {choices}").format(
            value=value, what=_(what), choices=", ".join(choices)
        )
    )


def _check_run(
    paths: list[Path] | None,
    criteria: Path | None,
    as_of: int | None,
    outputs: list[Path | None],
    partial: bool,
    slim: Slim | None = None,
    slim_for_region: Callable[[Region], Slim] | None = None,
    keep: Slim | None = None,
) -> CheckReport:
    """What check and progress share: criteria loaded, plans checked, outputs guarded
    (``slim_for_region``: the ``slim`` function for the loaded region)."""
    from woonplan.checking.run import check_paths

    loaded = _load_criteria(criteria)
    if slim_for_region is not None:
        slim = slim_for_region(loaded.region)
    year = as_of if as_of is not None else datetime.date.today().year
    report = check_paths(paths or [Path("plans")], loaded, year, slim, keep)
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
        _fail_input([_("{where}: no plan files found (*.yaml or *.yml)").format(where=where)])


def _load_criteria(path: Path | None) -> Criteria:
    from woonplan.checking.criteria import load_criteria
    from woonplan.problems import InputError

    try:
        loaded = load_criteria(path)
    except InputError as exc:
        _fail_input([str(p) for p in exc.problems])
    _language(_chosen_language[0], loaded.region.language)
    return loaded


_chosen_language: list[Language | None] = [None]
"""The run's ``--lang``, kept for :func:`_load_criteria` (the region's language comes second)."""


def _language(option: Language | None, region: Language | None = None) -> None:
    """Translate from here on into the run's language (:func:`woonplan.i18n.resolve_language`);
    an unknown ``WOONPLAN_LANG`` is a usage error (exit 2)."""
    from woonplan.i18n import LanguageError, resolve_language, set_language

    _chosen_language[0] = option
    try:
        set_language(resolve_language(option, region))
    except LanguageError as exc:
        _fail_input([str(exc)])


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


def _emit(
    text: str | Iterable[str], output: Path | None, also: Sequence[tuple[Path, Writer]] = ()
) -> None:
    """The report to ``output`` (or stdout) and the ``also`` files: all written or none (exit 2).

    ``text`` may come in pieces, written as they are made."""
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
        for path, _writer in files:
            typer.echo(_("wrote {path}").format(path=path), err=True)
    if output is None:
        try:
            for piece in [text] if isinstance(text, str) else text:
                sys.stdout.write(piece)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader has gone (`| head`): main() ends quietly
        except OSError as exc:  # e.g. ENOSPC: stdout is a full disk or /dev/full
            _discard_stdout()
            _fail_input([_("stdout: cannot write ({reason})").format(reason=exc.strerror or exc)])


def _discard_stdout() -> None:
    """Point fd 1 at /dev/null, so that the text still buffered is not written again (and
    fails again, with a traceback) when Python flushes stdout on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (e.g. a test's capture): nothing to flush
        pass


class Terminated(BaseException):
    """SIGTERM, raised like ``KeyboardInterrupt`` so that the same clean-up runs: temporary
    files are removed on the way out (:func:`woonplan.output.write_all`)."""


def _interrupt(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM: unwind (removing temporary files) and end without a traceback."""
    # Objects left half-built by the interrupt, such as the zip archive openpyxl was writing,
    # complain from __del__ when freed ("Exception ignored in: ZipFile.__del__"); the run is
    # over, so that is noise.
    sys.unraisablehook = _ignore
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _ignore(unraisable: object) -> None:
    pass


def _write_files(files: Sequence[tuple[Path, Writer]]) -> None:
    """All ``files`` written or none (exit 2), each announced on stderr."""
    from woonplan.output import OutputError, write_all

    try:
        write_all(files)
    except OutputError as exc:
        _fail_input([str(exc)])
    for path, _writer in files:
        typer.echo(_("wrote {path}").format(path=path), err=True)


def main() -> None:
    """Entry point of the ``woonplan`` command."""
    # A run keeps hundreds of thousands of small acyclic objects (the plans and their results);
    # with the default thresholds the cycle collector rescans them over and over (about 15%
    # of a 10,000-plan check). A short-lived command can collect far less often, as mypy does.
    gc.set_threshold(200_000, 30, 30)
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # `nohup`, `cmd &`: leave ignored
            signal.signal(signum, _interrupt)
    # A file name that is not UTF-8 reaches Python as lone surrogates (surrogateescape);
    # printed, it would raise UnicodeEncodeError. Shown escaped instead (\udcff), on every
    # stream, however PYTHONIOENCODING sets them.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        app()
    except KeyboardInterrupt:
        _exit_now(130)
    except Terminated:
        _exit_now(143)  # 128 + SIGTERM, as a shell reports a process killed by it
    except BrokenPipeError:
        _discard_stdout()
        sys.exit(1)
    except OSError as exc:
        # A file-system error that no check above foresaw (every known one is reported where
        # it happens): still one line and exit 2, never a traceback.
        name = exc.filename if exc.filename is not None else "woonplan"
        with contextlib.suppress(OSError):  # stderr itself may be the full disk
            typer.echo(f"{name}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)


def _exit_now(code: int) -> NoReturn:
    """Exit at once after an interrupt, without a traceback.

    Temporary files are already gone (removed while the exception unwound). What is left is
    only half-built state, such as a zip archive openpyxl was writing whose ``__del__`` would
    print ``Exception ignored ...`` at shutdown, and worker processes, which die with this one
    (:mod:`woonplan.checking.parallel`); so the process ends here, not through the interpreter's
    shutdown.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
