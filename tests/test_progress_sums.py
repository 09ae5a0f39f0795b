"""Progress from each plan's contribution (what ``progress`` keeps of 100,000 plans) equals
progress from the full results, and partial sums merge into the sums of all plans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import PLANS, ROOT

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.compute import (
    ProgressSums,
    compute_progress,
    contribution,
    keep_contribution,
    progress_of_reports,
)
from woonplan.render.progress_json import as_dict

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sums") / "plans"
    generate(folder, 600, seed=12)  # above PARALLEL_FILES: checked by worker processes
    return folder


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_contributions_give_the_same_figures_as_results(which: str, generated: Path) -> None:
    criteria = load_criteria(ROOT / "criteria.yaml")
    folder = PLANS if which == "bundled" else generated
    full = check_paths([folder], criteria, 2026)
    slim = check_paths([folder], criteria, 2026, keep_contribution)
    assert [p.verdict for p in slim.plans] == [p.verdict for p in full.plans]
    assert all(p.result is None for p in slim.plans)  # nothing of the plans themselves kept
    invalid = [p.file for p in full.plans if not p.valid]
    expected = compute_progress(full.valid_results, criteria.region, 2026, invalid)
    got = progress_of_reports(slim.plans, criteria.region, 2026, invalid)
    assert as_dict(got) == as_dict(expected)  # exactly: the same sums in the same order


def test_partial_sums_merge_into_the_sums_of_all_plans(generated: Path) -> None:
    criteria = load_criteria(ROOT / "criteria.yaml")
    region = criteria.region
    parts = [contribution(r) for r in check_paths([generated], criteria, 2026).valid_results]
    whole = ProgressSums.start(region)
    for part in parts:
        whole.add(part)
    first, second = ProgressSums.start(region), ProgressSums.start(region)
    for part in parts[:250]:
        first.add(part)
    for part in parts[250:]:
        second.add(part)
    first.merge(second)
    merged, expected = as_dict(first.finish(2026)), as_dict(whole.finish(2026))
    # equal up to the order of float additions, which JSON's rounding hides here
    assert merged == expected
