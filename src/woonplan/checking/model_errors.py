"""Pydantic's validation errors as problems with a place and plain words.

``homes.social_rent: must be >= 0 (got -4)`` at the line and column of the value (or of the key,
for an unknown key or a bad year), with did-you-mean suggestions for unknown keys and values.
"""

from __future__ import annotations

import datetime
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from woonplan.i18n import _
from woonplan.numbers import integer
from woonplan.problems import Problem
from woonplan.reading.positions import PathPart
from woonplan.reading.source import Document
from woonplan.text import MAX_MESSAGE, clip, did_you_mean

M = TypeVar("M", bound=BaseModel)


def validate_model(
    model: type[M], doc: Document, context: Any = None
) -> tuple[M | None, list[Problem]]:
    """Validate a document's data against ``model``; every error becomes a placed problem."""
    if not isinstance(doc.data, dict):
        what = _("empty") if doc.data is None else _("a {kind}").format(kind=_kind(doc.data))
        return None, [
            doc.problem(
                (),
                _("must be a YAML mapping of keys to values (the file is {what})").format(
                    what=what
                ),
                "not-a-mapping",
            )
        ]
    try:
        return model.model_validate(doc.data, context=context), []
    except ValidationError as exc:
        return None, [translate(model, doc, error) for error in exc.errors(include_url=False)]


def translate(model: type[BaseModel], doc: Document, error: ErrorDetails) -> Problem:
    """One pydantic error as a problem at the value's line and column, in plain words."""
    loc = _dict_keys_as_text(tuple(p for p in error["loc"] if p != "[key]"))
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    got = " " + _("(got {value})").format(value=_show(value))
    is_key = bool(error["loc"]) and error["loc"][-1] == "[key]"
    if kind == "missing":
        return doc.problem(loc, _("required, but missing"), "missing-key")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = allowed_keys(model, loc[:-1])
        hint = did_you_mean(key, allowed)
        return at_key(
            doc,
            loc,
            _("unknown key {key}").format(key=_show(key)) + hint
            if hint
            else _("unknown key {key}; allowed: {allowed}").format(
                key=_show(key), allowed=", ".join(sorted(allowed))
            ),
            "unknown-key",
        )
    if is_key and kind in ("int_type", "int_parsing"):
        return at_key(doc, loc, _("must be a year written as a whole number") + got, "invalid-year")
    messages = {
        "greater_than_equal": _("must be >= {bound}").format(bound=_bound(ctx.get("ge"))) + got,
        "greater_than": _("must be > {bound}").format(bound=_bound(ctx.get("gt"))) + got,
        "less_than_equal": _("must be <= {bound}").format(bound=_bound(ctx.get("le"))) + got,
        "less_than": _("must be < {bound}").format(bound=_bound(ctx.get("lt"))) + got,
        "int_type": _("must be a whole number") + got,
        "int_parsing": _("must be a whole number") + got,
        "int_from_float": _("must be a whole number") + got,
        "float_type": _("must be a number") + got,
        "float_parsing": _("must be a number") + got,
        "bool_type": _("must be true or false") + got,
        "string_type": _("must be text") + got,
        "string_too_short": _("must not be empty"),
        "string_too_long": _("is too long (at most {count} characters)").format(
            count=ctx.get("max_length")
        ),
        "too_short": _("must have at least {count} item(s)").format(count=ctx.get("min_length")),
        "too_long": _("must have at most {limit} items (got {count})").format(
            limit=ctx.get("max_length"), count=integer(ctx.get("actual_length", 0))
        ),
        "list_type": _("must be a list") + got,
        "dict_type": _("must be a mapping") + got,
        "model_type": _("must be a mapping") + got,
        "model_attributes_type": _("must be a mapping") + got,
        "date_type": _("must be a date such as 2025-03-12") + got,
        "string_pattern_mismatch": _("must match {pattern}").format(pattern=ctx.get("pattern"))
        + got,
    }
    if kind == "literal_error":
        options = _literal_options(model, loc)
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        listing = ", ".join(options) if options else ctx.get("expected", "")
        return doc.problem(
            loc, _("must be one of {options}").format(options=listing) + got + hint, "unknown-value"
        )
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id" and len(loc) == 1:
        return doc.problem(
            loc, _("must be a lowercase slug of a-z, 0-9 and '-'") + got, "invalid-id"
        )
    if kind in messages:
        code = _CODES.get(kind, "wrong-type")
        if is_key:
            return at_key(doc, loc, messages[kind], code)
        return doc.problem(loc, messages[kind], code)
    return doc.problem(loc, f"{clip(error['msg'])}{got}", "invalid-value")


