"""A headless Chromium, driven over the DevTools protocol, that prints the report to PDF.

Why the DevTools protocol and not ``chromium --print-to-pdf``: the plain flag cannot print a
page header (region and date) or page numbers; ``Page.printToPDF`` can, with its
``headerTemplate`` and ``footerTemplate``. The protocol is spoken over a pipe
(``--remote-debugging-pipe``: commands on the browser's fd 3, answers on its fd 4, each a JSON
message ending in a NUL byte), so no port is opened, nothing else on the machine can talk to the
browser, and the standard library is enough. The browser gets a fresh profile in a temporary
folder, every run is bounded by a timeout, and the process is killed and the folder removed
whatever happens.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from woonplan.i18n import _
from woonplan.problems import WoonplanError
from woonplan.text import clip

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Looked up on PATH in this order."""
TIMEOUT_S = 60.0
"""The longest a print of the summary may take; a hanging browser is killed after it."""
PAGE_S = 0.5
"""And this much more per dossier page (222 dossiers print in about 25 s on a busy laptop)."""
FLAGS = (
    "--headless",
    # A sandbox needs user namespaces that containers and CI runners often lack (running as
    # root it refuses to start at all); the page is our own file, its text escaped.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
)
A4_INCHES = (8.27, 11.69)
"""The paper size of ``Page.printToPDF`` (the report's CSS asks for A4 too)."""


class BrowserError(WoonplanError):
    """No browser, or the browser failed or took too long."""


