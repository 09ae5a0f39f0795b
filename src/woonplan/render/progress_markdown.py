"""``woonplan progress --format markdown``: the summary for meeting notes and CI summaries."""

from __future__ import annotations

from woonplan.i18n import _
from woonplan.i18n import title as criterion_title
from woonplan.numbers import homes, integer, percent, shown_difference, signed
from woonplan.progress.region import RegionProgress, Totals
from woonplan.render import Style
from woonplan.render.labels import (
    COUNTS,
    GROUPS,
    OBSTACLES,
    STATUSES,
    invalid_sentence,
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
        "## "
        + _("{region}: new homes {start}–{end} (as of {year})").format(
            region=text(region.name), start=start, end=end, year=progress.as_of
        ),
        "",
        _headline(_("Homes (woningen)"), progress.totals, end),
        "",
        _headline(_("Social rent (sociale huur)"), progress.social_rent, end),
        "",
        _groups(progress),
        "",
        "### " + _("Per municipality (gemeente)"),
        "",
        _municipalities(progress),
        "",
        *_policy_tests(progress),
        "### " + _("Per year (per jaar)"),
        "",
        _years(progress),
        "",
        "### " + _("Obstacles (knelpunten)"),
        "",
        _obstacles(progress),
        "",
        "### " + _("Plans by verdict"),
        "",
        ", ".join(f"{n} {COUNTS[v]}" for v, n in progress.verdicts.items()),
    ]
    if progress.invalid:
        out += ["", "**" + _("Invalid files left out of the figures:") + "**", ""]
        out += [f"- {code(f)}" for f in progress.invalid]
    return "\n".join(out) + "\n"


def _headline(label: str, t: Totals, end: int) -> str:
    gap = (
        _("gap **{homes}**").format(homes=homes(t.gap))
        if t.gap > 0
        else _("surplus **{homes}**").format(homes=homes(-t.gap))
    )
    pace = (
        _("pace needed **{homes} a year**").format(homes=integer(t.required_per_year))
        if t.required_per_year is not None
        else _("the period has ended")
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
        f"**{label}:** "
        + _(
            "{planned} planned of target {target} ({planned_share}); expected {expected} "
            "({expected_share}), {gap}; {pace}; {after} after {end}."
        ).format(
            planned=homes(t.planned),
            target=integer(t.target),
            planned_share=percent(t.planned / t.target),
            expected=homes(t.expected),
            expected_share=percent(t.expected / t.target),
            gap=gap,
            pace=pace,
            after=homes(t.after_period),
            end=end,
        )
        + " "
        + flow
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
            "**" + _("planned") + "**",
            f"**{homes(progress.totals.planned)}**",
            f"**{homes(progress.social_rent.planned)}**",
        ]
    )
    rows.append(
        [
            _("expected (weighted by phase)"),
            homes(progress.totals.expected),
            homes(progress.social_rent.expected),
        ]
    )
    note = _(
        "Expected: planned homes weighted by the realisation factor of their phase "
        "(criteria.yaml, `realisation`)."
    )
    headers = [_("In the period"), _("Homes"), _("Social rent")]
    return table(headers, rows, right=(1, 2)) + "\n\n" + note


def _municipalities(progress: RegionProgress) -> str:
    rows = [
        [
            text(m.name),
            "–" if m.target is None else integer(m.target),
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
            "**" + _("Region") + "**",
            f"**{integer(t.target)}**",
            f"**{homes(t.completed)}**",
            f"**{homes(t.planned)}**",
            f"**{homes(t.expected)}**",
            f"**{homes(progress.social_rent.planned)}**",
            f"**{percent(progress.social_rent_share)}**",
            f"**{percent(progress.affordable_share)}**",
        ]
    )
    return table(
        [
            _("Municipality"),
            _("Target"),
            _("Completed"),
            _("Planned"),
            _("Expected"),
            _("Social rent"),
            _("Social share"),
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
                text(criterion_title(r.test.title)),
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
            f"{text(criterion_title(t.title))} "
            f"({policy_bounds(t.metric, t.better, t.target, t.limit)})"
            for t in tests
        ]
        out += [table(headers, list(cells.values()), right=range(1, len(headers))), ""]
    return out


def _verdict(verdict: str) -> str:
    word = STATUSES[verdict]
    return f"**{word}**" if verdict == "fail" else word


def _years(progress: RegionProgress) -> str:
    pace = progress.totals.required_per_year
    rows = []
    for y in progress.years:
        versus = "" if y.pace is None else signed(shown_difference(y.expected, y.pace))
        rows.append([str(y.year), homes(y.completed), homes(y.planned), homes(y.expected), versus])
    note = (
        "\n\n" + _("Pace needed: {pace} homes a year.").format(pace=integer(pace))
        if pace is not None
        else ""
    )
    return (
        table(
            [_("Year"), _("Completed"), _("Planned"), _("Expected"), _("Expected vs pace")],
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
        + table([_("Obstacle"), _("Plans"), _("Planned homes affected")], rows, right=(1, 2))
    )
