"""``woonplan check --format markdown``: a compact report for a job summary or a PR comment.

GitHub-flavoured Markdown, written to be appended to ``$GITHUB_STEP_SUMMARY`` or posted as a
pull-request comment: a summary line and a table of counts, one table row per plan (most urgent
first: invalid, fail, warn, pass, not reviewed; otherwise in file order), then per plan that is
invalid, fails, warns or has data warnings what is wrong and why. No emoji: verdicts are words.

Everything that comes from a file is escaped (see :mod:`woonplan.render.markdown`).
"""

from __future__ import annotations

from woonplan.checking.run import CheckReport, PlanReport
from woonplan.render import Style
from woonplan.render.markdown import code, table_lines, text

VERDICT_WORD = {
    "invalid": "Invalid",
    "fail": "Fail",
    "warn": "Warn",
    "pass": "Pass",
    "not_reviewed": "Not reviewed",
}
ORDER = tuple(VERDICT_WORD)
"""Most urgent first: the order of the plans table and of the details."""

COUNT_COLUMNS = ("plans", "pass", "warn", "fail", "not_reviewed", "invalid")


def render(report: CheckReport, style: Style) -> str:
    """The report as GitHub-flavoured Markdown."""
    counts = report.summary()
    plans = sorted(report.plans, key=lambda p: ORDER.index(p.verdict))
    out = [f"### woonplan check: {_headline(counts)}", ""]
    out += table_lines(
        [name.replace("_", " ").capitalize() for name in COUNT_COLUMNS],
        [[str(counts[name]) for name in COUNT_COLUMNS]],
        right=set(range(len(COUNT_COLUMNS))),
    )
    if plans:
        out += [""]
        out += table_lines(
            ["Verdict", "Plan", "Municipality", "Homes", "Score"],
            [_row(p) for p in plans],
            right={3, 4},
        )
    details = [
        p for p in plans if p.verdict in ("invalid", "fail", "warn") or p.warnings or _waivers(p)
    ]
    if details:
        out += ["", "#### What fails and why", ""]
        for plan in details:
            out += _details(plan)
    out += [
        "",
        f"<sub>As of {report.as_of} · criteria: {text(report.criteria.source)} · "
        "a plan fails when a required criterion fails.</sub>",
    ]
    return "\n".join(out) + "\n"


def _headline(counts: dict[str, int]) -> str:
    plans = "plan" if counts["plans"] == 1 else "plans"
    return (
        f"{counts['plans']} {plans} — {counts['pass']} pass, {counts['warn']} warn, "
        f"{counts['fail']} fail, {counts['not_reviewed']} not reviewed, "
        f"{counts['invalid']} invalid"
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
        f"{plan.total_homes:,}" if plan else "",
        f"{score:.1f}" if score is not None else "—",
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
    if report.result is not None:
        for item in report.result.criteria:
            if item.status not in ("fail", "warn", "error", "waived"):
                continue
            spec = item.criterion.spec
            required = ", required" if spec.required else ""
            lines.append(f"  - {text(spec.title)} ({item.status}{required}): {text(item.message)}")
    lines += [f"  - warning: {code(str(w))}" for w in report.warnings]
    return lines
