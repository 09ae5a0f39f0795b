"""Checking one plan imports only what it needs: start-up is most of its time (issue 6)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import PLANS

PROBE = """
import sys
from woonplan.cli import main
sys.argv = ["woonplan", "check", sys.argv[1], "--format", "json"]
try:
    main()
except SystemExit:
    pass
heavy = ("rich", "openpyxl", "multiprocessing", "markdown_it", "jsonschema", "jinja2", "babel")
print(",".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("language", ["en", "nl"])
def test_checking_one_plan_as_json_imports_no_renderer_workbook_or_process_pool(
    language: str,
) -> None:
    # In Dutch the catalogue is read (a small .mo through the stdlib's gettext), but Babel,
    # which formats Dutch numbers for tables, is not: JSON needs no number forms.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(PLANS / "laren-brink.yaml")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WOONPLAN_LANG": language},
    )
    assert '"verdict"' in done.stdout
    assert done.stderr.strip().splitlines()[-1:] in ([], [""])
