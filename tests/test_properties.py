"""Property-based tests (hypothesis) for issue 7: valid plans always score, mutated plan files
always end in exit 0, 1 or 2 without a traceback, and scores move the right way.

Example counts are kept modest so the file runs in well under a minute on two cores.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import tempfile
from pathlib import Path
from typing import Any, get_args

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from woonplan.checking.criteria import Criteria, load_criteria
from woonplan.checking.models import PHASES, SEGMENTS, ObstacleCategory, Plan
from woonplan.checking.run import check_file
from woonplan.checking.scoring import evaluate
from woonplan.cli import app

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "plans").glob("*.yaml"))
CRITERIA_FILE = ROOT / "criteria.yaml"
CRITERIA: Criteria = load_criteria(CRITERIA_FILE)
MUNICIPALITIES = CRITERIA.region.municipalities
CRITERION_IDS = sorted(CRITERIA.ids)


def examples(n: int) -> settings:
    """At most ``n`` examples, no per-example deadline (the first run imports and warms up)."""
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- generated valid plans -----------------------------------------------------------------

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=30
)
slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
count = st.integers(min_value=0, max_value=5_000)
distance = st.integers(min_value=0, max_value=100_000)  # whole metres (SPEC)


@st.composite
def delivery_for(draw: st.DrawFn, total: int) -> dict[int, int]:
    """Delivery years whose homes add up to ``total``."""
    years = draw(st.lists(st.integers(1900, 2100), min_size=1, max_size=6, unique=True))
    cuts = sorted(
        draw(st.lists(st.integers(0, total), min_size=len(years) - 1, max_size=len(years) - 1))
    )
    bounds = [0, *cuts, total]
    return {year: bounds[i + 1] - bounds[i] for i, year in enumerate(sorted(years))}


@st.composite
def valid_plans(draw: st.DrawFn) -> dict[str, Any]:
    """A plan as a YAML-ready dict that respects every rule of SPEC.md."""
    homes = draw(st.fixed_dictionaries({}, optional={s: count for s in SEGMENTS}))
    if sum(homes.values()) == 0:
        homes[draw(st.sampled_from(SEGMENTS))] = draw(st.integers(1, 5_000))
    total = sum(homes.values())
    plan: dict[str, Any] = {
        "id": draw(slug),
        "name": draw(text),
        "municipality": draw(st.sampled_from(MUNICIPALITIES)),
        "phase": draw(st.sampled_from(PHASES)),
        "homes": homes,
        "delivery": draw(delivery_for(total)),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "initiators": st.lists(text, max_size=3),
        "demolished": st.fixed_dictionaries({}, optional={s: count for s in SEGMENTS}),
        "public_transport": st.lists(
            st.fixed_dictionaries(
                {
                    "stop": text,
                    "type": st.sampled_from(["train", "hov", "bus"]),
                    "walking_distance_m": distance,
                }
            ),
            max_size=3,
        ),
        "work": st.fixed_dictionaries({"jobs": count}, optional={"floor_area_m2": distance}),
        "obstacles": st.lists(
            st.fixed_dictionaries(
                {"category": st.sampled_from(get_args(ObstacleCategory))},
                optional={"note": text},
            ),
            max_size=3,
        ),
        "exemptions": st.lists(st.sampled_from(CRITERION_IDS), unique=True, max_size=2).flatmap(
            lambda ids: st.tuples(
                *[
                    st.fixed_dictionaries(
                        {
                            "criterion": st.just(i),
                            "reason": text,
                            "decided": st.dates(
                                datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
                            ),
                        }
                    )
                    for i in ids
                ]
            ).map(list)
        ),
        "notes": st.text(max_size=200),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            plan[key] = draw(strategy)
    return plan


@examples(150)
@given(plan=valid_plans(), unicode=st.booleans(), as_of=st.integers(2000, 2040))
def test_generated_valid_plans_validate_and_score(
    plan: dict[str, Any], unicode: bool, as_of: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{plan['id']}.yaml"
        path.write_text(
            yaml.safe_dump(plan, allow_unicode=unicode, sort_keys=False), encoding="utf-8"
        )
        report = check_file(path, CRITERIA, as_of)
    assert report.valid, [str(e) for e in report.errors]
    assert report.result is not None
    assert all(c.status != "error" for c in report.result.criteria)
    score = report.result.score
    assert score is None or 0 <= score <= 100
    assert report.verdict in ("pass", "warn", "fail", "not_reviewed")


# --- mutated plan files --------------------------------------------------------------------

WRONG_VALUES = [
    "[1, 2]",
    "{a: 1}",
    "-5",
    "yes",
    "null",
    "~",
    "'text'",
    "1.5",
    "2025-02-30",
    "''",
    "&a x",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "9" * 30,
    ".nan",
    "[[[[",
    "{",
    '"unclosed',
    "0x1F",
    "1e5",
    "- x",
    "? k",
    "|",
    ">-",
    "!!set {a, b}",
    "2027-01-01T00:00:00Z",
    "@x",
    "`x`",
    "%",
    "\t1",
]
KEY_LINE = re.compile(r"^(\s*-?\s*)([A-Za-z0-9_]+):\s+(\S.*)$")


def mutate(source: str, rng: random.Random, operations: int) -> str:
    lines = source.splitlines(keepends=True) or ["\n"]
    for _ in range(operations):
        i = rng.randrange(len(lines)) if lines else 0
        kind = rng.randrange(6)
        if kind == 0 and len(lines) > 1:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])
        elif kind == 2:
            line = lines[i]
            lines[i] = (
                " " * rng.choice([1, 2, 3, 4]) + line if rng.random() < 0.5 else line.lstrip()
            )
        elif kind == 3:
            line = lines[i]
            at = rng.randrange(len(line) + 1)
            junk = "".join(
                rng.choice(":-[]{}&*!|>#'\"%@`,? \t\\x0é€\x7f") for _ in range(rng.randint(1, 3))
            )
            lines[i] = line[:at] + junk + line[at:]
        else:
            candidates = [n for n, line in enumerate(lines) if KEY_LINE.match(line)]
            if candidates:
                n = rng.choice(candidates)
                m = KEY_LINE.match(lines[n])
                assert m
                lines[n] = f"{m[1]}{m[2]}: {rng.choice(WRONG_VALUES)}\n"
    return "".join(lines)


PROBLEM_LINE = r"(:\d+(:\d+)?)?: (\S+: )?\S.*"


@examples(120)
@given(
    plan=st.sampled_from(PLANS),
    seed=st.integers(0, 2**32 - 1),
    operations=st.integers(1, 6),
)
def test_mutated_plan_files_end_in_exit_0_1_or_2_without_a_traceback(
    plan: Path, seed: int, operations: int
) -> None:
    mutated = mutate(plan.read_text(encoding="utf-8"), random.Random(seed), operations)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / plan.name
        path.write_text(mutated, encoding="utf-8")
        args = ["check", "--criteria", str(CRITERIA_FILE), "--as-of", "2025"]
        table = runner.invoke(app, [*args, str(path)])
        as_json = runner.invoke(app, [*args, "--format", "json", str(path)])
    for result in (table, as_json):
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            mutated,
            result.exception,
        )
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
    assert table.exit_code == as_json.exit_code
    # Every problem in the table is one line: `file:line:col: path: message`.
    name = re.escape(str(path))
    problem_lines = [
        x.strip() for x in table.stdout.splitlines() if x.strip().startswith(str(path) + ":")
    ]
    for line in problem_lines:
        assert re.fullmatch(name + PROBLEM_LINE, line), line
    report = json.loads(as_json.stdout)
    for entry in report["plans"]:
        for problem in entry["errors"] + entry["warnings"]:
            assert "\n" not in problem["message"]
            # A file that was read has every problem placed at a line and column.
            assert problem["line"] >= 1 and problem["column"] >= 1, (mutated, problem)
        if table.exit_code == 2:
            continue
        assert entry["valid"]


# --- monotonicity --------------------------------------------------------------------------


def _plan(social: int, free_buy: int, distance: int | None = None) -> Plan:
    data: dict[str, Any] = {
        "id": "p",
        "name": "P",
        "municipality": "Hilversum",
        "phase": "adopted",
        "homes": {"social_rent": social, "mid_rent": 30, "free_buy": free_buy},
        "delivery": {2027: social + 30 + free_buy},
    }
    if distance is not None:
        data["public_transport"] = [
            {"stop": "Station", "type": "train", "walking_distance_m": distance},
            {"stop": "Bus", "type": "bus", "walking_distance_m": 50},
        ]
    return Plan.model_validate(data)


def _score(plan: Plan, criterion: str) -> float:
    (result,) = [c for c in evaluate(plan, CRITERIA).criteria if c.id == criterion]
    assert result.status in ("pass", "warn", "fail"), result
    assert result.score is not None
    return result.score


@examples(200)
@given(
    social=st.integers(0, 2_000),
    free_buy=st.integers(1, 2_000),
    data=st.data(),
)
def test_more_social_rent_never_lowers_the_social_rent_score(
    social: int, free_buy: int, data: st.DataObject
) -> None:
    assume(social + 30 + free_buy >= CRITERIA.region.review_threshold)
    moved = data.draw(st.integers(1, free_buy))
    before = _score(_plan(social, free_buy), "social_rent_share")
    after = _score(_plan(social + moved, free_buy - moved), "social_rent_share")
    assert after >= before


@examples(200)
@given(
    distance=st.integers(0, 100_000),
    further=st.integers(0, 100_000),
)
def test_a_longer_walk_never_raises_the_public_transport_score(distance: int, further: int) -> None:
    longer = min(100_000, distance + further)
    before = _score(_plan(60, 60, distance), "public_transport")
    after = _score(_plan(60, 60, longer), "public_transport")
    assert after <= before
