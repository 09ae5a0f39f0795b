"""Dutch and English (issue 15): the catalogue is complete and compiled, the language is chosen
in one place, Dutch number forms, and no English leaks into Dutch output of the bundled data.

The suite runs in English (tests/conftest.py); these tests ask for Dutch explicitly.
"""

from __future__ import annotations

import datetime
import json
import re
import string
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import CRITERIA, PLANS, ROOT
from typer.testing import CliRunner

from woonplan import numbers
from woonplan.checking.criteria import BUNDLED_TITLES
from woonplan.cli import app
from woonplan.excel.importer import SHEETS
from woonplan.i18n import (
    ENV,
    LOCALES,
    LanguageError,
    _,
    current_language,
    resolve_language,
    set_language,
)

sys.path.insert(0, str(ROOT / "scripts"))
import catalogue  # scripts/catalogue.py: the same extraction the translators use

PO = LOCALES / "nl" / "LC_MESSAGES" / "woonplan.po"
MO = PO.with_suffix(".mo")


def invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


# --- the catalogue -------------------------------------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _percent_formats(text: str) -> list[str]:
    # conversions as %-formatting reads them; "130% of" (a flag-like space) is prose, not one
    return re.findall(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]", text)


def test_every_message_has_a_dutch_translation_with_the_same_placeholders() -> None:
    dutch = catalogue.read("nl")
    messages = [m for m in dutch if m.id]
    assert len(messages) > 300
    for message in messages:
        ids = [str(i) for i in (message.id if isinstance(message.id, tuple) else [message.id])]
        strings = [
            str(s)
            for s in (message.string if isinstance(message.string, tuple) else [message.string])
        ]
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        assert message.string and all(strings), f"not translated: {message.id!r}"
        for text in strings:
            assert _fields(text) == _fields(ids[-1]), f"placeholders differ: {message.id!r}"
            if "python-format" in message.flags:
                assert sorted(_percent_formats(text)) == sorted(_percent_formats(ids[-1]))


def test_every_marked_message_in_the_code_is_in_the_catalogue_and_nothing_else() -> None:
    # What keeps later code translated: a new _("...") fails here until the catalogue has it
    # (python scripts/catalogue.py update, then translate; see CONTRIBUTING.md).
    marked = {(m.context, m.id) for m in catalogue.extract() if m.id}
    in_po = {(m.context, m.id) for m in catalogue.read("nl") if m.id}
    assert marked - in_po == set(), "marked in the code but not in woonplan.po"
    assert in_po - marked == set(), "in woonplan.po but no longer in the code"


def test_the_committed_mo_is_the_compiled_po() -> None:
    assert MO.read_bytes() == catalogue.compiled("nl"), "run: python scripts/catalogue.py compile"


