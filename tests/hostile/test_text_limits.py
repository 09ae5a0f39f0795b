"""Text fields of a plan are bounded (docs/security.md, "Every limit"): 10,000 characters, notes
100,000; one more is ``wrong-length`` at the value's line."""

from __future__ import annotations

import pytest
from probe import plan_text

from woonplan.checking.model_errors import validate_model
from woonplan.checking.models import Plan
from woonplan.reading.source import parse_text


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 10_000), ("notes", 100_000), ("municipality", 10_000)]
)
def test_text_fields_are_bounded(field: str, limit: int) -> None:
    for length, codes in ((limit, []), (limit + 1, ["wrong-length"])):
        text = (
            plan_text("x", **{field: "a" * length})
            if field != "notes"
            else plan_text("x", f"notes: {'a' * length}\n")
        )
        doc = parse_text(text, "x.yaml")
        _, problems = validate_model(Plan, doc)
        assert [p.code for p in problems] == codes, (field, length)
