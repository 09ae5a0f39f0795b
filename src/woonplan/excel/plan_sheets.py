"""The sheets with a row per plan or per check: Plans, Checks and Obstacles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, get_args

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from woonplan.checking.models import PHASES, ObstacleCategory
from woonplan.checking.scoring import PlanResult
from woonplan.excel.columns import Value, column_label, plan_columns, plan_row
from woonplan.excel.styles import DATE, SCORE, SHARE, WHOLE, Sheet
from woonplan.excel.table import table
from woonplan.i18n import N_, _, pgettext, title
from woonplan.progress.obstacles import OBSTACLE_PHASES_DONE
from woonplan.progress.region import RegionProgress
from woonplan.render import labels

VERDICTS = labels.Labels(
    {
        "pass": N_("pass"),
        "warn": N_("warn"),
        "fail": N_("fail"),
        "not_reviewed": N_("not_reviewed"),
    }
)
"""A plan's verdict in a cell: the JSON word in English (``not_reviewed``), a word in Dutch."""
VALIDATED_ROWS = 5_000
"""Drop-down lists on the Plans sheet reach this row at least, for plans added by hand."""


def plans(ws: Sheet, progress: RegionProgress, results: Sequence[PlanResult]) -> None:
    period = progress.region.period
    headers = plan_columns([r.plan for r in results], period.start, period.end)
    rows = []
    for result in results:
        values = plan_row(result.plan, result.score, result.verdict)
        values["verdict"] = VERDICTS[result.verdict]  # for readers; import ignores it
        rows.append([values.get(column) for column in headers])
    formats = [[_plan_format(h) for h in headers]] * len(rows)
    table(
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


def checks(ws: Sheet, results: Sequence[PlanResult]) -> None:
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
    # what a criterion shows is the same in every plan's rows: worked out once per criterion
    shown: dict[int, tuple[list[Value], list[str | None]]] = {}
    statuses: dict[str, str] = {}
    for result in results:
        for item in result.criteria:
            spec = item.criterion.spec
            known = shown.get(id(spec))
            if known is None:
                value_format = _value_format(spec.metric or "")
                known = shown[id(spec)] = (
                    [spec.id, title(spec.title), spec.target, spec.limit, _(BETTER[spec.better])],
                    [None] * 4 + [value_format] * 3 + [None, "0.00", None, "0", None, DATE, None],
                )
            (spec_id, spec_title, target, limit, better), row_formats = known
            status = statuses.get(item.status)
            if status is None:
                status = statuses[item.status] = labels.STATUSES[item.status]
            waiver = item.exemption if item.status == "waived" else None
            rows.append(
                [
                    result.plan.id,
                    spec_id,
                    spec_title,
                    status,
                    item.value,
                    target,
                    limit,
                    better,
                    item.score,
                    spec.required,
                    spec.weight,
                    waiver.reason if waiver else None,
                    waiver.decided if waiver else None,
                    item.message,
                ]
            )
            formats.append(row_formats)
    table(ws, headers, rows, formats)


BETTER = {"higher": N_("higher"), "lower": N_("lower")}


def _value_format(metric: str) -> str:
    if metric.endswith("_share"):
        return SHARE
    if metric.endswith("_m") or metric.endswith("_homes"):
        return WHOLE
    return "0.00"


def obstacles(ws: Sheet, figures: dict[str, Any], results: Sequence[PlanResult]) -> None:
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
    table(ws, headers, rows, [fmt] * len(rows))
