"""The YAML loader: libyaml's parser with a safe, bounded and fast constructor.

Only the safe tags; duplicate keys noticed (by built value, so ``2027`` and ``+2027`` collide);
merge keys refused; whole numbers bounded and floats finite; impossible dates refused with
their position. Plain data (mappings, lists, strings, small whole numbers) is built in one pass
over the node tree instead of through PyYAML's generic constructor; aliased collections are
built once, shared and counted, so an alias bomb costs nothing until
:func:`expanded_size` measures it.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from woonplan.i18n import _
from woonplan.numbers import integer
from woonplan.text import clip

MAX_EXPANDED_NODES = 100_000
"""With aliases, the data may expand to at most this many values (an alias bomb expands to 10⁹)."""

MAX_EXPANDED_CHARS = 1024 * 1024
"""With aliases, the text of all keys and values together may be at most this many characters.

The same as the file size limit, so aliases never make data larger than a file without them
could be: ``notes: &s <10 KB>`` and 90,000 times ``*s`` would be 900 MB of text.
"""

MAX_INTEGER = 10**15
"""Whole numbers beyond this are refused: no housing figure comes near, and floats stay exact."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_LIBYAML_MAX_DEPTH = 1000
_FAST_DIGITS = len(str(MAX_INTEGER)) - 1
"""Decimal numbers with at most this many digits are below MAX_INTEGER: no bounds check."""


class SafeLoader(yaml.CSafeLoader):
    """CSafeLoader that notices duplicate keys and alias use instead of silently accepting them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.has_duplicates = False
        self.alias_hits = 0
        self.number_forms: list[tuple[ScalarNode, str]] = []
        """Numbers written in a YAML 1.1 form other than plain decimal, with what to say."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            self.alias_hits += 1
        return super().construct_object(node, deep)

    def flatten_mapping(self, node: MappingNode) -> None:
        # Merge keys copy node lists and can grow exponentially; plan data never needs them.
        for key_node, _value in node.value:
            if key_node.tag == _MERGE:
                raise yaml.constructor.ConstructorError(
                    None, None, _("merge keys (<<) are not allowed"), key_node.start_mark
                )
            if key_node.tag == _VALUE:  # what PyYAML's own flatten_mapping does for `=`
                key_node.tag = _STR

    def construct_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError as exc:  # e.g. 2025-02-30
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("impossible date {value} ({reason})").format(value=repr(node.value), reason=exc),
                node.start_mark,
            ) from None

    def construct_bounded_int(self, node: ScalarNode) -> Any:
        # Checked before conversion: int() of thousands of digits is slow, and a huge figure
        # would overflow float arithmetic in the metrics later.
        if len(str(node.value).lstrip("+-").replace("_", "")) > 64:
            raise _too_large(node)
        value = self.construct_yaml_int(node)
        if abs(value) > MAX_INTEGER:
            raise _too_large(node)
        self._note_form(node, value)
        return value

    def construct_finite_float(self, node: ScalarNode) -> Any:
        value = self.construct_yaml_float(node)
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("{value} is not a finite number").format(value=repr(clip(node.value))),
                node.start_mark,
            )
        self._note_form(node, value)
        return value

    def _note_form(self, node: ScalarNode, value: float) -> None:
        """Remember a number written as octal, hex, binary, base 60 or with ``_`` separators.

        Only plain (unquoted) scalars: ``!!int '017'`` asks for YAML's reading explicitly.
        """
        if not node.style:  # libyaml gives '' for plain, PyYAML None
            message = number_form_message(str(node.value), value)
            if message is not None:
                self.number_forms.append((node, message))

    def build(self, root: Node) -> Any:
        """The data of a node tree, as ``construct_document`` would give it, several times faster.

        Plain mappings, lists, strings and decimal whole numbers, which are nearly all of a plan,
        are built here; every other scalar (dates, floats, booleans, null, big or signed
        numbers) and every other tag goes through PyYAML's constructor with the checks above,
        which also refuses unknown tags. Aliased collections are built once and shared, as
        PyYAML does, and counted, so an alias bomb costs nothing until it is measured. A
        collection that contains itself is refused.

        The recursion is one call per level (no comprehensions: they would add a frame each),
        and libyaml stops nesting at 1000 levels, so the limit is raised by that much above
        the caller's own (Python 3.11+ does not use the C stack for these calls).
        """
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(limit + _LIBYAML_MAX_DEPTH + 100)
        try:
            return self._build(root, {}, set())
        finally:
            sys.setrecursionlimit(limit)

    def _build(self, node: Node, memo: dict[int, Any], building: set[int]) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            text = node.value
            if node.tag == _STR:
                return text
            # Plain decimal digits only: YAML 1.1 reads a leading 0 as octal (017 is 15)
            if node.tag == _INT and _plain_decimal(text):
                return int(text)
            return self._construct(node)
        key = id(node)
        if key in memo:
            self.alias_hits += 1
            return memo[key]
        if key in building:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("a value that contains itself (recursive alias) is not allowed"),
                node.start_mark,
            )
        if kind is MappingNode and node.tag == _MAP:
            building.add(key)
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise yaml.constructor.ConstructorError(
                        None, None, _("merge keys (<<) are not allowed"), key_node.start_mark
                    )
                if key_node.tag == _VALUE:  # the key `=`, text as PyYAML reads it
                    key_node.tag = _STR
                item = self._build(key_node, memo, building)
                try:
                    if item in mapping:
                        self.has_duplicates = True
                except TypeError:
                    raise yaml.constructor.ConstructorError(
                        _("while constructing a mapping"),
                        node.start_mark,
                        _("found unhashable key"),
                        key_node.start_mark,
                    ) from None
                mapping[item] = self._build(value_node, memo, building)
            building.discard(key)
            memo[key] = mapping
            return mapping
        if kind is SequenceNode and node.tag == _SEQ:
            building.add(key)
            items: list[Any] = []
            for item in node.value:
                items.append(self._build(item, memo, building))
            building.discard(key)
            memo[key] = items
            return items
        return self._construct(node)  # !!set, !!omap, or a tag it refuses

    def _construct(self, node: Node) -> Any:
        """PyYAML's constructor for one node; its crashes on odd input become placed errors."""
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
            # e.g. `!!bool "maybe"` (KeyError), `!!int ""` (IndexError)
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            what = clip(node.value) if isinstance(node, ScalarNode) else _("this value")
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("{value} is not a valid {tag} ({error})").format(
                    value=repr(what), tag=tag, error=type(exc).__name__
                ),
                node.start_mark,
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        # Fewer keys than pairs: two keys built the same value (`2027` and `+2027` too)
        if len(mapping) < len(node.value):
            self.has_duplicates = True
        return mapping


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_timestamp)
SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_bounded_int)
SafeLoader.add_constructor("tag:yaml.org,2002:float", SafeLoader.construct_finite_float)


