"""``woonplan schema``: the generated JSON Schema accepts every valid plan and rejects what
woonplan rejects where JSON Schema can say it, as other tools (jsonschema, yaml-language-server)
see the files."""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import CRITERIA, EXAMPLES, ROOT
from jsonschema import Draft7Validator, Draft202012Validator

from woonplan.checking.criteria import load_criteria
from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import CriteriaFile, Plan
from woonplan.reading.source import load_file
from woonplan.schema import criteria_schema, plan_schema

_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _core_schema_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit resolvers without timestamps, and with YAML 1.2's booleans."""
    out: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = []
        for tag, regex in resolvers:
            if tag == "tag:yaml.org,2002:timestamp":
                continue
            kept.append((tag, _BOOL_1_2 if tag == "tag:yaml.org,2002:bool" else regex))
        out[first] = kept
    return out


class _EditorLoader(yaml.SafeLoader):
    """PyYAML's safe loader, resolving plain scalars as YAML 1.2's core schema does.

    yaml-language-server reads YAML 1.2: ``2025-03-12`` is a string there (1.2 has no
    timestamp type) and only ``true``/``false`` are booleans (``yes``/``no``/``on``/``off``
    are strings); PyYAML follows YAML 1.1 and makes dates and ``yes`` into Python values.
    """

    yaml_implicit_resolvers = _core_schema_resolvers()


def as_editor_sees(text: str) -> Any:
    """A YAML document as yaml-language-server and JSON validators see it.

    They validate the JSON view of the YAML: mapping keys are strings (``2027:`` is the key
    ``"2027"``), dates are strings, and only ``true``/``false`` are booleans (see
    :class:`_EditorLoader`). Anything else (ints, floats, lists, null) is the same as PyYAML's.
    """
    return _jsonish(yaml.load(text, Loader=_EditorLoader))


def _jsonish(value: Any) -> Any:
    if isinstance(value, dict):
        return {_key(k): _jsonish(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonish(v) for v in value]
    if isinstance(value, datetime.date):  # only from explicit !!timestamp tags
        return value.isoformat()
    return value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def validators(schema: dict[str, Any]) -> list[jsonschema.protocols.Validator]:
    """Draft 2020-12 (what the schema says) and draft-07 (what older tools speak), with formats."""
    return [
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER),
        Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER),
    ]


def errors(schema: dict[str, Any], instance: Any) -> list[str]:
    """The schema errors of ``instance``, the same under both drafts."""
    found = [sorted(e.message for e in v.iter_errors(instance)) for v in validators(schema)]
    assert found[0] == found[1], found
    return found[0]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return plan_schema(load_criteria(CRITERIA))


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml")) if folder.is_dir() else []


BUNDLED = _yaml_files(ROOT / "plans")
VALID_EXAMPLES = _yaml_files(EXAMPLES / "valid")
INVALID_EXAMPLES = _yaml_files(EXAMPLES / "invalid")


