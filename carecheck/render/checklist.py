"""Readable views of a checklist (`carecheck show`)."""

from __future__ import annotations

import json
import textwrap

from carecheck.format.answers import asked_roles
from carecheck.format.model import Checklist, NumberAnswer, Question
from carecheck.format.references import Reference, References
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
        + (
            f"; capped at {checklist.critical_cap} by a critical question below {checklist.critical_below:g}"
            if checklist.critical_cap
            else ""
        )
    )
    if checklist.checks:
        out.append(f"Checks ({len(checklist.checks)}): " + ", ".join(c.id for c in checklist.checks))
    for n, section in enumerate(checklist.sections, 1):
        target = f", target {section.target:g}" if section.target is not None else ""
        out += ["", f"{n}. {section.title}  [{section.id}, weight {section.weight:g}{target}]"]
        for q in section.questions:
            flags = " CRITICAL" if q.critical else ""
            out.append(f"   - {q.text}{flags}")
            detail = f"{q.id}; {answer_kind(checklist, q)}; weight {q.weight:g}; effort {q.effort}"
            if q.measures == "result":
                detail += "; a result"
            if q.when:
                detail += f"; asked when {q.when.question} is {' or '.join(q.when.values)}"
            roles = asked_roles(checklist, q)
            if roles is not None:
                detail += f"; asked of {', '.join(roles)}"
            if q.evidence:
                detail += "; evidence required"
            out.append(f"     ({detail})")
    return "\n".join(out) + "\n"


def refs_table(checklist: Checklist, references: References) -> str:
    """Coverage per framework: each seed point and framework item, the questions citing it, what is not covered."""
    citing: dict[str, list[str]] = {}
    for q in checklist.questions.values():
        for ref in q.refs:
            citing.setdefault(ref, []).append(q.id)
    out = [f"Coverage of {checklist.id} {checklist.version}: reference -> questions"]
    width = max((len(r) for r in [*citing, *references.known]), default=10)

    def rows(items: tuple[Reference, ...]) -> list[str]:
        return [f"  {i.id:<{width}}  {', '.join(citing.pop(i.id, [])) or 'NOT COVERED'}" for i in items]

    def tally(items: tuple[Reference, ...]) -> str:
        return f"{sum(1 for i in items if i.id in citing)} of {len(items)}"

    out += ["", f"Seed points: {tally(references.points)} covered", *rows(references.points)]
    for framework in references.frameworks:
        whole = citing.pop(framework.id, [])
        if not framework.items:
            if whole:
                out += ["", framework.title, f"  {framework.id:<{width}}  {', '.join(whole)}"]
            continue
        out += ["", f"{framework.title}: {tally(framework.items)} covered"]
        if whole:
            out.append(f"  {framework.id:<{width}}  {', '.join(whole)} (cites the framework as a whole)")
        for group in framework.groups:
            items = tuple(i for i in framework.items if i.group == group)
            out += [f" {group} ({tally(items)})", *rows(items)]
    if citing:
        out += ["", "Other references:"]
        out += [f"  {ref:<{width}}  {', '.join(qids)}" for ref, qids in sorted(citing.items())]
    return "\n".join(out) + "\n"
