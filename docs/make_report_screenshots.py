"""Regenerate the screenshots in docs/report.md from the bundled plans.

    python docs/make_report_screenshots.py

Needs Chromium on PATH (as ``woonplan report --pdf`` does). Writes docs/img/report-first-page.png
and docs/img/report-dossier.png: the top of the report and the first dossier, as a browser at
A4 width shows them.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from woonplan.checking.criteria import load_criteria
from woonplan.checking.run import check_paths
from woonplan.report.make import report_files
from woonplan.report.pdf import browser_page

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
WIDTH = 820
"""About an A4 page's width on screen, so the screenshots look like the printed pages."""
AS_OF = 2026
DOSSIER = "#plan-laren-naarderstraat"
"""The dossier shown: the sample plan with an exemption, so the screenshot has every part."""


def main() -> None:
    criteria = load_criteria(ROOT / "criteria.yaml")
    checked = check_paths([ROOT / "plans"], criteria, AS_OF)
    html_path = OUT / "report.html"
    files = report_files(checked, None, None, html_path, None, today=datetime.date(2026, 11, 27))
    ((_, writer),) = files
    page = _text(writer)
    with browser_page(page) as chromium:
        chromium.call("Emulation.setEmulatedMedia", {"media": "screen"})
        chromium.screenshot(WIDTH, 400)  # lay out at this width before measuring
        box = chromium.evaluate(
            f"(r => [r.top + window.scrollY, r.height])"
            f"(document.querySelector({DOSSIER!r}).getBoundingClientRect())"
        )
        top, height = float(box[0]), float(box[1])
        shots = {
            "report-first-page.png": chromium.screenshot(WIDTH, 1160),
            "report-dossier.png": chromium.screenshot(WIDTH, round(height) + 40, top=top - 20),
        }
    for name, png in shots.items():
        (OUT / name).write_bytes(png)
        print(f"wrote docs/img/{name} ({len(png) // 1024} KB)")


def _text(writer: object) -> str:
    import io

    buffer = io.BytesIO()
    writer(buffer)  # type: ignore[operator]
    return buffer.getvalue().decode("utf-8")


if __name__ == "__main__":
    main()
