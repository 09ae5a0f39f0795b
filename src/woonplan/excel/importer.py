"""``woonplan import``: plan files from the Plans sheet of a workbook.

Every row is checked with the same models and rules as a plan file; errors name the sheet and
cell (``Plans!F7: homes.social_rent: must be >= 0 (got -4)``). Nothing is written unless every
row is valid. The layout is in :mod:`woonplan.excel.columns` and docs/excel.md.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Callable, Sequence
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
from woonplan.excel.columns import READ_ONLY, RowData, Value, is_known, known_examples, row_data
from woonplan.excel.plan_yaml import plan_yaml
from woonplan.output import OutputError, text_writer, write_all
from woonplan.problems import Problem, WoonplanError
from woonplan.reading.source import Document

SHEET = "Plans"
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000


class WorkbookError(WoonplanError):
    """A workbook that cannot be read at all; the message is one line."""


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
    rows = _read_rows(path)
    if not rows:
        raise WorkbookError(f"{path}: sheet {SHEET} is empty; see docs/excel.md for its layout")
    header, body = rows[0], rows[1:]
    columns, problems = _header(header)
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
    for offset, row in enumerate(body):
        number = offset + 2
        if all(_blank(value) for value, _ in row):
            continue
        before = len(problems)
        values: dict[str, Value] = {}
        formulas: set[str] = set()
        for index, (value, is_formula) in enumerate(row):
            name = columns[index] if index < len(columns) else None
            cell = f"{SHEET}!{get_column_letter(index + 1)}{number}"
            if index in unusable:
                continue
            if name is None:
                if not _blank(value):
                    problems.append(
                        Problem(
                            cell, 0, 0, "", "a value in a column without header", "headerless-value"
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
                        "is a formula; type the value itself (not imported)",
                        "formula",
                    )
                )
            else:
                values[name] = value
        data = row_data(values)
        letters = {name: get_column_letter(i + 1) for i, name in enumerate(columns) if name}
        place = _placer(data, letters, number)
        problems += [place(path, message, "invalid-value") for _, path, message in data.problems]
        # Cross-field rules on a row with unread cells would only repeat the same problem.
        plan, row_problems = _validate(data, criteria, rules=len(problems) == before)
        problems += [
            place(p.path, p.message, p.code)
            for p in row_problems
            # a formula cell is already reported; its field then missing is the same problem
            if not (p.message == "required, but missing" and _column_of(p.path) in formulas)
        ]
        if plan is not None and len(problems) == before:
            imported.append(ImportedPlan(plan, number, plan_yaml(plan, _source(path, number))))
        raw_id = data.data.get("id")
        if isinstance(raw_id, str) and raw_id:
            ids.setdefault(raw_id, []).append(number)
            id_cells[number] = place("id", "", "").file
    for plan_id, numbers in ids.items():
        for number in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(n) for n in numbers if n != number)
            message = f"id {plan_id!r} is also used in row {others}"
            problems.append(Problem(id_cells[number], 0, 0, "id", message, "duplicate-id"))
    if not imported and not problems:
        raise WorkbookError(f"{path}: sheet {SHEET} has no plan rows below its header")
    return ImportResult(tuple(imported), tuple(problems))


def write_plans(result: ImportResult, out: Path, overwrite: bool = False) -> list[Path]:
    """Write one plan file per imported plan into ``out`` (created if missing): all or none.

    Raises :class:`~woonplan.output.OutputError` before writing anything when ``out`` is not a
    folder, or when a file exists and ``overwrite`` is false.
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is not a folder")
    targets = [(out / f"{p.plan.id}.yaml", p) for p in result.plans]
    taken = [t for t, _ in targets if t.exists()]
    if taken and not overwrite:
        names = ", ".join(str(t) for t in taken)
        raise OutputError(f"{names}: already exist(s); use --overwrite (nothing written)")
    twins = [t.with_suffix(".yml") for t, _ in targets if t.with_suffix(".yml").exists()]
    if twins:
        names = ", ".join(str(t) for t in twins)
        raise OutputError(f"{names}: a plan file with the same id exists (nothing written)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder ({exc.strerror or exc})") from None
    # all or nothing, like the check that came before
    write_all([(target, text_writer(imported.text)) for target, imported in targets])
    return [t for t, _ in targets]


