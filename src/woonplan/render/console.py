"""A rich console that renders into a string, coloured only when asked to."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType

from woonplan.i18n import N_
from woonplan.render import Style
from woonplan.render.labels import Labels


def to_text(renderables: list[RenderableType], style: Style) -> str:
    """Render ``renderables`` as text; with ``style.color`` false, no escape codes at all."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=style.width,
        force_terminal=style.color,
        no_color=not style.color,
        color_system="standard" if style.color else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    for item in renderables:
        console.print(item)
    # rich pads table rows to the full width; trailing blanks only get in the way in files
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


VERDICT_STYLE = {
    "pass": "bold green",
    "warn": "bold yellow",
    "fail": "bold red",
    "not_reviewed": "dim",
    "invalid": "bold magenta",
}
VERDICT_LABEL = Labels(
    {
        # NOTE: at most 4 characters, so that the plan ids line up.
        "pass": N_("PASS"),
        "warn": N_("WARN"),
        "fail": N_("FAIL"),
        "not_reviewed": "----",
        "invalid": N_("BAD "),
    }
)
STATUS_STYLE = {
    "pass": "green",
    "warn": "yellow",
    "fail": "red",
    "n/a": "dim",
    "error": "magenta",
    "waived": "cyan",
}
