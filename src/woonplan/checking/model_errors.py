"""Pydantic's validation errors as problems with a place and plain words.

``homes.social_rent: must be >= 0 (got -4)`` at the line and column of the value (or of the key,
for an unknown key or a bad year), with did-you-mean suggestions for unknown keys and values.
"""

from __future__ import annotations

import datetime
import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from woonplan.checking.number_hints import (
    THOUSANDS,
    separated_number,
    thousands_text_hint,
    whole_number_hint,
)
from woonplan.i18n import _, ngettext
from woonplan.numbers import integer
from woonplan.problems import Problem
from woonplan.reading.positions import PathPart, dotted
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
        return None, [
            translate(model, doc, error)
            for error in exc.errors(include_url=False)
            if not _read_as_base_60(doc, error)
        ]


def _read_as_base_60(doc: Document, error: ErrorDetails) -> bool:
    """A mapping that YAML read as one base-60 number (``2027:40``, no blank after the colon):
    the number-form problem at the same place already says to add the blank."""
    if error["type"] not in _MAPPING_KINDS or not isinstance(error.get("input"), int):
        return False
    written = doc.text_at(_dict_keys_as_text(tuple(error["loc"])))
    return written is not None and ":" in written


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
        if len(loc) > 1 and key in model.model_fields:  # `delivery:` indented under `homes:`
            message = _(
                "unknown key {key!r} in {parent}: indented too far? {key}: is a top-level key "
                "and starts at the left margin"
            ).format(key=key, parent=dotted(loc[:-1]))
            return at_key(doc, loc, message, "unknown-key")
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
    separated = separated_number(value, kind) if not is_key else None
    if separated:  # "1,650" in any number field, "1.150,50" in a price
        message = _("{text!r} is text, not a number; write {digits}, without a thousands separator")
        return doc.problem(loc, message.format(text=value, digits=separated), "wrong-type")
    if kind == "int_type" and not is_key and isinstance(value, float | str):
        whole = whole_number_hint(doc.text_at(loc), value, str(loc[-1]) if loc else "")
        if whole:
            return doc.problem(loc, whole, "wrong-type")
    if kind == "float_type" and isinstance(value, str) and THOUSANDS.fullmatch(value.strip()):
        return doc.problem(loc, thousands_text_hint(value), "wrong-type")
    if is_key and kind in ("int_type", "int_parsing"):
        if isinstance(value, str) and value.strip().isdigit():  # "2027": 40
            written = _value_at(doc.data, loc)
            after = f" {_show(written)}" if isinstance(written, int) else ""
            message = _("a year must not be quoted: remove the quotes: write {key}:{after}").format(
                key=value.strip(), after=after
            )
            return at_key(doc, loc, message, "invalid-year")
        return at_key(doc, loc, _("must be a year written as a whole number") + got, "invalid-year")
    if kind == "model_type" and len(loc) == 2 and loc[0] == "exemptions" and isinstance(value, str):
        message = _(
            "must be a mapping with criterion, reason and decided (got {value!r}); write "
            "'- criterion: {value}' and below it reason: and decided:"
        ).format(value=value)
        return doc.problem(loc, message, "wrong-type")
    if kind == "invalid_key" and isinstance(loc[-1] if loc else None, int):
        # a key, not a list index: `homes.2027`, not `homes[2027]`
        return at_key(doc, (*loc[:-1], str(loc[-1])), _year_out_of_place(loc), "unknown-key")
    if kind in _MAPPING_KINDS and not is_key and isinstance(value, str):
        fixed = _colon_without_blank(value)
        if fixed:  # `homes:` with one line `social_rent:60`: YAML reads the text, no mapping
            hint = _("put a space after the colon: {fixed}").format(fixed=fixed)
            return doc.problem(loc, f"{_('must be a mapping')}{got}; {hint}", "wrong-type")
    minimum = int(ctx.get("min_length") or 0)
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
        "too_short": ngettext(
            "must have at least {count} item", "must have at least {count} items", minimum
        ).format(count=minimum),
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
        dutch = (
            DUTCH_TERMS.get(" ".join(re.split(r"[\s_-]+", value.strip().lower())))
            if isinstance(value, str)
            else None
        )
        if dutch in options:
            hint = " " + _("(did you mean {option}?)").format(option=repr(dutch))
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


_MAPPING_KINDS = ("dict_type", "model_type", "model_attributes_type")
_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*|[0-9]{4}):([^\s:/]\S*)")
"""``social_rent:60``: a key and its value with no blank after the colon."""


def _colon_without_blank(text: str) -> str | None:
    """``'social_rent: 60'`` for ``social_rent:60`` (each pair, when lines were run together);
    None when the text is not such pairs."""
    pairs = [_KEY_VALUE.fullmatch(word) for word in text.split()]
    if not pairs or not all(pairs):
        return None
    return ", ".join(f"'{m[1]}: {m[2]}'" for m in pairs if m)


DUTCH_TERMS = {
    "initiatief": "initiative",
    "haalbaarheid": "feasibility",
    "voorbereiding": "preparation",
    "planvoorbereiding": "preparation",
    "vastgesteld": "adopted",
    "in aanbouw": "under_construction",
    "aanbouw": "under_construction",
    "opgeleverd": "completed",
    "trein": "train",
    "netcongestie": "grid_congestion",
    "stikstof": "nitrogen",
    "bezwaren": "objections",
    "kosten": "costs",
    "infrastructuur": "infrastructure",
    "capaciteit": "capacity",
    "overig": "other",
}
"""Dutch policy words people write for a value, and the English value the file format uses."""


def _year_out_of_place(loc: tuple[PathPart, ...]) -> str:
    """A year used as a key outside ``delivery``: a line indented too little or too far."""
    year = loc[-1]
    if len(loc) == 1:
        return _(
            "{year} is a key at the top level: a delivery year indented too little? Indent it "
            "like the other years under delivery:"
        ).format(year=year)
    parent = dotted(loc[:-1])
    return _(
        "{year} is a key inside {parent}: years belong under delivery:, which starts at the "
        "left margin (is delivery: indented under {parent}?)"
    ).format(year=year, parent=parent)


def _value_at(data: Any, loc: tuple[PathPart, ...]) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


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
