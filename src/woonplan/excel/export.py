"""``woonplan progress --xlsx``: the regional workbook for the governance meeting
(bestuurlijk overleg).

Sheets: Summary, Plans, Municipalities, Years (with a chart), Checks, Obstacles, Policy tests.
Every figure
comes from :func:`woonplan.render.progress_json.as_dict`, so the workbook and the JSON output
cannot disagree. Text from plan files is always written as text, never as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from woonplan.checking.scoring import PlanResult
from woonplan.excel.columns import Value, plan_columns, plan_row
from woonplan.i18n import N_, _, pgettext, title
from woonplan.progress.compute import OBSTACLE_PHASES_DONE, RegionProgress
from woonplan.progress.rounding import one_decimal
from woonplan.render import labels
from woonplan.render.progress_json import as_dict

WHOLE, DECIMAL, SHARE, SCORE = "#,##0", "#,##0.0", "0.0%", "0.0"
DATE = "yyyy-mm-dd"
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell; longer text is cut (docs/excel.md)."""

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
SHEETS = {
    "summary": N_("Summary"),
    "plans": N_("Plans"),
    "municipalities": N_("Municipalities"),
    "years": N_("Years"),
    "checks": N_("Checks"),
    "obstacles": N_("Obstacles"),
}
"""The sheets, named in the run's language (``woonplan import`` reads Plans and Plannen)."""
VERDICTS = labels.Labels(
    {
        "pass": N_("pass"),
        "warn": N_("warn"),
        "fail": N_("fail"),
        "not_reviewed": N_("not_reviewed"),
    }
)
"""A plan's verdict in a cell: the JSON word in English (``not_reviewed``), a word in Dutch."""
_ONE_DECIMAL_TOTALS = frozenset({"expected", "gap"})
_RATIO = "0.000"


def workbook_writer(
    progress: RegionProgress, results: Sequence[PlanResult]
) -> Callable[[BinaryIO], None]:
    """Build the workbook now; the function returned saves it into an open binary file."""
    workbook = build_workbook(progress, results)

    def save(handle: BinaryIO) -> None:
        workbook.save(handle)

    return save


def build_workbook(progress: RegionProgress, results: Sequence[PlanResult]) -> Workbook:
    """The regional workbook for ``progress`` and the valid plans' ``results``."""
    figures = as_dict(progress)
    workbook = Workbook()
    workbook.properties.creator = "woonplan"
    workbook.properties.title = _("Housing progress {region}").format(region=figures["region"])
    summary = workbook.active
    assert isinstance(summary, Worksheet)
    summary.title = _(SHEETS["summary"])
    _summary(summary, progress, figures)
    _plans(workbook.create_sheet(_(SHEETS["plans"])), progress, results)
    _municipalities(workbook.create_sheet(_(SHEETS["municipalities"])), figures)
    _years(workbook.create_sheet(_(SHEETS["years"])), progress, figures)
    _checks(workbook.create_sheet(_(SHEETS["checks"])), results)
    _obstacles(workbook.create_sheet(_(SHEETS["obstacles"])), figures, results)
    _policy_tests(workbook.create_sheet(_("Policy tests")), progress, figures)
    return workbook


