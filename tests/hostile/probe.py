"""Helpers of the hostile-input tests (issue 11): run woonplan in a child process with its time
and peak memory measured, and build hostile workbooks and plan files at test time.

Nothing here is large on disk for long: files are written into ``tmp_path``; a zip bomb is a
few MB that declares (and, read, would inflate to) GiBs.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CRITERIA = ROOT / "criteria.yaml"
PLANS = ROOT / "plans"
SECONDS = 10.0
"""Generous wall-clock bound for one hostile run, interpreter start included."""
MEMORY_MIB = 500
"""Generous bound on the peak resident memory of one hostile run."""
ADDRESS_SPACE = 3 * 1024**3
"""The child may map at most this much, so that a regression fails the test with a
MemoryError instead of taking the machine's memory (the old code needed 12 GB on one case)."""

_PROBE = """\
import resource, sys
from woonplan.cli import main
sys.argv = ['woonplan', *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, if any
peak = max(me.ru_maxrss, kids.ru_maxrss)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
sys.stderr.write(f'\\nPROBE {peak} {cpu:.3f} {code}\\n')
"""


@dataclass(frozen=True)
class Run:
    """One finished child run of ``woonplan``."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    """CPU time of the run (user and system, workers included): on a shared, busy machine
    this is what the run costs; the wall clock also counts other processes' turns."""
    peak_mib: float
    """Peak resident memory of the run (or of its largest worker process)."""
    wall: float

    def assert_bounded(self, seconds: float = SECONDS, memory_mib: float = MEMORY_MIB) -> None:
        """Within the time and memory bounds, and no traceback."""
        assert self.seconds < seconds, f"took {self.seconds:.1f} s CPU (bound {seconds} s)"
        assert self.peak_mib < memory_mib, f"peak {self.peak_mib:.0f} MiB (bound {memory_mib})"
        assert "Traceback" not in self.stderr, self.stderr[-2000:]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def woonplan(*args: str, cwd: Path | None = None, timeout: float = 120) -> Run:
    """``woonplan ARGS`` in a child process: exit code, output, wall time and peak RSS."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        cwd=cwd,
        preexec_fn=_limit_memory,
    )
    seconds = time.perf_counter() - start
    match = re.search(r"\nPROBE (\d+) (\S+) (\S+)\n$", done.stderr)
    assert match, f"no probe line (exit {done.returncode}):\n{done.stderr[-3000:]}"
    stderr = done.stderr[: match.start()]
    return Run(int(match[3]), done.stdout, stderr, float(match[2]), int(match[1]) / 1024, seconds)


def plan_text(plan_id: str, extra: str = "", **fields: str) -> str:
    """A small valid plan with ``extra`` YAML lines appended (``fields`` replace top lines)."""
    lines = {
        "id": plan_id,
        "name": "Test plan",
        "municipality": "Hilversum",
        "phase": "adopted",
    } | fields
    head = "".join(f"{key}: {value}\n" for key, value in lines.items())
    return head + "homes:\n  social_rent: 40\n  free_buy: 60\ndelivery:\n  2027: 100\n" + extra


# --- workbooks -----------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Plans" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
MIB = 1024 * 1024


def sheet_head(dimension: str = "A1:B2") -> bytes:
    return f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode()


SHEET_TAIL = b"</sheetData></worksheet>"


def inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + inline("A1", "id") + inline("B1", "name") + b"</row>"


Pieces = Sequence[tuple[bytes, int]]
"""A part's bytes as (chunk, times) pieces: ``[(head, 1), (b" " * MIB, 1024), (tail, 1)]``."""


def workbook(
    path: Path,
    sheet: Pieces,
    shared: Pieces = ((b"<sst/>", 1),),
    declare: int | None = None,
    extra: int = 0,
    extra_pieces: Pieces = (),
    more: dict[str, Pieces] | None = None,
) -> Path:
    """A minimal .xlsx with a Plans sheet and shared strings made of repeated pieces.

    Each distinct chunk is deflated once (with a full flush, so its output stands alone) and
    repeated as often as asked: a GiB of XML costs a few MB and well under a second to write.
    The CRC is computed over everything, as a real bomb has it. ``declare``: the sheet's size
    as the archive states it, if not the true one; ``extra``: that many more parts, each made of
    ``extra_pieces`` (empty by default); ``more``: further parts by name.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        _raw_member(archive, "xl/worksheets/sheet1.xml", sheet, declare)
        _raw_member(archive, "xl/sharedStrings.xml", shared)
        for index in range(extra):
            _raw_member(archive, f"extra/{index}.bin", extra_pieces)
        for name, pieces in (more or {}).items():
            _raw_member(archive, name, pieces)
    return path


def _raw_member(
    archive: zipfile.ZipFile, name: str, pieces: Pieces, declare: int | None = None
) -> None:
    deflated: dict[bytes, bytes] = {}
    size = crc = 0
    for chunk, times in pieces:
        if chunk not in deflated:
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            deflated[chunk] = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * times
    data = b"".join(deflated[chunk] * times for chunk, times in pieces) + _FINAL_BLOCK
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.file_size, info.compress_size, info.CRC = declare or size, len(data), crc
    fp = archive.fp
    assert fp is not None
    info.header_offset = fp.tell()
    fp.write(info.FileHeader(zip64=size >= 0xFFFFFFFF))
    fp.write(data)
    archive.filelist.append(info)
    archive.NameToInfo[name] = info
    archive.start_dir = fp.tell()


_FINAL_BLOCK = b"\x03\x00"
"""An empty final block of fixed Huffman codes: it ends a deflate stream."""
