"""Where a value is in a YAML file: field paths and their lines and columns.

Positions come from the node tree that libyaml builds anyway. Lookups go through a per-mapping
index, and every walk is iterative, so placing many problems in a large or deeply nested file
stays linear and never hits Python's recursion limit.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from woonplan.reading.loader import SafeLoader

PathPart = str | int


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
        child = _child(current, part) if index is None else indexed_child(current, part, index)
        if child is None:
            break
        current = child
    return (current.start_mark.line + 1, current.start_mark.column + 1)


def _child(node: Node, part: PathPart) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and _key_matches(key_node, part):
                return value_node  # type: ignore[no-any-return]
        for key_node, value_node in node.value:  # `+2027` as 2027, if no key is `2027`
            if isinstance(key_node, ScalarNode) and str(part) in _key_texts(key_node)[1:]:
                return value_node  # type: ignore[no-any-return]
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _key_matches(key_node: ScalarNode, part: PathPart) -> bool:
    return bool(key_node.value == str(part))


_INT = "tag:yaml.org,2002:int"


def _key_texts(key_node: ScalarNode) -> tuple[str, ...]:
    """The texts a path part may use for this key: as written and, for a whole number written
    another way (``+2027``, ``1_000``, ``0x7EB``), as the number YAML read, which is how the
    key appears in a validated path (``delivery.2027``)."""
    text = str(key_node.value)
    if key_node.tag != _INT or text.isdigit():
        return (text,)
    value = _key_value(SafeLoader(""), key_node)
    return (text, str(value)) if isinstance(value, int) else (text,)


def indexed_child(
    node: Node, part: PathPart, index: dict[int, dict[str, tuple[Node, Node]]]
) -> Node | None:
    if not isinstance(node, MappingNode):
        return _child(node, part)
    entry = mapping_index(node, index).get(str(part))
    return entry[1] if entry is not None else None


def mapping_index(
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
        for key_node, value_node in node.value:  # then `+2027` as 2027, if no key is `2027`
            if isinstance(key_node, ScalarNode):
                for text in _key_texts(key_node)[1:]:
                    keys.setdefault(text, (key_node, value_node))
        index[id(node)] = keys
    return keys


def path_at(root: Node, line: int, column: int) -> tuple[PathPart, ...]:
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


def path_of(root: Node, target: Node) -> tuple[PathPart, ...]:
    """The field path of ``target`` (a value or a key node) in the tree under ``root``."""
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[PathPart, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                part = key_node.value if isinstance(key_node, ScalarNode) else "?"
                if key_node is target:
                    return (*path, part)
                stack.append((value_node, (*path, part)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return ()


def _key_value(loader: SafeLoader, node: ScalarNode) -> object:
    try:
        value: object = loader.construct_object(node)
        hash(value)
    except (yaml.YAMLError, TypeError, ValueError):
        return (node.tag, node.value)
    return value


def duplicate_keys(
    root: Node, path: tuple[PathPart, ...]
) -> list[tuple[tuple[PathPart, ...], int, int]]:
    """Every repeated key (path, line, column), in file order.

    Iterative: nesting up to libyaml's limit of 1000 would overflow Python's recursion limit.
    Called only on trees whose alias expansion is bounded (see :func:`parse_text`).
    """
    found: list[tuple[tuple[PathPart, ...], int, int]] = []
    stack: list[tuple[Node, tuple[PathPart, ...]]] = [(root, path)]
    keys = SafeLoader("")  # builds key values as the document's loader did: 2027 == +2027
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
