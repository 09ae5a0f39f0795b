"""Messages one step closer to the fix (issue 12): what a user reads when a plan is odd."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import CRITERIA

ZERO_SCORE_WARN = """\
id: hilversum-nul
name: Nul
municipality: Hilversum
phase: adopted
homes: {social_rent: 30, free_buy: 70}
delivery: {2028: 100}
"""


def test_a_zero_score_that_is_warn_says_why(run: Callable[..., Any], tmp_path: Path) -> None:
    # social rent 30/100 = exactly the limit 0.30: warn, score (0.30 − 0.30)/(…) = 0; every
    # other criterion fails (affordable 30% < 50%, no stop, no jobs) but none is required
    plan = tmp_path / "hilversum-nul.yaml"
    plan.write_text(ZERO_SCORE_WARN, encoding="utf-8")
    result = run("check", str(plan), "--criteria", str(CRITERIA), "--as-of", "2026")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("WARN hilversum-nul  score 0.0")
    assert lines[1].strip() == (
        "score 0.0 but warn: no required (*) criterion fails, and only those can fail a plan"
    )
