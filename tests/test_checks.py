"""checks.py: checking a set of files; ids used twice; a file named twice; the summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from woonplan.checking.criteria import Criteria
from woonplan.checking.run import check_paths

PLAN = """\
id: {id}
name: Test plan
municipality: Hilversum
phase: adopted
homes:
  social_rent: {social}
  mid_rent: 30
  free_buy: {free}
delivery:
  2027: 100
public_transport:
  - stop: Hilversum
    type: train
    walking_distance_m: 500
work:
  jobs: 20
"""


def plan(pid: str, social: int = 40) -> str:
    # with social 40: every criterion of the region passes
    return PLAN.format(id=pid, social=social, free=70 - social)


def test_same_id_in_two_files_makes_both_invalid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, criteria: Criteria
) -> None:
    monkeypatch.chdir(tmp_path)
    for folder in ("a", "b"):
        Path(folder).mkdir()
        Path(folder, "twin.yaml").write_text(plan("twin"))
    Path("a", "other.yaml").write_text(plan("other"))
    report = check_paths([Path("a"), Path("b")], criteria, 2025)
    by_file = {p.file: p for p in report.plans}
    assert [str(e) for e in by_file["a/twin.yaml"].errors] == [
        "a/twin.yaml:1:5: id: id 'twin' is also used by b/twin.yaml"
    ]
    assert [str(e) for e in by_file["b/twin.yaml"].errors] == [
        "b/twin.yaml:1:5: id: id 'twin' is also used by a/twin.yaml"
    ]
    assert by_file["a/other.yaml"].valid
    assert report.summary() == {
        "plans": 3,
        "invalid": 2,
        "pass": 1,
        "warn": 0,
        "fail": 0,
        "not_reviewed": 0,
    }


def test_a_file_named_twice_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, criteria: Criteria
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plans").mkdir()
    Path("plans", "one.yaml").write_text(plan("one"))
    report = check_paths([Path("plans"), Path("plans/one.yaml")], criteria, 2025)
    assert [(p.file, p.valid) for p in report.plans] == [("plans/one.yaml", True)]


def test_folders_are_walked_sorted_for_yaml_and_yml(
    tmp_path: Path, write_plan: Callable[[str, str], Path], criteria: Criteria
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yml").write_text(plan("c"))
    write_plan("b", plan("b"))
    write_plan("a", plan("a"))
    (tmp_path / "notes.txt").write_text("not a plan")
    report = check_paths([tmp_path], criteria, 2025)
    assert [p.plan_id for p in report.plans] == ["a", "b", "c"]


def test_a_missing_path_is_an_invalid_entry(tmp_path: Path, criteria: Criteria) -> None:
    report = check_paths([tmp_path / "nope.yaml"], criteria, 2025)
    (only,) = report.plans
    assert only.verdict == "invalid"
    assert only.errors[0].message == "no such file or folder"


def test_one_bad_file_does_not_stop_the_others(
    write_plan: Callable[[str, str], Path], criteria: Criteria
) -> None:
    bad = write_plan("bad", "id: [unclosed\n")
    good = write_plan("good", plan("good", social=20))
    report = check_paths([bad, good], criteria, 2025)
    assert [p.verdict for p in report.plans] == ["invalid", "fail"]


def test_findings_place_criteria_results_at_their_figures(
    write_plan: Callable[[str, str], Path], criteria: Criteria
) -> None:
    path = write_plan("low", plan("low", social=20))
    (report,) = check_paths([path], criteria, 2025).plans
    (finding,) = [f for f in report.findings if "social_rent_share" in f.message]
    assert (finding.line, finding.column, finding.path) == (6, 16, "homes.social_rent")
    assert "required, fail" in finding.message