_PLAIN_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_YEAR_COLON = re.compile(r"(19[0-9]{2}|20[0-9]{2}|2100):([0-9]+)")
"""``2027:40``: a delivery year and its homes with no blank after the colon, which YAML 1.1
reads as one base-60 number (121660), not as a key and its value."""


def number_form_message(text: str, value: float) -> str | None:
    """What to say about a number not written as a plain decimal (None when it is plain).

    ``010`` is 8 in YAML 1.1 (octal), ``0x3C`` and ``0b111100`` are 60, ``1:20`` is 80 (base
    60, meant for times) and ``33:47`` is 2027: each would be a silent misreading of a figure.
    Decimal fractions (``0.3``, ``1.5e+3``) are plain; ``_`` separators are not.
    """
    if isinstance(value, int):
        if _PLAIN_INTEGER.fullmatch(text):
            return None
    elif "_" not in text and ":" not in text:
        return None
    body = text.lstrip("+-").replace("_", "")
    read = str(value) if isinstance(value, int) else repr(value)
    write = read
    year = _YEAR_COLON.fullmatch(text)
    if year:  # `2027:40` under delivery: a year and its homes without the blank
        return _(
            "{written} is read as {read} ({why}); put a space after the colon: {fixed}"
        ).format(
            written=text,
            read=read,
            why=_("YAML reads it as a base-60 number, as for times"),
            fixed=f"'{year[1]}: {year[2]}'",
        )
    if ":" in body:
        why = _("YAML reads it as a base-60 number, as for times")
    elif body[:2].lower() == "0x":
        why = _("a hexadecimal number")
    elif body[:2].lower() == "0b":
        why = _("a binary number")
    elif "_" in text:
        why = _("'_' is left out")
    else:
        why = _("a leading 0 makes it an octal number")
        write = ("-" if text.startswith("-") else "") + (body.lstrip("0") or "0")
    return _("{written} is read as {read} ({why}); write {write}").format(
        written=text, read=read, why=why, write=write
    )


def _plain_decimal(text: str) -> bool:
    """Digits only, no leading zero, short enough to be below MAX_INTEGER."""
    return (
        0 < len(text) <= _FAST_DIGITS
        and text.isascii()
        and text.isdigit()
        and (text[0] != "0" or len(text) == 1)
    )


def _too_large(node: ScalarNode) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(
        None,
        None,
        _("number {number} is too large (at most {limit})").format(
            number=_short_number(str(node.value)), limit=integer(MAX_INTEGER)
        ),
        node.start_mark,
    )


def _short_number(text: str) -> str:
    """A number as written, or its start and its length when it is long."""
    if len(text) <= 30:
        return text
    return text[:20] + "... " + _("({count} characters)").format(count=integer(len(text)))


def expanded_size(root: Node) -> tuple[int, int]:
    """How many values, and characters of text (keys and values), the data would have with every
    alias written out, aliases to scalars included; memoised on the DAG, each capped just past
    its limit (:data:`MAX_EXPANDED_NODES`, :data:`MAX_EXPANDED_CHARS`)."""
    values, chars, _ = _measure(root)
    return values, chars


def too_large(root: Node) -> bool:
    """True when the data uses aliases and, with every alias written out, is beyond either limit.

    A file without any alias is never refused here, however many values it holds: its size is
    the file's own, bounded by the file size limit.
    """
    values, chars, aliased = _measure(root)
    return aliased and (values > MAX_EXPANDED_NODES or chars > MAX_EXPANDED_CHARS)


def _measure(root: Node) -> tuple[int, int, bool]:
    """(values, characters, whether any node is reached twice, i.e. through an alias)."""
    sizes: dict[int, tuple[int, int]] = {}
    references = 1  # the root
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        kids = list(children(node))
        if done or not kids:
            values = 1
            chars = len(node.value) if isinstance(node, ScalarNode) else 0
            for kid in kids:
                kid_values, kid_chars = sizes.get(id(kid), (0, 0))
                values += kid_values
                chars += kid_chars
            sizes[id(node)] = (
                min(values, MAX_EXPANDED_NODES + 1),
                min(chars, MAX_EXPANDED_CHARS + 1),
            )
        else:
            references += len(kids)
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
    values, chars = sizes[id(root)]
    return values, chars, references > len(sizes)


def children(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value
