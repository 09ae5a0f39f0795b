"""``woonplan changes``: a hand-computed pair of snapshots, git revisions, errors, and output.

The pair is tests/examples/changes/{old,new}/, scored with tests/examples/changes/criteria.yaml
(the made-up region of tests/test_progress.py): period 2024–2027, target 1,000, social-rent
target round(1000 × 0.3333) = 333, realisation initiative 0.5 / feasibility 0.6 / preparation
0.7 / adopted 0.9 / under construction 1.0 / completed 1.0, review threshold 50, one required
criterion: social-rent share, target 0.3333, limit 0.30. As of 2025: years left 2027 − 2025 + 1
= 3. Every figure below was worked out by hand from the files before the code ran on them.

Plans (net homes in the period; sr = social rent):

A noorddorp-nieuw    added:   adopted, 60 homes (sr 20) in 2026; 20/60 = 0.3333.. ≥ target: pass
B zuidstad-oud       removed: preparation, 40 homes (sr 10) in 2025; < 50 homes: not reviewed
C noorddorp-slip     adopted; old 100 (sr 35) in 2025 → new 120 (sr 40) in 2027: slips +2.0
                     inside the period; 0.35 and 0.3333..: pass both
D zuidstad-laat      preparation, 80 (sr 30); old 2026: 40, 2027: 40 (mean 2026.5) → new
                     2027: 40, 2028: 40 (mean 2027.5): +1.0, half of it past the period end;
                     30/80 = 0.375: pass
E zuidstad-terug     adopted → feasibility (back), 50 (sr 10) in 2026; 10/50 = 0.2 < 0.30:
                     fail both; obstacle objections removed
F noorddorp-vooruit  preparation → under construction (forward), 30 (sr 10) in 2025; not reviewed
G oosterveen-netwerk initiative, 20 (sr 0) in 2027; obstacle grid_congestion added; not reviewed
H zuidstad-stil      completed, 45 (sr 15) in 2024, demolished 5 sr: net 40, sr 10; only its
                     notes differ: unchanged
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from woonplan.cli import app

CASE = EXAMPLES / "changes"
ARGS = ["--criteria", "criteria.yaml", "--as-of", "2025"]

OLD_TOTALS = {
    "target": 1000,
    "completed": 40,  # H 45 − 5
    "under_construction": 0,
    "hard": 150,  # C 100 + E 50
    "soft": 170,  # B 40 + D 80 + F 30 + G 20
    "planned": 360,  # 40 + 0 + 150 + 170
    "expected": 290.0,  # 40×1.0 + 150×0.9 + (40 + 80 + 30)×0.7 + 20×0.5 = 40 + 135 + 105 + 10
    "gap": 710.0,  # 1000 − 290
    "after_period": 0,
    "required_per_year": 320,  # ceil((1000 − 40) / 3)
    "gross": 365,  # B 40 + C 100 + D 80 + E 50 + F 30 + G 20 + H 45
    "demolished": 5,  # H (its first delivery, 2024, lies in the period)
    "not_in_plans": 640,  # 1000 − 360
    "capacity_ratio": 0.36,  # 360 / 1000
}
NEW_TOTALS = {
    "target": 1000,
    "completed": 40,  # H
    "under_construction": 30,  # F
    "hard": 180,  # A 60 + C 120
    "soft": 110,  # D 40 (2027) + E 50 + G 20
    "planned": 360,  # 40 + 30 + 180 + 110
    # 40 + 30×1.0 + 180×0.9 + 40×0.7 + 50×0.6 + 20×0.5 = 40 + 30 + 162 + 28 + 30 + 10
    "expected": 300.0,
    "gap": 700.0,  # 1000 − 300
    "after_period": 40,  # D 2028
    "required_per_year": 320,  # ceil((1000 − 40) / 3)
    "gross": 365,  # A 60 + C 120 + D 40 (2027) + E 50 + F 30 + G 20 + H 45
    "demolished": 5,  # H
    "not_in_plans": 640,  # 1000 − 360
    "capacity_ratio": 0.36,  # 360 / 1000
}
OLD_SOCIAL = {
    "target": 333,
    "completed": 10.0,  # H 15 − 5
    "under_construction": 0.0,
    "hard": 45.0,  # C 35 + E 10
    "soft": 50.0,  # B 10 + D 30 + F 10 + G 0
    "planned": 105.0,  # 10 + 45 + 50
    "expected": 85.5,  # 10 + 45×0.9 + 50×0.7 = 10 + 40.5 + 35
    "gap": 247.5,  # 333 − 85.5
    "after_period": 0.0,
    "required_per_year": 108,  # ceil((333 − 10) / 3) = ceil(107.67)
    "gross": 110.0,  # B 10 + C 35 + D 30 + E 10 + F 10 + G 0 + H 15
    "demolished": 5.0,  # H
    "not_in_plans": 228.0,  # 333 − 105
    "capacity_ratio": 0.315,  # 105 / 333 = 0.31532
}
NEW_SOCIAL = {
    "target": 333,
    "completed": 10.0,  # H
    "under_construction": 10.0,  # F
    "hard": 60.0,  # A 20 + C 40
    "soft": 25.0,  # D 30×40/80 = 15 + E 10 + G 0
    "planned": 105.0,  # 10 + 10 + 60 + 25
    "expected": 90.5,  # 10 + 10 + 60×0.9 + 15×0.7 + 10×0.6 = 10 + 10 + 54 + 10.5 + 6
    "gap": 242.5,  # 333 − 90.5
    "after_period": 15.0,  # D 2028: 30×40/80
    "required_per_year": 108,
    "gross": 110.0,  # A 20 + C 40 + D 15 + E 10 + F 10 + G 0 + H 15
    "demolished": 5.0,  # H
    "not_in_plans": 228.0,  # 333 − 105
    "capacity_ratio": 0.315,  # 105 / 333
}


def _row(
    plan_id: str,
    municipality: str,
    status: str,
    phase: tuple[str | None, str | None, str | None],
    homes: tuple[int | None, int | None],
    social: tuple[int | None, int | None],
    in_period: tuple[int | None, int | None],
    shift: float | None,
    verdict: tuple[str | None, str | None],
    added: list[str] | None = None,
    removed: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": plan_id,
        "municipality": municipality,
        "status": status,
        "phase": {"old": phase[0], "new": phase[1], "direction": phase[2]},
        "homes": {"old": homes[0], "new": homes[1]},
        "social_rent": {"old": social[0], "new": social[1]},
        "in_period": {"old": in_period[0], "new": in_period[1]},
        "delivery_shift": shift,
        "verdict": {"old": verdict[0], "new": verdict[1]},
        "obstacles_added": added or [],
        "obstacles_removed": removed or [],
    }


# Order: largest |in_period change| first, then id.
EXPECTED_PLANS = [
    # A: +60
    _row(
        "noorddorp-nieuw", "Noorddorp", "added", (None, "adopted", None), (None, 60),
        (None, 20), (None, 60), None, (None, "pass"),
    ),
    # D: 40 − 80 = −40; zuidstad-laat sorts before zuidstad-oud
    _row(
        "zuidstad-laat", "Zuidstad", "changed", ("preparation", "preparation", "same"),
        (80, 80), (30, 30), (80, 40), 1.0, ("pass", "pass"),
    ),
    # B: −40
    _row(
        "zuidstad-oud", "Zuidstad", "removed", ("preparation", None, None), (40, None),
        (10, None), (40, None), None, ("not_reviewed", None),
    ),
    # C: 120 − 100 = +20; mean year 2027 − 2025 = +2.0
    _row(
        "noorddorp-slip", "Noorddorp", "changed", ("adopted", "adopted", "same"), (100, 120),
        (35, 40), (100, 120), 2.0, ("pass", "pass"),
    ),
    # F, G, E: 0, by id
    _row(
        "noorddorp-vooruit", "Noorddorp", "changed",
        ("preparation", "under_construction", "forward"), (30, 30), (10, 10), (30, 30), 0.0,
        ("not_reviewed", "not_reviewed"),
    ),
    _row(
        "oosterveen-netwerk", "Oosterveen", "changed", ("initiative", "initiative", "same"),
        (20, 20), (0, 0), (20, 20), 0.0, ("not_reviewed", "not_reviewed"),
        added=["grid_congestion"],
    ),
    _row(
        "zuidstad-terug", "Zuidstad", "changed", ("adopted", "feasibility", "back"), (50, 50),
        (10, 10), (50, 50), 0.0, ("fail", "fail"), removed=["objections"],
    ),
]  # fmt: skip

EXPECTED: dict[str, Any] = {
    "old": "old",
    "new": "new",
    "totals": {
        "old": OLD_TOTALS,
        "new": NEW_TOTALS,
        "change": {
            "target": 0,
            "completed": 0,
            "under_construction": 30,
            "hard": 30,
            "soft": -60,
            "planned": 0,
            "expected": 10.0,
            "gap": -10.0,
            "after_period": 40,
            "required_per_year": 0,
            "gross": 0,
            "demolished": 0,
            "not_in_plans": 0,
            "capacity_ratio": 0.0,
        },
    },
    "social_rent": {
        "old": OLD_SOCIAL,
        "new": NEW_SOCIAL,
        "change": {
            "target": 0,
            "completed": 0.0,
            "under_construction": 10.0,
            "hard": 15.0,
            "soft": -25.0,
            "planned": 0.0,
            "expected": 5.0,
            "gap": -5.0,
            "after_period": 15.0,
            "required_per_year": 0,
            "gross": 0.0,
            "demolished": 0.0,
            "not_in_plans": 0.0,
            "capacity_ratio": 0.0,
        },
    },
    "plans": EXPECTED_PLANS,
    "summary": {
        "added": 1,  # A
        "removed": 1,  # B
        "changed": 5,  # C D E F G
        "unchanged": 1,  # H
        "slipped": 2,  # C +2.0, D +1.0
        "slipped_homes": 200,  # C 120 + D 80 (their new homes)
        "phase_back": 1,  # E
        "out_of_period": 40,  # D 80 − 40; C gained, the others kept theirs
    },
    "invalid": [],  # every file of both sides is valid
}


def _invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["changes", *args], env=env)


def test_hand_computed_pair_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    result = _invoke("old", "new", *ARGS, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EXPECTED


def test_table_of_the_hand_computed_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    result = _invoke("old", "new", *ARGS, env={"COLUMNS": "120", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out
    # planned 360 → 360; expected 290 → 300; slipped C +2.0 and D +1.0: (2 + 1) / 2 = 1.5
    assert (
        "Since old: planned ±0, expected +10; 2 plans slipped (200 homes, +1.5 years on "
        "average); 1 went back a phase; 40 homes out of the period (moved past 2027 or cut); "
        "1 plan added, 1 removed." in " ".join(out.split())
    )
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "Planned 2024–2027 360 360 ±0" in lines
    assert "Expected 290 300 +10" in lines
    assert "Gap to the target of 1,000 710 700 −10" in lines
    assert "After 2027 0 40 +40" in lines
    # social rent expected 85.5 → 90.5: shown 86 → 91 (halves away from zero), +5
    assert "Social rent expected 86 91 +5" in lines
    rows = [line for line in lines if line.split(" ")[0] in {p["id"] for p in EXPECTED_PLANS}]
    assert rows == [
        "noorddorp-nieuw added (adopted) – → 60 +60 pass",
        "zuidstad-laat preparation 80 −40 +1.0 yr pass",
        "zuidstad-oud removed (was preparation) 40 → – −40 not reviewed",
        "noorddorp-slip adopted 100 → 120 +20 +2.0 yr pass",
        "noorddorp-vooruit ↑ preparation → under construction 30 ±0 not reviewed",
        "oosterveen-netwerk initiative 20 ±0 +grid_congestion not reviewed",
        "zuidstad-terug ↓ adopted → feasibility 50 ±0 −objections fail",
    ]
    assert "1 plan unchanged." in lines


def test_markdown_of_the_hand_computed_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    result = _invoke("old", "new", *ARGS, "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "### Testregio: what this change does to the regional figures"
    assert "Compared: `old` → `new`, as of 2025." in lines
    assert any(line.startswith("Since `old`: planned ±0, expected +10; 2 plans") for line in lines)
    assert "| Expected | 290 | 300 | **+10** |" in lines
    assert "| Social rent expected | 86 | 91 | **+5** |" in lines
    assert "| `zuidstad-terug` | ↓ adopted → feasibility | 50 | ±0 |  | −objections | fail |" in (
        lines
    )
    assert "| `noorddorp-slip` | adopted | 100 → 120 | +20 | +2.0 yr |  | pass |" in lines
    assert lines[-1] == "1 plan unchanged."


def test_invalid_file_on_one_side_is_listed_and_left_out_of_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CASE, tmp_path, dirs_exist_ok=True)
    broken = tmp_path / "new" / "zuidstad-laat.yaml"
    broken.write_text(broken.read_text().replace("social_rent: 30", "social_rent: -4"))
    monkeypatch.chdir(tmp_path)
    result = _invoke("old", "new", *ARGS, "--format", "json")
    assert result.exit_code == 2
    assert "new/zuidstad-laat.yaml:7:16: homes.social_rent: must be >= 0 (got -4)" in (
        result.stderr
    )
    data = json.loads(result.stdout)
    assert [p["id"] for p in data["plans"]] == [
        p["id"] for p in EXPECTED_PLANS if p["id"] != "zuidstad-laat"
    ]
    # D is left out on both sides: old planned 360 − 80 = 280, new 360 − 40 = 320
    assert data["totals"]["old"]["planned"] == 280
    assert data["totals"]["new"]["planned"] == 320
    assert data["summary"]["changed"] == 4
    assert data["summary"]["slipped"] == 1  # only C
    assert data["invalid"] == ["new/zuidstad-laat.yaml"]  # as progress lists them
    table = _invoke("old", "new", *ARGS, env={"NO_COLOR": "1"})
    assert table.exit_code == 2
    assert "1 invalid file left out on both sides: new/zuidstad-laat.yaml" in table.stdout


def test_invalid_files_are_said_before_any_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 12 point 5, for changes too: the reader learns that files are missing before the
    # figures they are missing from
    shutil.copytree(CASE, tmp_path, dirs_exist_ok=True)
    broken = tmp_path / "new" / "zuidstad-laat.yaml"
    broken.write_text(broken.read_text().replace("social_rent: 30", "social_rent: -4"))
    monkeypatch.chdir(tmp_path)
    said = "1 invalid file left out on both sides"
    table = _invoke("old", "new", *ARGS, env={"NO_COLOR": "1", "COLUMNS": "120"}).stdout
    assert table.splitlines()[0] == f"{said}: new/zuidstad-laat.yaml"
    markdown = _invoke("old", "new", *ARGS, "--format", "markdown").stdout.splitlines()
    assert markdown[0].startswith("### ")
    assert markdown[2:5] == [f"**{said}:**", "", "- `new/zuidstad-laat.yaml`"]
    assert markdown.index(f"**{said}:**") < min(
        i for i, line in enumerate(markdown) if line.startswith(("Since", "|"))
    )


def test_a_price_above_the_limit_moves_social_rent_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Price limits count in the changes as everywhere: C's 40 social-rent homes priced at
    950 a month, above the limit of 900, count as free-sector rent on the new side; H's new
    price of 800 is below it and changes nothing."""
    shutil.copytree(CASE, tmp_path, dirs_exist_ok=True)
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(
        criteria.read_text().replace(
            "  municipality_targets: {Noorddorp: 600}\n",
            "  municipality_targets: {Noorddorp: 600}\n  price_limits:\n"
            "    2024: {social_rent: 900}\n",
        )
    )
    for name, price in (("noorddorp-slip", 950), ("zuidstad-stil", 800)):
        plan = tmp_path / "new" / f"{name}.yaml"
        plan.write_text(plan.read_text() + f"prices:\n  social_rent: {price}\n")
    monkeypatch.chdir(tmp_path)
    result = _invoke("old", "new", *ARGS, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [slip] = [p for p in data["plans"] if p["id"] == "noorddorp-slip"]
    assert slip["social_rent"] == {"old": 35, "new": 0}
    assert slip["verdict"] == {"old": "pass", "new": "fail"}  # 0 / 120 < 0.30, required
    assert "zuidstad-stil" not in [p["id"] for p in data["plans"]]
    assert data["summary"]["unchanged"] == 1
    # new social rent: completed H 10 + under construction F 10 + hard A 20 (C 0) + soft 25
    assert data["social_rent"]["new"]["planned"] == 65.0
    # 10 + 10 + 20×0.9 + D 15×0.7 + E 10×0.6 = 10 + 10 + 18 + 10.5 + 6
    assert data["social_rent"]["new"]["expected"] == 54.5
    assert data["social_rent"]["change"]["planned"] == -40.0  # 65 − 105
    # gross social rent counts as planned does: 110 − C's 40, now free-sector; 70 − 5 = 65
    assert data["social_rent"]["new"]["gross"] == 70.0
    assert data["social_rent"]["new"]["demolished"] == 5.0


def test_missing_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke("nowhere", str(CASE / "new"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "nowhere: no such file or folder (a git revision is written REV:PATH, e.g. main:plans)"
    )


def test_output_is_written_and_never_over_an_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CASE, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    written = _invoke("old", "new", *ARGS, "--format", "markdown", "--output", "changes.md")
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert (tmp_path / "changes.md").read_text(encoding="utf-8").startswith("### Testregio")
    plan = tmp_path / "new" / "noorddorp-slip.yaml"
    before = plan.read_bytes()
    refused = _invoke("old", "new", *ARGS, "--output", "new/noorddorp-slip.yaml")
    assert refused.exit_code == 2
    assert "is one of the input files" in refused.stderr
    assert plan.read_bytes() == before


# --- git -------------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(home.parent),
        "HOME": str(home),
    }


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=_git_env(repo), capture_output=True, text=True, check=True
    )
    return done.stdout


