"""source.py: YAML loading with positions; bad and hostile files become problems, not exceptions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from woonplan.reading import source
from woonplan.reading.positions import dotted, locate
from woonplan.reading.source import load_file, parse_text

PLAN = """\
id: x
name: Test
homes:
  social_rent: 40
  free_buy: 60
public_transport:
  - stop: Hilversum
    type: train
"""


def lines(text: str) -> list[str]:
    return [str(p) for p in parse_text(text, "x.yaml").problems]


def test_plain_file_has_data_and_no_problems() -> None:
    doc = parse_text(PLAN, "x.yaml")
    assert doc.ok
    assert doc.data["homes"] == {"social_rent": 40, "free_buy": 60}


def test_locate_gives_one_based_line_and_column_of_the_value() -> None:
    doc = parse_text(PLAN, "x.yaml")
    assert locate(doc.node, ("homes", "free_buy")) == (5, 13)
    assert locate(doc.node, ("public_transport", 0, "type")) == (8, 11)
    # a path that does not exist: its deepest existing parent
    assert locate(doc.node, ("homes", "mid_rent")) == (4, 3)
    assert locate(None, ("homes",)) == (1, 1)


def test_dotted_paths_use_brackets_for_list_items() -> None:
    assert dotted(("public_transport", 0, "type")) == "public_transport[0].type"
    assert dotted(("homes", "social_rent")) == "homes.social_rent"
    assert dotted(()) == ""


def test_duplicate_key_at_top_level() -> None:
    assert lines(PLAN + "name: Again\n") == ["x.yaml:9:1: name: duplicate key 'name'"]


def test_duplicate_key_in_a_nested_mapping() -> None:
    text = PLAN.replace("  free_buy: 60\n", "  free_buy: 60\n  social_rent: 4\n")
    assert lines(text) == ["x.yaml:6:3: homes.social_rent: duplicate key 'social_rent'"]


def test_duplicate_key_inside_a_list_item() -> None:
    assert lines(PLAN + "    type: bus\n") == [
        "x.yaml:9:5: public_transport[0].type: duplicate key 'type'"
    ]


def test_every_duplicate_is_reported() -> None:
    assert len(lines(PLAN + "name: Again\nid: y\n")) == 2


def test_yaml_syntax_error_has_its_line_and_column() -> None:
    assert lines("id: x\nname: Test: plan\n") == [
        "x.yaml:2:11: invalid YAML: mapping values are not allowed in this context"
    ]


def test_python_tag_is_refused_with_its_position() -> None:
    (line,) = lines("id: x\nnotes: !!python/object/apply:os.system [echo hi]\n")
    assert line == (
        "x.yaml:2:8: notes: invalid YAML: tag !!python/object/apply:os.system is not allowed; "
        "plan files hold plain data only"
    )


def test_impossible_date_is_an_error_with_its_position() -> None:
    (line,) = lines("id: x\ndecided: 2025-02-30\n")
    assert line.startswith("x.yaml:2:10: decided: invalid YAML: impossible date '2025-02-30'")


def test_merge_keys_are_refused() -> None:
    (line,) = lines("a: &a {x: 1}\nb:\n  <<: *a\n")
    assert line.startswith("x.yaml:3:3: b: invalid YAML: merge keys (<<) are not allowed")


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join(['*' + prev] * 10)}]\n"
    (line,) = lines(bomb)
    assert "alias bomb" in line


def test_a_few_aliases_are_fine() -> None:
    assert lines("a: &a [1, 2]\nb: *a\n") == []


def test_empty_text_has_no_data_and_no_problem() -> None:
    doc = parse_text("", "x.yaml")
    assert doc.ok and doc.data is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"id: x\x00\n", "x.yaml: not a text file (contains NUL bytes); plan files are UTF-8 YAML"),
        (b"id: x\nname: \xff\n", "x.yaml:2: not valid UTF-8 (byte 0xff); save as UTF-8"),
    ],
)
def test_binary_and_wrong_encoding_are_refused(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    assert [str(p) for p in load_file(path, "x.yaml").problems] == [expected]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: Caf\xc3\xa9\n")
    doc = load_file(path)
    assert doc.ok and doc.data == {"name": "Café"}


def test_too_large_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)
    path = tmp_path / "x.yaml"
    path.write_text("notes: " + "x" * 200 + "\n")
    (problem,) = load_file(path, "x.yaml").problems
    assert "file is too large" in problem.message


def test_folder_and_missing_file_are_problems(tmp_path: Path) -> None:
    assert load_file(tmp_path, "dir").problems[0].message == "not a regular file"
    assert load_file(tmp_path / "nope.yaml").problems[0].message.startswith("cannot read file")


def test_a_value_that_cannot_be_built_names_its_field() -> None:
    text = "homes:\n  social_rent: 99999999999999999999999999999999999999\n"
    (line,) = lines(text)
    assert line == (
        "x.yaml:2:16: homes.social_rent: invalid YAML: number 99999999999999999999... "
        "(38 characters) is too large (at most 1,000,000,000,000,000)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: 017",  # YAML 1.1 octal: 15, not 17
        "a: 010",
        "a: 0",
        "a: 012345670123456",
        "a: !!int '017'",
        "=: 1",  # the key `=` is text
        "a: !!omap [{x: 1}]",
        "a: !!set {x, y}",
        "a: [1, 2, {b: 3}]",
    ],
)
def test_data_is_built_as_pyyaml_builds_it(text: str) -> None:
    doc = parse_text(text, "x.yaml")
    # octal is built as YAML 1.1 builds it, and reported (see the number-form tests below)
    assert [p.code for p in doc.problems] == (["number-form"] if ": 01" in text else [])
    assert doc.data == yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize(("prefix", "depth"), [("", 999), ("a: ", 995)])
def test_lists_nested_to_libyamls_limit_are_built(prefix: str, depth: int) -> None:
    doc = parse_text(prefix + "[" * depth + "]" * depth, "x.yaml")
    assert doc.problems == []
    value = doc.data["a"] if prefix else doc.data
    levels = 0
    while value:  # counted iteratively: comparing such data would itself overflow the stack
        value, levels = value[0], levels + 1
    assert levels == depth - 1


def test_keys_that_build_the_same_number_are_duplicates() -> None:
    form, line = lines("delivery:\n  015: 5\n  13: 3\n")  # 015 is octal 13
    assert form.startswith("x.yaml:2:3: delivery.015: 015 is read as 13")
    assert line == "x.yaml:3:3: delivery.13: duplicate key '13'"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # issue 11 point 21, issue 12 point 2: YAML 1.1 reads these as other numbers, silently
        (
            "a: 010",
            "x.yaml:1:4: a: 010 is read as 8 (a leading 0 makes it an octal number); write 10",
        ),
        (
            "a: -010",
            "x.yaml:1:4: a: -010 is read as -8 (a leading 0 makes it an octal number); write -10",
        ),
        ("a: 0x3C", "x.yaml:1:4: a: 0x3C is read as 60 (a hexadecimal number); write 60"),
        ("a: 0b111100", "x.yaml:1:4: a: 0b111100 is read as 60 (a binary number); write 60"),
        ("a: 0b1", "x.yaml:1:4: a: 0b1 is read as 1 (a binary number); write 1"),
        (
            "a: 1:20",
            "x.yaml:1:4: a: 1:20 is read as 80 (YAML reads it as a base-60 number, as for times); "
            "write 80",
        ),
        ("a: 1_000", "x.yaml:1:4: a: 1_000 is read as 1000 ('_' is left out); write 1000"),
        ("a: 1_0.5", "x.yaml:1:4: a: 1_0.5 is read as 10.5 ('_' is left out); write 10.5"),
        (
            "delivery:\n  33:47: 40",
            "x.yaml:2:3: delivery.33:47: 33:47 is read as 2027 "
            "(YAML reads it as a base-60 number, as for times); write 2027",
        ),
        (
            "delivery:\n  0x7EB: 40",
            "x.yaml:2:3: delivery.0x7EB: 0x7EB is read as 2027 (a hexadecimal number); write 2027",
        ),
        (
            "delivery: {2027: 010}",
            "x.yaml:1:18: delivery.2027: 010 is read as 8 (a leading 0 makes it an octal number); "
            "write 10",
        ),
    ],
)
def test_yaml_11_number_forms_are_errors_that_say_what_to_write(text: str, message: str) -> None:
    assert lines(text) == [message]


@pytest.mark.parametrize(
    "text",
    [
        "a: 0",
        "a: 10",
        "a: +5",
        "a: -3",
        "a: 0.3",
        "a: 1.5e+3",
        "a: .5",
        "a: '010'",
        "a: !!int '017'",
    ],
)
def test_plain_decimals_and_quoted_text_are_not_number_forms(text: str) -> None:
    assert lines(text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!bool maybe", "x.yaml:1:4: a: invalid YAML: 'maybe' is not a valid !!bool"),
        ("a: !!int ''", "x.yaml:1:4: a: invalid YAML: '' is not a valid !!int"),
        ("a: !!float ''", "x.yaml:1:4: a: invalid YAML: '' is not a valid !!float"),
        ("a: !!timestamp x", "x.yaml:1:4: a: invalid YAML: 'x' is not a valid !!timestamp"),
    ],
)
def test_a_value_its_tag_cannot_build_is_a_placed_error(text: str, message: str) -> None:
    (line,) = lines(text)
    assert line.startswith(message)


def test_a_file_that_grew_after_its_size_was_read_is_read_whole(tmp_path: Path) -> None:
    """Only ``size + 1`` bytes are asked for first (issue 17); a larger file is still read on,
    up to one byte over the limit, which then makes it too large."""
    from woonplan.reading.source import MAX_FILE_BYTES, _read_up_to_limit

    path = tmp_path / "grown.yaml"
    path.write_bytes(b"x" * 5000)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _read_up_to_limit(fd, 10) == b"x" * 5000  # the size said 10 bytes
    finally:
        os.close(fd)
    path.write_bytes(b"y" * (MAX_FILE_BYTES + 10))
    fd = os.open(path, os.O_RDONLY)
    try:
        assert len(_read_up_to_limit(fd, 10)) == MAX_FILE_BYTES + 1
    finally:
        os.close(fd)
