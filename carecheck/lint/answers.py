"""Answer-file rules (CC2xx): an answer file against its checklist."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from carecheck.format.answers import answer_problem, asked_roles, asked_scope, is_asked
from carecheck.format.model import AnswerFile, Checklist, Question
from carecheck.format.reader import Document
from carecheck.format.resolved import ResolvedChecklist
from carecheck.lint.registry import Hit, register, rule


@dataclass
class AnswersContext:
    doc: Document
    answers: AnswerFile
    resolved: ResolvedChecklist | None
    missing_reason: str = ""


@rule("CC201", "answers-checklist-not-found", "answers")
def answers_checklist_not_found(ctx: AnswersContext) -> Iterator[Hit]:
    """The checklist an answer file was given for cannot be found.

    An answer file names its checklist by id; it is looked for with `--checklist`, in the configured
    folders, ./checklists, the answer file's folder and the built-ins.

    Fails:

        checklist: {id: care-esentials}

    Passes:

        checklist: {id: care-essentials}
    """
    if ctx.resolved is None:
        yield Hit(ctx.missing_reason or f"checklist '{ctx.answers.checklist.id}' not found", ("checklist", "id"))


@rule("CC202", "unknown-question", "answers", severity="warning")
def unknown_question(ctx: AnswersContext) -> Iterator[Hit]:
    """An answer names a question the checklist does not have (removed since?); it is not scored.

    The answer is kept in the file but not scored: the question was removed or renamed since, or the
    id is mistyped.

    Fails:

        answers:
          service-standards-publish: {value: yes}

    Passes:

        answers:
          service-standards-published: {value: yes}
    """
    if ctx.resolved is None:
        return
    questions = ctx.resolved.checklist.questions
    for qid in ctx.answers.answers:
        if qid not in questions:
            close = difflib.get_close_matches(qid, list(questions), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else "; it is not scored"
            yield Hit(
                f"no question '{qid}' in checklist '{ctx.resolved.checklist.id}'{hint}", ("answers", qid), key=True
            )


@rule("CC203", "invalid-answer", "answers")
def invalid_answer(ctx: AnswersContext) -> Iterator[Hit]:
    """An answer's value is not one the question accepts.

    An answer must be one of its question's option values, a number for a number question, `na`
    (where allowed) or `unknown`.

    Fails:

        answers:
          service-standards-published: {value: maybe}

    Passes:

        answers:
          service-standards-published: {value: partial}
    """
    if ctx.resolved is None:
        return
    checklist = ctx.resolved.checklist
    for qid, answer in ctx.answers.answers.items():
        question = checklist.questions.get(qid)
        if question is None or answer.value is None:
            continue
        problem = answer_problem(checklist, question, answer.value)
        if problem:
            yield Hit(problem, ("answers", qid, "value"))


@rule("CC204", "checklist-changed", "answers", severity="warning")
def checklist_changed(ctx: AnswersContext) -> Iterator[Hit]:
    """The checklist changed since the answers were given (its recorded sha256 differs).

    An answer file records the sha256 of the checklist it answered. When the checklist changes,
    scores may shift; `report --rescore stored` scores against the copy kept when it was answered.

    Fails:

        checklist: {id: care-essentials, sha256: 9f2c0000}   # an earlier version

    Passes:

        checklist: {id: care-essentials}   # or the sha256 of the checklist as it is now
    """
    recorded = ctx.answers.checklist.sha256
    if ctx.resolved is not None and recorded and recorded != ctx.resolved.checklist.sha256:
        yield Hit(
            f"checklist '{ctx.resolved.checklist.id}' changed since these answers were given",
            ("checklist", "sha256"),
        )


@rule("CC205", "question-reworded", "answers", severity="warning")
def question_reworded(ctx: AnswersContext) -> Iterator[Hit]:
    """A question was reworded since it was answered; the answer may no longer fit.

    Each answer keeps a short hash of the question text it answered (`asked`): a different hash means
    the question now says something else, and the answer may need a second look.

    Fails:

        answers:
          service-standards-published: {value: yes, asked: 0a1b2c3d}   # an earlier wording

    Passes:

        answers:
          service-standards-published: {value: yes}   # answered again
    """
    if ctx.resolved is None:
        return
    for qid, answer in ctx.answers.answers.items():
        question = ctx.resolved.checklist.questions.get(qid)
        if question is not None and answer.asked and answer.asked != question.text_hash:
            yield Hit(f"question '{qid}' was reworded since it was answered", ("answers", qid))


@rule("CC207", "answered-not-asked", "answers", severity="warning")
def answered_not_asked(ctx: AnswersContext) -> Iterator[Hit]:
    """An answer is given to a question that is not asked; the answer is kept, not scored.

    A question with `when` is asked only while the question it names holds one of the listed values
    (an unanswered one holds none); a question with `roles` (its own or its section's) only of a
    respondent of one of those roles; a file with `questions:` (a short survey) asks only those. An
    answer given anyway stays in the file, in case the other answer (or the checklist) changes, but
    does not count.

    Fails:

        answers:
          has-phone-line: {value: 'no'}
          phone-answered-quickly: {value: 'yes'}   # asked only when has-phone-line is yes

    Passes:

        answers:
          has-phone-line: {value: 'yes'}
          phone-answered-quickly: {value: 'yes'}
    """
    if ctx.resolved is None:
        return
    checklist = ctx.resolved.checklist
    role = ctx.answers.respondent.role
    values = {qid: a.value for qid, a in ctx.answers.answers.items()}
    scope = asked_scope(ctx.answers)
    for qid, answer in ctx.answers.answers.items():
        question = checklist.questions.get(qid)
        if question is None or answer.value is None or answer_problem(checklist, question, answer.value):
            continue
        if scope is not None and qid not in scope:
            yield Hit(
                f"'{qid}' is answered but not among the questions asked (`questions:`): kept, not scored",
                ("answers", qid),
            )
            continue
        if not is_asked(checklist, question, values.get, role):
            because = _why_not_asked(checklist, question, values, role)
            yield Hit(f"'{qid}' is answered but not asked ({because}): kept, not scored", ("answers", qid))


@rule("CC209", "unconfirmed-typing", "answers", severity="warning")
def unconfirmed_typing(ctx: AnswersContext) -> Iterator[Hit]:
    """An entry holds what was being typed when the audit stopped, never confirmed; it is not scored.

    Ctrl-C, SIGTERM or SIGHUP during `carecheck audit` keeps a half-typed note, number or text answer
    under `unconfirmed:` rather than lose it. `carecheck audit --resume FILE` offers it back first:
    Enter confirms it (it becomes the `value` or `note`), emptying the line drops it.

    Fails:

        answers:
          email-reply-hours: {unconfirmed: {value: '4'}}   # typed, Enter never pressed

    Passes:

        answers:
          email-reply-hours: {value: 48}
    """
    for qid, answer in ctx.answers.answers.items():
        typed = answer.unconfirmed
        if typed is not None:
            parts = (("answer", typed.value), ("note", typed.note))
            what = " and ".join(f"{part} {text!r}" for part, text in parts if text)
            yield Hit(
                f"'{qid}' holds an unconfirmed {what or 'entry'} typed when the audit stopped: not scored; "
                "`carecheck audit --resume` offers it back",
                ("answers", qid, "unconfirmed"),
            )


def _why_not_asked(checklist: Checklist, question: Question, values: dict[str, str | None], role: str) -> str:
    """Why a question is not asked: the first role or `when` on its chain that rules it out."""
    q: Question | None = question
    seen: set[str] = set()
    while q is not None and q.id not in seen:
        seen.add(q.id)
        roles = asked_roles(checklist, q)
        if roles is not None and role not in roles:
            where = "" if q is question else f" through '{q.id}'"
            return f"{role} is not among its roles: {', '.join(roles)}{where}"
        if q.when is None:
            break
        held, controller = values.get(q.when.question), q.when.question
        if held not in q.when.values:
            return f"'{controller}' is unanswered" if held is None else f"'{controller}' is {held!r}"
        q = checklist.questions.get(controller)
    return "not asked"


@rule("CC208", "unknown-question-asked", "answers", severity="warning")
def unknown_question_asked(ctx: AnswersContext) -> Iterator[Hit]:
    """`questions:` (the questions a short survey asked) names a question the checklist does not have.

    The questions listed are the ones the respondent was asked; the others are not asked (no score,
    never "still to answer"). An id the checklist lacks was removed or renamed since, or mistyped.

    Fails:

        questions: [service-standards-publish]

    Passes:

        questions: [service-standards-published]
    """
    if ctx.resolved is None or ctx.answers.questions is None:
        return
    questions = ctx.resolved.checklist.questions
    for index, qid in enumerate(ctx.answers.questions):
        if qid not in questions:
            close = difflib.get_close_matches(qid, list(questions), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield Hit(f"no question '{qid}' in checklist '{ctx.resolved.checklist.id}'{hint}", ("questions", index))


register(
    "CC206",
    "respondent-twice",
    "error",
    "file",
    "One person has two answer files in the same audit; a report counts each person once.",
    details="""A report scores each respondent once per audit, so two answer files with the same respondent
    (name and role), organisation, checklist and audit are refused: keep one, or give the later one
    another `audit` label.

    Fails:

        # audits/acme-ltd/2026-Q3/care-essentials--jo-smith.yaml and ...--jo-smith-2.yaml both hold
        respondent: {name: Jo Smith, role: front-line}
        audit: 2026-Q3

    Passes:

        # the second file is a later audit
        respondent: {name: Jo Smith, role: front-line}
        audit: 2026-Q4
    """,
)
