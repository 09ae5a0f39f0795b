"""Problem codes: the table in docs/codes.md and ``problems.CODES`` list the same codes."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

from woonplan.problems import CODES

ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", re.M)


def test_the_docs_table_lists_exactly_the_codes_in_the_code() -> None:
    documented = ROW.findall((ROOT / "docs" / "codes.md").read_text(encoding="utf-8"))
    assert [code for code, _ in documented] == list(CODES)


def test_codes_are_kebab_case_and_distinct_from_criterion_ids() -> None:
    for code in CODES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert "_" not in code  # criterion ids (the codes of findings) are snake_case


CODE_ARGUMENT = {"Problem": 5, "problem": 2, "at_key": 3, "fail": 1, "place": 2}
"""Where the code stands among the positional arguments of each way a problem is made."""


def _codes_in_calls(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        index = CODE_ARGUMENT.get(name)
        if index is None or len(node.args) <= index:
            continue
        arg = node.args[index]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
            found.add(arg.value)
    return found


def test_every_code_written_in_src_is_a_known_code() -> None:
    used: set[str] = set()
    for path in (ROOT / "src" / "woonplan").rglob("*.py"):
        used |= _codes_in_calls(ast.parse(path.read_text(encoding="utf-8")))
    assert len(used) > 30  # the walk finds the calls at all
    assert used - set(CODES) == set()
