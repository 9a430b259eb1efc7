"""The report as advice: the executive page's sentences, strengths and roadmap, picked from a Scorecard.

Nothing here computes a score. It reads the scorer's numbers, compares them with their targets and
words them for a client: a score against its target (met, near, far), the roadmap's horizons, the
summary's plain sentences. The templates of every document format show what this returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from carecheck.scoring.score import Band, Note, PerceptionGap, QuestionScore, Scorecard, SectionScore, shown
from carecheck.scoring.trends import Comparison

TOP_ACTIONS = 7
"""How many actions the roadmap holds unless `report --top N` says otherwise."""
NEAR = 10.0
"""A score this many points (or fewer) below its target is "near" it; further below is "far"."""
DO_NOW = 3
"""How many roadmap actions the executive page names as the things to do now."""
STRENGTHS = 4
"""How many strengths the executive page names."""
EVIDENCE = 2
"""How many notes back each strength."""

Status = Literal["met", "near", "far", "none"]
STATUS_WORDS: dict[str, str] = {
    "met": "target met",
    "near": "near target",
    "far": "far below target",
    "none": "no target",
}
STATUS_MARKS: dict[str, str] = {"met": "\u25cf", "near": "\u25d0", "far": "\u25cb", "none": ""}
"""The shape beside a score against its target (met filled, near half, far empty), so that colour is never
the only signal."""

Horizon = Literal["quick", "next", "strategic"]
HORIZONS: tuple[tuple[Horizon, str, str], ...] = (
    ("quick", "Quick wins", "next 30 days"),
    ("next", "Next", "within 90 days"),
    ("strategic", "Strategic", "this year"),
)


def status(score: float | None, target: float | None) -> Status:
    """A score against its target, as the reader sees both (one decimal)."""
    if score is None or target is None:
        return "none"
    short = round(target, 1) - shown(score)
    if short <= 0:
        return "met"
    return "near" if short <= NEAR else "far"


def target_of(q: QuestionScore, card: Scorecard) -> float | None:
    """The target a question is held to: its own, else its section's."""
    return q.target if q.target is not None else card.section(q.section).target


def question_status(q: QuestionScore, card: Scorecard) -> Status:
    return status(q.score, target_of(q, card))


def horizon(q: QuestionScore) -> Horizon:
    """When an action belongs on the roadmap: low effort is a quick win, high effort strategic; a
    medium-effort action that would add little (under a point) waits for the strategic round."""
    if q.effort == "low":
        return "quick"
    if q.effort == "high" or (q.gain is not None and q.gain < 1.0):
        return "strategic"
    return "next"


@dataclass(frozen=True)
class Step:
    """One action of the roadmap: the question, its rank, its horizon and how far it is from target."""

    rank: int
    question: QuestionScore
    horizon: Horizon
    status: Status
    target: float | None


@dataclass(frozen=True)
class Stage:
    """One horizon of the roadmap and its actions, in rank order."""

    key: Horizon
    title: str
    when: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Roadmap:
    steps: tuple[Step, ...]
    """The top actions in rank order (the scorer's priority)."""
    stages: tuple[Stage, ...]
    """The same actions grouped by horizon (empty horizons left out)."""
    left_out: int
    """Actions below target beyond the cap (the CSV and JSON list them)."""
    at_target: int
    """Questions below full score but at or above their target: never on the roadmap."""


def roadmap(card: Scorecard, top: int | None = None) -> Roadmap:
    """The top actions (TOP_ACTIONS unless `top`), questions at or above their target left out."""
    cap = TOP_ACTIONS if top is None else top
    open_ = [q for q in card.actions if question_status(q, card) != "met"]
    steps = tuple(
        Step(rank, q, horizon(q), question_status(q, card), target_of(q, card)) for rank, q in enumerate(open_[:cap], 1)
    )
    stages = tuple(
        Stage(key, title, when, tuple(s for s in steps if s.horizon == key))
        for key, title, when in HORIZONS
        if any(s.horizon == key for s in steps)
    )
    return Roadmap(steps, stages, max(len(open_) - cap, 0), len(card.actions) - len(open_))


@dataclass(frozen=True)
class Strength:
    """Something done well: a question at or above its target, and what respondents said about it."""

    question: QuestionScore
    evidence: tuple[Note, ...]


def strengths(card: Scorecard, limit: int = STRENGTHS) -> tuple[Strength, ...]:
    """The best-scoring questions that meet their target (or score 75 or more without one), those with
    evidence first among equals; each with up to EVIDENCE notes."""
    good = [
        q
        for q in card.questions
        if q.score is not None
        and q.kind != "text"
        and (question_status(q, card) == "met" or (target_of(q, card) is None and shown(q.score) >= 75))
    ]
    good.sort(key=lambda q: (-shown(q.score or 0), not q.notes, q.critical is False))
    return tuple(Strength(q, q.notes[:EVIDENCE]) for q in good[:limit])


def band_of(score: float | None, bands: Sequence[Band]) -> tuple[Band | None, Band | None]:
    """The band a score (as shown) falls in, and the next one up (None at the top)."""
    if score is None:
        return None, None
    floors = sorted(bands, key=lambda b: b.min)
    inside = [b for b in floors if shown(score) >= b.min]
    here = inside[-1] if inside else None
    above = [b for b in floors if shown(score) < b.min]
    return here, (above[0] if above else None)