def _summary(ws: Worksheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
    totals, social = figures["totals"], figures["social_rent"]
    rows: list[list[Value]] = [
        [key, _(meaning), totals[key], social[key]] for key, meaning in TOTAL_ROWS
    ]
    formats = [
        [None, None, DECIMAL if key in _ONE_DECIMAL_TOTALS else WHOLE, _social_format(key)]
        if key != "capacity_ratio"
        else [None, None, _RATIO, _RATIO]
        for key, _ in TOTAL_ROWS
    ]
    _table(ws, [_("figure"), _("meaning"), _("all_homes"), _("social_rent")], rows, formats)
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
    start = len(rows) + 3
    for offset, (key, meaning, value, number_format) in enumerate(info):
        row = start + offset
        _put(ws.cell(row, 1), key)
        _put(ws.cell(row, 2), meaning)
        _put(ws.cell(row, 3), value, number_format)
    _widths(ws, {1: 26, 2: 62, 3: 20, 4: 14})


def _social_format(key: str) -> str:
    return WHOLE if key in ("target", "required_per_year") else DECIMAL


def _plans(ws: Worksheet, progress: RegionProgress, results: Sequence[PlanResult]) -> None:
    period = progress.region.period
    headers = plan_columns([r.plan for r in results], period.start, period.end)
    rows = []
    for result in results:
        values = plan_row(result.plan, result.score, result.verdict)
        values["verdict"] = VERDICTS[result.verdict]  # for readers; import ignores it
        rows.append([values.get(column) for column in headers])
    formats = [[_plan_format(h) for h in headers]] * len(rows)
    _table(ws, headers, rows, formats, wrap={"obstacles", "exemptions"})


def _plan_format(column: str) -> str | None:
    if column == "score":
        return SCORE
    if column == "price_affordable_buy":
        return WHOLE
    if column.startswith("price_"):
        return "#,##0.00"
    if column.startswith(("homes_", "demolished_", "delivery_", "work_")) or column.endswith(
        "_distance_m"
    ):
        return WHOLE
    return None


def _municipalities(ws: Worksheet, figures: dict[str, Any]) -> None:
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
    _table(ws, headers, rows, [fmt] * len(rows))


def _years(ws: Worksheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
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
    _table(ws, headers, rows, [fmt] * len(rows))
    if rows:
        _chart(ws, len(rows))


def _chart(ws: Worksheet, count: int) -> None:
    bars = BarChart()
    bars.type = "col"
    bars.title = _("Net new homes per year against the pace needed")
    bars.y_axis.title = _("homes")
    bars.x_axis.title = _("year")
    bars.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=1, max_row=count + 1), titles_from_data=True
    )
    categories = Reference(ws, min_col=1, min_row=2, max_row=count + 1)
    bars.set_categories(categories)
    line = LineChart()
    line.add_data(
        Reference(ws, min_col=5, max_col=6, min_row=1, max_row=count + 1), titles_from_data=True
    )
    line.set_categories(categories)
    bars += line
    # openpyxl 3.1 marks axes as deleted by default; Excel then draws no axes at all.
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    bars.width, bars.height = 24, 12
    ws.add_chart(bars, "H2")


def _checks(ws: Worksheet, results: Sequence[PlanResult]) -> None:
    headers = [
        _("plan_id"),
        _("criterion"),
        _("title"),
        _("status"),
        _("value"),
        pgettext("criterion", "target"),
        pgettext("criterion", "limit"),
        _("better"),
        _("score"),
        _("required"),
        _("weight"),
        _("waiver_reason"),
        _("waiver_date"),
        _("message"),
    ]
    rows: list[list[Value]] = []
    formats: list[list[str | None]] = []
    for result in results:
        for item in result.criteria:
            spec = item.criterion.spec
            waiver = item.exemption if item.status == "waived" else None
            rows.append(
                [
                    result.plan.id,
                    spec.id,
                    title(spec.title),
                    labels.STATUSES[item.status],
                    item.value,
                    spec.target,
                    spec.limit,
                    _(BETTER[spec.better]),
                    item.score,
                    spec.required,
                    spec.weight,
                    waiver.reason if waiver else None,
                    waiver.decided if waiver else None,
                    item.message,
                ]
            )
            value_format = _value_format(spec.metric or "")
            formats.append(
                [None] * 4 + [value_format] * 3 + [None, "0.00", None, "0", None, DATE, None]
            )
    _table(ws, headers, rows, formats)


BETTER = {"higher": N_("higher"), "lower": N_("lower")}


def _value_format(metric: str) -> str:
    if metric.endswith("_share"):
        return SHARE
    if metric.endswith("_m") or metric.endswith("_homes"):
        return WHOLE
    return "0.00"


