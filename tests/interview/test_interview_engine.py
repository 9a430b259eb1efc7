"""The walk-through and issue 13's format: roles decide who is asked, evidence is asked for."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scripted import ScriptedPrompter

from carecheck.catalog.loading import Catalog, load_answer_file
from carecheck.interview.walk import AuditRequest, AuditResult, run_audit

ENGINE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "engine.yaml"
PROCESS = "How well defined is your complaints process?"
MEASURED = "How systematically do you measure customer satisfaction?"
TRAINED = "Are front-line staff trained in complaint handling?"
SUPPLIERS = "Are suppliers paid on the agreed terms?"
FIGURES = ("What share of surveyed", "What share of complaints", "What is your median first reply")


def clock() -> Callable[[], datetime]:
    ticks = itertools.count()
    start = datetime(2026, 8, 3, 9, 0, tzinfo=timezone.utc)
    return lambda: start + timedelta(minutes=next(ticks))


def audit(folder: Path, role: str, *steps: Any) -> tuple[AuditResult, ScriptedPrompter]:
    request = AuditRequest(
        folder=folder, checklist=str(ENGINE), organisation="Acme Ltd", respondent="Jo Smith", role=role
    )
    prompter = ScriptedPrompter(*steps)
    result = run_audit(request, Catalog(), prompter, now=clock())
    prompter.assert_done()
    return result, prompter


def figures(*values: str) -> list[Any]:
    steps: list[Any] = []
    for where, value in zip(FIGURES, values, strict=True):
        steps += [(where, "Enter a number"), value]
    return steps


def test_a_question_not_asked_of_the_role_is_not_shown(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        "front-line",
        (PROCESS, "Defined"),
        (MEASURED, "Defined"),
        (TRAINED, "No"),
        *figures("80", "90", "4"),
        ("Nothing left to answer", "Finish the audit"),
    )
    assert SUPPLIERS not in prompter.questions and result.completed
    saved = load_answer_file(result.path)[1]
    assert "supplier-terms" not in saved.answers and result.counts.total == 6


def test_the_role_asked_sees_it(tmp_path: Path) -> None:
    _, prompter = audit(
        tmp_path,
        "back-office",
        (PROCESS, "Defined"),
        (MEASURED, "Defined"),
        (TRAINED, "No"),
        (SUPPLIERS, "Yes"),
        *figures("80", "90", "4"),
        ("Nothing left to answer", "Finish the audit"),
    )
    assert SUPPLIERS in prompter.questions


def test_a_top_answer_to_an_evidence_question_asks_for_a_note_and_says_why(tmp_path: Path) -> None:
    result, prompter = audit(
        tmp_path,
        "front-line",
        (PROCESS, "Reviewed and improved"),  # no `evidence: required`: no note asked
        (MEASURED, "Defined"),
        (TRAINED, "Yes"),
        ("Note", "The training log on the intranet"),
        *figures("80", "90", "4"),
        ("Nothing left to answer", "Finish the audit"),
    )
    saved = load_answer_file(result.path)[1]
    assert saved.answers["staff-trained"].value == "yes"
    assert saved.answers["staff-trained"].note == "The training log on the intranet"
    assert saved.answers["complaints-process"].note is None
    assert "one of the two best" in prompter.text_said()


def test_the_note_may_be_left_empty(tmp_path: Path) -> None:
    result, _ = audit(
        tmp_path,
        "front-line",
        (PROCESS, "Defined"),
        (MEASURED, "Defined"),
        (TRAINED, "Partly"),  # the second best of yes, partly, no
        ("Note", ""),
        *figures("80", "90", "4"),
        ("Nothing left to answer", "Finish the audit"),
    )
    assert load_answer_file(result.path)[1].answers["staff-trained"].note is None
