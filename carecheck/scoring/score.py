"""The scorer: a pure function from a resolved checklist and answer files to a Scorecard.

It implements the scoring contract of DESIGN.md (documented with a worked example in
docs/scoring.md). Scores are percentages: a question's score is 100 x s, where s in 0..1 is
the option's score (or the number's); "no score" is None, never 0. Everything the reports
show is computed here; the templates only present it.

Answer files are consumed once, in order, and only aggregates are kept (sums, counts and the
notes), so thousands of respondents cost little memory: `Aggregate` keeps those running totals
for one audit (`score` is the one-call form), so a caller reading files of several audits or
organisations at once routes each file to its own Aggregate. Several respondents give each
question a spread and per-role means; roles that disagree by `gap_threshold` points or more
make a perception gap. Comparing with earlier audits is in trends.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Literal

from carecheck.errors import InvalidInputError, UsageError
from carecheck.format.answers import answer_problem, asked_scope, audit_label, is_asked, recommendation_for
from carecheck.format.model import EFFORT_COST, NA, UNKNOWN, Answer, AnswerFile, Checklist, NumberAnswer, Question
from carecheck.scoring.claims import Claim, Claims, Unevidenced, fitting

Status = Literal["answered", "na", "unknown", "skipped", "unanswered", "off"]
Kind = Literal["options", "number", "text"]

CRITICAL_BELOW = 50.0
"""A critical question scoring below this (in points, i.e. s < 0.5) caps the rating."""
CRITICAL_FACTOR = 2.0
TALLY_SHOWN = 5
"""A question's answer in words lists at most this many different answers."""
GAP_THRESHOLD = 25.0
"""A perception gap: the highest and lowest role means of a question or section differ by this many points."""
_EPSILON = 1e-9

STATUS_LABELS: dict[Status, str] = {
    "na": "Not applicable",
    "unknown": "Don't know",
    "skipped": "Skipped",
    "unanswered": "Not answered",
    "off": "Not asked",
    "answered": "Answered",
}


def _amended(file: AnswerFile) -> tuple[datetime | None, tuple[str, ...]]:
    """When an answer file was last amended, and the questions amended, in checklist-file order."""
    changed = tuple(qid for qid, a in file.answers.items() if a.amended)
    times = [t for t in (aware(file.answers[qid].at) for qid in changed) if t is not None]
    return (max(times) if times else None), changed


def shown(score: float) -> float:
    """A score as the user sees it, rounded to one decimal: bands and gates compare this."""
    return round(score, 1)


@dataclass(frozen=True)
class Counts:
    """How the answers fall, over every question and respondent; the categories do not overlap.

    `answered` holds scored values and text evidence; `unknown` is "don't know" (scored 0);
    `off` is a question switched off by `when`.
    """

    answered: int = 0
    na: int = 0
    unknown: int = 0
    skipped: int = 0
    unanswered: int = 0
    off: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.na + self.unknown + self.skipped + self.unanswered + self.off

    @property
    def to_answer(self) -> int:
        return self.skipped + self.unanswered

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.answered + other.answered,
            self.na + other.na,
            self.unknown + other.unknown,
            self.skipped + other.skipped,
            self.unanswered + other.unanswered,
            self.off + other.off,
        )


@dataclass(frozen=True, slots=True)  # thousands are kept: no __dict__ each
class Note:
    """A note written with an answer: the evidence behind it."""

    respondent: str | None
    """Who wrote it; None in an anonymous report."""
    text: str


@dataclass(frozen=True)
class Tally:
    """How many respondents gave one answer (a readable label)."""

    answer: str
    count: int


@dataclass(frozen=True)
class RoleMean:
    """The mean score of a question over the respondents of one role that scored it."""

    role: str
    score: float
    respondents: int


@dataclass(frozen=True)
class RoleDataGaps:
    """The "don't know" answers of one role: data gaps, left out of its role means."""

    role: str
    unknown: int
    """"Don't know" answers given by the role's respondents, over every question."""
    questions: int
    """Questions at least one of the role's respondents answered "don't know"."""
    respondents: int
    """The role's respondents."""


