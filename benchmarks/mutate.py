"""Mutation testing of the modules that compute what users read: do the tests notice a bug?

A small AST mutator: for every place in a target module where a plausible slip could be made
(``<`` for ``<=``, ``+`` for ``-``, ``and`` for ``or``, ``max`` for ``min``, a constant off by
one, a condition negated, ``+=`` for ``-=``), it writes the module with that one change into a
copy of ``src/``, runs the module's own test files against it (``pytest -x``, with a timeout)
and records whether a test failed ("killed") or all passed ("survived"). A survivor is either
a missing test or an equivalent mutant (one that cannot change behaviour); equivalent ones are
listed, with the reason, in ``benchmarks/mutate-equivalent.txt``.

Usage (from the repository root, with the project installed)::

    python benchmarks/mutate.py                      # every target, one mutant at a time
    python benchmarks/mutate.py --module scoring     # one target
    python benchmarks/mutate.py --list               # the mutants only, nothing run

The working tree is never changed: mutants are written into a temporary copy of ``src/``,
which the tests import through ``PYTHONPATH``. The score it reached is in docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

EVALUATION = frozenset({"lookup", "<lambda>"})
"""The closures of expressions.py that run when a compiled expression is evaluated (the
others, and the helpers they call, are in evaluation.py, mutated whole)."""

PROGRESS_TESTS = (
    # fast files first: with -x, a killed mutant rarely reaches the property tests
    "tests/test_progress.py",
    "tests/test_cli_progress.py",
    "tests/test_colours.py",
    "tests/test_policy.py",
    "tests/test_changes.py",
    "tests/test_progress_properties.py",
)
"""The tests of the region's figures, for each module of :mod:`woonplan.progress` that
computes them."""

TARGETS: dict[str, tuple[str, tuple[str, ...], frozenset[str] | None]] = {
    # name: (module path under src/, test files, functions to mutate (None: all))
    "contributions": ("woonplan/progress/contributions.py", PROGRESS_TESTS, None),
    "sums": ("woonplan/progress/sums.py", PROGRESS_TESTS, None),
    "region": ("woonplan/progress/region.py", PROGRESS_TESTS, None),
    "obstacles": ("woonplan/progress/obstacles.py", PROGRESS_TESTS, None),
    "scoring": (
        "woonplan/checking/scoring.py",
        (
            "tests/test_checks.py",
            "tests/test_hand_computed.py",
            "tests/test_pinned.py",
            "tests/test_messages.py",
            "tests/test_criteria.py",
            "tests/test_properties.py",
        ),
        None,
    ),
    "metrics": (
        "woonplan/checking/metrics.py",
        (
            "tests/test_metrics.py",
            "tests/test_hand_computed.py",
            "tests/test_checks.py",
            "tests/test_pinned.py",
        ),
        None,
    ),
    "plan_rules": (
        "woonplan/checking/plan_rules.py",
        (
            "tests/test_rules.py",
            "tests/test_validate.py",
            "tests/test_messages.py",
            "tests/test_pinned.py",
            "tests/test_policy.py",
            "tests/hostile/test_demolition.py",
        ),
        None,
    ),
    "evaluation": (
        "woonplan/checking/evaluation.py",
        ("tests/test_expressions.py", "tests/test_pinned.py"),
        None,
    ),
    "expressions": (
        "woonplan/checking/expressions.py",
        ("tests/test_expressions.py", "tests/test_pinned.py"),
        # evaluation only: the closures a compiled expression runs for every plan
        EVALUATION,
    ),
}

_SWAP_BINOP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
_SWAP_CMP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_SWAP_CALL = {"max": "min", "min": "max"}


@dataclass(frozen=True)
class Mutant:
    target: str
    index: int
    line: int
    what: str
    occurrence: int = 1
    """The same change on the same line a second time (two ``<=`` in one comparison) is 2."""

    @property
    def key(self) -> str:
        """How the equivalent list names it: ``target:line:what`` (``#2`` for a repeat)."""
        repeat = f"#{self.occurrence}" if self.occurrence > 1 else ""
        return f"{self.target}:{self.line}:{self.what}{repeat}"


class _Sites(ast.NodeVisitor):
    """Every mutable place, in a fixed order, with the enclosing function's name."""

    def __init__(self, only: frozenset[str] | None) -> None:
        self.only = only
        self.stack: list[str] = []
        self.sites: list[tuple[ast.AST, str, str]] = []  # (node, kind, description)

    def _active(self) -> bool:
        return self.only is None or any(name in self.only for name in self.stack)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stack.append(node.name)
        for child in node.body:  # not the decorators or annotations
            self.visit(child)
        self.stack.pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.stack.append("<lambda>")
        self.generic_visit(node)
        self.stack.pop()

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)  # not the annotation

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in node.body:
            self.visit(child)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)  # docstrings are not code

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if self._active() and type(node.op) in _SWAP_BINOP:
            new = _SWAP_BINOP[type(node.op)].__name__
            self.sites.append((node, "binop", f"{type(node.op).__name__}->{new}"))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self._active() and type(node.op) in _SWAP_BINOP:
            new = _SWAP_BINOP[type(node.op)].__name__
            self.sites.append((node, "augassign", f"{type(node.op).__name__}=->{new}="))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if self._active():
            for i, op in enumerate(node.ops):
                if type(op) in _SWAP_CMP:
                    new = _SWAP_CMP[type(op)].__name__
                    self.sites.append((node, f"cmp{i}", f"{type(op).__name__}->{new}"))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        if self._active():
            new = "Or" if isinstance(node.op, ast.And) else "And"
            self.sites.append((node, "boolop", f"{type(node.op).__name__}->{new}"))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if self._active() and isinstance(node.op, ast.Not | ast.USub):
            self.sites.append((node, "unary", f"drop {type(node.op).__name__}"))
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        if self._active():
            self.sites.append((node, "if", "negate if"))
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        if self._active():
            self.sites.append((node, "ifexp", "negate conditional"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self._active() and isinstance(node.func, ast.Name) and node.func.id in _SWAP_CALL:
            self.sites.append((node, "call", f"{node.func.id}->{_SWAP_CALL[node.func.id]}"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not self._active() or isinstance(value, str | bytes) or value is None:
            return
        if isinstance(value, bool):
            self.sites.append((node, "const", f"{value}->{not value}"))
        elif isinstance(value, int | float):
            self.sites.append((node, "const", f"{value!r}->{value + 1!r}"))


def _apply(node: ast.AST, kind: str) -> None:
    if kind in ("binop", "augassign") and isinstance(node, ast.BinOp | ast.AugAssign):
        node.op = _SWAP_BINOP[type(node.op)]()
    elif kind.startswith("cmp") and isinstance(node, ast.Compare):
        i = int(kind[3:])
        node.ops[i] = _SWAP_CMP[type(node.ops[i])]()
    elif kind == "boolop" and isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind in ("if", "ifexp") and isinstance(node, ast.If | ast.IfExp):
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif kind == "call" and isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        node.func.id = _SWAP_CALL[node.func.id]
    elif kind == "const" and isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, int | float):
            node.value = value + 1
    else:  # pragma: no cover - a site kind without an application is a bug here
        raise AssertionError(kind)


def _replace_unary(tree: ast.AST, target: ast.UnaryOp) -> None:
    """``not x`` → ``x``, ``-x`` → ``x``: replace the node in its parent."""
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, target.operand)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        value[i] = target.operand
                        return


def mutants(name: str) -> Iterator[tuple[Mutant, str]]:
    """Every mutant of one target, with its source."""
    path, _, only = TARGETS[name]
    source = (SRC / path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    finder = _Sites(only)
    finder.visit(tree)
    seen: dict[tuple[int, str], int] = {}
    for index in range(len(finder.sites)):
        copied = copy.deepcopy(tree)
        sites = _Sites(only)
        sites.visit(copied)
        node, kind, what = sites.sites[index]
        if kind == "unary" and isinstance(node, ast.UnaryOp):
            _replace_unary(copied, node)
        else:
            _apply(node, kind)
        line = getattr(node, "lineno", 0)
        seen[line, what] = seen.get((line, what), 0) + 1
        mutant = Mutant(name, index, line, what, seen[line, what])
        yield mutant, ast.unparse(ast.fix_missing_locations(copied))


def _run(tests: tuple[str, ...], src: Path, timeout: float, show: bool = False) -> str:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    command += ["--basetemp", str(src.parent / "pytest")]
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "killed"  # a mutant that hangs is caught: the suite does not pass
    if show and done.returncode != 0:
        print(done.stdout.decode("utf-8", "replace")[-3000:])
    return "survived" if done.returncode == 0 else "killed"


def _equivalents() -> dict[str, str]:
    path = Path(__file__).with_name("mutate-equivalent.txt")
    out: dict[str, str] = {}
    if path.exists():
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if line and not line.startswith("#"):
                key, _, reason = line.partition("  ")
                out[key.strip()] = reason.strip()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", choices=sorted(TARGETS), action="append")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    parser.add_argument(
        "--only",
        action="append",
        metavar="KEY",
        help="run only this mutant (target:line:what, as printed); repeat for more",
    )
    args = parser.parse_args()
    names = args.module or list(TARGETS)
    equivalent = _equivalents()
    if args.list:
        for name in names:
            for mutant, _ in mutants(name):
                print(mutant.key)
        return 0
    totals: dict[str, list[int]] = {}
    survivors: list[Mutant] = []
    with tempfile.TemporaryDirectory(prefix="woonplan-mutate-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(SRC, src, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for name in names:
            path, tests, _ = TARGETS[name]
            original = (SRC / path).read_text(encoding="utf-8")
            if _run(tests, src, args.timeout, show=True) != "survived":
                print(f"{name}: the tests fail without any mutant; fix them first")
                return 2
            killed = total = skipped = 0
            started = time.perf_counter()
            for mutant, text in mutants(name):
                if args.only and mutant.key not in args.only:
                    continue
                if mutant.key in equivalent:
                    skipped += 1
                    continue
                (src / path).write_text(text, encoding="utf-8")
                outcome = _run(tests, src, args.timeout)
                total += 1
                killed += outcome == "killed"
                if outcome == "survived":
                    survivors.append(mutant)
                    print(f"  survived {mutant.key}", flush=True)
            (src / path).write_text(original, encoding="utf-8")
            seconds = time.perf_counter() - started
            totals[name] = [killed, total, skipped]
            share = killed / total if total else 1.0
            print(
                f"{name}: {killed} of {total} mutants killed ({share:.1%}); "
                f"{skipped} equivalent; {seconds:.0f} s",
                flush=True,
            )
    killed = sum(k for k, _, _ in totals.values())
    total = sum(t for _, t, _ in totals.values())
    print(f"all: {killed} of {total} non-equivalent mutants killed ({killed / max(total, 1):.1%})")
    return 0 if not survivors else 1


if __name__ == "__main__":
    sys.exit(main())
