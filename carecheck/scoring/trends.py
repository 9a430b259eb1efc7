"""Audits over time, pure: what changed since a baseline audit, and the history of an organisation.

`compare(current, baseline, earlier)` matches questions and sections by id between two
Scorecards of one checklist and one organisation and says what moved: the change in score of
each section and question, gaps to target closed and opened, critical questions that
recovered or fell. A checklist that changed between the audits is handled by id: questions
added since the baseline and questions since removed are listed, never scored as changes;
a question whose wording changed (the `asked:` hashes kept with the answers differ) is
flagged and still compared. Everything here is computed from Scorecards; nothing reads a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from carecheck.errors import UsageError
from carecheck.scoring.score import QuestionScore, Scorecard, SectionScore, shown

CHANGES_SHOWN = 8
"""How many most-improved and most-declined questions the documents list (JSON holds all)."""
SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


@dataclass(frozen=True)
class SectionPoint:
    id: str
    title: str
    score: float | None


@dataclass(frozen=True)
class AuditPoint:
    """One audit in a trend: when, how many answered, and its scores."""

    audit: str | None
    date: datetime | None
    respondents: int
    completed: int
    """How many of its answer files record a completed audit."""
    overall: float | None
    rating: str | None
    draft: bool
    sections: tuple[SectionPoint, ...]

    @classmethod
    def of(cls, card: Scorecard) -> AuditPoint:
        """The point a Scorecard makes in a trend."""
        return cls(
            audit=card.audit,
            date=card.date,
            respondents=len(card.respondents),
            completed=sum(r.completed is not None for r in card.respondents),
            overall=card.overall,
            rating=card.rating.label if card.rating else None,
            draft=card.draft,
            sections=tuple(SectionPoint(s.id, s.title, s.score) for s in card.sections),
        )

    @property
    def label(self) -> str:
        return self.audit or (self.date.strftime("%Y-%m-%d") if self.date else "unlabelled")

    def section(self, sid: str) -> float | None:
        return next((s.score for s in self.sections if s.id == sid), None)


def difference(after: float | None, before: float | None) -> float | None:
    """after - before as the reader sees it: the difference of the shown (one-decimal) scores."""
    return None if after is None or before is None else round(shown(after) - shown(before), 1)


@dataclass(frozen=True)
class ScoreChange:
    """A section or question in both audits: its score before and after."""

    kind: Literal["section", "question"]
    id: str
    title: str
    """The section's title or the question's text (as worded now)."""
    section: str
    section_title: str
    critical: bool
    before: float | None
    after: float | None
    change: float | None
    """after - before of the shown scores; None unless scored in both audits."""
    target: float | None
    """The target a gap is measured against: the question's own, else its section's."""
    gap: Literal["closed", "opened"] | None
    """closed: below target before, at or above it now; opened: the reverse."""
    critical_change: Literal["recovered", "fell"] | None
    """A critical question that rose to its `critical_below` or more (recovered) or dropped below it (fell)."""
    reworded: bool
    """The question's wording differs from the one the baseline answered: compare with care."""


@dataclass(frozen=True)
class QuestionRef:
    id: str
    text: str
    section_title: str


@dataclass(frozen=True)
class LikeForLike:
    """The change among the respondents who answered both audits, when the respondents differ.

    People are matched as grouping matches them (the name, spacing and case ignored); an unnamed
    respondent cannot be matched, so counts as joined or left."""

    respondents: int
    """Respondents who answered both audits."""
    joined: int
    """Respondents of the audit reported who did not answer the baseline."""
    left: int
    """Respondents of the baseline who did not answer the audit reported."""
    before: float | None
    """The baseline's overall score from those who answered both alone; None when nobody did."""
    after: float | None
    """The overall score now from those who answered both alone."""
    change: float | None
    """after - before of the shown scores."""


def like_for_like(
    now: Scorecard | None, then: Scorecard | None, *, respondents: int, joined: int, left: int
) -> LikeForLike:
    """The like-for-like change: `now` and `then` score only the respondents who answered both (None: nobody did)."""
    before = then.overall if then is not None else None
    after = now.overall if now is not None else None
    return LikeForLike(respondents, joined, left, before, after, difference(after, before))