def _read_rows(path: Path) -> list[list[tuple[Any, bool]]]:
    """The Plans sheet's cells as (value, is_formula), row by row."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise WorkbookError(f"{path}: not a file")
        if size > MAX_WORKBOOK_BYTES:
            raise WorkbookError(f"{path}: the workbook is too large ({size:,} bytes; limit 50 MiB)")
        workbook = load_workbook(path, read_only=True, data_only=False)
    except WorkbookError:
        raise
    except FileNotFoundError:
        raise WorkbookError(f"{path}: no such file") from None
    except (InvalidFileException, zipfile.BadZipFile) as exc:
        raise WorkbookError(f"{path}: not an .xlsx workbook ({_one_line(exc)})") from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(f"{path}: cannot read the workbook ({_one_line(exc)})") from None
    try:
        if SHEET not in workbook.sheetnames:
            sheets = ", ".join(workbook.sheetnames)
            raise WorkbookError(f"{path}: no sheet named {SHEET!r} (sheets: {sheets})")
        sheet = workbook[SHEET]
        width = min(sheet.max_column or 1, MAX_COLUMNS)
        rows: list[list[tuple[Any, bool]]] = []
        for cells in sheet.iter_rows(max_col=width):
            if len(rows) > MAX_ROWS:
                raise WorkbookError(f"{path}: more than {MAX_ROWS:,} rows in sheet {SHEET}")
            rows.append([(c.value, c.data_type == "f") for c in cells])
        return rows
    except WorkbookError:
        raise
    except Exception as exc:
        raise WorkbookError(f"{path}: cannot read sheet {SHEET} ({_one_line(exc)})") from None
    finally:
        workbook.close()


def _header(cells: Sequence[tuple[Any, bool]]) -> tuple[list[str | None], list[Problem]]:
    columns: list[str | None] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (value, _) in enumerate(cells):
        cell = f"{SHEET}!{get_column_letter(index + 1)}1"
        name = value.strip() if isinstance(value, str) else value
        if _blank(name):
            columns.append(None)
            continue
        if not isinstance(name, str) or not is_known(name):
            match = difflib.get_close_matches(str(name), known_examples(), n=1, cutoff=0.6)
            hint = f" (did you mean {match[0]!r}?)" if match else "; see docs/excel.md"
            message = f"unknown column {name!r}{hint}"
            problems.append(Problem(cell, 0, 0, "", message, "unknown-column"))
        elif name in seen:
            message = f"column {name!r} appears twice"
            problems.append(Problem(cell, 0, 0, "", message, "duplicate-column"))
        seen.add(str(name))
        columns.append(str(name))
    return columns, problems


def _validate(data: RowData, criteria: Criteria, rules: bool) -> tuple[Plan | None, list[Problem]]:
    doc = Document(SHEET, data.data)
    plan, problems = validate_model(Plan, doc)
    if plan is None or not rules:
        return plan, problems
    # The file is named after the id, so the id always matches its file name.
    return plan, plan_problems(plan, doc, criteria.region, criteria.ids, plan.id)


def _placer(data: RowData, letters: dict[str, str], row: int) -> Callable[[str, str, str], Problem]:
    first = next(iter(letters.values()), "A")

    def place(path: str, message: str, code: str) -> Problem:
        column = data.column_for(path)
        letter = letters.get(column, first) if column else letters.get("id", first)
        return Problem(f"{SHEET}!{letter}{row}", 0, 0, path, message, code)

    return place


def _column_of(path: str) -> str:
    """The Plans column a simple field path is read from (``homes.social_rent``)."""
    return path.replace(".", "_")


def _source(path: Path, row: int) -> str:
    name = "".join(c if c.isprintable() else "?" for c in path.name)
    return f"Imported from {name}, sheet {SHEET}, row {row}, by woonplan import"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
