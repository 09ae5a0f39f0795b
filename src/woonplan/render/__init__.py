"""Renderers: each turns a report into text for one ``--format``. One registry per report kind.

Each renderer module has a ``render(report, style) -> str`` that implements its kind's
:class:`typing.Protocol` (:class:`CheckRenderer`, :class:`ProgressRenderer`,
:class:`ChangesRenderer`). Modules are
imported only when chosen, so ``--format json`` never imports rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, get_args

if TYPE_CHECKING:
    from woonplan.changes.compare import Changes
    from woonplan.checking.run import CheckReport
    from woonplan.progress.region import RegionProgress

CheckFormat = Literal["table", "json", "markdown", "github"]
ProgressFormat = Literal["table", "json", "markdown"]
ChangesFormat = Literal["table", "json", "markdown"]


@dataclass(frozen=True)
class Style:
    """How text output may look: colour (only on a terminal) and width."""

    color: bool = False
    width: int = 100


class CheckRenderer(Protocol):
    """Renders the report of ``woonplan check``."""

    def __call__(self, report: CheckReport, style: Style, /) -> str: ...


class ProgressRenderer(Protocol):
    """Renders the figures of ``woonplan progress``."""

    def __call__(self, progress: RegionProgress, style: Style, /) -> str: ...


class ChangesRenderer(Protocol):
    """Renders what ``woonplan changes`` found between two snapshots."""

    def __call__(self, changes: Changes, style: Style, /) -> str: ...


R = TypeVar("R")


class Registry(dict[str, str], Generic[R]):
    """Format name → module that holds its ``render``; ``R`` is the renderer's Protocol."""


CHECK_RENDERERS: Registry[CheckRenderer] = Registry(
    table="woonplan.render.check_table",
    json="woonplan.render.check_json",
    markdown="woonplan.render.check_markdown",
    github="woonplan.render.check_github",
)
PROGRESS_RENDERERS: Registry[ProgressRenderer] = Registry(
    table="woonplan.render.progress_table",
    json="woonplan.render.progress_json",
    markdown="woonplan.render.progress_markdown",
)
CHANGES_RENDERERS: Registry[ChangesRenderer] = Registry(
    table="woonplan.render.changes_table",
    json="woonplan.render.changes_json",
    markdown="woonplan.render.changes_markdown",
)
assert tuple(CHECK_RENDERERS) == get_args(CheckFormat)
assert tuple(PROGRESS_RENDERERS) == get_args(ProgressFormat)
assert tuple(CHANGES_RENDERERS) == get_args(ChangesFormat)


def slimmer(registry: Registry[Any], name: str) -> Callable[[Any], Any] | None:
    """The renderer's ``slim`` function, if it has one: what it keeps of each plan's report
    where the plan is checked, so that the full results need not be kept (memory)."""
    module = importlib.import_module(registry[name])
    fn: Callable[[Any], Any] | None = getattr(module, "slim", None)
    return fn


def renderer(registry: Registry[R], name: str) -> R:
    """The ``render`` function registered under ``name``, typed by its registry's Protocol."""
    module = importlib.import_module(registry[name])
    render: R = module.render
    return render