@dataclass(frozen=True)
class QuestionScore:
    """A question's result: its score, the answers behind it and what fixing it is worth."""

    id: str
    section: str
    section_title: str
    text: str
    kind: Kind
    weight: float
    critical: bool
    effort: str
    recommendation: str | None
    target: float | None
    score: float | None
    """0..100, the mean over the respondents that scored it; None when nobody did."""
    answer: str
    """The answer in words: an option label, a number with its unit, or a tally of several."""
    tally: tuple[Tally, ...]
    counts: Counts
    scored_by: int
    spread: float | None
    """Highest minus lowest known respondent score, in points; None with fewer than two.

    "Don't know" is a data gap, not a score, here and in `low`, `high`, `stdev`, the role means and
    the perception gap; it still scores 0 in `score` (and so in the section and overall scores)."""
    role_means: tuple[RoleMean, ...]
    gain: float | None
    """Overall points this question would add if its score became 100."""
    priority: float | None
    """The action plan's ranking key: gain x 2 if critical, divided by the effort cost."""
    gap: float | None
    """Target minus score, in points (positive: below target); None without both."""
    notes: tuple[Note, ...]
    to_answer_by: tuple[str, ...]
    """Respondents that skipped it or left it unanswered."""
    unknown_by: tuple[str, ...]
    """Respondents that answered "don't know" (empty in an anonymous report: see `counts`)."""
    low: float | None = None
    """The lowest respondent score; None when nobody scored it."""
    high: float | None = None
    """The highest respondent score; None when nobody scored it."""
    stdev: float | None = None
    """The population standard deviation of the respondent scores; None with fewer than two."""
    perception_gap: float | None = None
    """Highest minus lowest role mean, in points; None with fewer than two roles."""
    text_hash: str = ""
    """The short hash of the question's wording now (`Question.text_hash`)."""
    asked: tuple[str, ...] = ()
    """The wording hashes recorded with the answers (`asked:`), sorted: the wordings answered."""
    measured_by: int = 0
    """Respondents that gave a known score ("don't know" left out): the spread and role means are of these."""
    unknown_roles: tuple[tuple[str, int], ...] = ()
    """Per role (sorted), how many of its respondents answered "don't know"."""
    measures: Literal["practice", "result"] = "practice"
    critical_below: float = CRITICAL_BELOW
    """The checklist's `critical_below`: a critical question scoring below it caps the rating."""

    @property
    def critical_failure(self) -> bool:
        return self.critical and self.score is not None and shown(self.score) < self.critical_below


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    description: str | None
    weight: float
    target: float | None
    score: float | None
    """0..100, the weighted mean of its scored questions; None when none is scored."""
    gap: float | None
    questions: tuple[QuestionScore, ...]
    counts: Counts
    role_means: tuple[RoleMean, ...] = ()
    """The section as each role scores it: the weighted mean of that role's question means."""
    perception_gap: float | None = None
    """Highest minus lowest role mean of the section, in points; None with fewer than two roles."""


@dataclass(frozen=True)
class PerceptionGap:
    """A question or section where roles disagree: "front-line sees 30, leadership sees 85"."""

    kind: Literal["section", "question"]
    id: str
    title: str
    """The section's title or the question's text."""
    section: str
    section_title: str
    critical: bool
    gap: float
    """The highest role mean minus the lowest, in points."""
    low: RoleMean
    high: RoleMean
    role_means: tuple[RoleMean, ...]


@dataclass(frozen=True)
class Rating:
    label: str
    """The rating given: the band, capped at `critical_cap` by a failing critical question."""
    band: str
    """The band the overall score reaches, before the cap."""
    capped: bool
    provisional: bool
    """A critical question is still unanswered, so the rating may change."""


@dataclass(frozen=True)
class Band:
    min: float
    label: str


@dataclass(frozen=True, slots=True)  # one per answer file: no __dict__ each
class RespondentInfo:
    name: str | None
    """None in an anonymous report."""
    role: str
    started: datetime | None
    completed: datetime | None
    source: str | None
    """Where the answers came from (the file), when known; None in an anonymous report."""
    amended: datetime | None = None
    """When the completed audit was last amended (the latest time of an amended answer)."""
    changed: tuple[str, ...] = ()
    """The questions whose answers an amendment changed (each keeps its earlier ones in `amended:`)."""


@dataclass(frozen=True)
class ChecklistInfo:
    id: str
    title: str
    version: str
    description: str | None
    bands: tuple[Band, ...]
    critical_cap: str | None
    questions: int
    critical_below: float = CRITICAL_BELOW


