"""Hostile-input review, round three: the surfaces added since issue 11 (policy tests, price
limits, ``changes``, ``report``, ``--changed-since``, Dutch output). Each test failed on the code
before its fix; a test marked ``xfail(strict=True)`` documents a defect in a file another branch
owned at the time, and the fix it needs is described in docs/security.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from probe import CRITERIA, PLANS, woonplan

HOSTILE_TITLE = "[/bold] \x1b[2J\u009b31m\n::error::title"
"""A closing rich-markup tag that opens nothing, escapes, and a GitHub workflow command."""


def _criteria(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = CRITERIA.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "criteria.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (escapes written as YAML escapes)."""
    escaped = value.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"'


# --- policy-test titles and municipality names in the progress table -----------------------


def test_policy_test_titles_and_municipalities_are_text_in_the_progress_table(
    tmp_path: Path,
) -> None:
    # Before: the titles (the region's tests and the grid's headers) and the grid's municipality
    # names went to rich as markup strings: "[/bold]" ended in a MarkupError traceback, "[red]"
    # would have styled, and ESC, CSI and a newline (a ::error:: line) reached the terminal.
    plans = tmp_path / "plans"
    plans.mkdir()
    for plan in PLANS.glob("*.yaml"):
        text = plan.read_text(encoding="utf-8")
        if "\nmunicipality: Laren\n" in text:
            text = text.replace("\nmunicipality: Laren\n", f"\nmunicipality: {_quoted('[/i]L')}\n")
        (plans / plan.name).write_text(text, encoding="utf-8")
    criteria = _criteria(
        tmp_path,
        ("title: 130% plan capacity", f"title: {_quoted(HOSTILE_TITLE)}"),
        ("title: 30% social rent per municipality (Wvrv)", f"title: {_quoted(HOSTILE_TITLE)}"),
        ("Huizen, Laren,", f"Huizen, {_quoted('[/i]L')},"),
    )
    run = woonplan(
        "progress", str(plans), "--criteria", str(criteria), "--as-of", "2026", "--lang", "en"
    )
    run.assert_bounded()
    assert run.exit_code == 0, run.stderr
    for bad in ("\x1b", "\u009b"):
        assert bad not in run.stdout
    assert not re.search(r"^\s*::error::", run.stdout, re.MULTILINE)
    assert "[/bold]" in run.stdout and r"\x1b[2J" in run.stdout and r"\u009b31m" in run.stdout
    assert "[/i]L" in run.stdout
