"""The text tables at 80, 100 and 120 columns: nothing cut, units stay with their numbers.

Issue 12 point 13. These tests use only the renderers' public ``render(report, style)``, so
they hold for any implementation of a table (a rich Table or plain wrapped lines).
Problem lines (``file:line:col: ...``) are exempt from the width: editors and CI jump to
them, so they are never wrapped.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CRITERIA, PLANS

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.i18n import Language, set_language
from woonplan.progress.sums import compute_progress
from woonplan.render import Style
from woonplan.render.check_table import render as check_table
from woonplan.render.progress_table import render as progress_table

WIDTHS = (80, 100, 120)
LONG_REASON = (
    "Compensated by forty extra social-rent homes in hilversum-stationsgebied, as agreed in "
    "the regional governance meeting of 12 March 2025 after a long discussion about parking"
)
UNITS = ("m", "m)", "%", "%)", "home", "homes", "year", "years", "jobs", "square")
"""Words that must never start a line when the line before ends with a number."""


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled plans plus one with a long name and a long waiver reason."""
    folder = tmp_path_factory.mktemp("widths") / "plans"
    shutil.copytree(PLANS, folder)
    (folder / "hilversum-lange-naam.yaml").write_text(
        "id: hilversum-lange-naam\n"
        "name: Voorbeeldkwartier aan de Oude Haven tussen Stationsgebied en Media Park, fase 2\n"
        "municipality: Hilversum\n"
        "phase: preparation\n"
        "homes: {social_rent: 20, mid_rent: 40, free_buy: 60}\n"
        "delivery: {2028: 120}\n"
        "public_transport:\n"
        "  - {stop: Hilversum Sportpark, type: train, walking_distance_m: 1100}\n"
        "exemptions:\n"
        "  - criterion: social_rent_share\n"
        f"    reason: {LONG_REASON}\n"
        "    decided: 2025-03-12\n",
        encoding="utf-8",
    )
    return folder


def _check_text(plans: Path, width: int) -> str:
    report = check_paths([plans], load_criteria(CRITERIA), 2026)
    return check_table(report, Style(color=False, width=width))


def _progress_text(plans: Path, width: int) -> str:
    report = check_paths([plans], load_criteria(CRITERIA), 2026)
    figures = compute_progress(
        report.valid_results,
        report.criteria.region,
        2026,
        policy_tests=report.criteria.policy_tests,  # as `woonplan progress` does
    )
    return progress_table(figures, Style(color=False, width=width))


def _assert_fits(text: str, width: int) -> None:
    # a problem line (file:line:col: ...) stays on one line, so editors and CI can jump to it
    problem = re.compile(r"^\s*(?:(?:error|warning): )?\S+\.ya?ml:\d+:\d+: ")
    for line in text.splitlines():
        assert "…" not in line, f"cut at {width} columns: {line!r}"
        if not problem.match(line):
            assert len(line) <= width, f"wider than {width}: {line!r}"
    lines = text.splitlines()
    for before, after in itertools.pairwise(lines):
        if before.rstrip() and before.rstrip()[-1].isdigit():
            first = after.strip().split(" ", 1)[0]
            assert first not in UNITS, f"unit broke from its number: {before!r} / {after!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_check_table_fits_without_cutting(plans: Path, width: int) -> None:
    text = _check_text(plans, width)
    _assert_fits(text, width)
    # the long name and the waiver reason are there in full, wrapped or not
    flat = " ".join(text.split())
    assert "Voorbeeldkwartier aan de Oude Haven tussen Stationsgebied en Media Park, fase 2" in flat
    assert " ".join(LONG_REASON.split()) in flat
    assert "Public transport access (ov-bereikbaarheid)" in text  # criterion titles uncut
    assert "Only a required (*) criterion can fail a plan" in flat


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("width", WIDTHS)
def test_check_table_wraps_under_the_plan_not_at_the_margin(
    plans: Path, width: int, lang: Language
) -> None:
    # A plan's wrapped lines (its file, the note on a 0.0 score, a long name) stay indented
    # under its verdict; at the left margin they looked like the start of another plan.
    set_language(lang)
    text = _check_text(plans, width)
    body = text[: text.rindex("\n\n")]  # the plans, not the summary table below them
    heads = ("PASS ", "WARN ", "FAIL ", "---- ", "BAD  ", "GOED ", "LET  ", "NEE  ", "FOUT ")
    for line in body.splitlines():
        assert not line or line.startswith((" ", *heads)), f"at the margin: {line!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_check_table_says_only_required_criteria_fail_a_plan(plans: Path, width: int) -> None:
    flat = " ".join(_check_text(plans, width).split())
    assert "Only a required (*) criterion can fail a plan; the others can only warn." in flat


@pytest.mark.parametrize("width", WIDTHS)
def test_progress_table_fits_without_cutting(plans: Path, width: int) -> None:
    text = _progress_text(plans, width)
    _assert_fits(text, width)
    for header in ("Municipality", "Completed", "Planned", "Expected", "vs pace", "Obstacle"):
        assert header in text
    for name in ("Gooise Meren", "Wijdemeren", "grid congestion (netcongestie)"):
        assert name in text  # on one line, not "Gooise / Meren" or "Wijdemer…"
    assert re.search(r"pace needed: [\d,]+ homes a year for \d+ years \(\d{4}–\d{4}\)", text)


@pytest.mark.parametrize("width", WIDTHS)
def test_dutch_progress_table_fits_without_cutting(plans: Path, width: int) -> None:
    """Dutch headers are longer (Opgeleverd, t.o.v. tempo): the year bar and the municipality
    headers make room for them; at 80 columns the years were cut to '20…' and a header to
    'Betaa…' before the bar's width counted the translated headers."""
    set_language("nl")
    text = _progress_text(plans, width)
    _assert_fits(text, width)
    for year in range(2022, 2031):
        assert re.search(rf"^\s+{year}\s", text, re.M), f"year {year} cut"
    for header in ("Gemeente", "Opgave", "Betaal-", "Jaar", "Opgeleverd", "t.o.v. tempo"):
        assert header in text
    assert "Gooise Meren" in text
    for bound in ("grens 60%", "grens 30%", "grens 1.200", "grens 100%"):
        assert bound in text, f"{bound!r} broken over two lines"  # the bounds do not wrap
    assert re.search(r"benodigd tempo: [\d.]+ woningen per jaar in \d+ jaar \(\d{4}–\d{4}\)", text)


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("width", WIDTHS)
def test_changes_table_fits_without_cutting(
    run: Callable[..., Any], tmp_path: Path, width: int, lang: str
) -> None:
    """Every bundled plan added at once: rows with a phase change and obstacles were 135–145
    columns at any width; now the change and the obstacles go below their row when needed."""
    empty = tmp_path / "empty"
    empty.mkdir()
    args = ("changes", str(empty), str(PLANS), "--criteria", str(CRITERIA), "--as-of", "2026")
    result = run(*args, "--lang", lang, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    _assert_fits(text, width)
    flat = " ".join(text.split())
    for path in PLANS.glob("*.yaml"):
        assert re.search(rf"^{re.escape(path.stem)} ", text, re.M), f"{path.stem} not a row"
    added, obstacles = (
        ("added (preparation)", "+grid_congestion +infrastructure")
        if lang == "en"
        else ("toegevoegd (voorbereiding)", "+netcongestie +infrastructuur")
    )
    # hilversum-stationsgebied: both cells in full, on its row or on the line below it
    row = flat[flat.index("hilversum-stationsgebied") :]
    row = row[: row.index("hilversum-media-park")]
    assert added in row and obstacles in row
