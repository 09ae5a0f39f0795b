"""The renderer registries: every module's ``render`` fits its report kind's Protocol.

The assignments below are checked by mypy (which runs over tests/ too); the test checks that
every registered module exists and that the registries feed ``--format``'s choices.
"""

from __future__ import annotations

import importlib
from typing import get_args

from woonplan.render import (
    CHANGES_RENDERERS,
    CHECK_RENDERERS,
    PROGRESS_RENDERERS,
    ChangesFormat,
    ChangesRenderer,
    CheckFormat,
    CheckRenderer,
    ProgressFormat,
    ProgressRenderer,
    changes_json,
    changes_markdown,
    changes_table,
    check_github,
    check_json,
    check_markdown,
    check_table,
    progress_json,
    progress_markdown,
    progress_table,
    renderer,
)

CHECK: list[CheckRenderer] = [
    check_table.render,
    check_json.render,
    check_markdown.render,
    check_github.render,
]
PROGRESS: list[ProgressRenderer] = [
    progress_table.render,
    progress_json.render,
    progress_markdown.render,
]
CHANGES: list[ChangesRenderer] = [
    changes_table.render,
    changes_json.render,
    changes_markdown.render,
]


def test_every_registered_renderer_is_one_of_the_typed_ones() -> None:
    assert [renderer(CHECK_RENDERERS, name) for name in get_args(CheckFormat)] == CHECK
    assert [renderer(PROGRESS_RENDERERS, name) for name in get_args(ProgressFormat)] == PROGRESS
    assert [renderer(CHANGES_RENDERERS, name) for name in get_args(ChangesFormat)] == CHANGES
    modules = [*CHECK_RENDERERS.values(), *PROGRESS_RENDERERS.values()]
    for module in [*modules, *CHANGES_RENDERERS.values()]:
        assert callable(importlib.import_module(module).render)
