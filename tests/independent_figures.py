"""An independent implementation of SPEC.md's figures, to compare woonplan against.

Written from SPEC.md (sections "criteria.yaml", "Progress", "Policy tests", "Price limits",
"Changes between two snapshots") and issues 13, 14 and 16 only: plain PyYAML and arithmetic,
nothing imported from woonplan. It does not validate: callers pass only valid plan files (the
files woonplan lists as invalid are left out here too).

Readings where SPEC.md is silent are marked READING below; tests/test_independent_figures.py
says which of them woonplan shares.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SEGMENTS = ("social_rent", "mid_rent", "affordable_buy", "free_rent", "free_buy")
PHASE_ORDER = (
    "initiative",
    "feasibility",
    "preparation",
    "adopted",
    "under_construction",
    "completed",
)
SOFT = {"initiative", "feasibility", "preparation"}
# Price limits: a home above its segment's limit counts as this segment instead.
PRICE_MOVES = {"social_rent": "free_rent", "mid_rent": "free_rent", "affordable_buy": "free_buy"}

Plan = dict[str, Any]


def load(path: Path) -> Any:
    with path.open("rb") as handle:
        return yaml.load(handle, Loader=Loader)


def plan_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def load_plans(paths: Iterable[Path], skip: Iterable[str] = ()) -> list[Plan]:
    """Every plan file below paths, except those whose path (as a string) is in skip."""
    left_out = {str(Path(s)) for s in skip}
    _NET.clear()  # the caches keep their plans alive: start afresh with every new set
    _CHECKED.clear()
    return [load(p) for p in plan_files(paths) if str(p) not in left_out]


# ----------------------------------------------------------------------------- one plan


def delivery(plan: Plan) -> list[tuple[int, int]]:
    return sorted((int(year), int(homes)) for year, homes in plan["delivery"].items())


def first_delivering_year(plan: Plan) -> int | None:
    """The earliest year that delivers homes (a year listed with 0 delivers none)."""
    years = [year for year, homes in delivery(plan) if homes > 0]
    return min(years) if years else None


def effective_homes(plan: Plan, region: Mapping[str, Any]) -> dict[str, int]:
    """New homes per segment after the price limits (homes above a limit count as free)."""
    homes = {s: int((plan.get("homes") or {}).get(s, 0) or 0) for s in SEGMENTS}
    limits_by_year = region.get("price_limits") or {}
    prices = plan.get("prices") or {}
    if not limits_by_year or not prices:
        return homes
    years = sorted(int(y) for y in limits_by_year)
    reference = first_delivering_year(plan)
    if reference is None:
        reference = years[0]
    reference = min(max(reference, years[0]), years[-1])  # clamped to the table's years
    limits = {int(y): v for y, v in limits_by_year.items()}[reference]
    for segment, moved_to in PRICE_MOVES.items():
        price = prices.get(segment)
        limit = (limits or {}).get(segment)
        if (
            price is not None
            and limit is not None
            and exact(price) > exact(limit)
            and homes[segment]
        ):
            homes[moved_to] += homes[segment]
            homes[segment] = 0
    return homes


def demolished(plan: Plan) -> dict[str, int]:
    gone = plan.get("demolished") or {}
    return {s: int(gone.get(s, 0) or 0) for s in SEGMENTS}


_NET: dict[int, tuple[Plan, Mapping[str, Any], dict[str, dict[int, Any]]]] = {}
"""net_by_year per plan object (kept with the plan and region, so an id is never reused)."""


def net_by_year(plan: Plan, region: Mapping[str, Any]) -> dict[str, dict[int, Any]]:
    """Per segment (and 'total'): net homes per delivery year (cached per plan object)."""
    cached = _NET.get(id(plan))
    if cached is not None and cached[0] is plan and cached[1] is region:
        return cached[2]
    result = _net_by_year(plan, region)
    _NET[id(plan)] = (plan, region, result)
    return result


def _net_by_year(plan: Plan, region: Mapping[str, Any]) -> dict[str, dict[int, Any]]:
    """Per segment (and 'total'): net homes per delivery year.

    Segments are spread over the years in proportion to the homes delivered each year; all
    demolished homes come off in the earliest delivering year.
    """
    rows = delivery(plan)
    total = sum(homes for _, homes in rows)
    homes = effective_homes(plan, region)
    gone = demolished(plan)
    first = first_delivering_year(plan)
    out: dict[str, dict[int, Any]] = {"total": {}}
    for segment in SEGMENTS:
        out[segment] = {}
    for year, count in rows:
        out["total"][year] = count - (sum(gone.values()) if year == first else 0)
        for segment in SEGMENTS:
            spread = Fraction(homes[segment] * count, total) if total else Fraction(0)
            out[segment][year] = spread - (gone[segment] if year == first else 0)
    return out


# ----------------------------------------------------------------------------- scoring


def exact(number: Any) -> Fraction:
    """A number from YAML as the decimal its author wrote (0.7 is seven tenths)."""
    return Fraction(str(number))


def half_up(value: Any, digits: int = 0) -> Any:
    """Round as people and spreadsheets do: halves away from zero (2.5 -> 3, 0.075 -> 0.08)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        value = Decimal(str(value))
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return int(rounded) if digits == 0 else float(rounded)


