"""``woonplan check --format github``: workflow commands GitHub accepts, at the right lines.

Also the CI files that use it: the documented workflow equals ``examples/``, and the
pre-commit hook definition is what docs/ci.md says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CRITERIA, ROOT

from woonplan.problems import Problem
from woonplan.render.check_github import command, escape_data, escape_property

WORKFLOW_COMMAND = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::.*$")
SUMMARY = re.compile(
    r"^woonplan: \d+ plans? — \d+ pass, \d+ warn, \d+ fail, \d+ not reviewed, \d+ invalid$"
)

PLAN = """\
id: {id}
name: Test plan
municipality: Hilversum
phase: {phase}
homes:
  social_rent: {social}
  mid_rent: 40
  free_buy: {free}
delivery:
  {year}: {total}
public_transport:
  - stop: Hilversum
    type: train
    walking_distance_m: 300
work:
  jobs: {jobs}
"""


def plan_text(plan_id: str, social: int, free: int, jobs: int = 100, **kw: Any) -> str:
    """A plan of 40 mid-rent homes plus ``social`` and ``free`` (affordable share varies)."""
    values = {"phase": "preparation", "year": 2028} | kw
    total = social + 40 + free
    return PLAN.format(id=plan_id, social=social, free=free, jobs=jobs, total=total, **values)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as (kind, unescaped properties, unescaped message)."""
    head, _, message = line[2:].partition("::")
    kind, _, props = head.partition(" ")
    fields = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return kind, {k: unescape(v) for k, v in fields.items()}, unescape(message)


def unescape(text: str) -> str:
    """What the GitHub runner does to an escaped value (``%25`` last, as it does)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def github(run: Callable[..., Any], *paths: Path | str) -> Any:
    """``woonplan check PATHS --format github`` with the repository's criteria, as of 2025."""
    args = [str(p) for p in paths]
    return run("check", *args, "--format", "github", "--criteria", str(CRITERIA), "--as-of", "2025")


def commands(output: str) -> list[str]:
    """Every line but the last (the summary), each checked against the command syntax."""
    lines = output.splitlines()
    assert SUMMARY.match(lines[-1]), lines[-1]
    for line in lines[:-1]:
        assert WORKFLOW_COMMAND.match(line), line
    return lines[:-1]


