"""Which plan files changed since a git revision: the pull-request view of ``check``.

``woonplan check plans/ --changed-since REV`` validates every plan (ids stay unique across the
whole set) but reports, annotates and sets the exit code only for the files this module finds.

"Changed since REV" means what a reviewer of the working tree would call changed:

- every file that differs between REV and the working tree and is **added, modified or
  renamed** (its new name), whether the change is committed, staged or not yet staged
  (``git diff --name-only -z --diff-filter=AMR REV``, which compares REV with the working tree);
- every **untracked** file that is not ignored (``git ls-files --others --exclude-standard``):
  a new plan file not yet added counts as added.

Deleted files are not plans any more and are not listed. In CI (a pull request), REV is the
base branch, e.g. ``origin/main``, and the checkout needs that history (``fetch-depth: 0``).

``git`` runs as a subprocess with a list of arguments (no shell); a revision that starts with
``-`` is refused, so it cannot be read as an option.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from woonplan.i18n import _
from woonplan.problems import WoonplanError

GIT_TIMEOUT = 60
"""Seconds a git command may take before woonplan gives up on it."""


class ChangedError(WoonplanError):
    """The changed files cannot be found: no git, not a repository, or an unknown revision."""


def changed_files(rev: str, where: Path) -> set[str]:
    """Real paths of the files added, modified or renamed since ``rev``, and untracked files.

    ``where`` is a file or folder inside the repository (the first path given to ``check``).
    """
    if not rev or rev.startswith("-"):
        raise ChangedError(_("--changed-since: {rev!r} is not a git revision").format(rev=rev))
    folder = where if where.is_dir() else where.parent
    if not folder.is_dir():  # a path that does not exist: ask from here
        folder = Path(".")
    top = _git(
        ["rev-parse", "--show-toplevel"],
        folder,
        _("--changed-since needs a git repository, and {folder} is not inside one").format(
            folder=folder
        ),
    ).strip()
    root = Path(top)
    _git(
        ["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        root,
        _(
            "--changed-since: unknown git revision {rev!r} (in CI, fetch the base branch: "
            "actions/checkout with fetch-depth: 0)"
        ).format(rev=rev),
    )
    index = root / _git(["rev-parse", "--git-path", "index"], root, None).strip()
    with tempfile.TemporaryDirectory(prefix="woonplan-index-") as scratch:
        # `git diff` against the working tree writes the index when it refreshes a file's
        # stat data (a file touched, not changed), GIT_OPTIONAL_LOCKS or not: it gets a copy
        env: dict[str, str] = {}
        if index.is_file():
            env["GIT_INDEX_FILE"] = shutil.copy(index, os.path.join(scratch, "index"))
        diff = _git(["diff", "--name-only", "-z", "--diff-filter=AMR", rev, "--"], root, None, env)
        untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root, None, env)
    names = [n for n in (diff + untracked).split("\0") if n]
    return {os.path.realpath(root / name) for name in names}


def _git(args: list[str], cwd: Path, failure: str | None, env: dict[str, str] | None = None) -> str:
    """Run ``git ARGS`` in ``cwd`` (with ``env`` added to the environment); its output, or
    :class:`ChangedError` with ``failure``."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(env or {})},
        )
    except FileNotFoundError:
        raise ChangedError(_("--changed-since needs git, and git is not on PATH")) from None
    except subprocess.TimeoutExpired:
        raise ChangedError(
            _("--changed-since: git {command} took longer than {seconds} s").format(
                command=args[0], seconds=GIT_TIMEOUT
            )
        ) from None
    except OSError as exc:
        raise ChangedError(
            _("--changed-since: cannot run git ({reason})").format(reason=exc.strerror or exc)
        ) from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.split())[:200]
        message = failure or _("--changed-since: git {command} failed: {detail}").format(
            command=args[0], detail=detail
        )
        raise ChangedError(message)
    return done.stdout
