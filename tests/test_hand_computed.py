"""Plans whose scores and verdicts were worked out by hand, before the code ran on them.

Criteria: tests/examples/criteria/hand.yaml (the default region, frozen):
  social_rent_share  higher, target 0.3333, limit 0.30, required, weight 3
  affordable_share   higher, target 0.6667, limit 0.50,           weight 2
  public_transport   transit_distance_m, lower, target 800, limit 1200, weight 2
  home_work_balance  jobs_per_home, higher, target 0.2, limit 0.05,    weight 1
Review threshold 50 homes. Score = 100 × Σ(w·s) / Σw over counted criteria, one decimal.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import EXAMPLES

HAND = EXAMPLES / "hand"
CRITERIA = EXAMPLES / "criteria" / "hand.yaml"

# hand-a: 100 homes (25 social, 20 mid, 15 affordable buy, 40 free buy)
#   social      25/100 = 0.25 < 0.30                                → fail, 0 (required)
#   affordable  (25+20+15)/100 = 0.60 → (0.60-0.50)/(0.6667-0.50)
#               = 0.10/0.1667 = 0.59988                             → warn
#   transport   train 1000 m (the bus at 150 m does not count)
#               → (1200-1000)/(1200-800) = 0.5                      → warn
#   work        10/100 = 0.10 → (0.10-0.05)/(0.20-0.05) = 0.33333   → warn
#   score = 100 × (3·0 + 2·0.59988 + 2·0.5 + 1·0.33333) / 8
#         = 100 × 2.53309 / 8 = 31.66                               → 31.7, verdict fail
# hand-b: 60 homes (20 social, 22 mid, 18 free buy)
#   social      20/60 = 0.33333 >= 0.3333                           → pass, 1
#   affordable  42/60 = 0.70                                        → pass, 1
#   transport   HOV exactly 1200 m = limit                          → warn, 0
#   work        12/60 = 0.20 = target                               → pass, 1
#   score = 100 × (3·1 + 2·1 + 2·0 + 1·1) / 8 = 600/8 = 75.0,       verdict warn
# hand-c: 49 homes, one under the threshold → every criterion n/a, score null, not_reviewed
# hand-d: 80 homes (16 social, 24 mid, 8 affordable buy, 32 free buy), 10 demolished
#   social      16/80 = 0.20 < 0.30, but exempted                   → waived (not counted)
#   affordable  48/80 = 0.60 → 0.59988                              → warn
#   transport   only a bus stop → "no train or HOV stop listed"     → fail, 0
#   work        none → 0 jobs per home < 0.05                       → fail, 0
#   score = 100 × (2·0.59988 + 2·0 + 1·0) / (2+2+1) = 100 × 1.19976/5
#         = 23.995                                                  → 24.0
#   verdict warn (the only required criterion is waived)
EXPECTED: dict[str, dict[str, Any]] = {
    "hand-a": {
        "score": 31.7,
        "verdict": "fail",
        "criteria": [
            ("fail", 0.25, 0.0),
            ("warn", 0.6, 0.5999),
            ("warn", 1000, 0.5),
            ("warn", 0.1, 0.3333),
        ],
    },
    "hand-b": {
        "score": 75.0,
        "verdict": "warn",
        "criteria": [
            ("pass", 0.3333, 1.0),
            ("pass", 0.7, 1.0),
            ("warn", 1200, 0.0),
            ("pass", 0.2, 1.0),
        ],
    },
    "hand-c": {
        "score": None,
        "verdict": "not_reviewed",
        "criteria": [("n/a", None, None)] * 4,
    },
    "hand-d": {
        "score": 24.0,
        "verdict": "warn",
        "criteria": [
            ("waived", 0.2, 0.0),
            ("warn", 0.6, 0.5999),
            ("fail", None, 0.0),
            ("fail", 0.0, 0.0),
        ],
    },
}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    from typer.testing import CliRunner

    from woonplan.cli import app

    args = ["check", "--format", "json", "--as-of", "2025", "--criteria", str(CRITERIA)]
    result = CliRunner().invoke(app, [*args, str(HAND)])
    assert result.exit_code == 1  # hand-a fails a required criterion
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("plan_id", sorted(EXPECTED))
def test_hand_computed_plan(report: dict[str, Any], plan_id: str) -> None:
    (entry,) = [p for p in report["plans"] if p["id"] == plan_id]
    expected = EXPECTED[plan_id]
    assert entry["valid"] is True
    assert entry["score"] == expected["score"]
    assert entry["verdict"] == expected["verdict"]
    got = [(c["status"], c["value"], c["score"]) for c in entry["criteria"]]
    for (status, value, score), want in zip(got, expected["criteria"], strict=True):
        assert status == want[0]
        assert value == pytest.approx(want[1], abs=1e-4)
        assert score == pytest.approx(want[2], abs=1e-4)


def test_hand_computed_summary(report: dict[str, Any]) -> None:
    assert report["summary"] == {
        "plans": 4,
        "invalid": 0,
        "pass": 0,
        "warn": 2,
        "fail": 1,
        "not_reviewed": 1,
    }


def test_hand_d_names_the_missing_stop(report: dict[str, Any]) -> None:
    (entry,) = [p for p in report["plans"] if p["id"] == "hand-d"]
    assert entry["criteria"][2]["message"] == "no train or HOV stop listed"
