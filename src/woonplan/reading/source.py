"""Reading YAML files safely into a :class:`Document`: data, node tree and problems.

Files are parsed once with libyaml (:mod:`woonplan.reading.loader`). The node tree that the C
parser builds anyway is kept beside the data, so that positions of values (for error messages,
:mod:`woonplan.reading.positions`) cost nothing extra and are looked up only when a problem has
to be reported.

Defences here (see docs/security.md): a size limit before parsing, regular files only, UTF-8
only (with or without BOM), no NUL bytes, every YAML error turned into one placed line, and an
alias bomb refused before anything walks it. The loader adds duplicate keys, safe tags and
bounded numbers; libyaml itself limits nesting depth (1000).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

from woonplan.i18n import _
from woonplan.numbers import integer
from woonplan.problems import Level, Problem
from woonplan.reading.loader import SafeLoader, too_large
from woonplan.reading.positions import (
    PathPart,
    dotted,
    duplicate_keys,
    indexed_child,
    locate,
    mapping_index,
    path_at,
    path_of,
)
from woonplan.text import clip

MAX_FILE_BYTES = 1024 * 1024
"""Plan and criteria files above this size are refused before parsing."""


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

    def problem(
        self, path: tuple[PathPart, ...], message: str, code: str, level: Level = "error"
    ) -> Problem:
        """A problem at ``path``; where the path does not exist, at its nearest parent."""
        line, column = locate(self.node, path, self._index)
        return Problem(self.file, line, column, dotted(path), message, code, level)

    def text_at(self, path: tuple[PathPart, ...]) -> str | None:
        """The scalar at ``path`` as written in the file (None if there is none)."""
        node = self.node
        for part in path:
            node = None if node is None else indexed_child(node, part, self._index)
        return str(node.value) if isinstance(node, ScalarNode) else None

    def key_position(self, path: tuple[PathPart, ...]) -> tuple[int, int] | None:
        """1-based (line, column) of the key that ends ``path`` (None if it is not there).

        For problems about a key itself (an unknown key): its value may start lines later.
        """
        if not path:
            return None
        parent = self.node
        for part in path[:-1]:
            parent = None if parent is None else indexed_child(parent, part, self._index)
        if parent is None:
            return None
        entry = mapping_index(parent, self._index).get(str(path[-1]))
        if entry is None:
            return None
        mark = entry[0].start_mark
        return (mark.line + 1, mark.column + 1)


def _read_up_to_limit(fd: int, size: int) -> bytes:
    """The file's bytes, at most ``MAX_FILE_BYTES + 1`` (one more says it is too large).

    Asks for ``size + 1`` bytes first, its size when it was opened: asking for the limit
    itself made Python allocate (and the kernel map) 1 MiB for every file, ≈ 10% of a run
    over 10,000 small plans. Reads on until the end, so a file that grew is still read whole.
    """
    chunks: list[bytes] = []
    total = 0
    want = min(size, MAX_FILE_BYTES) + 1
    while total <= MAX_FILE_BYTES:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = MAX_FILE_BYTES + 1 - total
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """The file's text as UTF-8 (BOM allowed), or a problem saying why it cannot be read."""

    def fail(message: str, code: str) -> tuple[None, Problem]:
        return None, Problem(display, 0, 0, "", message, code)

    try:
        # Not even opened unless regular: opening a device can have effects of its own.
        if not stat.S_ISREG(os.stat(path).st_mode):
            return fail(_("not a regular file"), "not-a-file")
        # O_NONBLOCK: should it turn into a FIFO after the stat, opening it does not wait
        # for a writer; fstat below refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return fail(
            _("cannot read file: {reason}").format(reason=exc.strerror or exc), "unreadable"
        )
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return fail(_("not a regular file"), "not-a-file")
        if info.st_size > MAX_FILE_BYTES:
            return fail(
                _("file is too large ({size} bytes; the limit is 1 MiB)").format(
                    size=integer(info.st_size)
                ),
                "too-large",
            )
        raw = _read_up_to_limit(fd, info.st_size)
    except OSError as exc:
        return fail(
            _("cannot read file: {reason}").format(reason=exc.strerror or exc), "unreadable"
        )
    finally:
        os.close(fd)
    return decode_text(raw, display)