def score_value(value: Any, better: str, target: Any, limit: Any) -> tuple[str, Any]:
    value, target, limit = exact(value), exact(target), exact(limit)
    if better == "lower":
        if value <= target:
            return "pass", Fraction(1)
        if value > limit:
            return "fail", Fraction(0)
        return "warn", (limit - value) / (limit - target)
    if value >= target:
        return "pass", Fraction(1)
    if value < limit:
        return "fail", Fraction(0)
    return "warn", (value - limit) / (target - limit)


def metrics(plan: Plan, region: Mapping[str, Any]) -> dict[str, Any]:
    homes = effective_homes(plan, region)
    total = sum(homes.values())
    gone = sum(demolished(plan).values())
    stops = plan.get("public_transport") or []
    transit = [s["walking_distance_m"] for s in stops if s["type"] in ("train", "hov")]
    work = plan.get("work") or {}
    return {
        "total_homes": total,
        "demolished_homes": gone,
        "net_homes": total - gone,
        "social_rent_share": Fraction(homes["social_rent"], total),
        "affordable_share": Fraction(
            homes["social_rent"] + homes["mid_rent"] + homes["affordable_buy"], total
        ),
        "transit_distance_m": min(transit) if transit else None,
        "stop_distance_m": min(s["walking_distance_m"] for s in stops) if stops else None,
        "jobs_per_home": Fraction(work.get("jobs", 0) or 0, total),
    }


_CHECKED: dict[int, tuple[Plan, Mapping[str, Any], dict[str, Any]]] = {}


def check_plan(plan: Plan, criteria: Mapping[str, Any]) -> dict[str, Any]:
    """score, verdict and per criterion status/value/score (cached per plan object)."""
    cached = _CHECKED.get(id(plan))
    if cached is not None and cached[0] is plan and cached[1] is criteria:
        return cached[2]
    result = _check_plan(plan, criteria)
    _CHECKED[id(plan)] = (plan, criteria, result)
    return result


def _check_plan(plan: Plan, criteria: Mapping[str, Any]) -> dict[str, Any]:
    """score, verdict and per criterion status/value/score, as SPEC.md's scoring defines."""
    region = criteria["region"]
    values = metrics(plan, region)
    waived = {e["criterion"] for e in plan.get("exemptions") or []}
    rows = []
    weighted = Fraction(0)
    weights = 0
    failed_required = False
    warned = False
    for crit in criteria["criteria"]:
        if "expression" in crit or "when" in crit:
            raise NotImplementedError("expressions are not part of this comparison")
        value = values[crit["metric"]]
        applies = values["total_homes"] >= region["review_threshold"]
        weight = crit.get("weight", 1)
        if not applies:
            # READING (woonplan shares it): a criterion that does not apply shows no value.
            rows.append({"id": crit["id"], "status": "n/a", "value": None, "score": None})
            continue
        if value is None:  # no stop listed: the criterion fails
            status, score = "fail", Fraction(0)
        else:
            status, score = score_value(
                value, crit.get("better", "higher"), crit["target"], crit["limit"]
            )
        if crit["id"] in waived:
            rows.append({"id": crit["id"], "status": "waived", "value": value, "score": score})
            continue
        rows.append({"id": crit["id"], "status": status, "value": value, "score": score})
        weighted += weight * score
        weights += weight
        if status == "fail" and crit.get("required", False):
            failed_required = True
        if status in ("warn", "fail"):
            warned = True
    if all(row["status"] == "n/a" for row in rows):
        return {"score": None, "verdict": "not_reviewed", "criteria": rows}
    # READING (woonplan's): criteria apply but every one is waived: no score, verdict pass
    # (nothing counts against the plan; it was reviewed: the waivers are the meeting's decisions).
    verdict = "fail" if failed_required else "warn" if warned else "pass"
    total: Any = half_up(100 * weighted / weights, 1) if weights else None
    return {"score": total, "verdict": verdict, "criteria": rows}


