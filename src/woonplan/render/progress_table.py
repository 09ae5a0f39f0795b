"""``woonplan progress --format table``: one screen for a governance meeting.

A headline with stacked bars toward the target (completed, under construction, hard, soft), the
gap and the pace still needed; then per municipality, per year against that pace, obstacles, and
the plans' verdicts. Bars use distinct characters so they read without colour too.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from woonplan.i18n import _, pgettext
from woonplan.i18n import title as criterion_title
from woonplan.numbers import homes, integer, percent, shown_difference, signed
from woonplan.progress.region import RegionProgress, Totals
from woonplan.render import Style
from woonplan.render.console import STATUS_STYLE, VERDICT_STYLE, to_text
from woonplan.render.labels import (
    COUNTS,
    GROUPS,
    OBSTACLES,
    STACK_WORDS,
    STATUSES,
    invalid_sentence,
    policy_bounds,
    policy_figure,
    years_phrase,
)
from woonplan.text import shown

BAR = 50
STACK = (  # (field, character, style)
    ("completed", "█", "green"),
    ("under_construction", "▓", "cyan"),
    ("hard", "▒", "blue"),
    ("soft", "░", "magenta"),
)


def render(progress: RegionProgress, style: Style) -> str:
    """The progress as a readable screen."""
    region = progress.region
    start, end = region.period.start, region.period.end
    title = Text(
        _("{region} — new homes {start}–{end}").format(
            region=shown(region.name), start=start, end=end
        ),
        style="bold",
    )
    title.append("   " + _("as of {year}").format(year=progress.as_of), style="dim")
    parts: list[RenderableType] = []
    if progress.invalid:  # said before any figure: the figures below leave these files out
        parts.append(Text(invalid_sentence(progress), style="bold magenta"))
    parts += [
        title,
        Text(""),
        _headline(_("Homes (woningen)"), progress.totals, progress),
        Text(""),
        _headline(_("Social rent (sociale huur)"), progress.social_rent, progress),
        Text(""),
        _legend(),
        Text(""),
        _municipalities(progress),
        *_policy_tests(progress),
        _years(progress, style.width),
        _obstacles(progress),
        _verdicts(progress),
    ]
    if progress.invalid:
        parts.append(Text(_("Invalid files left out of the figures:"), style="bold magenta"))
        parts += [Text(f"  {shown(name)}", style="magenta") for name in progress.invalid]
    return to_text(parts, style)


def stacked_bar(figures: Totals, width: int = BAR) -> Text:
    """Completed, under construction, hard and soft side by side, scaled to the target."""
    scale = max(float(figures.target), figures.planned, 1.0)
    bar = Text()
    used = 0
    running = 0.0
    for name, char, colour in STACK:
        running += max(0.0, getattr(figures, name))
        cells = round(running / scale * width) - used
        bar.append(char * max(0, cells), style=colour)
        used += max(0, cells)
    target_at = round(figures.target / scale * width)
    if used < target_at:
        bar.append("·" * (target_at - used), style="dim")
        used = target_at
    bar.append("·" * max(0, width - used), style="dim")
    bar.append("|" if target_at >= width else "")
    return bar


def _headline(label: str, t: Totals, progress: RegionProgress) -> RenderableType:
    def n(value: float) -> str:
        return homes(value)

    # Every line is short enough for 80 columns, so a number never wraps away from its unit.
    head = Text(f"{label}: ", style="bold")
    head.append(
        _("{planned} planned of target {target}").format(
            planned=n(t.planned), target=integer(t.target)
        )
    )
    head.append(f"  ({percent(t.planned / t.target)})", style="dim")
    bar = Text("  ")
    bar.append_text(stacked_bar(t))
    parts = Text("  ")
    for name, char, colour in STACK:
        parts.append(f"{char} ", style=colour)
        parts.append(f"{STACK_WORDS[name]} {n(getattr(t, name))}  ")
    missing = Text("  ")
    missing.append("· ", style="dim")
    missing.append(
        _("still missing {count}: homes no plan provides for yet").format(count=n(t.not_in_plans))
    )
    flow = Text("  ")
    flow.append(
        _("{gross} new − {demolished} demolished = {net} planned (completed included)").format(
            gross=n(t.gross), demolished=n(t.demolished), net=n(t.planned)
        )
    )
    capacity = Text("  ")
    capacity.append(
        _("plan capacity {ratio} of the target").format(ratio=percent(t.capacity_ratio))
    )
    capacity.append(_(" (national norm 130%)"), style="dim")
    gap = Text("  ")
    gap.append(
        _("expected {expected} ({share})").format(
            expected=n(t.expected), share=percent(t.expected / t.target)
        )
    )
    if t.gap > 0:
        gap.append(" · " + _("gap") + " ")
        gap.append(n(t.gap), style="bold red")
    else:
        gap.append(" · " + _("surplus") + " ")
        gap.append(n(-t.gap), style="bold green")
    end = progress.region.period.end
    gap.append(" · " + _("{homes} after {end}").format(homes=n(t.after_period), end=end))
    pace = Text("  ")
    if t.required_per_year is None:
        pace.append(
            _("the period ended in {end}: no pace left to compute").format(end=end), style="dim"
        )
    else:
        left = progress.years_left
        pace.append(_("pace needed: "))
        pace.append(
            _("{homes} homes a year").format(homes=integer(t.required_per_year)), style="bold"
        )
        span = f"{end - left + 1}–{end}" if left > 1 else str(end)
        pace.append(_(" for {years} ({span})").format(years=years_phrase(left), span=span))
    return Group(head, bar, parts, missing, flow, capacity, gap, pace)


def _legend() -> RenderableType:
    rows = [
        f"{STACK[0][1]} {GROUPS['completed']}   {STACK[1][1]} {GROUPS['under_construction']}",
        f"{STACK[2][1]} {GROUPS['hard']}",
        f"{STACK[3][1]} {GROUPS['soft']}",
        "· " + _("still missing to the target (|)"),
        _("expected: planned homes weighted by the realisation factor of their phase"),
    ]
    return Text("\n".join("  " + r for r in rows), style="dim")


def _municipalities(progress: RegionProgress) -> Table:
    table = Table(
        title=_("Per municipality (gemeente), in the period"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),  # eight columns in 80: two blanks between columns, not three
    )
    longest = max([len(shown(m.name)) for m in progress.municipalities] + [len(_("Municipality"))])
    table.add_column(_("Municipality"), no_wrap=True, min_width=longest)
    for name in (
        _("Target"),
        pgettext("narrow column", "Completed"),  # Dutch: Opge-/leverd, so eight fit in 80
        _("Planned"),
        _("Expected"),
        _("Social\nrent"),
        _("Social\nshare"),
        _("Afford-\nable"),
    ):
        table.add_column(name, justify="right", no_wrap=True)
    for m in progress.municipalities:
        share = m.social_rent_share
        # as the policy grid (or check) judges it: yellow below the target, red below the limit
        status = progress.share_status(share, m.name)
        share_style = STATUS_STYLE[status] if status in ("warn", "fail") else ""
        table.add_row(
            Text(shown(m.name)),  # Text, not str: "[...]" in a str would be rich markup
            "–" if m.target is None else integer(m.target),
            homes(m.completed),
            homes(m.planned),
            homes(m.expected),
            homes(m.social_rent_planned),
            Text(percent(share), style=share_style),
            percent(m.affordable_share),
        )
    t = progress.totals
    table.add_row(
        Text(_("Region"), style="bold"),
        integer(t.target),
        homes(t.completed),
        homes(t.planned),
        homes(t.expected),
        homes(progress.social_rent.planned),
        percent(progress.social_rent_share),
        percent(progress.affordable_share),
        style="bold",
    )
    return table


def _policy_tests(progress: RegionProgress) -> list[RenderableType]:
    """One line per region test; a municipality × test grid, coloured by verdict."""
    results = progress.policy_tests
    if not results:
        return []
    out: list[RenderableType] = [Text(_("Policy tests (toetsen)"), style="bold")]
    region = [r for r in results if r.municipality is None]
    if region:
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(width=1)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column()  # the title wraps; the bounds keep "limit 60%" together
        table.add_column(no_wrap=True)
        for r in region:
            t = r.test
            table.add_row(
                "",
                Text(STATUSES[r.verdict], style=STATUS_STYLE[r.verdict]),
                policy_figure(t.metric, r.value),
                criterion_title(t.title),
                Text(policy_bounds(t.metric, t.better, t.target, t.limit), style="dim"),
            )
        out += [table, Text("")]
    tests = list(dict.fromkeys(r.test for r in results if r.municipality is not None))
    if tests:
        grid = Table(
            title=_("Policy tests per municipality"), title_justify="left", box=box.SIMPLE_HEAD
        )
        grid.add_column(_("Municipality"))
        grid.add_column(_("Social share"), justify="right")
        grid.add_column(_("Affordable"), justify="right")
        for t in tests:
            bounds = policy_bounds(t.metric, t.better, t.target, t.limit)
            grid.add_column(f"{criterion_title(t.title)}\n{bounds}", justify="right")
        # each municipality's shares next to its tests
        cells: dict[str, list[Text]] = {
            m.name: [Text(percent(m.social_rent_share, 1)), Text(percent(m.affordable_share, 1))]
            for m in progress.municipalities
        }
        for r in results:
            if r.municipality is not None and r.municipality in cells:
                cells[r.municipality].append(
                    Text(
                        f"{policy_figure(r.test.metric, r.value)} {STATUSES[r.verdict]}",
                        style=STATUS_STYLE[r.verdict],
                    )
                )
        for name, row in cells.items():
            grid.add_row(name, *row)
        out.append(grid)
    return out


def _years(progress: RegionProgress, columns: int = 100) -> RenderableType:
    pace = progress.totals.required_per_year
    scale = max([y.planned for y in progress.years] + [float(pace or 0), 1.0])
    headers = (_("Completed"), _("Planned"), _("Expected"), _("vs pace"))
    # The bar takes what the figures leave of the line: their headers (the widest cells, 35
    # columns in English, more in Dutch) and 21 columns of year digits, padding and the gap.
    width = max(10, min(30, columns - 21 - len(_("Year")) - sum(len(h) for h in headers)))
    title = _("Per year (per jaar)")
    if pace is not None:
        start = max(progress.as_of, progress.region.period.start)
        title += _(", pace needed from {start}: {pace} homes a year").format(
            start=start, pace=integer(pace)
        )
    table = Table(box=box.SIMPLE_HEAD)  # the title apart: a table's title wraps to its width
    table.add_column(_("Year"), no_wrap=True)
    for name in headers:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, min_width=width + 1)
    mark = round(pace / scale * width) if pace is not None else None
    for y in progress.years:
        expected_cells = round(max(0.0, y.expected) / scale * width)
        planned_cells = max(expected_cells, round(max(0.0, y.planned) / scale * width))
        cells = ["█"] * expected_cells + ["░"] * (planned_cells - expected_cells)
        versus = Text("")
        if y.pace is not None and mark is not None:
            cells += [" "] * max(0, mark + 1 - len(cells))
            cells[mark] = "|"
            diff = shown_difference(y.expected, y.pace)
            versus = Text(signed(diff), style="green" if diff >= 0 else "red")
        bar = Text("".join(cells), style="green")
        table.add_row(
            str(y.year), homes(y.completed), homes(y.planned), homes(y.expected), versus, bar
        )
    key = Text("  " + _("bar: █ expected  ░ rest of planned"), style="dim")
    if pace is not None:
        key.append("  " + _("| pace needed"))
    return Group(Text(title, style="italic"), table, key, Text(""))


def _obstacles(progress: RegionProgress) -> RenderableType:
    if not progress.obstacles:
        return Text(_("No obstacles listed in plans not yet completed."), style="dim")
    title = _("Obstacles (knelpunten) of plans not yet completed, by homes affected")
    table = Table(box=box.SIMPLE_HEAD)
    longest = max(
        [len(OBSTACLES.get(o.category, o.category)) for o in progress.obstacles]
        + [len(_("Obstacle"))]
    )
    table.add_column(_("Obstacle"), no_wrap=True, min_width=longest)
    table.add_column(_("Plans"), justify="right", no_wrap=True)
    table.add_column(_("Homes\naffected"), justify="right", no_wrap=True)
    table.add_column(_("Share of\nplanned"), justify="right", no_wrap=True)
    for o in progress.obstacles:
        table.add_row(
            OBSTACLES.get(o.category, o.category), str(o.plans), homes(o.homes), percent(o.share)
        )
    return Group(Text(title, style="italic"), table)


def _verdicts(progress: RegionProgress) -> Text:
    text = Text(_("Plans by verdict: "), style="bold")
    for name, count in progress.verdicts.items():
        text.append(f"{count} ", style="bold")
        text.append(COUNTS[name], style=VERDICT_STYLE.get(name, ""))
        text.append("   ")
    return text