def test_failing_required_criterion_is_an_error_at_the_social_rent_line(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    text = plan_text("fails", social=10, free=50)  # 10 % social rent: below the 30 % limit
    (tmp_path / "fails.yaml").write_text(text)
    result = github(run, tmp_path / "fails.yaml")
    assert result.exit_code == 1
    errors = [parse(c) for c in commands(result.stdout) if c.startswith("::error")]
    assert len(errors) == 1
    _, props, message = errors[0]
    assert props["file"] == str(tmp_path / "fails.yaml")
    assert props["line"] == str(line_of(text, "social_rent:"))
    assert props["col"] == str(text.splitlines()[int(props["line"]) - 1].index("10") + 1)
    assert "fails" in props["title"] and "Social rent share" in props["title"]
    assert "social_rent_share" in message and "required" in message


def test_warning_plan_gives_only_warnings_and_exit_0(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    # 31 % social rent: between limit (30 %) and target (33.3 %), so the criterion warns.
    text = plan_text("warns", social=31, free=29)
    (tmp_path / "warns.yaml").write_text(text)
    result = github(run, tmp_path)
    assert result.exit_code == 0
    parsed = [parse(c) for c in commands(result.stdout)]
    assert parsed and all(kind == "warning" for kind, _, _ in parsed)
    social = [p for _, p, m in parsed if "social_rent_share" in m]
    assert social and social[0]["line"] == str(line_of(text, "social_rent:"))
    assert result.stdout.splitlines()[-1].startswith("woonplan: 1 plan — 0 pass, 1 warn")


def test_data_warning_is_a_warning_at_the_delivery_year(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    text = plan_text("late", social=40, free=20, year=2023)  # preparation, delivery in the past
    (tmp_path / "late.yaml").write_text(text)
    result = github(run, tmp_path)
    overdue = [parse(c) for c in commands(result.stdout) if "overdue" in c]
    assert len(overdue) == 1
    kind, props, message = overdue[0]
    assert kind == "warning"
    assert props["line"] == str(line_of(text, "2023:"))
    assert message.startswith("delivery.2023: overdue")


def test_invalid_file_gives_one_error_per_problem_and_exit_2(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    text = plan_text("bad", social=-4, free=50).replace("mid_rent:", "mid_rnt:")
    (tmp_path / "bad.yaml").write_text(text)
    result = github(run, tmp_path)
    assert result.exit_code == 2
    parsed = [parse(c) for c in commands(result.stdout)]
    assert [kind for kind, _, _ in parsed] == ["error", "error"]
    by_path = {m.split(":")[0]: (p, m) for _, p, m in parsed}
    props, message = by_path["homes.social_rent"]
    assert props["line"] == str(line_of(text, "social_rent:"))
    assert message == "homes.social_rent: must be >= 0 (got -4)"
    props, message = by_path["homes.mid_rnt"]
    assert props["line"] == str(line_of(text, "mid_rnt:"))
    assert "did you mean 'mid_rent'" in message
    assert result.stdout.splitlines()[-1].endswith("1 invalid")


def test_mixed_folder_of_plans(tmp_path: Path, run: Callable[..., Any]) -> None:
    (tmp_path / "fails.yaml").write_text(plan_text("fails", social=10, free=50))
    (tmp_path / "warns.yaml").write_text(plan_text("warns", social=31, free=29))
    (tmp_path / "passes.yaml").write_text(plan_text("passes", social=40, free=0))
    (tmp_path / "small.yaml").write_text(plan_text("small", social=2, free=0))  # 42 < 50 homes
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    result = github(run, tmp_path)
    assert result.exit_code == 2  # an invalid file wins over a failing plan, as before
    files = {parse(c)[1]["file"] for c in commands(result.stdout)}
    assert {Path(f).name for f in files} == {"fails.yaml", "warns.yaml", "broken.yaml"}
    assert result.stdout.splitlines()[-1] == (
        "woonplan: 5 plans — 1 pass, 1 warn, 1 fail, 1 not reviewed, 1 invalid"
    )


def test_a_path_that_does_not_exist_has_no_line(run: Callable[..., Any], tmp_path: Path) -> None:
    present = tmp_path / "laren-brink.yaml"
    present.write_bytes((ROOT / "plans" / "laren-brink.yaml").read_bytes())
    result = github(run, tmp_path / "missing.yaml", present)
    [line] = [c for c in commands(result.stdout) if "missing.yaml" in c]
    kind, props, message = parse(line)
    assert kind == "error" and "line" not in props and "col" not in props
    assert message == "no such file or folder"


def test_bundled_plans_all_parse(run: Callable[..., Any]) -> None:
    result = github(run, ROOT / "plans")
    assert result.exit_code in (0, 1)
    assert commands(result.stdout)


def test_github_is_the_default_under_github_actions(
    tmp_path: Path, run: Callable[..., Any]
) -> None:
    (tmp_path / "fails.yaml").write_text(plan_text("fails", social=10, free=50))
    args = ["check", str(tmp_path), "--criteria", str(CRITERIA), "--as-of", "2025"]
    result = run(*args, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert commands(result.stdout)[0].startswith("::error file=")


def test_escaping_is_the_toolkits() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"
    assert escape_data("%0A") == "%250A"  # escaped text cannot turn into a line break


def test_hostile_text_cannot_inject_a_second_command() -> None:
    problem = Problem("plans/a,b:c.yaml", 3, 0, "notes", "x", "unknown-key")
    line = command("warning", problem, "t,i:t=le", "one\n::error::two")
    assert "\n" not in line
    assert WORKFLOW_COMMAND.match(line)
    _, props, message = parse(line)
    assert props == {"file": "plans/a,b:c.yaml", "line": "3", "title": "t,i:t=le"}
    assert message == "one\n::error::two"


# --- the CI files that use the format ----------------------------------------------------------


def _fenced_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```ya?ml\n(.*?)^```$", markdown, flags=re.S | re.M)


@pytest.mark.parametrize("example", ["github-workflow.yml", "gitlab-ci.yml"])
def test_docs_show_the_example_files_verbatim(example: str) -> None:
    text = (ROOT / "examples" / example).read_text()
    assert text in _fenced_blocks((ROOT / "docs" / "ci.md").read_text())
    assert yaml.safe_load(text)


def test_github_workflow_runs_check_summary_and_artifact() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["woonplan"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert "woonplan check plans/" in runs
    summary = next(s for s in runs if s.startswith("woonplan check plans/ --format markdown"))
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary
    summary_step = steps[runs.index(summary)]
    assert summary_step["if"] == "always()"
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"


def test_pre_commit_hook_definition() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "woonplan-check"
    assert hook["entry"] == "woonplan check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("plans/hilversum-arenapark.yaml")
    assert pattern.search("plans/sub/x.yml")
    assert not pattern.search("plans/README.md")
    assert not pattern.search("criteria.yaml")
