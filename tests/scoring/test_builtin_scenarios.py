"""Issue 13's verdicts on every built-in checklist: claims without results cannot earn a good rating.

The scenarios come from the resolved checklist (tests/scenarios.py), so they hold whatever the question
ids become; the content choices that make them pass (a results section carrying a third of the score,
key questions and key figures without N/A, `critical_below: 60`) are checked beside them.
"""

from __future__ import annotations

import pytest
from scenarios import SCENARIOS, Scenario, answer_files, verdict_problem

from carecheck.catalog.loading import Catalog, builtin_dir
from carecheck.format.model import Checklist, NumberAnswer
from carecheck.format.resolved import ResolvedChecklist
from carecheck.scoring.score import score

BUILTINS = sorted(p.stem for p in builtin_dir().glob("*.yaml") if p.stem != "references")


@pytest.fixture(scope="module", params=BUILTINS)
def builtin(request: pytest.FixtureRequest) -> ResolvedChecklist:
    return Catalog().load(request.param)


def test_every_builtin_is_covered() -> None:
    assert {"care-full", "care-essentials", "contact-centre", "public-services"} <= set(BUILTINS)
    assert len(BUILTINS) == 8


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_verdict_cannot_be_gamed(builtin: ResolvedChecklist, scenario: Scenario) -> None:
    card = score(builtin.checklist, answer_files(builtin, scenario))
    assert verdict_problem(card, scenario) is None


def test_claims_without_results_show_in_the_two_part_scores(builtin: ResolvedChecklist) -> None:
    card = score(builtin.checklist, answer_files(builtin, "a"))
    assert card.results_score == 0
    assert card.practice_score is not None and card.practice_score >= 50
    assert card.rating is not None and card.rating.label in ("Developing", "Reactive")


def results_share(checklist: Checklist) -> float:
    """The share of the overall score that results carry when every question is scored."""
    total = results = 0.0
    for section in checklist.sections:
        scored = [q for q in section.questions if isinstance(q.answers, NumberAnswer) or checklist.options(q)]
        weight = sum(q.weight for q in scored)
        if weight:
            total += section.weight
            results += section.weight * sum(q.weight for q in scored if q.measures == "result") / weight
    return results / total


def test_results_carry_at_least_30_percent(builtin: ResolvedChecklist) -> None:
    assert results_share(builtin.checklist) >= 0.30


def test_key_questions_and_key_figures_do_not_allow_na(builtin: ResolvedChecklist) -> None:
    questions = builtin.checklist.questions
    assert builtin.checklist.critical_below == 60
    key_questions = [q.id for q in Catalog().load("care-full").checklist.questions.values() if q.critical]
    assert len(key_questions) == 6
    for qid in set(key_questions) & set(questions):
        assert questions[qid].critical and not questions[qid].allow_na, qid
    key_figures = {"csat-top-box", "first-contact-resolution", "calls-answered-in-target", "email-first-reply-hours"}
    for qid in key_figures & set(questions):
        assert not questions[qid].allow_na, qid
    assert any(q.measures == "result" and not q.allow_na for q in questions.values())