def _repository(repo: Path) -> None:
    """A plans repository: the old plans committed and tagged, then the new ones committed."""
    _git(repo, "init", "-q", "-b", "main")
    shutil.copy(CASE / "criteria.yaml", repo / "criteria.yaml")
    shutil.copytree(CASE / "old", repo / "plans")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "plans as discussed in June")
    _git(repo, "tag", "bo-2025-06")
    shutil.rmtree(repo / "plans")
    shutil.copytree(CASE / "new", repo / "plans")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "plans now")


@needs_git
def test_tag_against_working_tree_leaves_status_and_index_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _repository(repo)
    # An uncommitted edit and an untracked file, so that status has something to show
    (repo / "plans" / "zuidstad-stil.yaml").write_text(
        (repo / "plans" / "zuidstad-stil.yaml").read_text() + "# edited\n"
    )
    (repo / "notes.txt").write_text("meeting notes\n")
    monkeypatch.chdir(repo)
    status = _git(repo, "status", "--porcelain")
    index = (repo / ".git" / "index").read_bytes()
    result = _invoke("bo-2025-06:plans", *ARGS, "--format", "json", env=_git_env(repo))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == EXPECTED | {"old": "bo-2025-06:plans", "new": "plans"}
    assert (repo / ".git" / "index").read_bytes() == index
    assert _git(repo, "status", "--porcelain") == status
    # The same revision read as a sha, and HEAD~1 (the tag's commit), give the same plans
    sha = _git(repo, "rev-parse", "bo-2025-06").strip()
    by_sha = _invoke(f"{sha}:plans", "HEAD:plans", *ARGS, "--format", "json", env=_git_env(repo))
    assert by_sha.exit_code == 0, by_sha.output
    assert json.loads(by_sha.stdout)["plans"] == EXPECTED_PLANS
    relative = _invoke("HEAD~1:./plans", "plans", *ARGS, "-f", "json", env=_git_env(repo))
    assert json.loads(relative.stdout)["summary"] == EXPECTED["summary"]


