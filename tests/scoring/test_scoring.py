"""The scorer: the contract of DESIGN.md, its edge cases, its properties and the documented example."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecheck.audits.gates import check_gates, failures
from carecheck.catalog.loading import AnswerStream, Catalog
from carecheck.errors import InvalidInputError, UsageError
from carecheck.format.model import DEFAULT_BANDS, AnswerFile, Checklist
from carecheck.scoring.score import Scorecard, priority_key, score

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"


def gate_failures(
    card: Scorecard, fail_under: Sequence[tuple[str | None, float]] = (), *, fail_on_critical: bool = False
) -> list[str]:
    """What fails the requested gates, one sentence each (the gates live in carecheck.audits.gates)."""
    return failures(check_gates(card, fail_under, fail_on_critical=fail_on_critical))


def make_checklist(sections: list[dict[str, Any]], **fields: Any) -> Checklist:
    data = {"carecheck": 1, "id": "t", "title": "T", "version": "1", "sections": sections, **fields}
    checklist = Checklist.model_validate(data)
    if checklist.bands is None:
        checklist = checklist.model_copy(update={"bands": DEFAULT_BANDS})
    return checklist


def answers(values: dict[str, Any], organisation: str = "Org", **fields: Any) -> AnswerFile:
    data = {
        "carecheck-answers": 1,
        "checklist": {"id": "t"},
        "organisation": organisation,
        "answers": values,
        **fields,
    }
    return AnswerFile.model_validate(data)


def q(qid: str, answers: Any = "yes-no", **fields: Any) -> dict[str, Any]:
    return {"id": qid, "text": f"Question {qid}?", "answers": answers, **fields}


def section(sid: str, *questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": sid, "title": f"Section {sid}", "questions": list(questions), **fields}


NUMBER = {"type": "number", "unit": "hours", "good": 4, "poor": 24}


# ---------------------------------------------------------------------------------------------------
# The contract, case by case


def test_the_minimal_fixture_scores_as_the_contract_says() -> None:
    stream = AnswerStream([(FIXTURES / "answers" / "good.yaml", True)], Catalog(), str(FIXTURES / "minimal.yaml"))
    read = list(stream.items())
    card = score(stream.checklist, [a for _, _, a, _ in read], sources=[str(path) for path, _, _, _ in read])
    # has-email yes = 100; 6.5 hours between good 4 and poor 24 = (24 - 6.5) / 20 = 87.5
    assert card.question("email-reply-hours").score == pytest.approx(87.5)
    assert card.section("contact").score == pytest.approx(93.75)
    # trained "2" on maturity = 50; rating is n/a; evidence is text: people = 50
    assert card.section("people").score == pytest.approx(50)
    assert card.overall == pytest.approx((1 * 93.75 + 2 * 50) / 3)
    assert card.rating is not None and card.rating.label == "Good"
    assert card.question("rating").score is None and card.question("evidence").score is None
    assert card.respondents[0].source == str(FIXTURES / "answers" / "good.yaml")
    assert not card.draft


def test_na_text_and_unanswered_leave_the_denominator() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"), q("c", {"type": "text"}), q("d"))])
    card = score(checklist, [answers({"a": "yes", "b": "na", "c": "words"})])
    assert card.section("s").score == 100.0
    assert card.question("b").score is None and card.question("c").score is None
    assert card.question("d").score is None and card.question("d").counts.unanswered == 1


def test_nothing_scored_is_no_score_not_zero() -> None:
    checklist = make_checklist([section("s", q("a"), q("b")), section("t", q("c"))])
    card = score(checklist, [answers({"a": "na", "b": "na", "c": "yes"})])
    assert card.section("s").score is None
    assert card.overall == 100.0  # the unscored section leaves the overall denominator
    empty = score(checklist, [answers({"a": "na", "b": "na", "c": "na"})])
    assert empty.overall is None and empty.rating is None
    assert all(s.score is None for s in empty.sections)
    assert empty.actions == ()
    assert gate_failures(empty, [(None, 50)]) == ["the overall score has no score to compare with --fail-under 50"]


def test_unknown_scores_zero_and_is_a_data_gap() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"))])
    card = score(checklist, [answers({"a": "unknown", "b": "yes"})])
    assert card.question("a").score == 0.0
    assert card.section("s").score == 50.0
    assert [x.id for x in card.data_gaps] == ["a"]
    assert card.counts.unknown == 1
    assert [x.id for x in card.actions] == ["a"]
    assert card.question("a").answer == "Don't know"


def test_skipped_and_note_only_answers_are_to_answer_and_make_a_draft() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"), q("c"))])
    card = score(checklist, [answers({"a": {"skipped": True}, "b": {"note": "ask Sam"}, "c": "no"})])
    assert card.draft
    assert [x.id for x in card.to_answer] == ["a", "b"]
    assert card.counts.skipped == 1 and card.counts.unanswered == 1 and card.counts.answered == 1
    assert [x.id for x in card.actions] == ["c"]  # unanswered questions are not in the action plan
    assert card.question("a").score is None
    assert card.question("b").notes[0].text == "ask Sam"


def test_a_complete_audit_is_not_a_draft() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"))])
    assert not score(checklist, [answers({"a": "no", "b": "na"})]).draft


def test_option_values_are_compared_by_their_text() -> None:
    checklist = make_checklist([section("s", q("m", "maturity"))])
    assert score(checklist, [answers({"m": 2})]).question("m").score == 50.0
    assert score(checklist, [answers({"m": "2"})]).question("m").score == 50.0


def test_an_invalid_value_is_refused() -> None:
    checklist = make_checklist([section("s", q("a"))])
    with pytest.raises(InvalidInputError, match="'maybe' is not an answer to 'a'"):
        score(checklist, [answers({"a": "maybe"})])


@pytest.mark.parametrize(("hours", "expected"), [(4, 100), (2, 100), (24, 0), (30, 0), (14, 50), (9, 75)])
def test_number_answers_score_linearly_between_poor_and_good(hours: float, expected: float) -> None:
    checklist = make_checklist([section("s", q("h", NUMBER))])
    card = score(checklist, [answers({"h": hours})])
    assert card.question("h").score == pytest.approx(expected)
    assert card.question("h").answer == f"{hours} hours"


def test_questions_switched_off_by_when_have_no_score_even_if_answered() -> None:
    checklist = make_checklist(
        [section("s", q("email"), q("hours", NUMBER, when={"question": "email", "is": "yes"}), q("other"))]
    )
    off = score(checklist, [answers({"email": "no", "hours": 30, "other": "yes"})])
    assert off.question("hours").score is None
    assert off.question("hours").counts.off == 1
    assert off.section("s").score == 50.0
    on = score(checklist, [answers({"email": "yes", "hours": 24, "other": "yes"})])
    assert on.question("hours").score == 0.0
    assert on.section("s").score == pytest.approx(200 / 3)
    # not asked because it does not apply: not "to answer"
    assert not score(checklist, [answers({"email": "no", "other": "yes"})]).draft


def test_when_chains_switch_off_the_whole_chain() -> None:
    checklist = make_checklist(
        [
            section(
                "s",
                q("a"),
                q("b", when={"question": "a", "is": "yes"}),
                q("c", when={"question": "b", "is": ["yes", "no"]}),
            )
        ]
    )
    card = score(checklist, [answers({"a": "no", "b": "yes", "c": "no"})])
    assert card.question("b").score is None and card.question("c").score is None


def test_critical_cap_and_provisional_rating() -> None:
    sections = [
        section("s", q("crit", "yes-partial-no", critical=True), q("x"), q("y"), q("z")),
    ]
    checklist = make_checklist(sections, critical_cap="Developing")
    capped = score(checklist, [answers({"crit": "no", "x": "yes", "y": "yes", "z": "yes"})])
    assert capped.overall == 75.0
    assert capped.rating is not None
    assert (capped.rating.band, capped.rating.label, capped.rating.capped) == ("Established", "Developing", True)
    assert [x.id for x in capped.critical_failures] == ["crit"]
    # 0.5 is not below 0.5: no cap
    fine = score(checklist, [answers({"crit": "partial", "x": "yes", "y": "yes", "z": "yes"})])
    assert fine.rating is not None and (fine.rating.label, fine.rating.capped) == ("Leading", False)
    # a critical question unanswered: provisional
    open_ = score(checklist, [answers({"x": "yes", "y": "yes", "z": "yes"})])
    assert open_.rating is not None and open_.rating.provisional and open_.rating.label == "Leading"
    # the cap never raises a rating
    low = score(checklist, [answers({"crit": "no", "x": "no", "y": "no", "z": "no"})])
    assert low.rating is not None and (low.rating.label, low.rating.capped) == ("Reactive", False)


def test_bands_and_fail_under_compare_the_score_rounded_to_one_decimal() -> None:
    checklist = make_checklist([section("s", q("n", {"type": "number", "good": 100, "poor": 0}))])
    just_under = score(checklist, [answers({"n": 59.96})])
    assert just_under.overall == pytest.approx(59.96)
    assert just_under.rating is not None and just_under.rating.label == "Established"  # 60.0 as shown
    assert gate_failures(just_under, [(None, 60)]) == []
    under = score(checklist, [answers({"n": 59.94})])
    assert under.rating is not None and under.rating.label == "Developing"
    assert gate_failures(under, [(None, 60)]) == ["the overall score 59.9 is under --fail-under 60"]
    assert gate_failures(under, [("s", 59.9), ("s", 60)]) == ["section 's' 59.9 is under --fail-under s=60"]
    with pytest.raises(UsageError, match="no section 'nope'"):
        gate_failures(under, [("nope", 10)])


def test_fail_on_critical_names_each_failing_question() -> None:
    checklist = make_checklist([section("s", q("a", critical=True), q("b", critical=True), q("c", critical=True))])
    card = score(checklist, [answers({"a": "no", "b": "yes"})])
    assert gate_failures(card, fail_on_critical=True) == [
        "critical question 'a' scores 0.0 (below 50)",
        "critical question 'c' is not answered",
    ]
    assert gate_failures(card) == []


def test_gain_and_priority_follow_the_contract() -> None:
    checklist = make_checklist(
        [
            section("s", q("a", weight=3, critical=True, effort="low"), q("b", "maturity", effort="high"), weight=2),
            section("t", q("c", "yes-partial-no")),
        ]
    )
    card = score(checklist, [answers({"a": "no", "b": "2", "c": "partial"})])
    # s = (3*0 + 1*50)/4 = 12.5; t = 50; overall = (2*12.5 + 50)/3 = 25
    assert card.overall == pytest.approx(25)
    a, b, c = card.question("a"), card.question("b"), card.question("c")
    assert a.gain == pytest.approx(100 * 3 / 4 * 2 / 3)  # 50
    assert b.gain == pytest.approx(50 * 1 / 4 * 2 / 3)
    assert c.gain == pytest.approx(50 * 1 / 1 * 1 / 3)
    assert a.priority == pytest.approx(a.gain * 2 / 1)
    assert b.priority == pytest.approx(b.gain / 3)
    assert c.priority == pytest.approx(c.gain / 2)
    assert [x.id for x in card.actions] == ["a", "c", "b"]
    # each gain is exactly what a full score would add
    for qid in ("a", "b", "c"):
        full = {"a": "no", "b": "2", "c": "partial"} | {qid: {"a": "yes", "b": "4", "c": "yes"}[qid]}
        raised = score(checklist, [answers(full)])
        assert raised.overall is not None and card.overall is not None
        assert raised.overall - card.overall == pytest.approx(card.question(qid).gain)


def test_ties_in_priority_keep_checklist_order() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"), q("c"), q("d", effort="low"))])
    card = score(checklist, [answers({"a": "no", "b": "no", "c": "yes", "d": "no"})])
    assert [x.id for x in card.actions] == ["d", "a", "b"]


def test_targets_give_gaps() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"), target=75), section("t", q("c"), target=40)])
    card = score(checklist, [answers({"a": "yes", "b": "no", "c": "yes"})])
    assert card.section("s").gap == 25.0  # 25 points below target
    assert card.section("t").gap == -60.0  # above target


def test_several_respondents_are_averaged_per_question() -> None:
    checklist = make_checklist([section("s", q("a", "yes-partial-no"), q("b"))])
    files = [
        answers({"a": "yes", "b": "na"}, respondent={"name": "Ann", "role": "management"}),
        answers({"a": "no", "b": "yes"}, respondent={"name": "Bo", "role": "front-line"}),
        answers({"a": "partial", "b": "no", "c": "x"}, respondent={"name": "Cy", "role": "front-line"}),
    ]
    card = score(checklist, files)
    a = card.question("a")
    assert a.score == pytest.approx(50) and a.scored_by == 3 and a.spread == 100
    assert {(r.role, r.score, r.respondents) for r in a.role_means} == {
        ("management", 100.0, 1),
        ("front-line", 25.0, 2),
    }
    assert a.answer == "Yes \u00d71, No \u00d71, Partly \u00d71"
    assert card.question("b").score == 50.0 and card.question("b").scored_by == 2
    assert [r.name for r in card.respondents] == ["Ann", "Bo", "Cy"]
    assert card.counts.total == 6


def test_several_respondents_give_low_high_and_standard_deviation() -> None:
    checklist = make_checklist([section("s", q("m", "maturity"), q("one"))])
    values = [0, 1, 1, 4]  # 0, 25, 25, 100: mean 37.5
    card = score(checklist, [answers({"m": v, "one": "yes" if i == 0 else "na"}) for i, v in enumerate(values)])
    m = card.question("m")
    assert (m.low, m.high, m.spread) == (0.0, 100.0, 100.0)
    expected = math.sqrt(sum((x - 37.5) ** 2 for x in (0, 25, 25, 100)) / 4)  # over the respondents: population
    assert m.stdev == pytest.approx(expected)
    one = card.question("one")
    assert (one.low, one.high, one.spread, one.stdev) == (100.0, 100.0, None, None)


def test_role_means_of_questions_sections_and_the_whole() -> None:
    checklist = make_checklist(
        [
            section("s1", q("a", "maturity", weight=3), q("b", "maturity")),
            section("s2", q("c", "maturity"), weight=2),
        ]
    )
    files = [
        answers({"a": 0, "b": 4, "c": 2}, respondent={"name": "F1", "role": "front-line"}),
        answers({"a": 2, "b": "na", "c": 0}, respondent={"name": "F2", "role": "front-line"}),
        answers({"a": 4, "b": 4, "c": 4}, respondent={"name": "L", "role": "leadership"}),
    ]
    card = score(checklist, files)
    front = {m.role: m.score for m in card.question("a").role_means}
    assert front == {"front-line": 25.0, "leadership": 100.0}
    # front-line sees s1 as (3 x 25 + 1 x 100) / 4 = 43.75; s2 as 25; overall (43.75 + 2 x 25) / 3
    s1 = {m.role: m.score for m in card.section("s1").role_means}
    assert s1 == {"front-line": pytest.approx(43.75), "leadership": 100.0}
    assert card.section("s1").perception_gap == pytest.approx(56.25)
    overall = {m.role: (m.score, m.respondents) for m in card.role_means}
    assert overall == {"front-line": (pytest.approx(31.25), 2), "leadership": (100.0, 1)}


def test_perception_gaps_are_role_means_apart_by_the_threshold_as_shown() -> None:
    checklist = make_checklist([section("s", q("wide", "maturity"), q("narrow", "maturity"), q("alone"))])
    files = [
        answers({"wide": 1, "narrow": 2, "alone": "yes"}, respondent={"name": "F", "role": "front-line"}),
        answers({"wide": 4, "narrow": 3}, respondent={"name": "L", "role": "leadership"}),
    ]
    card = score(checklist, files)
    # the section as front-line sees it: (25 + 50 + 100) / 3; as leadership does: (100 + 75) / 2
    assert [(g.kind, g.id, g.gap) for g in card.perception_gaps] == [
        ("question", "wide", 75.0),
        ("section", "s", pytest.approx(87.5 - 175 / 3)),
        ("question", "narrow", 25.0),
    ]
    gap = card.perception_gaps[0]
    assert (gap.low.role, gap.low.score, gap.high.role, gap.high.score) == ("front-line", 25.0, "leadership", 100.0)
    assert card.question("alone").perception_gap is None  # one role scored it
    assert [g.id for g in score(checklist, files, gap_threshold=29.2).perception_gaps] == ["wide", "s"]
    assert [g.id for g in score(checklist, files, gap_threshold=29.3).perception_gaps] == ["wide"]
    assert score(checklist, files[:1]).perception_gaps == ()


def test_anonymous_scorecards_keep_no_name_and_no_file() -> None:
    checklist = make_checklist([section("s", q("a"), q("b"), q("c", "maturity"))])
    files = [
        answers({"a": {"value": "yes", "note": "Zed's note"}, "c": "unknown"}, respondent={"name": "Zed", "role": "x"}),
        answers({"a": {"value": "no", "note": "Amy's note"}, "b": "yes"}, respondent={"name": "Amy", "role": "b"}),
    ]
    card = score(checklist, files, sources=["zed.yaml", "amy.yaml"], anonymous=True)
    assert card.anonymous
    assert [(r.name, r.source, r.role) for r in card.respondents] == [(None, None, "b"), (None, None, "x")]
    assert [(n.respondent, n.text) for n in card.question("a").notes] == [(None, "Amy's note"), (None, "Zed's note")]
    assert card.question("b").to_answer_by == () and [q.id for q in card.to_answer] == ["b", "c"]
    assert card.question("c").unknown_by == () and [q.id for q in card.data_gaps] == ["c"]
    named = score(checklist, files, sources=["zed.yaml", "amy.yaml"])
    assert [r.name for r in named.respondents] == ["Zed", "Amy"] and named.question("b").to_answer_by == ("Zed",)


def test_an_aggregate_scores_what_it_was_given_so_far() -> None:
    from carecheck.scoring.score import Aggregate

    checklist = make_checklist([section("s", q("a"))])
    aggregate = Aggregate(checklist)
    aggregate.add(answers({"a": "yes"}, completed="2026-07-01T10:00:00Z"))
    assert aggregate.scorecard().overall == 100.0
    aggregate.add(answers({"a": "no"}))
    assert aggregate.scorecard().overall == 50.0
    assert (aggregate.files, aggregate.completed) == (2, 1)


def test_a_long_tally_keeps_the_most_common_answers() -> None:
    checklist = make_checklist([section("s", q("h", NUMBER))])
    hours = [5, 5, 5, 6, 6, 7, 8, 9, 10, 11]
    card = score(checklist, [answers({"h": h}, respondent={"name": f"P{h}"}) for h in hours])
    question = card.question("h")
    assert question.answer == "5 hours \u00d73, 6 hours \u00d72, 7 hours \u00d71, 8 hours \u00d71, 3 other answers"
    assert sum(t.count for t in question.tally) == 10 and len(question.tally) == 7


def test_answers_of_two_organisations_or_audits_are_refused() -> None:
    checklist = make_checklist([section("s", q("a"))])
    with pytest.raises(UsageError, match="two organisations"):
        score(checklist, [answers({"a": "yes"}), answers({"a": "no"}, organisation="Other")])
    with pytest.raises(UsageError, match="two audits"):
        score(checklist, [answers({"a": "yes"}, audit="2026-Q1"), answers({"a": "no"}, audit="2026-Q2")])
    with pytest.raises(UsageError, match="no answer files"):
        score(checklist, [])


def test_answers_to_an_older_checklist_version_are_noted() -> None:
    checklist = make_checklist([section("s", q("a"))])
    file = AnswerFile.model_validate(
        {"carecheck-answers": 1, "checklist": {"id": "t", "version": "0.9"}, "organisation": "O", "answers": {}}
    )
    card = score(checklist, [file])
    assert card.notes == ("Some answers were given to version 0.9 of the checklist; it is now version 1.",)


# ---------------------------------------------------------------------------------------------------
# Properties


SETS = {"yes-no": ["yes", "no"], "yes-partial-no": ["yes", "partial", "no"], "maturity": ["0", "1", "2", "3", "4"]}
ORDER = {"yes-no": ["no", "yes"], "yes-partial-no": ["no", "partial", "yes"], "maturity": ["0", "1", "2", "3", "4"]}
weights = st.floats(min_value=0.1, max_value=10, allow_nan=False)


@st.composite
def questions(draw: st.DrawFn, qid: str) -> dict[str, Any]:
    kind = draw(st.sampled_from([*SETS, "number", "text"]))
    spec: Any = kind
    if kind == "number":
        good, poor = draw(st.sampled_from([(4, 24), (90, 50), (1, 0)]))
        spec = {"type": "number", "good": good, "poor": poor}
    elif kind == "text":
        spec = {"type": "text"}
    return q(
        qid,
        spec,
        weight=draw(weights),
        critical=draw(st.booleans()),
        effort=draw(st.sampled_from(["low", "medium", "high"])),
    )


@st.composite
def audits(draw: st.DrawFn) -> tuple[Checklist, AnswerFile]:
    sections = []
    n = 0
    for s in range(draw(st.integers(1, 4))):
        qs = []
        for _ in range(draw(st.integers(1, 5))):
            qs.append(draw(questions(f"q{n}")))
            n += 1
        sections.append(section(f"s{s}", *qs, weight=draw(weights)))
    checklist = make_checklist(sections, critical_cap="Developing")
    values: dict[str, Any] = {}
    for question in checklist.questions.values():
        spec = question.answers
        if isinstance(spec, str):
            choice = draw(st.sampled_from([*SETS[spec], "na", "unknown", None]))
        elif spec.type == "number":
            choice = draw(st.one_of(st.floats(min_value=-10, max_value=100, allow_nan=False), st.just("na")))
        else:
            choice = draw(st.sampled_from(["evidence", None]))
        if choice is not None:
            values[question.id] = choice if isinstance(choice, str) else {"value": round(choice, 3)}
    return checklist, answers(values)


def all_scores(card: Scorecard) -> list[float | None]:
    return [card.overall, *(s.score for s in card.sections), *(x.score for x in card.questions)]


@settings(max_examples=150, deadline=None)
@given(audits())
def test_scores_stay_within_0_and_100_and_none_means_nothing_scored(case: tuple[Checklist, AnswerFile]) -> None:
    checklist, file = case
    card = score(checklist, [file])
    for value in all_scores(card):
        assert value is None or 0 <= value <= 100
    for s in card.sections:
        assert (s.score is None) == all(x.score is None for x in s.questions)
    assert (card.overall is None) == all(s.score is None for s in card.sections)
    for x in card.questions:
        assert x.gain is None or 0 <= x.gain <= 100


MATURITY_SCORE = {"0": 0.0, "1": 25.0, "2": 50.0, "3": 75.0, "4": 100.0}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["front-line", "management", "back-office"]),
            st.lists(st.sampled_from(["0", "1", "2", "3", "4", "na", "unknown"]), min_size=2, max_size=2),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["front-line", "management", "back-office"]),
)
def test_role_means_spread_and_perception_gaps_ignore_dont_know(
    rows: list[tuple[str, list[str]]], unsure_role: str
) -> None:
    """A role's mean is the mean of its known scores; a respondent answering only "don't know" moves
    no role mean, spread or perception gap, only the question scores (0) and the role's data gaps."""
    checklist = make_checklist([section("s1", q("a", "maturity"), q("b", "maturity", weight=3))])
    files = [
        answers(dict(zip("ab", values, strict=True)), respondent={"name": f"P{i}", "role": role})
        for i, (role, values) in enumerate(rows)
    ]
    card = score(checklist, files)
    for x, column in zip(card.questions, range(2), strict=True):
        known: dict[str, list[float]] = {}
        for role, values in rows:
            if values[column] in MATURITY_SCORE:
                known.setdefault(role, []).append(MATURITY_SCORE[values[column]])
        assert {m.role: m.score for m in x.role_means} == pytest.approx(
            {role: sum(v) / len(v) for role, v in known.items()}
        )
        assert dict(x.unknown_roles) == {
            role: n for role in {r for r, _ in rows} if (n := sum(v[column] == "unknown" for r, v in rows if r == role))
        }
    unsure = answers({"a": "unknown", "b": "unknown"}, respondent={"name": "Unsure", "role": unsure_role})
    after = score(checklist, [*files, unsure])
    for before_q, after_q in zip(card.questions, after.questions, strict=True):
        assert after_q.role_means == before_q.role_means
        assert (after_q.low, after_q.high, after_q.spread) == (before_q.low, before_q.high, before_q.spread)
        assert after_q.perception_gap == before_q.perception_gap
        assert after_q.score == pytest.approx(
            (before_q.score or 0.0) * before_q.scored_by / (before_q.scored_by + 1)
        )  # still 0 in the question's score
    assert after.section("s1").role_means == card.section("s1").role_means
    assert after.perception_gaps == card.perception_gaps
    gaps = {g.role: g.unknown for g in after.role_data_gaps}
    assert gaps[unsure_role] == 2 + {g.role: g.unknown for g in card.role_data_gaps}.get(unsure_role, 0)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["0", "1", "2", "3", "4", "na", "unknown"]), min_size=3, max_size=3),
        min_size=1,
        max_size=8,
    ),
    st.data(),
)
def test_spread_role_means_and_perception_gaps_are_consistent(rows: list[list[str]], data: Any) -> None:
    checklist = make_checklist(
        [section("s1", q("a", "maturity"), q("b", "maturity", weight=2)), section("s2", q("c", "maturity"))]
    )
    roles = data.draw(
        st.lists(st.sampled_from(["front-line", "management", "leadership"]), min_size=len(rows), max_size=len(rows))
    )
    files = [
        answers(dict(zip("abc", row, strict=True)), respondent={"name": f"P{i}", "role": role})
        for i, (row, role) in enumerate(zip(rows, roles, strict=True))
    ]
    threshold = data.draw(st.sampled_from([10.0, 25.0, 60.0]))
    card = score(checklist, files, gap_threshold=threshold)
    for x in card.questions:
        if not x.measured_by:  # nobody scored it, or only "don't know": no spread, no role means
            assert x.low is None and x.high is None and x.stdev is None and not x.role_means
            continue
        assert x.low is not None and x.high is not None and x.score is not None
        # "don't know" scores 0 in the mean but is no perception: the mean may fall below the lowest known score
        assert x.score <= x.high + 1e-9
        assert x.counts.unknown or x.low - 1e-9 <= x.score
        assert x.measured_by + x.counts.unknown == x.scored_by
        assert x.stdev is None or 0 <= x.stdev <= 50 + 1e-9  # scores in 0..100: at most half the range
        means = [m.score for m in x.role_means]
        assert all(x.low - 1e-9 <= m <= x.high + 1e-9 for m in means)
        assert sum(m.respondents for m in x.role_means) == x.measured_by
    for where in (*card.sections, *card.questions):
        means = [m.score for m in where.role_means]
        expected = max(means) - min(means) if len(means) > 1 else None
        assert where.perception_gap == (pytest.approx(expected) if expected is not None else None)
    listed = {(g.kind, g.id) for g in card.perception_gaps}
    for sec in card.sections:
        wide = sec.perception_gap is not None and round(sec.perception_gap, 1) >= threshold
        assert (("section", sec.id) in listed) == wide
    gaps = [round(g.gap, 9) for g in card.perception_gaps]
    assert gaps == sorted(gaps, reverse=True)


