"""The report's files from a checked set of plans: the one library call of ``woonplan report``."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from woonplan.checking.run import CheckReport
from woonplan.output import Writer, text_writer
from woonplan.progress.contract import as_dict
from woonplan.progress.sums import compute_progress
from woonplan.report.build import build_report, plan_entry
from woonplan.report.html import page_furniture, render_html


def report_files(
    checked: CheckReport,
    changes: dict[str, Any] | None,
    since: str | None,
    html: Path | None,
    pdf: Path | None,
    browser: str | None = None,
    today: datetime.date | None = None,
) -> list[tuple[Path, Writer]]:
    """The HTML page and/or its PDF (printed by ``browser``), ready for
    :func:`woonplan.output.write_all`; raises :class:`~woonplan.report.pdf.BrowserError`."""
    region = checked.criteria.region
    invalid = [p.file for p in checked.plans if not p.valid]
    # The policy tests (issue 13) are judged where the criteria have them: Criteria gains
    # `policy_tests` and compute_progress a keyword for them, as `woonplan progress` passes.
    tests = getattr(checked.criteria, "policy_tests", ())
    extra: dict[str, Any] = {"policy_tests": tests} if tests else {}
    figures = compute_progress(checked.valid_results, region, checked.as_of, invalid, **extra)
    entries = [plan_entry(r, region) for r in checked.valid_results]
    content = build_report(
        as_dict(figures),
        entries,
        review_threshold=region.review_threshold,
        generated=today or datetime.date.today(),
        changes=changes,
        since=since,
        price_limits=_plain(getattr(region, "price_limits", None)),  # when the region has them
    )
    page = render_html(content, plan_count=len(entries))
    files: list[tuple[Path, Writer]] = []
    if html is not None:
        files.append((html, text_writer(page)))
    if pdf is not None:
        from woonplan.report.pdf import PAGE_S, TIMEOUT_S, print_pdf

        timeout = TIMEOUT_S + PAGE_S * len(content["dossiers"])
        printed = print_pdf(page, page_furniture(content), browser, timeout)
        files.append((pdf, text_writer(printed)))
    return files


def _plain(value: Any) -> Any:
    """Pydantic models as plain data, recursively (the report reads plain data only)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