@dataclass(frozen=True)
class Scorecard:
    """Everything a report shows, computed once."""

    checklist: ChecklistInfo
    organisation: str
    audit: str | None
    respondents: tuple[RespondentInfo, ...]
    overall: float | None
    """0..100, the weighted mean of the section scores; None when nothing is scored."""
    rating: Rating | None
    sections: tuple[SectionScore, ...]
    actions: tuple[QuestionScore, ...]
    """The action plan: scored questions below 100, highest priority first, ties in checklist order."""
    critical_failures: tuple[QuestionScore, ...]
    to_answer: tuple[QuestionScore, ...]
    data_gaps: tuple[QuestionScore, ...]
    counts: Counts
    draft: bool
    """Some question is still unanswered or skipped: the audit is incomplete."""
    notes: tuple[str, ...]
    """Remarks about the data itself (e.g. answers given to an older checklist version)."""
    role_means: tuple[RoleMean, ...] = ()
    """The overall score as each role sees it: the weighted mean of that role's section scores."""
    perception_gaps: tuple[PerceptionGap, ...] = ()
    """Sections and questions whose role means differ by `gap_threshold` or more, widest first."""
    role_data_gaps: tuple[RoleDataGaps, ...] = ()
    """Each role's "don't know" answers (roles with none left out), in role order."""
    gap_threshold: float = GAP_THRESHOLD
    anonymous: bool = False
    """Respondent names are left out everywhere (notes, lists, sources)."""
    versions: tuple[str, ...] = ()
    """The checklist versions the answers record, sorted."""
    unknown_questions: tuple[str, ...] = ()
    """Ids answered that the checklist no longer has (left out; only when read leniently)."""
    misfits: tuple[str, ...] = ()
    """Questions with answers that no longer fit them (left out; only when read leniently)."""
    asked_questions: int | None = None
    """How many of the checklist's questions were asked, when the answer files (`questions:`: a short
    survey, a role-targeted audit) asked only some; None when every question was. The others are not
    asked: they have no score, are not to answer, and make no draft."""
    practice_score: float | None = None
    """0..100, the overall score's weighting restricted to `measures: practice` questions; None without any."""
    results_score: float | None = None
    """0..100, the overall score's weighting restricted to `measures: result` questions; None without any."""
    claims: tuple[Claim, ...] = ()
    """Claims to check: the checklist's `checks` that some respondent's answers break (no score changes)."""
    unevidenced: tuple[Unevidenced, ...] = ()
    """Top answers to `evidence: required` questions given without a note."""

    @property
    def amendments(self) -> tuple[RespondentInfo, ...]:
        """The respondents whose completed answers were amended (when, and which questions)."""
        return tuple(r for r in self.respondents if r.changed)

    @property
    def questions(self) -> tuple[QuestionScore, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, qid: str) -> QuestionScore:
        return next(q for q in self.questions if q.id == qid)

    def section(self, sid: str) -> SectionScore:
        return next(s for s in self.sections if s.id == sid)

    @property
    def date(self) -> datetime | None:
        """When the audit was made: the latest completion (else start) among its answer files, in UTC."""
        times = [aware(r.completed or r.started) for r in self.respondents if (r.completed or r.started)]
        return max((t for t in times if t is not None), default=None)

    @property
    def section_gaps(self) -> tuple[PerceptionGap, ...]:
        return tuple(g for g in self.perception_gaps if g.kind == "section")

    @property
    def question_gaps(self) -> tuple[PerceptionGap, ...]:
        return tuple(g for g in self.perception_gaps if g.kind == "question")


def aware(when: datetime | None) -> datetime | None:
    """A datetime in UTC; a naive one (no offset written) is taken as UTC."""
    if when is None:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


# ---------------------------------------------------------------------------------------------------
# One respondent's answer to one question


@dataclass(frozen=True, slots=True)
class _Response:
    status: Status
    answer: str | None  # a readable label of the value; None when there is no value
    score: float | None  # 0..100


_OFF = _Response("off", None, None)

Responses = dict[tuple[str, str], "_Response | str"]
"""Each (question, answer value) met, scored once against one checklist: the response, or why the value
does not fit. An audit's own, or shared by the audits read against the same checklist (a portfolio keeps
thousands: one each was a quarter of their memory)."""


def _kind(question: Question) -> Kind:
    if isinstance(question.answers, NumberAnswer):
        return "number"
    if isinstance(question.answers, str):
        return "options"
    return "text"


def answer_status(answer: Answer | None) -> Status:
    """How an answer to an asked question counts: the one meaning of "answered" and "to answer".

    The report, the interview's review and its closing summary all count with this; a note
    without a value is unanswered, `skipped: true` without a value is skipped.
    """
    value = None if answer is None else answer.value
    if value is None:
        return "skipped" if answer is not None and answer.skipped else "unanswered"
    if value == NA:
        return "na"
    if value == UNKNOWN:
        return "unknown"
    return "answered"


