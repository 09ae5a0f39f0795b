"""Reading YAML files safely, with source positions for every value.

Files are parsed once with PyYAML's C loader (``CSafeLoader``). The node tree that the C parser
builds anyway is kept beside the data, so that positions of values (for error messages) cost
nothing extra and are looked up only when a problem has to be reported.

Defences (see docs/security.md): a size limit before parsing, UTF-8 only (with or without BOM),
no NUL bytes, duplicate keys rejected, only the safe YAML tags, numbers bounded (no 400-digit
integers, no ``.inf``/``.nan``), and aliases bounded by the size of the data they expand to, so
an alias bomb is refused before anything walks it. libyaml itself limits nesting depth (1000);
every walk over the node tree here is iterative, and positions are looked up through an index,
so a file with many errors costs time in proportion to its size.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from woonplan.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
"""Plan and criteria files above this size are refused before parsing."""

MAX_EXPANDED_NODES = 100_000
"""With aliases, the data may expand to at most this many values (an alias bomb expands to 10⁹)."""

MAX_INTEGER = 10**15
"""Whole numbers beyond this are refused: no housing figure comes near, and floats stay exact."""

MAX_MESSAGE = 200
"""Text taken from the file into a message (a tag, a parser message) is cut to this length."""

PathPart = str | int

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_LIBYAML_MAX_DEPTH = 1000
_FAST_DIGITS = len(str(MAX_INTEGER)) - 1
"""Decimal numbers with at most this many digits are below MAX_INTEGER: no bounds check."""


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

    def construct_bounded_int(self, node: ScalarNode) -> Any:
        # Checked before conversion: int() of thousands of digits is slow, and a huge figure
        # would overflow float arithmetic in the metrics later.
        if len(str(node.value).lstrip("+-").replace("_", "")) > 64:
            raise _too_large(node)
        value = self.construct_yaml_int(node)
        if abs(value) > MAX_INTEGER:
            raise _too_large(node)
        return value

    def construct_finite_float(self, node: ScalarNode) -> Any:
        value = self.construct_yaml_float(node)
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(
                None, None, f"{_cut(node.value)!r} is not a finite number", node.start_mark
            )
        return value

    def build(self, root: Node) -> Any:
        """The data of a node tree, as ``construct_document`` would give it, several times faster.

        Plain mappings, lists, strings and decimal whole numbers, which are nearly all of a plan,
        are built here; every other scalar (dates, floats, booleans, null, big or signed
        numbers) and every other tag goes through PyYAML's constructor with the checks above,
        which also refuses unknown tags. Aliased collections are built once and shared, as
        PyYAML does, and counted, so an alias bomb costs nothing until it is measured. A
        collection that contains itself is refused.

        The recursion is one call per level, and libyaml stops nesting at 1000 levels, so the
        limit is raised to leave room for that above the caller's own stack (Python 3.11+
        does not use the C stack for these calls).
        """
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _LIBYAML_MAX_DEPTH + 1000))
        try:
            return self._build(root, {}, set())
        finally:
            sys.setrecursionlimit(limit)

    def _build(self, node: Node, memo: dict[int, Any], building: set[int]) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            if node.tag == _STR:
                return node.value
            if node.tag == _INT and len(node.value) <= _FAST_DIGITS and node.value.isdigit():
                return int(node.value)
            return self.construct_object(node)
        key = id(node)
        if key in memo:
            self.alias_hits += 1
            return memo[key]
        if key in building:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a value that contains itself (recursive alias) is not allowed",
                node.start_mark,
            )
        if kind is MappingNode and node.tag == _MAP:
            building.add(key)
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise yaml.constructor.ConstructorError(
                        None, None, "merge keys (<<) are not allowed", key_node.start_mark
                    )
                item = self._build(key_node, memo, building)
                try:
                    if item in mapping:
                        self.has_duplicates = True
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found unhashable key",
                        key_node.start_mark,
                    ) from None
                mapping[item] = self._build(value_node, memo, building)
            building.discard(key)
            memo[key] = mapping
            return mapping
        if kind is SequenceNode and node.tag == _SEQ:
            building.add(key)
            items = [self._build(item, memo, building) for item in node.value]
            building.discard(key)
            memo[key] = items
            return items
        return self.construct_object(node, deep=True)  # !!set, !!omap, or a tag it refuses

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        # Fewer keys than pairs: two keys built the same value (`2027` and `+2027` too)
        if len(mapping) < len(node.value):
            self.has_duplicates = True
        return mapping


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_bounded_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_finite_float)


def _too_large(node: ScalarNode) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        None,
        None,
        f"number {_short_number(str(node.value))} is too large (at most {MAX_INTEGER:,})",
        node.start_mark,
    )


def _short_number(text: str) -> str:
    """A number as written, or its start and its length when it is long."""
    return text if len(text) <= 30 else f"{text[:20]}... ({len(text):,} characters)"


def _cut(text: object) -> str:
    """Text from a file as part of a one-line message: whitespace collapsed, length bounded."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


