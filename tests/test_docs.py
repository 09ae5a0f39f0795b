"""Documentation that cannot drift: README covers every command and option, and the example
outputs in docs/progress.md are the real outputs on the bundled data.

Regenerate the examples with ``UPDATE_DOCS=1 python -m pytest tests/test_docs.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from woonplan.cli import app

ROOT = Path(__file__).resolve().parent.parent

README = (ROOT / "README.md").read_text(encoding="utf-8")
PROGRESS_DOC = ROOT / "docs" / "progress.md"
VOORTGANG_DOC = ROOT / "docs" / "voortgang.md"
"""The Dutch twin of progress.md: the same example, generated in Dutch."""


def _commands() -> dict[str, list[str]]:
    group = typer.main.get_command(app)
    out: dict[str, list[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = [opt for param in command.params for opt in param.opts if opt.startswith("--")]
    return out


def test_every_command_has_a_readme_section() -> None:
    for name in _commands():
        assert f"### `woonplan {name}" in README, f"README.md has no section for {name}"


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_option_is_documented(command: str) -> None:
    for option in _commands()[command]:
        if option == "--help":
            continue
        assert f"`{option}" in README, f"README.md does not document {command} {option}"


def test_readme_quick_start_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert "pip install -e '.[test]'" in blocks[0] and "woonplan progress" in blocks[0]
    assert blocks[1] == "python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"\n{blocks[1]}\n" in ci, ".ci/run must run the README's test command"


def _example(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.mark.parametrize(
    ("page", "marker", "args", "fence"),
    [
        (PROGRESS_DOC, "progress-table", ["progress", "plans", "--as-of", "2026"], "text"),
        (
            PROGRESS_DOC,
            "progress-json",
            ["progress", "plans", "--as-of", "2026", "--format", "json"],
            "json",
        ),
        (
            VOORTGANG_DOC,
            "progress-table",
            ["progress", "plans", "--as-of", "2026", "--lang", "nl"],
            "text",
        ),
    ],
)
def test_progress_examples_are_current(
    page: Path, marker: str, args: list[str], fence: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    body = f"```{fence}\n{_example(args).rstrip()}\n```"
    doc = page.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- begin: {marker} -->\n)(.*?)(<!-- end: {marker} -->)", flags=re.S)
    match = pattern.search(doc)
    assert match, f"docs/{page.name} lacks the {marker} markers"
    if os.environ.get("UPDATE_DOCS") == "1":
        doc = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), doc)
        page.write_text(doc, encoding="utf-8")
        return
    assert match.group(2) == body + "\n", (
        f"docs/{page.name} {marker} is stale: run UPDATE_DOCS=1 python -m pytest tests/test_docs.py"
    )


PLAN_ERRORS = [
    "negative-homes",
    "typo-key",
    "unknown-phase",
    "municipality-case",
    "delivery-sum",
    "id-mismatch",
    "duplicate-key-top",
    "quoted-number",
    "fraction-homes",
    "unknown-exemption",
    "year-out-of-range",
    "missing-name",
    "zero-homes",
    "yaml-syntax",
]
"""The common mistakes that docs/planbestand.md shows with their real Dutch messages."""


def test_plan_author_page_shows_the_real_dutch_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = [f"tests/examples/invalid/{name}.yaml" for name in PLAN_ERRORS]
    result = CliRunner().invoke(app, ["check", *files, "--format", "json", "--lang", "nl"])
    assert result.exit_code == 2, result.output
    lines = [
        f"{e['file']}:{e['line']}:{e['column']}: "
        + (f"{e['path']}: " if e["path"] else "")
        + e["message"]
        for plan in json.loads(result.stdout)["plans"]
        for e in plan["errors"]
    ]
    body = "```text\n" + "\n".join(lines) + "\n```"
    page = ROOT / "docs" / "planbestand.md"
    doc = page.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- begin: plan-errors -->\n)(.*?)(<!-- end: plan-errors -->)", re.S)
    match = pattern.search(doc)
    assert match, "docs/planbestand.md lacks the plan-errors markers"
    if os.environ.get("UPDATE_DOCS") == "1":
        page.write_text(pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), doc), "utf-8")
        return
    assert match.group(2) == body + "\n", (
        "docs/planbestand.md is stale: run UPDATE_DOCS=1 python -m pytest tests/test_docs.py"
    )


def test_readme_criterion_example_loads_and_keeps_small_plans_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = re.search(r"```yaml\n(  - id: .*?)```", README, flags=re.S)
    assert example, "README.md lost its criterion example"
    criteria = tmp_path / "criteria.yaml"
    criteria.write_text(
        (ROOT / "criteria.yaml").read_text(encoding="utf-8") + "\n" + example.group(1),
        encoding="utf-8",
    )
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["check", "plans", "--criteria", str(criteria), "--format", "json", "--as-of", "2026"]
    )
    assert result.exit_code in (0, 1), result.output
    small = [p for p in json.loads(result.stdout)["plans"] if p["id"] == "laren-brink"]
    assert small[0]["verdict"] == "not_reviewed"


def test_ci_doc_python_recipe_validates_the_bundled_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    recipe = re.search(r"```python\n(.*?)```", doc, flags=re.S)
    assert recipe, "docs/ci.md lost its Python recipe"
    schema = CliRunner().invoke(app, ["schema", "plan", "--criteria", str(ROOT / "criteria.yaml")])
    (tmp_path / "plan.schema.json").write_text(schema.stdout, encoding="utf-8")
    (tmp_path / "plans").symlink_to(ROOT / "plans")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(recipe.group(1), scope)  # the documented snippet, as written
    assert scope["errors"] == []


def test_readme_progress_excerpt_is_current() -> None:
    # The README shows the head of `woonplan progress`; docs/progress.md holds the whole run,
    # regenerated by UPDATE_DOCS=1, so the excerpt's lines must be found there.
    excerpt = re.search(r"README progress excerpt.*?\n```text\n(.*?)```", README, flags=re.S)
    assert excerpt, "README.md lost its progress excerpt"
    doc = PROGRESS_DOC.read_text(encoding="utf-8")
    assert excerpt.group(1) in doc, (
        "README's progress excerpt is stale: copy it from docs/progress.md"
    )
