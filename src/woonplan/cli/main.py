"""The entry point: signals, broken pipes and file-system errors end in one line and an exit
code, never a traceback."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sys
from typing import NoReturn

import typer

from woonplan.cli.app import EXIT_INVALID, app
from woonplan.cli.run import discard_stdout


class Terminated(BaseException):
    """SIGTERM, raised like ``KeyboardInterrupt`` so that the same clean-up runs: temporary
    files are removed on the way out (:func:`woonplan.output.write_all`)."""


def _interrupt(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM: unwind (removing temporary files) and end without a traceback."""
    # Objects left half-built by the interrupt, such as the zip archive openpyxl was writing,
    # complain from __del__ when freed ("Exception ignored in: ZipFile.__del__"); the run is
    # over, so that is noise.
    sys.unraisablehook = _ignore
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _ignore(unraisable: object) -> None:
    pass


def main() -> None:
    """Entry point of the ``woonplan`` command."""
    # A run keeps hundreds of thousands of small acyclic objects (the plans and their results);
    # with the default thresholds the cycle collector rescans them over and over (about 15%
    # of a 10,000-plan check). A short-lived command can collect far less often, as mypy does.
    gc.set_threshold(200_000, 30, 30)
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # `nohup`, `cmd &`: leave ignored
            signal.signal(signum, _interrupt)
    # A file name that is not UTF-8 reaches Python as lone surrogates (surrogateescape);
    # printed, it would raise UnicodeEncodeError. Shown escaped instead (\udcff), on every
    # stream, however PYTHONIOENCODING sets them.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        app()
    except KeyboardInterrupt:
        _exit_now(130)
    except Terminated:
        _exit_now(143)  # 128 + SIGTERM, as a shell reports a process killed by it
    except BrokenPipeError:
        discard_stdout()
        sys.exit(1)
    except OSError as exc:
        # A file-system error that no check above foresaw (every known one is reported where
        # it happens): still one line and exit 2, never a traceback.
        name = exc.filename if exc.filename is not None else "woonplan"
        with contextlib.suppress(OSError):  # stderr itself may be the full disk
            typer.echo(f"{name}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)


def _exit_now(code: int) -> NoReturn:
    """Exit at once after an interrupt, without a traceback.

    Temporary files are already gone (removed while the exception unwound). What is left is
    only half-built state, such as a zip archive openpyxl was writing whose ``__del__`` would
    print ``Exception ignored ...`` at shutdown, and worker processes, which die with this one
    (:mod:`woonplan.checking.parallel`); so the process ends here, not through the interpreter's
    shutdown.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
