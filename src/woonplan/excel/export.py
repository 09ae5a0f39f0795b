"""``woonplan progress --xlsx``: the regional workbook for the governance meeting
(bestuurlijk overleg).

Sheets: Summary, Plans, Municipalities, Years (with a chart), Checks, Obstacles, Policy tests.
Every figure
comes from :func:`woonplan.progress.contract.as_dict`, so the workbook and the JSON output
cannot disagree. Text from plan files is always written as text, never as a formula.

The workbook is written in openpyxl's write-only mode: rows stream to the file as they are
appended, with no cell objects kept, and a number format is a named style shared by a whole
column (one styled cell per column, its value replaced row by row). Each sheet is one function
that appends its rows; everything about a sheet's layout (widths, frozen panes, print set-up)
is set before its first row, as write-only mode requires.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, get_args
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml import LXML

from woonplan.checking.models import PHASES, ObstacleCategory
from woonplan.checking.scoring import PlanResult
from woonplan.excel.columns import Value, column_label, plan_columns, plan_row
from woonplan.i18n import N_, _, pgettext, title
from woonplan.progress.contract import as_dict
from woonplan.progress.obstacles import OBSTACLE_PHASES_DONE
from woonplan.progress.region import RegionProgress
from woonplan.progress.rounding import one_decimal
from woonplan.render import labels

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

STYLE_NAMES = {
    WHOLE: "Homes",
    DECIMAL: "Homes, one decimal",
    SHARE: "Share",
    SCORE: "Score",
    DATE: "Date",
    "0": "Whole number",
    "0%": "Percentage",
    "0.00": "Figure",
    "#,##0.00": "Price",
    _RATIO: "Ratio",
}
"""Named styles (visible in Excel's cell styles) for the number formats the workbook uses."""
HEADER_STYLE = "Header"
KEY_STYLE = "Column key"
WRAPPED_STYLE = "Wrapped text"
LANDSCAPE_WIDTH = 110
PAPERSIZE_A4 = "9"
"""A sheet whose columns are wider than this (in characters) is printed landscape."""
VALIDATED_ROWS = 5_000
"""Drop-down lists on the Plans sheet reach this row at least, for plans added by hand."""


Sheet = Any
"""A write-only worksheet: openpyxl's type stubs lack most of its attributes (freeze panes,
column widths, print set-up), which it takes from ``Worksheet`` at run time."""


def workbook_writer(
    progress: RegionProgress, results: Sequence[PlanResult]
) -> Callable[[BinaryIO], None]:
    """The function that builds the workbook and saves it into an open binary file.

    Built only then: a write-only workbook streams its rows into temporary files that only
    saving closes, so one built and never saved (another output failed) would leave them open.
    """

    # the Plans sheet's columns now: too many for Excel is an OutputError before any writing
    period = progress.region.period
    plan_columns([r.plan for r in results], period.start, period.end)

    def save(handle: BinaryIO) -> None:
        build_workbook(progress, results).save(handle)

    return save


def build_workbook(progress: RegionProgress, results: Sequence[PlanResult]) -> Workbook:
    """The regional workbook for ``progress`` and the valid plans' ``results``."""
    figures = as_dict(progress)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "woonplan"
    workbook.properties.title = _("Housing progress {region}").format(region=figures["region"])
    _add_styles(workbook)
    _summary(workbook.create_sheet(_(SHEETS["summary"])), progress, figures)
    _plans(workbook.create_sheet(_(SHEETS["plans"])), progress, results)
    _municipalities(workbook.create_sheet(_(SHEETS["municipalities"])), figures)
    _years(workbook.create_sheet(_(SHEETS["years"])), progress, figures)
    _checks(workbook.create_sheet(_(SHEETS["checks"])), results)
    _obstacles(workbook.create_sheet(_(SHEETS["obstacles"])), figures, results)
    _policy_tests(workbook.create_sheet(_("Policy tests")), progress, figures)
    return workbook


def _add_styles(workbook: Workbook) -> None:
    for number_format, name in STYLE_NAMES.items():
        workbook.add_named_style(NamedStyle(name=name, number_format=number_format))
    top = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle(name=HEADER_STYLE, font=Font(bold=True), alignment=top))
    grey = Font(italic=True, size=8, color="808080")
    workbook.add_named_style(NamedStyle(name=KEY_STYLE, font=grey))
    wrapped = Alignment(wrap_text=True, vertical="top")
    workbook.add_named_style(NamedStyle(name=WRAPPED_STYLE, alignment=wrapped))
    for verdict, name in VERDICT_STYLES.items():
        fill = PatternFill("solid", fgColor=VERDICT_FILL[verdict])
        workbook.add_named_style(NamedStyle(name=name, fill=fill))


