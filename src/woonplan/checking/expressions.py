"""Safe arithmetic expressions for criteria (`expression:` and `when:` in criteria.yaml).

An expression is parsed with :mod:`ast` and checked against an allow-list once, when
criteria.yaml is loaded; it is then compiled into a tree of small Python closures. Nothing is
ever passed to ``eval`` or ``exec``. Allowed: numbers, strings, known names (metrics and plan
fields such as ``homes.social_rent``), ``+ - * /``, unary ``-``, comparisons, ``and or not``,
parentheses and the functions ``min max abs round``. Everything else — attribute access into
objects, other calls, subscripts, lambdas, comprehensions, ``**`` — is refused.

Arithmetic is on floats only (no string arithmetic), so results stay small; a result that is
not finite is an evaluation error, as is division by zero. Text written in the expression may
only be compared (``phase == 'adopted'``): arithmetic on it is refused when criteria.yaml is
loaded, so ``'a' * 1000000000`` never gets to run.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Collection, Mapping
from typing import Any

from woonplan.checking.evaluation import (
    Compiled,
    Env,
    EvaluationError,
    Expression,
    MissingValue,
    Value,
    arith,
    number,
    present,
    truth,
)
from woonplan.problems import WoonplanError
from woonplan.text import did_you_mean

__all__ = [
    "FUNCTIONS",
    "EvaluationError",
    "Expression",
    "ExpressionError",
    "MissingValue",
    "Value",
    "compile_expression",
]
"""The evaluation types are re-exported: callers compile and evaluate through this module."""

MAX_LENGTH = 1000
MAX_NODES = 200
MAX_DEPTH = 30
MAX_STRING = 200

FUNCTIONS: dict[str, Callable[..., float]] = {"min": min, "max": max, "abs": abs, "round": round}
_ARITH: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_SYMBOLS = {ast.Pow: "**", ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}


class ExpressionError(WoonplanError, ValueError):
    """An expression that is not allowed or cannot be parsed (found at load time)."""


def compile_expression(
    source: str, names: frozenset[str], text_names: Mapping[str, Collection[str]] | None = None
) -> Expression:
    """Parse and check ``source``, allowing only ``names``; raises :class:`ExpressionError`.

    ``text_names`` are the names whose values are text (``phase``, ``municipality``), each with
    the values it can have: they may only be compared with ``==``/``!=``, and a quoted value
    compared with them must be one of those (a typo would silently make the test false).
    """
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(source)} characters; at most 1000)")
    if _bracket_depth(source) > MAX_DEPTH:
        # Checked on the text: parentheses leave no trace in the tree, and the parser's own
        # limit (about 200) is far above anything a criterion needs.
        raise ExpressionError("expression is nested too deeply")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse expression: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("cannot parse expression") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"expression is too complex ({count} parts; at most {MAX_NODES})")
    compiler = _Compiler(names, text_names or {})
    compiler._refuse_text_condition(tree.body)  # a whole expression is a number or a condition
    fn = compiler.compile(tree.body, 0)
    return Expression(source, frozenset(compiler.used), fn)


def _bracket_depth(source: str) -> int:
    """The deepest nesting of ``( [ {`` outside quoted text."""
    depth = deepest = 0
    quote = ""
    escaped = False
    for char in source:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


class _Compiler:
    def __init__(self, names: frozenset[str], text_names: Mapping[str, Collection[str]]) -> None:
        self.names = names
        self.text_names = text_names
        self.used: set[str] = set()

    def _text_name(self, node: ast.expr) -> str | None:
        name = _dotted(node) if isinstance(node, ast.Name | ast.Attribute) else None
        return name if name in self.text_names else None

    def _refuse_text(self, *operands: ast.expr) -> None:
        """Text can be compared, not computed with: quoted text or a text name."""
        _refuse_text(*operands)
        for operand in operands:
            name = self._text_name(operand)
            if name is not None:
                raise ExpressionError(
                    f"{name} is text; it can only be compared with == or != (e.g. "
                    f"{name} == 'x'), not computed with"
                )

    def _refuse_text_condition(self, *operands: ast.expr) -> None:
        """``and``/``or``/``not`` take conditions; text there is always true: a mistake."""
        for operand in operands:
            name = self._text_name(operand) or _quoted(operand)
            if name is not None:
                raise ExpressionError(
                    f"{name} is text, not a condition; compare it, e.g. phase == 'adopted'"
                )

    def _check_text_comparison(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> None:
        for name_side, other in ((left, right), (right, left)):
            quoted = _quoted(name_side)
            if quoted is not None and self.text_names and self._text_name(other) is None:
                names = " or ".join(sorted(self.text_names))
                raise ExpressionError(f"text {quoted} can only be compared with {names}")
            name = self._text_name(name_side)
            if name is None:
                continue
            if not isinstance(op, ast.Eq | ast.NotEq):
                raise ExpressionError(f"{name} is text; compare it with == or != only")
            written = _dotted(other) if isinstance(other, ast.Name | ast.Attribute) else None
            if written is not None and written not in self.names:  # forgotten quotes
                raise ExpressionError(
                    f"unknown name {written!r}; to compare {name} with text, quote it: "
                    f"{name} == '{written}'"
                )
            if not (isinstance(other, ast.Constant) and isinstance(other.value, str)):
                raise ExpressionError(
                    f"{name} is text; compare it with a quoted value, e.g. {name} == 'x'"
                )
            allowed = sorted(self.text_names[name])
            if allowed and other.value not in allowed:
                suggestion = did_you_mean(other.value, allowed)
                raise ExpressionError(
                    f"{other.value[:40]!r} is not a possible {name}{suggestion}; "
                    f"one of {', '.join(allowed)}"
                )

    def compile(self, node: ast.expr, depth: int) -> Compiled:
        if depth > MAX_DEPTH:
            raise ExpressionError("expression is nested too deeply")
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.Name | ast.Attribute):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            op = _ARITH.get(type(node.op))
            if op is None:
                symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
                raise ExpressionError(f"operator {symbol} is not allowed (use + - * /)")
            self._refuse_text(node.left, node.right)
            return arith(op, self.compile(node.left, d), self.compile(node.right, d))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                self._refuse_text_condition(node.operand)
            else:
                self._refuse_text(node.operand)
            operand = self.compile(node.operand, d)
            if isinstance(node.op, ast.Not):
                return lambda env: not truth(operand(env))
            if isinstance(node.op, ast.USub):
                return lambda env: -number(operand(env))
            if isinstance(node.op, ast.UAdd):
                return lambda env: number(operand(env))
            raise ExpressionError("operator ~ is not allowed")
        if isinstance(node, ast.BoolOp):
            self._refuse_text_condition(*node.values)
            parts = [self.compile(v, d) for v in node.values]
            if isinstance(node.op, ast.And):
                return lambda env: all(truth(p(env)) for p in parts)
            return lambda env: any(truth(p(env)) for p in parts)
        if isinstance(node, ast.Compare):
            return self._compare(node, d)
        if isinstance(node, ast.Call):
            return self._call(node, d)
        raise ExpressionError(f"{_describe(node)} is not allowed in an expression")

    def _constant(self, value: object) -> Compiled:
        if isinstance(value, bool) or value is None:
            raise ExpressionError(f"{value!r} is not allowed; use comparisons instead")
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:  # a whole number of hundreds of digits
                raise ExpressionError("number is too large") from None
            if not math.isfinite(number):
                raise ExpressionError("number is too large")
            return lambda env: number
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise ExpressionError(f"string is too long (at most {MAX_STRING} characters)")
            return lambda env: value
        raise ExpressionError(f"constant {value!r} is not allowed")

    def _name(self, node: ast.Name | ast.Attribute) -> Compiled:
        dotted = _dotted(node)
        if dotted is None:
            raise ExpressionError("attribute access is only allowed on plan fields (homes.x)")
        if dotted.startswith("_") or "._" in dotted or dotted not in self.names:
            suggestion = did_you_mean(dotted, sorted(self.names))
            raise ExpressionError(f"unknown name {dotted!r}{suggestion}")
        self.used.add(dotted)

        def lookup(env: Env) -> Value:
            value = env[dotted]
            if value is None:
                raise MissingValue(dotted)
            return value

        return lookup

    def _compare(self, node: ast.Compare, depth: int) -> Compiled:
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
            self._check_text_comparison(op, left, right)
        ops = []
        for op in node.ops:
            fn = _COMPARE.get(type(op))
            if fn is None:
                raise ExpressionError(f"comparison {type(op).__name__} is not allowed")
            ops.append(fn)
        first = self.compile(node.left, depth)
        rest = [self.compile(c, depth) for c in node.comparators]

        def compare(env: Env) -> Value:
            left = present(first(env))
            for fn, right_fn in zip(ops, rest, strict=True):
                right = present(right_fn(env))
                if isinstance(left, str) != isinstance(right, str) and fn not in (
                    operator.eq,
                    operator.ne,
                ):
                    raise EvaluationError("cannot compare text with a number")
                if not fn(left, right):
                    return False
                left = right
            return True

        return compare

    def _call(self, node: ast.Call, depth: int) -> Compiled:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            if isinstance(node.func, ast.Attribute):
                written = ast.unparse(node.func)[:60]
                raise ExpressionError(
                    f"method call {written}() is not allowed (only min, max, abs, round)"
                )
            shown = name or _describe(node.func)
            raise ExpressionError(f"function {shown} is not allowed (only min, max, abs, round)")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"{name}() takes plain arguments only")
        self._refuse_text(*node.args)
        args = [self.compile(a, depth) for a in node.args]
        if name in ("min", "max") and len(args) < 2:
            raise ExpressionError(f"{name}() needs at least two arguments")
        if name == "abs" and len(args) != 1:
            raise ExpressionError("abs() takes one argument")
        if name == "round" and len(args) not in (1, 2):
            raise ExpressionError("round() takes one or two arguments")
        fn = FUNCTIONS[name]

        def call(env: Env) -> Value:
            values = [number(a(env)) for a in args]
            if name == "round" and len(values) == 2:
                digits = values[1]
                if digits != int(digits) or not -10 <= digits <= 10:
                    raise EvaluationError("round() digits must be a whole number from -10 to 10")
                return float(round(values[0], int(digits)))
            return float(fn(*values))

        return call


def _refuse_text(*operands: ast.expr) -> None:
    """Text written in an expression can be compared, not computed with."""
    for operand in operands:
        if isinstance(operand, ast.Constant) and isinstance(operand.value, str):
            raise ExpressionError(
                f"arithmetic on text ({operand.value[:20]!r}) is not allowed; "
                "text can only be compared with == or !="
            )


def _quoted(node: ast.expr) -> str | None:
    """``'x'`` (shown) when ``node`` is quoted text, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return repr(node.value[:40])
    return None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _describe(node: ast.AST) -> str:
    names = {
        ast.Lambda: "lambda",
        ast.Subscript: "indexing ([...])",
        ast.ListComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.Dict: "a dict",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.IfExp: "if/else",
        ast.NamedExpr: "assignment (:=)",
        ast.JoinedStr: "an f-string",
    }
    return names.get(type(node), type(node).__name__)
