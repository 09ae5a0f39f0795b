"""Checking one plan imports only what it needs: start-up is most of its time (issue 6)."""

from __future__ import annotations

import subprocess
import sys

from conftest import PLANS

PROBE = """
import sys
from woonplan.cli import main
sys.argv = ["woonplan", "check", sys.argv[1], "--format", "json"]
try:
    main()
except SystemExit:
    pass
heavy = ("rich", "openpyxl", "multiprocessing", "markdown_it", "jsonschema", "jinja2")
print(",".join(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
"""


def test_checking_one_plan_as_json_imports_no_renderer_workbook_or_process_pool() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(PLANS / "laren-brink.yaml")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"verdict"' in done.stdout
    assert done.stderr.strip().splitlines()[-1:] in ([], [""])
