"""Shared fixtures: the repository's paths and a typer CliRunner that runs ``woonplan``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from woonplan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
CRITERIA = ROOT / "criteria.yaml"
EXAMPLES = Path(__file__).resolve().parent / "examples"


@pytest.fixture
def run() -> Callable[..., object]:
    """Run ``woonplan ARGS`` in-process; returns typer's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None) -> object:
        return runner.invoke(app, list(args), env=env)

    return invoke
