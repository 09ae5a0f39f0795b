"""Messages one step closer to the fix (issue 12): what a user reads when a plan is odd."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CRITERIA, PLANS

ZERO_SCORE_WARN = """\
id: hilversum-nul
name: Nul
municipality: Hilversum
phase: adopted
homes: {social_rent: 30, free_buy: 70}
delivery: {2028: 100}
"""


def test_a_zero_score_that_is_warn_says_why(run: Callable[..., Any], tmp_path: Path) -> None:
    # social rent 30/100 = exactly the limit 0.30: warn, score (0.30 − 0.30)/(…) = 0; every
    # other criterion fails (affordable 30% < 50%, no stop, no jobs) but none is required
    plan = tmp_path / "hilversum-nul.yaml"
    plan.write_text(ZERO_SCORE_WARN, encoding="utf-8")
    result = run("check", str(plan), "--criteria", str(CRITERIA), "--as-of", "2026")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0].startswith("WARN hilversum-nul  score 0.0")
    why = "score 0.0 but warn: no required (*) criterion fails, and only those can fail a plan"
    assert why in lines[1:3]  # under the head (which a long path may wrap onto two lines)


def test_a_zero_score_that_is_warn_says_why_in_markdown(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    plan = tmp_path / "hilversum-nul.yaml"
    plan.write_text(ZERO_SCORE_WARN, encoding="utf-8")
    args = ("check", str(plan), "--criteria", str(CRITERIA), "--as-of", "2026")
    result = run(*args, "--format", "markdown")
    assert result.exit_code == 0
    why = "score 0.0 but warn: no required (\\*) criterion fails, and only those can fail a plan"
    assert f"\n  - {why}\n" in result.stdout  # first under the plan in "What fails and why"


BASE = """\
id: {id}
name: X
municipality: Hilversum
phase: adopted
homes:
  social_rent: 60
  free_buy: 40
delivery:
  2027: 40
  2028: 60
