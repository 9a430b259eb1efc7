"""The four scenarios of issue 13, generated from any resolved checklist, and the verdict each must get.

    from scenarios import SCENARIOS, answer_files, verdict_problem
    files = answer_files(resolved, "a")
    card = score(resolved.checklist, files)
    assert verdict_problem(card, "a") is None

(a) `claims`: practices at their second-best option everywhere, every result at its poor mark;
(b) `claims-na`: as (a), with every critical question and every result answered N/A wherever N/A
    is allowed;
(c) `critical-middle`: every critical question at its middle option, everything else at the top,
    results at their poor marks;
(d) `all-good`: everything at the top, results at their good marks.

A number question's marks are its `good` and `poor` (the figure scoring 100 and 0). Where a
number is a practice rather than a result, "second-best" is three quarters of the way from poor to
good and "middle" half way, as the maturity scale's 0.75 and 0.5. Text questions get a line of text.
A checklist with `roles` gets one answer file per role it names (each answering what that role is
asked); otherwise one file, of a `management` respondent.
"""

from __future__ import annotations

from typing import Literal

from carecheck.format.answers import is_asked
from carecheck.format.model import NA, ROLES, AnswerFile, Checklist, NumberAnswer, Question, TextAnswer
from carecheck.format.resolved import ResolvedChecklist
from carecheck.scoring.score import Scorecard

Scenario = Literal["a", "b", "c", "d"]
SCENARIOS: tuple[Scenario, ...] = ("a", "b", "c", "d")
NAMES: dict[Scenario, str] = {"a": "claims", "b": "claims-na", "c": "critical-middle", "d": "all-good"}
Level = Literal["top", "second", "middle", "poor"]


def _figure(spec: NumberAnswer, share: float) -> str:
    """The figure `share` of the way from the poor mark to the good one, as text."""
    return f"{spec.poor + share * (spec.good - spec.poor):g}"


def value_at(checklist: Checklist, question: Question, level: Level) -> str:
    """The answer to `question` at a level: its top, second-best or middle option, or its poor mark."""
    spec = question.answers
    if isinstance(spec, TextAnswer):
        return "Scenario evidence."
    if isinstance(spec, NumberAnswer):
        return _figure(spec, {"top": 1.0, "second": 0.75, "middle": 0.5, "poor": 0.0}[level])
    options = checklist.options(question)
    assert options, f"'{question.id}' has no options"
    ranked = sorted(options, key=lambda o: o.score)  # worst first; equal scores keep their order
    index = {
        "top": len(ranked) - 1,
        "second": max(len(ranked) - 2, 0),
        "middle": (len(ranked) - 1) // 2,
        "poor": 0,
    }[level]
    return ranked[index].value


def scenario_value(checklist: Checklist, question: Question, scenario: Scenario) -> str:
    """The answer the scenario gives to one question."""
    result = question.measures == "result"
    if scenario in ("a", "b"):
        if scenario == "b" and (question.critical or result) and question.allow_na:
            return NA
        return value_at(checklist, question, "poor" if result else "second")
    if scenario == "c":
        if result:
            return value_at(checklist, question, "poor")
        return value_at(checklist, question, "middle" if question.critical else "top")
    return value_at(checklist, question, "top")


def _roles(checklist: Checklist) -> tuple[str, ...]:
    named = {r for s in checklist.sections for r in s.roles or ()}
    named |= {r for q in checklist.questions.values() for r in q.roles or ()}
    return tuple(r for r in ROLES if r in named) or ("management",)


def answer_files(resolved: ResolvedChecklist | Checklist, scenario: Scenario) -> list[AnswerFile]:
    """The scenario's answer files: one per role the checklist names (one in all without roles)."""
    checklist = resolved.checklist if isinstance(resolved, ResolvedChecklist) else resolved
    values = {q.id: scenario_value(checklist, q, scenario) for q in checklist.questions.values()}
    files = []
    for role in _roles(checklist):
        asked = {
            qid: {"value": value}
            for qid, value in values.items()
            if is_asked(checklist, checklist.questions[qid], values.get, role)
        }
        files.append(
            AnswerFile.model_validate(
                {
                    "carecheck-answers": 1,
                    "checklist": {"id": checklist.id, "version": checklist.version},
                    "organisation": f"Scenario {NAMES[scenario]}",
                    "audit": "scenario",
                    "respondent": {"name": f"Scenario {role}", "role": role},
                    "answers": asked,
                }
            )
        )
    return files


def band_rank(card: Scorecard) -> int:
    """The rank of the rating given among the checklist's bands: 0 the top band, 1 the second, ..."""
    assert card.rating is not None, "nothing was scored"
    ordered = [b.label for b in sorted(card.checklist.bands, key=lambda b: -b.min)]
    return ordered.index(card.rating.label)


def verdict_problem(card: Scorecard, scenario: Scenario) -> str | None:
    """Why a scenario's verdict is wrong, or None when it is as issue 13 requires.

    (a) and (b) are rated below the second-highest band, (c) is not in the top band, (d) is.
    """
    rank = band_rank(card)
    rating = card.rating
    assert rating is not None
    said = f"{NAMES[scenario]} scores {card.overall:.1f}, rated {rating.label}"
    if scenario in ("a", "b") and rank < 2:
        return f"{said}: it must be rated below the second-highest band"
    if scenario == "c" and rank == 0:
        return f"{said}: it must not reach the top band"
    if scenario == "d" and rank != 0:
        return f"{said}: it must reach the top band"
    return None
