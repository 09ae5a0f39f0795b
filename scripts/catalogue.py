"""Keep the Dutch message catalogue in step with the code (see CONTRIBUTING.md, "Translations").

    python scripts/catalogue.py update    # new messages into woonplan.po, gone ones marked obsolete
    python scripts/catalogue.py compile   # woonplan.po -> woonplan.mo (what a run reads)

The same as ``pybabel extract -F babel.cfg`` + ``pybabel update`` + ``pybabel compile``, but
with stable output (sorted, no source locations, no dates that change on every run), so the
catalogue's diff shows only what a translator changed. The tests use :func:`extract` and
:func:`compiled` to check that every marked message is in the catalogue and that the
committed ``.mo`` is the compiled ``.po``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "woonplan"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
LANGUAGES = ("nl",)


def po_path(language: str) -> Path:
    return SOURCE / "locales" / language / "LC_MESSAGES" / "woonplan.po"


def extract() -> Catalog:
    """Every message marked in the source: ``_("...")``, ``N_("...")``, ``ngettext(...)``."""
    template = Catalog(domain="woonplan", project="woonplan", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python"), ("**/templates/**.j2", "jinja2.ext:babel_extract")],
        options_map={"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS,
        comment_tags=("NOTE",),
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain="woonplan", project="woonplan", fuzzy=False)
    with path.open("rb") as file:
        return read_po(file, locale=language, domain="woonplan")


def write(catalog: Catalog, language: str) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def compiled(language: str) -> bytes:
    """The ``.mo`` that the committed ``.po`` compiles to."""
    buffer = io.BytesIO()
    write_mo(buffer, read(language), use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        catalog = read(language)
        created, revised = catalog.creation_date, catalog.revision_date
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.creation_date, catalog.revision_date = created, revised
        write(catalog, language)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{po_path(language).relative_to(ROOT)}: {len(missing)} message(s) to translate")


def compile_all() -> None:
    for language in LANGUAGES:
        path = po_path(language).with_suffix(".mo")
        path.write_bytes(compiled(language))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    commands = {"update": update, "compile": compile_all}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python {sys.argv[0]} update|compile")
    commands[sys.argv[1]]()
