"""The check table lays out its lines itself (for speed); they must be the lines rich lays out.

The reference below is the renderer as it was before (issue 17): every plan a rich ``Group`` of
``Text`` lines and a ``Table`` of criteria, printed by a rich ``Console``, with the message
column folding long words instead of cutting them with "…". The fast renderer must give the
same text, with and without colour, at every width from the narrowest the CLI uses (60).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLES, PLANS, ROOT
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.text import Text

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import CheckReport, PlanReport, check_paths
from woonplan.render import Style
from woonplan.render.check_table import (
    GLUE,
    _summary,
    glued,
    render,
    rich_criteria,
)
from woonplan.render.console import VERDICT_LABEL, VERDICT_STYLE, to_text
from woonplan.render.labels import zero_score_reason
from woonplan.text import shown

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate

WIDTHS = (60, 61, 72, 80, 100, 120, 200)
ODD_NAMES = {
    "tab": '"Tab\\there and a bell\\a"',
    "wide": '"' + " ".join(["見本の計画"] * 9) + '"',
    "break": '"two\\nlines, the second long enough to wrap at a hundred columns, and more"',
    "long": '"x' + "y" * 150 + '"',
}


def _reference_plan(
    report: PlanReport, threshold: int, width: int
) -> tuple[RenderableType, list[Text]]:
    verdict = report.verdict
    head = Text()
    head.append(f"{VERDICT_LABEL[verdict]:<5}", style=VERDICT_STYLE[verdict])
    head.append(shown(report.plan_id or report.file), style="bold")
    if report.result and report.valid and report.result.score is not None:
        head.append(f"  score {report.result.score:.1f}", style="bold")
    path = f"  {shown(report.file)}"
    lines: list[RenderableType] = []
    if cell_len(head.plain + path) <= width:
        head.append(path, style="dim")
        lines.append(head)
    else:  # the file on a line of its own, indented
        lines += [head, *_indented(path.strip(), "dim", width)]
    why_warn = zero_score_reason(report)
    if why_warn:
        lines += _indented(why_warn, "yellow", width)
    plan = report.plan
    if plan is not None and report.valid:
        homes = f"{plan.total_homes:,} home" + ("" if plan.total_homes == 1 else "s")
        about = f"{shown(plan.name)} · {shown(plan.municipality)} · {homes} · "
        lines += _indented(about + plan.phase.replace("_", " "), "dim", width)
    if not report.valid:
        return Group(*lines), [Text(f"{'':5}{e}", style="red") for e in report.errors]
    result = report.result
    if result is not None and result.verdict != "not_reviewed":
        rows = [
            (
                item.status,
                shown(item.criterion.spec.title) + (" *" if item.criterion.spec.required else ""),
                glued(shown(item.message)),
            )
            for item in result.criteria
            if item.status != "n/a"
        ]
        lines.append(rich_criteria(rows, width))
    elif result is not None:
        why = (
            f"under the review threshold of {threshold:,} homes"
            if result.plan.total_homes < threshold
            else "no criterion applies to this plan"
        )
        lines.append(Text(f"{'':5}{why}: not scored", style="dim"))
    return Group(*lines), [Text(f"{'':5}warning: {w}", style="yellow") for w in report.warnings]


def _indented(text: str, style: str, width: int) -> list[Text]:
    """``text`` wrapped by rich at ``width`` − 5, each line after 5 unstyled blanks."""
    console = Console(width=width - 5, highlight=False, emoji=False, force_terminal=False)
    wrapped = Text(text, style=style).wrap(console, width - 5)
    return [Text.assemble(" " * 5, line) for line in wrapped]


def reference(report: CheckReport, style: Style) -> str:
    """The table as rich renders it."""
    unlimited = replace(style, width=1_000_000)
    chunks: list[str] = []
    for plan in report.plans:
        body, problems = _reference_plan(plan, report.criteria.region.review_threshold, style.width)
        chunks += [to_text([body], style), to_text(list(problems), unlimited), "\n"]
    chunks.append(to_text([_summary(report)], style))
    return "".join(chunks).replace(GLUE, " ")  # a number and its unit wrap as one word


def _reports(tmp_path: Path) -> list[CheckReport]:
    criteria = load_criteria(ROOT / "criteria.yaml")
    odd = tmp_path / "odd"
    odd.mkdir()
    source = (PLANS / "hilversum-arenapark.yaml").read_text(encoding="utf-8")
    for key, name in ODD_NAMES.items():
        text = source.replace("id: hilversum-arenapark", f"id: odd-{key}")
        lines = [f"name: {name}" if line.startswith("name:") else line for line in text.split("\n")]
        (odd / f"odd-{key}.yaml").write_text("\n".join(lines), encoding="utf-8")
    generated = tmp_path / "generated"
    generate(generated, 150, seed=17)
    folders = [PLANS, EXAMPLES / "valid", EXAMPLES / "invalid", odd, generated]
    return [check_paths([folder], criteria, 2026) for folder in folders]


@pytest.mark.parametrize("color", [False, True])
def test_fast_layout_equals_richs(tmp_path: Path, color: bool) -> None:
    for report in _reports(tmp_path):
        for width in WIDTHS:
            style = Style(color=color, width=width)
            assert render(report, style) == reference(report, style), (width, color)


def test_nothing_is_cut_at_80_columns(tmp_path: Path) -> None:
    for report in _reports(tmp_path):
        assert "…" not in render(report, Style(width=80))
