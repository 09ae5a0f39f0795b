"""The data models: a plan file and criteria.yaml, as pydantic models.

These models are the schema: ``woonplan schema`` prints their JSON Schema. Rules that need more
than one field or outside knowledge (the region's municipalities, the criteria ids, the file
name) live in :mod:`woonplan.checking.plan_rules`.
"""

from __future__ import annotations

import datetime
import typing
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal[
    "initiative", "feasibility", "preparation", "adopted", "under_construction", "completed"
]
"""Plan phases in order: initiatief, haalbaarheid, voorbereiding (bestemmingsplan in procedure),
vastgesteld (harde plancapaciteit), in aanbouw, opgeleverd."""

PHASES: tuple[Phase, ...] = typing.get_args(Phase)

StopType = Literal["train", "hov", "bus"]
ObstacleCategory = Literal[
    "grid_congestion",
    "nitrogen",
    "objections",
    "costs",
    "infrastructure",
    "procedure",
    "capacity",
    "other",
]
SEGMENTS: tuple[str, ...] = ("social_rent", "mid_rent", "affordable_buy", "free_rent", "free_buy")

Count = Annotated[int, Field(ge=0)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=200)]
CriterionId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Segments(_Model):
    """Homes per market segment (woningsegment); an absent segment is 0."""

    social_rent: Count = Field(0, description="sociale huur (corporation)")
    mid_rent: Count = Field(0, description="middenhuur")
    affordable_buy: Count = Field(0, description="betaalbare koop")
    free_rent: Count = Field(0, description="vrije sector huur")
    free_buy: Count = Field(0, description="vrije sector koop")

    @property
    def total(self) -> int:
        """All homes over the segments."""
        return (
            self.social_rent + self.mid_rent + self.affordable_buy + self.free_rent + self.free_buy
        )


class Stop(_Model):
    """A public-transport stop within walking distance (ov-halte)."""

    stop: Text
    type: StopType = Field(description="train | hov (high-quality bus/tram/metro) | bus")
    walking_distance_m: Annotated[int, Field(ge=0, le=100_000, description="whole metres")]


class Work(_Model):
    """Jobs located in the plan (werkgelegenheid): shops, offices, care, schools."""

    jobs: Count
    floor_area_m2: Annotated[int, Field(ge=0, description="whole square metres")] | None = None


class Obstacle(_Model):
    """What threatens delivery (knelpunt)."""

    category: ObstacleCategory
    note: Annotated[str, Field(max_length=10_000)] | None = None


class Exemption(_Model):
    """A decision of the regional governance meeting (bestuurlijk overleg) to waive a criterion."""

    criterion: CriterionId
    reason: Text
    decided: datetime.date


Price = Annotated[float, Field(gt=0, le=100_000_000)]
"""A monthly rent or a sale price in euros; 0 or less is an error."""


class Prices(_Model):
    """The highest rent or price in a segment (huur- of koopprijs), checked against the
    region's price limits (betaalbaarheidsgrenzen) of the plan's first delivery year."""

    social_rent: Price | None = Field(None, description="highest monthly rent (EUR)")
    mid_rent: Price | None = Field(None, description="highest monthly rent (EUR)")
    affordable_buy: Price | None = Field(
        None, description="highest sale price (EUR, costs included: v.o.n.)"
    )


class Plan(_Model):
    """One housing plan (woningbouwplan), as written in ``plans/<id>.yaml``."""

    id: Slug = Field(description="lowercase slug; equals the file name stem")
    name: Text
    municipality: Text = Field(description="one of the region's municipalities")
    phase: Phase
    initiators: list[Text] = []
    homes: Segments = Field(description="new homes per segment")
    demolished: Segments = Field(Segments(), description="homes demolished for this plan (sloop)")
    prices: Prices | None = Field(
        None, description="highest rent or price per segment, checked against price limits"
    )
    delivery: dict[Year, Count] = Field(
        description="completion year -> new homes; sums to the homes total"
    )
    public_transport: list[Stop] = []
    work: Work | None = None
    obstacles: list[Obstacle] = []
    exemptions: list[Exemption] = []
    notes: Annotated[str, Field(max_length=100_000)] | None = None

    @property
    def total_homes(self) -> int:
        """New homes over all segments, before demolition."""
        return self.homes.total


# --- criteria.yaml -------------------------------------------------------------------------

