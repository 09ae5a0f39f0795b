"""The report as one self-contained HTML page: Jinja2 with autoescaping, the templates beside
this module, every text through the translation function and every figure through
:mod:`woonplan.report.numbers`.
"""

from __future__ import annotations

import html as html_text
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from woonplan import __version__
from woonplan.i18n import _, ngettext
from woonplan.render import labels
from woonplan.report import numbers, svg
from woonplan.report.pdf import PageFurniture

LANGUAGE = "en"
"""The page's ``lang``; the language pass sets it from the run's language."""


def environment() -> jinja2.Environment:
    """The templates' environment: autoescaped (plan text is untrusted), strict about names
    that do not exist, with the i18n extension calling :mod:`woonplan.i18n`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("woonplan.report", "templates"),
        autoescape=True,  # every file, .css included: nothing in them is markup from a value
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Old-style gettext: placeholders are filled with str.format after translation, the same
    # `{name}` convention as the Python code, so one catalogue has one placeholder style.
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(numbers.FILTERS)
    env.filters["measure"] = numbers.measure
    env.filters["decimal"] = numbers.decimal
    env.filters["date"] = numbers.date
    return env


def render_html(report: Mapping[str, Any], plan_count: int) -> str:
    """The whole page for the content :func:`woonplan.report.build.build_report` made."""
    template = environment().get_template("report.html.j2")
    return template.render(
        **report,
        plan_count=plan_count,
        lang=LANGUAGE,
        version=__version__,
        labels=labels,
        capacity_chart=svg.capacity_bar(report["headline"]),
        year_chart=svg.year_chart(report["years"], report["headline"]["even_pace"]),
        municipality_chart=svg.municipality_chart(report["municipalities"]),
    )


PAGE_STYLE = "font: 8pt sans-serif; color: #5a5a60; width: 100%; margin: 0 16mm;"


def page_furniture(report: Mapping[str, Any]) -> PageFurniture:
    """The PDF's page header (region and date) and footer (page numbers), as Chromium's
    ``headerTemplate`` and ``footerTemplate`` want them: HTML with inline styles."""
    title = _("{region}: housing plans, meeting report").format(region=report["region"])
    header = Markup(
        '<div style="{style} display: flex; justify-content: space-between;">'
        "<span>{title}</span><span>{date}</span></div>"
    ).format(style=PAGE_STYLE, title=title, date=numbers.date(report["generated"]))
    # Chromium fills these two classes in; the words around them are translated as a whole.
    pattern = html_text.escape(_("Page {page} of {pages}"))
    numbers_html = pattern.replace("{page}", '<span class="pageNumber"></span>').replace(
        "{pages}", '<span class="totalPages"></span>'
    )
    footer = f'<div style="{PAGE_STYLE} text-align: right;">{numbers_html}</div>'
    return PageFurniture(header=str(header), footer=footer)