def _summary(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
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
    _table(
        ws,
        [_("figure"), _("meaning"), _("all_homes"), _("social_rent")],
        rows,
        formats,
        widths={1: 26, 2: 62, 3: 20, 4: 14},
        below=(below, below_formats),
    )


def _social_format(key: str) -> str:
    return WHOLE if key in ("target", "required_per_year") else DECIMAL


def _plans(ws: Sheet, progress: RegionProgress, results: Sequence[PlanResult]) -> None:
    period = progress.region.period
    headers = plan_columns([r.plan for r in results], period.start, period.end)
    rows = []
    for result in results:
        values = plan_row(result.plan, result.score, result.verdict)
        values["verdict"] = VERDICTS[result.verdict]  # for readers; import ignores it
        rows.append([values.get(column) for column in headers])
    formats = [[_plan_format(h) for h in headers]] * len(rows)
    _table(
        ws,
        headers,
        rows,
        formats,
        wrap={"obstacles", "exemptions"},
        words=column_label,
        keys_shown=True,
        freeze="C3",  # the id and name stay in view
    )
    _choices(ws, headers, progress.region.municipalities, len(rows))


def _choices(ws: Sheet, headers: Sequence[str], municipalities: Sequence[str], count: int) -> None:
    """Drop-down lists on the Plans sheet, so that a region can fill it in by hand."""
    last = max(count + 2, VALIDATED_ROWS)
    lists: list[tuple[str, Sequence[str], bool, str]] = [
        ("municipality", municipalities, True, _("One of the region's municipalities.")),
        ("phase", PHASES, True, _("The plan's phase.")),
        (
            "obstacles",
            get_args(ObstacleCategory),
            False,
            _("One obstacle per line as category: note; pick a category to start one."),
        ),
    ]
    for column, choices, strict, prompt in lists:
        formula = '"' + ",".join(choices) + '"'
        # an inline list holds at most 255 characters, and no choice may hold a comma or quote
        if (
            column not in headers
            or len(formula) > 257
            or any("," in c or '"' in c for c in choices)
        ):
            continue
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "information",
            prompt=prompt,
            showInputMessage=True,
        )
        letter = get_column_letter(headers.index(column) + 1)
        validation.add(f"{letter}3:{letter}{last}")
        ws.data_validations.append(validation)


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


def _municipalities(ws: Sheet, figures: dict[str, Any]) -> None:
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


def _years(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
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


def _checks(ws: Sheet, results: Sequence[PlanResult]) -> None:
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


def _obstacles(ws: Sheet, figures: dict[str, Any], results: Sequence[PlanResult]) -> None:
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
VERDICT_STYLES = {"pass": "Verdict pass", "warn": "Verdict warn", "fail": "Verdict fail"}
"""Named styles with those colours, for a policy test's verdict cell (a text's "format")."""


def _policy_tests(ws: Sheet, progress: RegionProgress, figures: dict[str, Any]) -> None:
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
    _table(ws, headers, rows, formats)


def _table(
    ws: Sheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Value]],
    formats: Sequence[Sequence[str | None]],
    wrap: set[str] | frozenset[str] = frozenset(),
    widths: dict[int, int] | None = None,
    below: tuple[Sequence[Sequence[Value]], Sequence[Sequence[str | None]]] | None = None,
    words: Callable[[str], str] | None = None,
    keys_shown: bool = False,
    freeze: str = "A3",
) -> None:
    """A table: the column keys in row 1, the headers in words in row 2, rows from row 3.

    Row 2 is bold, stays in view (frozen panes) and on every printed page, with an autofilter;
    row 1 (the JSON keys, which ``import`` reads on the Plans sheet) is hidden unless
    ``keys_shown``. Number formats are named styles; widths fit the content unless
    ``widths`` fixes them; ``below`` are more rows after one blank row, outside the filter.
    Printed fit to the page's width, landscape when the columns are wide.
    """
    wrap_columns = {i for i, h in enumerate(headers) if h in wrap}
    if widths is None:
        widths = {}
        for index, header in enumerate(headers):
            longest = max([len(header) + 3, *(_shown_length(r[index]) for r in rows)])
            limit = 60 if index not in wrap_columns else 50
            widths[index + 1] = min(limit, max(10, longest + 2))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = freeze
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    _print_setup(ws, landscape=sum(widths.values()) > LANDSCAPE_WIDTH, titles=keys_shown)
    if not keys_shown:
        ws.row_dimensions[1].hidden = True
    label = words or _header_words
    ws.row_dimensions[2].height = 15 * max(
        _header_lines(label(h), widths, i) for i, h in enumerate(headers, 1)
    )
    cells = _Cells(ws, wrap_columns)
    ws.append([cells.text(header, KEY_STYLE) for header in headers])
    ws.append([cells.text(label(header), HEADER_STYLE) for header in headers])
    with _RawRows(ws, cells) as raw:
        for row, row_formats in zip(rows, formats, strict=True):
            ws.append(raw.row(row, row_formats))
    if below is not None:
        ws.append([])
        for row, row_formats in zip(*below, strict=True):
            ws.append(cells.row(row, row_formats))


