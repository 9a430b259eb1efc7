"""trends.py: what changed between two audits, checklist versions, history series, sparklines."""

from __future__ import annotations

from typing import Any

import pytest

from carecheck.errors import UsageError
from carecheck.format.model import DEFAULT_BANDS, AnswerFile, Checklist
from carecheck.scoring.score import Aggregate, Scorecard
from carecheck.scoring.trends import AuditPoint, Series, compare, difference, sparkline


def make_checklist(sections: list[dict[str, Any]], **fields: Any) -> Checklist:
    data = {"carecheck": 1, "id": "t", "title": "T", "version": "1", "sections": sections, **fields}
    return Checklist.model_validate(data).model_copy(update={"bands": DEFAULT_BANDS})


def q(qid: str, answers: Any = "yes-no", **fields: Any) -> dict[str, Any]:
    return {"id": qid, "text": f"Question {qid}?", "answers": answers, **fields}


def section(sid: str, *questions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": sid, "title": f"Section {sid}", "questions": list(questions), **fields}


def answers(values: dict[str, Any], *, audit: str, version: str = "1", **fields: Any) -> AnswerFile:
    data = {
        "carecheck-answers": 1,
        "checklist": {"id": "t", "version": version},
        "organisation": fields.pop("organisation", "Org"),
        "audit": audit,
        "answers": values,
        **fields,
    }
    return AnswerFile.model_validate(data)


def card(checklist: Checklist, *files: AnswerFile, lenient: bool = True) -> Scorecard:
    aggregate = Aggregate(checklist, lenient=lenient)
    for file in files:
        aggregate.add(file)
    return aggregate.scorecard()


CHECKLIST = make_checklist(
    [
        section("s1", q("crit", "yes-partial-no", critical=True), q("m", "maturity"), target=75),
        section("s2", q("a"), q("b"), target=50),
    ]
)


def test_changes_are_differences_of_the_shown_scores() -> None:
    before = card(CHECKLIST, answers({"crit": "no", "m": 1, "a": "yes", "b": "no"}, audit="Q1"))
    after = card(CHECKLIST, answers({"crit": "yes", "m": 2, "a": "yes", "b": "no"}, audit="Q2"))
    c = compare(after, before)
    # overall 31.25 (shown 31.2) then 62.5: the change is 62.5 - 31.2
    assert (c.overall_before, c.overall_after, c.overall_change) == (pytest.approx(31.25), pytest.approx(62.5), 31.3)
    assert [(s.id, s.before, s.after, s.change) for s in c.sections] == [
        ("s1", 12.5, 75.0, 62.5),
        ("s2", 50.0, 50.0, 0.0),
    ]
    assert [(x.id, x.change) for x in c.improved] == [("crit", 100.0), ("m", 25.0)]
    assert c.declined == () and c.unchanged == 2
    assert difference(66.66, 33.33) == 33.4  # 66.7 - 33.3, as the reader sees them


def test_gaps_to_target_close_and_open_against_the_question_or_its_section_target() -> None:
    checklist = make_checklist(
        [section("s1", q("own", "maturity", target=30), q("inherits", "maturity"), target=60)],
    )
    before = card(checklist, answers({"own": 0, "inherits": 4}, audit="Q1"))  # 0 < 30; 100 >= 60
    after = card(checklist, answers({"own": 2, "inherits": 1}, audit="Q2"))  # 50 >= 30; 25 < 60
    c = compare(after, before)
    assert [x.id for x in c.gaps_closed] == ["own"]
    assert [x.id for x in c.gaps_opened] == ["inherits"]
    assert c.questions[0].target == 30 and c.questions[1].target == 60
    assert c.sections[0].gap is None  # 50 then 37.5: below 60 both times


def test_critical_questions_recover_and_fall_at_50() -> None:
    checklist = make_checklist([section("s", q("c1", "maturity", critical=True), q("c2", "maturity", critical=True))])
    before = card(checklist, answers({"c1": 1, "c2": 2}, audit="Q1"))  # 25 failing, 50 fine
    after = card(checklist, answers({"c1": 2, "c2": 1}, audit="Q2"))
    c = compare(after, before)
    assert [x.id for x in c.critical_recovered] == ["c1"]
    assert [x.id for x in c.critical_fell] == ["c2"]


def test_a_checklist_version_change_lists_added_removed_and_reworded_questions() -> None:
    old_text_hash = "0badc0de"
    before = card(
        CHECKLIST,
        answers(
            {"crit": "no", "m": {"value": 1, "asked": old_text_hash}, "a": "yes", "gone": "yes"},
            audit="Q1",
            version="0.9",
        ),
    )
    after = card(CHECKLIST, answers({"crit": "yes", "m": 2, "a": "yes", "b": "yes"}, audit="Q2"))
    c = compare(after, before)
    assert [x.id for x in c.added] == ["b"]  # nobody answered it then, and the version differs
    assert c.removed == ("gone",)
    assert [x.id for x in c.reworded] == ["m"]
    assert "b" not in [x.id for x in c.questions]  # listed, never scored as a change
    assert before.draft is False  # a question new since is "not asked" in the old audit, not "to answer"


def test_the_same_version_never_calls_an_unanswered_question_added() -> None:
    before = card(CHECKLIST, answers({"crit": "no", "m": 1, "a": "yes"}, audit="Q1"))
    after = card(CHECKLIST, answers({"crit": "yes", "m": 2, "a": "yes", "b": "yes"}, audit="Q2"))
    c = compare(after, before)
    assert c.added == ()
    assert next(x for x in c.questions if x.id == "b").change is None


def test_answers_that_no_longer_fit_leave_the_question_out() -> None:
    before = card(CHECKLIST, answers({"crit": "no", "m": 1, "a": "partial", "b": "no"}, audit="Q1", version="0.9"))
    assert before.misfits == ("a",)
    assert before.question("a").score is None
    after = card(CHECKLIST, answers({"crit": "yes", "m": 2, "a": "yes", "b": "yes"}, audit="Q2"))
    c = compare(after, before)
    assert [m.id for m in c.misfits] == ["a"]
    assert "a" not in [x.id for x in c.questions]


def test_a_strict_aggregate_still_refuses_what_does_not_fit() -> None:
    from carecheck.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="'partial' is not an answer to 'a'"):
        card(CHECKLIST, answers({"a": "partial"}, audit="Q1"), lenient=False)