def _response(checklist: Checklist, question: Question, answer: Answer | None) -> _Response:
    status = answer_status(answer)
    if status in ("skipped", "unanswered"):
        return _Response(status, None, None)
    if status == "na":
        return _Response("na", STATUS_LABELS["na"], None)
    if status == "unknown":
        return _Response("unknown", STATUS_LABELS["unknown"], 0.0)
    assert answer is not None and answer.value is not None
    value = answer.value
    problem = answer_problem(checklist, question, value)
    if problem:
        raise InvalidInputError(problem, code="CC203")
    options = checklist.options(question)
    if options is not None:
        option = next(o for o in options if o.value == value)
        return _Response("answered", option.label, 100.0 * option.score)
    spec = question.answers
    if isinstance(spec, NumberAnswer):
        unit = f" {spec.unit}" if spec.unit else ""
        return _Response("answered", f"{value}{unit}", 100.0 * spec.score(float(value)))
    return _Response("answered", value, None)  # text: evidence, never scored


# ---------------------------------------------------------------------------------------------------
# Aggregation over respondents


@dataclass(slots=True)  # one per question of every audit read: no __dict__ each
class _Totals:
    """Running totals for one question over the respondents read so far."""

    score_sum: float = 0.0
    scored: int = 0
    """Scores in the question's mean, "don't know" (0) included."""
    measured: int = 0
    """Known scores ("don't know" left out): the spread, standard deviation and role means are of these."""
    low: float = math.inf
    high: float = -math.inf
    # Welford's running mean and sum of squared deviations: a stable standard deviation in one pass
    running_mean: float = 0.0
    squares: float = 0.0
    roles: dict[str, list[float]] = field(default_factory=dict)  # role -> [sum, count] of known scores
    unknown_roles: dict[str, int] = field(default_factory=dict)  # role -> "don't know" answers
    tally: dict[str, int] = field(default_factory=dict)
    status: dict[Status, int] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    to_answer_by: list[str] = field(default_factory=list)
    unknown_by: list[str] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)

    def add(self, response: _Response, respondent: str | None, role: str, answer: Answer | None) -> None:
        self.status[response.status] = self.status.get(response.status, 0) + 1
        label = response.answer if response.answer is not None else STATUS_LABELS[response.status]
        self.tally[label] = self.tally.get(label, 0) + 1
        if response.score is not None:
            self.score_sum += response.score
            self.scored += 1
        if response.status == "unknown":
            self.unknown_roles[role] = self.unknown_roles.get(role, 0) + 1
        elif response.score is not None:
            self._measure(response.score, role)
        if respondent is not None:  # an anonymous report keeps counts only (see `counts`)
            if response.status in ("skipped", "unanswered"):
                self.to_answer_by.append(respondent)
            elif response.status == "unknown":
                self.unknown_by.append(respondent)
        if answer is not None:
            if answer.note:
                self.notes.append(Note(respondent, answer.note))
            if answer.asked and response.status != "off":
                self.asked.add(answer.asked)

    def _measure(self, value: float, role: str) -> None:
        """A known score (not "don't know": a data gap, not a perception) in spread and role means."""
        self.measured += 1
        self.low = min(self.low, value)
        self.high = max(self.high, value)
        delta = value - self.running_mean
        self.running_mean += delta / self.measured
        self.squares += delta * (value - self.running_mean)
        role_total = self.roles.setdefault(role, [0.0, 0])
        role_total[0] += value
        role_total[1] += 1

    def counts(self) -> Counts:
        get = self.status.get
        return Counts(
            get("answered", 0), get("na", 0), get("unknown", 0), get("skipped", 0), get("unanswered", 0), get("off", 0)
        )

    def mean(self) -> float | None:
        return _clamp(self.score_sum / self.scored) if self.scored else None

    def stdev(self) -> float | None:
        return math.sqrt(max(self.squares, 0.0) / self.measured) if self.measured > 1 else None

    def role_means(self) -> tuple[RoleMean, ...]:
        return tuple(RoleMean(role, _clamp(total / n), int(n)) for role, (total, n) in sorted(self.roles.items()))

    def answer(self, respondents: int) -> str:
        """The answer in words: the one answer, or a tally such as "Yes \u00d72, No \u00d71".

        A long tally (many different figures or texts) keeps its most common answers and
        says how many others there were; the full tally stays in `QuestionScore.tally`.
        """
        if respondents == 1 and len(self.tally) == 1:
            return next(iter(self.tally))
        items = list(self.tally.items())
        if len(items) > TALLY_SHOWN:
            common = sorted(items, key=lambda item: -item[1])[: TALLY_SHOWN - 1]
            rest = sum(self.tally.values()) - sum(n for _, n in common)
            shown_items = ", ".join(f"{label} \u00d7{n}" for label, n in common)
            return f"{shown_items}, {rest} other answers"
        return ", ".join(f"{label} \u00d7{n}" for label, n in items)


def _clamp(score: float) -> float:
    # sums of floats can stray past the bounds by an ulp; a percentage never does
    return min(100.0, max(0.0, score))


