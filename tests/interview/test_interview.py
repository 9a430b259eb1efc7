"""The walk-through logic, driven by a scripted prompter: every move a manager can make."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from scripted import Prompt, ScriptedPrompter

from carecheck.catalog.loading import Catalog, load_answer_file
from carecheck.errors import EXIT_INTERRUPTED, Interrupted
from carecheck.format.model import AnswerFile
from carecheck.interview.walk import AuditRequest, AuditResult, run_audit

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"
MINIMAL_V2 = FIXTURES / "audit" / "minimal-v2.yaml"
STRICT = FIXTURES / "audit" / "strict.yaml"

HAS_EMAIL = "Do customers reach you by email?"
HOURS = "Median first reply to email, in hours?"
TRAINED = "Are staff trained?"
RATING = "How do customers rate you?"
EVIDENCE = "Where is training recorded?"


def clock() -> Callable[[], datetime]:
    ticks = itertools.count()
    start = datetime(2026, 8, 3, 9, 0, tzinfo=timezone.utc)
    return lambda: start + timedelta(minutes=next(ticks))


def audit(
    folder: Path, *steps: Any, checklist: Path | None = MINIMAL, before_prompt: Any = None, **options: Any
) -> tuple[AuditResult, ScriptedPrompter]:
    """Run `carecheck audit` on a script; identity given as options unless the test overrides it."""
    identity = {"organisation": "Acme Ltd", "respondent": "Jo Smith", "role": "front-line"}
    request = AuditRequest(folder=folder, checklist=str(checklist) if checklist else None, **{**identity, **options})
    prompter = ScriptedPrompter(*steps, before_prompt=before_prompt)
    result = run_audit(request, Catalog(), prompter, now=clock())
    prompter.assert_done()
    return result, prompter


def read(path: Path) -> AnswerFile:
    return load_answer_file(path)[1]


def values(path: Path) -> dict[str, str | None]:
    return {qid: a.value for qid, a in read(path).answers.items()}


FULL_WALK = (
    (HAS_EMAIL, "Yes"),
    (HOURS, "Enter a number"),
    "6.5",
    (TRAINED, "Defined"),
    (RATING, "Two stars"),
    (EVIDENCE, "Type the answer"),
    "The training log on the intranet",
    ("Nothing left to answer", "Finish the audit"),
)


def test_a_full_walk_saves_every_answer_and_marks_the_audit_completed(tmp_path: Path) -> None:
    result, _ = audit(tmp_path, *FULL_WALK)

    assert result.completed and result.path == tmp_path / "acme-ltd" / "2026-Q3" / "minimal--jo-smith.yaml"
    saved = read(result.path)
    assert saved.completed is not None and saved.audit == "2026-Q3"
    assert (saved.organisation, saved.respondent.name, saved.respondent.role) == ("Acme Ltd", "Jo Smith", "front-line")
    assert values(result.path) == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "trained": "2",
        "rating": "2",
        "evidence": "The training log on the intranet",
    }
    checklist = Catalog().load(str(MINIMAL)).checklist
    assert saved.checklist.sha256 == checklist.sha256
    for qid, answer in saved.answers.items():
        assert answer.asked == checklist.questions[qid].text_hash and answer.at is not None
    assert (result.counts.answered, result.counts.total, result.missing) == (5, 5, ())
    assert result.report_command == f"carecheck report {result.path} --checklist {MINIMAL}"


def test_each_answer_is_on_disk_before_the_next_question_is_shown(tmp_path: Path) -> None:
    given_before: list[int] = []

    def check(prompt: Prompt) -> None:
        files = list(tmp_path.rglob("*.yaml"))
        given_before.append(sum(a.value is not None for a in read(files[0]).answers.values()) if files else -1)

    audit(tmp_path, *FULL_WALK, before_prompt=check)
    # menus and the number/text prompts: 0 answers on disk at the first, one more after each answer
    assert given_before == [0, 1, 1, 2, 3, 4, 4, 5]


def test_identity_is_asked_when_not_given(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        ("Organisation", ""),  # refused: empty
        "  Zeta & Co  ",
        ("Your name", "Ana Núñez"),
        ("Your role", "Back office"),
        *FULL_WALK,
        organisation=None,
        respondent=None,
        role=None,
    )
    saved = read(result.path)
    assert (saved.organisation, saved.respondent.name, saved.respondent.role) == (
        "Zeta & Co",
        "Ana Núñez",
        "back-office",
    )
    assert result.path.relative_to(tmp_path).parts[::2] == ("zeta-co", "minimal--ana-nunez.yaml")
    assert prompter.refused == [("", "Please enter the organisation.")]


def test_not_applicable_and_dont_know_are_answers_and_when_hides_a_question(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        (HAS_EMAIL, "Not applicable"),
        (TRAINED, "Don't know"),
        (RATING, "Three stars"),
        (EVIDENCE, "Not applicable"),
        "Finish the audit",
    )
    assert HOURS not in prompter.questions  # asked only when has-email is yes
    assert values(result.path) == {"has-email": "na", "trained": "unknown", "rating": "3", "evidence": "na"}
    assert (result.counts.total, result.counts.not_applicable, result.counts.unknown) == (4, 2, 1)


def test_not_applicable_is_not_offered_when_the_question_refuses_it(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        ("complaints policy", "Yes"),
        ("satisfied", "Enter a number"),
        "abc",
        "101",
        "-1",
        " 87.5 ",
        "Finish",
        checklist=STRICT,
    )
    first, second = (p for p in prompter.prompts if p.kind == "select" and "?" in p.message)
    assert "Not applicable" not in first.labels and "Not applicable" in second.labels
    assert prompter.refused == [
        ("abc", "Please type a number, such as 4 or 6.5."),
        ("101", "The largest value allowed is 100."),
        ("-1", "The smallest value allowed is 0."),
    ]
    assert values(result.path) == {"has-policy": "yes", "satisfaction": "87.5"}
    assert "A document staff can point to, not a habit." in prompter.text_said()


def test_a_note_is_saved_at_once_and_can_be_edited_or_removed(tmp_path: Path) -> None:
    notes: list[str | None] = []

    def note_on_disk(prompt: Prompt) -> None:
        files = list(tmp_path.rglob("*.yaml"))
        if files and prompt.message == HAS_EMAIL:
            answer = read(files[0]).answers.get("has-email")
            notes.append(answer.note if answer else None)

    with pytest.raises(Interrupted):
        audit(
            tmp_path,
            (HAS_EMAIL, "Add a note"),
            ("Note", "Shared inbox, see the rota"),
            (HAS_EMAIL, "Edit the note"),
            ("Note", "Shared inbox"),
            (HAS_EMAIL, "Yes"),
            (HOURS, "Back"),
            (HAS_EMAIL, "Edit the note"),
            ("Note", ""),
            (HAS_EMAIL, "Yes"),
            (HOURS, KeyboardInterrupt),
            before_prompt=note_on_disk,
        )
    assert notes == [None, "Shared inbox, see the rota", "Shared inbox", "Shared inbox", None]
    saved = read(next(tmp_path.rglob("*.yaml")))
    assert saved.answers["has-email"].value == "yes" and saved.answers["has-email"].note is None


def test_a_note_without_an_answer_leaves_the_question_unanswered(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "Add a note"), ("Note", "Ask IT"), (HAS_EMAIL, KeyboardInterrupt))
    answer = read(next(tmp_path.rglob("*.yaml"))).answers["has-email"]
    assert (answer.value, answer.note, answer.skipped) == (None, "Ask IT", False)


def test_back_shows_the_previous_answer_and_changing_it_hides_a_conditional_question(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        (HAS_EMAIL, "Yes"),
        (HOURS, "Enter a number"),
        "6",
        (TRAINED, "Back"),
        (HOURS, "Change the answer (6 hours)"),
        "8",
        (TRAINED, "Back"),
        (HOURS, "Back"),
        (HAS_EMAIL, "No"),
        (TRAINED, "Ad hoc"),  # the hours question is gone
        (RATING, "One star"),
        (EVIDENCE, "Skip for now"),
        ("Revisit", "Finish"),
        True,
    )
    by_message = [(p.message, p.default) for p in prompter.prompts if p.kind == "select"]
    assert (HOURS, "Change the answer (6 hours)…") in by_message
    assert (HAS_EMAIL, "Yes") in by_message  # the current answer is preselected when going back
    assert [m for m, _ in by_message].count(HOURS) == 3
    assert "Current answer: 6 hours" in prompter.text_said()
    # the hidden answer is kept in the file (it comes back if the answer changes again) but not counted
    assert values(result.path)["email-reply-hours"] == "8"
    assert result.counts.total == 4 and [q.id for q in result.missing] == ["evidence"]


def test_a_conditional_question_appears_when_its_condition_becomes_true(tmp_path: Path) -> None:
    result, _ = audit(
        tmp_path,
        (HAS_EMAIL, "No"),
        (TRAINED, "Back"),
        (HAS_EMAIL, "Yes"),
        (HOURS, "Enter a number"),  # appears right after the answer that switches it on
        "3",
        (TRAINED, "Ad hoc"),
        (RATING, "One star"),
        (EVIDENCE, "Not applicable"),
        "Finish",
    )
    assert values(result.path)["email-reply-hours"] == "3"


def test_skip_then_review_lists_it_and_revisiting_returns_to_the_review(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        (HAS_EMAIL, "Skip for now"),
        (TRAINED, "Skip for now"),
        (RATING, "One star"),
        (EVIDENCE, "Not applicable"),
        ("Revisit a question, or finish", "Skipped: Are staff trained?"),
        (TRAINED, "Systematic"),
        ("Revisit a question, or finish", "Finish the audit"),
        ("1 question is still open", False),
        ("Revisit a question, or finish", "Skipped: Do customers"),
        (HAS_EMAIL, "No"),
        ("Nothing left to answer", "Finish"),
    )
    review = next(p for p in prompter.prompts if p.message.startswith("Revisit"))
    assert review.labels[:2] == [f"Skipped: {HAS_EMAIL}", f"Skipped: {TRAINED}"]
    assert review.default == f"Skipped: {HAS_EMAIL}"
    stands = "4 questions asked: 1 answered  ·  1 not applicable  ·  0 don't know  ·  2 to answer (2 skipped)"
    assert stands in prompter.text_said()
    saved = read(result.path)
    assert saved.completed is not None and values(result.path)["trained"] == "3"
    assert not saved.answers["trained"].skipped


def test_a_skipped_question_is_saved_as_skipped(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "Skip"), (TRAINED, KeyboardInterrupt))
    answer = read(next(tmp_path.rglob("*.yaml"))).answers["has-email"]
    assert (answer.value, answer.skipped) == (None, True)


def test_finishing_with_open_questions_after_confirming(tmp_path: Path) -> None:
    result, _ = audit(
        tmp_path,
        (HAS_EMAIL, "Go to the section list"),
        ("Go to a section", "Review and finish"),
        ("Revisit", "Finish the audit"),
        ("4 questions are still open", True),
    )
    assert result.completed and [q.id for q in result.missing] == ["has-email", "trained", "rating", "evidence"]


def test_jump_to_a_section_and_back_to_the_question(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        (HAS_EMAIL, "Go to the section list"),
        ("Go to a section", "Back to the question"),
        (HAS_EMAIL, "Go to the section list"),
        ("Go to a section", "2. People"),
        (TRAINED, "Reviewed"),
        (RATING, "Go to the section list"),
        ("Go to a section", "1. Contact"),
        (HAS_EMAIL, "No"),
        # has-email was open: the walk goes on to the next open question, not to trained again
        (RATING, "One star"),
        (EVIDENCE, "Type the answer"),
        "",  # empty: back to the choices
        (EVIDENCE, "Type the answer"),
        "HR folder",
        "Finish",
    )
    sections = [p for p in prompter.prompts if p.message == "Go to a section"]
    assert sections[0].labels[:2] == ["1. Contact  (1 of 1 to answer)", "2. People  (3 of 3 to answer)"]
    assert sections[2].labels[:2] == ["1. Contact  (1 of 1 to answer)", "2. People  (2 of 3 to answer)"]
    assert sections[2].default == "2. People  (2 of 3 to answer)"
    assert values(result.path) == {"trained": "4", "has-email": "no", "rating": "1", "evidence": "HR folder"}


def test_back_is_not_offered_at_the_first_question(tmp_path: Path) -> None:
    _, prompter = audit(tmp_path, *FULL_WALK)
    first = prompter.prompts[0]
    assert "Back to the previous question" not in first.labels
    assert "Back to the previous question" in prompter.prompts[1].labels


def test_positions_are_shown(tmp_path: Path) -> None:
    _, prompter = audit(tmp_path, *FULL_WALK)
    positions = [text for text, style in prompter.said if style == "position"]
    assert positions[0] == "Contact  ·  section 1 of 2  ·  question 1 of 1  ·  4 to answer"
    assert positions[1] == "Contact  ·  section 1 of 2  ·  question 2 of 2  ·  4 to answer"
    assert positions[-1] == "People  ·  section 2 of 2  ·  question 3 of 3  ·  1 to answer"


# ---------------------------------------------------------------------------------------------------
# Ctrl-C and resuming


def test_ctrl_c_saves_and_says_how_to_resume(tmp_path: Path) -> None:
    with pytest.raises(Interrupted) as info:
        audit(tmp_path, (HAS_EMAIL, "Yes"), (HOURS, "Enter a number"), KeyboardInterrupt)
    path = tmp_path / "acme-ltd" / "2026-Q3" / "minimal--jo-smith.yaml"
    assert info.value.exit_code == EXIT_INTERRUPTED == 130
    assert f"saved in {path}" in info.value.message
    assert f"carecheck audit {MINIMAL} --resume {path}" in info.value.message
    assert values(path) == {"has-email": "yes"} and read(path).completed is None


def test_running_again_offers_to_resume_where_it_stopped(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "Yes"), (HOURS, "Skip"), (TRAINED, EOFError))
    result, prompter = audit(
        tmp_path,
        ("Resume or start again?", "Resume: Acme Ltd, Jo Smith (front-line), 2026-Q3"),
        (TRAINED, "Defined"),  # the first open question: the skipped one waits for the review
        (RATING, "Two stars"),
        (EVIDENCE, "Not applicable"),
        ("Revisit", f"Skipped: {HOURS}"),
        (HOURS, "Enter a number"),
        "2",
        "Finish",
        organisation=None,
        respondent=None,
        role=None,
    )
    assert result.path == tmp_path / "acme-ltd" / "2026-Q3" / "minimal--jo-smith.yaml"
    assert len(list(tmp_path.rglob("*.yaml"))) == 1
    assert values(result.path) == {
        "has-email": "yes",
        "email-reply-hours": "2",
        "trained": "2",
        "rating": "2",
        "evidence": "na",
    }
    assert "There is an unfinished audit of Minimal checklist." in prompter.text_said()


def test_new_audit_never_overwrites_an_unfinished_one(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "Yes"), KeyboardInterrupt)
    first = tmp_path / "acme-ltd" / "2026-Q3" / "minimal--jo-smith.yaml"
    with pytest.raises(Interrupted):
        audit(tmp_path, ("Resume or start again?", "Start a new audit"), (HAS_EMAIL, "No"), KeyboardInterrupt)
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "Not applicable"), KeyboardInterrupt, new=True)
    assert values(first) == {"has-email": "yes"}
    assert values(first.with_name("minimal--jo-smith--2.yaml")) == {"has-email": "no"}
    assert values(first.with_name("minimal--jo-smith--3.yaml")) == {"has-email": "na"}


def test_resume_file_continues_that_file(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "No"), KeyboardInterrupt)
    path = next(tmp_path.rglob("*.yaml"))
    result, prompter = audit(
        tmp_path,
        (TRAINED, "Ad hoc"),
        (RATING, "One star"),
        (EVIDENCE, "Not applicable"),
        "Finish",
        resume=path,
        organisation=None,
        respondent=None,
        role=None,
    )
    assert result.path == path and result.completed
    assert "Resuming Minimal checklist for Acme Ltd, Jo Smith." in prompter.text_said()


def test_resume_after_the_checklist_changed_asks_only_what_is_new_or_reworded(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(
            tmp_path,
            (HAS_EMAIL, "No"),
            (TRAINED, "Defined"),
            (RATING, "Two stars"),
            (EVIDENCE, "Type the answer"),
            "HR folder",
            ("Nothing left to answer", KeyboardInterrupt),
        )
    path = next(tmp_path.rglob("*.yaml"))
    v2 = Catalog().load(str(MINIMAL_V2)).checklist
    _, prompter = audit(
        tmp_path,
        ("Do you record every complaint?", "Partly"),
        ("Are all customer-facing staff trained", "Systematic"),  # reworded: asked again
        ("Nothing left to answer", "Finish"),
        checklist=MINIMAL_V2,
        resume=path,
    )
    said = prompter.text_said()
    assert "The checklist changed since these answers were given." in said
    assert "New questions (1):\n  - Do you record every complaint?" in said
    assert "Reworded or changed (1):\n  - Are all customer-facing staff trained in your service standards?" in said
    assert "Removed (1), their answers are dropped: rating" in said
    assert prompter.questions == [
        "Do you record every complaint?",
        v2.questions["trained"].text,
        "Nothing left to answer",
    ]
    # the reworded question shows the earlier answer, preselected, with a warning
    trained = next(p for p in prompter.prompts if p.message == v2.questions["trained"].text)
    assert trained.default == "Defined"
    assert "This question was reworded since you answered it: please check your answer." in said
    saved = read(path)
    assert saved.checklist.sha256 == v2.sha256 and saved.checklist.version == "1.1"
    assert values(path) == {"has-email": "no", "trained": "3", "evidence": "HR folder", "complaints": "partial"}
    assert saved.answers["trained"].asked == v2.questions["trained"].text_hash


def test_resume_with_an_unchanged_checklist_reports_no_change(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "No"), KeyboardInterrupt)
    path = next(tmp_path.rglob("*.yaml"))
    prompter = ScriptedPrompter((TRAINED, KeyboardInterrupt))
    request = AuditRequest(folder=tmp_path, checklist=str(MINIMAL), resume=path)
    with pytest.raises(Interrupted):
        run_audit(request, Catalog(), prompter, now=clock())
    assert "The checklist changed" not in prompter.text_said()


def test_questions_not_reached_yet_are_not_called_new_after_a_change(tmp_path: Path) -> None:
    with pytest.raises(Interrupted):
        audit(tmp_path, (HAS_EMAIL, "No"), KeyboardInterrupt)
    path = next(tmp_path.rglob("*.yaml"))
    _, prompter = audit(
        tmp_path,
        ("Do you record every complaint?", "Yes"),
        ("Are all customer-facing staff trained", "Defined"),
        (EVIDENCE, "Not applicable"),
        "Finish",
        checklist=MINIMAL_V2,
        resume=path,
    )
    said = prompter.text_said()
    assert "The checklist changed since these answers were given.\nNone of your answers is affected." in said
    assert "New questions" not in said and "reworded since you answered" not in said


@pytest.mark.parametrize("stop", [KeyboardInterrupt, EOFError])
def test_stopping_before_the_first_answer_saves_nothing_and_says_so(tmp_path: Path, stop: type) -> None:
    with pytest.raises(Interrupted) as info:
        audit(tmp_path, ("Organisation", "Acme"), ("Your name", stop), organisation=None, respondent=None)
    assert info.value.exit_code == 130 and "nothing was saved" in info.value.message
    assert list(tmp_path.rglob("*")) == []


def test_a_number_is_read_as_the_import_reads_it_with_its_unit(tmp_path: Path) -> None:
    checklist = tmp_path / "units.yaml"
    checklist.write_text(
        "carecheck: 1\nid: units\ntitle: Units\nversion: '1'\nsections:\n  - id: s\n    title: S\n    questions:\n"
        "      - {id: share, text: Share resolved?, answers: {type: number, unit: '%', good: 90, poor: 50, max: 100}}\n"
        "      - {id: hours, text: Reply time?, answers: {type: number, unit: hours, good: 4, poor: 24}}\n",
        encoding="utf-8",
    )
    result, prompter = audit(
        tmp_path / "audits",
        ("Share resolved?", "Enter a number"),
        "120%",  # refused: above the maximum
        "78%",
        ("Reply time?", "Enter a number"),
        "6 hours",
        "Finish the audit",
        checklist=checklist,
    )
    assert values(result.path) == {"share": "78", "hours": "6"}
    assert prompter.refused == [("120%", "The largest value allowed is 100.")]


MIXED_CHECKLIST = """carecheck: 1
id: mixed
title: Mixed
version: '1'
sections:
  - id: s
    title: S
    questions:
      - {id: q1, text: One?, answers: yes-no}
      - {id: q2, text: Two?, answers: {type: number, good: 1, poor: 9}, when: {question: q1, is: 'yes'}}
      - {id: q3, text: Three?, answers: yes-no}
      - {id: q4, text: Four?, answers: yes-no}
      - {id: q5, text: Five?, answers: yes-no}
      - {id: q6, text: Six?, answers: yes-no}
      - {id: q7, text: Seven?, answers: yes-no}
