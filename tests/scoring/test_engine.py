"""Issue 13's scoring pieces: practice and results scores, checks, roles, recommendations by answer,
evidence and critical_below; with property tests of what none of them may do to a score."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecheck.format.model import DEFAULT_BANDS, AnswerFile, Checklist
from carecheck.scoring.score import Scorecard, score

NUMBER = {"type": "number", "unit": "%", "good": 85, "poor": 60}
HOURS = {"type": "number", "unit": "hours", "good": 4, "poor": 24}


def checklist(sections: list[dict[str, Any]], **fields: Any) -> Checklist:
    data = {"carecheck": 1, "id": "t", "title": "T", "version": "1", "sections": sections, **fields}
    return Checklist.model_validate({"bands": [b.model_dump() for b in DEFAULT_BANDS], **data})


def q(qid: str, answers: Any = "yes-no", **fields: Any) -> dict[str, Any]:
    return {"id": qid, "text": f"Question {qid}?", "answers": answers, **fields}


def section(sid: str, *questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": sid, "title": f"Section {sid}", "questions": list(questions), **fields}


def answers(values: dict[str, Any], role: str = "other", name: str = "") -> AnswerFile:
    return AnswerFile.model_validate(
        {
            "carecheck-answers": 1,
            "checklist": {"id": "t"},
            "organisation": "Org",
            "respondent": {"name": name, "role": role},
            "answers": values,
        }
    )


# ---------------------------------------------------------------------------------------------------
# Practice and results scores


def test_practice_and_results_scores_weigh_as_the_overall_restricted_to_their_questions() -> None:
    c = checklist(
        [
            section("a", q("p1", weight=3), q("r1", NUMBER, measures="result"), weight=2),
            section("b", q("p2"), q("r2", HOURS, measures="result", weight=3)),
        ]
    )
    card = score(c, [answers({"p1": "yes", "r1": 72.5, "p2": "no", "r2": 14})])
    assert card.practice_score == pytest.approx((2 * 100 + 1 * 0) / 3)
    assert card.results_score == pytest.approx((2 * 50 + 1 * 50) / 3)
    # the overall formula is unchanged: section a (3 x 100 + 50) / 4, section b (0 + 3 x 50) / 4
    assert card.overall == pytest.approx((2 * 87.5 + 37.5) / 3)


def test_no_results_question_scored_is_no_results_score_not_zero() -> None:
    c = checklist([section("a", q("p1"), q("r1", NUMBER, measures="result"))])
    assert score(c, [answers({"p1": "yes", "r1": "na"})]).results_score is None
    assert score(c, [answers({"p1": "yes", "r1": "unknown"})]).results_score == 0
    assert score(checklist([section("a", q("p1"))]), [answers({"p1": "no"})]).results_score is None


# ---------------------------------------------------------------------------------------------------
# Checks: claims to check


CLAIMS = [
    section(
        "a",
        q("measured", "maturity"),
        q("csat", NUMBER, measures="result"),
        q("reply", HOURS, measures="result"),
        q("fast", "yes-partial-no"),
    )
]
CHECKS = [
    {
        "id": "claim-csat",
        "if": {"question": "measured", "at_least": "3"},
        "then": {"question": "csat", "answered": True},
        "says": "Claimed measured.",
    },
    {
        "id": "claim-fast",
        "if": {"question": "fast", "is": ["yes"]},
        "then": {"question": "reply", "at_least": 8},
        "says": "Claimed fast.",
    },
    {
        "id": "csat-good",
        "if": {"question": "csat", "at_least": 80},
        "then": {"question": "measured", "at_least": "2"},
        "says": "Figure without a practice.",
    },
]


def claims(values: dict[str, Any], *files: AnswerFile) -> Scorecard:
    return score(checklist(CLAIMS, checks=CHECKS), [answers(values), *files])


def test_a_broken_check_is_a_claim_naming_both_questions_and_answers() -> None:
    card = claims({"measured": "3", "csat": "unknown", "fast": "yes", "reply": 12})
    assert [c.id for c in card.claims] == ["claim-csat", "claim-fast"]
    first = card.claims[0]
    assert (first.question, first.answer) == ("measured", "Systematic and measured")
    assert (first.then_question, first.then_answer, first.then_text) == ("csat", "Don't know", "Question csat?")
    assert card.claims[1].then_answer == "12 hours" and card.claims[1].says == "Claimed fast."


@pytest.mark.parametrize(
    ("values", "broken"),
    [
        ({"measured": "4", "csat": "na"}, ["claim-csat"]),  # N/A does not back a claim
        ({"measured": "4"}, ["claim-csat"]),  # nor does no answer
        ({"measured": "2", "csat": "unknown"}, []),  # below at_least: no claim
        ({"csat": "unknown"}, []),  # the claim unanswered: the check does not apply
        ({"measured": "unknown", "csat": "unknown"}, []),
        ({"fast": "yes", "reply": 8}, []),  # at most 8 hours: good is below poor
        ({"fast": "yes", "reply": 8.5}, ["claim-fast"]),
        ({"fast": "partial", "reply": 20}, []),  # `is` lists yes only
        ({"csat": 80, "measured": "1"}, ["csat-good"]),  # at least 80 %: good is above poor
        ({"csat": 79.9, "measured": "1"}, []),
        ({"csat": 90, "measured": "2"}, []),  # an option at least as well scored
    ],
)
def test_which_answers_break_a_check(values: dict[str, Any], broken: list[str]) -> None:
    assert [c.id for c in claims(values).claims] == broken


def test_checks_are_checked_per_respondent_and_say_who() -> None:
    card = claims({"measured": "4", "csat": "unknown"}, answers({"measured": "4", "csat": 70}, name="Kim"))
    assert len(card.claims) == 1 and card.claims[0].respondents == 1 and card.claims[0].by == ("Respondent 1",)
    both = claims({"measured": "4"}, answers({"measured": "3", "csat": "unknown"}, name="Kim"))
    assert both.claims[0].answer == "Reviewed and improved \u00d71, Systematic and measured \u00d71"
    assert both.claims[0].then_answer == "Not answered \u00d71, Don't know \u00d71"


def test_a_check_whose_proof_the_respondent_is_not_asked_does_not_apply() -> None:
    sections = [section("a", q("measured", "maturity"), q("csat", NUMBER, roles=["management"]))]
    c = checklist(sections, checks=CHECKS[:1])
    assert not score(c, [answers({"measured": "4"}, role="front-line")]).claims
    assert score(c, [answers({"measured": "4"}, role="management")]).claims


# ---------------------------------------------------------------------------------------------------
# Roles


ROLES = [
    section("a", q("everyone"), q("payments", roles=["leadership", "back-office"])),
    section("b", q("front", "yes-partial-no"), roles=["front-line"]),
]


def test_a_question_not_asked_of_a_role_is_absent_never_unknown() -> None:
    c = checklist(ROLES)
    card = score(
        c,
        [
            answers({"everyone": "yes"}, role="front-line", name="Jo"),
            answers({"everyone": "no", "payments": "yes"}, role="leadership"),
        ],
    )
    payments = card.question("payments")
    assert (
        payments.score == 100 and payments.scored_by == 1 and payments.counts.off == 1 and payments.counts.unknown == 0
    )
    assert not card.data_gaps and not any(q.id == "payments" for q in card.to_answer)
    front = card.question("front")
    assert front.counts.unanswered == 1 and front.counts.off == 1 and front.to_answer_by == ("Jo",)
    assert card.section("b").score is None  # nobody answered it: no score, not 0


def test_an_answer_given_by_a_role_not_asked_is_kept_not_scored() -> None:
    c = checklist(ROLES)
    card = score(c, [answers({"everyone": "yes", "payments": "no", "front": "no"}, role="management")])
    assert card.question("payments").score is None and card.question("front").score is None
    assert card.overall == 100


def test_a_question_role_replaces_its_section_role_and_when_chains_through_roles() -> None:
    c = checklist(
        [
            section(
                "a",
                q("has-line", roles=["management"]),
                q("answered-fast", when={"question": "has-line", "is": "yes"}),
                q("team", roles=["front-line"]),
                roles=["management", "leadership"],
            )
        ]
    )
    card = score(c, [answers({"has-line": "yes", "answered-fast": "yes", "team": "yes"}, role="leadership")])
    # has-line is not asked of leadership, so neither is what depends on it; team only of front-line
    assert [q.counts.off for q in card.questions] == [1, 1, 1]


# ---------------------------------------------------------------------------------------------------
# Recommendations by answer, evidence, critical_below


VARYING = {"default": "Write it down.", "unknown": "Find out who does it.", "2": "Measure it.", "3": "Review it."}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["2"], "Measure it."),
        (["unknown"], "Find out who does it."),
        (["1"], "Write it down."),
        (["3", "2", "3"], "Review it."),  # the most common answer
        (["3", "2"], "Measure it."),  # a tie goes to the lower option
        (["unknown", "2"], "Find out who does it."),  # unknown is the lowest
        (["na", "2"], "Measure it."),  # N/A is no answer
    ],
)
def test_the_action_plan_takes_the_recommendation_of_the_most_common_answer(given: list[str], expected: str) -> None:
    c = checklist([section("a", q("process", "maturity", recommendation=VARYING))])
    card = score(c, [answers({"process": v}, name=f"R{i}") for i, v in enumerate(given)])
    assert card.actions[0].recommendation == expected


def test_a_number_question_recommendation_follows_unknown_or_default() -> None:
    c = checklist([section("a", q("csat", NUMBER, recommendation={"default": "Raise it.", "unknown": "Measure it."}))])
    assert score(c, [answers({"csat": "unknown"})]).actions[0].recommendation == "Measure it."
    assert score(c, [answers({"csat": 70})]).actions[0].recommendation == "Raise it."


def test_top_answers_without_evidence_are_listed() -> None:
    c = checklist([section("a", q("process", "maturity", evidence="required"), q("plain", "maturity"))])
    card = score(
        c,
        [
            answers({"process": "3", "plain": "4"}, name="Jo"),
            answers({"process": {"value": "4", "note": "The process manual, v3"}}, name="Kim"),
            answers({"process": "2"}, name="Lee"),
        ],
    )
    assert [(e.question, e.answer, e.by) for e in card.unevidenced] == [("process", "Systematic and measured", ("Jo",))]


@pytest.mark.parametrize(("below", "capped"), [(50, False), (75, True)])
def test_critical_below_sets_the_score_that_caps_the_rating(below: float, capped: bool) -> None:
    c = checklist(
        [section("a", q("key", "yes-partial-no", critical=True), q("b", weight=9))],
        critical_cap="Developing",
        critical_below=below,
    )
    card = score(c, [answers({"key": "partial", "b": "yes"})])
    assert card.rating is not None and card.rating.band == "Leading"
    assert card.rating.capped is capped and bool(card.critical_failures) is capped
    assert card.checklist.critical_below == below


# ---------------------------------------------------------------------------------------------------
# Properties


SETS = {"yes-no": ["yes", "no"], "yes-partial-no": ["yes", "partial", "no"], "maturity": ["0", "1", "2", "3", "4"]}


@st.composite
def audits(draw: st.DrawFn) -> tuple[Checklist, list[AnswerFile]]:
    sections = []
    for s in range(draw(st.integers(1, 3))):
        qs = []
        for i in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from([*SETS, "number"]))
            qs.append(
                q(
                    f"q{s}-{i}",
                    NUMBER if kind == "number" else kind,
                    measures=draw(st.sampled_from(["practice", "result"])),
                    weight=draw(st.floats(0.1, 10)),
                    roles=draw(st.sampled_from([None, ["leadership"], ["front-line", "management"]])),
                )
            )
        sections.append(section(f"s{s}", *qs, weight=draw(st.floats(0.1, 10))))
    c = checklist(sections)
    ids = list(c.questions)
    checks = []
    for n in range(draw(st.integers(0, 4))):
        claim, proof = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        options = c.options(c.questions[claim])
        bar = draw(st.sampled_from([o.value for o in options])) if options else "70"
        checks.append(
            {
                "id": f"c{n}",
                "if": {"question": claim, "at_least": bar},
                "then": {"question": proof, "answered": True},
                "says": "S.",
            }
        )
    c = c.model_copy(
        update={
            "checks": tuple(
                Checklist.model_validate(
                    {"carecheck": 1, "id": "x", "title": "x", "version": "1", "checks": checks}
                ).checks
            )
        }
    )
    files = []
    for r in range(draw(st.integers(1, 3))):
        values: dict[str, Any] = {}
        for qid, question in c.questions.items():
            if isinstance(question.answers, str):
                pick = draw(st.sampled_from([*SETS[question.answers], "na", "unknown", None]))
            else:
                pick = draw(st.one_of(st.floats(0, 100, allow_nan=False), st.sampled_from(["na", "unknown", None])))
            if pick is not None:
                values[qid] = pick if isinstance(pick, str) else round(pick, 2)
        role = draw(st.sampled_from(["leadership", "front-line", "management", "other"]))
        files.append(answers(values, role=role, name=f"R{r}"))
    return c, files


def scores(card: Scorecard) -> list[float | None]:
    return [
        card.overall,
        card.practice_score,
        card.results_score,
        *(s.score for s in card.sections),
        *(x.score for x in card.questions),
    ]


@settings(max_examples=120, deadline=None)
@given(audits())
def test_practice_and_results_scores_stay_within_0_and_100(case: tuple[Checklist, list[AnswerFile]]) -> None:
    c, files = case
    card = score(c, files)
    for part, value in (("practice", card.practice_score), ("result", card.results_score)):
        scored = [x for x in card.questions if x.measures == part and x.score is not None]
        assert (value is None) == (not scored)
        assert value is None or 0 <= value <= 100
        if value is not None:
            assert min(x.score for x in scored) - 1e-9 <= value <= max(x.score for x in scored) + 1e-9  # type: ignore[type-var]


@settings(max_examples=120, deadline=None)
@given(audits())
def test_a_broken_check_never_changes_a_score(case: tuple[Checklist, list[AnswerFile]]) -> None:
    c, files = case
    with_checks, without = score(c, files), score(c.model_copy(update={"checks": ()}), files)
    assert scores(with_checks) == scores(without) and with_checks.rating == without.rating
    assert not without.claims


@settings(max_examples=120, deadline=None)
@given(audits(), st.data())
def test_a_question_not_asked_counts_as_if_it_were_not_there(
    case: tuple[Checklist, list[AnswerFile]], data: Any
) -> None:
    """Absence by role never lowers (nor raises) a score: it is the same as dropping the question."""
    c, files = case
    qid = data.draw(st.sampled_from(list(c.questions)))
    role = data.draw(st.sampled_from(["leadership", "front-line", "management", "other"]))
    only = {qid: c.questions[qid].model_copy(update={"roles": ("back-office",)})}
    restricted = [s.model_copy(update={"questions": tuple(only.get(x.id, x) for x in s.questions)}) for s in c.sections]
    dropped = [s.model_copy(update={"questions": tuple(x for x in s.questions if x.id != qid)}) for s in c.sections]
    dropped = [s for s in dropped if s.questions]
    asked = [f.model_copy(update={"respondent": f.respondent.model_copy(update={"role": role})}) for f in files]
    a = score(c.model_copy(update={"sections": tuple(restricted), "checks": ()}), asked)
    b = score(c.model_copy(update={"sections": tuple(dropped), "checks": ()}), asked)
    assert a.overall == pytest.approx(b.overall) if b.overall is not None else a.overall is None
    assert (
        a.practice_score == pytest.approx(b.practice_score)
        if b.practice_score is not None
        else a.practice_score is None
    )
    assert a.question(qid).counts.off == len(files) and a.question(qid).counts.unknown == 0
