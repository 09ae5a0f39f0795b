"""The command line: options in, one library call, one renderer, one exit code.

Exit codes: 0 success; 1 a required criterion failed (with ``--strict``: anything warned);
2 invalid input or usage.

One module per command (``check``, ``progress``, ``changes``, ``report``, ``schema``, and
``workbook`` for ``import``), on top of :mod:`~woonplan.cli.app` (the typer app and the shared
options), :mod:`~woonplan.cli.run` (what the commands share: criteria, language, checked plans,
outputs) and :mod:`~woonplan.cli.main` (the entry point). Importing this package registers
the commands; ``woonplan --help`` lists them in the order of :data:`~woonplan.cli.app.COMMANDS`.
"""

from __future__ import annotations

from woonplan.cli import changes, check, progress, report, schema, workbook
from woonplan.cli.app import app
from woonplan.cli.main import main

__all__ = ["app", "changes", "check", "main", "progress", "report", "schema", "workbook"]
