"""Loading criteria.yaml: the region, its agreement and the criteria, checked once at load.

Every expression is parsed and checked here, so a typo in criteria.yaml is an error with the
file's line before any plan is scored.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from woonplan.checking.expressions import Expression, ExpressionError, compile_expression
from woonplan.checking.metrics import NAMES
from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import PHASES, CriteriaFile, Criterion, PolicyTest, Region
from woonplan.checking.number_hints import thousands_dot_hint
from woonplan.i18n import N_, _
from woonplan.problems import InputError, Problem
from woonplan.reading.positions import PathPart
from woonplan.reading.source import Document, parse_text, read_text

DEFAULT_NAME = "criteria.yaml"
BUNDLED_TITLES = (
    N_("Social rent share (sociale huur)"),
    N_("Affordable share (betaalbaar)"),
    N_("Public transport access (ov-bereikbaarheid)"),
    N_("Home-work balance (woon-werkbalans)"),
    N_("Two thirds affordable (Wvrv)"),
    N_("30% social rent per municipality (Wvrv)"),
    N_("One third social rent (regional agreement)"),
    N_("1,500 mid-rent homes (regional agenda)"),
    N_("130% plan capacity"),
)
"""The titles of the packaged criteria.yaml (criteria, then policy tests), in the catalogue so
that a Dutch run shows them in Dutch (:func:`woonplan.i18n.title`); tests/test_i18n.py keeps
this list equal to the file."""
PACKAGED = N_("(packaged region default) criteria.yaml")
"""The name of the packaged criteria.yaml: in JSON as it is, in a table or Markdown in the run's
language (:func:`woonplan.render.labels.criteria_source`)."""


@dataclass(frozen=True)
class CompiledCriterion:
    """A criterion with its expressions compiled."""

    spec: Criterion
    expression: Expression | None
    when: Expression | None

    @property
    def id(self) -> str:
        """The criterion's id."""
        return self.spec.id


@dataclass(frozen=True)
class Criteria:
    """The loaded criteria.yaml: the region and its compiled criteria, and where they came from."""

    source: str
    region: Region
    criteria: tuple[CompiledCriterion, ...]
    path: Path | None = None
    """The file read (None for the packaged default): outputs must never overwrite it."""
    policy_tests: tuple[PolicyTest, ...] = ()
    """What the region and each municipality must reach (toetsen), computed by progress."""

    @property
    def ids(self) -> frozenset[str]:
        """The ids of all criteria."""
        return frozenset(c.id for c in self.criteria)


def find_criteria(explicit: Path | None, cwd: Path | None = None) -> tuple[str, str]:
    """The criteria text and its display name: ``--criteria``, ``./criteria.yaml``, packaged.

    Raises :class:`InputError` when an explicitly named file cannot be read.
    """
    if explicit is None:
        local = (cwd or Path.cwd()) / DEFAULT_NAME
        if local.is_file():
            explicit = Path(DEFAULT_NAME) if cwd is None else local
        else:
            return packaged_text(), PACKAGED
    text, problem = read_text(explicit, str(explicit))
    if problem is not None or text is None:
        raise InputError([problem] if problem else [])
    return text, str(explicit)


def packaged_text() -> str:
    """The region default that ships inside the package (same bytes as the top-level file)."""
    return resources.files("woonplan").joinpath(DEFAULT_NAME).read_text(encoding="utf-8")


def load_criteria(explicit: Path | None = None) -> Criteria:
    """Find, parse, validate and compile criteria.yaml; raises :class:`InputError` if invalid."""
    text, name = find_criteria(explicit)
    loaded = parse_criteria(text, name)
    return loaded if name == PACKAGED else replace(loaded, path=Path(name))


def parse_criteria(text: str, name: str) -> Criteria:
    """Parse criteria text; raises :class:`InputError` with every problem found."""
    doc = parse_text(text, name)
    if doc.problems:
        raise InputError(doc.problems)
    model, problems = validate_model(CriteriaFile, doc)
    if model is None:
        raise InputError(problems)
    compiled, problems = _check(model, doc)
    if problems:
        raise InputError(problems)
    return Criteria(name, model.region, tuple(compiled), policy_tests=tuple(model.policy_tests))