@needs_git
def test_invalid_files_in_a_revision_are_placed_in_the_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _repository(repo)
    plans = repo / "plans"
    broken = plans / "zuidstad-laat.yaml"
    broken.write_text(broken.read_text().replace("social_rent: 30", "social_rent: -4"))
    (plans / "sub").mkdir()
    shutil.copy(plans / "noorddorp-nieuw.yaml", plans / "sub" / "noorddorp-nieuw.yaml")
    (plans / "big.yaml").write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    (plans / "utf16.yaml").write_bytes("id: utf16\n".encode("utf-16"))
    os.symlink("noorddorp-slip.yaml", plans / "link.yaml")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "broken")
    monkeypatch.chdir(repo)
    result = _invoke("HEAD~1:plans", "HEAD:plans", *ARGS, "--format", "json", env=_git_env(repo))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert "HEAD:plans/zuidstad-laat.yaml:7:16: homes.social_rent: must be >= 0 (got -4)" in errors
    assert "HEAD:plans/big.yaml: file is too large (1,048,579 bytes; the limit is 1 MiB)" in errors
    assert (
        "HEAD:plans/utf16.yaml: the file is UTF-16 (or UTF-32) encoded; save it as UTF-8" in errors
    )
    assert (
        "HEAD:plans/link.yaml: a symbolic link; links inside a plans folder are not followed"
        in errors
    )
    assert (
        "HEAD:plans/noorddorp-nieuw.yaml:2:5: id: id 'noorddorp-nieuw' is also used by "
        "HEAD:plans/sub/noorddorp-nieuw.yaml" in errors
    )
    data = json.loads(result.stdout)
    assert "zuidstad-laat" not in [p["id"] for p in data["plans"]]
    assert "noorddorp-nieuw" not in [p["id"] for p in data["plans"]]