@dataclass
class Document:
    """One parsed YAML file: its data, its node tree (for positions) and its problems."""

    file: str
    data: Any = None
    node: Node | None = None
    problems: list[Problem] = field(default_factory=list)
    _index: dict[int, dict[str, tuple[Node, Node]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        """True when the file was read and parsed without problems."""
        return not self.problems

    def problem(self, path: tuple[PathPart, ...], message: str) -> Problem:
        """A problem at ``path``; where the path does not exist, at its nearest parent."""
        line, column = locate(self.node, path, self._index)
        return Problem(self.file, line, column, dotted(path), message)

    def key_position(self, path: tuple[PathPart, ...]) -> tuple[int, int] | None:
        """1-based (line, column) of the key that ends ``path`` (None if it is not there).

        For problems about a key itself (an unknown key): its value may start lines later.
        """
        if not path:
            return None
        parent = self.node
        for part in path[:-1]:
            parent = None if parent is None else _indexed_child(parent, part, self._index)
        if parent is None:
            return None
        entry = _mapping_index(parent, self._index).get(str(path[-1]))
        if entry is None:
            return None
        mark = entry[0].start_mark
        return (mark.line + 1, mark.column + 1)


def dotted(path: tuple[PathPart, ...]) -> str:
    """``("public_transport", 0, "type")`` → ``public_transport[0].type``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(
    node: Node | None,
    path: tuple[PathPart, ...],
    index: dict[int, dict[str, tuple[Node, Node]]] | None = None,
) -> tuple[int, int]:
    """1-based (line, column) of the value at ``path``, or of its deepest existing parent.

    ``index`` (kept by :class:`Document`) caches each mapping's keys, so that placing many
    problems in one large mapping stays linear instead of scanning the mapping each time.
    """
    if node is None:
        return (1, 1)
    current = node
    for part in path:
        child = _child(current, part) if index is None else _indexed_child(current, part, index)
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


def _indexed_child(
    node: Node, part: PathPart, index: dict[int, dict[str, tuple[Node, Node]]]
) -> Node | None:
    if not isinstance(node, MappingNode):
        return _child(node, part)
    entry = _mapping_index(node, index).get(str(part))
    return entry[1] if entry is not None else None


def _mapping_index(
    node: Node, index: dict[int, dict[str, tuple[Node, Node]]]
) -> dict[str, tuple[Node, Node]]:
    """A mapping node's (key node, value node) by key text, built once per mapping."""
    if not isinstance(node, MappingNode):
        return {}
    keys = index.get(id(node))
    if keys is None:
        keys = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                keys.setdefault(str(key_node.value), (key_node, value_node))  # first, as _child
        index[id(node)] = keys
    return keys


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (BOM allowed), or a problem saying why it cannot be read."""

    def fail(message: str) -> tuple[None, Problem]:
        return None, Problem(display, 0, 0, "", message)

    try:
        # Not even opened unless regular: opening a device can have effects of its own.
        if not stat.S_ISREG(os.stat(path).st_mode):
            return fail("not a regular file")
        # O_NONBLOCK: should it turn into a FIFO after the stat, opening it does not wait
        # for a writer; fstat below refuses it.
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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail("the file is UTF-16 (or UTF-32) encoded; save it as UTF-8")
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
    node: Node | None = None
    try:
        node = loader.get_single_node()
        if node is not None:
            data = loader.build(node)
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
        problem = _yaml_problem(display, exc)
        if node is not None and problem.line:  # a value that cannot be built: name its field
            problem = replace(problem, path=dotted(_path_at(node, problem.line, problem.column)))
        doc.problems.append(problem)
        return doc
    except yaml.reader.ReaderError as exc:
        doc.problems.append(_reader_problem(display, text, exc))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(display, 0, 0, "", f"invalid YAML: {_cut(exc)}"))
        return doc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. an impossible date such as 2025-02-30 raises ValueError from the constructor
        doc.problems.append(Problem(display, 0, 0, "", f"invalid value: {_cut(exc)}"))
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


def _path_at(root: Node, line: int, column: int) -> tuple[PathPart, ...]:
    """The field path of the value (or key) that starts at 1-based ``line``:``column``."""
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[PathPart, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        mark = node.start_mark
        if (mark.line + 1, mark.column + 1) == (line, column) and path:
            return path
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                part = key_node.value if isinstance(key_node, ScalarNode) else "?"
                key_mark = key_node.start_mark
                if (key_mark.line + 1, key_mark.column + 1) == (line, column):
                    return (*path, part)
                stack.append((value_node, (*path, part)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return ()


def _yaml_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    what = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in what:
        tag = what.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        what = f"tag {_cut(tag)} is not allowed; plan files hold plain data only"
    elif exc.context and exc.problem:
        what = f"{exc.context}: {exc.problem}"
    return Problem(display, line, column, "", f"invalid YAML: {_cut(what)}")


def _reader_problem(display: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (e.g. a control character), at its line and column."""
    # libyaml reports the position as a byte offset into the UTF-8 text.
    before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = (
        exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    )
    return Problem(
        display,
        line,
        column,
        "",
        f"invalid YAML: character U+{character:04X} is not allowed ({_cut(exc.reason)})",
    )


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


def _key_value(loader: _Loader, node: ScalarNode) -> object:
    try:
        value: object = loader.construct_object(node)
        hash(value)
    except (yaml.YAMLError, TypeError, ValueError):
        return (node.tag, node.value)
    return value


def _duplicate_keys(
    root: Node, path: tuple[PathPart, ...]
) -> list[tuple[tuple[PathPart, ...], int, int]]:
    """Every repeated key (path, line, column), in file order.

    Iterative: nesting up to libyaml's limit of 1000 would overflow Python's recursion limit.
    Called only on trees whose alias expansion is bounded (see :func:`parse_text`).
    """
    found: list[tuple[tuple[PathPart, ...], int, int]] = []
    stack: list[tuple[Node, tuple[PathPart, ...]]] = [(root, path)]
    keys = _Loader("")  # builds key values as the document's loader did: 2027 == +2027
    while stack:
        node, here = stack.pop()
        if isinstance(node, MappingNode):
            seen: set[object] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    key = _key_value(keys, key_node)
                    child_path = (*here, key_node.value)
                    if key in seen:
                        mark = key_node.start_mark
                        found.append((child_path, mark.line + 1, mark.column + 1))
                    seen.add(key)
                    stack.append((value_node, child_path))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*here, i)) for i, item in enumerate(node.value))
    found.sort(key=lambda item: (item[1], item[2]))
    return found
