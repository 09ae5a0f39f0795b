"""``woonplan progress --format markdown``: the summary for meeting notes and CI summaries."""

from __future__ import annotations

from woonplan.i18n import _
from woonplan.progress.compute import RegionProgress, Totals
from woonplan.render import Style
from woonplan.render.labels import (
    GROUPS,
    OBSTACLES,
    homes,
    invalid_sentence,
    percent,
    policy_bounds,
    policy_figure,
)
from woonplan.render.markdown import code, table, text


def render(progress: RegionProgress, style: Style) -> str:
    """The progress as Markdown."""
    region = progress.region
    start, end = region.period.start, region.period.end
    out: list[str] = []
    if progress.invalid:  # said before any figure: the figures below leave these files out
        out += [f"**{invalid_sentence(progress)}.**", ""]
    out += [
        f"## {text(region.name)}: new homes {start}–{end} (as of {progress.as_of})",
        "",
        _headline("Homes (woningen)", progress.totals, end),
        "",
        _headline("Social rent (sociale huur)", progress.social_rent, end),
        "",
        _groups(progress),
        "",
        "### Per municipality (gemeente)",
        "",
        _municipalities(progress),
        "",
        *_policy_tests(progress),
        "### Per year (per jaar)",
        "",
        _years(progress),
        "",
        "### Obstacles (knelpunten)",
        "",
        _obstacles(progress),
        "",
        "### Plans by verdict",
        "",
        ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in progress.verdicts.items()),
    ]
    if progress.invalid:
        out += ["", "**" + _("Invalid files left out of the figures:") + "**", ""]
        out += [f"- {code(f)}" for f in progress.invalid]
    return "\n".join(out) + "\n"


def _headline(label: str, t: Totals, end: int) -> str:
    gap = f"gap **{homes(t.gap)}**" if t.gap > 0 else f"surplus **{homes(-t.gap)}**"
    pace = (
        f"pace needed **{t.required_per_year:,} a year**"
        if t.required_per_year is not None
        else "the period has ended"
    )
    flow = _(
        "{gross} new − {demolished} demolished = {net} planned (completed included); "
        "still missing {missing}: homes no plan provides for yet; "
        "plan capacity {ratio} of the target (national norm 130%)."
    ).format(
        gross=homes(t.gross),
        demolished=homes(t.demolished),
        net=homes(t.planned),
        missing=homes(t.not_in_plans),
        ratio=percent(t.capacity_ratio),
    )
    return (
        f"**{label}:** {homes(t.planned)} planned of target {t.target:,} "
        f"({percent(t.planned / t.target)}); expected {homes(t.expected)} "
        f"({percent(t.expected / t.target)}), {gap}; {pace}; "
        f"{homes(t.after_period)} after {end}. {flow}"
    )


def _groups(progress: RegionProgress) -> str:
    rows = [
        [
            GROUPS[name],
            homes(getattr(progress.totals, name)),
            homes(getattr(progress.social_rent, name)),
        ]
        for name in ("completed", "under_construction", "hard", "soft")
    ]
    rows.append(
        [
            "**planned**",
            f"**{homes(progress.totals.planned)}**",
            f"**{homes(progress.social_rent.planned)}**",
        ]
    )
    rows.append(
        [
            "expected (weighted by phase)",
            homes(progress.totals.expected),
            homes(progress.social_rent.expected),
        ]
    )
    note = _(
        "Expected: planned homes weighted by the realisation factor of their phase "
        "(criteria.yaml, `realisation`)."
    )
    return table(["In the period", "Homes", "Social rent"], rows, right=(1, 2)) + "\n\n" + note


def _municipalities(progress: RegionProgress) -> str:
    rows = [
        [
            text(m.name),
            "–" if m.target is None else f"{m.target:,}",
            homes(m.completed),
            homes(m.planned),
            homes(m.expected),
            homes(m.social_rent_planned),
            percent(m.social_rent_share),
            percent(m.affordable_share),
        ]
        for m in progress.municipalities
    ]
    t = progress.totals
    rows.append(
        [
            "**Region**",
            f"**{t.target:,}**",
            f"**{homes(t.completed)}**",
            f"**{homes(t.planned)}**",
            f"**{homes(t.expected)}**",
            f"**{homes(progress.social_rent.planned)}**",
            f"**{percent(progress.social_rent_share)}**",
        ]
    )
    return table(
        [
            "Municipality",
            "Target",
            "Completed",
            "Planned",
            "Expected",
            "Social rent",
            "Social share",
            _("Affordable share"),
        ],
        rows,
        right=(1, 2, 3, 4, 5, 6, 7),
    )


def _policy_tests(progress: RegionProgress) -> list[str]:
    """The section's lines: region tests as a table, municipality tests as a grid (none: no
    section)."""
    results = progress.policy_tests
    if not results:
        return []
    out = ["### " + _("Policy tests (toetsen)"), ""]
    region = [r for r in results if r.municipality is None]
    if region:
        rows = [
            [
                text(r.test.title),
                policy_figure(r.test.metric, r.value),
                policy_bounds(r.test.metric, r.test.better, r.test.target, r.test.limit),
                _verdict(r.verdict),
            ]
            for r in region
        ]
        headers = [_("Test"), _("Value"), _("Target and limit"), _("Verdict")]
        out += [table(headers, rows, right=(1,)), ""]
    tests = list(dict.fromkeys(r.test for r in results if r.municipality is not None))
    if tests:
        # each municipality's shares next to its tests
        cells: dict[str, list[str]] = {
            m.name: [
                text(m.name),
                percent(m.social_rent_share, 1),
                percent(m.affordable_share, 1),
            ]
            for m in progress.municipalities
        }
        for r in results:
            if r.municipality is not None and r.municipality in cells:
                figure = policy_figure(r.test.metric, r.value)
                cells[r.municipality].append(f"{figure} {_verdict(r.verdict)}")
        headers = [_("Municipality"), _("Social share"), _("Affordable share")] + [
            f"{text(t.title)} ({policy_bounds(t.metric, t.better, t.target, t.limit)})"
            for t in tests
        ]
        out += [table(headers, list(cells.values()), right=range(1, len(headers))), ""]
    return out


def _verdict(verdict: str) -> str:
    return f"**{verdict}**" if verdict == "fail" else verdict


def _years(progress: RegionProgress) -> str:
    pace = progress.totals.required_per_year
    rows = []
    for y in progress.years:
        diff = y.versus_pace
        versus = "" if diff is None else f"{'+' if diff >= 0 else '−'}{homes(abs(diff))}"
        rows.append([str(y.year), homes(y.completed), homes(y.planned), homes(y.expected), versus])
    note = f"\n\nPace needed: {pace:,} homes a year." if pace is not None else ""
    return (
        table(
            ["Year", "Completed", "Planned", "Expected", "Expected vs pace"],
            rows,
            right=(1, 2, 3, 4),
        )
        + note
    )


def _obstacles(progress: RegionProgress) -> str:
    if not progress.obstacles:
        return _("No obstacles listed in plans not yet completed.")
    rows = [
        [OBSTACLES.get(o.category, o.category), str(o.plans), homes(o.homes)]
        for o in progress.obstacles
    ]
    return (
        _("Plans not yet completed, and their homes in the period.")
        + "\n\n"
        + table(["Obstacle", "Plans", "Planned homes affected"], rows, right=(1, 2))
    )
