"""Halves are rounded away from zero in every figure people or scripts read, as in the progress
JSON (woonplan.progress.rounding): 0.78125 is 0.7813 and 0.075 jobs per home reads 0.08, the way
a spreadsheet and a reader with a calculator round them. Found by the comparison with the
independent implementation (tests/test_independent_figures.py)."""

from __future__ import annotations

import json
import re
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


def test_numbers_round_halves_away_from_zero() -> None:
    from woonplan.i18n import set_language
    from woonplan.numbers import decimal, percent, plain, trimmed

    # 0.075 is 0.07499999999999999722 as a binary float, 12.5 and 2.25 are exact halves:
    # f-string formatting gives 0.07, 12% and 2.2; the rule gives 0.08, 13% and 2.3.
    assert trimmed(0.075, 2) == "0.08"
    assert percent(0.125) == "13%"
    assert percent(0.3125, 1) == "31.3%"
    assert decimal(1669.25, 1) == "1,669.3"
    assert plain(2.25, 1) == "2.3"
    assert decimal(-2.5, 0) == "-3"
    assert trimmed(0.3, 2) == "0.3"
    set_language("nl")
    assert trimmed(0.075, 2) == "0,08"
    assert decimal(1669.25, 1) == "1.669,3"


def test_check_message_agrees_with_the_json_value(run: Callable[..., Any]) -> None:
    # Bussum Zuid: 30 jobs / 400 homes = 0.075 jobs per home; the JSON says 0.075, the message
    # must read 0.08 (not 0.07: the value rounded down although it is a half).
    plans = Path(__file__).parent.parent / "plans"
    result = run("check", str(plans / "gooise-meren-bussum-zuid.yaml"), "--format", "json")
    plan = json.loads(result.stdout)["plans"][0]
    work = next(c for c in plan["criteria"] if c["id"] == "home_work_balance")
    assert work["value"] == 0.075
    assert work["message"].startswith("0.08 jobs per home")


def test_year_versus_pace_is_the_difference_of_the_shown_figures(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    # One initiative plan of 101 homes in 2027: expected 101 x 0.5 = 50.5, shown 51 (half up).
    # Pace as of 2026: ceil((7000 - 0) / 5 years) = 1400 a year. The row must read 51 and
    # 51 - 1400 = -1349, not -1350 (the unrounded 50.5 - 1400 = -1349.5 rounded away from zero),
    # so that a reader's own subtraction of the figures in the row agrees.
    (tmp_path / "laren-half.yaml").write_text(
        "id: laren-half\nname: Half\nmunicipality: Laren\nphase: initiative\n"
        "homes: {free_buy: 101}\ndelivery: {2027: 101}\n"
    )
    plans = Path(__file__).parent.parent / "plans"
    criteria = plans.parent / "criteria.yaml"
    for form in ("table", "markdown"):
        result = run(
            "progress",
            str(tmp_path),
            "--criteria",
            str(criteria),
            "--as-of",
            "2026",
            "--format",
            form,
            env={"COLUMNS": "120", "NO_COLOR": "1"},
        )
        (row,) = [
            line for line in result.stdout.splitlines() if line.strip(" |").startswith("2027")
        ]
        cells = row.replace("|", " ").split()
        assert cells[1:5] == ["0", "101", "51", "−1,349"], form


def test_report_year_versus_pace_is_the_difference_of_the_shown_figures(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    # As above: expected 50.5 shows as 51; 51 - 1400 = -1349.
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "laren-half.yaml").write_text(
        "id: laren-half\nname: Half\nmunicipality: Laren\nphase: initiative\n"
        "homes: {free_buy: 101}\ndelivery: {2027: 101}\n"
    )
    criteria = Path(__file__).parent.parent / "criteria.yaml"
    out = tmp_path / "report.html"
    result = run(
        "report",
        str(folder),
        "--criteria",
        str(criteria),
        "--as-of",
        "2026",
        "--html",
        str(out),
        "--lang",
        "en",
    )
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    (row,) = re.findall(r"<tr><th scope=\"row\">2027</th>.*?</tr>", text)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells == ["0", "101", "51", "1,400", "−1,349"]


def test_plan_score_without_float_noise(tmp_path: Path, run: Callable[..., Any]) -> None:
    # 64 free-sector homes, 8 jobs: social rent 0 (fail, weight 3), affordable 0 (fail, 2), no
    # train or HOV stop (fail, 2), 8/64 = 0.125 jobs per home: warn, score (0.125 - 0.05) /
    # (0.2 - 0.05) = 0.5 (0.49999999999999994 in floats), weight 1.
    # Plan score = 100 x (1 x 0.5) / 8 = 6.25 -> 6.3 (halves away from zero), not 6.2.
    (tmp_path / "noise.yaml").write_text(
        "id: noise\nname: Noise\nmunicipality: Hilversum\nphase: adopted\n"
        "homes: {free_buy: 64}\ndelivery: {2027: 64}\nwork: {jobs: 8}\n"
    )
    result = run("check", str(tmp_path), "--criteria", str(HAND), "--format", "json")
    plan = json.loads(result.stdout)["plans"][0]
    work = next(c for c in plan["criteria"] if c["id"] == "home_work_balance")
    assert work["score"] == 0.5
    assert plan["score"] == 6.3
