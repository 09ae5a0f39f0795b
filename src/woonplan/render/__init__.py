"""Renderers: each turns a report into text for one ``--format``. One registry per command.

Renderer modules are imported only when chosen, so ``--format json`` never imports rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args

CheckFormat = Literal["table", "json", "markdown", "github"]
ProgressFormat = Literal["table", "json", "markdown"]
ChangesFormat = Literal["table", "json", "markdown"]

CHECK_RENDERERS: dict[str, str] = {
    "table": "woonplan.render.check_table",
    "json": "woonplan.render.check_json",
    "markdown": "woonplan.render.check_markdown",
    "github": "woonplan.render.check_github",
}
PROGRESS_RENDERERS: dict[str, str] = {
    "table": "woonplan.render.progress_table",
    "json": "woonplan.render.progress_json",
    "markdown": "woonplan.render.progress_markdown",
}
CHANGES_RENDERERS: dict[str, str] = {
    "table": "woonplan.render.changes_table",
    "json": "woonplan.render.changes_json",
    "markdown": "woonplan.render.changes_markdown",
}
assert tuple(CHECK_RENDERERS) == get_args(CheckFormat)
assert tuple(PROGRESS_RENDERERS) == get_args(ProgressFormat)
assert tuple(CHANGES_RENDERERS) == get_args(ChangesFormat)


@dataclass(frozen=True)
class Style:
    """How text output may look: colour (only on a terminal) and width."""

    color: bool = False
    width: int = 100


def renderer(registry: dict[str, str], name: str) -> Callable[[Any, Style], str]:
    """The ``render(report, style) -> str`` function registered under ``name``."""
    module = importlib.import_module(registry[name])
    fn: Callable[[Any, Style], str] = module.render
    return fn
