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
    comparison,
    function_call,
    number,
    truth,
)
from woonplan.i18n import N_, _
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
        raise ExpressionError(
            _("expression is too long ({count} characters; at most 1000)").format(count=len(source))
        )
    if _bracket_depth(source) > MAX_DEPTH:
        # Checked on the text: parentheses leave no trace in the tree, and the parser's own
        # limit (about 200) is far above anything a criterion needs.
        raise ExpressionError(_("expression is nested too deeply"))
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(
            _("cannot parse expression: {reason}").format(reason=exc.msg)
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(_("cannot parse expression")) from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(
            _("expression is too complex ({count} parts; at most {limit})").format(
                count=count, limit=MAX_NODES
            )
        )
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
                    _(
                        "{name} is text; it can only be compared with == or != (e.g. "
                        "{name} == 'x'), not computed with"
                    ).format(name=name)
                )

    def _refuse_text_condition(self, *operands: ast.expr) -> None:
        """``and``/``or``/``not`` take conditions; text there is always true: a mistake."""
        for operand in operands:
            name = self._text_name(operand) or _quoted(operand)
            if name is not None:
                raise ExpressionError(
                    _(
                        "{name} is text, not a condition; compare it, e.g. phase == 'adopted'"
                    ).format(name=name)
                )

    def _check_text_comparison(self, op: ast.cmpop, left: ast.expr, right: ast.expr) -> None:
        for name_side, other in ((left, right), (right, left)):
            quoted = _quoted(name_side)
            if quoted is not None and self.text_names and self._text_name(other) is None:
                names = _(" or ").join(sorted(self.text_names))
                raise ExpressionError(
                    _("text {quoted} can only be compared with {names}").format(
                        quoted=quoted, names=names
                    )
                )
            name = self._text_name(name_side)
            if name is None:
                continue
            if not isinstance(op, ast.Eq | ast.NotEq):
                raise ExpressionError(
                    _("{name} is text; compare it with == or != only").format(name=name)
                )
            written = _dotted(other) if isinstance(other, ast.Name | ast.Attribute) else None
            if written is not None and written not in self.names:  # forgotten quotes
                raise ExpressionError(
                    _(
                        "unknown name {shown}; to compare {name} with text, quote it: "
                        "{name} == '{written}'"
                    ).format(shown=repr(written), name=name, written=written)
                )
            if not (isinstance(other, ast.Constant) and isinstance(other.value, str)):
                raise ExpressionError(
                    _("{name} is text; compare it with a quoted value, e.g. {name} == 'x'").format(
                        name=name
                    )
                )
            allowed = sorted(self.text_names[name])
            if allowed and other.value not in allowed:
                suggestion = did_you_mean(other.value, allowed)
                raise ExpressionError(
                    _("{value} is not a possible {name}").format(
                        value=repr(other.value[:40]), name=name
                    )
                    + suggestion
                    + _("; one of {options}").format(options=", ".join(allowed))
                )

    def compile(self, node: ast.expr, depth: int) -> Compiled:
        if depth > MAX_DEPTH:
            raise ExpressionError(_("expression is nested too deeply"))
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.Name | ast.Attribute):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            op = _ARITH.get(type(node.op))
            if op is None:
                symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
                raise ExpressionError(
                    _("operator {symbol} is not allowed (use + - * /)").format(symbol=symbol)
                )
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
            raise ExpressionError(_("operator ~ is not allowed"))
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
        raise ExpressionError(
            _("{what} is not allowed in an expression").format(what=_describe(node))
        )

    def _constant(self, value: object) -> Compiled:
        if isinstance(value, bool) or value is None:
            raise ExpressionError(
                _("{value} is not allowed; use comparisons instead").format(value=repr(value))
            )
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:  # a whole number of hundreds of digits
                raise ExpressionError(_("number is too large")) from None
            if not math.isfinite(number):
                raise ExpressionError(_("number is too large"))
            return lambda env: number
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise ExpressionError(
                    _("string is too long (at most {count} characters)").format(count=MAX_STRING)
                )
            return lambda env: value
        raise ExpressionError(_("constant {value} is not allowed").format(value=repr(value)))

    def _name(self, node: ast.Name | ast.Attribute) -> Compiled:
        dotted = _dotted(node)
        if dotted is None:
            raise ExpressionError(_("attribute access is only allowed on plan fields (homes.x)"))
        if dotted.startswith("_") or "._" in dotted or dotted not in self.names:
            suggestion = did_you_mean(dotted, sorted(self.names))
            raise ExpressionError(_("unknown name {name}").format(name=repr(dotted)) + suggestion)
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
                raise ExpressionError(
                    _("comparison {name} is not allowed").format(name=type(op).__name__)
                )
            ops.append(fn)
        first = self.compile(node.left, depth)
        rest = [self.compile(c, depth) for c in node.comparators]
        return comparison(ops, first, rest)

    def _call(self, node: ast.Call, depth: int) -> Compiled:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            if isinstance(node.func, ast.Attribute):
                written = ast.unparse(node.func)[:60]
                raise ExpressionError(
                    _("method call {name}() is not allowed (only min, max, abs, round)").format(
                        name=written
                    )
                )
            shown = name or _describe(node.func)
            raise ExpressionError(
                _("function {name} is not allowed (only min, max, abs, round)").format(name=shown)
            )
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(_("{name}() takes plain arguments only").format(name=name))
        self._refuse_text(*node.args)
        args = [self.compile(a, depth) for a in node.args]
        if name in ("min", "max") and len(args) < 2:
            raise ExpressionError(_("{name}() needs at least two arguments").format(name=name))
        if name == "abs" and len(args) != 1:
            raise ExpressionError(_("abs() takes one argument"))
        if name == "round" and len(args) not in (1, 2):
            raise ExpressionError(_("round() takes one or two arguments"))
        return function_call(name, FUNCTIONS[name], args)


def _refuse_text(*operands: ast.expr) -> None:
    """Text written in an expression can be compared, not computed with."""
    for operand in operands:
        if isinstance(operand, ast.Constant) and isinstance(operand.value, str):
            raise ExpressionError(
                _(
                    "arithmetic on text ({value}) is not allowed; "
                    "text can only be compared with == or !="
                ).format(value=repr(operand.value[:20]))
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
        ast.Subscript: N_("indexing ([...])"),
        ast.ListComp: N_("a comprehension"),
        ast.GeneratorExp: N_("a comprehension"),
        ast.Dict: N_("a dict"),
        ast.List: N_("a list"),
        ast.Tuple: N_("a tuple"),
        ast.IfExp: "if/else",
        ast.NamedExpr: N_("assignment (:=)"),
        ast.JoinedStr: N_("an f-string"),
    }
    return _(names[type(node)]) if type(node) in names else type(node).__name__