@needs_git
def test_many_plans_from_git_read_like_the_same_plans_in_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough files for worker processes: each worker streams its own run of blobs from git."""
    repo = tmp_path / "repo"
    plans = repo / "plans"
    plans.mkdir(parents=True)
    template = (CASE / "old" / "noorddorp-slip.yaml").read_text()
    count = 520
    for index in range(count):
        plan_id = f"noorddorp-plan-{index:03d}"
        text = template.replace("id: noorddorp-slip", f"id: {plan_id}")
        (plans / f"{plan_id}.yaml").write_text(text)
    shutil.copy(CASE / "criteria.yaml", repo / "criteria.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "many")
    _git(repo, "tag", "snap")
    shutil.copytree(plans, tmp_path / "copy")
    slipped = plans / "noorddorp-plan-007.yaml"
    slipped.write_text(slipped.read_text().replace("2025: 100", "2026: 100"))
    monkeypatch.chdir(repo)
    env = _git_env(repo)
    from_git = _invoke("snap:plans", "plans", *ARGS, "--format", "json", env=env)
    from_folder = _invoke(str(tmp_path / "copy"), "plans", *ARGS, "--format", "json", env=env)
    assert from_git.exit_code == 0, from_git.output
    data = json.loads(from_git.stdout)
    assert data == json.loads(from_folder.stdout) | {"old": "snap:plans"}
    assert data["totals"]["old"]["planned"] == count * 100
    assert data["summary"] | {"unchanged": 0} == {
        "added": 0, "removed": 0, "changed": 1, "unchanged": 0, "slipped": 1,
        "slipped_homes": 100, "phase_back": 0, "out_of_period": 0,
    }  # fmt: skip
    assert data["summary"]["unchanged"] == count - 1


HOSTILE = {
    "bomb.yaml": b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + b"".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n".encode()
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    "tag.yaml": b"id: !!python/object/apply:os.system ['echo pwned']\n",
    "deep.yaml": b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "binary.yaml": b"\x00\x01\x02binary",
    "latin.yaml": "name: caf\xe9\n".encode("latin-1"),
    "control.yaml": b"id: a\x07b\n",
}


@needs_git
def test_hostile_files_in_a_revision_are_refused_as_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    for name, data in HOSTILE.items():
        (repo / "plans" / name).write_bytes(data)
    shutil.copy(CASE / "criteria.yaml", repo / "criteria.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hostile")
    monkeypatch.chdir(repo)
    result = _invoke("HEAD:plans", "plans", *ARGS, "--format", "json", env=_git_env(repo))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    from_git = sorted(line.removeprefix("HEAD:") for line in lines if line.startswith("HEAD:"))
    on_disk = sorted(line for line in lines if not line.startswith("HEAD:"))
    assert len(on_disk) == len(HOSTILE)
    assert from_git == on_disk
    assert json.loads(result.stdout)["plans"] == []


@needs_git
@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("no-such-tag:plans", "no-such-tag:plans: unknown git revision 'no-such-tag'"),
        (
            "bo-2025-06:proposals",
            "bo-2025-06:proposals: 'proposals' is not in git revision 'bo-2025-06'",
        ),
        (":plans", ":plans: no git revision before ':' (write REV:PATH, e.g. main:plans)"),
        ("--output=x:plans", "--output=x:plans: not a git revision"),
    ],
)
def test_unknown_revision_or_path_is_one_line(
    side: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _repository(repo)
    monkeypatch.chdir(repo)
    result = _invoke(*ARGS, "--", side, "plans", env=_git_env(repo))
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not (repo / "x").exists()


@needs_git
def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CASE, tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    result = _invoke("main:plans", "new", *ARGS, env=_git_env(tmp_path / "case"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "main:plans: not in a git repository (run woonplan inside the plans repository, "
        "or compare two folders)"
    )


@needs_git
@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give away a folder"
)
def test_a_repository_git_refuses_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _repository(repo)
    for path in [repo, *repo.rglob("*")]:
        os.chown(path, 12345, 12345, follow_symlinks=False)  # someone else's repository
    monkeypatch.chdir(repo)
    result = _invoke("bo-2025-06:plans", *ARGS, env=_git_env(repo))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "bo-2025-06:plans: git cannot use the repository here: fatal: detected dubious ownership"
    )


def test_no_git_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASE)
    result = _invoke("main:plans", "new", *ARGS, env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "main:plans: reading a git revision needs git, and git is not on PATH"
    )


# --- docs/changes.md shows the real output ---------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "fence", "args"),
    [("changes-table", "text", []), ("changes-markdown", "markdown", ["--format", "markdown"])],
)
def test_docs_examples_are_current(
    marker: str, fence: str, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regenerate with ``UPDATE_DOCS=1 python -m pytest tests/test_changes.py``."""
    monkeypatch.chdir(CASE)
    result = _invoke("old", "new", *ARGS, *args, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    body = f"```{fence}\n{result.stdout.rstrip()}\n```"
    doc_path = ROOT / "docs" / "changes.md"
    doc = doc_path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- begin: {marker} -->\n)(.*?)(<!-- end: {marker} -->)", flags=re.S)
    match = pattern.search(doc)
    assert match, f"docs/changes.md lacks the {marker} markers"
    if os.environ.get("UPDATE_DOCS") == "1":
        doc_path.write_text(pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), doc))
        return
    assert match.group(2) == body + "\n", "docs/changes.md is stale: run UPDATE_DOCS=1 pytest"


def test_the_example_workflow_summarises_a_pull_requests_changes() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["woonplan"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch's history is needed
    [step] = [s for s in steps if "woonplan changes" in s.get("run", "")]
    assert step["if"] == "always() && github.event_name == 'pull_request'"
    assert step["env"] == {"BASE": "${{ github.base_ref }}"}  # never inlined into the script
    assert step["run"] == (
        'woonplan changes "origin/$BASE:plans" plans --format markdown '
        '>> "$GITHUB_STEP_SUMMARY" || true'
    )
