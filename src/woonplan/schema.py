"""JSON Schema of a plan file and of criteria.yaml, generated from the pydantic models.

The models in :mod:`woonplan.checking.models` are the schema; this module only asks pydantic for it
(``model_json_schema``) and adjusts what other tools need, never keeping a copy by hand:

- ``$schema`` (draft 2020-12), ``$id`` and a title, so validators and editors know what it is;
- ``delivery`` keys (and criteria.yaml's ``region.price_limits`` keys): YAML reads ``2027:`` as
  a whole number, pydantic checks it as a year, but yaml-language-server and JSON-based
  validators see every key as a string, so the keys are described with ``propertyNames`` and a
  pattern for the years 1900–2100;
- dates (``exemptions[].decided``) stay ``type: string, format: date``: a YAML date such as
  ``2025-03-12`` reaches those tools as the string ``"2025-03-12"``;
- given the region's criteria, ``municipality`` becomes an enum of the region's municipalities
  and ``exemptions[].criterion`` an enum of the criterion ids, as ``woonplan check`` requires.

Everything else comes from pydantic as it is: ``additionalProperties: false`` on every
mapping (unknown keys), ``type: integer`` for counts and years (strict mode: no text, no
``true``), ``minimum: 0`` for counts and distances, enums for phases, stop types and obstacle
categories. The keywords used mean the same in draft-07, so older validators agree.

What JSON Schema cannot see, ``woonplan check`` still checks: the homes total and the delivery
sum, the id against the file name and other files, duplicate keys, and the YAML-versus-JSON
differences (a quoted ``"2027":`` key, a quoted date, ``60.0`` where a whole number belongs).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any, Literal

from woonplan import __version__
from woonplan.checking.models import CriteriaFile, Plan

if TYPE_CHECKING:
    from woonplan.checking.criteria import Criteria

SchemaKind = Literal["plan", "criteria"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
YEAR_KEY = r"^(19[0-9]{2}|20[0-9]{2}|2100)$"
"""A delivery key as text: a year 1900–2100, as :data:`woonplan.checking.models.Year` allows."""


def plan_schema(criteria: Criteria | None = None) -> dict[str, Any]:
    """JSON Schema of a plan file; with ``criteria``, municipalities and criterion ids as enums."""
    schema = _base(Plan, "plan", "woonplan plan file")
    props = schema["properties"]
    props["delivery"]["propertyNames"] = {"type": "string", "pattern": YEAR_KEY}
    if criteria is not None:
        region = criteria.region
        schema["title"] = f"woonplan plan file ({region.name})"
        props["municipality"] = _enum(props["municipality"], list(region.municipalities))
        exemption = schema["$defs"]["Exemption"]["properties"]
        exemption["criterion"] = _enum(exemption["criterion"], [c.id for c in criteria.criteria])
    return schema


def criteria_schema() -> dict[str, Any]:
    """JSON Schema of criteria.yaml."""
    schema = _base(CriteriaFile, "criteria", "woonplan criteria.yaml")
    limits = schema["$defs"]["Region"]["properties"]["price_limits"]
    limits["propertyNames"] = {"type": "string", "pattern": YEAR_KEY}
    return schema


def schema_for(kind: SchemaKind, criteria: Criteria | None = None) -> dict[str, Any]:
    """The schema of ``kind``: ``plan`` (with the region's enums if given) or ``criteria``."""
    return plan_schema(criteria) if kind == "plan" else criteria_schema()


def schema_text(kind: SchemaKind, criteria: Criteria | None = None) -> str:
    """The schema of ``kind`` as indented JSON text."""
    return json.dumps(schema_for(kind, criteria), indent=2, ensure_ascii=False) + "\n"


def _base(model: type[Plan] | type[CriteriaFile], name: str, title: str) -> dict[str, Any]:
    generated = copy.deepcopy(model.model_json_schema(mode="validation"))
    head = {
        "$schema": DRAFT,
        "$id": f"urn:woonplan:schema:{name}:{__version__}",
        "title": title,
    }
    generated.pop("title", None)
    return head | generated


def _enum(prop: dict[str, Any], values: list[str]) -> dict[str, Any]:
    """``prop`` with its text constraints replaced by a list of allowed values."""
    kept = {k: v for k, v in prop.items() if k in ("title", "description", "default")}
    if not values:
        # An empty enum is unsatisfiable but not every tool accepts it; say the same plainly.
        return kept | {"not": {}}
    return kept | {"type": "string", "enum": values}
