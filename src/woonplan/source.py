"""Reading YAML files safely, with source positions for every value.

Files are parsed once with PyYAML's C loader (``CSafeLoader``). The node tree that the C parser
builds anyway is kept beside the data, so that positions of values (for error messages) cost
nothing extra and are looked up only when a problem has to be reported.

Defences (see docs/security.md): a size limit before parsing, UTF-8 only (with or without BOM),
no NUL bytes, duplicate keys rejected, only the safe YAML tags, and aliases bounded by the size
of the data they expand to, so an alias bomb is refused before anything walks it.
libyaml itself limits nesting depth.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from woonplan.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
"""Plan and criteria files above this size are refused before parsing."""

MAX_EXPANDED_NODES = 100_000
"""With aliases, the data may expand to at most this many values (an alias bomb expands to 10⁹)."""

PathPart = str | int


class _Loader(yaml.CSafeLoader):
    """CSafeLoader that notices duplicate keys and alias use instead of silently accepting them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.has_duplicates = False
        self.alias_hits = 0

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            self.alias_hits += 1
        return super().construct_object(node, deep)

    def flatten_mapping(self, node: MappingNode) -> None:
        # Merge keys copy node lists and can grow exponentially; plan data never needs them.
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed", key_node.start_mark
                )

    def construct_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as exc:  # e.g. 2025-02-30
            raise yaml.constructor.ConstructorError(
                None, None, f"impossible date {node.value!r} ({exc})", node.start_mark
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                key = (key_node.tag, key_node.value)
                if key in seen:
                    self.has_duplicates = True
                seen.add(key)
        return super().construct_mapping(node, deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)


@dataclass
class Document:
    """One parsed YAML file: its data, its node tree (for positions) and its problems."""

    file: str
    data: Any = None
    node: Node | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file was read and parsed without problems."""
        return not self.problems

    def problem(self, path: tuple[PathPart, ...], message: str) -> Problem:
        """A problem at ``path``; where the path does not exist, at its nearest parent."""
        line, column = locate(self.node, path)
        return Problem(self.file, line, column, dotted(path), message)


def dotted(path: tuple[PathPart, ...]) -> str:
    """``("public_transport", 0, "type")`` → ``public_transport[0].type``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(node: Node | None, path: tuple[PathPart, ...]) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path``, or of its deepest existing parent."""
    if node is None:
        return (1, 1)
    current = node
    for part in path:
        child = _child(current, part)
        if child is None:
            break
        current = child
    return (current.start_mark.line + 1, current.start_mark.column + 1)


def _child(node: Node, part: PathPart) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and _key_matches(key_node, part):
                return value_node  # type: ignore[no-any-return]
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _key_matches(key_node: ScalarNode, part: PathPart) -> bool:
    return bool(key_node.value == str(part))


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (BOM allowed), or a problem saying why it cannot be read."""

    def fail(message: str) -> tuple[None, Problem]:
        return None, Problem(display, 0, 0, "", message)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return fail("not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            return fail(f"file is too large ({info.st_size:,} bytes; the limit is 1 MiB)")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        return fail("file is too large (the limit is 1 MiB)")
    if b"\x00" in raw:
        return fail("not a text file (contains NUL bytes); plan files are UTF-8 YAML")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            display, line, 0, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save as UTF-8"
        )
    return text, None


def parse_text(text: str, display: str) -> Document:
    """Parse YAML text into a :class:`Document`; YAML errors become problems, never exceptions."""
    doc = Document(display)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            data = loader.construct_document(node)
            # Aliases share objects, so constructing a bomb is cheap; walking it is not.
            if loader.alias_hits and _expanded_size(node) > MAX_EXPANDED_NODES:
                doc.problems.append(
                    Problem(
                        display,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        "",
                        "YAML aliases expand to too much data (alias bomb?); "
                        "write the values out instead",
                    )
                )
                return doc
            doc.node, doc.data = node, data
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_yaml_problem(display, exc))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(display, 0, 0, "", f"invalid YAML: {exc}"))
        return doc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. an impossible date such as 2025-02-30 raises ValueError from the constructor
        doc.problems.append(Problem(display, 0, 0, "", f"invalid value: {exc}"))
        return doc
    finally:
        loader.dispose()
    if loader.has_duplicates and doc.node is not None:
        doc.problems.extend(
            Problem(display, line, col, dotted(path), f"duplicate key {path[-1]!r}")
            for path, line, col in _duplicate_keys(doc.node, ())
        )
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file. Never raises for bad input: problems are in the result."""
    name = display if display is not None else str(path)
    text, problem = read_text(path, name)
    if problem is not None or text is None:
        return Document(name, problems=[problem] if problem else [])
    return parse_text(text, name)


def _yaml_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    what = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in what:
        tag = what.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        what = f"tag {tag} is not allowed; plan files hold plain data only"
    elif exc.context and exc.problem:
        what = f"{exc.context}: {exc.problem}"
    return Problem(display, line, column, "", f"invalid YAML: {what}")


def _expanded_size(root: Node) -> int:
    """How many values the data would have with every alias written out (memoised on the DAG)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        kids = list(_children(node))
        if done or not kids:
            total = 1 + sum(sizes.get(id(k), 0) for k in kids)
            sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value


def _duplicate_keys(
    node: Node, path: tuple[PathPart, ...]
) -> Iterator[tuple[tuple[PathPart, ...], int, int]]:
    if isinstance(node, MappingNode):
        seen: set[tuple[str, str]] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = (key_node.tag, key_node.value)
                child_path = (*path, key_node.value)
                if key in seen:
                    mark = key_node.start_mark
                    yield child_path, mark.line + 1, mark.column + 1
                seen.add(key)
                yield from _duplicate_keys(value_node, child_path)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, index))
