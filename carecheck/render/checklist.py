"""Readable views of a checklist (`carecheck show`)."""

from __future__ import annotations

import json
import textwrap

from carecheck.format.model import Checklist, NumberAnswer, Question
from carecheck.format.writer import dump_yaml


def checklist_as(checklist: Checklist, fmt: str) -> str:
    """The resolved checklist as text, YAML or JSON."""
    if fmt == "json":
        return json.dumps(_data(checklist), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt == "yaml":
        return dump_yaml(_data(checklist), width=100)
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


def refs_table(checklist: Checklist, points: list[dict[str, str]]) -> str:
    """The traceability table: each seed point (then any other ref) and the questions citing it."""
    citing: dict[str, list[str]] = {}
    for q in checklist.questions.values():
        for ref in q.refs:
            citing.setdefault(ref, []).append(q.id)
    out = [f"Traceability of {checklist.id} {checklist.version}: reference -> questions", ""]
    width = max((len(r) for r in [*citing, *(p["id"] for p in points)]), default=10)
    for point in points:
        qids = citing.pop(point["id"], [])
        out.append(f"{point['id']:<{width}}  {', '.join(qids) if qids else 'NOT COVERED'}")
    if citing:
        out += ["", "Other references (frameworks):"]
        out += [f"{ref:<{width}}  {', '.join(qids)}" for ref, qids in sorted(citing.items())]
    covered = sum(1 for p in points if any(p["id"] in q.refs for q in checklist.questions.values()))
    out += ["", f"{covered} of {len(points)} seed points covered"]
    return "\n".join(out) + "\n"
