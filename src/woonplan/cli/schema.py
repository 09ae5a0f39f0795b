"""``woonplan schema``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, get_args

import typer

from woonplan.cli.app import Command, LangOpt, OutputOpt, app, choice
from woonplan.cli.run import emit, guard_outputs, read_criteria, use_language
from woonplan.i18n import N_

SchemaKind = Literal["plan", "criteria"]


@app.command(cls=Command)
def schema(
    kind: Annotated[
        str,
        typer.Argument(
            help="Which file: a plan file (plan) or criteria.yaml (criteria).",
            callback=lambda value: choice(value, get_args(SchemaKind), N_("kind")),
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

    use_language(lang)
    loaded = read_criteria(criteria) if kind == "plan" else None
    guard_outputs([output], [loaded.path] if loaded is not None and loaded.path else [])
    emit(schema_text("plan" if kind == "plan" else "criteria", loaded), output)