def test_the_schemas_are_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    for generated in (schema, plan_schema(), criteria_schema()):
        Draft202012Validator.check_schema(generated)
        assert generated["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert generated["$id"].startswith("urn:woonplan:schema:")
        assert generated["title"].startswith("woonplan ")


def test_the_schema_is_the_models(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(Plan.model_fields)
    assert set(schema["required"]) == {n for n, f in Plan.model_fields.items() if f.is_required()}
    assert set(criteria_schema()["properties"]) == set(CriteriaFile.model_fields)
    # Without criteria, nothing regional is added; with them, only the two enums differ.
    bare = plan_schema()
    assert "enum" not in bare["properties"]["municipality"]
    assert schema["properties"]["municipality"]["enum"] == list(
        load_criteria(CRITERIA).region.municipalities
    )
    assert {k: v for k, v in bare["properties"].items() if k != "municipality"} == {
        k: v for k, v in schema["properties"].items() if k != "municipality"
    }


def test_mappings_are_closed_and_counts_are_whole_non_negative(schema: dict[str, Any]) -> None:
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())
    segment = schema["$defs"]["Segments"]["properties"]["social_rent"]
    assert segment["type"] == "integer" and segment["minimum"] == 0
    delivery = schema["properties"]["delivery"]
    assert delivery["additionalProperties"] == {"minimum": 0, "type": "integer"}
    assert delivery["propertyNames"]["pattern"] == r"^(19[0-9]{2}|20[0-9]{2}|2100)$"
    decided = schema["$defs"]["Exemption"]["properties"]["decided"]
    assert decided == decided | {"type": "string", "format": "date"}


@pytest.mark.parametrize("path", BUNDLED + VALID_EXAMPLES, ids=lambda p: p.name)
def test_every_valid_plan_is_accepted(schema: dict[str, Any], path: Path) -> None:
    assert errors(schema, as_editor_sees(path.read_text())) == []


def test_there_are_plans_to_check() -> None:
    assert len(BUNDLED) >= 10


def _full() -> dict[str, Any]:
    path = EXAMPLES / "valid" / "full.yaml"
    source = path if path.is_file() else BUNDLED[0]
    data: dict[str, Any] = as_editor_sees(source.read_text())
    data.setdefault("exemptions", [])
    data["exemptions"].append(
        {"criterion": "affordable_share", "reason": "decided", "decided": "2025-03-12"}
    )
    data.setdefault("public_transport", []).append(
        {"stop": "x", "type": "bus", "walking_distance_m": 12}
    )
    data.setdefault("obstacles", []).append({"category": "costs"})
    return data


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target: Any = data
    for part in parents:
        target = target[part]
    target[last] = value
    return data


REJECTED = {
    # unknown keys, at the top and nested
    "unknown key": ("socal_rent", 5),
    "unknown nested key": ("homes.socal_rent", 5),
    "unknown key in a list item": ("public_transport.0.distance", 5),
    # wrong types (strict: no text for numbers, no booleans, no fractions for counts)
    "text for a count": ("homes.social_rent", "60"),
    "boolean for a count": ("homes.social_rent", True),
    "fraction for a count": ("homes.social_rent", 12.5),
    "number for text": ("name", 2024),
    "text for a list": ("initiators", "Dudok Wonen"),
    "null for a list": ("obstacles", None),
    "boolean for a distance": ("public_transport.0.walking_distance_m", True),
    "fraction for a distance (whole metres)": ("public_transport.0.walking_distance_m", 1.65),
    "not a date": ("exemptions.0.decided", "12 March 2025"),
    "impossible date": ("exemptions.0.decided", "2025-02-30"),
    "delivery year as text": ("delivery", {"next year": 10}),
    "delivery year out of range": ("delivery", {"2101": 10}),
    # negative numbers
    "negative homes": ("homes.social_rent", -4),
    "negative demolished": ("demolished", {"social_rent": -1}),
    "negative delivery": ("delivery", {"2027": -1}),
    "negative distance": ("public_transport.0.walking_distance_m", -1),
    "negative jobs": ("work", {"jobs": -1}),
    # unknown enum values
    "unknown phase": ("phase", "planning"),
    "unknown stop type": ("public_transport.0.type", "tram"),
    "unknown obstacle": ("obstacles.0.category", "weather"),
    "unknown municipality": ("municipality", "Amsterdam"),
    "municipality in the wrong case": ("municipality", "hilversum"),
    "unknown exemption criterion": ("exemptions.0.criterion", "parking"),
    "id not a slug": ("id", "Hilversum_Plan"),
}


def test_the_base_plan_for_rejections_is_valid(schema: dict[str, Any]) -> None:
    assert errors(schema, _full()) == []


@pytest.mark.parametrize("case", REJECTED, ids=str)
def test_invalid_plans_are_rejected(schema: dict[str, Any], case: str) -> None:
    path, value = REJECTED[case]
    assert errors(schema, _set(_full(), path, value)), case


def _woonplan_rejects_structurally(path: Path) -> bool | None:
    """Whether woonplan refuses the file for a reason JSON Schema expresses.

    True: the model refuses it, or its municipality or an exemption's criterion is unknown
    (the schema's enums). False: only rules across fields or files (totals, id = file name).
    None: the file is not YAML that a JSON validator could see (syntax, duplicate keys, tags).
    """
    doc = load_file(path, str(path))
    if doc.problems:
        return None
    model, _ = validate_model(Plan, doc)
    if model is None:
        return True
    region = load_criteria(CRITERIA)
    ids = {c.id for c in region.criteria}
    return model.municipality not in region.region.municipalities or any(
        e.criterion not in ids for e in model.exemptions
    )


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=lambda p: p.name)
def test_invalid_examples_agree_with_woonplan(schema: dict[str, Any], path: Path) -> None:
    """Every invalid example that woonplan refuses on structure is refused by the schema too."""
    expressible = _woonplan_rejects_structurally(path)
    if expressible is None:
        pytest.skip("not YAML that a JSON validator sees (syntax, duplicate key, tag)")
    try:
        data = as_editor_sees(path.read_text())
    except yaml.YAMLError:
        pytest.skip("YAML 1.2 reads this file differently")
    if expressible:
        assert errors(schema, data), path.name
    else:
        pytest.skip("refused by a rule across fields or files, which JSON Schema cannot see")


