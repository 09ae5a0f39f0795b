"""``woonplan import``: plan files from the Plans sheet of a workbook.

Every row is checked with the same models and rules as a plan file; errors name the sheet and
cell (``Plans!F7: homes.social_rent: must be >= 0 (got -4)``). Nothing is written unless every
row is valid. The layout is in :mod:`woonplan.excel.columns` and docs/excel.md.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from woonplan.checking.criteria import Criteria
from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import Plan
from woonplan.checking.plan_rules import plan_problems
from woonplan.excel.bounded import WorkbookError as WorkbookError  # re-exported for the CLI
from woonplan.excel.bounded import check_archive, check_sheet
from woonplan.excel.columns import READ_ONLY, Value, is_known, is_words_row, known_examples
from woonplan.excel.plan_yaml import plan_yaml
from woonplan.excel.row_data import RowData, row_data
from woonplan.i18n import _, ngettext
from woonplan.numbers import integer
from woonplan.output import OutputError, text_writer, write_all
from woonplan.problems import Problem
from woonplan.reading.source import Document, parse_text
from woonplan.text import clip, did_you_mean, shown

SHEET = "Plans"
SHEETS = (SHEET, "Plannen")
"""The Plans sheet's names, English and Dutch (``progress --xlsx`` writes the run's language)."""
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 16_384
"""Excel's last column (XFD); a cell beyond it is an error, never silently left out."""

Row = dict[int, tuple[Any, bool]]
"""The cells of one row that hold something: column index (0-based) → (value, is_formula)."""

_CARRIAGE_RETURN = re.compile("_x000[dD]_")


@dataclass(frozen=True)
class ImportedPlan:
    """One valid row: its plan and the YAML text of its plan file."""

    plan: Plan
    row: int
    text: str


@dataclass(frozen=True)
class ImportResult:
    """Valid rows, and the problems of the invalid ones (with sheet and cell)."""

    plans: tuple[ImportedPlan, ...]
    problems: tuple[Problem, ...]


def read_plans(path: Path, criteria: Criteria) -> ImportResult:
    """Read and check every row of the workbook's Plans sheet; raises :class:`WorkbookError`."""
    sheet, rows = _read_rows(path)
    if not rows:
        raise WorkbookError(
            _("{path}: sheet {sheet} is empty; see docs/excel.md for its layout").format(
                path=path, sheet=sheet
            )
        )
    header, body = rows[0], rows[1:]
    columns, problems = _header(header, sheet)
    # Every problem at once, as `check` does for files: the rows are still read, without the
    # columns that could not be used (their values are not imported).
    unusable = {
        index
        for index, name in enumerate(columns)
        if name is not None and (not is_known(name) or columns.index(name) != index)
    }
    imported: list[ImportedPlan] = []
    ids: dict[str, list[int]] = {}
    id_cells: dict[int, str] = {}
    # the headers in words that ``progress --xlsx`` writes below the keys
    words = (
        bool(body)
        and all(index < len(columns) for index in body[0])
        and is_words_row([body[0].get(i, (None, False))[0] for i in range(len(columns))], columns)
    )
    for offset, row in enumerate(body):
        number = offset + 2
        if all(_blank(value) for value, _formula in row.values()) or (words and offset == 0):
            continue
        before = len(problems)
        values: dict[str, Value] = {}
        formulas: set[str] = set()
        for index, (value, is_formula) in row.items():
            name = columns[index] if index < len(columns) else None
            cell = f"{sheet}!{get_column_letter(index + 1)}{number}"
            if index in unusable:
                continue
            if name is None:
                if not _blank(value):
                    problems.append(
                        Problem(
                            cell,
                            0,
                            0,
                            "",
                            _("a value in a column without header"),
                            "headerless-value",
                        )
                    )
            elif name in READ_ONLY:
                continue
            elif is_formula:
                formulas.add(name)
                problems.append(
                    Problem(
                        cell,
                        0,
                        0,
                        name,
                        _("is a formula; type the value itself (not imported)"),
                        "formula",
                    )
                )
            else:
                values[name] = value
        data = row_data(values)
        letters = {name: get_column_letter(i + 1) for i, name in enumerate(columns) if name}
        place = _placer(data, letters, number, sheet)
        problems += [place(path, message, "invalid-value") for _, path, message in data.problems]
        # Cross-field rules on a row with unread cells would only repeat the same problem.
        plan, row_problems = _validate(data, criteria, rules=len(problems) == before, sheet=sheet)
        problems += [
            place(p.path, p.message, p.code)
            for p in row_problems
            # a formula cell is already reported; its field then missing is the same problem
            if not (p.code == "missing-key" and _column_of(p.path) in formulas)
        ]
        if plan is not None and len(problems) == before:
            text = plan_yaml(plan, _source(path, number, sheet))
            # Exactly check's rules: the file import writes is read back as check reads it
            # (numbers above 10^15, non-finite numbers, ...), so none is written that check
            # would refuse.
            again = parse_text(text, sheet)
            problems += [place(p.path, p.message, p.code) for p in again.problems]
            if not again.problems:
                imported.append(ImportedPlan(plan, number, text))
        raw_id = data.data.get("id")
        if isinstance(raw_id, str) and raw_id:
            ids.setdefault(raw_id, []).append(number)
            id_cells[number] = place("id", "", "").file
    for plan_id, numbers in ids.items():
        for number in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(n) for n in numbers if n != number)
            message = _("id {id} is also used in row {rows}").format(id=repr(plan_id), rows=others)
            problems.append(Problem(id_cells[number], 0, 0, "id", message, "duplicate-id"))
    if not imported and not problems:
        raise WorkbookError(
            _("{path}: sheet {sheet} has no plan rows below its header").format(
                path=path, sheet=sheet
            )
        )
    return ImportResult(tuple(imported), tuple(problems))


