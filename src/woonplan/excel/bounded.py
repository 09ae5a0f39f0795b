"""Bounds on a workbook before openpyxl reads it: ``woonplan import`` of a hostile ``.xlsx``.

An ``.xlsx`` is a zip archive of XML parts, and openpyxl believes what they say: a 4 MB sheet
that inflates to 4 GiB, 1 GiB of shared strings, a single 1 GiB cell, or a sheet whose last row
is numbered 1,048,576 (openpyxl yields every missing row, padded to the sheet's width) each
cost minutes and many GiB (docs/security.md). So, before openpyxl reads a part:

- the archive may list at most :data:`MAX_MEMBERS` parts (counted from its end record before
  zipfile reads the list), each at most :data:`MAX_MEMBER_BYTES` uncompressed (an XML part
  that openpyxl parses whole, such as the styles, at most :data:`MAX_XML_PART_BYTES`) and all
  together at most :data:`MAX_TOTAL_BYTES`, as the archive declares them
  (``ZipInfo.file_size``);
- the parts that are scanned (the shared strings, and the Plans sheet) are read in chunks with a
  byte cap, so a size declared too small is caught as well, and parsed by expat with no
  document type (so no entities) allowed;
- the shared strings and the cells of the Plans sheet may hold at most :data:`MAX_CELL_CHARS`
  characters each; the sheet's last row and column that hold a value must lie within the
  importer's limits, and so must their product (:data:`MAX_CELLS`), because openpyxl pads every
  row to the sheet's width.

Every refusal is a :class:`WorkbookError` with one line saying which limit, and its number.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from woonplan.i18n import _
from woonplan.problems import WoonplanError
from woonplan.text import shown

MAX_MEMBERS = 10_000
"""Parts in the archive: a workbook of a few sheets has a few dozen."""
MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""Uncompressed bytes of one part: the Plans sheet of 10,000 plans is about 10 MiB."""
MAX_XML_PART_BYTES = 8 * 1024 * 1024
"""Uncompressed bytes of an XML part other than a worksheet or the shared strings: openpyxl
parses those whole into objects (60 MiB of styles took 16 s and 830 MB). A workbook's styles,
theme and relationships take kilobytes."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Uncompressed bytes of all parts together."""
MAX_CELL_CHARS = 100_000
"""Characters in one cell or shared string: the longest text a plan holds (``notes``)."""
MAX_CELLS = 2_000_000
"""Rows times columns of the Plans sheet as openpyxl reads it (every row padded to the width):
10,000 plans of 200 columns. Each cell costs about 100 bytes while the sheet is read."""

_CHUNK = 1024 * 1024
_END = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_END_SEARCH = 22 + 0xFFFF
"""The end record is 22 bytes, followed by a comment of at most 65,535."""
_NAMESPACE = " "
"""expat's separator between a namespace and a local name (``uri t``)."""


class WorkbookError(WoonplanError):
    """A workbook that cannot be read at all; the message is one line."""


@dataclass(frozen=True)
class SheetExtent:
    """The last row and column of a sheet that hold a value (1-based; 0 when empty)."""

    rows: int
    columns: int


def check_archive(path: Path) -> None:
    """Refuse an archive whose parts are too many or too large, or whose shared strings hold a
    text longer than :data:`MAX_CELL_CHARS`, before openpyxl opens it."""
    # Counted from the archive's end record first: zipfile builds an object for every entry of
    # the central directory (600,000 empty ones fit in 50 MiB: seconds and 300 MB, twice).
    _refuse_parts(_declared_parts(path))
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        _refuse_parts(len(members))
        total = 0
        for info in members:
            limit = _part_limit(info.filename)
            if info.file_size > limit:
                raise _too_large(info.filename, info.file_size, limit)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookError(
                _("the workbook unpacks to {size} bytes (at most {limit})").format(
                    size=f"{total:,}", limit=f"{MAX_TOTAL_BYTES:,}"
                )
            )
        for info in members:
            if _is_shared_strings(info.filename):
                _parse(archive, info, _SharedStrings())


def _refuse_parts(count: int) -> None:
    if count > MAX_MEMBERS:
        raise WorkbookError(
            _("the workbook has {count} parts (at most {limit})").format(
                count=f"{count:,}", limit=f"{MAX_MEMBERS:,}"
            )
        )


def _declared_parts(path: Path) -> int:
    """How many parts the archive's end record declares (zip64 too); 0 when there is none, and
    zipfile then refuses the file itself."""
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _END_SEARCH))
        tail = handle.read()
        at = tail.rfind(_END)
        if at < 0 or at + 22 > len(tail):
            return 0
        count = int.from_bytes(tail[at + 10 : at + 12], "little")
        locator = at - 20
        if count != 0xFFFF or locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
            return count
        handle.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))
        record = handle.read(56)
        if record[:4] != _ZIP64_END:
            return count
        return int.from_bytes(record[32:40], "little")