def test_cli_prints_and_writes_the_schema(tmp_path: Path, run: Callable[..., Any]) -> None:
    printed = run("schema", "--criteria", str(CRITERIA))
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == plan_schema(load_criteria(CRITERIA))
    target = tmp_path / "plan.schema.json"
    written = run("schema", "plan", "--criteria", str(CRITERIA), "--output", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_text() == printed.stdout
    criteria = run("schema", "criteria")
    assert json.loads(criteria.stdout) == criteria_schema()


def test_cli_takes_the_region_from_the_criteria_file(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    text = CRITERIA.read_text().replace("Wijdemeren]", "Wijdemeren, Weesp]", 1)
    assert "Weesp" in text
    (tmp_path / "criteria.yaml").write_text(text)
    result = run("schema", "--criteria", str(tmp_path / "criteria.yaml"))
    assert json.loads(result.stdout)["properties"]["municipality"]["enum"][-1] == "Weesp"


def test_cli_refuses_a_broken_criteria_file(tmp_path: Path, run: Callable[..., Any]) -> None:
    (tmp_path / "criteria.yaml").write_text("region: [\n")
    result = run("schema", "--criteria", str(tmp_path / "criteria.yaml"))
    assert result.exit_code == 2
    assert "criteria.yaml:" in result.stderr


def test_criteria_schema_accepts_the_region_file() -> None:
    data = as_editor_sees(CRITERIA.read_text())
    assert errors(criteria_schema(), data) == []
    assert errors(criteria_schema(), _set(data, "region.target_homes", -1))
    assert errors(criteria_schema(), _set(data, "criteria.0.better", "more"))


def test_criteria_schema_covers_policy_tests_and_price_limits() -> None:
    data = as_editor_sees(CRITERIA.read_text())
    assert data["policy_tests"] and data["region"]["price_limits"]
    assert errors(criteria_schema(), _set(data, "policy_tests.0.metric", "affordable_shar"))
    assert errors(criteria_schema(), _set(data, "policy_tests.0.scope", "province"))
    zero = copy.deepcopy(data)
    zero["region"]["price_limits"]["2026"]["mid_rent"] = 0  # a limit must be > 0
    assert errors(criteria_schema(), zero)
    bad_year = copy.deepcopy(data)
    bad_year["region"]["price_limits"]["26"] = bad_year["region"]["price_limits"]["2026"]
    assert errors(criteria_schema(), bad_year)


def test_plan_schema_covers_prices() -> None:
    prices = plan_schema()["$defs"]["Prices"]
    assert set(prices["properties"]) == {"social_rent", "mid_rent", "affordable_buy"}
    assert prices["additionalProperties"] is False