# ----------------------------------------------------------------------------- progress


def _figures(
    plans: list[Plan], region: Mapping[str, Any], as_of: int, key: str, target: int
) -> dict[str, Any]:
    start, end = region["period"]["start"], region["period"]["end"]
    sums = dict.fromkeys(
        ("completed", "under_construction", "hard", "soft", "planned", "expected"), Fraction(0)
    )
    after: Any = Fraction(0)
    gross: Any = Fraction(0)
    gone: Any = Fraction(0)
    for plan in plans:
        net = net_by_year(plan, region)[key]
        phase = plan["phase"]
        in_period = sum(v for y, v in net.items() if start <= y <= end)
        after += sum(v for y, v in net.items() if y > end)
        homes = effective_homes(plan, region)
        total = sum(homes.values())
        part = homes[key] if key != "total" else total
        gross += sum(
            (Fraction(part * count, total) for y, count in delivery(plan) if start <= y <= end),
            Fraction(0),
        )
        first = first_delivering_year(plan)
        if first is not None and start <= first <= end:
            lost = demolished(plan)
            gone += sum(lost.values()) if key == "total" else lost[key]
        group = (
            "soft" if phase in SOFT else "hard" if phase == "adopted" else phase
        )  # completed, under_construction
        sums[group] += in_period
        sums["planned"] += in_period
        sums["expected"] += in_period * exact(region["realisation"][phase])
    left = end - max(as_of, start) + 1
    return {
        "target": target,
        **sums,
        "gap": target - sums["expected"],
        "after_period": after,
        "required_per_year": math.ceil(max(0, target - sums["completed"]) / left)
        if left > 0
        else None,
        "gross": gross,
        "demolished": gone,
        "not_in_plans": max(0, target - sums["planned"]),
        "capacity_ratio": sums["planned"] / target if target else Fraction(0),
    }


def _segment_in_period(plan: Plan, region: Mapping[str, Any], segment: str) -> Any:
    start, end = region["period"]["start"], region["period"]["end"]
    net = net_by_year(plan, region)[segment]
    return sum(v for y, v in net.items() if start <= y <= end)


def policy_value(plans: list[Plan], region: Mapping[str, Any], metric: str, target: Any) -> Any:
    planned = sum(_segment_in_period(p, region, "total") for p in plans)
    seg = {s: sum(_segment_in_period(p, region, s) for p in plans) for s in SEGMENTS}
    affordable = seg["social_rent"] + seg["mid_rent"] + seg["affordable_buy"]
    homes = {
        "social_rent_homes": seg["social_rent"],
        "mid_rent_homes": seg["mid_rent"],
        "affordable_homes": affordable,
    }
    if metric in homes:
        return homes[metric]
    if metric == "capacity_ratio":
        return planned / exact(target) if target else None
    if planned == 0:
        return None
    part = {
        "social_rent_share": seg["social_rent"],
        "mid_rent_share": seg["mid_rent"],
        "affordable_share": affordable,
    }[metric]
    return Fraction(part) / planned


