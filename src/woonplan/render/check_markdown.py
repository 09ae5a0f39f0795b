"""``woonplan check --format markdown``: a compact report for a job summary or a PR comment.

GitHub-flavoured Markdown, written to be appended to ``$GITHUB_STEP_SUMMARY`` or posted as a
pull-request comment: a summary line and a table of counts, one table row per plan (most urgent
first: invalid, fail, warn, pass, not reviewed; otherwise in file order), then per plan that is
invalid, fails, warns or has data warnings what is wrong and why. No emoji: verdicts are words.

Everything that comes from a file is escaped (see :mod:`woonplan.render.markdown`).
"""

from __future__ import annotations

from woonplan import numbers
from woonplan.checking.run import CheckReport, PlanReport
from woonplan.i18n import N_, _, ngettext, title
from woonplan.render import Style
from woonplan.render.labels import COUNTS, STATUSES, Labels, criteria_source, zero_score_reason
from woonplan.render.markdown import code, table_lines, text

VERDICT_WORD = Labels(
    {
        "invalid": N_("Invalid"),
        "fail": N_("Fail"),
        "warn": N_("Warn"),
        "pass": N_("Pass"),
        "not_reviewed": N_("Not reviewed"),
    }
)
ORDER = tuple(VERDICT_WORD)
"""Most urgent first: the order of the plans table and of the details."""

COUNT_COLUMNS = ("plans", "pass", "warn", "fail", "not_reviewed", "invalid")


def render(report: CheckReport, style: Style) -> str:
    """The report as GitHub-flavoured Markdown."""
    counts = report.summary()
    plans = sorted(report.plans, key=lambda p: ORDER.index(p.verdict))
    out = [f"### woonplan check: {_headline(counts)}", ""]
    out += table_lines(
        [COUNTS[name].capitalize() for name in COUNT_COLUMNS],
        [[str(counts[name]) for name in COUNT_COLUMNS]],
        right=set(range(len(COUNT_COLUMNS))),
    )
    if plans:
        out += [""]
        out += table_lines(
            [_("Verdict"), _("Plan"), _("Municipality"), _("Homes"), _("Score")],
            [_row(p) for p in plans],
            right={3, 4},
        )
    details = [
        p for p in plans if p.verdict in ("invalid", "fail", "warn") or p.warnings or _waivers(p)
    ]
    if details:
        out += ["", "#### " + _("What fails and why"), ""]
        for plan in details:
            out += _details(plan)
    out += [
        "",
        "<sub>"
        + _(
            "As of {year} · criteria: {source} · a plan fails when a required criterion fails."
        ).format(year=report.as_of, source=text(criteria_source(report.criteria.source)))
        + "</sub>",
    ]
    return "\n".join(out) + "\n"


def _headline(counts: dict[str, int]) -> str:
    return headline(counts)


def headline(counts: dict[str, int]) -> str:
    """``20 plans — 2 pass, 12 warn, 2 fail, 4 not reviewed, 0 invalid``."""
    plans = ngettext("plan", "plans", counts["plans"])
    return _(
        "{plans} {noun} — {passed} pass, {warned} warn, {failed} fail, "
        "{not_reviewed} not reviewed, {invalid} invalid"
    ).format(
        plans=counts["plans"],
        noun=plans,
        passed=counts["pass"],
        warned=counts["warn"],
        failed=counts["fail"],
        not_reviewed=counts["not_reviewed"],
        invalid=counts["invalid"],
    )


def _row(report: PlanReport) -> list[str]:
    word = VERDICT_WORD[report.verdict]
    verdict = f"**{word}**" if report.verdict in ("invalid", "fail") else word
    plan = report.plan if report.valid else None
    ident = code(report.plan_id, in_table=True) if report.plan_id else ""
    if plan is None:
        where = code(report.file, in_table=True)
        ident = f"{ident} ({where})" if ident else where
    score = report.result.score if plan is not None and report.result else None
    return [
        verdict,
        ident,
        text(plan.municipality) if plan else "",
        numbers.integer(plan.total_homes) if plan else "",
        numbers.plain(score, 1) if score is not None else "—",
    ]


def _waivers(report: PlanReport) -> bool:
    """True when a criterion of the plan is waived: the table shows why, and so does this."""
    result = report.result
    return bool(result and report.valid and any(i.status == "waived" for i in result.criteria))


def _details(report: PlanReport) -> list[str]:
    name = code(report.plan_id) if report.plan_id and report.valid else code(report.file)
    head = f"**{VERDICT_WORD[report.verdict]}** {name}"
    if report.valid:
        head += f" ({code(report.file)})"
    lines = [f"- {head}"]
    if not report.valid:
        lines += [f"  - {code(str(e))}" for e in report.errors]
        return lines
    why_warn = zero_score_reason(report)
    if why_warn:
        lines.append(f"  - {text(why_warn)}")
    if report.result is not None:
        for item in report.result.criteria:
            if item.status not in ("fail", "warn", "error", "waived"):
                continue
            spec = item.criterion.spec
            required = _(", required") if spec.required else ""
            status = STATUSES[item.status]
            heading = text(title(spec.title))
            lines.append(f"  - {heading} ({status}{required}): {text(item.message)}")
    lines += [
        "  - " + _("warning: {warning}").format(warning=code(str(w))) for w in report.warnings
    ]
    return lines
