"""Generate realistic, valid plan files for the benchmarks (deterministic: same seed, same bytes).

Every plan is valid against the packaged criteria.yaml: all six municipalities of Gooi en
Vechtstreek, all phases, all segments, stops of every type, obstacles of every category, some
demolition (sloop), some exemptions (vrijstellingen), 5–900 homes delivered over 1–4 years in
2020–2033. Phases and delivery years fit each other the way real monitors do (completed plans
delivered in the past, initiatives far ahead), with the occasional overdue plan.

    python benchmarks/generate.py OUT_DIR COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import random
from itertools import pairwise
from pathlib import Path

MUNICIPALITIES: dict[str, dict[str, list[str]]] = {
    "Blaricum": {
        "places": ["Bijvanck", "Eemnesserweg", "Dorp", "Huizerweg", "Blaricummermeent"],
        "stops": ["Blaricum, Carpoolplein:hov", "Blaricum, Dorp:bus", "Blaricum, Bijvanck:bus"],
        "initiators": ["Gemeente Blaricum", "Het Gooi en Omstreken", "Meentvast Bouw BV"],
    },
    "Gooise Meren": {
        "places": ["Bussum Centrum", "Bussum Noord", "Bussum Zuid", "Muiderberg", "Naarden"],
        "stops": [
            "Naarden-Bussum:train",
            "Bussum Zuid:train",
            "Naarden, Gooimeer:hov",
            "Muiderberg, Dorp:bus",
        ],
        "initiators": ["Gemeente Gooise Meren", "Het Gooi en Omstreken", "Gooimeer Projecten BV"],
    },
    "Hilversum": {
        "places": ["Stationsgebied", "Arenapark", "Media Park", "Kerkelanden", "Larenseweg"],
        "stops": [
            "Hilversum:train",
            "Hilversum Sportpark:train",
            "Hilversum Media Park:train",
            "Hilversum, Busstation:hov",
            "Hilversum, Kerkelanden:bus",
        ],
        "initiators": ["Gemeente Hilversum", "Dudok Wonen", "de Alliantie", "Mediapark Wonen CV"],
    },
    "Huizen": {
        "places": ["Centrum", "Havenkwartier", "Holleblok", "Oostermeent", "Bijvanck Zuid"],
        "stops": ["Huizen, Busstation:hov", "Huizen, Haven:bus", "Huizen, Oostermeent:bus"],
        "initiators": ["Gemeente Huizen", "Het Gooi en Omstreken", "Havenkwartier Huizen CV"],
    },
    "Laren": {
        "places": ["Brink", "Naarderstraat", "Zevenend", "Oostereng"],
        "stops": ["Laren, Brink:bus", "Laren, Zevenend:bus", "Blaricum, Carpoolplein:hov"],
        "initiators": ["Gemeente Laren", "Woningcorporatie Habion", "Laarder Villabouw BV"],
    },
    "Wijdemeren": {
        "places": [
            "Kortenhoef",
            "Loosdrecht",
            "Ankeveen",
            "Nederhorst den Berg",
            "Nieuw-Loosdrecht",
        ],
        "stops": [
            "Kortenhoef, Kerklaan:bus",
            "Loosdrecht, Centrum:bus",
            "Ankeveen, Dorp:bus",
            "Hilversum:train",
        ],
        "initiators": ["Gemeente Wijdemeren", "de Alliantie", "Vechtplassen Vastgoed BV"],
    },
}
PHASES = ["initiative", "feasibility", "preparation", "adopted", "under_construction", "completed"]
# First delivery year per phase (inclusive range): completed plans lie in the past, initiatives
# far ahead. Some soft plans start in the past on purpose: overdue plans are a data warning.
FIRST_YEAR = {
    "initiative": (2027, 2033),
    "feasibility": (2026, 2032),
    "preparation": (2025, 2031),
    "adopted": (2025, 2030),
    "under_construction": (2023, 2027),
    "completed": (2020, 2024),
}
SEGMENTS = ["social_rent", "mid_rent", "affordable_buy", "free_rent", "free_buy"]
OBSTACLES = {
    "grid_congestion": "No grid connection before {year} (netcongestie)",
    "nitrogen": "Nitrogen (stikstof) permit needed near Natura 2000",
    "objections": "Objections (bezwaren) against the zoning plan",
    "costs": "Building costs up; business case does not close",
    "infrastructure": "Road and sewer must be rebuilt first",
    "procedure": "Zoning procedure (bestemmingsplan) delayed",
    "capacity": "No capacity at the municipality for the procedure",
    "other": "Soil pollution found on part of the site",
}
CRITERIA = ["social_rent_share", "affordable_share", "public_transport", "home_work_balance"]
HEADER = "# Generated benchmark plan (woonplan benchmarks/generate.py) - not real data.\n"


def slug(text: str) -> str:
    """Lowercase a-z0-9 words joined by '-'."""
    out = "".join(c if c.isalnum() and c.isascii() else " " for c in text.lower())
    return "-".join(out.split())


def plan_text(index: int, rng: random.Random) -> tuple[str, str]:
    """One plan's id and YAML text."""
    town = rng.choice(list(MUNICIPALITIES))
    info = MUNICIPALITIES[town]
    place = rng.choice(info["places"])
    plan_id = f"{slug(town)}-{slug(place)}-{index:06d}"
    phase = rng.choice(PHASES)
    total = min(900, max(5, int(rng.lognormvariate(3.8, 1.0))))
    split = _split(total, rng)
    lines = [
        HEADER,
        f"id: {plan_id}\n",
        f"name: {place} fase {index % 7 + 1}\n",
        f"municipality: {town}\n",
        f"phase: {phase}\n",
        "initiators:\n",
        *(f"  - {name}\n" for name in rng.sample(info["initiators"], rng.randint(1, 2))),
        "homes:\n",
        *(f"  {segment}: {count}\n" for segment, count in split.items() if count),
    ]
    if rng.random() < 0.15:
        gone = rng.randint(1, max(1, total // 3))
        lines.append("demolished:\n")
        lines.append(f"  social_rent: {gone}\n")
        if rng.random() < 0.3:
            lines.append(f"  free_rent: {rng.randint(0, 20)}\n")
    lines.append("delivery:\n")
    first = rng.randint(*FIRST_YEAR[phase])
    years = min(rng.randint(1, 4), 2033 - first + 1, total)
    for offset, count in enumerate(_spread(total, years, rng)):
        lines.append(f"  {first + offset}: {count}\n")
    if rng.random() < 0.85:
        lines.append("public_transport:\n")
        for entry in rng.sample(info["stops"], rng.randint(1, min(3, len(info["stops"])))):
            name, kind = entry.rsplit(":", 1)
            distance = rng.randint(100, 2500) if kind == "bus" else rng.randint(200, 4000)
            lines.append(f"  - stop: {name}\n    type: {kind}\n")
            lines.append(f"    walking_distance_m: {distance}\n")
    if rng.random() < 0.6:
        lines.append(f"work:\n  jobs: {rng.randint(0, max(1, total // 2))}\n")
        if rng.random() < 0.5:
            lines.append(f"  floor_area_m2: {rng.randint(100, 30000)}\n")
    if rng.random() < 0.5:
        lines.append("obstacles:\n")
        for category in rng.sample(list(OBSTACLES), rng.randint(1, 3)):
            note = OBSTACLES[category].format(year=first + 1)
            lines.append(f"  - category: {category}\n    note: {note}\n")
    if total >= 50 and rng.random() < 0.08:
        lines.append("exemptions:\n")
        for criterion in rng.sample(CRITERIA, rng.randint(1, 2)):
            lines.append(
                f"  - criterion: {criterion}\n"
                f"    reason: Compensated elsewhere in {town}\n"
                f"    decided: 2025-0{rng.randint(1, 9)}-{rng.randint(10, 28)}\n"
            )
    if rng.random() < 0.3:
        lines.append(f"notes: Plan {index} in {place}; figures from the {town} monitor.\n")
    return plan_id, "".join(lines)


def _split(total: int, rng: random.Random) -> dict[str, int]:
    """Homes per segment, adding up to ``total``; social rent around one third."""
    social = round(total * rng.choice([0, 0.2, 0.3, 0.3333, 0.35, 0.4, 0.5]))
    counts = {"social_rent": social}
    rest = total - social
    weights = [rng.random() for _ in SEGMENTS[1:]]
    scale = sum(weights)
    for segment, weight in zip(SEGMENTS[1:], weights, strict=True):
        counts[segment] = int(rest * weight / scale)
    counts["free_buy"] += total - sum(counts.values())
    return counts


def _spread(total: int, years: int, rng: random.Random) -> list[int]:
    """``total`` homes over ``years`` years, at least one home a year."""
    cuts = sorted(rng.sample(range(1, total), years - 1)) if years > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in pairwise(bounds)]


def generate(out: Path, count: int, seed: int = 2030) -> list[Path]:
    """Write ``count`` plan files into ``out`` (created); returns their paths in order."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        plan_id, text = plan_text(index, rng)
        path = out / f"{plan_id}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    """Command line: write COUNT plans into OUT_DIR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=2030)
    args = parser.parse_args()
    generate(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