def progress(plans: list[Plan], criteria: Mapping[str, Any], as_of: int) -> dict[str, Any]:
    """The figures of `woonplan progress --format json` (unrounded)."""
    region = criteria["region"]
    start, end = region["period"]["start"], region["period"]["end"]
    target = region["target_homes"]
    social_target = round(target * region["target_social_rent_share"])
    out: dict[str, Any] = {
        "totals": _figures(plans, region, as_of, "total", target),
        "social_rent": _figures(plans, region, as_of, "social_rent", social_target),
    }
    targets = region.get("municipality_targets") or {}
    municipalities = []
    for name in region["municipalities"]:
        mine = [p for p in plans if p["municipality"] == name]
        figures = _figures(mine, region, as_of, "total", targets.get(name, 0))
        social = sum(_segment_in_period(p, region, "social_rent") for p in mine)
        municipalities.append(
            {
                "name": name,
                "target": targets.get(name),
                "completed": figures["completed"],
                "planned": figures["planned"],
                "expected": figures["expected"],
                "social_rent_planned": social,
                "social_rent_share": Fraction(social) / figures["planned"]
                if figures["planned"]
                else None,
            }
        )
    out["municipalities"] = municipalities
    years = []
    for year in range(start, end + 1):
        row = {
            "year": year,
            "completed": Fraction(0),
            "planned": Fraction(0),
            "expected": Fraction(0),
        }
        for plan in plans:
            net = net_by_year(plan, region)["total"].get(year, 0)
            row["planned"] += net
            row["expected"] += net * exact(region["realisation"][plan["phase"]])
            if plan["phase"] == "completed":
                row["completed"] += net
        years.append(row)
    out["years"] = years
    obstacles: dict[str, list[Any]] = {}
    for plan in plans:
        if plan["phase"] == "completed":
            continue
        # READING: a category listed twice in one plan counts that plan once.
        for category in {o["category"] for o in plan.get("obstacles") or []}:
            entry = obstacles.setdefault(category, [0, Fraction(0)])
            entry[0] += 1
            entry[1] += _segment_in_period(plan, region, "total")
    out["obstacles"] = sorted(
        ({"category": c, "plans": n, "homes": h} for c, (n, h) in obstacles.items()),
        key=lambda row: (-row["homes"], row["category"]),
    )
    out["verdicts"] = {"pass": 0, "warn": 0, "fail": 0, "not_reviewed": 0}
    for plan in plans:
        out["verdicts"][check_plan(plan, criteria)["verdict"]] += 1
    tests = []
    for test in criteria.get("policy_tests") or []:
        scopes: list[tuple[str | None, list[Plan], Any]]
        if test["scope"] == "region":
            scopes = [(None, plans, target)]
        else:
            scopes = [
                (name, [p for p in plans if p["municipality"] == name], targets.get(name))
                for name in region["municipalities"]
            ]
        for name, mine, its_target in scopes:
            value = policy_value(mine, region, test["metric"], its_target)
            verdict = (
                "n/a"
                if value is None
                else score_value(
                    value, test.get("better", "higher"), test["target"], test["limit"]
                )[0]
            )
            tests.append(
                {
                    "id": test["id"],
                    "metric": test["metric"],
                    "municipality": name,
                    "value": value,
                    "verdict": verdict,
                }
            )
    out["policy_tests"] = tests
    return out


# ----------------------------------------------------------------------------- changes


def _mean_year(plan: Plan) -> Any:
    rows = delivery(plan)
    total = sum(homes for _, homes in rows)
    return Fraction(sum(year * homes for year, homes in rows), total)


def _figures_of(plan: Plan, region: Mapping[str, Any], criteria: Mapping[str, Any]) -> Any:
    """What a row of `changes` shows or counts (READING, woonplan's: a new name, note, stop
    or exemption that moves no figure and no verdict is not a change)."""
    return (
        plan["municipality"],
        plan["phase"],
        effective_homes(plan, region),
        demolished(plan),
        delivery(plan),
        {o["category"] for o in plan.get("obstacles") or []},
        check_plan(plan, criteria)["verdict"],
    )