def check_sheet(path: Path, part: str, max_rows: int, max_columns: int) -> SheetExtent:
    """Scan one worksheet part (as the archive names it) with bounded memory; its extent.

    Raises :class:`WorkbookError` for a cell longer than :data:`MAX_CELL_CHARS`, a value beyond
    ``max_rows`` or ``max_columns``, or more than :data:`MAX_CELLS` cells to read.
    """
    with zipfile.ZipFile(path) as archive:
        name = part.lstrip("/")
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise WorkbookError(
                _("the sheet's part {part} is missing").format(part=shown(name))
            ) from None
        scan = _Sheet(max_rows, max_columns)
        _parse(archive, info, scan)
    extent = SheetExtent(scan.last_row, scan.last_column)
    if extent.rows * extent.columns > MAX_CELLS:
        raise WorkbookError(
            _(
                "the sheet's values span {rows} rows and {columns} columns: more than {limit} cells"
            ).format(rows=f"{extent.rows:,}", columns=f"{extent.columns:,}", limit=f"{MAX_CELLS:,}")
        )
    return extent


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, never more than :data:`MAX_MEMBER_BYTES` whatever it declares."""
    read = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            read += len(chunk)
            if read > MAX_MEMBER_BYTES:
                raise _too_large(info.filename, read, MAX_MEMBER_BYTES)
            yield chunk


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: _Scan) -> None:
    parser = expat.ParserCreate(namespace_separator=_NAMESPACE)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    try:
        for chunk in _chunks(archive, info):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise WorkbookError(
            _("part {part} is not valid XML ({reason})").format(
                part=shown(info.filename), reason=expat.ErrorString(exc.code)
            )
        ) from None


def _no_doctype(*args: Any) -> None:
    raise WorkbookError(_("the workbook's XML declares a document type or entities; refused"))


class _Scan:
    """Counts characters of text inside the elements that hold a cell's text."""

    TEXT: frozenset[str] = frozenset()

    def __init__(self) -> None:
        self.chars = 0
        self.depth = 0
        """How many text elements are open (``t`` inside ``si``, ``v``/``t`` inside ``c``)."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) in self.TEXT:
            self.depth += 1

    def end(self, name: str) -> None:
        if _local(name) in self.TEXT:
            self.depth -= 1

    def text(self, data: str) -> None:
        if self.depth > 0:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise self.too_long()

    def too_long(self) -> WorkbookError:
        raise NotImplementedError


class _SharedStrings(_Scan):
    TEXT = frozenset({"t"})

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "si":
            self.chars = 0
        super().start(name, attrs)

    def too_long(self) -> WorkbookError:
        return WorkbookError(
            _("a text in the workbook is longer than {limit} characters").format(
                limit=f"{MAX_CELL_CHARS:,}"
            )
        )


class _Sheet(_Scan):
    TEXT = frozenset({"v", "t", "f"})

    def __init__(self, max_rows: int, max_columns: int) -> None:
        super().__init__()
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.row = 0
        self.column = 0
        self.last_row = 0
        self.last_column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "row":
            number = attrs.get("r")
            self.row = _number(number) if number else self.row + 1
            self.column = 0
        elif local == "c":
            self.chars = 0
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
        elif local in self.TEXT and self.depth == 0:  # the cell holds a value
            if self.row > self.last_row:
                if self.row > self.max_rows:
                    raise WorkbookError(
                        _("more than {limit} rows in sheet Plans").format(
                            limit=f"{self.max_rows:,}"
                        )
                    )
                self.last_row = self.row
            if self.column > self.last_column:
                if self.column > self.max_columns:
                    raise WorkbookError(
                        _("a value in column {column}: more than {limit} columns").format(
                            column=f"{self.column:,}", limit=f"{self.max_columns:,}"
                        )
                    )
                self.last_column = self.column
        super().start(name, attrs)

    def too_long(self) -> WorkbookError:
        return WorkbookError(
            _("the cell in row {row}, column {column} is longer than {limit} characters").format(
                row=f"{self.row:,}", column=f"{self.column:,}", limit=f"{MAX_CELL_CHARS:,}"
            )
        )


def _local(name: str) -> str:
    return name.rpartition(_NAMESPACE)[2]


def _number(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise WorkbookError(
            _("a row number {text} that is not a number").format(text=shown(text, 20))
        )
    return int(text)


def _column(ref: str) -> int:
    """The column of a cell reference such as ``AB12`` (1-based)."""
    letters = ref.rstrip("0123456789")
    if not letters or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        raise WorkbookError(
            _("a cell reference {ref} that is not a cell").format(ref=shown(ref, 20))
        )
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _part_limit(name: str) -> int:
    """Worksheets (streamed), the shared strings (scanned here) and parts that are not XML
    (images, not read) may be large; every other XML part is parsed whole by openpyxl."""
    lower = name.lower()
    if lower.startswith("xl/worksheets/") or _is_shared_strings(name):
        return MAX_MEMBER_BYTES
    if lower.endswith((".xml", ".rels", ".vml")):
        return MAX_XML_PART_BYTES
    return MAX_MEMBER_BYTES


def _is_shared_strings(name: str) -> bool:
    return name.rsplit("/", 1)[-1].lower().startswith("sharedstrings")


def _too_large(part: str, size: int, limit: int) -> WorkbookError:
    return WorkbookError(
        _("part {part} unpacks to {size} bytes or more (at most {limit})").format(
            part=shown(part), size=f"{size:,}", limit=f"{limit:,}"
        )
    )