def _score(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _sections_sentence(sections: Sequence[SectionScore]) -> str | None:
    held = [s for s in sections if s.target is not None and s.score is not None]
    if not held:
        return None
    met = [s for s in held if status(s.score, s.target) == "met"]
    below = sorted((s for s in held if s not in met), key=lambda s: -(s.gap or 0))
    if not below:
        return f"Every section with a target meets it ({len(met)} of {len(sections)})."
    first = f"{len(met)} of {len(held)} sections {'meets its' if len(met) == 1 else 'meet their'} target"
    if met:
        first += f" ({_list([s.title for s in met[:3]])}{' and others' if len(met) > 3 else ''})"
    worst = below[:2]
    far = "; ".join(f"{s.title} scores {_score(s.score)} against a target of {s.target:g}" for s in worst if s.target)
    return f"{first}. Furthest from target: {far}."


def _change_sentence(comparison: Comparison | None) -> str | None:
    if comparison is None or comparison.overall_change is None:
        return None
    change = comparison.overall_change
    label = comparison.baseline.label
    if round(change, 1) == 0:
        return f"The overall score is unchanged since {label} ({_score(comparison.overall_before)})."
    verb = "rose" if change > 0 else "fell"
    sentence = (
        f"Since {label} the overall score {verb} {abs(change):.1f} points, from {_score(comparison.overall_before)}"
    )
    people = comparison.like_for_like
    if people is None:
        return sentence + "."
    if people.change is None or not people.respondents:
        return sentence + ", but nobody answered both audits, so the two are not like for like."
    who = "the one person" if people.respondents == 1 else f"the {people.respondents} people"
    move = "no change" if round(people.change, 1) == 0 else f"{people.change:+.1f} points"
    return (
        f"{sentence}; the respondents differ, and like for like {who} who answered both went from "
        f"{_score(people.before)} to {_score(people.after)} ({move})."
    )


def _gap_sentence(gaps: Sequence[PerceptionGap]) -> str | None:
    if not gaps:
        return None
    g = gaps[0]
    return (
        f"Views differ most on {g.title}: {g.low.role} scores it {_score(g.low.score)}, "
        f"{g.high.role} {_score(g.high.score)} (out of 100)."
    )


def summary(card: Scorecard, comparison: Comparison | None = None) -> tuple[str, ...]:
    """The executive summary: a few plain sentences, every number with its meaning."""
    sentences: list[str] = []
    if card.overall is None:
        sentences.append("Nothing has been scored yet: no question has a scored answer.")
        return tuple(sentences)
    here, above = band_of(card.overall, card.checklist.bands)
    headline = f"{card.organisation} scores {_score(card.overall)} out of 100"
    if card.rating is not None:
        headline += f", rated {card.rating.label}"
        if here is not None and not card.rating.capped:
            headline += f" (the band from {here.min:g}"
            headline += f"; {above.label} starts at {above.min:g})" if above else ", the highest)"
    sentences.append(headline + ".")
    if card.asked_questions is not None:
        sentences.append(
            f"The score rests on the {card.asked_questions} of the checklist's {card.checklist.questions} questions "
            "that were asked; the others were not part of this audit."
        )
    if card.rating is not None and card.rating.capped:
        sentences.append(
            f"The score alone would rate {card.rating.band}; a critical question scoring below 50 holds the "
            f"rating at {card.rating.label}."
        )
    practice, results = getattr(card, "practice_score", None), getattr(card, "results_score", None)
    if practice is not None and results is not None:
        lead = (
            "ahead of"
            if shown(practice) > shown(results)
            else "behind"
            if shown(practice) < shown(results)
            else "level with"
        )
        sentences.append(
            f"What is done (practices, {_score(practice)} out of 100) is {lead} what it achieves "
            f"(results, {_score(results)})."
        )
    for sentence in (_sections_sentence(card.sections), _change_sentence(comparison), _gap_sentence(card.section_gaps)):
        if sentence:
            sentences.append(sentence)
    unknown = card.counts.unknown
    if unknown:
        sentences.append(
            f"{unknown} {'answer was' if unknown == 1 else 'answers were'} \u201cdon't know\u201d: they count as 0 "
            "until the figure or practice is known, so measuring them is part of the work."
        )
    if card.draft:
        sentences.append(f"This is a draft: {card.counts.to_answer} answers are still to give and may change it.")
    return tuple(sentences)


__all__ = [
    "DO_NOW",
    "HORIZONS",
    "STATUS_WORDS",
    "TOP_ACTIONS",
    "Roadmap",
    "Strength",
    "band_of",
    "horizon",
    "roadmap",
    "status",
    "strengths",
    "summary",
]


def band_step(label: str | None, bands: Sequence[Band]) -> int:
    """Where a rating sits among the bands, on a 0..3 scale (lowest band 0, highest 3): the badge's colour."""
    floors = [b.label for b in sorted(bands, key=lambda b: b.min)]
    if label not in floors or len(floors) < 2:
        return 1
    return round(floors.index(label) / (len(floors) - 1) * 3)