def changes(
    old: list[Plan],
    new: list[Plan],
    criteria: Mapping[str, Any],
    as_of: int,
    invalid_ids: Iterable[str] = (),
) -> dict[str, Any]:
    """The figures of `woonplan changes --format json` (unrounded; plans by id).

    READING (woonplan's): a plan whose file is invalid on one side is left out of both sides,
    so that a broken file does not look like a plan that was removed.
    """
    region = criteria["region"]
    left_out = set(invalid_ids)
    old = [p for p in old if p["id"] not in left_out]
    new = [p for p in new if p["id"] not in left_out]
    before = {p["id"]: p for p in old}
    after = {p["id"]: p for p in new}
    p_old, p_new = progress(old, criteria, as_of), progress(new, criteria, as_of)
    out: dict[str, Any] = {}
    for key in ("totals", "social_rent"):
        out[key] = {
            "old": p_old[key],
            "new": p_new[key],
            "change": {
                k: (
                    None
                    if p_new[key][k] is None or p_old[key][k] is None
                    else p_new[key][k] - p_old[key][k]
                )
                for k in p_old[key]
            },
        }
    rows: dict[str, dict[str, Any]] = {}
    summary: dict[str, Any] = dict.fromkeys(
        ("added", "removed", "changed", "unchanged", "slipped", "slipped_homes", "phase_back"), 0
    )
    out_of_period = Fraction(0)

    def side(plan: Plan | None) -> dict[str, Any]:
        if plan is None:
            return {
                "phase": None,
                "homes": None,
                "social_rent": None,
                "in_period": None,
                "verdict": None,
                "obstacles": set(),
            }
        return {
            "phase": plan["phase"],
            "homes": sum(effective_homes(plan, region).values()),
            # READING: the plan's social-rent homes as counted (after the price limits).
            "social_rent": effective_homes(plan, region)["social_rent"],
            "in_period": _segment_in_period(plan, region, "total"),
            "verdict": check_plan(plan, criteria)["verdict"],
            "obstacles": {o["category"] for o in plan.get("obstacles") or []},
        }

    for plan_id in sorted(set(before) | set(after)):
        a, b = before.get(plan_id), after.get(plan_id)
        if (
            a is not None
            and b is not None
            and _figures_of(a, region, criteria) == _figures_of(b, region, criteria)
        ):
            summary["unchanged"] += 1
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        summary[status] += 1
        sa, sb = side(a), side(b)
        shift = None
        direction = None
        if a is not None and b is not None:
            shift = _mean_year(b) - _mean_year(a)
            ia, ib = PHASE_ORDER.index(a["phase"]), PHASE_ORDER.index(b["phase"])
            direction = "forward" if ib > ia else "back" if ib < ia else "same"
            # READING (woonplan's): slipped when the shift as shown (one decimal) is > 0.
            if half_up(shift, 1) > 0:
                summary["slipped"] += 1
                summary["slipped_homes"] += sb["homes"]
            if direction == "back":
                summary["phase_back"] += 1
            out_of_period += max(Fraction(0), sa["in_period"] - sb["in_period"])
        rows[plan_id] = {
            "id": plan_id,
            "municipality": (b or a or {})["municipality"],
            "status": status,
            "phase": {"old": sa["phase"], "new": sb["phase"], "direction": direction},
            "homes": {"old": sa["homes"], "new": sb["homes"]},
            "social_rent": {"old": sa["social_rent"], "new": sb["social_rent"]},
            "in_period": {"old": sa["in_period"], "new": sb["in_period"]},
            "delivery_shift": shift,
            "verdict": {"old": sa["verdict"], "new": sb["verdict"]},
            "obstacles_added": sorted(sb["obstacles"] - sa["obstacles"]),
            "obstacles_removed": sorted(sa["obstacles"] - sb["obstacles"]),
        }
    out["plans"] = rows
    summary["out_of_period"] = out_of_period
    out["summary"] = summary
    return out


# ----------------------------------------------------------------------------- Dutch forms


def nl(value: Any, digits: int = 0) -> str:
    """A number in Dutch form (7.000; 1.669,2), halves away from zero; MINUS for negatives."""
    rounded = half_up(value, digits)
    text = f"{abs(rounded):,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("\u2212" if rounded < 0 else "") + text


def nl_percent(value: Any, digits: int = 1, trim: bool = True) -> str:
    """A share as a Dutch percentage: 33,3%; 36% when trimmed, 36,0% when not."""
    text = nl(
        Fraction(str(value)) * 100 if not isinstance(value, Fraction) else value * 100, digits
    )
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"
