"""Writing output files atomically: a temporary file beside the target, then a rename.

On any failure the previous file at the path is untouched and no partial file is left.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from woonplan.i18n import _
from woonplan.problems import WoonplanError


class OutputError(WoonplanError):
    """An output file that cannot be written (e.g. its folder does not exist)."""


def check_target(path: Path) -> Path:
    """The folder ``path`` will be written in; raises :class:`OutputError` if it cannot be.

    A link is written through: the folder is that of its real path, where its target is
    replaced (the link stays). A link that leads through /proc or /dev (``/dev/stdout``, a
    process's file descriptor, a device) is refused: its target is no file to replace.

    :func:`write_all` checks every file this way before it renames any; commands also call it
    up front, to fail before they spend time building an output that could not be written.
    """
    try:
        # a link is written through: the link stays and its target is replaced (never the
        # link itself); but not a link to a process's file or a device (/dev/stdout ->
        # /proc/self/fd/1 -> a redirected log): replacing that is not writing to it
        if path.is_symlink() and _through_system_files(path):
            raise OutputError(
                _(
                    "{path}: is a link to standard output or a device, not to a regular "
                    "file; name a file to write"
                ).format(path=path)
            )
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        folder = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise OutputError(_("{path}: is a folder, not a file").format(path=path))
        if target.exists() and not target.is_file():
            # a FIFO, device or /dev/stdout would be replaced by a regular file, not written to
            raise OutputError(
                _("{path}: is not a regular file; name a file to write").format(path=path)
            )
        if not folder.is_dir():
            message = (
                _("{path}: folder {folder} is not a folder")
                if folder.exists()
                else _("{path}: folder {folder} does not exist")
            )
            raise OutputError(message.format(path=path, folder=folder))
    except OSError as exc:
        # pathlib lets EACCES and ENAMETOOLONG through (a folder without permission, a name
        # longer than the file system allows): one line, like any other unwritable target
        raise _cannot_write(path, exc) from None
    return folder


_SYSTEM_FOLDERS = ("/proc", "/dev")
"""Where a link may lead to a process's open files or a device, never to be replaced."""


def _through_system_files(path: Path) -> bool:
    """Whether following the link ``path`` passes through /proc or /dev (any hop of it)."""
    hop = os.path.abspath(path)
    for _hop in range(40):  # the kernel's own limit on links followed
        where = os.path.join(os.path.realpath(os.path.dirname(hop)), os.path.basename(hop))
        if any(where == f or where.startswith(f + os.sep) for f in _SYSTEM_FOLDERS):
            return True
        if not os.path.islink(where):
            return False
        hop = os.path.join(os.path.dirname(where), os.readlink(where))
    return True  # a loop of links: nothing to write through


def guard_outputs(outputs: Sequence[Path | None], inputs: Sequence[str | Path]) -> None:
    """Before anything is written: every output can be written, none is an input file (that
    would destroy it) and no two are the same file; raises :class:`OutputError` otherwise."""
    targets: dict[str, Path] = {}
    for output in outputs:
        if output is None:
            continue
        check_target(output)
        real = os.path.realpath(output)
        if real in targets:
            raise OutputError(
                _("{path}: named for two outputs; give each its own file").format(path=output)
            )
        targets[real] = output
    existing = {key: o for o in targets.values() if (key := identity(o)) is not None}
    if not existing:
        return  # an output that does not exist yet cannot be an input
    # Compared by device and inode, not by name: also through links, hard links and the
    # case-insensitive file systems of macOS and Windows (Criteria.yaml is criteria.yaml).
    for name in inputs:
        output = existing.get(identity(name) or (-1, -1))
        if output is not None:
            raise OutputError(
                _("{path}: is one of the input files; not overwritten").format(path=output)
            )


def identity(path: str | Path) -> tuple[int, int] | None:
    """The file's (device, inode); None when it does not exist or cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


Writer = Callable[[BinaryIO], None]
"""Fills an open binary file: :func:`text_writer`, or a workbook's ``save``."""


def write_all(outputs: Sequence[tuple[Path, Writer]]) -> None:
    """Write several files so that all are replaced or none is; raises :class:`OutputError`.

    Each file is written to a temporary file beside it (flushed, ``fsync``ed and closed, so
    hundreds of files never hold hundreds of descriptors); only when all are complete are they
    renamed into place. On a failure every temporary file is removed and every previous file
    is untouched (a rename itself failing halfway is the one case that leaves some replaced).
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, writer in outputs:
            written.append((_write_temporary(path, writer), path))
        for temporary, path in written:
            try:
                os.replace(temporary, os.path.realpath(path))  # through a link, never onto it
            except OSError as exc:
                raise _cannot_write(path, exc) from None
    except BaseException:
        for temporary, _path in written:
            with contextlib.suppress(OSError):
                os.unlink(temporary)  # already renamed ones are simply gone
        raise


def text_writer(data: str | bytes | Iterable[str]) -> Writer:
    """A writer that writes ``data`` (text as UTF-8; text in pieces as they are made)."""
    if not isinstance(data, str | bytes):
        pieces = data

        def write_pieces(handle: BinaryIO) -> None:
            for piece in pieces:
                handle.write(piece.encode("utf-8", "backslashreplace"))

        return write_pieces
    # backslashreplace: a file name that is not UTF-8 (lone surrogates) is written as \udcff
    payload = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data

    def write(handle: BinaryIO) -> None:
        handle.write(payload)

    return write


def _write_temporary(path: Path, writer: Writer) -> str:
    """A complete temporary file beside ``path``, with ``path``'s permissions; its name."""
    folder = check_target(path)
    try:
        name = os.path.basename(os.path.realpath(path))
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            _("{path}: cannot write here ({reason})").format(path=path, reason=exc.strerror or exc)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise
    return temporary


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        _("{path}: cannot write ({reason})").format(path=path, reason=exc.strerror or exc)
    )


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