def _no_answers(_: str) -> None:
    """The answers is_asked looks at for a question without a `when`: none (it looks at none)."""
    return None


def _respondent_label(file: AnswerFile, index: int) -> str:
    return file.respondent.name or f"Respondent {index + 1}"


class Aggregate:
    """The running totals of one audit's answer files (one checklist, organisation and audit).

    `add` takes one answer file at a time and keeps only sums, counts and notes; `scorecard`
    turns the totals into a Scorecard whenever asked. With `lenient`, answers that do not fit
    the checklist as it is now (a question since removed, a value the question no longer
    accepts) are left out and listed instead of refused: how an earlier audit is read against
    today's checklist. With `anonymous`, no respondent name or file name is kept.
    """

    def __init__(
        self,
        checklist: Checklist,
        *,
        anonymous: bool = False,
        lenient: bool = False,
        gap_threshold: float = GAP_THRESHOLD,
        responses: Responses | None = None,
    ) -> None:
        """`responses`: shared by the audits scored against this same checklist object (each adds to it)."""
        self.checklist = checklist
        self.anonymous = anonymous
        self.lenient = lenient
        self.gap_threshold = gap_threshold
        self._questions = list(checklist.questions.values())
        self._totals = {q.id: _Totals() for q in self._questions}
        self._conditional = any(q.when is not None for q in self._questions)
        self._asked_of: dict[str, tuple[bool | None, ...]] = {}
        """Per role, whether each question without a `when` is asked of it (None: it has one, decided per file)."""
        self._respondents: list[RespondentInfo] = []
        self._versions: set[str] = set()
        self._unknown: set[str] = set()
        self._misfits: set[str] = set()
        self._responses: Responses = {} if responses is None else responses
        self._asked: frozenset[str] | None = frozenset()
        """The questions some answer file asked (`questions:`); None once a file asked every question."""
        self._claims = Claims(checklist)
        self.organisation: str | None = None
        self.audit: str | None = None
        self.completed = 0
        """How many of the files added record a completed audit."""

    @property
    def files(self) -> int:
        """How many answer files were added."""
        return len(self._respondents)

    def add(self, file: AnswerFile, source: str | None = None) -> None:
        """Add one respondent's answers; UsageError if they belong to another audit or checklist."""
        audit = audit_label(file)
        if self.organisation is None:
            self.organisation, self.audit = file.organisation, audit
        elif file.organisation != self.organisation:
            raise UsageError(f"answers of two organisations: '{self.organisation}' and '{file.organisation}'")
        elif audit != self.audit:
            raise UsageError(f"answers of two audits: '{self.audit}' and '{audit}'")
        checklist = self.checklist
        if file.checklist.id != checklist.id:
            raise UsageError(f"answers to checklist '{file.checklist.id}' cannot be scored against '{checklist.id}'")
        if file.checklist.version is not None:
            self._versions.add(file.checklist.version)
        if file.completed is not None:
            self.completed += 1
        index = len(self._respondents)
        role = file.respondent.role
        label = None if self.anonymous else _respondent_label(file, index)
        self._respondents.append(
            RespondentInfo(
                label, role, file.started, file.completed, None if self.anonymous else source, *_amended(file)
            )
        )
        answers = file.answers
        self._unknown.update(qid for qid in answers if qid not in self._totals)
        values = {qid: a.value for qid, a in answers.items()} if self._conditional else {}
        scope = asked_scope(file)
        self._asked = None if scope is None or self._asked is None else self._asked | scope
        # who is asked a question without a `when` depends on the role alone (and the scope): decided once per role
        asked_of = self._asked_by_role(role) if scope is None else (None,) * len(self._questions)
        for question, totals, asked in zip(self._questions, self._totals.values(), asked_of, strict=True):
            answer = answers.get(question.id)
            if asked is None:
                asked = is_asked(checklist, question, values.get, role, scope=scope)
            if not asked:
                response = _OFF
            elif answer is None or answer.value is None:
                response = _response(checklist, question, answer)
            else:
                scored = self._responses.get((question.id, answer.value)) or self._score(question, answer)
                if isinstance(scored, str):
                    if not self.lenient:
                        raise InvalidInputError(scored, code="CC203")
                    self._misfits.add(question.id)
                    continue
                response = scored
            totals.add(response, label, role, answer)
        self._add_claims(file, role, label)

    def _asked_by_role(self, role: str) -> tuple[bool | None, ...]:
        flags = self._asked_of.get(role)
        if flags is None:
            flags = self._asked_of[role] = tuple(
                None if q.when is not None else is_asked(self.checklist, q, _no_answers, role) for q in self._questions
            )
        return flags

    def _score(self, question: Question, answer: Answer) -> _Response | str:
        """The response to an answer value, or why it does not fit, worked out once per question and value."""
        assert answer.value is not None
        try:
            got: _Response | str = _response(self.checklist, question, answer)
        except InvalidInputError as exc:
            got = exc.message
        self._responses[question.id, answer.value] = got
        return got

    def _add_claims(self, file: AnswerFile, role: str, label: str | None) -> None:
        """The claims, evidence and recommendation answers of one file (values that do not fit are left out)."""
        claims = self._claims
        if not claims.questions:
            return
        questions = self.checklist.questions
        given = {qid: (a.value, a.note) for qid, a in file.answers.items()}
        for qid in claims.questions & given.keys():
            if not fitting(self.checklist, questions[qid], given[qid][0]):
                del given[qid]
        claims.add(given, role, label)

    def scorecard(self) -> Scorecard:
        """The Scorecard of the answers added so far; UsageError when there are none."""
        if self.organisation is None:
            raise UsageError("no answer files to score")
        checklist = self.checklist
        notes = tuple(
            f"Some answers were given to version {v} of the checklist; it is now version {checklist.version}."
            for v in sorted(self._versions - {checklist.version})
        )
        respondents = tuple(self._respondents)
        if self.anonymous:  # file order follows names; keep neither
            respondents = tuple(sorted(respondents, key=lambda r: r.role))
        totals = dict(self._totals)
        if self.lenient and self._versions and checklist.version not in self._versions:
            totals = {qid: _not_in_version(t) for qid, t in totals.items()}
        for qid in self._misfits:  # its answer scale changed: none of its answers is comparable
            totals[qid] = _Totals(status={"off": self.files}, tally={STATUS_LABELS["off"]: self.files})
        card = _scorecard(
            checklist, totals, respondents, self.organisation, self.audit, notes, self.anonymous, self._claims.choices()
        )
        return replace(
            card,
            perception_gaps=_perception_gaps(card, self.gap_threshold),
            gap_threshold=self.gap_threshold,
            anonymous=self.anonymous,
            versions=tuple(sorted(self._versions)),
            unknown_questions=tuple(sorted(self._unknown)),
            misfits=tuple(q.id for q in self._questions if q.id in self._misfits),
            asked_questions=_asked_questions(self._questions, self._asked),
            claims=self._claims.claims(),
            unevidenced=self._claims.unevidenced(),
        )


