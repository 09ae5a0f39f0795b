"""What ``progress`` and ``check --format json`` keep of each plan instead of its full result
(memory for 100,000 plans) gives the same output: progress from each plan's contribution, the
JSON from each plan's text; and partial sums merge into the sums of all plans."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import PLANS, ROOT

from woonplan.checking import contract
from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.contract import as_dict
from woonplan.progress.contributions import contribution, contribution_keeper
from woonplan.progress.sums import ProgressSums, compute_progress, progress_of_reports
from woonplan.render import Style, check_json, jsontext

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
    slim = check_paths([folder], criteria, 2026, contribution_keeper(criteria.region))
    assert [p.verdict for p in slim.plans] == [p.verdict for p in full.plans]
    assert all(p.result is None for p in slim.plans)  # nothing of the plans themselves kept
    invalid = [p.file for p in full.plans if not p.valid]
    expected = compute_progress(full.valid_results, criteria.region, 2026, invalid)
    got = progress_of_reports(slim.plans, criteria.region, 2026, invalid)
    assert as_dict(got) == as_dict(expected)  # exactly: the same sums in the same order


def test_partial_sums_merge_into_the_sums_of_all_plans(generated: Path) -> None:
    criteria = load_criteria(ROOT / "criteria.yaml")
    region = criteria.region
    period = (region.period.start, region.period.end)
    results = check_paths([generated], criteria, 2026).valid_results
    parts = [contribution(r, region.price_limits, period) for r in results]
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


def test_json_from_kept_texts_is_the_json_of_the_results(generated: Path, tmp_path: Path) -> None:
    criteria = load_criteria(ROOT / "criteria.yaml")
    twin = tmp_path / "twin"
    twin.mkdir()
    first = sorted(generated.iterdir())[0]
    (twin / first.name).write_bytes(first.read_bytes())  # the same id twice: both invalid
    for paths in ([PLANS], [generated, twin], [PLANS / "missing.yaml", PLANS]):
        full = check_paths(paths, criteria, 2026)
        slim = check_paths(paths, criteria, 2026, check_json.slim)
        expected = jsontext.dumps(contract.as_dict(full)) + "\n"
        assert check_json.render(slim, Style()) == expected
        assert check_json.render(full, Style()) == expected
        assert slim.exit_code() == full.exit_code()
    assert any(isinstance(p.kept, check_json.PlanText) for p in slim.plans)
