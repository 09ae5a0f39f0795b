"""What the commands share between options and output: criteria and language, the checked
plans, outputs guarded and written (all or none), and one line and exit 2 for bad input."""

from __future__ import annotations

import datetime
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from woonplan.cli.app import EXIT_INVALID
from woonplan.i18n import LANGUAGES, Language, _
from woonplan.render import Style

if TYPE_CHECKING:
    from woonplan.checking.criteria import Criteria
    from woonplan.checking.models import Region
    from woonplan.checking.run import CheckReport, Slim
    from woonplan.output import Writer


def check_run(
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

    loaded = read_criteria(criteria)
    if slim_for_region is not None:
        slim = slim_for_region(loaded.region)
    year = as_of if as_of is not None else datetime.date.today().year
    report = check_paths(paths or [Path("plans")], loaded, year, slim, keep)
    require_plans(report, paths, partial)
    guard_outputs(outputs, report.input_files)
    return report


def guard_outputs(outputs: Sequence[Path | None], inputs: Sequence[str | Path]) -> None:
    """Exit 2 with one line, before anything is written, for an output that would fail or
    destroy an input (:func:`woonplan.output.guard_outputs`)."""
    from woonplan.output import OutputError, guard_outputs

    try:
        guard_outputs(outputs, inputs)
    except OutputError as exc:
        fail_input([str(exc)])


def require_plans(report: CheckReport, paths: list[Path] | None, partial: bool) -> None:
    """Stop with one line per missing path, or when there are no plan files at all.

    ``partial``: a missing path among real plan files is reported in the report itself
    (``check``, so CI annotates it); otherwise (``progress``) it stops the run, because
    figures without the plans the user named would mislead.
    """
    missing = [p for p in report.plans if p.missing]
    if missing and (not partial or len(missing) == len(report.plans)):
        fail_input([str(e) for p in missing for e in p.errors])
    if not report.plans:
        where = ", ".join(str(p) for p in paths or [Path("plans")])
        fail_input([_("{where}: no plan files found (*.yaml or *.yml)").format(where=where)])


def read_criteria(path: Path | None) -> Criteria:
    from woonplan.checking.criteria import load_criteria
    from woonplan.problems import InputError

    try:
        loaded = load_criteria(path)
    except InputError as exc:
        fail_input([str(p) for p in exc.problems])
    use_language(_chosen_language[0], loaded.region.language)
    return loaded


_chosen_language: list[Language | None] = [None]
"""The run's ``--lang``, kept for :func:`read_criteria` (the region's language comes second)."""


def use_language(option: str | None, region: Language | None = None) -> None:
    """Translate from here on into the run's language (:func:`woonplan.i18n.resolve_language`);
    an unknown ``WOONPLAN_LANG`` is a usage error (exit 2). ``option`` is ``--lang``, one of
    :data:`~woonplan.i18n.LANGUAGES` (its callback refused any other) or None."""
    from woonplan.i18n import LanguageError, resolve_language, set_language

    chosen = next((language for language in LANGUAGES if language == option), None)
    _chosen_language[0] = chosen
    try:
        set_language(resolve_language(chosen, region))
    except LanguageError as exc:
        fail_input([str(exc)])


def fail_input(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(EXIT_INVALID)


def style_for(output: Path | None) -> Style:
    width = shutil.get_terminal_size((100, 24)).columns
    tty = output is None and sys.stdout.isatty()
    # no-color.org: NO_COLOR set to a non-empty value turns colour off
    color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Style(color=color, width=max(60, width))


def emit(
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
            fail_input([f"{exc}"])
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
            discard_stdout()
            fail_input([_("stdout: cannot write ({reason})").format(reason=exc.strerror or exc)])


def write_files(files: Sequence[tuple[Path, Writer]]) -> None:
    """All ``files`` written or none (exit 2), each announced on stderr."""
    from woonplan.output import OutputError, write_all

    try:
        write_all(files)
    except OutputError as exc:
        fail_input([str(exc)])
    for path, _writer in files:
        typer.echo(_("wrote {path}").format(path=path), err=True)


def discard_stdout() -> None:
    """Point fd 1 at /dev/null, so that the text still buffered is not written again (and
    fails again, with a traceback) when Python flushes stdout on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (e.g. a test's capture): nothing to flush
        pass