def _header_lines(text: str, widths: dict[int, int], column: int) -> int:
    """Lines that ``text`` takes when wrapped in its column (roughly: characters / width)."""
    return min(4, -(-len(text) // max(1, widths.get(column, 10) - 2)))


def _print_setup(ws: Sheet, landscape: bool, titles: bool) -> None:
    """A4, fit to the page's width (as many pages down as needed), header rows on every page."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:2" if titles else "2:2"


def _header_words(key: str) -> str:
    """A column's header in words; the key itself, readable, where no words are written."""
    words = {
        "figure": _("Figure"),
        "meaning": _("Meaning"),
        "all_homes": _("All homes"),
        "social_rent": _("Social rent (sociale huur)"),
        "name": _("Municipality (gemeente)"),
        "target": _("Target"),
        "completed": _("Completed (opgeleverd)"),
        "planned": _("Planned"),
        "expected": _("Expected"),
        "social_rent_planned": _("Social rent planned"),
        "social_rent_share": _("Social rent share"),
        "year": _("Year"),
        "pace_needed": _("Pace needed"),
        "even_pace": _("Even pace"),
        "plan_id": _("Plan id"),
        "criterion": _("Criterion"),
        "title": _("Title"),
        "status": _("Status"),
        "value": _("Value"),
        "limit": _("Limit"),
        "better": _("Better"),
        "score": _("Score"),
        "required": _("Required"),
        "weight": _("Weight"),
        "waiver_reason": _("Waiver reason"),
        "waiver_date": _("Waiver date"),
        "message": _("Message"),
        "category": _("Category"),
        "label": _("Obstacle (knelpunt)"),
        "plans": _("Plans"),
        "homes": _("Homes"),
        "plan_ids": _("Plan ids"),
    }
    return words.get(key) or key.replace("_", " ").capitalize()


class _Cells:
    """Turns values into what a write-only sheet appends: plain values where they need no
    style, else one styled cell per column and style, its value replaced row by row (a
    write-only sheet writes each row out before the next is made)."""

    def __init__(self, ws: Sheet, wrap_columns: set[int]) -> None:
        self.ws = ws
        self.wrap_columns = wrap_columns
        self.styled: dict[tuple[int, str], Cell] = {}

    def text(self, text: str, style: str) -> Cell:
        """A header cell: ``text`` (always text) in the named ``style``."""
        cell = WriteOnlyCell(self.ws, cell_text(text))
        cell.data_type = "s"
        cell.style = style
        cell.quotePrefix = _quoted(text)
        return cell

    def row(self, values: Sequence[Value], formats: Sequence[str | None]) -> list[Any]:
        out: list[Any] = []
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            if value is None:
                out.append(None)
            elif isinstance(value, str):
                text = cell_text(value)
                quoted = _quoted(value)
                if column in self.wrap_columns or quoted or number_format is not None:
                    # Text such as "=HYPERLINK(...)" would otherwise be stored as a formula.
                    cell = WriteOnlyCell(self.ws, text)
                    cell.data_type = "s"
                    if column in self.wrap_columns:
                        cell.style = WRAPPED_STYLE
                    elif number_format is not None:
                        cell.style = number_format  # a named style for text (a verdict's colour)
                    if quoted:
                        # Marked as text (Excel's leading apostrophe): never a formula when
                        # edited in Excel or LibreOffice; `woonplan import` reads it as written.
                        cell.quotePrefix = True
                    out.append(cell)
                else:
                    out.append(text)
            elif number_format is None or isinstance(value, bool):
                out.append(value)
            else:
                key = (column, number_format)
                styled = self.styled.get(key)
                if styled is None:
                    styled = self.styled[key] = WriteOnlyCell(self.ws)
                    styled.style = STYLE_NAMES[number_format]
                styled.value = value
                out.append(styled)
        return out


class _RawRows:
    """Data rows written as XML text straight into a write-only sheet's stream.

    openpyxl turns every value into a cell object and serialises it through ElementTree: three
    quarters of the workbook's time. Here a row of values becomes its ``<row>`` element in one
    pass, with the same attributes and value text as openpyxl writes (inline strings, ``%.16g``
    numbers, date serials, named style ids). Only with openpyxl's own XML writer (et_xmlfile;
    with lxml installed it writes through lxml, and rows go the ordinary way), and a row with a
    value of another kind (a float that is not finite, a date without a date format) is handed
    to openpyxl. Used as a context manager around the appends of the data rows.
    """

    def __init__(self, ws: Sheet, cells: _Cells) -> None:
        self.ws = ws
        self.cells = cells
        self.epoch = ws.parent.epoch
        self.on = not LXML and ws._writer is not None and hasattr(ws._writer, "write_row")
        self.style_ids: dict[str, int] = {}

    def __enter__(self) -> _RawRows:
        if self.on:
            writer = self.ws._writer
            cells_of = self.ws._values_to_row
            write_row = writer.write_row

            def write(xf: Any, row: tuple[Any, ...], index: int) -> None:
                values, formats = row
                text = self._xml(values, formats, index)
                if text is None:
                    write_row(xf, cells_of(self.cells.row(values, formats), index), index)
                else:
                    xf._file(text)

            # instance attributes: the sheet's row loop looks both up for every row
            self.ws._values_to_row = lambda row, index: row
            writer.write_row = write
        return self

    def __exit__(self, *exc: object) -> None:
        if self.on:
            del self.ws._values_to_row
            del self.ws._writer.write_row

    def row(self, values: Sequence[Value], formats: Sequence[str | None]) -> Sequence[Any]:
        """What to append for one row of values."""
        return (values, formats) if self.on else self.cells.row(values, formats)

    def _style(self, name: str) -> str:
        if name not in self.style_ids:
            probe = WriteOnlyCell(self.ws)
            probe.style = name
            self.style_ids[name] = probe.style_id
        return f' s="{self.style_ids[name]}"'

    def _xml(
        self, values: Sequence[Value], formats: Sequence[str | None], index: int
    ) -> str | None:
        parts = [f'<row r="{index}">']
        wrap_columns = self.cells.wrap_columns
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True)):
            if value is None:
                continue
            ref = f"{get_column_letter(column + 1)}{index}"
            if isinstance(value, str):
                if number_format is not None or _quoted(value):
                    return None  # a styled or quote-prefixed text cell: openpyxl writes it
                text = cell_text(value)
                style = self._style(WRAPPED_STYLE) if column in wrap_columns else ""
                if not text:
                    parts.append(f'<c r="{ref}"{style} t="inlineStr"/>')
                    continue
                stripped = text.strip()
                space = ' xml:space="preserve"' if stripped and stripped != text else ""
                parts.append(
                    f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                if not math.isfinite(value):
                    return None
                style = "" if number_format is None else self._style(STYLE_NAMES[number_format])
                parts.append(f'<c r="{ref}"{style} t="n"><v>{value:.16g}</v></c>')
            elif number_format is not None and is_date_format(number_format):
                serial: float = to_excel(value, self.epoch)  # type: ignore[no-untyped-call]
                style = self._style(STYLE_NAMES[number_format])
                parts.append(f'<c r="{ref}"{style} t="n"><v>{serial:.16g}</v></c>')
            else:
                return None
        parts.append("</row>")
        return "".join(parts)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these could be taken for a formula by a spreadsheet program."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[\ufffe\uffff]")
"""Characters XML 1.0 does not allow that openpyxl's ILLEGAL_CHARACTERS_RE lets through
(a plan file can hold them as a YAML escape, ``"\\uffff"``)."""


def _quoted(text: str) -> bool:
    """Whether ``text`` is written with a quote prefix: it could be taken for a formula, or
    has blanks around it."""
    return text != text.strip() or text.startswith(FORMULA_START)


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


def _shown_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return len(f"{value:,}")
    return max(len(line) for line in str(value).split("\n"))
