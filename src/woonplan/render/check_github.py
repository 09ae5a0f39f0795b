"""``woonplan check --format github``: GitHub Actions workflow commands, one line per problem.

GitHub turns each ``::error file=F,line=L,col=C,title=T::message`` line that a step prints into
an annotation on that line of the pull request's diff. What becomes what:

- ``::error``: every error of an invalid file, and every required criterion that fails or
  cannot be computed (the plan's verdict is ``fail``), placed at the figure behind the criterion
  (``homes.social_rent``);
- ``::warning``: criteria that warn, fail or cannot be computed without being required, and
  data warnings (overdue delivery, ...).

Text from files (names, titles, messages, file names) is first shown escaped on one line
(:func:`woonplan.problems.shown`), so a newline or ESC in a plan never reaches the log as itself.

Values are escaped exactly as GitHub's own toolkit (``@actions/core``) does, so no message can
end a command early or inject another one. Problems without a line (a file that cannot be read)
carry no ``line``/``col``. A plain summary line closes the output; exit codes are the command's.
"""

from __future__ import annotations

import os

from woonplan.checking.run import CheckReport, PlanReport
from woonplan.problems import Problem
from woonplan.render import Style
from woonplan.text import shown


def render(report: CheckReport, style: Style) -> str:
    """The report as workflow commands plus a summary line."""
    lines: list[str] = []
    for plan in report.plans:
        lines.extend(_plan(plan))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: CheckReport) -> str:
    """``woonplan: 20 plans — 2 pass, 12 warn, 2 fail, 4 not reviewed, 0 invalid``."""
    c = report.summary()
    plans = "plan" if c["plans"] == 1 else "plans"
    return (
        f"woonplan: {c['plans']} {plans} — {c['pass']} pass, {c['warn']} warn, "
        f"{c['fail']} fail, {c['not_reviewed']} not reviewed, {c['invalid']} invalid"
    )


def _plan(plan: PlanReport) -> list[str]:
    name = shown(plan.plan_id or os.path.basename(plan.file))
    if not plan.valid:
        title = f"woonplan: {name} is not a valid plan"
        return [command("error", problem, title, _text(problem)) for problem in plan.errors]
    lines = []
    results = {c.criterion.spec.id: c for c in plan.result.criteria} if plan.result else {}
    for finding in plan.findings:  # a finding's code is its criterion's id
        item = results[finding.code]
        spec = item.criterion.spec
        if item.status == "fail" and spec.required:
            title = f"woonplan: {name} fails {shown(spec.title)}"
        elif item.status == "error":
            title = f"woonplan: {name}: {shown(spec.title)} cannot be computed"
        else:
            title = f"woonplan: {name} {item.status}s on {shown(spec.title)}"
        lines.append(command(finding.level, finding, title, shown(finding.message)))
    title = f"woonplan: {name} data warning"
    lines.extend(command("warning", w, title, _text(w)) for w in plan.warnings)
    return lines


def _text(problem: Problem) -> str:
    message = shown(problem.message)
    return f"{shown(problem.path)}: {message}" if problem.path else message


def command(kind: str, problem: Problem, title: str, message: str) -> str:
    """One workflow command at ``problem``'s place; line and column only where known."""
    props = {"file": shown(problem.file).replace(os.sep, "/")}
    if problem.line > 0:
        props["line"] = str(problem.line)
        if problem.column > 0:
            props["col"] = str(problem.column)
    props["title"] = title
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    return f"::{kind} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message as ``@actions/core`` ``escapeData`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value as ``@actions/core`` ``escapeProperty`` does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
