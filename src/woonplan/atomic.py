"""Writing output files atomically: a temporary file beside the target, then a rename.

On any failure the previous file at the path is untouched and no partial file is left.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO


class OutputError(Exception):
    """An output file that cannot be written (e.g. its folder does not exist)."""


def check_target(path: Path) -> Path:
    """The folder ``path`` will be written in; raises :class:`OutputError` if it cannot be.

    Commands call this for every output before writing any, so one bad path never leaves
    the other outputs written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, not a file")
    if path.exists() and not path.is_file():
        # a FIFO, device or /dev/stdout would be replaced by a regular file, not written to
        raise OutputError(f"{path}: is not a regular file; name a file to write")
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise OutputError(f"{path}: folder {folder} {what}")
    return folder


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` only if the block succeeds."""
    folder = check_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        mode = _mode_for(path)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically; raises :class:`OutputError`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with atomic_open(path) as handle:
            handle.write(payload)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def text_writer(text: str) -> Callable[[BinaryIO], None]:
    """A writer for :func:`write_all` that writes ``text`` as UTF-8."""

    def write(handle: BinaryIO) -> None:
        handle.write(text.encode("utf-8"))

    return write


def write_all(outputs: Sequence[tuple[Path, Callable[[BinaryIO], None]]]) -> None:
    """Write several files so that all are replaced or none is.

    Every file is first written to its temporary file; only when all of them are complete are
    they renamed into place. A failure in any leaves every previous file untouched.
    """
    try:
        with contextlib.ExitStack() as stack:
            for path, writer in outputs:
                writer(stack.enter_context(atomic_open(path)))
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})") from None


def write_with(path: Path, writer: Callable[[BinaryIO], None]) -> None:
    """Let ``writer`` fill a temporary file, then move it to ``path``."""
    try:
        with atomic_open(path) as handle:
            writer(handle)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
