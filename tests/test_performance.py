"""The speed-ups change nothing: parallel checking and the fast JSON writer give the same output."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from woonplan.checking import parallel
from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import (
    CheckReport,
    check_file,
    check_paths,
    mark_duplicate_ids,
)
from woonplan.reading.plan_files import find_plan_files
from woonplan.render import Style, check_json, jsontext

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats()
trees = st.recursive(
    leaves, lambda inner: st.lists(inner) | st.tuples(inner) | st.dictionaries(keys, inner)
)


@settings(max_examples=500)
@given(trees)
def test_jsontext_is_json_dumps_with_indent(data: object) -> None:
    assert jsontext.dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_parallel_check_equals_serial(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    generate(plans / "generated", parallel.MIN_FILES + 20)
    for name in ("typo-key.yaml", "duplicate-key-top.yaml", "yaml-syntax.yaml"):
        shutil.copy(ROOT / "tests" / "examples" / "invalid" / name, plans / name)
    first = sorted((plans / "generated").iterdir())[3]
    (plans / "zz").mkdir()
    shutil.copy(first, plans / "zz" / first.name)  # the same id in two files
    criteria = load_criteria(ROOT / "criteria.yaml")
    files, _ = find_plan_files([plans])
    assert parallel.worker_count(len(files)) > 1 or sys.platform != "linux"

    serial = [check_file(f, criteria, 2026) for f in files]
    report = check_paths([plans], criteria, 2026)
    expected = CheckReport(tuple(mark_duplicate_ids(serial)), criteria, 2026)
    assert check_json.render(report, Style()) == check_json.render(expected, Style())
    assert [p.result for p in report.plans] == [p.result for p in expected.plans]
    assert report.summary()["invalid"] == 5
    criterion = next(p.result for p in report.plans if p.result).criteria[0].criterion
    assert criterion is criteria.criteria[0]  # results point at the caller's own criteria