_CODES = {
    "greater_than_equal": "out-of-range",
    "greater_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "less_than": "out-of-range",
    "string_too_short": "wrong-length",
    "string_too_long": "wrong-length",
    "too_short": "wrong-length",
    "too_long": "wrong-length",
    "string_pattern_mismatch": "invalid-value",
}
"""Problem codes of pydantic's error kinds; every other kind in ``translate`` is ``wrong-type``."""


def at_key(doc: Document, loc: tuple[PathPart, ...], message: str, code: str) -> Problem:
    """A problem about a key itself (unknown key, bad year): at the key, not at its value.

    The value of a key can start lines later (a block list or mapping), so its position
    would send the reader to the wrong line.
    """
    problem = doc.problem(loc, message, code)
    position = doc.key_position(loc)  # indexed: linear even with thousands of unknown keys
    if position is None:
        return problem
    return replace(problem, line=position[0], column=position[1])


_MAPPINGS_WITH_NUMBER_KEYS = frozenset({"delivery"})
"""Fields whose keys are numbers (years): ``delivery.2027``, not ``delivery[2027]`` (a list);
criteria.yaml's ``region.price_limits`` is the other one."""


def _dict_keys_as_text(loc: tuple[PathPart, ...]) -> tuple[PathPart, ...]:
    if len(loc) >= 2 and loc[0] in _MAPPINGS_WITH_NUMBER_KEYS and isinstance(loc[1], int):
        return (loc[0], str(loc[1]), *loc[2:])
    if len(loc) >= 3 and loc[:2] == ("region", "price_limits") and isinstance(loc[2], int):
        return (*loc[:2], str(loc[2]), *loc[3:])
    return loc


def _bound(value: object) -> str:
    """A limit as written in the rules: ``0``, not ``0.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def allowed_keys(model: type[BaseModel], path: Iterable[PathPart]) -> list[str]:
    """The keys the mapping at ``path`` may have (for did-you-mean suggestions)."""
    target: Any = model
    for part in path:
        target = _inner(target)
        if isinstance(part, str) and _is_model(target) and part in target.model_fields:
            target = target.model_fields[part].annotation
        elif not isinstance(part, str):
            continue
        else:
            return []
    target = _inner(target)
    return list(target.model_fields) if _is_model(target) else []


def _literal_options(model: type[BaseModel], loc: tuple[PathPart, ...]) -> list[str]:
    target: Any = model
    for part in loc:
        target = _inner(target)
        if isinstance(part, str) and _is_model(target) and part in target.model_fields:
            target = target.model_fields[part].annotation
    for candidate in _flatten(target):
        if typing.get_origin(candidate) is Literal:
            return [str(a) for a in typing.get_args(candidate)]
    return []


def _inner(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``X | None``, ``dict[K, X]``, ``Annotated[X, ...]``."""
    for candidate in _flatten(annotation):
        if _is_model(candidate):
            return candidate
    return annotation


def _flatten(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _flatten(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType, list, dict):
        for arg in typing.get_args(annotation):
            yield from _flatten(arg)
    else:
        yield annotation


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return _("list")
    if isinstance(value, bool):
        return _("true/false value")
    if isinstance(value, int | float):
        return _("number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, datetime.date):
        return _("date")
    return type(value).__name__


def _show(value: object) -> str:
    """A value as a message shows it: ``'text'`` quoted, at most 60 characters on one line."""
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        # cut before repr: the value may be a 1 GiB cell
        text = repr(value[:MAX_MESSAGE]) + ("..." if len(value) > MAX_MESSAGE else "")
    else:
        text = str(value).lower() if isinstance(value, bool) else str(value)
    return clip(text, 60)