@dataclass(frozen=True)
class Comparison:
    """What changed between a baseline audit and the audit reported."""

    baseline: AuditPoint
    current: AuditPoint
    overall_before: float | None
    overall_after: float | None
    overall_change: float | None
    rating_before: str | None
    rating_after: str | None
    sections: tuple[ScoreChange, ...]
    questions: tuple[ScoreChange, ...]
    """Every question of the checklist that the baseline also had, in checklist order."""
    added: tuple[QuestionRef, ...]
    """Questions new since the baseline (nobody answered them then, and the checklist version differs)."""
    removed: tuple[str, ...]
    """Ids the baseline answered that the checklist no longer has."""
    misfits: tuple[QuestionRef, ...]
    """Questions whose baseline answers no longer fit their answer scale (left out of the baseline)."""
    trend: tuple[AuditPoint, ...]
    """Every earlier audit found, then this one, oldest first."""
    like_for_like: LikeForLike | None = None
    """Set when the respondents of the two audits differ: the change among those who answered both."""
    asked_before: int | None = None
    """How many questions the baseline asked, when it asked only some (`Scorecard.asked_questions`)."""
    asked_after: int | None = None
    """How many questions the audit reported asked, when it asked only some."""

    @property
    def questions_differ(self) -> bool:
        """The audits asked different numbers of the questions: their overall scores rest on different ones."""
        return self.asked_before != self.asked_after

    @property
    def respondents_differ(self) -> bool:
        return self.like_for_like is not None

    @property
    def improved(self) -> tuple[ScoreChange, ...]:
        """Questions whose score rose, most first."""
        return tuple(sorted((q for q in self.questions if (q.change or 0) > 0), key=lambda q: -(q.change or 0)))

    @property
    def declined(self) -> tuple[ScoreChange, ...]:
        """Questions whose score fell, most first."""
        return tuple(sorted((q for q in self.questions if (q.change or 0) < 0), key=lambda q: q.change or 0))

    @property
    def unchanged(self) -> int:
        return sum(q.change == 0 for q in self.questions)

    @property
    def gaps_closed(self) -> tuple[ScoreChange, ...]:
        return tuple(c for c in (*self.sections, *self.questions) if c.gap == "closed")

    @property
    def gaps_opened(self) -> tuple[ScoreChange, ...]:
        return tuple(c for c in (*self.sections, *self.questions) if c.gap == "opened")

    @property
    def critical_recovered(self) -> tuple[ScoreChange, ...]:
        return tuple(q for q in self.questions if q.critical_change == "recovered")

    @property
    def critical_fell(self) -> tuple[ScoreChange, ...]:
        return tuple(q for q in self.questions if q.critical_change == "fell")

    @property
    def reworded(self) -> tuple[ScoreChange, ...]:
        return tuple(q for q in self.questions if q.reworded)


def compare(current: Scorecard, baseline: Scorecard, earlier: Sequence[AuditPoint] = ()) -> Comparison:
    """What changed from `baseline` to `current` (same checklist id and organisation).

    `earlier` are the points of every earlier audit for the trend (oldest first; the
    baseline's own point is added if missing). UsageError when the two are not comparable.
    """
    if current.checklist.id != baseline.checklist.id:
        raise UsageError(
            f"the baseline answers checklist '{baseline.checklist.id}' and the report checklist "
            f"'{current.checklist.id}': a baseline must be an earlier audit of the same checklist"
        )
    if current.organisation != baseline.organisation:
        raise UsageError(
            f"the baseline is an audit of '{baseline.organisation}', the report of '{current.organisation}': "
            "a baseline must be an earlier audit of the same organisation"
        )
    base_questions = {q.id: q for q in baseline.questions}
    # the baseline answered another version of the checklist: a question nobody answered then is new
    other_version = bool(baseline.versions) and current.checklist.version not in baseline.versions
    questions: list[ScoreChange] = []
    added: list[QuestionRef] = []
    misfits = set(baseline.misfits)
    for s in current.sections:
        for q in s.questions:
            then = base_questions.get(q.id)
            if q.id in misfits:
                continue
            if then is None or (other_version and _never_answered(then)):
                added.append(QuestionRef(q.id, q.text, s.title))
                continue
            questions.append(_question_change(q, then, s))
    base_sections = {s.id: s for s in baseline.sections}
    sections = tuple(_section_change(s, base_sections.get(s.id)) for s in current.sections)
    this = AuditPoint.of(current)
    base_point = AuditPoint.of(baseline)
    trend = list(earlier)
    if not any(p.audit == base_point.audit for p in trend):
        trend.append(base_point)
    trend.append(this)
    return Comparison(
        baseline=base_point,
        current=this,
        overall_before=baseline.overall,
        overall_after=current.overall,
        overall_change=difference(current.overall, baseline.overall),
        rating_before=baseline.rating.label if baseline.rating else None,
        rating_after=current.rating.label if current.rating else None,
        sections=sections,
        questions=tuple(questions),
        added=tuple(added),
        removed=baseline.unknown_questions,
        misfits=tuple(QuestionRef(q.id, q.text, q.section_title) for q in current.questions if q.id in misfits),
        trend=tuple(trend),
        asked_before=baseline.asked_questions,
        asked_after=current.asked_questions,
    )


