"""Words for ``woonplan changes`` that the table and the Markdown share: the headline, the
rows of regional figures and each changed plan's cells. Plain text; each renderer styles it.

Whole homes are shown as the progress views show them; a shown change is the difference of
the two shown figures, so that before, after and change always add up on screen.
"""

from __future__ import annotations

from woonplan.changes.compare import Changes, PlanChange
from woonplan.i18n import _, ngettext
from woonplan.progress.rounding import whole

MINUS = "−"
ARROW = "→"


def signed(value: int) -> str:
    """A change of whole homes: ``+31``, ``−50``, ``±0``."""
    if value > 0:
        return f"+{value:,}"
    if value < 0:
        return f"{MINUS}{-value:,}"
    return "±0"


def number(value: int | None) -> str:
    """Whole homes with a thousands separator, ``–`` for none."""
    return "–" if value is None else f"{value:,}"


def since(changes: Changes) -> str:
    """What the old side is called in the headline: its git revision, else its label."""
    return changes.old_revision or changes.old_label


def headline(changes: Changes, label: str) -> str:
    """One sentence: what moved since ``label`` (the old side, as the renderer writes it)."""
    rows = {key: (old, new) for key, _label, old, new in figure_rows(changes)}
    planned = rows["planned"][1] - rows["planned"][0]
    expected = rows["expected"][1] - rows["expected"][0]
    parts = [
        _("planned {planned}, expected {expected}").format(
            planned=signed(planned), expected=signed(expected)
        )
    ]
    summary = changes.summary()
    if summary["slipped"]:
        parts.append(
            ngettext(
                "{count} plan slipped ({homes} homes, {years} years on average)",
                "{count} plans slipped ({homes} homes, {years} years on average)",
                summary["slipped"],
            ).format(
                count=summary["slipped"],
                homes=f"{summary['slipped_homes']:,}",
                years=f"+{changes.mean_slip:.1f}",
            )
        )
    if summary["phase_back"]:
        parts.append(
            ngettext(
                "{count} went back a phase", "{count} went back a phase", summary["phase_back"]
            ).format(count=summary["phase_back"])
        )
    if summary["out_of_period"]:
        end = changes.region.period.end
        parts.append(
            _("{homes} homes out of the period (moved past {end} or cut)").format(
                homes=f"{summary['out_of_period']:,}", end=end
            )
        )
    counts = []
    if summary["added"]:
        counts.append(
            ngettext("{count} plan added", "{count} plans added", summary["added"]).format(
                count=summary["added"]
            )
        )
    if summary["removed"]:
        counts.append(_("{count} removed").format(count=summary["removed"]))
    if counts:
        parts.append(", ".join(counts))
    if not changes.plans:
        parts.append(_("no plan changed"))
    return _("Since {label}: {what}.").format(label=label, what="; ".join(parts))


def figure_rows(changes: Changes) -> list[tuple[str, str, int, int]]:
    """(key, label, before, after) of the regional figures, in whole homes as shown."""
    start, end = changes.region.period.start, changes.region.period.end
    old, new = changes.old, changes.new
    return [
        (
            "planned",
            _("Planned {start}–{end}").format(start=start, end=end),
            whole(old.totals.planned),
            whole(new.totals.planned),
        ),
        ("expected", _("Expected"), whole(old.totals.expected), whole(new.totals.expected)),
        (
            "gap",
            _("Gap to the target of {target}").format(target=f"{new.totals.target:,}"),
            whole(old.totals.gap),
            whole(new.totals.gap),
        ),
        (
            "after_period",
            _("After {end}").format(end=end),
            whole(old.totals.after_period),
            whole(new.totals.after_period),
        ),
        (
            "social_rent_planned",
            _("Social rent planned"),
            whole(old.social_rent.planned),
            whole(new.social_rent.planned),
        ),
        (
            "social_rent_expected",
            _("Social rent expected"),
            whole(old.social_rent.expected),
            whole(new.social_rent.expected),
        ),
    ]


PHASE_WORDS = {
    "initiative": "initiative",
    "feasibility": "feasibility",
    "preparation": "preparation",
    "adopted": "adopted",
    "under_construction": "under construction",
    "completed": "completed",
}


def phase_cell(plan: PlanChange) -> str:
    """``added (preparation)``, ``removed (was adopted)``, ``↓ adopted → preparation``."""
    if plan.old is None and plan.new is not None:
        return _("added ({phase})").format(phase=PHASE_WORDS[plan.new.plan.phase])
    if plan.new is None and plan.old is not None:
        return _("removed (was {phase})").format(phase=PHASE_WORDS[plan.old.plan.phase])
    assert plan.old is not None and plan.new is not None
    before, after = PHASE_WORDS[plan.old.plan.phase], PHASE_WORDS[plan.new.plan.phase]
    if plan.direction == "same":
        return after
    mark = "↑" if plan.direction == "forward" else "↓"
    return f"{mark} {before} {ARROW} {after}"


def homes_cell(plan: PlanChange) -> str:
    """Homes before → after (``200 → 150``), one figure when it did not change."""
    before = plan.old.plan.homes.total if plan.old else None
    after = plan.new.plan.homes.total if plan.new else None
    if before == after:
        return number(after)
    return f"{number(before)} {ARROW} {number(after)}"


def shift_cell(plan: PlanChange) -> str:
    """The delivery shift in years (``+3.0 yr``), empty when there is none."""
    shift = plan.delivery_shift
    if not shift:
        return ""
    sign = "+" if shift > 0 else MINUS
    return _("{sign}{years} yr").format(sign=sign, years=f"{abs(shift):.1f}")


def obstacles_cell(plan: PlanChange) -> str:
    """Obstacle categories added and removed: ``+nitrogen −costs``."""
    return " ".join(
        [f"+{c}" for c in plan.obstacles_added] + [f"{MINUS}{c}" for c in plan.obstacles_removed]
    )


def verdict_cell(plan: PlanChange) -> str:
    """The verdict, ``pass → fail`` when it changed."""
    before = plan.old.verdict if plan.old else None
    after = plan.new.verdict if plan.new else None
    if before == after or before is None or after is None:
        return (after or before or "").replace("_", " ")
    return f"{before.replace('_', ' ')} {ARROW} {after.replace('_', ' ')}"
