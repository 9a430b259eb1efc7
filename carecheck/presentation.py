"""Readable views of a checklist (`carecheck show`)."""

from __future__ import annotations

import json
import textwrap

import yaml

from carecheck.model import Checklist, NumberAnswer, Question


def checklist_as(checklist: Checklist, fmt: str) -> str:
    """The resolved checklist as text, YAML or JSON."""
    if fmt == "json":
        return json.dumps(_data(checklist), indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(_data(checklist), sort_keys=False, allow_unicode=True, width=100)
    return _text(checklist)


def _data(checklist: Checklist) -> dict[str, object]:
    return checklist.model_dump(
        mode="json", by_alias=True, exclude_none=True, exclude={"extends", "exclude", "override"}
    )


def answer_kind(checklist: Checklist, question: Question) -> str:
    """A short description of how a question is answered."""
    spec = question.answers
    if isinstance(spec, NumberAnswer):
        unit = f" {spec.unit}" if spec.unit else ""
        return f"number{unit} (good {spec.good:g}, poor {spec.poor:g})"
    if isinstance(spec, str):
        options = checklist.options(question) or ()
        return " / ".join(o.label for o in options) or spec
    return "text"


def _text(checklist: Checklist) -> str:
    out = [f"{checklist.title}  ({checklist.id} {checklist.version})"]
    if checklist.description:
        out += textwrap.wrap(checklist.description, 96)
    out.append(f"{len(checklist.questions)} questions in {len(checklist.sections)} sections")
    bands = ", ".join(f"{b.label} >= {b.min:g}" for b in checklist.bands or ())
    out.append(
        f"Ratings: {bands}"
        + (f"; capped at {checklist.critical_cap} by a failing critical question" if checklist.critical_cap else "")
    )
    for n, section in enumerate(checklist.sections, 1):
        target = f", target {section.target:g}" if section.target is not None else ""
        out += ["", f"{n}. {section.title}  [{section.id}, weight {section.weight:g}{target}]"]
        for q in section.questions:
            flags = " CRITICAL" if q.critical else ""
            out.append(f"   - {q.text}{flags}")
            detail = f"{q.id}; {answer_kind(checklist, q)}; weight {q.weight:g}; effort {q.effort}"
            if q.when:
                detail += f"; asked when {q.when.question} is {' or '.join(q.when.values)}"
            out.append(f"     ({detail})")
    return "\n".join(out) + "\n"
