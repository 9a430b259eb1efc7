"""The domain rules of an answer, in one place: whether a value fits its question, how a typed
number is read, which questions are asked given the answers so far (`when`), and which audit an
answer file belongs to. Lint, scoring, the interview and the survey import all use these."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container, Mapping
from datetime import datetime
from typing import Literal

from carecheck.format.model import NA, UNKNOWN, AnswerFile, Checklist, NumberAnswer, Question

NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def answer_problem(checklist: Checklist, question: Question, value: str) -> str | None:
    """Why `value` is not a valid answer to `question`, or None when it is."""
    if value == NA:
        return None if question.allow_na else f"'{question.id}' cannot be answered not applicable"
    if value == UNKNOWN:
        return None
    options = checklist.options(question)
    if options is not None:
        if any(o.value == value for o in options):
            return None
        return f"'{value}' is not an answer to '{question.id}'; use one of: " + ", ".join(o.value for o in options)
    spec = question.answers
    if isinstance(spec, NumberAnswer):
        try:
            number = float(value)
        except ValueError:
            return f"'{question.id}' takes a number, not '{value}'"
        fault = number_fault(spec, number)
        if fault == "finite":
            return f"'{question.id}' takes a finite number"
        if fault == "min":
            return f"{value} is below the smallest allowed value {spec.min:g}"
        if fault == "max":
            return f"{value} is above the largest allowed value {spec.max:g}"
    return None


def number_fault(spec: NumberAnswer, number: float) -> Literal["finite", "min", "max"] | None:
    """The rule a number breaks: it is not finite, or below `min`, or above `max`; None when it fits.

    The one bounds check: answer_problem words it for files, the interview for its prompt.
    """
    if not math.isfinite(number):
        return "finite"
    if spec.min is not None and number < spec.min:
        return "min"
    if spec.max is not None and number > spec.max:
        return "max"
    return None


def number_value(cell: str, spec: NumberAnswer, decimal_comma: bool = False) -> str | None:
    """A number as stored (`6.5`), from `6.5`, `+6.5`, `6,5` (semicolon files), `85%` or `6 hours`.

    The one reading of a typed number: the import's cells and the interview's number prompt.
    """
    text = cell.strip()
    unit = spec.unit.strip()
    for suffix in filter(None, (unit, "%" if unit == "%" else "")):
        if text.casefold().endswith(suffix.casefold()):
            text = text[: -len(suffix)].strip()
            break
    if decimal_comma and DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if not NUMBER.match(text):
        return None
    return text.lstrip("+")


def asked_roles(checklist: Checklist, question: Question) -> tuple[str, ...] | None:
    """The roles a question is asked of: its own `roles`, else its section's; None for everyone."""
    if question.roles is not None:
        return question.roles
    section = checklist.section_of.get(question.id)
    return section.roles if section is not None else None


def is_asked(
    checklist: Checklist,
    question: Question,
    value: Callable[[str], str | None],
    role: str | None = None,
    *,
    scope: Container[str] | None = None,
) -> bool:
    """Whether `question` is asked of a respondent of `role`, given the answers so far (`value(id)`).

    The one decision of who is asked what, for scoring, the interview, lint and the import. Asked
    when it is in `scope` (an answer file's `questions:`, the questions a short survey asked; None:
    all of them), `role` is among the question's roles (its own, else its section's; none:
    everyone; `role` None: any role) and its `when` holds: the question its `when` names is itself
    asked and holds one of the listed values. A `when` whose question is unanswered is not asked
    (yet): the interview asks it once that question is answered so, and an answer given to it
    anyway is kept, not scored.
    """
    if scope is not None and question.id not in scope:
        return False
    if question.when is None:  # the common case, once per question and respondent: no loop
        roles = asked_roles(checklist, question) if role is not None else None
        return roles is None or role in roles
    seen: set[str] = set()
    q: Question | None = question
    while q is not None and q.id not in seen:
        seen.add(q.id)
        roles = asked_roles(checklist, q)
        if role is not None and roles is not None and role not in roles:
            return False
        if q.when is None:
            return True
        if value(q.when.question) not in q.when.values:
            return False
        q = checklist.questions.get(q.when.question)
    return True


def unanswered(
    checklist: Checklist, values: Mapping[str, str], role: str | None, scope: Container[str] | None
) -> tuple[str, ...]:
    """The questions asked (is_asked, given `values`) that `values` holds no answer to, in checklist order:
    what an imported row or a returned file leaves open."""
    return tuple(
        q.id
        for q in checklist.questions.values()
        if q.id not in values and is_asked(checklist, q, values.get, role, scope=scope)
    )


def asked_scope(answers: AnswerFile) -> frozenset[str] | None:
    """The questions an answer file says were asked (`questions:`), or None when every question was."""
    return None if answers.questions is None else frozenset(answers.questions)


def quarter_label(when: datetime) -> str:
    """The audit period label of a date: its year and quarter, e.g. `2026-Q3`."""
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def audit_label(answers: AnswerFile) -> str | None:
    """The audit an answer file belongs to: its `audit:`, else the quarter of its `started` date (the
    interview's default); None without either (such files make one audit, "(no audit label)")."""
    started = answers.started
    return answers.audit or (quarter_label(started) if started is not None else None)


def recommendation_for(question: Question, value: str | None) -> str | None:
    """The first step the action plan gives for `question` answered `value` (None: no particular answer)."""
    rec = question.recommendation
    return rec if rec is None or isinstance(rec, str) else rec.for_answer(value)


def needs_evidence(checklist: Checklist, question: Question, value: str | None) -> bool:
    """Whether an answer claims enough to need a note saying what shows it (`evidence: required`).

    It does when it is one of the question's two best-scored options; number and text questions
    never ask for it.
    """
    options = checklist.options(question)
    if question.evidence != "required" or options is None or value is None:
        return False
    best = sorted(options, key=lambda o: -o.score)[:2]
    return value in {o.value for o in best}
