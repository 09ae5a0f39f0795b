"""Aliases to scalars count toward the alias limit, in characters (issue 11, defects 2 and 3).

``notes: &s <10 KB>`` and ``initiators: [*s, *s, ...]`` 90,000 times is a 360 KB file that
passed ``check`` and took 3.2 GB in ``progress --xlsx``: the loader counted aliased
collections only. Now the data's size with every alias written out is measured in values and
in characters (loader.MAX_EXPANDED_NODES, loader.MAX_EXPANDED_CHARS), and a file beyond either
is refused with code ``alias-bomb``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from probe import CRITERIA, plan_text, woonplan

from woonplan.reading.loader import MAX_EXPANDED_CHARS
from woonplan.reading.source import parse_text

NOTE = "x" * 10_000
"""A note of 10,000 characters: the longest an initiator may be."""


def initiators_bomb(count: int) -> str:
    return plan_text("bomb", f"notes: &s {NOTE}\ninitiators: [{', '.join(['*s'] * count)}]\n")


def obstacles_bomb(count: int) -> str:
    items = "".join("  - {category: costs, note: *s}\n" for _ in range(count))
    return plan_text("bomb", f"notes: &s {NOTE}\nobstacles:\n{items}")


@pytest.mark.parametrize(
    ("name", "text"),
    [("initiators", initiators_bomb(90_000)), ("obstacles", obstacles_bomb(30_000))],
)
def test_aliases_to_a_long_scalar_are_refused_by_check_and_progress(
    tmp_path: Path, name: str, text: str
) -> None:
    plan = tmp_path / "bomb.yaml"
    plan.write_text(text)
    assert plan.stat().st_size < 1024 * 1024  # under the file size limit: aliases do the rest
    run = woonplan("check", "--criteria", str(CRITERIA), "--format", "json", str(plan))
    run.assert_bounded()
    assert run.exit_code == 2
    assert '"code": "alias-bomb"' in run.stdout
    # before: 3.2 GB (initiators) and 634 MB (obstacles) in progress --xlsx
    xlsx = tmp_path / "out.xlsx"
    run = woonplan("progress", "--criteria", str(CRITERIA), str(plan), "--xlsx", str(xlsx))
    run.assert_bounded()
    assert run.exit_code == 2
    assert "alias" in run.stderr  # left out of the figures, listed with its error


def test_the_character_limit_is_exact() -> None:
    # 10,000-character note written once, then aliased n times: the expanded text is
    # (n + 1) × 10,000 characters plus the short keys and values around them (< 400 here).
    # 103 aliases: 1,040,000 + < 400 <= 1,048,576; 105 aliases: 1,060,000 > 1,048,576.
    assert MAX_EXPANDED_CHARS == 1_048_576
    small = parse_text(initiators_bomb(103), "bomb.yaml")
    assert [p.code for p in small.problems] == []
    large = parse_text(initiators_bomb(105), "bomb.yaml")
    assert [p.code for p in large.problems] == ["alias-bomb"]
    assert large.data is None and large.node is None  # nothing downstream can walk it


def test_an_alias_to_a_key_counts_too() -> None:
    # 1 + 200 copies of a 10,000-character key: 2,010,000 characters
    keys = "".join(f"m{i}: {{*k : 1}}\n" for i in range(200))
    doc = parse_text(f"a:\n  ? &k {NOTE}\n  : 1\n{keys}", "keys.yaml")
    assert [p.code for p in doc.problems] == ["alias-bomb"]


def test_a_modest_scalar_alias_is_still_fine(tmp_path: Path) -> None:
    plan = tmp_path / "aliases.yaml"
    plan.write_text(
        plan_text("aliases", "notes: &who Gemeente Hilversum\ninitiators: [*who, *who]\n")
    )
    run = woonplan("check", "--criteria", str(CRITERIA), str(plan))
    assert run.exit_code in (0, 1), run.stdout + run.stderr


def test_a_large_file_without_aliases_is_never_an_alias_bomb() -> None:
    # `&` and `*` in the text make the loader measure (an alias to a scalar shares no object),
    # but 150,001 values without any alias are the file's own size, not an expansion.
    text = plan_text("big", "notes: R&D *star*\ninitiators: [" + ", ".join(["a"] * 150_000) + "]\n")
    doc = parse_text(text, "big.yaml")
    assert [p.code for p in doc.problems] == []
    assert len(doc.data["initiators"]) == 150_000
