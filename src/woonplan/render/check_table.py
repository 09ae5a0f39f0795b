"""``woonplan check --format table``: per plan its verdict, score and each criterion in words."""

from __future__ import annotations

from dataclasses import replace

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from woonplan import numbers
from woonplan.checking.run import CheckReport, PlanReport
from woonplan.i18n import N_, _, ngettext, title
from woonplan.render import Style
from woonplan.render.console import STATUS_STYLE, VERDICT_LABEL, VERDICT_STYLE, to_text
from woonplan.render.labels import COUNTS, PHASE_WORDS, STATUSES
from woonplan.text import shown


def render(report: CheckReport, style: Style) -> str:
    """The report as a readable screen."""
    # Problems are one line each, never wrapped or cropped: editors and CI jump to
    # `file:line:col`, so they are rendered without a width limit.
    unlimited = replace(style, width=1_000_000)
    chunks: list[str] = []
    for plan in report.plans:
        body, problems = _plan(plan, report.criteria.region.review_threshold)
        chunks += [to_text([body], style), to_text(problems, unlimited), "\n"]
    chunks.append(to_text([_summary(report)], style))
    return "".join(chunks)


def _plan(report: PlanReport, threshold: int) -> tuple[RenderableType, list[RenderableType]]:
    verdict = report.verdict
    head = Text()
    head.append(f"{VERDICT_LABEL[verdict]:<5}", style=VERDICT_STYLE[verdict])
    # Text from files (ids, names, file names, messages) is shown escaped: one line each.
    head.append(shown(report.plan_id or report.file), style="bold")
    if report.result and report.valid and report.result.score is not None:
        score = numbers.plain(report.result.score, 1)
        head.append("  " + _("score {score}").format(score=score), style="bold")
    head.append(f"  {shown(report.file)}", style="dim")
    lines: list[RenderableType] = [head]
    why_warn = zero_score_reason(report)
    if why_warn:
        lines.append(Text(f"{'':5}{why_warn}", style="yellow"))
    plan = report.plan
    if plan is not None and report.valid:
        lines.append(
            Text(
                f"{'':5}{shown(plan.name)} · {shown(plan.municipality)} · "
                f"{_homes(plan.total_homes)} · "
                f"{PHASE_WORDS[plan.phase]}",
                style="dim",
            )
        )
    if not report.valid:
        return Group(*lines), [Text(f"{'':5}{e}", style="red") for e in report.errors]
    result = report.result
    if result is not None and result.verdict != "not_reviewed":
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
        table.add_column(width=4)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for item in result.criteria:
            if item.status == "n/a":
                continue
            spec = item.criterion.spec
            table.add_row(
                "",
                Text(STATUSES[item.status], style=STATUS_STYLE[item.status]),
                # Text, not str: rich would read "[...]" in a plain string as markup
                Text(shown(title(spec.title)) + (" *" if spec.required else "")),
                Text(shown(item.message)),
            )
        lines.append(table)
    elif result is not None:
        why = (
            _("under the review threshold of {threshold} homes").format(
                threshold=numbers.integer(threshold)
            )
            if result.plan.total_homes < threshold
            else _("no criterion applies to this plan")
        )
        lines.append(Text(f"{'':5}" + _("{why}: not scored").format(why=why), style="dim"))
    warnings = [
        Text(f"{'':5}" + _("warning: {warning}").format(warning=w), style="yellow")
        for w in report.warnings
    ]
    return Group(*lines), list(warnings)


def _homes(count: int) -> str:
    return ngettext("{count} home", "{count} homes", count).format(count=numbers.integer(count))


def _summary(report: CheckReport) -> RenderableType:
    counts = report.summary()
    table = Table(box=box.SIMPLE_HEAD, title=None, show_edge=False)
    for name in ("plans", "pass", "warn", "fail", "not_reviewed", "invalid"):
        table.add_column(COUNTS[name], justify="right")
    table.add_row(
        *(str(counts[n]) for n in ("plans", "pass", "warn", "fail", "not_reviewed", "invalid"))
    )
    note = Text(
        _("* required criterion · as of {year} · criteria: {source}").format(
            year=report.as_of, source=report.criteria.source
        ),
        style="dim",
    )
    return Group(table, note, Text(_(REQUIRED_NOTE), style="dim"))


REQUIRED_NOTE = N_("Only a required (*) criterion can fail a plan; the others can only warn.")
"""Said under every check summary; translated where it is shown."""


def zero_score_reason(report: PlanReport) -> str | None:
    """Why a plan that scores 0.0 is ``warn``, not ``fail`` (a reader expects a fail)."""
    result = report.result
    if result is None or not report.valid or result.score != 0.0 or result.verdict != "warn":
        return None
    return _("score 0.0 but warn: no required (*) criterion fails, and only those can fail a plan")
