"""`carecheck audit` without a terminal: a clear refusal, or answers from a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carecheck.catalog.loading import load_answer_file
from carecheck.cli.audit import ROLE_CHOICES
from carecheck.format.model import ROLES

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"

HEAD = """\
carecheck-answers: 1
checklist: {id: minimal}
organisation: Acme Ltd
respondent: {name: Jo Smith, role: front-line}
"""

COMPLETE = (
    HEAD
    + """\
answers:
  has-email: yes
  email-reply-hours: {value: 6.5, note: from the helpdesk report}
  trained: 2
  rating: na
  evidence: {value: The training log}
"""
)


def write(folder: Path, text: str, name: str = "answers.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def saved(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


def test_no_terminal_exits_2_and_says_how_to_answer_without_one(run, tmp_path: Path) -> None:
    result = run("audit", str(MINIMAL), "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "there is none here" in result.stderr
    assert "carecheck audit [CHECKLIST] --answers FILE" in result.stderr
    assert result.stdout == "" and saved(tmp_path) == []


def test_no_terminal_with_resume_also_exits_2(run, tmp_path: Path) -> None:
    result = run("audit", "--resume", str(write(tmp_path, COMPLETE)), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 2 and "--answers FILE" in result.stderr


def test_answers_complete_writes_a_completed_audit_and_exits_0(run, tmp_path: Path) -> None:
    answers = write(tmp_path, COMPLETE)
    result = run("audit", str(MINIMAL), "--answers", str(answers), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 0, result.output
    (path,) = saved(tmp_path / "audits")
    assert path.parent.parent.name == "acme-ltd" and path.name == "minimal--jo-smith.yaml"
    audit = load_answer_file(path)[1]
    assert audit.completed is not None and audit.audit is not None
    assert {q: a.value for q, a in audit.answers.items()} == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "trained": "2",
        "rating": "na",
        "evidence": "The training log",
    }
    assert audit.answers["email-reply-hours"].note == "from the helpdesk report"
    assert all(a.asked and a.at for a in audit.answers.values())
    assert "Audit complete." in result.stdout
    # contact: yes (100) and 6.5 h (good 4, poor 24: 87.5) -> 93.75; people: trained 2 of 4 -> 50 (weight 2)
    assert "  Overall score 64.6 of 100: Good." in result.stdout
    assert "    1. Are staff trained? (critical, +33.3 points, effort high)" in result.stdout
    assert f"carecheck report {path} --checklist {MINIMAL}" in result.stdout


def test_answers_incomplete_saves_and_exits_1_listing_what_is_missing(run, tmp_path: Path) -> None:
    answers = write(tmp_path, HEAD + "answers:\n  has-email: no\n  trained: {skipped: true}\n")
    result = run("audit", str(MINIMAL), "--answers", str(answers), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 1
    assert (
        "Still to answer (3):\n  trained: Are staff trained?\n  rating: How do customers rate you?\n" in result.stdout
    )
    assert "  evidence: Where is training recorded?" in result.stdout
    (path,) = saved(tmp_path / "audits")
    audit = load_answer_file(path)[1]
    assert audit.completed is None and audit.answers["has-email"].value == "no"
    assert "Audit saved, not complete." in result.stdout


def test_answers_of_a_short_survey_complete_what_it_asked(run, tmp_path: Path) -> None:
    answers = write(tmp_path, HEAD + "questions: [has-email, trained]\nanswers:\n  has-email: no\n  trained: 3\n")
    result = run("audit", str(MINIMAL), "--answers", str(answers), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 0, result.output
    assert "Audit complete." in result.stdout and "Still to answer" not in result.stdout
    (path,) = saved(tmp_path / "audits")
    audit = load_answer_file(path)[1]
    assert audit.questions == ("has-email", "trained") and audit.completed is not None


def test_a_second_answers_run_completes_the_same_audit(run, tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    first = write(tmp_path, HEAD + "answers:\n  has-email: no\n  trained: 3\n", "first.yaml")
    assert run("audit", str(MINIMAL), "--answers", str(first), "--dir", str(audits)).exit_code == 1
    rest = write(tmp_path, HEAD + "answers:\n  rating: 3\n  evidence: na\n", "rest.yaml")
    result = run("audit", str(MINIMAL), "--answers", str(rest), "--dir", str(audits))
    assert result.exit_code == 0, result.output
    (path,) = saved(audits)
    audit = load_answer_file(path)[1]
    assert audit.completed is not None
    assert {q: a.value for q, a in audit.answers.items()} == {
        "has-email": "no",
        "trained": "3",
        "rating": "3",
        "evidence": "na",
    }


@pytest.mark.parametrize(
    ("body", "finding"),
    [
        ("  trained: 7\n", ":6:12: CC203 '7' is not an answer to 'trained'; use one of: 0, 1, 2, 3, 4"),
        ("  has-email: {value: maybe}\n", ":6:22: CC203 'maybe' is not an answer to 'has-email'"),
        ("  email-reply-hours: soon\n", ":6:22: CC203 'email-reply-hours' takes a number, not 'soon'"),
        ("  trainde: 2\n", ":6:3: CC202 no question 'trainde' in checklist 'minimal' (did you mean 'trained'?)"),
        (
            "  trained: [2]\n",
            ":6:12: CC008 'trained': expected one answer (such as yes or 3) or a mapping with value: and note:,"
            " not a list",
        ),
    ],
)
def test_invalid_answers_are_reported_with_positions_and_exit_1(run, tmp_path: Path, body: str, finding: str) -> None:
    answers = write(tmp_path, HEAD + "answers:\n" + body)
    result = run("audit", str(MINIMAL), "--answers", str(answers), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 1
    assert f"{answers}{finding}" in result.stderr
    assert saved(tmp_path / "audits") == []


def test_answers_file_that_cannot_be_read_exits_2(run, tmp_path: Path) -> None:
    result = run("audit", str(MINIMAL), "--answers", str(tmp_path / "nope.yaml"), "--dir", str(tmp_path))
    assert result.exit_code == 2 and "nope.yaml: CC001 no such file" in result.stderr


def test_answers_for_another_checklist_exit_2(run, tmp_path: Path) -> None:
    answers = write(tmp_path, COMPLETE.replace("{id: minimal}", "{id: care-full}"))
    result = run("audit", str(MINIMAL), "--answers", str(answers), "--dir", str(tmp_path))
    assert result.exit_code == 2 and "answers checklist 'care-full', not 'minimal'" in result.stderr


def test_the_checklist_is_found_by_the_id_in_the_answers_file(run, tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    answers = write(tmp_path, COMPLETE, "acme.yaml")
    result = run("audit", "--answers", str(answers), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 0, result.output
    assert "carecheck report" in result.stdout and "--checklist" not in result.stdout


def test_options_override_the_answers_file(run, tmp_path: Path) -> None:
    answers = write(tmp_path, COMPLETE)
    result = run(
        "audit",
        str(MINIMAL),
        "--answers",
        str(answers),
        "--dir",
        str(tmp_path / "audits"),
        "--organisation",
        "Zeta & Co",
        "--respondent",
        "Sam",
        "--role",
        "leadership",
        "--audit",
        "2026-pilot",
    )
    assert result.exit_code == 0, result.output
    (path,) = saved(tmp_path / "audits")
    assert path.relative_to(tmp_path / "audits").parts == ("zeta-co", "2026-pilot", "minimal--sam.yaml")
    audit = load_answer_file(path)[1]
    assert (audit.organisation, audit.respondent.name, audit.respondent.role) == ("Zeta & Co", "Sam", "leadership")


def test_resume_cannot_be_combined_with_new(run, tmp_path: Path) -> None:
    result = run("audit", "--resume", str(tmp_path / "x.yaml"), "--new")
    assert result.exit_code == 2 and "--resume cannot be combined" in result.stderr


def test_unknown_role_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("audit", "--role", "boss")
    assert result.exit_code == 2 and "'boss' is not one of" in result.stderr


def test_the_cli_role_choices_are_the_models() -> None:
    assert ROLE_CHOICES == ROLES
