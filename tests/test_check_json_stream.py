"""``check --format json`` keeps the plans' entries in a temporary file (a ``Spool``) and writes
the document piece by piece (issue 17): the same bytes as the whole text, also when a later
file's id makes a spooled entry invalid, and ``-o FILE`` is still all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PLANS, ROOT
from typer.testing import CliRunner

from woonplan.checking import contract
from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.cli import app
from woonplan.render import Style, check_json, jsontext

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream") / "plans"
    generate(folder, 40, seed=7)
    return folder


@pytest.mark.parametrize("in_memory", [0, 10, 1000])
def test_spooled_entries_give_the_same_json(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: int
) -> None:
    """Entries in the file, in memory, or both; a file whose id a later file uses too (both
    invalid after their entries were made) is written anew."""
    monkeypatch.setattr(check_json, "IN_MEMORY", in_memory)
    criteria = load_criteria(ROOT / "criteria.yaml")
    twin = tmp_path / "twin"
    twin.mkdir()
    first = sorted(generated.iterdir())[0]
    (twin / first.name).write_bytes(first.read_bytes())
    paths = [PLANS / "missing.yaml", generated, twin]
    full = check_paths(paths, criteria, 2026)
    spool = check_json.Spool()
    kept = check_paths(paths, criteria, 2026, check_json.slim, spool.keep)
    expected = jsontext.dumps(contract.as_dict(full)) + "\n"
    assert "".join(check_json.stream(kept)) == expected
    assert check_json.render(kept, Style()) == expected  # read twice: the file is read again
    spooled = [p for p in kept.plans if isinstance(p.kept, check_json.SpooledText)]
    assert len(spooled) == max(0, 41 - in_memory)  # 40 generated plans and the twin
    assert not kept.plans[1].valid  # the generated twin: invalid after its entry was spooled


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(app, ["check", *args, "--format", "json", "--as-of", "2026"])


def test_output_file_has_the_streamed_bytes(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_json, "IN_MEMORY", 5)
    target = tmp_path / "out.json"
    to_stdout = _invoke(str(generated))
    to_file = _invoke(str(generated), "-o", str(target))
    assert to_stdout.exit_code == to_file.exit_code
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert to_stdout.stdout.startswith('{\n  "plans": [') and '"summary"' in to_stdout.stdout


def test_a_failure_while_streaming_leaves_the_previous_file(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_json, "IN_MEMORY", 5)
    target = tmp_path / "out.json"
    target.write_text("previous report\n", encoding="utf-8")

    def broken(self: Any, offset: int, size: int) -> str:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(check_json.Spool, "read", broken)
    result = _invoke(str(generated), "-o", str(target))
    assert result.exit_code == 2
    assert "Input/output error" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