@settings(max_examples=150, deadline=None)
@given(audits(), st.data())
def test_raising_one_answer_never_lowers_the_overall_score(case: tuple[Checklist, AnswerFile], data: Any) -> None:
    checklist, file = case
    raisable = [
        qid
        for qid, a in file.answers.items()
        if isinstance(checklist.questions[qid].answers, str) and a.value in ORDER[checklist.questions[qid].answers]
    ]
    if not raisable:
        return
    qid = data.draw(st.sampled_from(raisable))
    order = ORDER[str(checklist.questions[qid].answers)]
    current = order.index(str(file.answers[qid].value))
    better = data.draw(st.sampled_from(order[current:]))
    raised = file.model_copy(
        update={"answers": {**file.answers, qid: file.answers[qid].model_copy(update={"value": better})}}
    )
    before, after = score(checklist, [file]).overall, score(checklist, [raised]).overall
    assert before is not None and after is not None
    assert after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(audits(), st.data())
def test_na_changes_nothing_but_the_denominator(case: tuple[Checklist, AnswerFile], data: Any) -> None:
    checklist, file = case
    qid = data.draw(st.sampled_from(list(checklist.questions)))
    as_na = answers({**{k: v.model_dump(exclude_none=True) for k, v in file.answers.items()}, qid: "na"})
    without = checklist.model_copy(
        update={
            "sections": tuple(
                s.model_copy(update={"questions": tuple(x for x in s.questions if x.id != qid)})
                for s in checklist.sections
            )
        }
    )
    removed = answers({k: v.model_dump(exclude_none=True) for k, v in file.answers.items() if k != qid})
    a, b = score(checklist, [as_na]), score(without, [removed])
    assert _close(a.overall, b.overall)
    for sa, sb in zip(a.sections, b.sections, strict=True):
        assert _close(sa.score, sb.score)
    assert a.rating == b.rating or _near_band_edge(a)


