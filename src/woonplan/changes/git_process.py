"""Running git for a side of ``woonplan changes``: its environment, and a watchdog that kills a
git that stopped answering (with its whole process group) instead of waiting for it forever.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import IO


def git_env() -> dict[str, str]:
    """The environment git is run in."""
    # No optional locks (nothing may write the index), never a password prompt, and git's
    # messages in English (one is read: "not a git repository").
    return os.environ | {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


class Watchdog:
    """Kills a git process's whole group when it has not answered for ``seconds``."""

    def __init__(self, process: subprocess.Popen[bytes], seconds: float) -> None:
        self.process = process
        self.seconds = seconds
        self.fired = False
        self.deadline = time.monotonic() + seconds
        self.done = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def answered(self) -> None:
        """Git answered: its time starts again."""
        self.deadline = time.monotonic() + self.seconds

    def stop(self) -> None:
        """Git is done: stop watching."""
        self.done.set()

    def _watch(self) -> None:
        while not self.done.wait(max(0.0, self.deadline - time.monotonic())):
            if time.monotonic() >= self.deadline:
                self.fired = True
                with contextlib.suppress(OSError):
                    if sys.platform == "win32":
                        self.process.kill()
                    else:
                        os.killpg(self.process.pid, signal.SIGKILL)
                return


def feed(stdin: IO[bytes], oids: Sequence[str]) -> None:
    """Ask ``git cat-file --batch`` for each object, then close its input."""
    try:
        stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
        stdin.close()
    except OSError:  # git stopped early; the reader reports it
        pass