def test_different_checklists_or_organisations_cannot_be_compared() -> None:
    other = make_checklist([section("s", q("x"))], id="other")
    mine = card(CHECKLIST, answers({"a": "yes"}, audit="Q2"))
    theirs = Aggregate(other, lenient=True)
    theirs.add(AnswerFile.model_validate({**_raw(audit="Q1"), "checklist": {"id": "other"}, "answers": {"x": "yes"}}))
    with pytest.raises(UsageError, match="checklist 'other' and the report checklist 't'"):
        compare(mine, theirs.scorecard())
    elsewhere = card(CHECKLIST, answers({"a": "yes"}, audit="Q1", organisation="Elsewhere"))
    with pytest.raises(UsageError, match="an audit of 'Elsewhere', the report of 'Org'"):
        compare(mine, elsewhere)


def _raw(**fields: Any) -> dict[str, Any]:
    return {"carecheck-answers": 1, "checklist": {"id": "t"}, "organisation": "Org", **fields}


def test_the_trend_holds_every_earlier_audit_then_this_one() -> None:
    q1 = card(CHECKLIST, answers({"crit": "no", "m": 0, "a": "no", "b": "no"}, audit="Q1"))
    q2 = card(CHECKLIST, answers({"crit": "partial", "m": 2, "a": "no", "b": "no"}, audit="Q2"))
    q3 = card(CHECKLIST, answers({"crit": "yes", "m": 4, "a": "yes", "b": "no"}, audit="Q3"))
    c = compare(q3, q2, [AuditPoint.of(q1), AuditPoint.of(q2)])
    assert [p.audit for p in c.trend] == ["Q1", "Q2", "Q3"]
    assert [p.overall for p in c.trend] == [0.0, pytest.approx(25.0), pytest.approx(75.0)]
    assert compare(q3, q2).trend[0].audit == "Q2"  # the baseline joins the trend when not given


def test_a_series_gives_each_audit_its_change_from_the_one_before() -> None:
    q1 = card(CHECKLIST, answers({"crit": "no", "m": 0, "a": "no", "b": "no"}, audit="Q1"))
    q2 = card(CHECKLIST, answers({"crit": "yes", "m": 4, "a": "yes", "b": "no"}, audit="Q2"))
    series = Series.of("Org", [q1, q2])
    assert [e.change for e in series.entries] == [None, 75.0]
    assert series.sections[0].scores == (0.0, 100.0) and series.sections[0].changes == (None, 100.0)
    assert series.sparkline == "\u2581\u2587"


def test_sparkline_maps_0_to_100_onto_eight_blocks() -> None:
    assert sparkline([0, 12.5, 50, 99.9, 100, None]) == "\u2581\u2582\u2585\u2588\u2588 "