def _obstacles(ws: Worksheet, figures: dict[str, Any], results: Sequence[PlanResult]) -> None:
    headers = [_("category"), _("label"), _("plans"), _("homes"), _("plan_ids")]
    rows: list[list[Value]] = []
    for entry in figures["obstacles"]:
        category = entry["category"]
        ids = [
            r.plan.id
            for r in results
            if r.plan.phase not in OBSTACLE_PHASES_DONE  # as progress counts them
            and any(o.category == category for o in r.plan.obstacles)
        ]
        rows.append(
            [
                category,
                labels.OBSTACLES.get(category, category),
                entry["plans"],
                entry["homes"],
                "; ".join(ids),
            ]
        )
    fmt = [None, None, WHOLE, WHOLE, None]
    _table(ws, headers, rows, [fmt] * len(rows))


SCOPES = {"region": N_("region"), "municipality": N_("municipality")}
VERDICT_FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE"}
"""Excel's good / neutral / bad cell colours: the green, yellow and red that check shows."""


def _policy_tests(ws: Worksheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
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
        formats.append([None] * 6 + [value_format] * 3 + [None, SHARE, SHARE])
    _table(ws, headers, rows, formats)
    verdict_column = 10
    for row_index, entry in enumerate(figures["policy_tests"], start=2):
        colour = VERDICT_FILL.get(str(entry["verdict"]))
        if colour:
            ws.cell(row_index, verdict_column).fill = PatternFill("solid", fgColor=colour)


def _table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Value]],
    formats: Sequence[Sequence[str | None]],
    wrap: set[str] | frozenset[str] = frozenset(),
) -> None:
    """A table from A1: bold frozen header, autofilter, number formats, column widths."""
    bold = Font(bold=True)
    for column, header in enumerate(headers, start=1):
        cell = ws.cell(1, column)
        _put(cell, header)
        cell.font = bold
    wrapped = Alignment(wrap_text=True, vertical="top")
    wrap_columns = {i for i, h in enumerate(headers, start=1) if h in wrap}
    for row_index, (row, row_formats) in enumerate(zip(rows, formats, strict=True), start=2):
        for column, (value, number_format) in enumerate(zip(row, row_formats, strict=True), 1):
            cell = ws.cell(row_index, column)
            _put(cell, value, number_format)
            if column in wrap_columns:
                cell.alignment = wrapped
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    widths: dict[int, int] = {}
    for column, header in enumerate(headers, start=1):
        longest = max([len(header) + 3, *(_shown_length(r[column - 1]) for r in rows)])
        widths[column] = min(60 if column not in wrap_columns else 50, max(8, longest + 2))
    _widths(ws, widths)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these could be taken for a formula by a spreadsheet program."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\ufffe\uffff]")
"""Characters XML 1.0 does not allow that openpyxl's ILLEGAL_CHARACTERS_RE lets through
(a plan file can hold them as a YAML escape, ``"\\uffff"``)."""


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it, and ``woonplan import`` reads it back.

    A carriage return is written as ``_x000D_``, as Excel writes it (XML turns a raw one into
    a line feed); a file name that is not UTF-8 (lone surrogates) as ``\\udcff``, since XML
    cannot hold it; other characters xlsx cannot hold as ``\\ufffd``; then cut to Excel's limit.
    """
    if "\r" in text:
        text = text.replace("\r", "_x000D_")
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    text = _NOT_XML.sub("\ufffd", text)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)[:MAX_CELL_TEXT]


def _widths(ws: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _shown_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return max(len(line) for line in str(value).split("\n"))


def _put(cell: Cell | MergedCell, value: Value, number_format: str | None = None) -> None:
    """Write one value; text always stays text (formula-injection guard)."""
    if isinstance(value, str):
        cell.value = cell_text(value)
        # Text such as "=HYPERLINK(...)" would otherwise be stored as a formula.
        cell.data_type = "s"
        if value != value.strip() or value.startswith(FORMULA_START):
            # Marked as text (Excel's leading apostrophe): never a formula when edited in
            # Excel or LibreOffice, and `woonplan import` reads it exactly as written.
            cell.quotePrefix = True
        return
    cell.value = value
    if number_format is not None and value is not None and not isinstance(value, bool):
        cell.number_format = number_format
