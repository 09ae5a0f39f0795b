"""A sheet's table: column keys, headers in words, data rows, layout and print set-up."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from woonplan.excel.cells import Cells, shown_length
from woonplan.excel.columns import Value
from woonplan.excel.rows import RowWriter, usable
from woonplan.excel.styles import HEADER_STYLE, KEY_STYLE, VERDICT_STYLES, Sheet
from woonplan.i18n import _

LANDSCAPE_WIDTH = 110
PAPERSIZE_A4 = "9"
"""A sheet whose columns are wider than this (in characters) is printed landscape."""


def table(
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
    warning: str | None = None,
) -> None:
    """A table: the column keys in row 1, the headers in words in row 2, rows from row 3.

    Row 2 is bold, stays in view (frozen panes) and on every printed page, with an autofilter;
    row 1 (the JSON keys, which ``import`` reads on the Plans sheet) is hidden unless
    ``keys_shown``. Number formats are named styles; widths fit the content unless
    ``widths`` fixes them; ``below`` are more rows after one blank row, outside the filter.
    Printed fit to the page's width, landscape when the columns are wide. The data rows are
    written as XML text (:mod:`woonplan.excel.rows`), measured for the widths on the way.

    A ``warning`` is a row above it all, bold on red across the table's columns, in view and on
    every printed page: the table then starts one row lower (keys in row 2, headers in row 3,
    rows from row 4; ``freeze`` names the first row that scrolls).
    """
    top = 2 if warning is not None else 1  # the row of the column keys
    wrap_columns = {i for i, h in enumerate(headers) if h in wrap}
    cells = Cells(ws, wrap_columns)
    columns = range(len(headers))
    with contextlib.ExitStack() as stack:
        writer = None
        if usable():
            writer = stack.enter_context(RowWriter(ws, cells, len(headers)))
            writer.render(rows, formats, first=top + 2)
        if widths is None:
            if writer is not None:
                shown = writer.lengths()
            else:
                shown = [max((shown_length(r[i]) for r in rows), default=0) for i in columns]
            widths = {}
            for index, header in enumerate(headers):
                longest = max(len(header) + 3, shown[index])
                limit = 60 if index not in wrap_columns else 50
                widths[index + 1] = min(limit, max(10, longest + 2))
        _layout(ws, headers, len(rows), widths, words or _header_words, keys_shown, freeze, top)
        if warning is not None:
            ws.append(_warning_row(ws, cells, warning, len(headers)))
        ws.append([cells.text(header, KEY_STYLE) for header in headers])
        ws.append([cells.text((words or _header_words)(h), HEADER_STYLE) for h in headers])
        if writer is not None:
            writer.append_to(len(rows))
        else:
            for row, row_formats in zip(rows, formats, strict=True):
                ws.append(cells.row(row, row_formats))
    if below is not None:
        ws.append([])
        for row, row_formats in zip(*below, strict=True):
            ws.append(cells.row(row, row_formats))


def _layout(
    ws: Sheet,
    headers: Sequence[str],
    count: int,
    widths: dict[int, int],
    label: Callable[[str], str],
    keys_shown: bool,
    freeze: str,
    top: int = 1,
) -> None:
    """Column widths, frozen panes, filter, print set-up, the keys' row (``top``, 1 unless a
    warning stands above) hidden, the headers' row's height."""
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = freeze
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{top + 1}:{last}{count + top + 1}"
    _print_setup(ws, landscape=sum(widths.values()) > LANDSCAPE_WIDTH, titles=keys_shown, top=top)
    if not keys_shown:
        ws.row_dimensions[top].hidden = True
    ws.row_dimensions[top + 1].height = 15 * max(
        _header_lines(label(h), widths, i) for i, h in enumerate(headers, 1)
    )


def _warning_row(ws: Sheet, cells: Cells, warning: str, columns: int) -> list[Cell]:
    """``warning`` in bold in the first cell, every column of the row filled red (the text runs
    on over the empty cells beside it)."""
    first = cells.text(warning, VERDICT_STYLES["fail"])
    first.font = Font(bold=True, color="9C0006")  # Excel's dark red on its light red
    rest = []
    for _column in range(columns - 1):
        cell = WriteOnlyCell(ws)
        cell.style = VERDICT_STYLES["fail"]
        rest.append(cell)
    return [first, *rest]


def _header_lines(text: str, widths: dict[int, int], column: int) -> int:
    """Lines that ``text`` takes when wrapped in its column (roughly: characters / width)."""
    return min(4, -(-len(text) // max(1, widths.get(column, 10) - 2)))


def _print_setup(ws: Sheet, landscape: bool, titles: bool, top: int = 1) -> None:
    """A4, fit to the page's width (as many pages down as needed), header rows on every page
    (and a warning above them)."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    first = 1 if titles or top > 1 else top + 1
    ws.print_title_rows = f"{first}:{top + 1}"


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