def write_plans(result: ImportResult, out: Path, overwrite: bool = False) -> list[Path]:
    """Write one plan file per imported plan into ``out`` (created if missing): all or none.

    Raises :class:`~woonplan.output.OutputError` before writing anything when ``out`` is not a
    folder, or when a file exists and ``overwrite`` is false.
    """
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(_("{path}: is not a folder").format(path=out))
        targets = [(out / f"{p.plan.id}.yaml", p) for p in result.plans]
        # lexists: a dangling link is a file that exists too (os.replace would replace it)
        taken = [t for t, _ in targets if os.path.lexists(t)]
        twins = [
            t.with_suffix(".yml") for t, _ in targets if os.path.lexists(t.with_suffix(".yml"))
        ]
    except OSError as exc:  # a folder name longer than the file system allows, EACCES
        reason = exc.strerror or exc
        raise OutputError(
            _("{out}: cannot write here ({reason})").format(out=out, reason=reason)
        ) from None
    if taken and not overwrite:
        names = ", ".join(str(t) for t in taken)
        raise OutputError(
            ngettext(
                "{names}: already exists; use --overwrite (nothing written)",
                "{names}: already exist; use --overwrite (nothing written)",
                len(taken),
            ).format(names=names)
        )
    if twins:
        names = ", ".join(str(t) for t in twins)
        raise OutputError(
            _("{names}: a plan file with the same id exists (nothing written)").format(names=names)
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot create the folder ({reason})").format(
                path=out, reason=exc.strerror or exc
            )
        ) from None
    # all or nothing, like the check that came before
    write_all([(target, text_writer(imported.text)) for target, imported in targets])
    return [t for t, _ in targets]


