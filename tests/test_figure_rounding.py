"""Halves are rounded away from zero in every figure people or scripts read, as in the progress
JSON (woonplan.progress.rounding): 0.78125 is 0.7813 and 0.075 jobs per home reads 0.08, the way
a spreadsheet and a reader with a calculator round them. Found by the comparison with the
independent implementation (tests/test_independent_figures.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def plan_file(folder: Path, plan_id: str, homes: dict[str, int], jobs: int) -> Path:
    lines = [
        f"id: {plan_id}",
        "name: Test",
        "municipality: Hilversum",
        "phase: adopted",
        "homes:",
        *(f"  {segment}: {count}" for segment, count in homes.items()),
        "delivery:",
        f"  2027: {sum(homes.values())}",
        "public_transport:",
        "  - {stop: Hilversum, type: train, walking_distance_m: 500}",
        f"work: {{jobs: {jobs}}}",
    ]
    path = folder / f"{plan_id}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


HAND = Path(__file__).parent / "examples" / "criteria" / "hand.yaml"


def test_check_json_rounds_halves_away_from_zero(tmp_path: Path, run: Callable[..., Any]) -> None:
    # 64 homes, 25 social rent + 25 mid rent: affordable share 50/64 = 0.78125 exactly (a
    # binary fraction, so Python's round(0.78125, 4) gives the even 0.7812); 0.7813 by the rule.
    # 25 jobs: 25/64 = 0.390625 jobs per home -> 0.3906 (not a half: both rules agree).
    path = plan_file(tmp_path, "halves", {"social_rent": 25, "mid_rent": 25, "free_buy": 14}, 25)
    result = run("check", str(path), "--criteria", str(HAND), "--format", "json")
    plan = json.loads(result.stdout)["plans"][0]
    values = {c["id"]: c["value"] for c in plan["criteria"]}
    assert values["affordable_share"] == 0.7813
    assert values["home_work_balance"] == 0.3906
