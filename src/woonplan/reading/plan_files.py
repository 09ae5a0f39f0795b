"""Finding plan files: the paths named, and the plan files below a folder.

A folder is walked with an explicit stack, and a link, FIFO, socket or device inside it is
reported, never followed or opened (docs/security.md).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from woonplan.i18n import N_, _
from woonplan.problems import Problem

SUFFIXES = (".yaml", ".yml")
"""The names of plan files."""
NO_SUCH_PATH = N_("no such file or folder")


def find_plan_files(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Every plan file named or below a named folder (sorted), and problems with the paths.

    Inside a folder, symbolic links are never followed, and an entry named like a plan file
    that is a link, FIFO, socket or device is a problem, not opened (docs/security.md): a pull
    request could otherwise add ``plans/x.yaml -> ~/.ssh/...`` and have CI print bits of it, or
    a FIFO that blocks the run. A path named on the command line is followed: the user chose it.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:  # pathlib lets EACCES and ENAMETOOLONG through
            message = _("cannot read: {reason}").format(reason=exc.strerror or exc)
            problems.append(Problem(str(path), 0, 0, "", message, "unreadable"))
            continue
        if is_dir:
            found, trouble = _walk(path)
            files.extend(found)
            problems.extend(trouble)
        elif exists:
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "", _(NO_SUCH_PATH), "no-such-path"))
    return files, problems


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    """Plan files below ``folder``, with an explicit stack: no recursion, so a tree thousands
    of folders deep cannot raise ``RecursionError`` (Python 3.11's ``os.walk`` recurses)."""
    found: list[Path] = []
    problems: list[Problem] = []
    pending = [str(folder)]
    while pending:
        root = pending.pop()
        try:
            with os.scandir(root) as listing:
                entries = list(listing)
        except OSError as exc:
            name = str(exc.filename or root)
            message = _("cannot read folder: {reason}").format(reason=exc.strerror or exc)
            problems.append(Problem(name, 0, 0, "", message, "unreadable"))
            continue
        for entry in entries:
            name = entry.name
            path = Path(root, name)
            try:
                is_dir = entry.is_dir()  # follows a link, as os.walk does, to report it
            except OSError:
                is_dir = False
            if is_dir:
                if name.startswith("."):
                    continue
                if entry.is_symlink():  # a link to a folder (or a loop): not descended into
                    problems.append(_not_followed(path, _("a link to a folder")))
                else:
                    pending.append(entry.path)
                continue
            if not name.endswith(SUFFIXES) or name.startswith("."):
                continue
            try:
                mode = os.lstat(path).st_mode
            except OSError as exc:
                problems.append(
                    Problem(
                        str(path),
                        0,
                        0,
                        "",
                        _("cannot read file: {reason}").format(reason=exc.strerror),
                        "unreadable",
                    )
                )
                continue
            if stat.S_ISLNK(mode):
                problems.append(_not_followed(path, _("a symbolic link")))
            elif not stat.S_ISREG(mode):
                problems.append(Problem(str(path), 0, 0, "", _("not a regular file"), "not-a-file"))
            else:
                found.append(path)
    problems.sort(key=lambda p: p.file)
    return sorted(found, key=lambda p: p.parts), problems  # same order, without Path.__lt__


def _not_followed(path: Path, what: str) -> Problem:
    return Problem(
        str(path),
        0,
        0,
        "",
        _("{what}; links inside a plans folder are not followed").format(what=what),
        "link",
    )