def _read_rows(path: Path) -> tuple[str, list[Row]]:
    """The Plans sheet's name, and its cells as (value, is_formula), row by row."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise WorkbookError(_("{path}: not a file").format(path=path))
        if size > MAX_WORKBOOK_BYTES:
            raise WorkbookError(
                _("{path}: the workbook is too large ({size} bytes; limit 50 MiB)").format(
                    path=path, size=integer(size)
                )
            )
        check_archive(path)  # part sizes and shared strings, before openpyxl reads any
        workbook = load_workbook(path, read_only=True, data_only=False)
    except WorkbookError as exc:
        raise _named(path, exc) from None
    except FileNotFoundError:
        raise WorkbookError(_("{path}: no such file").format(path=path)) from None
    except (InvalidFileException, zipfile.BadZipFile) as exc:
        raise WorkbookError(
            _("{path}: not an .xlsx workbook ({reason})").format(path=path, reason=_one_line(exc))
        ) from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(
            _("{path}: cannot read the workbook ({reason})").format(
                path=path, reason=_one_line(exc)
            )
        ) from None
    name = SHEET
    try:
        present = [n for n in SHEETS if n in workbook.sheetnames]
        name = present[0] if present else SHEET
        if not present:
            sheets = ", ".join(shown(n) for n in workbook.sheetnames)
            raise WorkbookError(
                _("{path}: no sheet named {sheet} (sheets: {sheets})").format(
                    path=path, sheet=repr(SHEET), sheets=sheets
                )
            )
        # Only the sheet a reviewer sees in Excel is read: never one of two, never a hidden one
        if len(present) > 1:
            raise WorkbookError(
                _(
                    "{path}: has both a sheet {first} and a sheet {second}; keep the one with "
                    "the plans to import"
                ).format(path=path, first=repr(present[0]), second=repr(present[1]))
            )
        sheet = workbook[name]
        if sheet.sheet_state != "visible":
            raise WorkbookError(
                _(
                    "{path}: sheet {sheet} is hidden; unhide it in Excel, check its plans and "
                    "import again"
                ).format(path=path, sheet=repr(name))
            )
        # The sheet's own <dimension> is not believed (it is optional in OOXML and may be
        # smaller than the data; streaming writers omit it): its extent is measured and
        # bounded (rows, columns, rows × columns: excel/bounded.py), and every cell within it
        # is read.
        extent = check_sheet(path, getattr(sheet, "_worksheet_path", ""), MAX_ROWS, MAX_COLUMNS)
        if not extent.rows:
            return name, []
        sheet.reset_dimensions()
        rows: list[Row] = []
        for cells in sheet.iter_rows(max_row=extent.rows):
            if len(rows) > MAX_ROWS:
                raise WorkbookError(
                    _("{path}: more than {count} rows in sheet {sheet}").format(
                        path=path, count=integer(MAX_ROWS), sheet=name
                    )
                )
            if len(cells) > MAX_COLUMNS:
                raise WorkbookError(
                    _(
                        "{path}: row {row} of sheet {sheet} has a cell beyond column XFD, "
                        "Excel's last"
                    ).format(path=path, row=len(rows) + 1, sheet=name)
                )
            rows.append(
                {
                    i: (_cell_value(c.value), c.data_type == "f")
                    for i, c in enumerate(cells)
                    if c.value is not None
                }
            )
        return name, rows
    except WorkbookError as exc:
        raise _named(path, exc) from None
    except Exception as exc:
        raise WorkbookError(
            _("{path}: cannot read sheet {sheet} ({reason})").format(
                path=path, sheet=name, reason=_one_line(exc)
            )
        ) from None
    finally:
        workbook.close()


def _cell_value(value: Any) -> Any:
    """A carriage return is stored as ``_x000D_`` (Excel, and woonplan's export)."""
    if isinstance(value, str) and "_x000" in value:
        return _CARRIAGE_RETURN.sub("\r", value)
    return value


def _header(cells: Row, sheet: str = SHEET) -> tuple[list[str | None], list[Problem]]:
    columns: list[str | None] = [None] * (max(cells, default=-1) + 1)
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (value, _formula) in cells.items():
        cell = f"{sheet}!{get_column_letter(index + 1)}1"
        name = value.strip() if isinstance(value, str) else value
        if _blank(name):
            continue
        if not isinstance(name, str) or not is_known(name):
            hint = did_you_mean(str(name), known_examples()) or _("; see docs/excel.md")
            message = _("unknown column {name}").format(name=repr(clip(name, 60))) + hint
            problems.append(Problem(cell, 0, 0, "", message, "unknown-column"))
        elif name in seen:
            message = _("column {name} appears twice").format(name=repr(name))
            problems.append(Problem(cell, 0, 0, "", message, "duplicate-column"))
        seen.add(str(name))
        columns[index] = str(name)
    return columns, problems


def _validate(
    data: RowData, criteria: Criteria, rules: bool, sheet: str = SHEET
) -> tuple[Plan | None, list[Problem]]:
    doc = Document(sheet, data.data)
    plan, problems = validate_model(Plan, doc)
    if plan is None or not rules:
        return plan, problems
    # The file is named after the id, so the id always matches its file name.
    return plan, plan_problems(plan, doc, criteria.region, criteria.ids, plan.id)


def _placer(
    data: RowData, letters: dict[str, str], row: int, sheet: str = SHEET
) -> Callable[[str, str, str], Problem]:
    first = next(iter(letters.values()), "A")

    def place(path: str, message: str, code: str) -> Problem:
        column = data.column_for(path)
        letter = letters.get(column, first) if column else letters.get("id", first)
        return Problem(f"{sheet}!{letter}{row}", 0, 0, path, message, code)

    return place


def _column_of(path: str) -> str:
    """The Plans column a simple field path is read from (``homes.social_rent``)."""
    return path.replace(".", "_")


def _source(path: Path, row: int, sheet: str = SHEET) -> str:
    name = "".join(c if c.isprintable() else "?" for c in path.name)
    return _("Imported from {name}, sheet {sheet}, row {row}, by woonplan import").format(
        name=name, sheet=sheet, row=row
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _named(path: Path, exc: WorkbookError) -> WorkbookError:
    """The error with the workbook's name in front, once."""
    text = str(exc)
    return exc if text.startswith(f"{path}: ") else WorkbookError(f"{path}: {text}")


def _one_line(exc: Exception) -> str:
    return clip(exc) or type(exc).__name__