@settings(max_examples=150, deadline=None)
@given(audits(), st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_scaling_every_weight_changes_nothing(case: tuple[Checklist, AnswerFile], factor: float) -> None:
    checklist, file = case
    scaled = checklist.model_copy(
        update={
            "sections": tuple(
                s.model_copy(
                    update={
                        "weight": s.weight * factor,
                        "questions": tuple(x.model_copy(update={"weight": x.weight * factor}) for x in s.questions),
                    }
                )
                for s in checklist.sections
            )
        }
    )
    a, b = score(checklist, [file]), score(scaled, [file])
    for x, y in zip(all_scores(a), all_scores(b), strict=True):
        assert _close(x, y)
    for x, y in zip(a.questions, b.questions, strict=True):
        assert _close(x.gain, y.gain)
    assert {x.id for x in a.actions} == {x.id for x in b.actions}


@settings(max_examples=150, deadline=None)
@given(audits())
def test_the_action_plan_is_ordered_as_the_contract_says(case: tuple[Checklist, AnswerFile]) -> None:
    checklist, file = case
    card = score(checklist, [file])
    order = {qid: n for n, qid in enumerate(checklist.questions)}
    expected = {x.id for x in card.questions if x.score is not None and x.score < 100}
    assert {x.id for x in card.actions} == expected
    for x in card.actions:
        assert x.gain is not None and x.priority is not None
        factor = 2 if x.critical else 1
        cost = {"low": 1, "medium": 2, "high": 3}[x.effort]
        assert x.priority == pytest.approx(x.gain * factor / cost)
    for first, second in zip(card.actions, card.actions[1:], strict=False):
        assert priority_key(first) >= priority_key(second)
        if priority_key(first) == priority_key(second):
            assert order[first.id] < order[second.id]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _near_band_edge(card: Scorecard) -> bool:
    # floating sums may differ in the last bit; only a score sitting on a rounding edge may flip a band
    return card.overall is not None and abs(card.overall * 10 % 1 - 0.5) < 1e-6


# ---------------------------------------------------------------------------------------------------
# The documented worked example, recomputed from the documents' own text


def _worked_example(text: str) -> tuple[str, str, list[tuple[str, str, str]]]:
    section_text = text[text.index("## How scores are computed") :]
    end = section_text.find("\n## ", 10)
    section_text = section_text if end == -1 else section_text[:end]
    blocks = re.findall(r"```yaml\n(.*?)```", section_text, re.S)
    rows = re.findall(r"^\| ([a-z ]+) \| ([a-z-]*) \| (.+?) \|$", section_text, re.M)
    return blocks[0], blocks[1], [r for r in rows if r[0] not in ("result",)]


@pytest.mark.parametrize("document", ["README.md", "docs/scoring.md"])
def test_the_worked_example_computes_as_documented(document: str, tmp_path: Path) -> None:
    checklist_text, answers_text, rows = _worked_example((ROOT / document).read_text(encoding="utf-8"))
    assert len(rows) >= 10
    (tmp_path / "worked-example.yaml").write_text(checklist_text, encoding="utf-8")
    (tmp_path / "answers.yaml").write_text(answers_text, encoding="utf-8")
    stream = AnswerStream([(tmp_path / "answers.yaml", True)], Catalog())
    ((_, _, answers, findings),) = stream.items()
    card = score(stream.checklist, [answers])
    assert findings == []
    for kind, of, value in rows:
        if kind == "question score":
            actual: Any = card.question(of).score
        elif kind == "section score":
            actual = card.section(of).score
        elif kind == "overall score":
            actual = card.overall
        elif kind == "practice score":
            actual = card.practice_score
        elif kind == "results score":
            actual = card.results_score
        elif kind == "band":
            actual = card.rating.band if card.rating else None
        elif kind == "rating":
            actual = card.rating.label if card.rating else None
        elif kind == "gain":
            actual = card.question(of).gain
        elif kind == "priority":
            actual = card.question(of).priority
        elif kind == "action plan":
            actual = ", ".join(x.id for x in card.actions)
        else:
            pytest.fail(f"unknown row kind {kind!r} in {document}")
        if value == "no score":
            assert actual is None, (kind, of)
        elif isinstance(actual, float):
            decimals = len(value.partition(".")[2])
            assert round(actual, decimals) == float(value), (kind, of, actual, value)
        else:
            assert actual == value, (kind, of)


def test_the_readme_and_docs_say_the_same() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")

    def section_of(text: str) -> str:
        start = text.index("## How scores are computed")
        end = text.find("\n## ", start + 10)
        return (text[start:] if end == -1 else text[start:end]).strip()

    assert section_of(readme) == section_of(docs)


@settings(max_examples=150, deadline=None)
@given(audits(), st.data())
def test_a_subset_scores_as_a_checklist_of_only_the_questions_asked(
    case: tuple[Checklist, AnswerFile], data: Any
) -> None:
    checklist, file = case
    ids = list(checklist.questions)
    asked = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    # answers to questions not asked stay in the file, kept and not scored
    subset = score(checklist, [file.model_copy(update={"questions": tuple(asked)})])
    sections = [
        {**s, "questions": [x for x in s["questions"] if x["id"] in asked]}
        for s in checklist.model_dump(mode="json", by_alias=True, exclude_none=True)["sections"]
    ]
    only = make_checklist([s for s in sections if s["questions"]], critical_cap="Developing")
    alone = score(only, [file.model_copy(update={"answers": {q: a for q, a in file.answers.items() if q in asked}})])
    assert subset.overall == (pytest.approx(alone.overall) if alone.overall is not None else None)
    assert subset.rating == alone.rating and subset.draft == alone.draft
    for x in alone.questions:
        assert subset.question(x.id).score == x.score
    for s in alone.sections:
        assert subset.section(s.id).score == (pytest.approx(s.score) if s.score is not None else None)
    assert [q.id for q in subset.actions] == [q.id for q in alone.actions]
    assert subset.asked_questions == (None if len(asked) == len(ids) else len(asked))
    assert all(subset.question(q).counts.off == 1 for q in ids if q not in asked)
