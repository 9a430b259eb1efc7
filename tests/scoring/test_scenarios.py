"""Issue 13's four scenarios: the generator, and the verdicts on a checklist designed not to be gamed.

b13content parametrizes the same tests over the built-in checklists.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scenarios import SCENARIOS, Scenario, answer_files, scenario_value, verdict_problem

from carecheck.catalog.loading import Catalog
from carecheck.format.model import DEFAULT_BANDS, NA, Checklist
from carecheck.format.resolved import ResolvedChecklist
from carecheck.scoring.score import score

ENGINE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "engine.yaml"


@pytest.fixture(scope="module")
def engine() -> ResolvedChecklist:
    return Catalog().resolve_file(ENGINE)


def test_the_generator_answers_as_each_scenario_says(engine: ResolvedChecklist) -> None:
    checklist = engine.checklist
    qs = checklist.questions

    def values(s: Scenario) -> dict[str, str]:
        return {qid: scenario_value(checklist, q, s) for qid, q in qs.items()}

    a, b, c, d = (values(s) for s in SCENARIOS)
    # (a) second-best practices, poor figures (the poor mark itself)
    assert a["complaints-process"] == "3" and a["staff-trained"] == "partial" and a["supplier-terms"] == "no"
    assert a["csat-percent"] == "60" and a["complaints-closed-in-target"] == "70" and a["email-reply-hours"] == "24"
    # (b) as (a), N/A where allowed on critical questions and results: only email-reply-hours allows it
    assert b == {**a, "email-reply-hours": NA}
    # (c) critical at the middle option, the rest top, figures poor
    assert c["complaints-process"] == c["satisfaction-measured"] == "2"
    assert c["staff-trained"] == "yes" and c["csat-percent"] == "60"
    # (d) all top, figures at their good marks
    assert d["satisfaction-measured"] == "4" and d["csat-percent"] == "85" and d["email-reply-hours"] == "4"


def test_one_answer_file_per_role_each_answering_what_its_role_is_asked(engine: ResolvedChecklist) -> None:
    files = answer_files(engine, "d")
    assert [f.respondent.role for f in files] == ["leadership", "back-office"]
    assert all("supplier-terms" in f.answers for f in files)
    plain = engine.checklist.model_copy(
        update={"sections": tuple(s.model_copy(update={"roles": None}) for s in engine.checklist.sections)}
    )
    plain = plain.model_copy(
        update={
            "sections": tuple(
                s.model_copy(update={"questions": tuple(q.model_copy(update={"roles": None}) for q in s.questions)})
                for s in plain.sections
            )
        }
    )
    assert [f.respondent.role for f in answer_files(plain, "d")] == ["management"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_designed_checklist_gives_each_scenario_its_verdict(engine: ResolvedChecklist, scenario: Scenario) -> None:
    card = score(engine.checklist, answer_files(engine, scenario))
    assert verdict_problem(card, scenario) is None


def test_the_scenario_scores_on_the_designed_checklist(engine: ResolvedChecklist) -> None:
    cards = {s: score(engine.checklist, answer_files(engine, s)) for s in SCENARIOS}
    # practice section: 3 x 75 + 3 x 75 + 1 x 50 + 1 x 0 over 8 = 62.5; results 0; overall 3:2
    assert cards["a"].overall == pytest.approx(62.5 * 3 / 5)
    assert cards["a"].practice_score == pytest.approx(62.5) and cards["a"].results_score == 0
    assert cards["b"].overall == pytest.approx(cards["a"].overall)  # the N/A figure leaves a section still at 0
    # (c) practice (3 x 50 + 3 x 50 + 100 + 100) / 8 = 62.5, results 0: 37.5; both critical questions fail
    assert cards["c"].overall == pytest.approx(37.5)
    assert [q.id for q in cards["c"].critical_failures] == ["complaints-process", "satisfaction-measured"]
    assert cards["d"].overall == 100 and cards["d"].practice_score == 100 and cards["d"].results_score == 100
    assert all(not card.claims for card in cards.values())  # csat-percent never allows N/A: the claim has its figure


def test_a_checklist_that_can_be_gamed_fails_the_verdicts() -> None:
    """The verdict tests can fail: results at 10 % of the score, N/A allowed, the cap at the default 50."""
    gamed = Checklist.model_validate(
        {
            "carecheck": 1,
            "id": "gamed",
            "title": "Gamed",
            "version": "1",
            "critical_cap": "Developing",
            "bands": [b.model_dump() for b in DEFAULT_BANDS],
            "sections": [
                {
                    "id": "practice",
                    "title": "Practice",
                    "weight": 9,
                    "questions": [
                        {"id": "key", "text": "Key?", "answers": "maturity", "critical": True},
                        {"id": "other", "text": "Other?", "answers": "maturity", "weight": 9},
                    ],
                },
                {
                    "id": "results",
                    "title": "Results",
                    "questions": [
                        {
                            "id": "csat",
                            "text": "CSAT?",
                            "answers": {"type": "number", "good": 85, "poor": 60},
                            "measures": "result",
                        }
                    ],
                },
            ],
        }
    )
    cards = {s: score(gamed, answer_files(gamed, s)) for s in SCENARIOS}
    assert "scores 67.5, rated Established" in (verdict_problem(cards["a"], "a") or "")
    assert "scores 75.0, rated Established" in (verdict_problem(cards["b"], "b") or "")  # key and csat N/A
    assert "scores 85.5, rated Leading" in (verdict_problem(cards["c"], "c") or "")  # 50 is not below 50
    assert verdict_problem(cards["d"], "d") is None