def _never_answered(q: QuestionScore) -> bool:
    """No respondent of the audit wrote anything for the question (not even na or skipped)."""
    c = q.counts
    return c.answered == c.na == c.unknown == c.skipped == 0 and not q.notes


def _section_change(now: SectionScore, then: SectionScore | None) -> ScoreChange:
    before = then.score if then is not None else None
    return ScoreChange(
        kind="section",
        id=now.id,
        title=now.title,
        section=now.id,
        section_title=now.title,
        critical=False,
        before=before,
        after=now.score,
        change=difference(now.score, before),
        target=now.target,
        gap=_gap_change(before, now.score, now.target),
        critical_change=None,
        reworded=False,
    )


def _question_change(now: QuestionScore, then: QuestionScore, section: SectionScore) -> ScoreChange:
    target = now.target if now.target is not None else section.target
    critical_change: Literal["recovered", "fell"] | None = None
    if now.critical and now.score is not None and then.score is not None:
        was_failing, is_failing = shown(then.score) < then.critical_below, shown(now.score) < now.critical_below
        if was_failing and not is_failing:
            critical_change = "recovered"
        elif is_failing and not was_failing:
            critical_change = "fell"
    # the wording now: what the current answers record, else the checklist's own
    wording_now = set(now.asked) or {now.text_hash}
    return ScoreChange(
        kind="question",
        id=now.id,
        title=now.text,
        section=section.id,
        section_title=section.title,
        critical=now.critical,
        before=then.score,
        after=now.score,
        change=difference(now.score, then.score),
        target=target,
        gap=_gap_change(then.score, now.score, target),
        critical_change=critical_change,
        reworded=bool(set(then.asked) - wording_now),
    )


def _gap_change(before: float | None, after: float | None, target: float | None) -> Literal["closed", "opened"] | None:
    if before is None or after is None or target is None:
        return None
    was_below, is_below = shown(before) < target, shown(after) < target
    if was_below and not is_below:
        return "closed"
    if is_below and not was_below:
        return "opened"
    return None


def sparkline(scores: Sequence[float | None]) -> str:
    """Scores 0..100 as a line of block characters (a space where there is no score)."""
    cells = []
    for value in scores:
        if value is None:
            cells.append(" ")
        else:
            cells.append(SPARK[min(len(SPARK) - 1, int(value / 100 * len(SPARK)))])
    return "".join(cells)


# ---------------------------------------------------------------------------------------------------
# History: every audit of an organisation and checklist


@dataclass(frozen=True)
class HistoryEntry:
    """One audit in a history, with the change from the audit before it."""

    point: AuditPoint
    change: float | None
    """Overall score minus the previous audit's (shown scores); None for the first or without scores."""


@dataclass(frozen=True)
class SectionTrend:
    """A section over the audits of a history: its score in each and the change from the one before."""

    id: str
    title: str
    scores: tuple[float | None, ...]
    changes: tuple[float | None, ...]
    sparkline: str


@dataclass(frozen=True)
class Series:
    """The audits of one organisation with one checklist, oldest first."""

    organisation: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    entries: tuple[HistoryEntry, ...]
    sections: tuple[SectionTrend, ...]
    sparkline: str
    """The overall scores as a sparkline."""
    notes: tuple[str, ...]
    """Remarks: answers left out because the checklist changed since."""

    @classmethod
    def of(cls, organisation: str, cards: Sequence[Scorecard]) -> Series:
        """The series of an organisation's Scorecards of one checklist, given oldest first."""
        points = [AuditPoint.of(c) for c in cards]
        entries = tuple(
            HistoryEntry(p, difference(p.overall, points[i - 1].overall) if i else None) for i, p in enumerate(points)
        )
        sections = []
        for s in cards[-1].sections:
            scores = tuple(p.section(s.id) for p in points)
            changes = tuple(difference(v, scores[i - 1]) if i else None for i, v in enumerate(scores))
            sections.append(SectionTrend(s.id, s.title, scores, changes, sparkline(scores)))
        notes: list[str] = []
        for card in cards:
            left_out = [*card.unknown_questions, *card.misfits]
            if left_out:
                notes.append(
                    f"{card.audit or 'An unlabelled audit'}: answers to {len(left_out)} question"
                    f"{'s' * (len(left_out) != 1)} that the checklist no longer has or that no longer fit it "
                    f"are left out ({', '.join(left_out)})."
                )
        last = cards[-1].checklist
        return cls(
            organisation=organisation,
            checklist_id=last.id,
            checklist_title=last.title,
            checklist_version=last.version,
            entries=entries,
            sections=tuple(sections),
            sparkline=sparkline([p.overall for p in points]),
            notes=tuple(notes),
        )


@dataclass(frozen=True)
class History:
    """Every audit found in a folder, per organisation and checklist."""

    folder: str
    series: tuple[Series, ...]