def _check(model: CriteriaFile, doc: Document) -> tuple[list[CompiledCriterion], list[Problem]]:
    problems: list[Problem] = []
    region = model.region
    if region.period.start > region.period.end:
        at_period: tuple[PathPart, ...] = ("region", "period")
        problems.append(doc.problem(at_period, _("start must not be after end"), "period-order"))
    named: set[str] = set()
    for index, name in enumerate(region.municipalities):
        if name in named:
            at_name: tuple[PathPart, ...] = ("region", "municipalities", index)
            message = _("{name} is listed twice").format(name=repr(name))
            problems.append(doc.problem(at_name, message, "duplicate-municipality"))
        named.add(name)
    for name in region.municipality_targets:
        if name not in region.municipalities:
            path: tuple[PathPart, ...] = ("region", "municipality_targets", name)
            message = _("{name} is not one of region.municipalities").format(name=repr(name))
            problems.append(doc.problem(path, message, "unknown-municipality"))
    seen: set[str] = set()
    compiled: list[CompiledCriterion] = []
    # values the text names can have, so a typo such as phase == 'adoptd' is found at load
    text: dict[str, Collection[str]] = {"phase": PHASES, "municipality": region.municipalities}
    for index, spec in enumerate(model.criteria):
        at: tuple[PathPart, ...] = ("criteria", index)
        if spec.id in seen:
            message = _("criterion id {id} is used twice").format(id=repr(spec.id))
            problems.append(doc.problem((*at, "id"), message, "duplicate-criterion"))
        seen.add(spec.id)
        if (spec.metric is None) == (spec.expression is None):
            message = _("give exactly one of 'metric' or 'expression'")
            problems.append(doc.problem(at, message, "metric-or-expression"))
        _check_limit(doc, at, spec, problems)
        _check_range(doc, at, spec, problems)
        expression = _compile(doc, (*at, "expression"), spec.expression, problems, text)
        when = _compile(doc, (*at, "when"), spec.when, problems, text)
        compiled.append(CompiledCriterion(spec, expression, when))
    tests: set[str] = set()
    for index, test in enumerate(model.policy_tests):
        at = ("policy_tests", index)
        if test.id in tests:
            message = _("policy test id {id!r} is used twice").format(id=test.id)
            problems.append(doc.problem((*at, "id"), message, "duplicate-policy-test"))
        tests.add(test.id)
        _check_limit(doc, at, test, problems)
        _check_range(doc, at, test, problems)
    return compiled, problems + _thousands_dots(model, doc)


COUNTED = frozenset(
    {
        "total_homes",
        "demolished_homes",
        "net_homes",
        "transit_distance_m",
        "stop_distance_m",
        "social_rent_homes",
        "mid_rent_homes",
        "affordable_homes",
    }
)
"""Metrics in whole homes or metres: a target of ``1.500`` is a Dutch 1500, never 1.5. (Shares
and ratios are not here: ``1.300`` plan capacity is 130%.)"""


def _thousands_dots(model: CriteriaFile, doc: Document) -> list[Problem]:
    """``affordable_buy: 390.000`` is 390 euros to YAML and ``target: 1.500`` 1.5 homes: a Dutch
    thousands dot, read as a decimal point, that would silently change every verdict."""
    places: list[tuple[tuple[PathPart, ...], bool]] = []
    for year, limits in model.region.price_limits.items():
        for segment, value in limits.model_dump().items():
            if value is not None:
                places.append((("region", "price_limits", str(year), segment), True))
    counted = [("criteria", i) for i, c in enumerate(model.criteria) if c.metric in COUNTED]
    counted += [
        ("policy_tests", i) for i, t in enumerate(model.policy_tests) if t.metric in COUNTED
    ]
    for group, index in counted:
        places += [((group, index, "target"), False), ((group, index, "limit"), False)]
    out: list[Problem] = []
    for path, euros in places:
        message = thousands_dot_hint(doc.text_at(path) or "", euros)
        if message is not None:
            out.append(doc.problem(path, message, "wrong-type"))
    return out


def _check_limit(
    doc: Document, at: tuple[PathPart, ...], spec: Criterion | PolicyTest, problems: list[Problem]
) -> None:
    """A limit on the wrong side of its target is an error (criteria and policy tests alike)."""
    if spec.better == "higher" and spec.limit > spec.target:
        problems.append(
            doc.problem(
                (*at, "limit"),
                _(
                    "with better: higher, limit must be <= target (limit {limit}, target {target})"
                ).format(limit=f"{spec.limit:g}", target=f"{spec.target:g}"),
                "limit-beyond-target",
            )
        )
    if spec.better == "lower" and spec.limit < spec.target:
        problems.append(
            doc.problem(
                (*at, "limit"),
                _(
                    "with better: lower, limit must be >= target (limit {limit}, target {target})"
                ).format(limit=f"{spec.limit:g}", target=f"{spec.target:g}"),
                "limit-beyond-target",
            )
        )


SHARES = frozenset({"social_rent_share", "affordable_share", "mid_rent_share"})
"""Metrics that are a fraction of the homes, from 0 to 1."""


def _check_range(
    doc: Document, at: tuple[PathPart, ...], spec: Criterion | PolicyTest, problems: list[Problem]
) -> None:
    """A target or limit its metric can never take: a share written as a percentage
    (``target: 33`` for 33%, so every plan fails, or with better: lower every plan passes), or
    a negative count, distance or ratio (every plan passes). Expressions are not known in
    advance; net homes can be negative."""
    if spec.metric is None:
        return
    for key in ("target", "limit"):
        value: float = getattr(spec, key)
        if spec.metric in SHARES and not 0 <= value <= 1:
            message = _(
                "{metric} is a share from 0 to 1 (33% is written 0.33); got {value}"
            ).format(metric=spec.metric, value=f"{value:g}")
        elif value < 0 and spec.metric != "net_homes":  # more demolished than built: < 0
            message = _("{metric} is never negative; got {value}").format(
                metric=spec.metric, value=f"{value:g}"
            )
        else:
            continue
        problems.append(doc.problem((*at, key), message, "out-of-range"))


def _compile(
    doc: Document,
    path: tuple[PathPart, ...],
    source: str | None,
    problems: list[Problem],
    text: dict[str, Collection[str]],
) -> Expression | None:
    if source is None:
        return None
    try:
        return compile_expression(source, NAMES, text)
    except ExpressionError as exc:
        problems.append(doc.problem(path, str(exc), "invalid-expression"))
        return None