def _asked_questions(questions: Sequence[Question], asked: frozenset[str] | None) -> int | None:
    """How many of the questions the answer files asked, when they asked only some (`questions:`)."""
    if asked is None:
        return None
    count = sum(q.id in asked for q in questions)
    return None if count == len(questions) else count


def _not_in_version(totals: _Totals) -> _Totals:
    """A question nobody answered in an audit of another checklist version was not asked then
    (it is new since): its "unanswered" are "not asked", so the audit is not a draft for it."""
    if set(totals.status) != {"unanswered"} or totals.notes:
        return totals
    label = STATUS_LABELS["off"]
    return replace(totals, status={"off": totals.status["unanswered"]}, tally={label: totals.status["unanswered"]})


def score(
    checklist: Checklist,
    answer_files: Iterable[AnswerFile],
    *,
    sources: Sequence[str] | None = None,
    anonymous: bool = False,
    gap_threshold: float = GAP_THRESHOLD,
) -> Scorecard:
    """Score answer files of one checklist, one organisation and one audit into a Scorecard.

    Several files (respondents) are aggregated: a question's score is the mean over the
    respondents that scored it. `sources[i]` names the i-th file for the report's record; it
    is read after that file is taken, so a stream of files may fill it as it goes.
    """
    aggregate = Aggregate(checklist, anonymous=anonymous, gap_threshold=gap_threshold)
    for index, file in enumerate(answer_files):
        source = sources[index] if sources is not None and index < len(sources) else None
        aggregate.add(file, source)
    return aggregate.scorecard()


def _spread_of(means: Sequence[RoleMean]) -> float | None:
    return max(m.score for m in means) - min(m.score for m in means) if len(means) > 1 else None


def _weighted_role_means(parts: Sequence[tuple[float, tuple[RoleMean, ...]]]) -> tuple[RoleMean, ...]:
    """Role means of a whole from its parts' role means: per role, the weighted mean over the parts it scored."""
    sums: dict[str, list[float]] = {}
    people: dict[str, int] = {}
    for weight, means in parts:
        for m in means:
            total = sums.setdefault(m.role, [0.0, 0.0])
            total[0] += weight * m.score
            total[1] += weight
            people[m.role] = max(people.get(m.role, 0), m.respondents)
    return tuple(RoleMean(role, _clamp(s / w), people[role]) for role, (s, w) in sorted(sums.items()))


