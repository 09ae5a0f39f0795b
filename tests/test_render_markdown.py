"""``woonplan check --format markdown``: tables that hold together, text that cannot break them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import CRITERIA, ROOT

from woonplan.render.markdown import code, text

CELL_SPLIT = re.compile(r"(?<!\\)\|")


def cells(row: str) -> list[str]:
    """The cells of a GFM table row: split at every ``|`` that is not escaped."""
    assert row.startswith("|") and row.endswith("|"), row
    return [c.strip() for c in CELL_SPLIT.split(row)[1:-1]]


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table (consecutive lines starting with ``|``) as rows of cells."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(cells(line))
        elif current:
            found.append(current)
            current = []
    return found


def assert_well_formed(table: list[list[str]]) -> None:
    header, rule, *rows = table
    assert all(re.fullmatch(r"-{3,}:?", c) for c in rule), rule
    for row in [rule, *rows]:
        assert len(row) == len(header), (header, row)


def markdown(run: Callable[..., Any], *args: str) -> Any:
    return run("check", *args, "--format", "markdown", "--as-of", "2025")


PLAN = """\
id: {id}
name: Test plan
municipality: {municipality}
phase: preparation
homes:
  social_rent: {social}
  mid_rent: 40
  free_buy: {free}
delivery:
  2028: {total}
public_transport:
  - stop: Centraal
    type: train
    walking_distance_m: 300
work:
  jobs: 100
"""


def plan(plan_id: str, social: int, free: int, municipality: str = "Hilversum") -> str:
    return PLAN.format(
        id=plan_id,
        social=social,
        free=free,
        total=social + 40 + free,
        municipality=municipality,
    )


def test_bundled_plans_summary_and_plan_table(run: Callable[..., Any]) -> None:
    result = markdown(run, str(ROOT / "plans"), "--criteria", str(CRITERIA))
    out = result.stdout
    assert out.startswith("### woonplan check: ")
    counts, plans = tables(out)
    for table in (counts, plans):
        assert_well_formed(table)
    assert counts[0] == ["Plans", "Pass", "Warn", "Fail", "Not reviewed", "Invalid"]
    total, passed, warned, failed, not_reviewed, invalid = map(int, counts[2])
    assert total == passed + warned + failed + not_reviewed + invalid == len(plans) - 2
    assert plans[0] == ["Verdict", "Plan", "Municipality", "Homes", "Score"]
    words = [row[0].strip("*") for row in plans[2:]]
    assert set(words) <= {"Invalid", "Fail", "Warn", "Pass", "Not reviewed"}
    order = ["Invalid", "Fail", "Warn", "Pass", "Not reviewed"]
    assert words == sorted(words, key=order.index)  # most urgent first
    assert words.count("Fail") == failed
    # No emoji: verdicts are words.
    assert not re.search("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]", out)


def test_failing_and_invalid_plans_say_what_and_why(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    (tmp_path / "fails.yaml").write_text(plan("fails", social=10, free=50))
    (tmp_path / "fine.yaml").write_text(plan("fine", social=40, free=0))
    bad = plan("bad", social=-4, free=50)
    (tmp_path / "bad.yaml").write_text(bad)
    result = markdown(run, str(tmp_path), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    out = result.stdout
    for table in tables(out):
        assert_well_formed(table)
    details = out.split("#### What fails and why", 1)[1]
    assert f"**Fail** `fails` (`{tmp_path / 'fails.yaml'}`)" in details
    assert "Social rent share (sociale huur) (fail, required): 10% (target 33.3% or more" in details
    line = bad.splitlines().index("  social_rent: -4") + 1
    assert f"`{tmp_path / 'bad.yaml'}:{line}:16: homes.social_rent: must be >= 0 (got -4)`" in (
        details
    )
    assert "`fine`" not in details  # a passing plan without warnings has nothing to explain


def test_user_text_is_escaped_in_tables_and_lists(tmp_path: Path, run: Callable[..., Any]) -> None:
    # A region whose municipality and criterion title hold Markdown and table syntax.
    criteria = CRITERIA.read_text()
    assert "Hilversum" in criteria and "title: Social rent share (sociale huur)\n" in criteria
    criteria = criteria.replace("Hilversum", '"Hilver|sum *<b>_x_</b>"', 1)
    criteria = criteria.replace(
        "title: Social rent share (sociale huur)\n", 'title: "Social | rent [share](x) `"\n', 1
    )
    (tmp_path / "criteria.yaml").write_text(criteria)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "fails.yaml").write_text(
        plan("fails", social=10, free=50, municipality='"Hilver|sum *<b>_x_</b>"')
    )
    (plans / "weird.yaml").write_text('id: "we|ird`id"\n')  # invalid: its raw id is shown
    result = markdown(run, str(plans), "--criteria", str(tmp_path / "criteria.yaml"))
    out = result.stdout
    _, plan_table = tables(out)
    assert_well_formed(plan_table)
    rows = {row[1]: row for row in plan_table[2:]}
    assert rows["`fails`"][2] == r"Hilver\|sum \*\<b\>\_x\_\</b\>"
    weird = next(row for row in plan_table[2:] if "we" in row[1])
    assert weird[0] == "**Invalid**"
    assert weird[1].startswith(r"``we\|ird`id``")
    assert r"Social \| rent \[share\](x) \`" in out
    assert "<b>" not in out


def test_text_and_code_helpers() -> None:
    assert text("a|b*c_d`e<f>[g]\\h") == r"a\|b\*c\_d\`e\<f\>\[g\]\\h"
    # one line: a line break is shown escaped (docs/security.md), never as a new line
    assert text("two\nlines") == r"two\\nlines"
    assert code("two\nlines") == r"`two\nlines`"
    assert code("plain") == "`plain`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert code("a|b") == "`a|b`"
    assert code("a|b", in_table=True) == r"`a\|b`"


def test_empty_run(tmp_path: Path, run: Callable[..., Any]) -> None:
    result = markdown(run, str(tmp_path / "nothing.yaml"), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no such file or folder" in result.stderr
