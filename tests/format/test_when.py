"""Which questions are asked given the answers so far (`when`): one rule, the same in scoring, the interview
and the survey import (format.answers.is_asked). A `when` whose question is unanswered is not asked."""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from carecheck.catalog.loading import Catalog
from carecheck.format.model import Answer, AnswerFile
from carecheck.interview.walk import Audit
from carecheck.scoring.score import score
from carecheck.survey.csv_import import parse_survey

CHECKLIST = """carecheck: 1
id: chained
title: Chained
version: '1'
sections:
  - id: s
    title: S
    questions:
      - {id: phone, text: A phone line?, answers: yes-no}
      - {id: phone-hours, text: Published hours?, answers: yes-no, when: {question: phone, is: 'yes'}}
      - {id: phone-out, text: Out-of-hours message?, answers: yes-no, when: {question: phone-hours, is: 'no'}}
      - {id: email, text: Email?, answers: yes-partial-no}
      - {id: email-reply, text: Reply time known?, answers: maturity, when: {question: email, is: ['yes', partial]}}
"""
IDS = ["phone", "phone-hours", "phone-out", "email", "email-reply"]
CHOICES = {
    "phone": ["yes", "no"],
    "phone-hours": ["yes", "no"],
    "phone-out": ["yes", "no"],
    "email": ["yes", "partial", "no"],
    "email-reply": ["0", "2", "4"],
}


def _checklist(folder: Path) -> Catalog:
    (folder / "chained.yaml").write_text(CHECKLIST, encoding="utf-8")
    return Catalog(folders=[folder])


CHECKED = _checklist(Path(tempfile.mkdtemp(prefix="carecheck-when-"))).load("chained").checklist


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, str]:
    values: dict[str, str] = {}
    for qid in IDS:
        value = draw(st.sampled_from([None, "na", "unknown", *CHOICES[qid]]))
        if value is not None:
            values[qid] = value
    return values


def _answer_file(values: dict[str, str]) -> AnswerFile:
    return AnswerFile.model_validate(
        {
            "carecheck-answers": 1,
            "checklist": {"id": "chained"},
            "organisation": "Acme",
            "respondent": {"name": "Jo", "role": "front-line"},
            "started": datetime(2026, 8, 1, tzinfo=timezone.utc),
            "answers": {qid: {"value": v} for qid, v in values.items()},
        }
    )


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_scoring_the_interview_and_the_import_ask_the_same_questions(values: dict[str, str]) -> None:
    file = _answer_file(values)
    started = file.started
    assert started is not None
    # the interview: the questions it shows
    audit = Audit(CHECKED, Path("a.yaml"), file, {qid: Answer(value=v) for qid, v in values.items()})
    shown = {q.id for q in CHECKED.questions.values() if audit.is_visible(q)}
    # scoring: the questions not switched off
    card = score(CHECKED, [file])
    scored = {q.id for s in card.sections for q in s.questions if q.counts.off == 0}
    assert scored == shown
    # the import: the questions it still wants answered are the shown ones left unanswered
    header = "name,role,organisation," + ",".join(IDS)
    row = "Jo,front-line,Acme," + ",".join(values.get(qid, "") for qid in IDS)
    survey, _ = parse_survey(f"{header}\n{row}\n", "s.csv", CHECKED, now=started)
    assert survey.errors == []
    (imported,) = survey.rows
    assert set(imported.missing) == {qid for qid in shown if qid not in values}


def test_a_dependent_question_is_not_asked_while_its_question_is_unanswered() -> None:
    values = {"phone-hours": "no"}  # answered although `phone` has no answer: kept, not asked, not scored
    audit = Audit(CHECKED, Path("a.yaml"), _answer_file(values), {k: Answer(value=v) for k, v in values.items()})
    assert not audit.is_visible(CHECKED.questions["phone-hours"])
    assert not audit.is_visible(CHECKED.questions["phone-out"])
    card = score(CHECKED, [_answer_file(values)])
    hours = next(q for s in card.sections for q in s.questions if q.id == "phone-hours")
    assert hours.counts.off == 1 and hours.score is None


def test_validate_names_an_answer_to_a_question_that_is_not_asked(run, tmp_path: Path) -> None:
    (tmp_path / "chained.yaml").write_text(CHECKLIST, encoding="utf-8")
    answers = tmp_path / "jo.yaml"
    answers.write_text(
        "carecheck-answers: 1\nchecklist: {id: chained}\norganisation: Acme\n"
        "respondent: {name: Jo, role: front-line}\n"
        "answers:\n  phone: {value: 'no'}\n  phone-hours: {value: 'yes'}\n  email-reply: {value: '2'}\n",
        encoding="utf-8",
    )
    result = run("validate", str(answers))  # its checklist is found by id beside it
    assert result.exit_code == 0, result.output  # warnings: the answers are kept
    said = result.stdout.splitlines()
    assert (
        f"{answers}:7:16: CC207 warning: 'phone-hours' is answered but not asked ('phone' is 'no'): kept, not scored"
        in said
    )
    assert (
        f"{answers}:8:16: CC207 warning: 'email-reply' is answered but not asked ('email' is unanswered): "
        "kept, not scored" in said
    )
    assert run("validate", "--strict", str(answers)).exit_code == 1


def test_questions_asked_scope_the_interview_scoring_and_validate(run, tmp_path: Path) -> None:
    """`questions:` (a short survey) asks only those: the others are not asked, in every part alike."""
    values = {"phone": "yes", "email": "no"}
    header = _answer_file(values).model_copy(update={"questions": ("phone", "phone-hours")})
    audit = Audit(CHECKED, Path("a.yaml"), header, {k: Answer(value=v) for k, v in values.items()})
    assert [q.id for q in audit.visible()] == ["phone", "phone-hours"]
    card = score(CHECKED, [header])
    assert card.question("email").counts.off == 1 and card.question("email").score is None
    assert [q.id for q in card.to_answer] == ["phone-hours"] and card.asked_questions == 2
    (tmp_path / "chained.yaml").write_text(CHECKLIST, encoding="utf-8")
    answers = tmp_path / "jo.yaml"
    answers.write_text(
        "carecheck-answers: 1\nchecklist: {id: chained}\norganisation: Acme\n"
        "respondent: {name: Jo, role: front-line}\nquestions: [phone, phone-hour]\n"
        "answers:\n  phone: {value: 'no'}\n  email: {value: 'yes'}\n",
        encoding="utf-8",
    )
    said = run("validate", str(answers)).stdout.splitlines()
    assert (
        f"{answers}:5:20: CC208 warning: no question 'phone-hour' in checklist 'chained' "
        "(did you mean 'phone-hours'?)" in said
    )
    assert (
        f"{answers}:8:10: CC207 warning: 'email' is answered but not among the questions asked (`questions:`): "
        "kept, not scored" in said
    )
