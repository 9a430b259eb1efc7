"""Documents to models: every schema error becomes a Finding at the offending node, in words a
person can act on (unknown keys with a did-you-mean, ids, colours, versions)."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from carecheck.errors import Finding, FindingsError
from carecheck.format.model import KEBAB, KINDS
from carecheck.format.reader import Document

M = TypeVar("M", bound=BaseModel)


def document_kind(doc: Document) -> str | None:
    """The kind of carecheck file a document is, from its first key; None if it is not one."""
    first = next(iter(doc.data), None)
    return first if isinstance(first, str) and first.startswith("carecheck") else None


def validate_model(doc: Document, model: type[M]) -> M:
    """Validate a document against a model; every error is a Finding at the offending node."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
        taken = [err for err in errors if not _branch_not_taken(err, errors, doc.data)]
        raise FindingsError([_finding(doc, model, err) for err in taken]) from None


def _branch_not_taken(err: Any, errors: list[Any], data: Any) -> bool:
    """An error of a union's text branch for a mapping or list, when another branch of the same union says
    more: `answers: {type: number, good: x}` is plainly not an answer set's name, so "should be a valid
    string" there would only mislead. A branch is named by pydantic's tag (`str`, `function-before[...]`),
    the last part of the error's path, where a field's error ends with the field's key in the file."""
    if err["type"] != "string_type" or not isinstance(err["input"], (dict, list)):
        return False
    parent = tuple(err["loc"][:-1])
    if _node(data, parent) != err["input"]:
        return False  # the last part is a key of the file (`title: [a, b]`), not a branch of a union
    return any(other is not err and tuple(other["loc"][: len(parent)]) == parent for other in errors)


def _node(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at a path of keys and indexes in the document's data; None where there is none."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _finding(doc: Document, model: type[BaseModel], err: Any) -> Finding:
    loc = tuple(err["loc"])
    kind = err["type"]
    field_name = next((p for p in reversed(loc) if isinstance(p, str) and p in _all_fields()), None)
    if kind == "extra_forbidden":
        key = loc[-1]
        message = f"unknown key '{key}'"
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        elif allowed:
            message += "; allowed: " + ", ".join(allowed)
        return Finding(str(doc.path), doc.locate(loc, key=True), "CC008", message)
    if kind == "missing":
        return Finding(str(doc.path), doc.locate(loc), "CC008", f"missing required key '{loc[-1]}'")
    where = f"{field_name}: " if field_name else ""
    message = err["msg"]
    if kind == "literal_error" and field_name in KINDS:
        message = f"unsupported format version {err['input']!r}; this carecheck reads version 1"
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == KEBAB:
        message = f"{err['input']!r} is not a valid id: use lower-case letters, digits and single hyphens"
    elif kind == "string_pattern_mismatch" and field_name == "accent":
        message = f"{err['input']!r} is not a colour: use #rrggbb (quoted)"
    elif kind == "string_type" and isinstance(err["input"], (dict, list)):
        message = "expected text, not a " + ("list" if isinstance(err["input"], list) else "mapping")
    elif kind in ("tuple_type", "list_type"):
        message = "expected a list (- item lines, or [a, b])"
    elif kind == "model_attributes_type":  # a tagged union given no mapping: the only one is a question's answers
        message = "expected the name of an answer set, or a mapping with type: number or type: text"
    elif kind == "model_type" and isinstance(err["input"], list) and _is_answer(model, loc):
        where = f"'{loc[1]}': "  # a question's answer, named by the question
        message = "expected one answer (such as yes or 3) or a mapping with value: and note:, not a list"
    elif kind in ("model_type", "dict_type"):
        message = "expected a mapping of keys to values"
    elif kind == "value_error":
        message = str(message).removeprefix("Value error, ")
    elif kind == "union_tag_invalid":
        message = f"unknown answer type {err['input'].get('type') if isinstance(err['input'], dict) else ''!r}"
        message += "; use number or text, or name an answer set"
    return Finding(str(doc.path), doc.locate(loc), "CC008", where + message)


def _is_answer(model: type[BaseModel], loc: tuple[Any, ...]) -> bool:
    """Whether an error's path is one question's answer in an answer file (`answers: {id: ...}`)."""
    return model is KINDS["carecheck-answers"] and len(loc) == 2 and loc[0] == "answers"


@cache
def _all_fields() -> frozenset[str]:
    names: set[str] = set()
    for model in _models():
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return frozenset(names)


def _models() -> Iterator[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = list(KINDS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        yield model
        for info in model.model_fields.values():
            todo.extend(_model_types(info.annotation))


def _model_types(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _model_types(arg)]


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at `loc`, found by walking the model's fields."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if not isinstance(part, str):
            continue
        nxt = [
            m
            for c in current
            for name, info in c.model_fields.items()
            if part in (name, info.alias)
            for m in _model_types(info.annotation)
        ]
        # a part naming no field is a mapping key (a question id under `override:`) or a union tag
        current = nxt or current
    return sorted({info.alias or name for c in current for name, info in c.model_fields.items()})
