"""A plan as clean, readable YAML: keys in the documented order, no empty sections.

Used by ``woonplan import``. Segments with 0 homes are left out (absent means 0); lists are
indented under their key as in the bundled plans; text with line breaks is a ``|`` block.
"""

from __future__ import annotations

from typing import Any

import yaml

from woonplan.checking.models import SEGMENTS, Plan, Segments


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents block lists under their key (``  - item``)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def plan_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in the documented key order, without empty sections."""
    data: dict[str, Any] = {
        "id": plan.id,
        "name": plan.name,
        "municipality": plan.municipality,
        "phase": plan.phase,
    }
    if plan.initiators:
        data["initiators"] = list(plan.initiators)
    data["homes"] = _segments(plan.homes)
    if demolished := _segments(plan.demolished):
        data["demolished"] = demolished
    if plan.prices is not None:
        prices = {k: _number(v) for k, v in plan.prices.model_dump().items() if v is not None}
        if prices:
            data["prices"] = prices
    data["delivery"] = dict(sorted(plan.delivery.items()))
    if plan.public_transport:
        data["public_transport"] = [
            {"stop": s.stop, "type": s.type, "walking_distance_m": _number(s.walking_distance_m)}
            for s in plan.public_transport
        ]
    if plan.work is not None:
        data["work"] = {"jobs": plan.work.jobs}
        if plan.work.floor_area_m2 is not None:
            data["work"]["floor_area_m2"] = _number(plan.work.floor_area_m2)
    if plan.obstacles:
        data["obstacles"] = [
            {"category": o.category} | ({"note": o.note} if o.note is not None else {})
            for o in plan.obstacles
        ]
    if plan.exemptions:
        data["exemptions"] = [
            {"criterion": e.criterion, "reason": e.reason, "decided": e.decided}
            for e in plan.exemptions
        ]
    if plan.notes is not None:
        data["notes"] = plan.notes
    return data


def plan_yaml(plan: Plan, comment: str) -> str:
    """The plan file's text, starting with ``# comment``."""
    body = yaml.dump(
        plan_data(plan),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100_000,
    )
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return header + body


def _segments(segments: Segments) -> dict[str, int]:
    return {s: getattr(segments, s) for s in SEGMENTS if getattr(segments, s)}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
