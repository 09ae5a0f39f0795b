"""How figures are rounded, in one place: whole homes and one decimal, half away from zero.

Python's ``round`` rounds halves to even (296.5 → 296); people and spreadsheets round them up
(297), so every output uses these instead. Float noise (2333.0000000001) is removed first.
"""

from __future__ import annotations

import math


def whole(value: float) -> int:
    """Whole homes, as an integer."""
    scaled = round(value, 6)
    return int(math.copysign(math.floor(abs(scaled) + 0.5), scaled))


def one_decimal(value: float) -> float:
    """A figure kept to one decimal."""
    scaled = round(value * 10, 6)
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / 10 + 0.0


def three_decimals(value: float) -> float:
    """A share or ratio kept to three decimals (0.333)."""
    scaled = round(value * 1000, 6)
    return math.copysign(math.floor(abs(scaled) + 0.5), scaled) / 1000 + 0.0