def _perception_gaps(card: Scorecard, threshold: float) -> tuple[PerceptionGap, ...]:
    """Sections and questions whose role means differ by `threshold` or more (as shown), widest first."""
    gaps: list[PerceptionGap] = []
    for s in card.sections:
        if s.perception_gap is not None and shown(s.perception_gap) >= threshold:
            gaps.append(_perception_gap("section", s.id, s.title, s, False, s.role_means, s.perception_gap))
        for q in s.questions:
            if q.perception_gap is not None and shown(q.perception_gap) >= threshold:
                gaps.append(_perception_gap("question", q.id, q.text, s, q.critical, q.role_means, q.perception_gap))
    # stable: equal gaps keep sections before their questions, in checklist order
    return tuple(sorted(gaps, key=lambda g: -round(g.gap, 9)))


def _perception_gap(
    kind: Literal["section", "question"],
    id_: str,
    title: str,
    section: SectionScore,
    critical: bool,
    means: tuple[RoleMean, ...],
    gap: float,
) -> PerceptionGap:
    low = min(means, key=lambda m: m.score)
    high = max(means, key=lambda m: m.score)
    return PerceptionGap(kind, id_, title, section.id, section.title, critical, gap, low, high, means)


def _scorecard(
    checklist: Checklist,
    totals: dict[str, _Totals],
    respondents: tuple[RespondentInfo, ...],
    organisation: str,
    audit: str | None,
    notes: tuple[str, ...],
    anonymous: bool = False,
    choices: dict[str, str] | None = None,
) -> Scorecard:
    # first pass: question and section scores; the gains need the section and overall sums
    means = {qid: t.mean() for qid, t in totals.items()}
    section_weight_sums: dict[str, float] = {}
    section_scores: dict[str, float | None] = {}
    for section in checklist.sections:
        scored = [(q.weight, means[q.id]) for q in section.questions if means[q.id] is not None]
        weight_sum = sum(w for w, _ in scored)
        section_weight_sums[section.id] = weight_sum
        section_scores[section.id] = (
            _clamp(sum(w * s for w, s in scored if s is not None) / weight_sum) if scored else None
        )
    scored_sections = [(s.weight, section_scores[s.id]) for s in checklist.sections if section_scores[s.id] is not None]
    overall_weight = sum(w for w, _ in scored_sections)
    overall = (
        _clamp(sum(w * s for w, s in scored_sections if s is not None) / overall_weight) if scored_sections else None
    )

    sections: list[SectionScore] = []
    for section in checklist.sections:
        qscores: list[QuestionScore] = []
        for question in section.questions:
            t = totals[question.id]
            mean = means[question.id]
            gain = priority = None
            if mean is not None:
                share = question.weight / section_weight_sums[section.id] * section.weight / overall_weight
                gain = (100.0 - mean) * share
                factor = CRITICAL_FACTOR if question.critical else 1.0
                priority = gain * factor / EFFORT_COST[question.effort]
            role_means = t.role_means()
            qscores.append(
                QuestionScore(
                    id=question.id,
                    section=section.id,
                    section_title=section.title,
                    text=question.text,
                    kind=_kind(question),
                    weight=question.weight,
                    critical=question.critical,
                    effort=question.effort,
                    recommendation=recommendation_for(question, (choices or {}).get(question.id)),
                    target=question.target,
                    score=mean,
                    answer=t.answer(len(respondents)),
                    tally=tuple(Tally(label, n) for label, n in t.tally.items()),
                    counts=t.counts(),
                    scored_by=t.scored,
                    spread=t.high - t.low if t.measured > 1 else None,
                    role_means=role_means,
                    gain=gain,
                    priority=priority,
                    gap=_gap(question.target, mean),
                    # anonymous notes in the order of their text: the file order would follow the names
                    notes=tuple(sorted(t.notes, key=lambda n: n.text)) if anonymous else tuple(t.notes),
                    to_answer_by=tuple(t.to_answer_by),
                    unknown_by=tuple(t.unknown_by),
                    low=t.low if t.measured else None,
                    high=t.high if t.measured else None,
                    stdev=t.stdev(),
                    perception_gap=_spread_of(role_means),
                    text_hash=question.text_hash,
                    asked=tuple(sorted(t.asked)),
                    measured_by=t.measured,
                    unknown_roles=tuple(sorted(t.unknown_roles.items())),
                    measures=question.measures,
                    critical_below=checklist.critical_below,
                )
            )
        counts = sum((q.counts for q in qscores), Counts())
        section_roles = _weighted_role_means([(q.weight, q.role_means) for q in qscores])
        sections.append(
            SectionScore(
                id=section.id,
                title=section.title,
                description=section.description,
                weight=section.weight,
                target=section.target,
                score=section_scores[section.id],
                gap=_gap(section.target, section_scores[section.id]),
                questions=tuple(qscores),
                counts=counts,
                role_means=section_roles,
                perception_gap=_spread_of(section_roles),
            )
        )
    every = [q for s in sections for q in s.questions]
    actions = _action_plan(every)
    critical_failures = tuple(q for q in every if q.critical_failure)
    to_answer = tuple(q for q in every if q.counts.to_answer)
    bands = tuple(Band(b.min, b.label) for b in checklist.bands or ())
    rating = None
    if overall is not None:
        rating = _rating(
            overall,
            bands,
            checklist.critical_cap,
            capped=bool(critical_failures),
            provisional=any(q.critical for q in to_answer),
        )
    return Scorecard(
        checklist=ChecklistInfo(
            id=checklist.id,
            title=checklist.title,
            version=checklist.version,
            description=checklist.description,
            bands=bands,
            critical_cap=checklist.critical_cap,
            questions=len(every),
            critical_below=checklist.critical_below,
        ),
        organisation=organisation,
        audit=audit,
        respondents=respondents,
        overall=overall,
        rating=rating,
        sections=tuple(sections),
        actions=actions,
        critical_failures=critical_failures,
        to_answer=to_answer,
        data_gaps=tuple(q for q in every if q.counts.unknown),
        counts=sum((s.counts for s in sections), Counts()),
        draft=bool(to_answer),
        notes=notes,
        role_means=_weighted_role_means([(s.weight, s.role_means) for s in sections]),
        role_data_gaps=_role_data_gaps(every, respondents),
        practice_score=part_score(checklist, means, "practice"),
        results_score=part_score(checklist, means, "result"),
    )


