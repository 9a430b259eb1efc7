"""What an audit claims beyond its scores: broken `checks` (claims to check), top answers given
without the evidence a question asks for, and the answer a varying `recommendation` follows.

None of these changes a score. `Claims` keeps running totals over the answer files of one audit,
as `score.Aggregate` does for the scores; the scorecard carries what it finds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from carecheck.format.answers import answer_problem, is_asked, needs_evidence
from carecheck.format.model import NA, UNKNOWN, Check, Checklist, NumberAnswer, Question, Recommendation

_LABELS = {NA: "Not applicable", UNKNOWN: "Don't know", None: "Not answered"}


@dataclass(frozen=True)
class Claim:
    """A broken check: one answer claims something another answer does not back up."""

    id: str
    says: str
    question: str
    """The question whose answer makes the claim (the check's `if`)."""
    text: str
    answer: str
    """Its answer in words (a tally with several respondents)."""
    then_question: str
    """The question that should back the claim up (the check's `then`)."""
    then_text: str
    then_answer: str
    respondents: int
    """How many respondents' answers break the check."""
    by: tuple[str, ...] = ()
    """Who they are (empty in an anonymous report)."""


@dataclass(frozen=True)
class Unevidenced:
    """A question with `evidence: required` given one of its two best answers without a note."""

    question: str
    text: str
    answer: str
    respondents: int
    by: tuple[str, ...] = ()


def answer_label(checklist: Checklist, question: Question, value: str | None) -> str:
    """An answer in words: the option's label, the number with its unit, or what the status means."""
    if value in _LABELS:
        return _LABELS[value]
    options = checklist.options(question)
    label = next((o.label for o in options or () if o.value == value), None)
    if label is not None:
        return label
    spec = question.answers
    return f"{value} {spec.unit}" if isinstance(spec, NumberAnswer) and spec.unit else str(value)


def at_least(checklist: Checklist, question: Question, value: str | None, threshold: str) -> bool | None:
    """Whether an answer is at least as good as `threshold` (an option value, or a figure).

    Options compare by their scores; a figure compares towards `good` (at least 70 where good is
    above poor, at most 4 where good is below it). `na`, `unknown` and no answer are not; None when
    the threshold does not fit the question (lint reports it: CC123).
    """
    options = checklist.options(question)
    if options is not None:
        scores = {o.value: o.score for o in options}
        if threshold not in scores:
            return None
        return value in scores and scores[value] >= scores[threshold]
    spec = question.answers
    if not isinstance(spec, NumberAnswer):
        return None
    try:
        bar = float(threshold)
    except ValueError:
        return None
    if value is None or value in (NA, UNKNOWN):
        return False
    try:
        figure = float(value)
    except ValueError:
        return False
    return figure >= bar if spec.good >= spec.poor else figure <= bar


def broken(checklist: Checklist, check: Check, value: Callable[[str], str | None], role: str | None) -> bool:
    """Whether one respondent's answers break a check.

    A check applies when its `if` question is asked and answered as it says; it is broken when its
    `then` question, if asked of the respondent, is not answered (`answered: true`: no value, `na` or
    `unknown`) or is answered below its `at_least`.
    """
    claim = checklist.questions.get(check.if_.question)
    proof = checklist.questions.get(check.then.question)
    if claim is None or proof is None or not is_asked(checklist, claim, value, role):
        return False
    held = value(claim.id)
    if check.if_.at_least is not None:
        applies = at_least(checklist, claim, held, check.if_.at_least)
    else:
        applies = held in check.if_.values
    if not applies or not is_asked(checklist, proof, value, role):
        return False
    shown = value(proof.id)
    if check.then.at_least is not None:
        return at_least(checklist, proof, shown, check.then.at_least) is False
    return shown is None or shown in (NA, UNKNOWN)


def chosen_answer(checklist: Checklist, question: Question, values: Counter[str]) -> str | None:
    """The answer a varying recommendation follows: the most common, ties to the lower-scored option.

    `unknown` counts as the lowest; a figure (any other value of a number question) follows
    `default`, as the empty string. None when nobody answered (`na` is no answer).
    """
    scores = {o.value: o.score for o in checklist.options(question) or ()}
    counts: Counter[str] = Counter()
    for v, n in values.items():
        if v == UNKNOWN or v in scores:
            counts[v] += n
        elif v != NA:
            counts[""] += n
    scores[UNKNOWN], scores[""] = -1.0, 1.0
    candidates = [(n, -scores[v], v) for v, n in counts.items() if v in scores]
    return max(candidates)[2] if candidates else None


def _tally(labels: Counter[str]) -> str:
    if len(labels) == 1:
        return next(iter(labels))
    return ", ".join(f"{label} \u00d7{n}" for label, n in labels.most_common())


@dataclass
class _Found:
    answers: Counter[str] = field(default_factory=Counter)
    then_answers: Counter[str] = field(default_factory=Counter)
    respondents: int = 0
    by: list[str] = field(default_factory=list)

    def add(self, answer: str, then_answer: str, who: str | None) -> None:
        self.answers[answer] += 1
        self.then_answers[then_answer] += 1
        self.respondents += 1
        if who is not None:
            self.by.append(who)


class Claims:
    """Running totals of one audit's claims, missing evidence and recommendation answers."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self._broken: dict[str, _Found] = {}
        self._unevidenced: dict[str, _Found] = {}
        self._varying = [q for q in checklist.questions.values() if isinstance(q.recommendation, Recommendation)]
        self._choices: dict[str, Counter[str]] = {q.id: Counter() for q in self._varying}
        evidence = {q.id for q in checklist.questions.values() if q.evidence == "required"}
        tested = {qid for c in checklist.checks for qid in (c.if_.question, c.then.question)}
        self.questions = frozenset((evidence | tested | set(self._choices)) & checklist.questions.keys())
        """The questions whose answers matter here; none: nothing to do for any file."""

    def add(self, answers: dict[str, tuple[str | None, str | None]], role: str, who: str | None) -> None:
        """One respondent: `answers` maps question ids to (value, note); of `questions`, values that fit only."""
        checklist = self.checklist

        def value(qid: str) -> str | None:
            return answers.get(qid, (None, None))[0]

        for check in checklist.checks:
            if broken(checklist, check, value, role):
                claim, proof = checklist.questions[check.if_.question], checklist.questions[check.then.question]
                found = self._broken.setdefault(check.id, _Found())
                found.add(
                    answer_label(checklist, claim, value(claim.id)),
                    answer_label(checklist, proof, value(proof.id)),
                    who,
                )
        for qid in self.questions & answers.keys():
            held, note = answers[qid]
            question = checklist.questions[qid]
            if note or not needs_evidence(checklist, question, held):
                continue
            if is_asked(checklist, question, value, role):
                self._unevidenced.setdefault(qid, _Found()).add(answer_label(checklist, question, held), "", who)
        for question in self._varying:
            held = value(question.id)
            if held is not None and is_asked(checklist, question, value, role):
                self._choices[question.id][held] += 1

    def claims(self) -> tuple[Claim, ...]:
        """The broken checks, in checklist order."""
        found = []
        for check in self.checklist.checks:
            f = self._broken.get(check.id)
            if f is None:
                continue
            claim, proof = self.checklist.questions[check.if_.question], self.checklist.questions[check.then.question]
            found.append(
                Claim(
                    check.id,
                    check.says,
                    claim.id,
                    claim.text,
                    _tally(f.answers),
                    proof.id,
                    proof.text,
                    _tally(f.then_answers),
                    f.respondents,
                    tuple(f.by),
                )
            )
        return tuple(found)

    def unevidenced(self) -> tuple[Unevidenced, ...]:
        """Top answers given without evidence, in checklist order."""
        questions = self.checklist.questions
        return tuple(
            Unevidenced(qid, questions[qid].text, _tally(f.answers), f.respondents, tuple(f.by))
            for qid in questions
            if (f := self._unevidenced.get(qid)) is not None
        )

    def choices(self) -> dict[str, str]:
        """The answer each varying recommendation follows, by question id."""
        chosen = {q.id: chosen_answer(self.checklist, q, self._choices[q.id]) for q in self._varying}
        return {qid: v for qid, v in chosen.items() if v is not None}


def fitting(checklist: Checklist, question: Question, value: str | None) -> bool:
    """Whether a value may be used for claims: a value that fits its question (lenient reading leaves others)."""
    return value is not None and answer_problem(checklist, question, value) is None
