"""Checklist rules (CC1xx): a checklist as written and as resolved."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass

from carecheck.format.model import (
    BUILTIN_ANSWER_SETS,
    NA,
    UNKNOWN,
    Checklist,
    NumberAnswer,
    Question,
    Recommendation,
    TextAnswer,
)
from carecheck.format.reader import Document
from carecheck.format.references import builtin_references
from carecheck.format.resolved import ResolvedChecklist
from carecheck.lint.registry import Hit, register, rule

MAX_WEIGHT = 1000


@dataclass
class ChecklistContext:
    """What a checklist rule sees: the file as written and the resolved checklist."""

    doc: Document
    resolved: ResolvedChecklist

    @property
    def raw(self) -> Checklist:
        return self.resolved.raw

    @property
    def checklist(self) -> Checklist:
        return self.resolved.checklist

    def declared_questions(self) -> Iterator[tuple[tuple[str | int, ...], Question]]:
        for i, section in enumerate(self.raw.sections):
            for j, question in enumerate(section.questions):
                yield ("sections", i, "questions", j), question

    def final(self, question: Question) -> Question:
        """The question as resolved (overrides applied)."""
        return self.checklist.questions.get(question.id, question)


# Problems of tailoring, found while resolving `extends` (raised by catalog/loading.py, documented here).
for _code, _name, _summary, _details in (
    (
        "CC115",
        "extends-not-found",
        "`extends` names a checklist that cannot be found.",
        """`extends` takes the id of a checklist (looked for in the configured folders, ./checklists, the
        file's folder and the built-ins) or a path relative to the file.

        Fails:

            extends: care-essentails

        Passes:

            extends: care-essentials
        """,
    ),
    (
        "CC116",
        "extends-cycle",
        "Checklists extend each other in a cycle.",
        """A checklist cannot extend itself, directly or through others: its questions would have no start.

        Fails:

            id: example
            extends: example   # its own id

        Passes:

            id: example
            extends: care-essentials
        """,
    ),
    (
        "CC117",
        "unknown-tailoring-id",
        "`exclude` or `override` names no section or question of the parent.",
        """`exclude` and `override` work on the parent's resolved checklist, so each id they name must be one
        of its sections or questions; an id it does not have is usually a typo or an id excluded further up.

        Fails:

            extends: care-essentials
            exclude: [customers-involvd]

        Passes:

            extends: care-essentials
            exclude: [customers-involved]
        """,
    ),
    (
        "CC118",
        "override-field",
        "An override changes a field that does not apply to that kind of item.",
        """`override` may change a section's title, weight and target, and a question's text, help, weight,
        critical, effort, target and recommendation.

        Fails:

            extends: care-essentials
            override:
              standards: {text: Our promises}

        Passes:

            extends: care-essentials
            override:
              standards: {title: Our promises}
        """,
    ),
):
    register(_code, _name, "error", "file", _summary, details=_details)


@rule("CC101", "duplicate-id", "checklist")
def duplicate_id(ctx: ChecklistContext) -> Iterator[Hit]:
    """An id is used twice: section and question ids must be unique across the resolved checklist.

    Ids name what an answer answers, what `when` tests and what tailoring changes, so one
    id must mean one thing. A section merged into the parent's section of the same id (tailoring) is
    the one allowed repeat.

    Fails:

        sections:
          - id: contact
            title: Contact
            questions:
              - {id: contact, text: Can customers reach you?, answers: yes-no, recommendation: Publish a number.}

    Passes:

        sections:
          - id: contact
            title: Contact
            questions:
              - {id: contact-known, text: Can customers reach you?, answers: yes-no, recommendation: Publish a number.}
    """
    parent = ctx.resolved.parent.checklist if ctx.resolved.parent else None
    parent_sections = {s.id for s in parent.sections} if parent else set()
    parent_ids = parent_sections | set(parent.questions) if parent else set()
    seen: dict[str, tuple[str | int, ...]] = {}

    def duplicate(item_id: str) -> str:
        """The message, saying where the first use is (here, or in the parent) so it can be found."""
        if item_id in seen:
            first = ctx.doc.locate((*seen[item_id], "id"))
            return f"duplicate id '{item_id}' (first at line {first.line}, column {first.col})"
        origin = ctx.resolved.parent.origins.get(item_id) if ctx.resolved.parent else None
        if origin is None or parent is None:
            return f"duplicate id '{item_id}' (already in the parent checklist)"
        first = origin.doc.locate((*origin.loc, "id"))
        return f"duplicate id '{item_id}' (already in '{parent.id}', {origin.doc.path}:{first.line}:{first.col})"

    for i, section in enumerate(ctx.raw.sections):
        merging = section.id in parent_sections
        if section.id in seen or (section.id in parent_ids and not merging):
            yield Hit(duplicate(section.id), ("sections", i, "id"))
        seen.setdefault(section.id, ("sections", i))
        for j, question in enumerate(section.questions):
            if question.id in seen or question.id in parent_ids:
                yield Hit(duplicate(question.id), ("sections", i, "questions", j, "id"))
            seen.setdefault(question.id, ("sections", i, "questions", j))


@rule("CC102", "unknown-answer-set", "checklist")
def unknown_answer_set(ctx: ChecklistContext) -> Iterator[Hit]:
    """A question's `answers` names an answer set that is neither built in nor declared.

    Answer sets are the built-ins (yes-no, yes-partial-no, maturity) and those the checklist
    declares under `answer_sets`; anything else is usually a typo.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-maybe-no, recommendation: Answer them.}

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-partial-no, recommendation: Answer them.}
    """
    known = set(BUILTIN_ANSWER_SETS) | set(ctx.checklist.answer_sets)
    for loc, q in ctx.declared_questions():
        if isinstance(q.answers, str) and q.answers not in known:
            yield Hit(f"unknown answer set '{q.answers}'; known: {', '.join(sorted(known))}", (*loc, "answers"))


@rule("CC103", "when-unknown-question", "checklist")
def when_unknown_question(ctx: ChecklistContext) -> Iterator[Hit]:
    """`when` names a question that does not exist or is not asked before this one.

    A question is asked only after the question its `when` tests, so that the answer is
    known when it comes; excluding that question in a tailoring leaves the dependent one never asked.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: reply-hours
                text: Hours to a first reply?
                answers: {type: number, good: 4, poor: 24}
                recommendation: Reply within a day.
                when: {question: has-email, is: yes}
              - {id: has-email, text: Do you offer email?, answers: yes-no, recommendation: Offer email.}

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: has-email, text: Do you offer email?, answers: yes-no, recommendation: Offer email.}
              - id: reply-hours
                text: Hours to a first reply?
                answers: {type: number, good: 4, poor: 24}
                recommendation: Reply within a day.
                when: {question: has-email, is: yes}
    """
    order = {qid: n for n, qid in enumerate(ctx.checklist.questions)}
    for loc, q in ctx.declared_questions():
        if q.when is None:
            continue
        ref = q.when.question
        if ref not in order:
            yield Hit(f"`when` names an unknown question '{ref}'", (*loc, "when", "question"))
        elif order[ref] >= order.get(q.id, math.inf):
            yield Hit(f"`when` names '{ref}', which is not asked before '{q.id}'", (*loc, "when", "question"))
    declared = {q.id for _, q in ctx.declared_questions()}
    for q in ctx.checklist.questions.values():
        if q.id not in declared and q.when is not None and q.when.question not in order:
            yield Hit(f"excluding '{q.when.question}' leaves '{q.id}' (asked only after it) never asked", ("exclude",))


@rule("CC104", "bands-without-zero", "checklist")
def bands_without_zero(ctx: ChecklistContext) -> Iterator[Hit]:
    """The rating bands do not cover a score of 0: the lowest band's `min` must be 0.

    A score is given the band with the highest `min` at or below it; without a band at 0, a
    low score would have no rating.

    Fails:

        bands:
          - {min: 60, label: Good}
          - {min: 30, label: Weak}

    Passes:

        bands:
          - {min: 60, label: Good}
          - {min: 0, label: Weak}
    """
    bands = ctx.raw.bands
    if bands is not None and (not bands or min(b.min for b in bands) > 0):
        yield Hit("no band starts at 0, so a low score would have no rating; add `{min: 0, label: ...}`", ("bands",))


@rule("CC105", "bands-duplicate-min", "checklist")
def bands_duplicate_min(ctx: ChecklistContext) -> Iterator[Hit]:
    """Two rating bands have the same `min`, so one of them can never be given.

    Bands are told apart by their `min`: of two with the same one, only one is ever given.

    Fails:

        bands:
          - {min: 60, label: Good}
          - {min: 60, label: Fair}
          - {min: 0, label: Weak}

    Passes:

        bands:
          - {min: 60, label: Good}
          - {min: 30, label: Fair}
          - {min: 0, label: Weak}
    """
    first: dict[float, int] = {}
    for i, band in enumerate(ctx.raw.bands or ()):
        if band.min in first:
            # the repeated band is the one to change: point at it, and say where the first one is
            yield Hit(f"band {first[band.min] + 1} also starts at {band.min:g}", ("bands", i, "min"))
        else:
            first[band.min] = i


@rule("CC106", "critical-cap-unknown", "checklist")
def critical_cap_unknown(ctx: ChecklistContext) -> Iterator[Hit]:
    """`critical_cap` names no rating band.

    The rating is capped at the band `critical_cap` names while a critical question scores
    below `critical_below`; it must be one of the checklist's bands (the default bands are Leading,
    Established, Developing and Reactive).

    Fails:

        critical_cap: Middling

    Passes:

        critical_cap: Developing
    """
    cap = ctx.raw.critical_cap
    labels = [b.label for b in ctx.checklist.bands or ()]
    if cap is not None and cap not in labels:
        yield Hit(f"critical_cap '{cap}' names no band; bands: {', '.join(labels)}", ("critical_cap",))


@rule("CC107", "weight-not-positive", "checklist")
def weight_not_positive(ctx: ChecklistContext) -> Iterator[Hit]:
    """A weight is zero or negative, or above 1000; leave an item out (or exclude it) instead of zero.

    Weights scale an item's share of the score. A weight of 0 hides an item while it is still
    asked; a negative one would lower the score as the item improves.

    Fails:

        sections:
          - id: basics
            title: Basics
            weight: 0
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}

    Passes:

        sections:
          - id: basics
            title: Basics
            weight: 0.5
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
    """
    weights: list[tuple[str, float, tuple[str | int, ...]]] = [
        ("section", section.weight, ("sections", i, "weight")) for i, section in enumerate(ctx.raw.sections)
    ]
    weights += [("question", q.weight, (*loc, "weight")) for loc, q in ctx.declared_questions()]
    weights += [
        ("override", c.weight, ("override", target, "weight"))
        for target, c in ctx.raw.override.items()
        if c.weight is not None
    ]
    for what, weight, loc in weights:
        if not 0 < weight <= MAX_WEIGHT:
            yield Hit(f"{what} weight must be more than 0 and at most {MAX_WEIGHT}, not {weight:g}", loc)


@rule("CC120", "no-questions", "checklist")
def no_questions(ctx: ChecklistContext) -> Iterator[Hit]:
    """The checklist (after tailoring) has no questions at all, so nothing could be scored.

    A checklist must keep at least one question after `exclude`: with none, every score would be
    empty.

    Fails:

        sections: []

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
    """
    if not ctx.checklist.questions:
        yield Hit("the checklist has no questions", ("sections",) if ctx.raw.sections else ())


@rule("CC108", "good-equals-poor", "checklist")
def good_equals_poor(ctx: ChecklistContext) -> Iterator[Hit]:
    """A number answer has the same `good` and `poor` mark, so it cannot be scored.

    A number answer scores 1 at `good` and 0 at `poor`, linearly between; with both the same there is
    nothing between.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Hours to a first reply?
                answers: {type: number, unit: hours, good: 24, poor: 24}
                recommendation: Reply within a day.

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Hours to a first reply?
                answers: {type: number, unit: hours, good: 4, poor: 24}
                recommendation: Reply within a day.
    """
    for loc, q in ctx.declared_questions():
        if isinstance(q.answers, NumberAnswer) and q.answers.good == q.answers.poor:
            yield Hit(f"good and poor are both {q.answers.good:g}", (*loc, "answers", "good"))


@rule("CC109", "option-score-range", "checklist")
def option_score_range(ctx: ChecklistContext) -> Iterator[Hit]:
    """An answer option's score is outside 0..1.

    An option's score is the share of the question's weight it earns: 0 (none) to 1 (all).

    Fails:

        answer_sets:
          stars:
            - {value: 1, label: One star, score: 0}
            - {value: 5, label: Five stars, score: 5}
        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: How do customers rate you?, answers: stars, recommendation: Ask why.}

    Passes:

        answer_sets:
          stars:
            - {value: 1, label: One star, score: 0}
            - {value: 5, label: Five stars, score: 1}
        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: How do customers rate you?, answers: stars, recommendation: Ask why.}
    """
    for name, options in ctx.raw.answer_sets.items():
        for i, option in enumerate(options):
            if not 0 <= option.score <= 1:
                yield Hit(f"score must be between 0 and 1, not {option.score:g}", ("answer_sets", name, i, "score"))


@rule("CC110", "empty-section", "checklist")
def empty_section(ctx: ChecklistContext) -> Iterator[Hit]:
    """A section has no questions (after tailoring).

    A section without questions has no score; it is usually left over from an `exclude`.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
          - id: later
            title: Later
            questions: []

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
    """
    declared = {s.id: i for i, s in enumerate(ctx.raw.sections)}
    for section in ctx.checklist.sections:
        if not section.questions:
            loc: tuple[str | int, ...] = ("sections", declared[section.id]) if section.id in declared else ("exclude",)
            yield Hit(f"section '{section.id}' has no questions", loc)


@rule("CC111", "unreachable-question", "checklist")
def unreachable_question(ctx: ChecklistContext) -> Iterator[Hit]:
    """A question's `when` can never be true, so it would never be asked.

    `when: {question, is}` asks a question only when another one was given one of the values in
    `is`; a value that question cannot take means the question is never asked. `when` can only test a
    question with options (an answer set).

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: has-email, text: Do you offer email?, answers: yes-no, recommendation: Offer email.}
              - id: email-answered
                text: Is every email answered?
                answers: yes-no
                recommendation: Answer them.
                when: {question: has-email, is: partial}

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: has-email, text: Do you offer email?, answers: yes-no, recommendation: Offer email.}
              - id: email-answered
                text: Is every email answered?
                answers: yes-no
                recommendation: Answer them.
                when: {question: has-email, is: yes}
    """
    for loc, q in ctx.declared_questions():
        if q.when is None or q.when.question not in ctx.checklist.questions:
            continue
        ref = ctx.checklist.questions[q.when.question]
        options = ctx.checklist.options(ref)
        if options is None:
            if isinstance(ref.answers, str):
                continue  # unknown answer set: CC102 says so
            yield Hit(
                f"`when` can only test a question with options; '{ref.id}' is answered with a {ref.answers.type}",
                (*loc, "when", "question"),
            )
            continue
        possible = {o.value for o in options} | {UNKNOWN} | ({NA} if ref.allow_na else set())
        if not set(q.when.values) & possible:
            wanted = ", ".join(q.when.values)
            choices = ", ".join(o.value for o in options)
            yield Hit(f"'{ref.id}' can never be {wanted}; its answers are {choices}", (*loc, "when", "is"))


@rule("CC112", "missing-recommendation", "checklist", severity="warning")
def missing_recommendation(ctx: ChecklistContext) -> Iterator[Hit]:
    """A scored question has no `recommendation`, so the action plan cannot say what to do.

    The action plan lists the questions that scored below 1 with their recommendation; without one,
    it can only name the gap. Text questions are not scored and need none.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no}

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
    """
    for loc, q in ctx.declared_questions():
        final = ctx.final(q)
        if final.recommendation is None and getattr(final.answers, "type", None) != "text":
            yield Hit(f"question '{q.id}' has no recommendation", (*loc, "id"))


@rule("CC113", "builtin-set-redeclared", "checklist")
def builtin_set_redeclared(ctx: ChecklistContext) -> Iterator[Hit]:
    """An answer set redeclares a built-in name (yes-no, yes-partial-no, maturity).

    The built-in names always mean the built-in sets, so a checklist that redeclares one would read
    differently from what it says; give your set its own name.

    Fails:

        answer_sets:
          yes-no:
            - {value: yes, label: Yes, score: 1}
            - {value: no, label: No, score: 0}
            - {value: later, label: Not yet, score: 0.25}

    Passes:

        answer_sets:
          yes-no-later:
            - {value: yes, label: Yes, score: 1}
            - {value: no, label: No, score: 0}
            - {value: later, label: Not yet, score: 0.25}
    """
    for name in ctx.raw.answer_sets:
        if name in BUILTIN_ANSWER_SETS:
            yield Hit(f"'{name}' is a built-in answer set; give yours another name", ("answer_sets", name), key=True)


@rule("CC114", "duplicate-option-value", "checklist")
def duplicate_option_value(ctx: ChecklistContext) -> Iterator[Hit]:
    """Two options of one answer set have the same value (or the reserved value na/unknown).

    An answer file stores the option's value, so each value must name one option; `na` (not
    applicable) and `unknown` (don't know) are answers of every question and cannot be options.

    Fails:

        answer_sets:
          often:
            - {value: never, label: Never, score: 0}
            - {value: never, label: Sometimes, score: 0.5}
            - {value: always, label: Always, score: 1}

    Passes:

        answer_sets:
          often:
            - {value: never, label: Never, score: 0}
            - {value: sometimes, label: Sometimes, score: 0.5}
            - {value: always, label: Always, score: 1}
    """
    for name, options in ctx.raw.answer_sets.items():
        seen: set[str] = set()
        for i, option in enumerate(options):
            if option.value in seen or option.value in (NA, UNKNOWN):
                yield Hit(
                    f"option value '{option.value}' is repeated or reserved",
                    ("answer_sets", name, i, "value"),
                )
            seen.add(option.value)


@rule("CC119", "target-range", "checklist")
def target_range(ctx: ChecklistContext) -> Iterator[Hit]:
    """A `target` is outside 0..100 (targets are scores in percent).

    A target is the score a section or question should reach, for the report's gap analysis; scores
    run from 0 to 100.

    Fails:

        sections:
          - id: basics
            title: Basics
            target: 120
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}

    Passes:

        sections:
          - id: basics
            title: Basics
            target: 75
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer every complaint.}
    """
    for i, section in enumerate(ctx.raw.sections):
        if section.target is not None and not 0 <= section.target <= 100:
            yield Hit(f"target must be between 0 and 100, not {section.target:g}", ("sections", i, "target"))
    for loc, q in ctx.declared_questions():
        if q.target is not None and not 0 <= q.target <= 100:
            yield Hit(f"target must be between 0 and 100, not {q.target:g}", (*loc, "target"))


@rule("CC121", "duplicate-check-id", "checklist")
def duplicate_check_id(ctx: ChecklistContext) -> Iterator[Hit]:
    """Two `checks` share an id, so a report could not say which claim is broken.

    A check's id names it in reports ("claims to check") and in the JSON report; like question ids,
    check ids are unique in the resolved checklist.

    Fails:

        checks:
          - {id: c1, if: {question: q1, is: "yes"}, then: {question: q2, answered: true}, says: Show it.}
          - {id: c1, if: {question: q1, is: "no"}, then: {question: q2, answered: true}, says: Show it.}
        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer them.}
              - {id: q2, text: How many complaints were answered?, answers: yes-no, recommendation: Count them.}

    Passes:

        checks:
          - {id: c1, if: {question: q1, is: "yes"}, then: {question: q2, answered: true}, says: Show it.}
          - {id: c2, if: {question: q1, is: "no"}, then: {question: q2, answered: true}, says: Show it.}
        sections:
          - id: basics
            title: Basics
            questions:
              - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer them.}
              - {id: q2, text: How many complaints were answered?, answers: yes-no, recommendation: Count them.}
    """
    seen: set[str] = set()
    for i, check in enumerate(ctx.raw.checks):
        if check.id in seen:
            yield Hit(f"check id '{check.id}' is used twice", ("checks", i, "id"))
        seen.add(check.id)


@rule("CC122", "check-unknown-question", "checklist")
def check_unknown_question(ctx: ChecklistContext) -> Iterator[Hit]:
    """A check names a question the resolved checklist does not have.

    Both the `if` and the `then` of a check name a question of the resolved checklist (after
    tailoring: a tailoring that excludes a question drops the parent's checks on it).

    Fails:

        checks:
          - {id: c1, if: {question: q1, is: "yes"}, then: {question: q3, answered: true}, says: Show it.}

    Passes:

        checks:
          - {id: c1, if: {question: q1, is: "yes"}, then: {question: q1, answered: true}, says: Show it.}
    """
    questions = ctx.checklist.questions
    for i, check in enumerate(ctx.raw.checks):
        for part, qid in (("if", check.if_.question), ("then", check.then.question)):
            if qid not in questions:
                yield Hit(
                    f"check '{check.id}' names no question of the checklist: '{qid}'", ("checks", i, part, "question")
                )


@rule("CC123", "check-threshold", "checklist")
def check_threshold(ctx: ChecklistContext) -> Iterator[Hit]:
    """A check's `at_least` or `is` does not fit the answers of its question.

    `at_least` takes one of the question's option values (that option or a better-scored one), or for
    a number question a number (that figure or a better one, towards `good`). `is` takes option values,
    `na` or `unknown`, of a question with options. A text question cannot be tested.

    Fails:

        checks:
          - {id: c1, if: {question: q1, at_least: "3"}, then: {question: q1, answered: true}, says: Show it.}

    Passes:

        checks:
          - {id: c1, if: {question: q1, at_least: "yes"}, then: {question: q1, answered: true}, says: Show it.}
    """
    questions = ctx.checklist.questions
    for i, check in enumerate(ctx.raw.checks):
        tests = (("if", check.if_.question, check.if_.at_least), ("then", check.then.question, check.then.at_least))
        for part, qid, bar in tests:
            question = questions.get(qid)
            if question is None or bar is None:
                continue  # CC122
            problem = _threshold_problem(ctx.checklist, question, bar)
            if problem:
                yield Hit(f"check '{check.id}': {problem}", ("checks", i, part, "at_least"))
        claim = questions.get(check.if_.question)
        if claim is None or check.if_.is_ is None:
            continue
        options = ctx.checklist.options(claim)
        if options is None:
            yield Hit(f"check '{check.id}': `is` can only test a question with options", ("checks", i, "if", "is"))
            continue
        possible = {o.value for o in options} | {UNKNOWN} | ({NA} if claim.allow_na else set())
        for value in check.if_.values:
            if value not in possible:
                choices = ", ".join(o.value for o in options)
                yield Hit(
                    f"check '{check.id}': '{claim.id}' is never {value!r}; its answers are {choices}",
                    ("checks", i, "if", "is"),
                )


def _threshold_problem(checklist: Checklist, question: Question, bar: str) -> str | None:
    options = checklist.options(question)
    if options is not None:
        if bar in {o.value for o in options}:
            return None
        return f"'{bar}' is not an answer of '{question.id}'; use one of: " + ", ".join(o.value for o in options)
    if isinstance(question.answers, NumberAnswer):
        try:
            number = float(bar)
        except ValueError:
            return f"'{question.id}' is a number question: `at_least` takes a number, not '{bar}'"
        return None if math.isfinite(number) else f"`at_least` of '{question.id}' must be a finite number"
    if isinstance(question.answers, str):
        return None  # an unknown answer set: CC102 says so
    return f"'{question.id}' is a text question: it cannot be tested with `at_least`"


@rule("CC124", "recommendation-key", "checklist")
def recommendation_key(ctx: ChecklistContext) -> Iterator[Hit]:
    """A recommendation by answer has a key that is not an answer of its question.

    A `recommendation` mapping takes `default`, `unknown` and the question's option values (a number
    question only `default` and `unknown`); any other key would never be used.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Do you answer every complaint?
                answers: yes-no
                recommendation: {default: Answer them., partial: Answer the rest.}

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Do you answer every complaint?
                answers: yes-no
                recommendation: {default: Answer them., unknown: Count them first.}
    """
    for loc, q in ctx.declared_questions():
        if not isinstance(q.recommendation, Recommendation):
            continue
        final = ctx.final(q)
        options = ctx.checklist.options(final)
        if options is None and isinstance(final.answers, str):
            continue  # unknown answer set: CC102
        values = [o.value for o in options or ()]
        for key in q.recommendation.options:
            if key not in values:
                allowed = ", ".join(["default", "unknown", *values])
                yield Hit(
                    f"recommendation of '{q.id}' has a key '{key}' that is not an answer; use: {allowed}",
                    (*loc, "recommendation", key),
                )


@rule("CC131", "evidence-without-options", "checklist", severity="warning")
def evidence_without_options(ctx: ChecklistContext) -> Iterator[Hit]:
    """`evidence: required` on a number or text question, where it does nothing.

    The interview asks for a note when an answer-set question gets one of its two best options; a
    number or text question has no options, so the request is never made and the report never lists
    the answer as given without evidence. Ask for the source in `help` instead.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: What share of complaints was answered within 10 working days?
                answers: {type: number, unit: "%", good: 90, poor: 60}
                evidence: required
                recommendation: Count them.

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Do you answer every complaint within 10 working days?
                answers: yes-no
                evidence: required
                recommendation: Answer every complaint.
    """
    for loc, q in ctx.declared_questions():
        if q.evidence is None:
            continue
        answers = ctx.final(q).answers
        if isinstance(answers, (NumberAnswer, TextAnswer)):
            kind = "number" if isinstance(answers, NumberAnswer) else "text"
            yield Hit(
                f"'{q.id}' is a {kind} question: `evidence: required` asks for a note only on an answer set's top"
                " two options, so it does nothing here; say what evidence counts in `help`",
                (*loc, "evidence"),
            )


@rule("CC130", "unknown-ref", "checklist", severity="warning")
def unknown_ref(ctx: ChecklistContext) -> Iterator[Hit]:
    """A ref looks like a seed point or framework id (`s003-...`, `cse-...`, `iso10002-...`) but is none.

    `refs` name the seed points and framework items a question serves (`carecheck show --refs` prints
    the coverage); the known ids ship in the built-in `references.yaml`. A ref of a known family that is
    not one of its ids is usually a typo, and would silently leave the item uncovered. Refs of your own
    (`policy-7`) are not checked.

    Fails:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Do you answer every complaint?
                answers: yes-no
                recommendation: Answer every complaint.
                refs: [cse-4.4]

    Passes:

        sections:
          - id: basics
            title: Basics
            questions:
              - id: q1
                text: Do you answer every complaint?
                answers: yes-no
                recommendation: Answer every complaint.
                refs: [cse-4.3, policy-7]
    """
    references = builtin_references()
    for loc, q in ctx.declared_questions():
        for n, ref in enumerate(q.refs):
            if references.misspelt(ref):
                close = difflib.get_close_matches(ref, references.known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                yield Hit(f"'{ref}' is not a known reference{hint}", (*loc, "refs", n))
