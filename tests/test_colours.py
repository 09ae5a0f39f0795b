"""The same colour means the same thing in every view (issue 12 point 6).

A municipality's social-rent share is judged by the municipality policy test (as in the policy
grid), a region's by the region test, and without policy tests as ``check`` judges a plan's
share (the ``social_rent_share`` criterion's target and limit).
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CRITERIA, EXAMPLES, PLANS

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.region import RegionProgress
from woonplan.progress.sums import compute_progress
from woonplan.render import Style
from woonplan.render.progress_table import render

YELLOW, RED = "\x1b[33m", "\x1b[31m"


def _progress(plans: Path = PLANS, criteria: Path = CRITERIA) -> RegionProgress:
    loaded = load_criteria(criteria)
    report = check_paths([plans], loaded, 2026)
    return compute_progress(
        report.valid_results, loaded.region, 2026, policy_tests=loaded.policy_tests
    )


def _share_cells() -> dict[str, str]:
    text = render(_progress(), Style(color=True, width=120))
    cells = {}
    section = text.split("Per municipality", 1)[1].split("Policy tests", 1)[0]
    for line in section.splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        name = plain.split("  ")[0]
        if name in ("Blaricum", "Laren", "Wijdemeren", "Hilversum"):
            # the social share is the second percentage of the row (then the affordable share)
            styled = re.findall(r"(\x1b\[[0-9;]*m)?[ ]*\d+%", line)
            cells[name] = styled[0] if styled else "?"
    return cells


def test_municipality_shares_are_coloured_as_the_policy_grid_judges_them() -> None:
    # criteria.yaml's municipality test: 30% social rent, target 0.30 (pass), limit 0.25 (fail)
    cells = _share_cells()
    assert cells["Blaricum"] == YELLOW  # 28 / 96 = 29.2%: warn, as in the policy grid
    assert cells["Laren"] == RED  # 12 / 82 = 14.6%: below the limit
    assert cells["Wijdemeren"] == ""  # 123 / 404 = 30.4%: pass
    assert cells["Hilversum"] == ""  # 991 / 2896 = 34.2%


def test_share_status_by_policy_test_or_criterion() -> None:
    bundled = _progress()
    # the municipality test: target 0.30, limit 0.25
    assert [bundled.share_status(s, "Blaricum") for s in (None, 0.24, 0.25, 0.29, 0.30)] == [
        None,
        "fail",
        "warn",
        "warn",
        "pass",
    ]
    # the region test: target 0.3333, limit 0.30
    assert [bundled.share_status(s) for s in (0.29, 0.30, 0.3332, 0.3333)] == [
        "fail",
        "warn",
        "warn",
        "pass",
    ]
    # no policy tests (the hand-computed region): the criterion, target 0.3333 and limit 0.30
    hand = _progress(EXAMPLES / "progress" / "plans", EXAMPLES / "progress" / "criteria.yaml")
    assert hand.policy_tests == [] and hand.social_rent_limit == 0.30
    assert [hand.share_status(s, "Noorddorp") for s in (0.29, 0.30, 0.3333)] == [
        "fail",
        "warn",
        "pass",
    ]
