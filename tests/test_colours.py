"""The same colour means the same thing in every view (issue 12 point 6)."""

from __future__ import annotations

import re

from conftest import CRITERIA, PLANS

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.compute import compute_progress
from woonplan.render import Style
from woonplan.render.progress_table import render

YELLOW, RED = "\x1b[33m", "\x1b[31m"


def _share_cells() -> dict[str, str]:
    report = check_paths([PLANS], load_criteria(CRITERIA), 2026)
    figures = compute_progress(report.valid_results, report.criteria.region, 2026)
    text = render(figures, Style(color=True, width=120))
    cells = {}
    for line in text.splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        name = plain.split("  ")[0]
        if name in ("Blaricum", "Laren", "Wijdemeren", "Hilversum"):
            styled = re.search(r"(\x1b\[[0-9;]*m)[ ]*\d+%\x1b\[0m\s*$", line)
            cells[name] = styled.group(1) if styled else ""
    return cells


def test_municipality_shares_are_coloured_as_check_judges_a_plan() -> None:
    # criteria.yaml: social_rent_share target 0.3333 (pass at or above), limit 0.30 (fail below)
    cells = _share_cells()
    assert cells["Wijdemeren"] == YELLOW  # 123 / 404 = 30.4%: warn, as in check
    assert cells["Blaricum"] == RED  # 28 / 96 = 29.2%: below the limit, fail
    assert cells["Laren"] == RED  # 12 / 82 = 14.6%
    assert cells["Hilversum"] == ""  # 991 / 2896 = 34.2%: at or above the target


def test_share_status_uses_the_criterion_limit() -> None:
    report = check_paths([PLANS], load_criteria(CRITERIA), 2026)
    figures = compute_progress(report.valid_results, report.criteria.region, 2026)
    assert figures.social_rent_limit == 0.30
    assert [figures.share_status(s) for s in (None, 0.29, 0.30, 0.3332, 0.3333)] == [
        None,
        "fail",
        "warn",
        "warn",
        "pass",
    ]