"""

MIXED_ANSWERS = """carecheck-answers: 1
checklist: {id: mixed}
organisation: Acme Ltd
audit: 2026-Q3
respondent: {name: Jo Smith, role: front-line}
started: 2026-08-01T09:00:00Z
answers:
  q1: 'no'                         # answered
  q2: '5'                          # not asked: q1 is not yes
  q3: 'yes'                        # answered
  q4: na                           # not applicable
  q5: unknown                      # don't know
  q6: {note: Ask the office}       # a note alone: unanswered
  q7: {skipped: true}              # skipped
"""


def test_answered_means_the_same_in_the_resume_choice_review_summary_and_report(tmp_path: Path) -> None:
    from carecheck.interview.walk import summary_lines
    from carecheck.scoring.score import score

    checklist = tmp_path / "mixed.yaml"
    checklist.write_text(MIXED_CHECKLIST, encoding="utf-8")
    folder = tmp_path / "audits"
    (folder / "acme-ltd" / "2026-Q3").mkdir(parents=True)
    (folder / "acme-ltd" / "2026-Q3" / "mixed--jo-smith.yaml").write_text(MIXED_ANSWERS, encoding="utf-8")
    result, prompter = audit(
        folder,
        ("Resume or start again?", "Resume: Acme Ltd, Jo Smith (front-line), 2026-Q3, started 01 Aug 2026, 2 of 6"),
        ("Six?", "Go to the section list"),
        ("Go to a section", "Review and finish"),
        ("Revisit a question, or finish", "Finish the audit"),
        ("2 questions are still open", True),
        checklist=checklist,
    )
    stands = "6 questions asked: 2 answered{0}1 not applicable{0}1 don't know{0}2 to answer (1 skipped)"
    assert stands.format("  ·  ") in prompter.text_said()  # the review
    assert f"  {stands.format(', ')}." in summary_lines(result)  # the closing summary
    narrow = summary_lines(result, 30)  # wrapped between words, nothing lost, paths and commands whole
    whole = summary_lines(result)
    assert all(len(line) <= 30 for line in narrow[:-3]) and narrow[-3:] == whole[-3:] and len(narrow) > len(whole)
    assert " ".join(narrow).split() == " ".join(summary_lines(result)).split()
    card = score(result.checklist, [result.answers])  # the report
    counts = card.counts
    assert (counts.answered, counts.na, counts.unknown, counts.to_answer, counts.skipped) == (2, 1, 1, 2, 1)
    assert counts.total - counts.off == 6 and card.draft


@pytest.mark.parametrize("typed", ["-1", "0", "100", "101", "1e400", "-1e400", "87.5"])
@pytest.mark.parametrize(("low", "high"), [(0, 100), (None, 100), (0, None), (None, None)])
def test_the_prompt_refuses_a_number_exactly_when_an_answer_file_may_not_hold_it(
    typed: str, low: float | None, high: float | None
) -> None:
    # one bounds check (format.answers.number_fault): the interview, lint, scoring and the import agree
    from carecheck.format.answers import answer_problem
    from carecheck.format.model import Checklist
    from carecheck.interview.walk import _number_problem

    answers = {"type": "number", "good": 100, "poor": 0, "min": low, "max": high}
    question = {"id": "q", "text": "How many?", "answers": {k: v for k, v in answers.items() if v is not None}}
    checklist = Checklist.model_validate(
        {
            "carecheck": 1,
            "id": "c",
            "title": "C",
            "version": "1",
            "sections": [{"id": "s", "title": "S", "questions": [question]}],
        }
    )
    q = checklist.questions["q"]
    assert (_number_problem(q.answers, typed) is None) == (answer_problem(checklist, q, typed) is None)
