"""Obstacles (knelpunten): the plans listing each obstacle category and their planned homes.

A plan's obstacles count while they still threaten delivery: not once it is completed.
"""

from __future__ import annotations

from dataclasses import dataclass

OBSTACLE_PHASES_DONE: frozenset[str] = frozenset({"completed"})
"""Phases whose obstacles no longer threaten delivery: they are not counted."""


@dataclass
class ObstacleProgress:
    """Plans listing one obstacle category (knelpunt) and their planned homes in the period."""

    category: str
    plans: int = 0
    homes: float = 0.0
    share: float | None = None
    """Homes affected / all planned homes in the period (None when nothing is planned)."""
