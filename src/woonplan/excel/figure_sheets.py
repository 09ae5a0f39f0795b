"""The sheets of regional figures: Summary, Municipalities, Years (with a chart), Policy tests.

Every figure comes from :func:`woonplan.progress.contract.as_dict`, as in the JSON output.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference

from woonplan.excel.columns import Value
from woonplan.excel.plan_sheets import BETTER, VERDICTS
from woonplan.excel.styles import DECIMAL, RATIO, SHARE, VERDICT_STYLES, WHOLE, Sheet
from woonplan.excel.table import table
from woonplan.i18n import N_, _, pgettext, title
from woonplan.progress.region import RegionProgress
from woonplan.progress.rounding import one_decimal
from woonplan.render import labels

TOTAL_ROWS = (  # (key, meaning): the meaning is translated when the sheet is written
    ("target", N_("target for the period (opgave)")),
    ("completed", N_("completed (opgeleverd)")),
    ("under_construction", N_("under construction (in aanbouw)")),
    ("hard", N_("hard: adopted (harde plancapaciteit)")),
    ("soft", N_("soft: initiative to preparation (zachte plancapaciteit)")),
    ("planned", N_("planned: all phases together, unweighted")),
    ("expected", N_("expected: net homes × realisation factor of the phase")),
    ("gap", N_("gap: target − expected (negative = surplus)")),
    ("after_period", N_("delivered after the period (not counted)")),
    ("required_per_year", N_("needed per year from now: ceil((target − completed) / years left)")),
    ("gross", N_("new homes in the period, before demolition")),
    ("demolished", N_("demolished homes of plans whose first delivery lies in the period")),
    (
        "not_in_plans",
        N_("not in plans: max(0, target − planned), no plan provides for them yet"),
    ),
    ("capacity_ratio", N_("plan capacity: planned ÷ target (national norm 1.30)")),
)
_ONE_DECIMAL_TOTALS = frozenset({"expected", "gap"})


def summary(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
    totals, social = figures["totals"], figures["social_rent"]
    rows: list[list[Value]] = [
        [key, _(meaning), totals[key], social[key]] for key, meaning in TOTAL_ROWS
    ]
    formats = [
        [None, None, DECIMAL if key in _ONE_DECIMAL_TOTALS else WHOLE, _social_format(key)]
        if key != "capacity_ratio"
        else [None, None, RATIO, RATIO]
        for key, _ in TOTAL_ROWS
    ]
    region = progress.region
    info: list[tuple[str, str, Value, str | None]] = [
        ("region", _("region (regio)"), figures["region"], None),
        ("period_start", _("first year of the period"), figures["period"]["start"], "0"),
        ("period_end", _("last year of the period (inclusive)"), figures["period"]["end"], "0"),
        ("as_of", _("the current year for pace and overdue checks"), figures["as_of"], "0"),
        ("years_left", _("years left, as_of (or start) to end"), progress.years_left, "0"),
        (
            "target_social_rent_share",
            _("social rent target share (sociale huur)"),
            region.target_social_rent_share,
            SHARE,
        ),
    ]
    info += [
        (
            f"plans_{verdict}",
            _("valid plans with verdict {verdict}").format(verdict=VERDICTS[verdict]),
            count,
            WHOLE,
        )
        for verdict, count in figures["verdicts"].items()
    ]
    info.append(
        (
            "invalid_files",
            "; ".join(figures["invalid"]) or _("none"),
            len(figures["invalid"]),
            WHOLE,
        )
    )
    info += [
        (
            f"realisation_{phase}",
            _("realisation factor (assumption): {phase}").format(phase=label),
            region.realisation.factor(phase),
            "0%",
        )
        for phase, label in labels.PHASES.items()
    ]
    below = [[key, meaning, value] for key, meaning, value, _ in info]
    below_formats = [[None, None, number_format] for _, _, _, number_format in info]
    table(
        ws,
        [_("figure"), _("meaning"), _("all_homes"), _("social_rent")],
        rows,
        formats,
        widths={1: 26, 2: 62, 3: 20, 4: 14},
        below=(below, below_formats),
        # said first, as progress says it in the table and Markdown; listed below as before
        warning=labels.invalid_sentence(progress) if progress.invalid else None,
        freeze="A4" if progress.invalid else "A3",
    )


def _social_format(key: str) -> str:
    return WHOLE if key in ("target", "required_per_year") else DECIMAL


def municipalities(ws: Sheet, figures: dict[str, Any]) -> None:
    keys = [
        "name",
        "target",
        "completed",
        "planned",
        "expected",
        "social_rent_planned",
        "social_rent_share",
    ]
    fmt = [None, WHOLE, WHOLE, WHOLE, DECIMAL, DECIMAL, SHARE]
    rows = [[m[k] for k in keys] for m in figures["municipalities"]]
    headers = [
        _("name"),
        _("target"),
        _("completed"),
        _("planned"),
        _("expected"),
        _("social_rent_planned"),
        _("social_rent_share"),
    ]
    table(ws, headers, rows, [fmt] * len(rows))


def years(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
    years = figures["years"]
    pace = {y.year: y.pace for y in progress.years}
    headers = [
        _("year"),
        _("completed"),
        _("planned"),
        _("expected"),
        _("pace_needed"),
        _("even_pace"),
    ]
    rows: list[list[Value]] = [
        [
            y["year"],
            y["completed"],
            y["planned"],
            y["expected"],
            pace[y["year"]],
            one_decimal(progress.even_pace),
        ]
        for y in years
    ]
    fmt = ["0", WHOLE, WHOLE, DECIMAL, WHOLE, DECIMAL]
    table(ws, headers, rows, [fmt] * len(rows))
    if rows:
        _chart(ws, len(rows))
        ws.page_setup.orientation = "landscape"  # the chart stands to the right of the table


def _chart(ws: Sheet, count: int) -> None:
    bars = BarChart()
    bars.type = "col"
    bars.title = _("Net new homes per year against the pace needed")
    bars.y_axis.title = _("homes")
    bars.x_axis.title = _("year")
    bars.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=2, max_row=count + 2), titles_from_data=True
    )
    categories = Reference(ws, min_col=1, min_row=3, max_row=count + 2)
    bars.set_categories(categories)
    line = LineChart()
    line.add_data(
        Reference(ws, min_col=5, max_col=6, min_row=2, max_row=count + 2), titles_from_data=True
    )
    line.set_categories(categories)
    bars += line
    # openpyxl 3.1 marks axes as deleted by default; Excel then draws no axes at all.
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    bars.width, bars.height = 24, 12
    ws.add_chart(bars, "H2")


SCOPES = {"region": N_("region"), "municipality": N_("municipality")}


def policy_tests(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
    headers = [
        "id",
        _("title"),
        _("scope"),
        _("municipality"),
        _("metric"),
        _("better"),
        _("value"),
        pgettext("criterion", "target"),
        pgettext("criterion", "limit"),
        _("verdict"),
        _("social_rent_share"),
        _("affordable_share"),
    ]
    shares = {m.name: (m.social_rent_share, m.affordable_share) for m in progress.municipalities}
    shares[""] = (progress.social_rent_share, progress.affordable_share)
    rows: list[list[Value]] = []
    formats: list[list[str | None]] = []
    for entry, result in zip(figures["policy_tests"], progress.policy_tests, strict=True):
        metric = result.test.metric
        social, affordable = shares[entry["municipality"] or ""]
        rows.append(
            [
                entry["id"],
                title(entry["title"]),
                _(SCOPES[entry["scope"]]),
                entry["municipality"],
                metric,
                _(BETTER[result.test.better]),
                entry["value"],
                entry["target"],
                entry["limit"],
                labels.STATUSES[entry["verdict"]],
                social,
                affordable,
            ]
        )
        value_format = DECIMAL if metric.endswith("_homes") else SHARE
        verdict_style = VERDICT_STYLES.get(str(entry["verdict"]))
        formats.append([None] * 6 + [value_format] * 3 + [verdict_style, SHARE, SHARE])
    table(ws, headers, rows, formats)
