"""Files out as YAML: one dumper that every YAML reader (1.1 or 1.2) reads as the same values."""

from __future__ import annotations

import atexit
import functools
import math
import re
from datetime import datetime, timedelta
from typing import Any, ClassVar, cast

import yaml

from carecheck.format.model import Amendment, Answer, AnswerFile

_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Quotes every string that some YAML reader would take for something else, so all read text.

    YAML 1.1 readers (PyYAML's `safe_load`, Ruby, many add-ins) read `yes`, `on`, `1_000`, `1:20`,
    `2026-01-02` as a bool, a number or a date; YAML 1.2 readers read `1e5`, `0o7`, `08` as numbers.
    The resolvers below are the union of both (and of their spellings in any case), written out here
    rather than taken from PyYAML's defaults, so what is quoted does not depend on the installed PyYAML.
    Values that are not strings (numbers, `true`, `null`) resolve to their own tag and stay plain.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


_PLAIN_IS_NOT_TEXT = (  # in this order: an int's text (`6`) must resolve to int before float claims it
    ("bool", r"y|n|yes|no|on|off|true|false"),
    ("null", r"~|null|"),
    ("int", r"[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*|0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+)"),
    (
        "float",
        r"[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:e[-+]?[0-9]+)?|[-+]?\.(?:inf|nan)",
    ),
    (
        "timestamp",
        r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:t|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?",
    ),
    ("merge", r"<<"),
    ("value", r"="),
)
for _tag, _pattern in _PLAIN_IS_NOT_TEXT:
    _Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$", re.IGNORECASE), None)


class _Flow(dict[str, Any]):
    """A mapping written on one line: one answer per line reads and diffs well."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True))


class _FlowList(list[Any]):
    """A list written on one line (the questions asked: `[a, b, c]`)."""


_Dumper.add_representer(_FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True))


def _represent_str(dumper: yaml.BaseDumper, data: str) -> yaml.Node:
    # a note of several lines stays on its answer's line, with visible \n
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)


def _timestamp(when: datetime | None) -> str | None:
    return None if when is None else _stamp(when, when.utcoffset())


@functools.lru_cache(maxsize=4096)  # the answers of a file, and of an import's files, share their times
def _stamp(when: datetime, offset: timedelta | None) -> str:
    # keyed with the offset too: 12:00+00:00 and 13:00+01:00 are equal datetimes, written differently
    if offset == timedelta(0):
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.isoformat()


# The cached datetimes hold pydantic_core's tzinfo: freed in the interpreter's last collection, after
# pydantic_core's module is gone, they crash it (a segfault at exit; pydantic/pydantic#12867). atexit
# runs before that collection. No other module-level cache of carecheck holds a datetime.
# (Keying by the naive time instead cost a `replace` per answer: 40% of writing an answer file.)
atexit.register(_stamp.cache_clear)


@functools.lru_cache(maxsize=4096)  # answers repeat their values (yes, no, 2) across questions and files
def _scalar(value: str) -> str | int | float:
    # a number written as a number (`6.5`, not `'6.5'`) when it reads back as the same text
    try:
        number: int | float = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return value
    return number if str(number) == value and math.isfinite(number) else value


def _amendment(amendment: Amendment) -> _Flow:
    entry = _Flow()
    if amendment.value is not None:
        entry["value"] = _scalar(amendment.value)
    if amendment.note is not None:
        entry["note"] = amendment.note
    if amendment.at is not None:
        entry["at"] = _timestamp(amendment.at)
    return entry


def answers_yaml(answers: AnswerFile) -> str:
    """An answer file as YAML, keys in the documented order, one line per answer: dump_yaml's text of
    answers_data, written a line at a time from lines written before (a file's answers repeat across
    saves and respondents: the autosave rewrites the whole file after each answer, an import writes
    thousands of files)."""
    lines = [_answer_line(qid, answer) for qid, answer in answers.answers.items()]
    if not lines or None in lines:  # no answers (`answers: {}`), or one not on a line of its own
        return dump_yaml(answers_data(answers))
    header = [_line(key, value) for key, value in _header(answers).items()]
    return "".join([*header, "answers:\n", *cast("list[str]", lines)])


_LINES: dict[tuple[Any, ...], str] = {}
"""Lines written before, by what they write (`_line`, `_answer_line`), up to `_KEEP` of them."""
_KEEP = 50_000


def _keep(key: tuple[Any, ...], line: str) -> None:
    if len(_LINES) >= _KEEP:  # full (most are header lines of one file each): start again, still caching
        _LINES.clear()
    _LINES[key] = line


def _answer_line(qid: str, answer: Answer) -> str | None:
    """`  qid: {value: ..., ...}` as dump_yaml writes it inside `answers:`, None when it is not one line
    (an amended or unconfirmed answer, an odd key written as `? ...`)."""
    if answer.amended or answer.unconfirmed is not None:
        return None
    # the text of `at`, not the datetime: 12:00+00:00 and 13:00+01:00 are equal, written differently
    key = ("answers", qid, answer.value, answer.skipped, answer.note, _timestamp(answer.at), answer.asked)
    line = _LINES.get(key)
    if line is None:
        text = dump_yaml({qid: _entry(answer)})
        if text.count("\n") != 1:
            return None
        line = "  " + text
        _keep(key, line)
    return line


def _line(key: str, value: Any) -> str:
    """`key: value` as dump_yaml writes it at the top of a file (a value that is one line)."""
    # by type too: 1 and True are equal, written differently
    if isinstance(value, dict):
        cache_key: tuple[Any, ...] = (key, *((k, type(v), v) for k, v in value.items()))
    elif isinstance(value, list):
        cache_key = (key, list, *value)
    else:
        cache_key = (key, type(value), value)
    line = _LINES.get(cache_key)
    if line is None:
        line = dump_yaml({key: value})
        _keep(cache_key, line)
    return line


def answers_data(answers: AnswerFile) -> dict[str, Any]:
    """An answer file as the data answers_yaml writes (dump_yaml of it is the same text)."""
    return {**_header(answers), "answers": {qid: _entry(answer) for qid, answer in answers.answers.items()}}


def _header(answers: AnswerFile) -> dict[str, Any]:
    """What an answer file says before its answers, in the documented order."""
    ref = answers.checklist
    return {
        "carecheck-answers": 1,
        "checklist": _Flow({"id": ref.id, "version": ref.version, "sha256": ref.sha256}),
        "organisation": answers.organisation,
        "audit": answers.audit,
        "respondent": _Flow({"name": answers.respondent.name, "role": answers.respondent.role}),
        **({"questions": _FlowList(answers.questions)} if answers.questions is not None else {}),
        "started": _timestamp(answers.started),
        "completed": _timestamp(answers.completed),
    }


def _entry(answer: Answer) -> _Flow:
    entry = _Flow()
    if answer.value is not None:
        entry["value"] = _scalar(answer.value)
    if answer.skipped:
        entry["skipped"] = True
    if answer.note is not None:
        entry["note"] = answer.note
    if answer.at is not None:
        entry["at"] = _timestamp(answer.at)
    if answer.asked is not None:
        entry["asked"] = answer.asked
    if answer.amended:
        entry["amended"] = [_amendment(a) for a in answer.amended]
    if answer.unconfirmed is not None:
        typed = answer.unconfirmed
        entry["unconfirmed"] = _Flow({k: v for k, v in (("value", typed.value), ("note", typed.note)) if v is not None})
    return entry


def dump_yaml(data: Any, width: int = 1_000_000) -> str:
    """Data as YAML that every YAML reader (1.1 or 1.2) reads as the same values: what every writer uses."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
    return text