Share = Annotated[float, Field(ge=0, le=1)]


class Period(_Model):
    """The agreement's period; both years inclusive."""

    start: Year
    end: Year


class Realisation(_Model):
    """Expected share of a phase's homes that is really built (realisatiekans). An assumption."""

    initiative: Share
    feasibility: Share
    preparation: Share
    adopted: Share
    under_construction: Share
    completed: Share

    def factor(self, phase: str) -> float:
        """The factor for one phase."""
        return float(getattr(self, phase))


class PriceLimits(_Model):
    """One year's price limits (betaalbaarheidsgrenzen): above them a home is free-sector."""

    social_rent: Price | None = Field(
        None, description="highest monthly rent of social rent (huurtoeslaggrens), EUR"
    )
    mid_rent: Price | None = Field(
        None, description="highest monthly rent of mid rent (middenhuur, Wet betaalbare huur), EUR"
    )
    affordable_buy: Price | None = Field(
        None, description="highest sale price of affordable buy, costs included (v.o.n.), EUR"
    )


MAX_MUNICIPALITIES = 400
"""A region holds at most this many municipalities (the Netherlands has 342): each policy test
of scope municipality is judged once per municipality, and a plan naming none of them is told
every name. 12,000 tests on 506 municipalities took over 11 GB (docs/security.md)."""
MunicipalityName = Annotated[str, Field(min_length=1, max_length=100)]
"""The longest Dutch municipality name has 19 characters."""


class Region(_Model):
    """The region (regio) and its agreement."""

    name: Text
    municipalities: Annotated[
        list[MunicipalityName], Field(min_length=1, max_length=MAX_MUNICIPALITIES)
    ]
    period: Period
    target_homes: Annotated[int, Field(ge=1)]
    target_social_rent_share: Share
    review_threshold: Annotated[int, Field(ge=0)] = 50
    realisation: Realisation
    municipality_targets: dict[Text, Annotated[int, Field(ge=0)]] = {}
    language: Literal["nl", "en"] | None = Field(
        None,
        description="The language of woonplan's output for this region (nl or en), unless "
        "--lang or WOONPLAN_LANG chooses another. Default: English.",
    )
    price_limits: dict[Year, PriceLimits] = Field(
        {}, description="per year: the highest rent or price that still counts as the segment"
    )


Metric = Literal[
    "total_homes",
    "demolished_homes",
    "net_homes",
    "social_rent_share",
    "affordable_share",
    "transit_distance_m",
    "stop_distance_m",
    "jobs_per_home",
]


class Criterion(_Model):
    """One regional criterion (toetsingscriterium), scored on every plan it applies to."""

    id: CriterionId
    title: Text
    metric: Metric | None = None
    expression: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    better: Literal["higher", "lower"] = "higher"
    target: float
    limit: float
    required: bool = False
    weight: Annotated[float, Field(gt=0, le=1000)] = 1
    when: Annotated[str, Field(min_length=1, max_length=1000)] | None = None


PolicyMetric = Literal[
    "social_rent_share",
    "affordable_share",
    "mid_rent_share",
    "social_rent_homes",
    "mid_rent_homes",
    "affordable_homes",
    "capacity_ratio",
]
"""What a policy test measures on the net planned homes in the period (see progress)."""


class PolicyTest(_Model):
    """A test of the region's programme (programmatoets), for the region or each municipality."""

    id: CriterionId
    title: Text
    scope: Literal["region", "municipality"] = Field(
        description="region: one result; municipality: one result per municipality"
    )
    metric: PolicyMetric
    better: Literal["higher", "lower"] = "higher"
    target: float
    limit: float


MAX_CRITERIA = 100
"""criteria.yaml may hold at most this many criteria: every plan is scored on each, so 5,000
criteria on 500 plans took 89 s and 7.5 GB (docs/security.md). The region uses four."""
MAX_POLICY_TESTS = 100
"""criteria.yaml may hold at most this many policy tests: one of scope municipality is judged
for every municipality (docs/security.md). The region uses five."""


class CriteriaFile(_Model):
    """The whole of criteria.yaml."""

    region: Region
    criteria: Annotated[list[Criterion], Field(max_length=MAX_CRITERIA)]
    policy_tests: Annotated[list[PolicyTest], Field(max_length=MAX_POLICY_TESTS)] = []