"""


def _errors(run: Callable[..., Any], folder: Path, name: str, old: str, new: str) -> list[str]:
    text = BASE.format(id=name)
    assert old in text
    path = folder / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run("check", str(path), "--criteria", str(CRITERIA), "--format", "json")
    assert result.exit_code == 2
    (plan,) = json.loads(result.stdout)["plans"]
    return [f"{e['line']}:{e['column']}: {e['path']}: {e['message']}" for e in plan["errors"]]


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("in aanbouw", "under_construction"),
        ("initiatief", "initiative"),
        ("haalbaarheid", "feasibility"),
        ("voorbereiding", "preparation"),
        ("vastgesteld", "adopted"),
        ("opgeleverd", "completed"),
        ("Opgeleverd", "completed"),
        ("in_aanbouw", "under_construction"),  # written like the file's own keys
        ("In-Aanbouw", "under_construction"),
    ],
)
def test_a_dutch_phase_suggests_the_english_one(
    run: Callable[..., Any], tmp_path: Path, dutch: str, english: str
) -> None:
    (line,) = _errors(run, tmp_path, "p", "phase: adopted", f"phase: {dutch}")
    assert line.startswith("4:8: phase: must be one of initiative, ")
    assert line.endswith(f"(got {dutch!r}) (did you mean {english!r}?)")


def test_a_quoted_year_says_remove_the_quotes(run: Callable[..., Any], tmp_path: Path) -> None:
    assert _errors(run, tmp_path, "p", "  2027: 40", '  "2027": 40') == [
        "9:3: delivery.2027: a year must not be quoted: remove the quotes: write 2027: 40"
    ]


def test_no_space_after_a_colon_points_at_its_own_line(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    # libyaml notices only on the next line (7); the mistake is on line 6
    assert _errors(run, tmp_path, "p", "  social_rent: 60", "  social_rent:60") == [
        "6:14: : invalid YAML: mapping values are not allowed in this context; "
        "put a space after the colon: 'social_rent: 60'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # one line under homes: YAML reads the text 'social_rent:60', not a mapping
        (
            "  social_rent: 60\n  free_buy: 40",
            "  social_rent:100",
            "6:3: homes: must be a mapping (got 'social_rent:100'); put a space after the "
            "colon: 'social_rent: 100'",
        ),
        # 2027:100 is text (100 is no base-60 digit pair)
        (
            "  2027: 40\n  2028: 60",
            "  2027:100",
            "9:3: delivery: must be a mapping (got '2027:100'); put a space after the colon: "
            "'2027: 100'",
        ),
        # 2027:40 is the base-60 number 2027 × 60 + 40 = 121660: said once, with the fix, not
        # "write 121660" and not a second "must be a mapping (got 121660)"
        (
            "  2027: 40\n  2028: 60",
            "  2027:40",
            "9:3: delivery: 2027:40 is read as 121660 (YAML reads it as a base-60 number, as "
            "for times); put a space after the colon: '2027: 40'",
        ),
    ],
)
def test_a_lone_line_without_a_blank_after_the_colon(
    run: Callable[..., Any], tmp_path: Path, old: str, new: str, message: str
) -> None:
    errors = _errors(run, tmp_path, "p", old, new)
    assert errors[0] == message
    assert len(errors) == 1 or "homes total" in errors[1]


def test_a_year_written_with_a_plus_is_placed_at_its_own_line(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    # YAML reads +2028 as the year 2028; the error is on line 10, not at delivery's first year
    assert _errors(run, tmp_path, "p", "  2028: 60", "  +2028: -60") == [
        "10:10: delivery.2028: must be >= 0 (got -60)"
    ]


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "   free_buy: 40",
            "7:4: : invalid YAML: mapping values are not allowed in this context; line 7 is "
            "indented more than line 6; keys of one mapping start in the same column",
        ),
        (
            " free_buy: 40",
            "7:2: : invalid YAML: while parsing a block mapping: did not find expected key; "
            "line 7 is indented less than line 6; keys of one mapping start in the same column",
        ),
    ],
)
def test_wrong_indentation_gets_a_plain_hint(
    run: Callable[..., Any], tmp_path: Path, new: str, message: str
) -> None:
    assert _errors(run, tmp_path, "p", "  free_buy: 40", new) == [message]


def test_a_tab_in_the_indentation_says_so(run: Callable[..., Any], tmp_path: Path) -> None:
    # libyaml: "found character that cannot start any token", nothing about the tab
    # libyaml's words depend on where the tab is; the hint is the same
    (error,) = _errors(run, tmp_path, "p", "  2028: 60", "\t2028: 60")
    assert error.startswith("10:1: : invalid YAML: ")
    assert error.endswith("; line 10 is indented with a tab; indent with spaces")


def test_a_list_item_key_indented_wrong_gets_the_plain_hint(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    stops = "  2028: 60\npublic_transport:\n  - stop: A\n    type: bus\n   walking_distance_m: 300"
    assert _errors(run, tmp_path, "p", "  2028: 60", stops) == [
        "14:4: : invalid YAML: while parsing a block collection: did not find expected '-' "
        "indicator; line 14 is indented less than line 13; keys of one mapping start in the "
        "same column"
    ]


def test_delivery_indented_under_homes(run: Callable[..., Any], tmp_path: Path) -> None:
    errors = _errors(run, tmp_path, "p", "delivery:", "  delivery:")
    assert (
        "8:3: homes.delivery: unknown key 'delivery' in homes: indented too far? delivery: is "
        "a top-level key and starts at the left margin"
    ) in errors
    assert (
        "9:3: homes.2027: 2027 is a key inside homes: years belong under delivery:, which "
        "starts at the left margin (is delivery: indented under homes?)"
    ) in errors


def test_a_year_outdented_out_of_delivery(run: Callable[..., Any], tmp_path: Path) -> None:
    errors = _errors(run, tmp_path, "p", "  2028: 60", "2028: 60")
    assert (
        "10:1: 2028: 2028 is a key at the top level: a delivery year indented too little? "
        "Indent it like the other years under delivery:"
    ) in errors


def test_a_file_name_that_is_no_id_says_rename_the_file(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "Hilversum Voorbeeldkwartier (kopie).yaml"
    path.write_text(BASE.format(id="hilversum-voorbeeldkwartier"), encoding="utf-8")
    result = run("check", str(path), "--criteria", str(CRITERIA))
    assert result.exit_code == 2
    assert (
        f"{path}:1:5: id: the file name 'Hilversum Voorbeeldkwartier (kopie)' is not a valid id "
        "(a lowercase slug of a-z, 0-9 and '-'): rename the file to "
        "hilversum-voorbeeldkwartier.yaml"
    ) in result.stdout


def test_markdown_shows_a_waiver_with_reason_and_date(run: Callable[..., Any]) -> None:
    # issue 12 point 14: as the table does
    plan = PLANS / "laren-naarderstraat.yaml"
    result = run("check", str(plan), "--criteria", str(CRITERIA), "--format", "markdown")
    assert (
        "  - Social rent share (sociale huur) (waived, required): 18.8% (target 33.3% or more, "
        "limit 30%); waived on 2025-03-12: Compensated by 17 social rent homes above one third "
        "in hilversum-stationsgebied"
    ) in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check", "--format", "xml"],
            "Error: Invalid value for '--format' / '-f': 'xml' is not a format; choose one of: "
            "table, json, markdown, github",
        ),
        (
            ["progress", "--format", "github"],
            "Error: Invalid value for '--format' / '-f': 'github' is not a format; choose one "
            "of: table, json, markdown",
        ),
        (
            ["progress", "--lang", "de"],
            "Error: Invalid value for '--lang': 'de' is not a language; choose one of: nl, en",
        ),
    ],
)
def test_a_bad_format_lists_the_choices_plainly(
    run: Callable[..., Any], args: list[str], message: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Value error" not in result.stderr and "╭" not in result.stderr


@pytest.mark.parametrize("command", ["check", "progress", "schema", "import"])
def test_help_has_no_typer_artefacts(run: Callable[..., Any], command: str) -> None:
    out = run(command, "--help").stdout
    assert "<bool>" not in out and "{" not in out
    assert "--lang [nl|en]" in out  # the choices, as --format shows its own
    assert "<int range>" not in out and "<file>" not in out


def test_xlsx_needs_the_xlsx_suffix(run: Callable[..., Any], tmp_path: Path) -> None:
    # issue 12 point 15: Excel refuses an xlsx workbook under another suffix
    target = tmp_path / "figures.xls"
    result = run("progress", str(PLANS), "--criteria", str(CRITERIA), "--xlsx", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--xlsx: {target} must end in .xlsx"
    assert result.stdout == "" and not target.exists()


def test_progress_pace_says_years_in_words(run: Callable[..., Any]) -> None:
    # "5 year(s)" → "5 years"; "1 year" in the last year of the period
    many = run("progress", str(PLANS), "--criteria", str(CRITERIA), "--as-of", "2026").stdout
    one = run("progress", str(PLANS), "--criteria", str(CRITERIA), "--as-of", "2030").stdout
    assert "for 5 years (2026–2030)" in many and "(s)" not in many
    assert "for 1 year (2030)" in one


def test_a_municipality_in_capitals_suggests_its_spelling(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    # difflib alone finds no match for GOOISE MEREN (case counts); case-folded it is exact
    (line,) = _errors(run, tmp_path, "p", "municipality: Hilversum", "municipality: GOOISE MEREN")
    assert line == (
        "3:15: municipality: 'GOOISE MEREN' is not a municipality of Gooi en Vechtstreek "
        "(did you mean 'Gooise Meren'?)"
    )