def test_no_f_string_inside_a_translated_call() -> None:
    # _(f"...") would look up a message that is never in the catalogue.
    for path in (ROOT / "src" / "woonplan").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(?:N_|_|ngettext|pgettext)\(\s*f[\"']", text), path


def test_bundled_criterion_titles_are_in_the_catalogue() -> None:
    for path in (CRITERIA, ROOT / "src" / "woonplan" / "criteria.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        titles = [c["title"] for c in data["criteria"] + data.get("policy_tests", [])]
        assert tuple(titles) == BUNDLED_TITLES


def test_the_dutch_plans_sheet_name_is_the_one_import_reads() -> None:
    set_language("nl")
    assert _("Plans") in SHEETS


# --- choosing the language -----------------------------------------------------------------


def test_language_resolution_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert resolve_language(None) == "en"
    assert resolve_language(None, "nl") == "nl"
    monkeypatch.setenv(ENV, "EN")
    assert resolve_language(None, "nl") == "en"
    assert resolve_language("nl", None) == "nl"
    monkeypatch.setenv(ENV, "nl")
    assert resolve_language("en", "nl") == "en"
    monkeypatch.setenv(ENV, "fr")
    with pytest.raises(LanguageError):
        resolve_language(None)
    assert resolve_language("en") == "en"


def test_invalid_woonplan_lang_is_one_line_and_exit_2() -> None:
    result = invoke("check", str(PLANS / "laren-brink.yaml"), env={ENV: "fr"})
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "WOONPLAN_LANG='fr': unknown language (use one of: nl, en)"
    ]


def test_the_region_language_applies_without_option_or_environment(tmp_path: Path) -> None:
    # The bundled criteria.yaml says language: nl; with WOONPLAN_LANG empty it decides.
    args = ("check", str(PLANS / "laren-brink.yaml"), "--criteria", str(CRITERIA))
    dutch = invoke(*args, "--as-of", "2026", env={ENV: ""})
    assert "onder de toetsingsgrens van 50 woningen" in dutch.stdout
    english = invoke(*args, "--as-of", "2026", "--lang", "en", env={ENV: ""})
    assert "under the review threshold of 50 homes" in english.stdout
    no_language = tmp_path / "criteria.yaml"
    no_language.write_text(
        CRITERIA.read_text(encoding="utf-8").replace("  language: nl\n", ""), encoding="utf-8"
    )
    default = invoke("check", str(PLANS / "laren-brink.yaml"), "--criteria", str(no_language))
    assert "under the review threshold" in default.stdout


@pytest.mark.parametrize("command", ["check", "progress", "schema", "import", "report", "changes"])
def test_every_command_takes_lang(command: str) -> None:
    result = invoke(command, "--help")
    assert "--lang" in result.stdout


def test_json_keys_stay_and_messages_follow_the_language() -> None:
    args = ["check", str(ROOT / "tests/examples/invalid/negative-homes.yaml"), "-f", "json"]
    english = json.loads(invoke(*args, "--lang", "en").stdout)
    dutch = json.loads(invoke(*args, "--lang", "nl").stdout)

    def keys(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items() if k != "message"}
        return [keys(v) for v in value] if isinstance(value, list) else value

    assert keys(english) == keys(dutch)
    messages = [e["message"] for e in dutch["plans"][0]["errors"]]
    assert "moet >= 0 zijn (gevonden: -4)" in messages


def test_did_you_mean_in_dutch(write_plan: Any) -> None:
    path = write_plan(
        "typo",
        """
        id: typo
        name: Typo
        municipality: Hilversum
        phase: adopted
        homes: {socal_rent: 10, free_buy: 10}
        delivery: {2027: 20}
        """,
    )
    result = invoke("check", str(path), "--lang", "nl")
    assert "onbekende sleutel 'socal_rent' (bedoelt u 'social_rent'?)" in result.stdout


def test_issue_12_messages_in_dutch(write_plan: Any) -> None:
    """Figures' messages one step closer to the fix, in Dutch: the Dutch phase word suggests
    the English value, a quoted year says to remove the quotes, and what YAML read of 1.650 is
    written the Dutch way (1,65: one point six five to a Dutch reader, not 165 thousandths)."""
    path = write_plan(
        "dutch-words",
        """
        id: dutch-words
        name: Dutch words
        municipality: Hilversum
        phase: in aanbouw
        homes: {social_rent: 10, free_buy: 10}
        delivery: {"2027": 20}
        public_transport:
          - {stop: Hilversum, type: train, walking_distance_m: 1.650}
        """,
    )
    out = invoke("check", str(path), "--lang", "nl").stdout
    assert "(bedoelt u 'under_construction'?)" in out
    assert "een jaartal hoort niet tussen aanhalingstekens: haal ze weg en schrijf 2027: 20" in out
    assert "1.650 wordt gelezen als 1,65; schrijf hele meters: 1650" in out


# --- number forms --------------------------------------------------------------------------


def test_dutch_number_forms() -> None:
    set_language("nl")
    assert numbers.homes(7000) == "7.000"
    assert numbers.decimal(1669.2) == "1.669,2"
    assert numbers.percent(0.333, 1) == "33,3%"
    assert numbers.euro(1228.07) == "€\xa01.228,07"  # CLDR: a no-break space after €
    assert numbers.date(datetime.date(2025, 3, 12)) == "12 maart 2025"
    assert numbers.trimmed(0.2, 2) == "0,2"
    set_language("en")
    assert numbers.homes(7000) == "7,000"
    assert numbers.decimal(1669.2) == "1,669.2"
    assert numbers.percent(0.333, 1) == "33.3%"
    assert numbers.date(datetime.date(2025, 3, 12)) == "12 March 2025"


def test_separator_table_agrees_with_cldr() -> None:
    from babel import Locale

    for language, table in numbers.SYMBOLS.items():
        symbols = Locale.parse(numbers.BABEL_LOCALES[language]).number_symbols["latn"]
        assert table == {ord(","): symbols["group"], ord("."): symbols["decimal"]}


def test_set_language_english_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("nl")
    monkeypatch.setattr("woonplan.i18n.LOCALES", Path("/nonexistent"))
    set_language("en")
    assert current_language() == "en"


# --- nothing English in Dutch output -------------------------------------------------------

ENGLISH = [
    "planned", "expected", "completed", "social rent", "obstacles", "obstacle", "municipality",
    "target", "homes", "verdict", "under construction", "gap", "surplus", "pace", "required",
    "invalid", "warning", "year", "share", "region", "pass", "fail", "not reviewed", "period",
    "feasibility", "initiative", "preparation", "adopted", "grid congestion", "nitrogen",
    "summary", "plans", "score of", "limit", "or more", "or less", "affordable",
    "public transport", "does not apply", "as of", "criterion", "meaning", "figure",
]  # fmt: skip


def _plan_text() -> list[str]:
    """Text that comes from the plan files themselves (ids, names, notes, ...): not ours."""
    out: list[str] = ["criteria.yaml", "plans/"]
    for path in sorted(PLANS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [str(data["id"]), str(data["name"]), str(data.get("notes") or "")]
        out += [str(i) for i in data.get("initiators") or []]
        out += [str(o.get("note") or "") for o in data.get("obstacles") or []]
        out += [str(s.get("stop") or "") for s in data.get("public_transport") or []]
        out += [str(e.get("reason") or "") for e in data.get("exemptions") or []]
    return sorted((t for t in out if t), key=len, reverse=True)


def _leaks(text: str) -> list[str]:
    text = re.sub(r"(?m)^::(error|warning) ", "", text)  # GitHub's command names, not words
    for known in _plan_text():
        text = text.replace(known, " ")
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text, re.I)]


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--format", "table"],
        ["progress", "--format", "markdown"],
        ["check", "--format", "table"],
        ["check", "--format", "markdown"],
        ["check", "--format", "github"],
    ],
)
def test_no_english_in_dutch_reports_of_the_bundled_data(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(*args, "plans", "--as-of", "2026", "--lang", "nl", env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.output
    assert _leaks(result.stdout) == []


@pytest.mark.parametrize("format", ["table", "markdown"])
def test_the_packaged_criteria_are_named_in_dutch(
    format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no ./criteria.yaml here: the footer names the packaged default, in the run's language
    monkeypatch.chdir(tmp_path)
    plan = str(PLANS / "huizen-centrum.yaml")
    result = invoke("check", plan, "--format", format, "--lang", "nl", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "criteria: (meegeleverde standaard van de regio) criteria.yaml" in result.stdout
    assert "packaged" not in result.stdout
    english = invoke("check", plan, "--format", format, "--lang", "en", env={"COLUMNS": "200"})
    assert "criteria: (packaged region default) criteria.yaml" in english.stdout
    data = json.loads(invoke("check", plan, "--format", "json", "--lang", "nl").stdout)
    assert data["criteria_file"] == "(packaged region default) criteria.yaml"  # JSON: as it is


def test_no_english_in_the_dutch_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = tmp_path / "voortgang.xlsx"
    result = invoke("progress", "plans", "--as-of", "2026", "--lang", "nl", "--xlsx", str(path))
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(path)
    assert _leaks(" | ".join(workbook.sheetnames)) == []
    # Keys stay keys, in every language: the Summary's key column (as in the JSON), the Plans
    # sheet's headers and field values (the plan file's keys, so that import reads it back),
    # plan and criterion ids and obstacle categories. Everything else is checked.
    skip = {
        _sheet(workbook, 0): {1},
        _sheet(workbook, 4): {1, 2},
        _sheet(workbook, 5): {1, 5},
        _sheet(workbook, 6): {1, 5},  # policy tests: ids and metric keys
    }
    for ws in workbook.worksheets:
        if ws is workbook.worksheets[1]:  # Plans: only the read-only verdict column
            header = [c.value for c in ws[1]]
            verdicts = [row[header.index("verdict")] for row in ws.iter_rows(2, values_only=True)]
            assert _leaks(" | ".join(str(v) for v in verdicts)) == []
            continue
        cells = [
            str(cell.value)
            for row in ws.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.column not in skip.get(ws.title, set())
        ]
        assert _leaks(" | ".join(cells)) == [], ws.title


def _sheet(workbook: Any, index: int) -> str:
    return str(workbook.worksheets[index].title)


def test_a_dutch_workbook_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = tmp_path / "voortgang.xlsx"
    assert invoke("progress", "plans", "--lang", "nl", "--xlsx", str(path)).exit_code == 0
    assert openpyxl.load_workbook(path).sheetnames[1] == "Plannen"
    out = tmp_path / "plans"
    result = invoke("import", str(path), "--out", str(out), "--lang", "nl")
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.yaml"))) == len(list(PLANS.glob("*.yaml")))
    assert "Geïmporteerd uit voortgang.xlsx, blad Plannen" in (out / "laren-brink.yaml").read_text(
        encoding="utf-8"
    )


def test_no_english_in_the_dutch_meeting_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import html

    monkeypatch.chdir(ROOT)
    page = tmp_path / "overleg.html"
    result = invoke("report", "plans", "--as-of", "2026", "--lang", "nl", "--html", str(page))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert '<html lang="nl">' in text
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    assert _leaks(text) == []