def decode_text(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    """The bytes of a file (read from disk or from git) as UTF-8 text, or why they are not."""

    def fail(message: str, code: str) -> tuple[None, Problem]:
        return None, Problem(display, 0, 0, "", message, code)

    if len(raw) > MAX_FILE_BYTES:
        return fail(_("file is too large (the limit is 1 MiB)"), "too-large")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail(_("the file is UTF-16 (or UTF-32) encoded; save it as UTF-8"), "not-utf8")
    if b"\x00" in raw:
        return fail(
            _("not a text file (contains NUL bytes); plan files are UTF-8 YAML"), "not-text"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            display,
            line,
            0,
            "",
            _("not valid UTF-8 (byte {byte}); save as UTF-8").format(
                byte=f"0x{raw[exc.start]:02x}"
            ),
            "not-utf8",
        )
    return text, None


def parse_text(text: str, display: str) -> Document:
    """Parse YAML text into a :class:`Document`; YAML errors become problems, never exceptions."""
    doc = Document(display)
    loader = SafeLoader(text)
    node: Node | None = None
    try:
        node = loader.get_single_node()
        if node is not None:
            data = loader.build(node)
            # Aliases share objects, so constructing a bomb is cheap; walking it is not. An
            # alias to a scalar is not seen by the loader (text is not shared by node), so any
            # text that could hold an alias (an anchor `&` and an alias `*`) is measured.
            if (loader.alias_hits or ("&" in text and "*" in text)) and too_large(node):
                doc.problems.append(
                    Problem(
                        display,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        "",
                        _(
                            "YAML aliases expand to too much data (alias bomb?); "
                            "write the values out instead"
                        ),
                        "alias-bomb",
                    )
                )
                return doc
            doc.node, doc.data = node, data
    except yaml.MarkedYAMLError as exc:
        problem = _with_layout_hint(_yaml_problem(display, exc), text)
        if node is not None and problem.line:  # a value that cannot be built: name its field
            problem = replace(problem, path=dotted(path_at(node, problem.line, problem.column)))
        doc.problems.append(problem)
        return doc
    except yaml.reader.ReaderError as exc:
        doc.problems.append(_reader_problem(display, text, exc))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(
            Problem(
                display,
                0,
                0,
                "",
                _("invalid YAML: {reason}").format(reason=clip(exc)),
                "yaml-syntax",
            )
        )
        return doc
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. an impossible date such as 2025-02-30 raises ValueError from the constructor
        doc.problems.append(
            Problem(
                display,
                0,
                0,
                "",
                _("invalid value: {reason}").format(reason=clip(exc)),
                "invalid-value",
            )
        )
        return doc
    finally:
        loader.dispose()
    if loader.number_forms and doc.node is not None:
        for scalar, message in loader.number_forms:
            line, column = scalar.start_mark.line + 1, scalar.start_mark.column + 1
            path = dotted(path_of(doc.node, scalar))
            doc.problems.append(Problem(display, line, column, path, message, "number-form"))
    if loader.has_duplicates and doc.node is not None:
        doc.problems.extend(
            Problem(
                display,
                line,
                col,
                dotted(path),
                _("duplicate key {key}").format(key=repr(path[-1])),
                "duplicate-key",
            )
            for path, line, col in duplicate_keys(doc.node, ())
        )
    return doc


def load_bytes(raw: bytes, display: str) -> Document:
    """Parse the bytes of a file (e.g. a git blob) with the same limits as :func:`load_file`."""
    text, problem = decode_text(raw, display)
    if problem is not None or text is None:
        return Document(display, problems=[problem] if problem else [])
    return parse_text(text, display)


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
    what = exc.problem or exc.context or _("invalid YAML")
    code = "yaml-syntax"
    if "could not determine a constructor" in what:
        tag = what.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        what = _("tag {tag} is not allowed; plan files hold plain data only").format(tag=clip(tag))
        code = "forbidden-tag"
    elif exc.context and exc.problem:
        what = f"{exc.context}: {exc.problem}"
    return Problem(
        display, line, column, "", _("invalid YAML: {reason}").format(reason=clip(what)), code
    )


_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*|\d{4}):(?=[^\s:/])(.*)$")
"""``social_rent:60``: a key with no space after its colon, which YAML reads as text."""


def _with_layout_hint(problem: Problem, text: str) -> Problem:
    """libyaml's words kept, plus a plain hint for the common layout mistakes, at their line.

    A missing space after a colon is reported by libyaml one line too late (the text before
    it was a valid value); a line indented more or less than the keys around it gives
    "mapping values are not allowed here" or "did not find expected key".
    """
    if problem.code != "yaml-syntax" or not problem.line:
        return problem
    lines = text.splitlines()
    if not 0 < problem.line <= len(lines):
        return problem
    above = [
        n
        for n in range(problem.line - 1, 0, -1)
        if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")
    ]
    for number in [problem.line, *above[:1]]:
        match = _NO_SPACE.match(lines[number - 1].split(" #")[0])
        if match:
            indent, key, rest = match.groups()
            hint = _("put a space after the colon: {fixed}").format(
                fixed=f"'{key}: {rest.strip()}'"
            )
            column = len(indent) + len(key) + 1
            return replace(
                problem, line=number, column=column, message=f"{problem.message}; {hint}"
            )
    message = problem.message
    text_here = lines[problem.line - 1]
    if "\t" in text_here[: len(text_here) - len(text_here.lstrip())]:  # YAML indents with blanks
        hint = _("line {line} is indented with a tab; indent with spaces").format(line=problem.line)
        column = text_here.index("\t") + 1
        return replace(problem, column=column, message=f"{message}; {hint}")
    misplaced = ("mapping values are not allowed", "expected key", "expected '-' indicator")
    if above and any(words in message for words in misplaced):
        here = len(lines[problem.line - 1]) - len(lines[problem.line - 1].lstrip())
        previous = lines[above[0] - 1]
        there = len(previous) - len(previous.lstrip())
        if here != there and not previous.rstrip().endswith(":"):
            hint = _(
                "line {line} is indented {how} than line {other}; keys of one mapping start in "
                "the same column"
            ).format(
                line=problem.line,
                how=_("more") if here > there else _("less"),
                other=above[0],
            )
            return replace(problem, column=here + 1, message=f"{message}; {hint}")
        if "expected key" in message:
            hint = _(
                "check the indentation of line {line}: keys of one mapping start in the same column"
            ).format(line=problem.line)
            return replace(problem, message=f"{message}; {hint}")
    return problem


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
        _("invalid YAML: character {character} is not allowed ({reason})").format(
            character=f"U+{character:04X}", reason=clip(exc.reason)
        ),
        "forbidden-character",
    )
