"""``woonplan progress --xlsx``: the regional workbook for the governance meeting
(bestuurlijk overleg).

Sheets: Summary, Plans, Municipalities, Years (with a chart), Checks, Obstacles, Policy tests.
Every figure comes from :func:`woonplan.progress.contract.as_dict`, so the workbook and the
JSON output cannot disagree. Text from plan files is always written as text, never as a formula.

The workbook is written in openpyxl's write-only mode: rows stream to the file as they are
appended, with no cell objects kept, and a number format is a named style shared by a whole
column (one styled cell per column, its value replaced row by row). Each sheet is one function
that appends its rows; everything about a sheet's layout (widths, frozen panes, print set-up)
is set before its first row, as write-only mode requires.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import BinaryIO

from openpyxl import Workbook

from woonplan.checking.models import PriceLimits, Region
from woonplan.checking.run import PlanReport, Slim
from woonplan.checking.scoring import PlanResult
from woonplan.excel.cells import cell_text
from woonplan.excel.columns import plan_columns
from woonplan.excel.figure_sheets import municipalities, policy_tests, summary, years
from woonplan.excel.plan_sheets import checks, obstacles, plans
from woonplan.excel.styles import add_styles
from woonplan.i18n import N_, _
from woonplan.progress.contract import as_dict
from woonplan.progress.contributions import contribution
from woonplan.progress.region import RegionProgress

SHEETS = {
    "summary": N_("Summary"),
    "plans": N_("Plans"),
    "municipalities": N_("Municipalities"),
    "years": N_("Years"),
    "checks": N_("Checks"),
    "obstacles": N_("Obstacles"),
}
"""The sheets, named in the run's language (``woonplan import`` reads Plans and Plannen)."""


def workbook_keeper(region: Region) -> Slim:
    """What ``progress --xlsx`` keeps of each plan's report, where it is checked (in the
    worker processes): its result, for the Plans and Checks sheets, and its part of the
    figures made there too (not one by one in the parent); not its warnings and findings,
    which neither the workbook nor ``progress`` shows."""
    period = (region.period.start, region.period.end)
    return partial(_keep_for_workbook, limits=region.price_limits, period=period)


def _keep_for_workbook(
    report: PlanReport, limits: Mapping[int, PriceLimits] | None, period: tuple[int, int]
) -> PlanReport:
    if not report.valid or report.result is None:
        return report
    kept = contribution(report.result, limits, period)
    return replace(report, warnings=(), findings=(), kept=kept)


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
    # escaped as every cell's text: a control character or U+FFFE in the region's name would
    # make docProps/core.xml no XML, a workbook nothing can open
    workbook.properties.title = cell_text(
        _("Housing progress {region}").format(region=figures["region"])
    )
    add_styles(workbook)
    summary(workbook.create_sheet(_(SHEETS["summary"])), progress, figures)
    plans(workbook.create_sheet(_(SHEETS["plans"])), progress, results)
    municipalities(workbook.create_sheet(_(SHEETS["municipalities"])), figures)
    years(workbook.create_sheet(_(SHEETS["years"])), progress, figures)
    checks(workbook.create_sheet(_(SHEETS["checks"])), results)
    obstacles(workbook.create_sheet(_(SHEETS["obstacles"])), figures, results)
    policy_tests(workbook.create_sheet(_("Policy tests")), progress, figures)
    return workbook