def part_score(checklist: Checklist, means: dict[str, float | None], part: str) -> float | None:
    """The overall score's weighting restricted to the questions that measure `part` (practice or result).

    Each section scores the weighted mean of its scored questions of that part; the sections with
    any are weighted as in the overall score. None when no such question is scored.
    """
    sections: list[tuple[float, float]] = []
    for section in checklist.sections:
        scored = [(q.weight, s) for q in section.questions if q.measures == part and (s := means[q.id]) is not None]
        if scored:
            sections.append((section.weight, sum(w * s for w, s in scored) / sum(w for w, _ in scored)))
    if not sections:
        return None
    return _clamp(sum(w * s for w, s in sections) / sum(w for w, _ in sections))


def _role_data_gaps(
    questions: Sequence[QuestionScore], respondents: Sequence[RespondentInfo]
) -> tuple[RoleDataGaps, ...]:
    """Per role, its "don't know" answers and the questions they fall on."""
    answers: dict[str, int] = {}
    questions_of: dict[str, int] = {}
    for q in questions:
        for role, n in q.unknown_roles:
            answers[role] = answers.get(role, 0) + n
            questions_of[role] = questions_of.get(role, 0) + 1
    people: dict[str, int] = {}
    for r in respondents:
        people[r.role] = people.get(r.role, 0) + 1
    return tuple(RoleDataGaps(role, answers[role], questions_of[role], people.get(role, 0)) for role in sorted(answers))


def _gap(target: float | None, score: float | None) -> float | None:
    return None if target is None or score is None else target - score


def priority_key(question: QuestionScore) -> float:
    """The ranking key, rounded so that mathematically equal priorities tie (checklist order)."""
    return round(question.priority or 0.0, 9)


def _action_plan(questions: list[QuestionScore]) -> tuple[QuestionScore, ...]:
    candidates = [q for q in questions if q.score is not None and q.score < 100.0 - _EPSILON]
    # sorted() is stable, so equal priorities keep checklist order
    return tuple(sorted(candidates, key=lambda q: -priority_key(q)))


def _rating(overall: float, bands: tuple[Band, ...], cap: str | None, *, capped: bool, provisional: bool) -> Rating:
    ordered = sorted(bands, key=lambda b: b.min, reverse=True)
    value = shown(overall)
    reached = next((b for b in ordered if b.min <= value), None)
    band = reached.label if reached is not None else "Unrated"
    label = band
    applied = False
    if capped and cap is not None and reached is not None:
        rank = {b.label: i for i, b in enumerate(ordered)}
        if cap in rank and rank[band] < rank[cap]:
            label, applied = cap, True
    return Rating(label=label, band=band, capped=applied, provisional=provisional)
