"""``woonplan changes --format markdown``: what a change does to the regional figures.

Short enough for a pull request's comment or job summary (docs/ci.md): the headline, the
regional figures before and after, and the plans that changed most (at most
:data:`MAX_ROWS`; the JSON has them all).
"""

from __future__ import annotations

from woonplan.changes.compare import Changes
from woonplan.i18n import _, ngettext
from woonplan.render import Style
from woonplan.render.changes_text import (
    figure_rows,
    headline,
    homes_cell,
    number,
    obstacles_cell,
    phase_cell,
    shift_cell,
    signed,
    since,
    verdict_cell,
)
from woonplan.render.markdown import code, table, text

MAX_ROWS = 20


def render(changes: Changes, style: Style) -> str:
    """The changes as Markdown."""
    region = changes.region
    out = [
        "### "
        + _("{region}: what this change does to the regional figures").format(
            region=text(region.name)
        ),
    ]
    if changes.invalid:  # said before any figure: these files are in neither side's figures
        out += [
            "",
            "**"
            + ngettext(
                "{count} invalid file left out on both sides:",
                "{count} invalid files left out on both sides:",
                len(changes.invalid),
            ).format(count=len(changes.invalid))
            + "**",
            "",
        ]
        out += [f"- {code(f)}" for f in changes.invalid]
    out += [
        "",
        _("Compared: {old} → {new}, as of {year}.").format(
            old=code(changes.old_label), new=code(changes.new_label), year=changes.new.as_of
        ),
        "",
        headline(changes, code(since(changes))),
        "",
        table(
            ["", _("before"), _("after"), _("change")],
            [
                [label, number(old), number(new), f"**{signed(new - old)}**"]
                for _key, label, old, new in figure_rows(changes)
            ],
            right={1, 2, 3},
        ),
    ]
    if changes.plans:
        shown = changes.plans[:MAX_ROWS]
        rows = [
            [
                code(p.id, in_table=True),
                text(phase_cell(p)),
                homes_cell(p),
                signed(p.in_period_change),
                shift_cell(p),
                text(obstacles_cell(p)),
                text(verdict_cell(p)),
            ]
            for p in shown
        ]
        headers = [
            _("plan"),
            _("change"),
            _("homes"),
            _("in period"),
            _("delivery"),
            _("obstacles"),
            _("verdict"),
        ]
        out += ["", table(headers, rows, right={2, 3, 4})]
        if len(changes.plans) > MAX_ROWS:
            more = len(changes.plans) - MAX_ROWS
            out += [
                "",
                ngettext(
                    "… and {count} more changed plan (all of them: --format json).",
                    "… and {count} more changed plans (all of them: --format json).",
                    more,
                ).format(count=more),
            ]
    out += [
        "",
        ngettext("{count} plan unchanged.", "{count} plans unchanged.", changes.unchanged).format(
            count=changes.unchanged
        ),
    ]
    return "\n".join(out) + "\n"