def find_browser() -> str:
    """The path of a Chromium on PATH; raises :class:`BrowserError` naming what to install."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError(
        _(
            "--pdf needs Chromium or Google Chrome on PATH (none of {names} found): install it "
            "with 'apt-get install chromium' (Debian/Ubuntu) or from https://www.chromium.org/"
        ).format(names=", ".join(BROWSERS))
    )


@dataclass(frozen=True)
class PageFurniture:
    """What is printed in the margins of every PDF page (HTML, shown by Chromium)."""

    header: str
    footer: str


def print_pdf(
    html: str, furniture: PageFurniture, browser: str | None = None, timeout: float = TIMEOUT_S
) -> bytes:
    """The PDF of the HTML page ``html``, A4 portrait, with header and footer on every page."""
    with Chromium(browser or find_browser(), timeout) as chromium:
        chromium.open_html(html)
        return chromium.pdf(furniture)


class Chromium:
    """One headless Chromium with one page, driven over the DevTools pipe; a context manager."""

    def __init__(self, executable: str, timeout: float = TIMEOUT_S) -> None:
        self.executable = executable
        self.deadline = time.monotonic() + timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._session: str | None = None
        self._folder = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._to_browser = -1
        self._from_browser = -1

    def __enter__(self) -> Chromium:
        self._folder = tempfile.mkdtemp(prefix="woonplan-chromium-")
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if os.name != "posix":  # the pipe is handed over as fds 3 and 4: POSIX only
            raise BrowserError(
                _(
                    "--pdf works on Linux and macOS only; on Windows, open the --html file in "
                    "Chrome or Edge and print it to PDF"
                )
            )
        # Our ends stay here; the browser's ends become its fds 3 (commands) and 4 (answers).
        command_read, command_write = os.pipe()
        answer_read, answer_write = os.pipe()
        # Above 4, so that moving them onto 3 and 4 in the child cannot overwrite each other.
        high_read = _dup_above(command_read, 10)
        high_write = _dup_above(answer_write, 10)
        for fd in (command_read, answer_write):
            os.close(fd)

        def onto_3_and_4() -> None:  # runs in the child, between fork and exec
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        profile = os.path.join(self._folder, "profile")
        # Outside --user-data-dir Chromium still writes its crash-report folder to
        # $XDG_CONFIG_HOME (~/.config/chromium) and dconf's cache to $XDG_CACHE_HOME: both
        # go to the temporary folder too, so nothing is left in the user's home.
        env = os.environ | {
            "XDG_CONFIG_HOME": os.path.join(self._folder, "config"),
            "XDG_CACHE_HOME": os.path.join(self._folder, "cache"),
        }
        log = open(os.path.join(self._folder, "stderr.log"), "wb")  # noqa: SIM115 - closed below
        try:
            self._process = subprocess.Popen(
                [
                    self.executable,
                    *FLAGS,
                    "--remote-debugging-pipe",
                    f"--user-data-dir={profile}",
                    "about:blank",
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                env=env,
                pass_fds=(3, 4),
                preexec_fn=onto_3_and_4,  # safe: this process starts no threads before it
                start_new_session=True,
            )
        except OSError as exc:
            raise BrowserError(
                _("{browser}: cannot start ({reason})").format(
                    browser=self.executable, reason=exc.strerror or exc
                )
            ) from None
        finally:
            log.close()
            os.close(high_read)
            os.close(high_write)
        self._to_browser, self._from_browser = command_write, answer_read
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self._session = attached["sessionId"]
        self.call("Page.enable")

    def close(self) -> None:
        """Kill the browser (and anything it started) and remove its profile folder."""
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_browser = self._from_browser = -1
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, 9)  # its own session: the renderer processes too
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        self._process = None
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = ""

    def open_html(self, html: str) -> None:
        """Show ``html`` (a whole page) and wait until it has loaded."""
        page = Path(self._folder, "report.html")
        # a file name that is not UTF-8 is held as lone surrogates: shown escaped, as everywhere
        page.write_bytes(html.encode("utf-8", "backslashreplace"))
        self._events.clear()
        self.call("Page.navigate", {"url": page.as_uri()})
        self._wait_for_event("Page.loadEventFired")

    def pdf(self, furniture: PageFurniture) -> bytes:
        """The shown page printed: A4 portrait, the CSS's margins, header and footer."""
        width, height = A4_INCHES
        answer = self.call(
            "Page.printToPDF",
            {
                "paperWidth": width,
                "paperHeight": height,
                "preferCSSPageSize": True,
                "printBackground": True,
                "displayHeaderFooter": True,
                "headerTemplate": furniture.header,
                "footerTemplate": furniture.footer,
            },
        )
        return self._decoded(answer)

    def screenshot(
        self, width: int = 1000, height: int = 1400, top: float = 0, scale: float = 1
    ) -> bytes:
        """A PNG of the shown page, ``width`` × ``height`` CSS pixels from ``top`` down."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        clip = {"x": 0, "y": top, "width": width, "height": height, "scale": scale}
        answer = self.call(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
        )
        return self._decoded(answer)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression on the shown page (for tests and screenshots)."""
        answer = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return answer.get("result", {}).get("value")

    # --- the protocol ----------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one command and return its result; raises :class:`BrowserError` on an error."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session is not None:
            message["sessionId"] = self._session
        self._send(json.dumps(message).encode("utf-8") + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    error = reply["error"]
                    reason = error.get("message", error) if isinstance(error, dict) else error
                    raise BrowserError(
                        _("the browser refused {method}: {reason}").format(
                            method=method, reason=clip(str(reason))
                        )
                    )
                result = reply.get("result", {})
                if not isinstance(result, dict):
                    raise self._nonsense()
                return result
            if "method" in reply:
                self._events.append(reply)

    def _wait_for_event(self, name: str) -> None:
        while not any(e.get("method") == name for e in self._events):
            self._events.append(self._receive())

    def _send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self._to_browser], [], self._time_left())
            if not ready:
                raise self._timeout()
            try:
                view = view[os.write(self._to_browser, view) :]
            except OSError:
                raise self._died() from None

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], self._time_left())
            if not ready:
                raise self._timeout()
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise self._died()
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        try:
            parsed = json.loads(message)
        except ValueError:  # not JSON, or not UTF-8: not the DevTools protocol
            raise self._nonsense() from None
        if not isinstance(parsed, dict):
            raise self._nonsense()
        return parsed

    def _decoded(self, answer: dict[str, Any]) -> bytes:
        """The base64 ``data`` of a print or a screenshot."""
        data = answer.get("data")
        if not isinstance(data, str):
            raise self._nonsense()
        try:
            return base64.b64decode(data, validate=True)
        except binascii.Error:
            raise self._nonsense() from None

    def _nonsense(self) -> BrowserError:
        return BrowserError(
            _("{browser}: answered something woonplan cannot read; the PDF was not made").format(
                browser=self.executable
            )
        )

    def _time_left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._timeout()
        return left

    def _timeout(self) -> BrowserError:
        return BrowserError(
            _("{browser}: no answer in time; the PDF was not made").format(browser=self.executable)
        )

    def _died(self) -> BrowserError:
        message = _("{browser}: stopped unexpectedly; the PDF was not made").format(
            browser=self.executable
        )
        said = self._last_words()
        return BrowserError(f"{message} ({said})" if said else message)

    def _last_words(self) -> str:
        """The browser's last line on stderr (why it stopped), clipped to one short line."""
        try:
            text = Path(self._folder, "stderr.log").read_bytes()[-4000:]
        except OSError:
            return ""
        lines = [line for line in text.decode("utf-8", "replace").splitlines() if line.strip()]
        return clip(lines[-1]) if lines else ""


def _dup_above(fd: int, lowest: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)


@contextlib.contextmanager
def browser_page(html: str, browser: str | None = None) -> Iterator[Chromium]:
    """A Chromium showing ``html``: for screenshots (docs) and the browser tests."""
    with Chromium(browser or find_browser()) as chromium:
        chromium.open_html(html)
        yield chromium
