"""The data models: a plan file and criteria.yaml, as pydantic models.

These models are the schema: ``woonplan schema`` prints their JSON Schema. Rules that need more
than one field or outside knowledge (the region's municipalities, the criteria ids, the file
name) live in :mod:`woonplan.checking.plan_rules`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Phase = Literal[
    "initiative", "feasibility", "preparation", "adopted", "under_construction", "completed"
]
"""Plan phases in order: initiatief, haalbaarheid, voorbereiding (bestemmingsplan in procedure),
vastgesteld (harde plancapaciteit), in aanbouw, opgeleverd."""

PHASES: tuple[Phase, ...] = (
    "initiative",
    "feasibility",
    "preparation",
    "adopted",
    "under_construction",
    "completed",
)
SOFT_PHASES: frozenset[str] = frozenset({"initiative", "feasibility", "preparation"})

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


class Plan(_Model):
    """One housing plan (woningbouwplan), as written in ``plans/<id>.yaml``."""

    id: Slug = Field(description="lowercase slug; equals the file name stem")
    name: Text
    municipality: Text = Field(description="one of the region's municipalities")
    phase: Phase
    initiators: list[Text] = []
    homes: Segments = Field(description="new homes per segment")
    demolished: Segments = Field(Segments(), description="homes demolished for this plan (sloop)")
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


class Region(_Model):
    """The region (regio) and its agreement."""

    name: Text
    municipalities: Annotated[list[Text], Field(min_length=1)]
    period: Period
    target_homes: Annotated[int, Field(ge=1)]
    target_social_rent_share: Share
    review_threshold: Annotated[int, Field(ge=0)] = 50
    realisation: Realisation
    municipality_targets: dict[Text, Annotated[int, Field(ge=0)]] = {}


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


class CriteriaFile(_Model):
    """The whole of criteria.yaml."""

    region: Region
    criteria: list[Criterion]
