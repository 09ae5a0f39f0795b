"""criteria.py: lookup order, the packaged copy, and errors found when criteria.yaml loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CRITERIA, ROOT

from woonplan.checking.criteria import PACKAGED, load_criteria, packaged_text, parse_criteria
from woonplan.problems import InputError

HAND = ROOT / "tests" / "examples" / "criteria" / "hand.yaml"


def test_packaged_copy_has_the_same_bytes_as_the_top_level_file() -> None:
    packaged = ROOT / "src" / "woonplan" / "criteria.yaml"
    assert packaged.read_bytes() == CRITERIA.read_bytes(), (
        "src/woonplan/criteria.yaml drifted from criteria.yaml: copy the top-level file over it"
    )
    assert packaged_text() == CRITERIA.read_text(encoding="utf-8")


def test_explicit_criteria_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "criteria.yaml").write_text(CRITERIA.read_text())
    monkeypatch.chdir(tmp_path)
    loaded = load_criteria(HAND)
    assert loaded.source == str(HAND)
    assert loaded.criteria[0].spec.title == "Social rent share"  # hand.yaml's, not the region's


def test_criteria_yaml_in_the_working_folder_comes_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "criteria.yaml").write_text(HAND.read_text())
    monkeypatch.chdir(tmp_path)
    loaded = load_criteria()
    assert loaded.source == "criteria.yaml"
    assert loaded.criteria[0].spec.title == "Social rent share"


def test_packaged_default_when_there_is_no_local_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    loaded = load_criteria()
    assert loaded.source == PACKAGED
    assert [c.id for c in loaded.criteria] == [
        "social_rent_share",
        "affordable_share",
        "public_transport",
        "home_work_balance",
    ]


def test_a_missing_explicit_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_criteria(tmp_path / "nope.yaml")
    assert "cannot read file" in str(info.value)


def test_default_region_values() -> None:
    region = load_criteria(CRITERIA).region
    assert region.municipalities == [
        "Blaricum",
        "Gooise Meren",
        "Hilversum",
        "Huizen",
        "Laren",
        "Wijdemeren",
    ]
    assert (region.period.start, region.period.end) == (2022, 2030)
    assert (region.target_homes, region.review_threshold) == (7000, 50)


def _with(old: str, new: str) -> str:
    text = HAND.read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    metric: jobs_per_home\n",
            '    expression: "work.jobs / total_home"\n',
            "criteria.yaml:41:17: criteria[3].expression: unknown name 'total_home' "
            "(did you mean 'total_homes'?)",
        ),
        (
            "    weight: 1\n",
            "    weight: 1\n    when: \"__import__('os')\"\n",
            "criteria.yaml:45:11: criteria[3].when: function __import__ is not allowed",
        ),
        (
            "    target: 800\n",
            "    target: 1300\n",
            "criteria.yaml:37:12: criteria[2].limit: with better: lower, limit must be >= target "
            "(limit 1200, target 1300)",
        ),
        (
            "    metric: jobs_per_home\n",
            '    metric: jobs_per_home\n    expression: "work.jobs"\n',
            "criteria.yaml:39:5: criteria[3]: give exactly one of 'metric' or 'expression'",
        ),
        (
            "  - id: affordable_share",
            "  - id: social_rent_share",
            "criteria.yaml:26:9: criteria[1].id: criterion id 'social_rent_share' is used twice",
        ),
        (
            "    metric: transit_distance_m\n",
            "    metric: transit_distance\n",
            "criteria.yaml:34:13: criteria[2].metric: must be one of total_homes",
        ),
        (
            "  period: {start: 2022, end: 2030}",
            "  period: {start: 2031, end: 2030}",
            "criteria.yaml:6:11: region.period: start must not be after end",
        ),
    ],
)
def test_mistakes_are_refused_when_loaded_with_their_line(
    old: str, new: str, expected: str
) -> None:
    with pytest.raises(InputError) as info:
        parse_criteria(_with(old, new), "criteria.yaml")
    assert str(info.value.problems[0]).startswith(expected)


def test_every_bad_expression_is_reported_at_once() -> None:
    text = _with("    metric: jobs_per_home\n", '    expression: "9**9"\n    when: "lambda: 1"\n')
    with pytest.raises(InputError) as info:
        parse_criteria(text, "criteria.yaml")
    assert len(info.value.problems) == 2
