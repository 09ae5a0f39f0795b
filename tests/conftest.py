"""Shared fixtures: the repository's paths and a typer CliRunner that runs ``woonplan``."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis  # noqa: F401  (see below)
import pytest
from typer.testing import CliRunner

from woonplan.checking.criteria import Criteria, load_criteria
from woonplan.checking.models import Plan
from woonplan.cli import app
from woonplan.i18n import ENV, set_language

# hypothesis is imported here, at collection, not first by its plugin's end-of-session summary:
# pytest rewrites a plugin's modules as it imports them, and on CPython 3.11.7 ``ast.parse``
# late in a session of some test selections failed with "SystemError: AST constructor
# recursion depth mismatch" (a CPython bug, gh-106905), a traceback after all tests passed.

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
CRITERIA = ROOT / "criteria.yaml"
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture(scope="session", autouse=True)
def english_environment() -> Iterator[None]:
    """Every test runs in English unless it asks for Dutch, although the bundled region says
    ``language: nl``: ``WOONPLAN_LANG=en`` for the whole session (also for module-scoped
    fixtures and subprocesses). Dutch tests pass ``--lang nl`` or call ``set_language("nl")``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, "en")
        yield


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The language reset to English around each test (a Dutch test leaves no trace)."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def run() -> Callable[..., object]:
    """Run ``woonplan ARGS`` in-process; returns typer's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> object:
        return runner.invoke(app, list(args), env=env)

    return invoke


@pytest.fixture(scope="session")
def criteria() -> Criteria:
    """The region's criteria.yaml (top level of the repository), loaded and compiled."""
    return load_criteria(CRITERIA)


@pytest.fixture
def make_plan() -> Callable[..., Plan]:
    """Build a valid :class:`Plan` from a few fields; the rest get small defaults."""

    def build(**fields: Any) -> Plan:
        data: dict[str, Any] = {
            "id": "test-plan",
            "name": "Test plan",
            "municipality": "Hilversum",
            "phase": "adopted",
            "homes": {"social_rent": 40, "free_buy": 60},
        }
        data.update(fields)
        data.setdefault("delivery", {2027: sum(data["homes"].values())})
        return Plan.model_validate(data)

    return build


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` (dedented) to ``tmp_path/<name>.yaml`` and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
