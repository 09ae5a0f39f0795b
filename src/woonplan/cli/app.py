"""The ``woonplan`` application: the typer app, the options every command shares, and the
help text as people read it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from woonplan import __version__
from woonplan.i18n import LANGUAGES, N_, _

EXIT_INVALID = 2
"""Bad input or usage; exit codes 0 and 1 are the report's (``CheckReport.exit_code``)."""
FLAG = ""
"""Metavar of on/off options: typer would show ``<bool>``, as if they took a value."""

COMMANDS = ("check", "progress", "changes", "report", "schema", "import")
"""The commands in the order ``woonplan --help`` lists them: the daily ones first."""


class _Group(typer.core.TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        known = super().list_commands(ctx)
        return [c for c in COMMANDS if c in known] + [c for c in known if c not in COMMANDS]


app = typer.Typer(
    cls=_Group,
    name="woonplan",
    help="Check housing plans for Gooi en Vechtstreek against the regional criteria, "
    "and summarise progress toward the 2030 target.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help and errors: paragraphs re-wrapped, no rich boxes, no <bool> metavars
    rich_markup_mode=None,
)


class Command(typer.core.TyperCommand):
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
    str | None,
    typer.Option(
        "--lang",
        help="Language of the output: nl (Dutch) or en (English). Default: WOONPLAN_LANG, "
        "else region.language in criteria.yaml, else en.",
        show_default=False,
        # a plain message for --lang de (a Literal type read 'Value error, ...'), choices shown
        callback=lambda value: choice(value, LANGUAGES, N_("language")),
        metavar="[nl|en]",
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


def format_option(formats: tuple[str, ...], help: str = "Output format.") -> Any:
    """``--format``/``-f`` with ``formats`` as its choices (a plain message for any other)."""
    return typer.Option(
        "--format",
        "-f",
        help=help,
        show_default=help == "Output format.",
        callback=lambda value: choice(value, formats, N_("format")),
        metavar="[" + "|".join(formats) + "]",
    )


def choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    """A plain message for a value outside ``choices`` (typer's own reads 'Value error, ...')."""
    if value is None or value in choices:
        return value
    raise typer.BadParameter(
        _("{value!r} is not a {what}; choose one of: {choices}").format(
            value=value, what=_(what), choices=", ".join(choices)
        )
    )
