"""``woonplan report``: the meeting report as self-contained HTML and as PDF (issue 16).

Most tests read the HTML only. The browser tests at the end open it in a headless Chromium;
they skip when none is on PATH, and .ci/run installs one so that CI always runs them.
"""

from __future__ import annotations

import datetime
import re
import shutil
import struct
import sys
import types
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PLANS

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.progress.contract import as_dict
from woonplan.progress.sums import compute_progress
from woonplan.report import numbers
from woonplan.report.build import build_report, limits_for
from woonplan.report.html import page_furniture, render_html

HAND = EXAMPLES / "progress"
SECTION_ORDER = [
    "headline",
    "policy-tests",
    "municipalities",
    "years",
    "obstacles",
    "changes",
    "review-list",
    "dossiers",
]

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def _report(run: Callable[..., Any], tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = run("report", *args, "--html", str(out), "--as-of", "2026")
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def _big_plans(folder: Path) -> list[str]:
    """Ids of the plan files with at least 50 new homes, read straight from the YAML."""
    import yaml

    ids = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if sum(data["homes"].values()) >= 50:
            ids.append(data["id"])
    return ids


# --- numbers --------------------------------------------------------------------------------


def test_numbers_format_in_one_place() -> None:
    assert numbers.homes(7000) == "7,000"
    assert numbers.homes(296.5) == "297"  # halves up, as the JSON rounds
    assert numbers.homes(None) == "–"
    assert numbers.signed(-35) == "−35" and numbers.signed(120) == "+120"
    assert numbers.percent(0.3333) == "33.3%" and numbers.percent(0.3) == "30%"
    assert numbers.percent(1.3) == "130%"
    assert numbers.percent(0.8125) == "81.3%" and numbers.percent(-0.0005) == "−0.1%"  # halves up
    assert numbers.euro(395000) == "€ 395,000" and numbers.euro(1228.07) == "€ 1,228.07"
    assert numbers.metres(1200) == "1,200 m"
    assert numbers.measure(0.2, "number") == "0.2"


def test_numbers_take_the_run_s_language_from_the_one_formatter() -> None:
    # Dutch (CLDR nl): group ".", decimal ","; the report keeps its own minus sign and "€ "
    from woonplan.i18n import set_language

    set_language("nl")
    assert numbers.homes(7000) == "7.000" and numbers.signed(-1234) == "−1.234"
    assert numbers.decimal(1669.25) == "1.669,3"  # halves up: 1669.25 → 1669.3
    assert numbers.percent(0.3333) == "33,3%" and numbers.percent(0.3) == "30%"
    assert numbers.euro(395000) == "€ 395.000" and numbers.euro(1228.07) == "€ 1.228,07"
    assert numbers.metres(1200) == "1.200 m"
    assert numbers.number(1500) == "1.500" and numbers.number(2.001) == "2"
    assert numbers.number(1234.5) == "1.234,5"


# --- the HTML ---------------------------------------------------------------------------------


class _Page(HTMLParser):
    """What the tests check in a page: tags with attributes, headings, section ids, text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_the_report_has_no_network_references_and_no_scripts(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    html = _report(run, tmp_path, str(PLANS))
    page = _parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "iframe", "object", "embed", "base"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)  # no event handlers
            if name in ("src", "href", "srcset", "action", "xlink:href", "poster", "data"):
                assert value is not None and value.startswith("#"), (tag, name, value)
        if tag == "link":
            assert attrs.get("rel") != "stylesheet", attrs
    assert not re.search(r"https?://", html), "the page names a network address"
    assert "@import" not in html and "url(" not in html and "@font-face" not in html


def test_sections_come_in_the_report_order_with_one_dossier_per_big_plan(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    html = _report(run, tmp_path, str(PLANS))
    found = re.findall(r'<section id="([a-z-]+)"', html)
    # the bundled criteria have policy tests; changes appear only with --since (tests below)
    assert found == [s for s in SECTION_ORDER if s != "changes"]
    big = _big_plans(PLANS)
    assert len(big) == 20  # 24 sample plans, 4 of them under 50 homes
    assert re.findall(r'<article class="dossier" id="plan-([a-z0-9-]+)"', html) == big
    review = html[html.index('id="review-list"') : html.index('id="dossiers"')]
    assert re.findall(r'href="#plan-([a-z0-9-]+)"', review) == big


def test_headings_in_order_tables_with_scopes_charts_with_text(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    page = _parse(_report(run, tmp_path, str(PLANS)))
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"h{before} followed by h{after}"
    ths = [attrs for tag, attrs in page.tags if tag == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 3
    ids = {attrs.get("id") for tag, attrs in page.tags if tag in ("title", "desc")}
    for attrs in svgs:
        assert attrs.get("role") == "img"
        labelled = (attrs.get("aria-labelledby") or "").split()
        assert len(labelled) == 2 and set(labelled) <= ids
    assert page.tags[0] == ("html", {"lang": "en"})


def test_hostile_plan_text_arrives_as_text(
    run: Callable[..., Any], tmp_path: Path, write_plan: Callable[[str, str], Path]
) -> None:
    write_plan(
        "hilversum-x",
        f"""
        id: hilversum-x
        name: '{HOSTILE}'
        municipality: Hilversum
        phase: adopted
        initiators: ['{HOSTILE}']
        homes: {{social_rent: 60}}
        delivery: {{2027: 60}}
        public_transport: [{{stop: '{HOSTILE}', type: train, walking_distance_m: 500}}]
        obstacles: [{{category: costs, note: '{HOSTILE}'}}]
        exemptions:
          - {{criterion: affordable_share, reason: '{HOSTILE}', decided: 2025-01-02}}
        notes: '{HOSTILE}'
        """,
    )
    html = _report(run, tmp_path, str(tmp_path / "hilversum-x.yaml"))
    assert "<script" not in html and "<img" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    # name (heading, list, title), initiator, stop, obstacle note, exemption reason, notes
    assert html.count(escaped) >= 7
    page = _parse(html)
    assert not any(tag in ("script", "img") for tag, _ in page.tags)
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert sum(HOSTILE in t for t in page.text) >= 7  # read back as the very same text


def test_headline_figures_of_a_hand_computed_pair_of_plans(
    run: Callable[..., Any], tmp_path: Path, write_plan: Callable[[str, str], Path]
) -> None:
    write_plan(
        "huizen-a",
        """
        id: huizen-a
        name: A
        municipality: Huizen
        phase: adopted
        homes: {social_rent: 20, free_buy: 40}
        delivery: {2027: 60}
        """,
    )
    write_plan(
        "huizen-b",
        """
        id: huizen-b
        name: B
        municipality: Huizen
        phase: initiative
        homes: {social_rent: 50}
        demolished: {social_rent: 10}
        delivery: {2028: 50}
        """,
    )
    html = _report(run, tmp_path, str(tmp_path))

    def row(label: str) -> list[str]:
        match = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html)
        assert match, label
        return re.findall(r'<td class="num">(.*?)</td>', match.group(1))

    # planned = 60 + (50 − 10) = 100; social rent 20 + 40 = 60
    assert row("Planned (all phases)") == ["100", "60"]
    # expected = 60 × 0.9 (adopted) + 40 × 0.5 (initiative) = 54 + 20 = 74;
    # social rent 20 × 0.9 + 40 × 0.5 = 18 + 20 = 38
    assert row("Expected") == ["74", "38"]
    # gap = 7,000 − 74 = 6,926; social rent round(7000 × 0.3333) = 2,333 − 38 = 2,295
    assert row("Gap (target − expected)") == ["6,926", "2,295"]
    # not in plans = max(0, 7,000 − 100) = 6,900; capacity = 100 / 7,000 = 0.014 → 1.4%
    assert row("Not yet in any plan")[0] == "6,900"
    assert row("Plan capacity (planned ÷ target)")[0] == "1.4%"
    # pace: nothing completed, 2026–2030 is 5 years: ceil(7,000 / 5) = 1,400
    assert row("Pace needed a year") == ["1,400", "467"]  # ceil(2,333 / 5) = 467
    # two plans of 50 homes or more (60 and 50 new homes), one dossier each
    assert html.count('<article class="dossier"') == 2


def test_an_obstacle_without_a_note_has_a_dash_in_its_dossier(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    # tests/examples/valid/full.yaml lists nitrogen without a note (the note is optional); the
    # report stopped with a traceback there ('dict object' has no attribute 'note')
    html = _report(run, tmp_path, str(EXAMPLES / "valid"))
    assert re.search(r'<th scope="row">nitrogen \(stikstof\)</th><td class="text">–</td>', html)
    assert '<td class="text">Grid connection not before 2028</td>' in html


# --- sections that plug in: policy tests, new totals, prices, changes ------------------------


def _progress(**extra: Any) -> dict[str, Any]:
    """The progress of a real run, as ``woonplan progress --format json`` gives it: the
    hand-computed plans of tests/examples/progress (see tests/test_progress.py), as of 2025;
    ``extra`` replaces top-level keys."""
    criteria = load_criteria(HAND / "criteria.yaml")
    checked = check_paths([HAND / "plans"], criteria, 2025)
    figures = compute_progress(
        checked.valid_results, criteria.region, 2025, policy_tests=criteria.policy_tests
    )
    return as_dict(figures) | extra


def _html(progress: dict[str, Any], **kwargs: Any) -> str:
    report = build_report(
        progress, [], review_threshold=50, generated=datetime.date(2026, 11, 27), **kwargs
    )
    return render_html(report, plan_count=0)


def test_policy_tests_show_when_the_progress_has_them() -> None:
    tests = [
        {
            "id": "affordable_region",
            "title": "Two thirds affordable (Wvrv)",
            "scope": "region",
            "municipality": None,
            "value": 0.6,
            "target": 0.6667,
            "limit": 0.6,
            "verdict": "warn",
        },
        {
            "id": "mid_rent_region",
            "title": "1,500 mid-rent homes",
            "scope": "region",
            "municipality": None,
            "value": 1320,
            "target": 1500,
            "limit": 1200,
            "verdict": "warn",
        },
        {
            "id": "social_rent_municipality",
            "title": "30% social rent",
            "scope": "municipality",
            "municipality": "Huizen",
            "value": None,
            "target": 0.3,
            "limit": 0.25,
            "verdict": "n/a",
        },
    ]
    html = _html(_progress(policy_tests=tests))
    found = re.findall(r'<section id="([a-z-]+)"', html)
    assert found[:3] == ["headline", "policy-tests", "municipalities"]
    section = html[html.index('id="policy-tests"') : html.index('id="municipalities"')]
    assert "60%</td>" in section and "66.7%</td>" in section  # shares as percentages
    assert "1,320</td>" in section and "1,500</td>" in section  # homes as homes
    assert "<td>Huizen</td>" in section and "chip-na" in section


def test_no_policy_tests_section_when_criteria_yaml_has_none() -> None:
    # docs/report.md: the section is there "when criteria.yaml has policy_tests"; the JSON of a
    # run without them has an empty list, which once gave an empty table under its heading
    progress = _progress()
    assert progress["policy_tests"] == []
    assert 'id="policy-tests"' not in _html(progress)


def test_the_headline_table_shows_the_totals_of_the_progress_json() -> None:
    # tests/examples/progress, worked out by hand in tests/test_progress.py: gross 436 (social
    # rent 135.067 → 135), demolished 45 (social rent 30), planned 436 − 45 = 391;
    # not in plans max(0, 1,000 − 391) = 609 (social rent 333 − 105.067 = 227.9 → 228);
    # capacity 391 / 1,000 = 0.391 → 39.1%
    html = _html(_progress())

    def row(label: str) -> list[str]:
        match = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html)
        assert match, label
        return re.findall(r'<td class="num">(.*?)</td>', match.group(1))

    assert row("New homes before demolition") == ["436", "135"]
    assert row("Demolished") == ["45", "30"]
    assert row("Planned (all phases)") == ["391", "105"]
    assert row("Not yet in any plan") == ["609", "228"]
    assert row("Plan capacity (planned ÷ target)") == ["39.1%", "–"]


def test_prices_against_the_limits_of_the_reference_year() -> None:
    limits = {
        2024: {"social_rent": 879.66, "mid_rent": 1123.0},
        2026: {"social_rent": 932.93, "mid_rent": 1184.82, "affordable_buy": 405000},
    }
    plan = {"delivery": {"2023": 10, "2027": 0, "2028": 5}}
    # earliest delivering year 2023, clamped to the table's first year: 2024
    assert limits_for(plan, limits) == {"social_rent": 879.66, "mid_rent": 1123.0}
    # a year after the table's last takes the last (2028 → 2026); 2027 delivers nothing
    assert limits_for({"delivery": {"2027": 0, "2028": 5}}, limits)["affordable_buy"] == 405000
    assert limits_for(plan, None) == {}


def _fake_changes(
    monkeypatch: pytest.MonkeyPatch, calls: list[tuple[Any, ...]], old_plans: Any = ()
) -> None:
    """Stand in for the changes package (issue 14) with its JSON shape from SPEC.md."""
    data = {
        "old": "bo-2026-09:plans",
        "new": "plans",
        "totals": {
            "old": {"target": 7000, "planned": 5600, "expected": 4800.0},
            "new": {"target": 7000, "planned": 5688, "expected": 4926.0},
            "change": {"target": 0, "planned": 88, "expected": 126.0},
        },
        "social_rent": {
            "old": {"planned": 1900.0},
            "new": {"planned": 1925.0},
            "change": {"planned": 25.0},
        },
        "plans": [
            {
                "id": "hilversum-arenapark",
                "municipality": "Hilversum",
                "status": "changed",
                "phase": {"old": "preparation", "new": "adopted", "direction": "forward"},
                "homes": {"old": 520, "new": 540},
                "social_rent": {"old": 180, "new": 180},
                "in_period": {"old": 520, "new": 540},
                "delivery_shift": 1.5,
                "verdict": {"old": "warn", "new": "warn"},
                "obstacles_added": ["grid_congestion"],
                "obstacles_removed": [],
            }
        ],
        "summary": {
            "added": 0,
            "removed": 0,
            "changed": 1,
            "unchanged": 23,
            "slipped": 1,
            "slipped_homes": 540,
            "phase_back": 0,
            "out_of_period": 0,
        },
    }

    def read_snapshot(side: str, criteria: object, as_of: int) -> object:
        calls.append(("read", side, as_of))
        report = types.SimpleNamespace(plans=list(old_plans), input_files=[])
        return types.SimpleNamespace(label=side, report=report)

    def snapshot(label: str, report: object) -> object:
        calls.append(("new", label, len(report.plans)))  # type: ignore[attr-defined]
        return types.SimpleNamespace(label=label, report=report)

    def compare(old: object, new: object, region: object, as_of: int) -> object:
        calls.append(("compare", old.label, new.label, as_of))  # type: ignore[attr-defined]
        return types.SimpleNamespace(as_dict=lambda: data)

    # The entry points of woonplan.changes (issue 14) that report/since.py calls.
    modules: dict[str, dict[str, Callable[..., object]]] = {
        "snapshot": {"read_snapshot": read_snapshot, "Snapshot": snapshot},
        "compare": {"compare": compare},
    }
    monkeypatch.setitem(sys.modules, "woonplan.changes", types.ModuleType("woonplan.changes"))
    for name, names in modules.items():
        module = types.ModuleType(f"woonplan.changes.{name}")
        for attribute, value in names.items():
            setattr(module, attribute, value)
        monkeypatch.setitem(sys.modules, f"woonplan.changes.{name}", module)


def test_since_shows_the_changes_section_and_each_dossiers_change(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []
    _fake_changes(monkeypatch, calls)
    html = _report(run, tmp_path, str(PLANS), "--since", "bo-2026-09:plans")
    # the old side read as `changes` reads it; the new side is the report's own checked plans
    assert calls == [
        ("read", "bo-2026-09:plans", 2026),
        ("new", str(PLANS), 24),
        ("compare", "bo-2026-09:plans", str(PLANS), 2026),
    ]
    assert re.findall(r'<section id="([a-z-]+)"', html) == list(SECTION_ORDER)
    section = html[html.index('id="changes"') : html.index('id="review-list"')]
    assert "Changes since bo-2026-09:plans" in section
    assert re.search(
        r"planned</th><td class=\"num\">5,600</td><td class=\"num\">5,688</td>"
        r"<td class=\"num\">\+88</td>",
        section,
    )
    assert "preparation (planvoorbereiding) → adopted (vastgesteld)" in section
    dossier = html[html.index('id="plan-hilversum-arenapark"') :]
    dossier = dossier[: dossier.index("</article>")]
    assert "520 → 540" in dossier and "grid congestion (netcongestie)" in dossier
    other = html[html.index('id="plan-huizen-centrum"') :]
    assert "Unchanged since bo-2026-09:plans." in other[: other.index("</article>")]


def test_since_lists_the_invalid_files_of_the_old_side_and_exits_2(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from woonplan.problems import Problem

    error = Problem("old:plans/x.yaml", 3, 1, "homes", "must be a mapping", "type")
    bad = types.SimpleNamespace(valid=False, errors=(error,))
    _fake_changes(monkeypatch, [], old_plans=[bad])
    out = tmp_path / "r.html"
    result = run("report", str(PLANS), "--html", str(out), "--since", "old:plans")
    assert result.exit_code == 2
    assert "old:plans/x.yaml:3:1: homes: must be a mapping" in result.stderr
    assert 'id="changes"' in out.read_text(encoding="utf-8")


def test_since_without_the_changes_package_exits_2_with_one_line(
    run: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # import fails, also where the real package was imported before (by another test)
    for name in ("woonplan.changes", "woonplan.changes.snapshot", "woonplan.changes.compare"):
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "r.html"
    result = run("report", str(PLANS), "--html", str(out), "--since", "old-plans")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--since needs 'woonplan changes', which this build of woonplan lacks"
    )
    assert not out.exists()


# --- the command line -------------------------------------------------------------------------


def test_report_needs_an_output(run: Callable[..., Any]) -> None:
    result = run("report", str(PLANS))
    assert result.exit_code == 2
    assert "give --html FILE, --pdf FILE or both" in result.stderr


def test_report_never_overwrites_an_input(run: Callable[..., Any], tmp_path: Path) -> None:
    plan = tmp_path / "laren-brink.yaml"
    shutil.copy(PLANS / "laren-brink.yaml", plan)
    before = plan.read_bytes()
    result = run("report", str(plan), "--html", str(plan))
    assert result.exit_code == 2
    assert "is one of the input files" in result.stderr
    assert plan.read_bytes() == before


def test_html_and_pdf_must_be_two_files(run: Callable[..., Any], tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "chromium").write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    (folder / "chromium").chmod(0o755)  # found, never started: the guard stops first
    out = tmp_path / "r"
    result = run(
        "report", str(PLANS), "--html", str(out), "--pdf", str(out), env={"PATH": str(folder)}
    )
    assert result.exit_code == 2
    assert "named for two outputs" in result.stderr
    assert not out.exists()


def test_invalid_plans_are_listed_in_the_report_and_exit_2(
    run: Callable[..., Any], tmp_path: Path, write_plan: Callable[[str, str], Path]
) -> None:
    shutil.copy(PLANS / "laren-brink.yaml", tmp_path)
    write_plan("laren-bad", "id: laren-bad\nname: Bad\n")
    out = tmp_path / "out.html"
    result = run("report", str(tmp_path), "--html", str(out), "--as-of", "2026")
    assert result.exit_code == 2
    assert "laren-bad.yaml" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "1 plan file is invalid and left out of every figure:" in html
    assert "laren-bad.yaml</li>" in html


def test_pdf_without_a_browser_names_what_to_install(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "r.pdf"
    result = run("report", str(PLANS), "--pdf", str(out), env={"PATH": str(empty)})
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install chromium" in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("sleep 30", "no answer in time"),
        (
            "echo 'error while loading shared libraries: libnss3.so' >&2",
            "stopped unexpectedly; "
            r"the PDF was not made \(error while loading shared libraries: libnss3.so\)$",
        ),
    ],
)
def test_a_browser_that_hangs_or_dies_is_an_error_and_is_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, message: str
) -> None:
    import os
    import tempfile

    from woonplan.report.pdf import BrowserError, Chromium

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    fake = tmp_path / "chromium"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\n{script}\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(BrowserError, match=message), Chromium(str(fake), timeout=1.5):
        pass
    assert list(temporary.iterdir()) == []  # the profile folder is gone
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped
        os.kill(pid, 0)


def test_page_header_and_footer_escape_the_region_name() -> None:
    report = build_report(
        _progress(region="<b>R&D</b>"),
        [],
        review_threshold=50,
        generated=datetime.date(2026, 11, 27),
    )
    furniture = page_furniture(report)
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in furniture.header and "2026-11-27" in furniture.header
    assert furniture.footer.count('<span class="pageNumber"></span>') == 1
    assert '<span class="totalPages"></span>' in furniture.footer


# --- in a real browser ------------------------------------------------------------------------

chromium_missing = pytest.mark.skipif(
    not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")),
    reason="no Chromium on PATH (apt-get install chromium); .ci/run installs it, so CI runs this",
)


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB or RGBA PNG (just enough for a screenshot)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(data)
    stride = width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - size] if i >= size else 0
            b = previous[i]
            c = previous[i - size] if i >= size else 0
            if kind == 1:
                row[i] = (row[i] + a) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + b) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                row[i] = (row[i] + pred) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, rows


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size in points of every page of a PDF that keeps its page objects uncompressed (as
    Chromium's does): one ``/Type /Page`` object each, with its ``/MediaBox``."""
    sizes = []
    for match in re.finditer(rb"/Type\s*/Page(?![s\w])", pdf):
        start = pdf.rfind(b" obj", 0, match.start())
        end = pdf.find(b"endobj", match.end())
        box = re.search(rb"/MediaBox\s*\[\s*([\d.\s-]+)\]", pdf[start:end])
        assert box, "a page without a MediaBox"
        x0, y0, x1, y1 = (float(v) for v in box.group(1).split())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


@chromium_missing
def test_in_chromium_the_report_shows_and_prints_a4_with_a_page_per_dossier(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    from woonplan.report.pdf import PageFurniture, browser_page

    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("laren-brink", "laren-naarderstraat", "huizen-centrum", "hilversum-arenapark"):
        shutil.copy(PLANS / f"{name}.yaml", plans)  # three of 50+ homes, laren-brink under 50
    html_file, pdf_file = tmp_path / "r.html", tmp_path / "r.pdf"
    result = run(
        "report", str(plans), "--html", str(html_file), "--pdf", str(pdf_file), "--as-of", "2026"
    )
    assert result.exit_code == 0, result.output
    html = html_file.read_text(encoding="utf-8")
    dossiers = html.count('<article class="dossier"')
    assert dossiers == len(_big_plans(plans)) == 3
    pages = pdf_pages(pdf_file.read_bytes())
    for width, height in pages:  # A4: 210 × 297 mm = 595.3 × 841.9 pt
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5

    # The same page without its dossiers prints the summary pages alone.
    summary_only = re.sub(r"<!-- dossiers -->.*<!-- /dossiers -->", "", html, flags=re.S)
    assert summary_only != html
    with browser_page(summary_only) as chromium:
        summary = pdf_pages(chromium.pdf(PageFurniture("<span></span>", "<span></span>")))
        width, height, rows = png_pixels(chromium.screenshot(800, 600))
    assert len(pages) == len(summary) + dossiers
    assert (width, height) == (800, 600)
    size = len(rows[0]) // width  # 3 (RGB) or 4 (RGBA) bytes a pixel
    pixels = [row[i : i + 3] for row in rows for i in range(0, len(row), size)]
    assert len(set(pixels)) > 10, "the screenshot is blank"
    dark = sum(1 for p in pixels if max(p) < 100)  # text, rules and bars
    assert dark > 2000, "hardly any text or bars on the screenshot"


def test_text_goes_through_the_translation_function_and_figures_through_one_formatter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gettext

    from woonplan import i18n

    class Marked(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "«" + message + "»"

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return "«" + (singular if n == 1 else plural) + "»"

    i18n.set_language("nl")  # Dutch number forms, chosen as a run chooses them
    monkeypatch.setattr(i18n, "_translations", Marked())  # and every text marked instead
    progress = _progress()
    html = _html(progress)
    page = _parse(html)
    words = [t.strip() for t in page.text if re.search(r"[a-z]{3}", t) and "{" not in t]
    # names from the plans and criteria.yaml are shown as they are
    data = {progress["region"], *(m["name"] for m in progress["municipalities"])}
    words = [w for w in words if w not in data]
    assert words and all("«" in w for w in words), [w for w in words if "«" not in w][:5]
    # Dutch number forms from woonplan.numbers: target 1.000; capacity 391 / 1.000 = 39,1%
    assert ">1.000<" in html and "39,1%" in html


def test_the_headline_takes_its_totals_from_progress_json(
    run: Callable[..., Any],
) -> None:
    """`woonplan progress --format json` carries gross, demolished, not_in_plans and
    capacity_ratio (issue 12); the report's headline shows those as they are and computes
    none of them again."""
    import json

    from woonplan.report.build import headline

    result = run("progress", str(PLANS), "--as-of", "2026", "--format", "json", "--lang", "en")
    progress = json.loads(result.stdout)
    totals = progress["totals"]
    for key in ("gross", "demolished", "not_in_plans", "capacity_ratio"):
        assert key in totals and key in progress["social_rent"]
    # bundled plans: 5,728 new − 40 demolished = 5,688 planned; 7,000 − 5,688 = 1,312 missing;
    # 5,688 / 7,000 = 0.8126 → 0.813
    assert (totals["gross"], totals["demolished"], totals["planned"]) == (5728, 40, 5688)
    assert (totals["not_in_plans"], totals["capacity_ratio"]) == (1312, 0.813)
    # the JSON's values are shown, not worked out again: a sentinel comes out unchanged
    totals |= {"not_in_plans": 999, "capacity_ratio": 0.5}
    shown = headline(progress)
    assert (shown["not_in_plans"], shown["capacity_ratio"]) == (999, 0.5)
    assert (shown["gross"], shown["demolished"]) == (5728, 40)
