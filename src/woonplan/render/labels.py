"""Words for people: English labels with the Dutch policy term beside them.

Each table is translated when it is read (:class:`Labels`), so it follows the run's language:
in Dutch the policy term alone (``in aanbouw``), in English the English word with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from woonplan import numbers
from woonplan.checking.criteria import PACKAGED
from woonplan.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from woonplan.checking.run import PlanReport
    from woonplan.progress.region import RegionProgress


class Labels(Mapping[str, str]):
    """Key → label, translated into the run's language each time it is read."""

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return _(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


PHASES = Labels(
    {
        "initiative": N_("initiative (initiatief)"),
        "feasibility": N_("feasibility (haalbaarheid)"),
        "preparation": N_("preparation (planvoorbereiding)"),
        "adopted": N_("adopted (vastgesteld)"),
        "under_construction": N_("under construction (in aanbouw)"),
        "completed": N_("completed (opgeleverd)"),
    }
)
OBSTACLES = Labels(
    {
        "grid_congestion": N_("grid congestion (netcongestie)"),
        "nitrogen": N_("nitrogen (stikstof)"),
        "objections": N_("objections (bezwaren)"),
        "costs": N_("costs (kosten)"),
        "infrastructure": N_("infrastructure (infrastructuur)"),
        "procedure": N_("procedure (procedure)"),
        "capacity": N_("capacity (capaciteit)"),
        "other": N_("other (overig)"),
    }
)
SEGMENTS = Labels(
    {
        "social_rent": N_("social rent (sociale huur)"),
        "mid_rent": N_("mid rent (middenhuur)"),
        "affordable_buy": N_("affordable buy (betaalbare koop)"),
        "free_rent": N_("free-sector rent (vrije sector huur)"),
        "free_buy": N_("free-sector buy (vrije sector koop)"),
    }
)
GROUPS = Labels(
    {
        "completed": N_("completed (opgeleverd)"),
        "under_construction": N_("under construction (in aanbouw)"),
        "hard": N_("hard: adopted (harde plancapaciteit)"),
        "soft": N_("soft: initiative to preparation (zachte plancapaciteit)"),
    }
)
PHASE_WORDS = Labels(
    {
        "initiative": N_("initiative"),
        "feasibility": N_("feasibility"),
        "preparation": N_("preparation"),
        "adopted": N_("adopted"),
        "under_construction": N_("under construction"),
        "completed": N_("completed"),
    }
)
"""A plan's phase in a sentence, without the Dutch term beside it."""
STACK_WORDS = Labels(
    {
        "completed": N_("completed"),
        "under_construction": N_("under construction"),
        "hard": N_("hard"),
        "soft": N_("soft"),
    }
)
"""The parts of the progress bar (completed, under construction, hard, soft) in one word."""
STATUSES = Labels(
    {
        "pass": N_("pass"),
        "warn": N_("warn"),
        "fail": N_("fail"),
        "n/a": N_("n/a"),
        "error": N_("error"),
        "waived": N_("waived"),
    }
)
"""A criterion's status on a plan, as a word."""
COUNTS = Labels(
    {
        "plans": N_("plans"),
        "pass": N_("pass"),
        "warn": N_("warn"),
        "fail": N_("fail"),
        "not_reviewed": N_("not reviewed"),
        "invalid": N_("invalid"),
    }
)
"""The headers of the counts of plans by verdict."""


def invalid_sentence(progress: RegionProgress) -> str:
    """``2 of 26 plan files are invalid and left out of these figures``."""
    return ngettext(
        "{invalid} of {files} plan files is invalid and left out of these figures",
        "{invalid} of {files} plan files are invalid and left out of these figures",
        len(progress.invalid),
    ).format(invalid=numbers.integer(len(progress.invalid)), files=numbers.integer(progress.files))


def years_phrase(count: int) -> str:
    """``5 years`` / ``1 year``."""
    return ngettext("{count} year", "{count} years", count).format(count=numbers.integer(count))


POLICY_VERDICTS = ("pass", "warn", "fail", "n/a")


def policy_figure(metric: str, value: float | None) -> str:
    """A policy test's value as people read it: shares and ratios as ``46.7%``, homes whole."""
    if value is None:
        return "–"
    if metric.endswith("_homes"):
        return numbers.homes(value)
    return numbers.trimmed(value * 100, 1) + "%"


def policy_bounds(metric: str, better: str, target: float, limit: float) -> str:
    """``target ≥ 66.7%, limit 60%`` (``≤`` when lower is better)."""
    return _("target {side} {target}, limit {limit}").format(
        side="≥" if better == "higher" else "≤",
        target=policy_figure(metric, target),
        limit=policy_figure(metric, limit),
    )


def criteria_source(source: str) -> str:
    """Where the criteria came from, for people: the packaged default named in the run's
    language (JSON keeps the English name)."""
    return _(PACKAGED) if source == PACKAGED else source


def zero_score_reason(report: PlanReport) -> str | None:
    """Why a plan that scores 0.0 is ``warn``, not ``fail`` (a reader expects a fail)."""
    result = report.result
    if result is None or not report.valid or result.score != 0.0 or result.verdict != "warn":
        return None
    return _("score 0.0 but warn: no required (*) criterion fails, and only those can fail a plan")
