"""Amending a completed audit: explicit, through the terminal (pipe input) and through --answers;
each changed answer keeps its earlier value and time, and the report says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from scripted import ScriptedPrompter

from carecheck.catalog.loading import Catalog, load_answer_file
from carecheck.cli import audit as audit_command
from carecheck.cli import main as cli_module
from carecheck.format.model import Amendment, Answer
from carecheck.interview.walk import AuditRequest, amended, run_audit

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
ENTER = "\r"
DOWN = "\x1b[B"
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}
LATER = {"SOURCE_DATE_EPOCH": "1795000000"}

COMPLETE = """\
carecheck-answers: 1
checklist: {id: minimal}
organisation: Acme Ltd
audit: 2026-Q3
respondent: {name: Jo Smith, role: front-line}
answers:
  has-email: yes
  email-reply-hours: 6.5
  trained: 2
  rating: na
  evidence: {value: The training log}
"""


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli_module.cli, list(args), env=env, catch_exceptions=False)


def run_keys(keys: str, *args: str, env: dict[str, str] | None = None) -> Result:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return cli(*args, env=env)


@pytest.fixture
def completed(tmp_path: Path) -> Path:
    """A completed audit of Jo Smith, saved by `audit --answers`."""
    given = tmp_path / "given.yaml"
    given.write_text(COMPLETE, encoding="utf-8")
    result = cli("audit", str(MINIMAL), "--answers", str(given), "--dir", str(tmp_path / "audits"), env=EPOCH)
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "audits").rglob("*.yaml")
    return path


def test_resuming_a_completed_audit_asks_and_an_amendment_keeps_the_earlier_answer(
    completed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)
    before = load_answer_file(completed)[1]
    keys = (
        "y"  # amend this completed audit? yes
        + DOWN + ENTER  # review (nothing left to answer): Go to the section list…
        + DOWN + ENTER  # section 2, People
        + DOWN + ENTER  # trained: from Defined (2) one down, 3
        + ENTER  # rating: not applicable, kept
        + ENTER + ENTER  # evidence: the answer offered for editing, kept
        + ENTER  # review: Finish the audit
    )  # fmt: skip
    result = run_keys(keys, "audit", str(MINIMAL), "--resume", str(completed), env=LATER)
    assert result.exit_code == 0, result.output
    after = load_answer_file(completed)[1]
    assert after.completed == before.completed  # the audit's completion stands; the amendment has its own time
    trained = after.answers["trained"]
    assert trained.value == "3"
    assert trained.amended == (Amendment(value="2", at=before.answers["trained"].at),)
    assert trained.at is not None and trained.at > before.answers["trained"].at  # type: ignore[operator]
    assert [q for q, a in after.answers.items() if a.amended] == ["trained"]  # unchanged answers: no history
    assert "amended: [{value: 2, at: " in completed.read_text(encoding="utf-8")

    report = cli("report", str(completed), "--checklist", str(MINIMAL), env=LATER)
    assert report.exit_code == 0, report.output
    assert "Amended:     Jo Smith's answers on 18 November 2026: trained (the earlier\n" in report.stdout


def test_declining_to_amend_leaves_the_file_as_it_was(completed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)
    text = completed.read_text(encoding="utf-8")
    result = run_keys("n", "audit", str(MINIMAL), "--resume", str(completed), env=LATER)
    assert result.exit_code == 0, result.output
    assert completed.read_text(encoding="utf-8") == text and "Audit complete." in result.stdout


JO_AGAIN = ("--organisation", "Acme Ltd", "--respondent", "jo smith", "--role", "front-line", "--audit", "2026-Q3")


def test_starting_again_after_completing_offers_to_amend_not_a_second_file(
    completed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`carecheck audit` run again by someone who completed this audit: no second file (which `report` refuses
    as one person answering twice, CC206), but the offer to amend the first, or to leave it as it was."""
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)
    folder = completed.parents[2]  # audits/<organisation>/<audit>/<file>
    text = completed.read_text(encoding="utf-8")
    prompter = ScriptedPrompter(("Amend this completed audit?", False))
    request = AuditRequest(folder, str(MINIMAL), "acme ltd", "jo smith", "front-line", "2026-Q3")
    result = run_audit(request, Catalog(), prompter)
    assert result.path == completed and result.completed
    assert "jo smith completed audit 2026-Q3 of acme ltd already." in prompter.text_said()
    assert completed.read_text(encoding="utf-8") == text
    keys = "y" + DOWN + ENTER + DOWN + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER + ENTER  # as above: trained 2 -> 3
    args = ("--organisation", "Acme Ltd", "--respondent", "Jo Smith", "--role", "front-line", "--audit", "2026-Q3")
    amending = run_keys(keys, "audit", str(MINIMAL), "--dir", str(folder), *args, env=LATER)
    assert amending.exit_code == 0, amending.output
    assert list(folder.rglob("*.yaml")) == [completed]
    trained = load_answer_file(completed)[1].answers["trained"]
    assert trained.value == "3" and [a.value for a in trained.amended] == ["2"]


def test_answers_amend_round_trip(completed: Path, tmp_path: Path) -> None:
    before = load_answer_file(completed)[1]
    change = tmp_path / "change.yaml"
    change.write_text(COMPLETE.replace("  has-email: yes", "  has-email: no"), encoding="utf-8")
    folder = str(tmp_path / "audits")
    result = cli("audit", str(MINIMAL), "--answers", str(change), "--dir", folder, "--amend", env=LATER)
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "audits").rglob("*.yaml")) == [completed]  # amended in place, no second file
    after = load_answer_file(completed)[1]
    assert after.completed == before.completed
    assert after.answers["has-email"].value == "no"
    assert after.answers["has-email"].amended == (Amendment(value="yes", at=before.answers["has-email"].at),)
    assert not after.answers["trained"].amended
    # amended again: the history grows, oldest first
    change.write_text(COMPLETE.replace("  has-email: yes", "  has-email: yes"), encoding="utf-8")
    again = cli("audit", str(MINIMAL), "--answers", str(change), "--dir", folder, "--amend", env=LATER)
    assert again.exit_code == 0, again.output
    values = [a.value for a in load_answer_file(completed)[1].answers["has-email"].amended]
    assert values == ["yes", "no"]

    report = cli("report", str(completed), "--checklist", str(MINIMAL), "--format", "json", env=LATER)
    (respondent,) = __import__("json").loads(report.stdout)["respondents"]
    assert respondent["changed"] == ["has-email"] and respondent["amended"] == "2026-11-18T11:06:40Z"


def test_amend_needs_a_completed_audit_to_amend(tmp_path: Path) -> None:
    given = tmp_path / "given.yaml"
    given.write_text(COMPLETE, encoding="utf-8")
    result = cli("audit", str(MINIMAL), "--answers", str(given), "--dir", str(tmp_path / "a"), "--amend")
    assert result.exit_code == 2
    assert "no completed audit 2026-Q3 of 'Acme Ltd' by 'Jo Smith'" in result.stderr
    assert list(tmp_path.rglob("a/**/*.yaml")) == []
    alone = cli("audit", str(MINIMAL), "--amend", "--dir", str(tmp_path / "a"))
    assert alone.exit_code == 2 and "--amend takes the new answers from --answers FILE" in alone.stderr


def test_amended_keeps_history_only_for_a_changed_value() -> None:
    first = Answer(value="yes", at=None, amended=(Amendment(value="no"),))
    assert amended(first, Answer(value="yes")).amended == (Amendment(value="no"),)
    assert amended(first, Answer(value="partial")).amended == (Amendment(value="no"), Amendment(value="yes"))
    assert amended(None, Answer(value="yes")).amended == (Amendment(),)


def test_answers_for_an_audit_completed_already_make_no_second_file(completed: Path, tmp_path: Path) -> None:
    folder = str(tmp_path / "audits")
    same = tmp_path / "same.yaml"
    same.write_text(COMPLETE, encoding="utf-8")
    again = cli("audit", str(MINIMAL), "--answers", str(same), "--dir", folder, env=LATER)
    assert again.exit_code == 0, again.output
    other = tmp_path / "other.yaml"
    other.write_text(COMPLETE.replace("  has-email: yes", "  has-email: no"), encoding="utf-8")
    refused = cli("audit", str(MINIMAL), "--answers", str(other), "--dir", folder, env=LATER)
    assert refused.exit_code == 2
    assert f"Jo Smith completed audit 2026-Q3 of 'Acme Ltd' already, with other answers: {completed}" in (
        refused.stderr
    )
    assert "Give --amend to amend it" in refused.stderr
    assert list((tmp_path / "audits").rglob("*.yaml")) == [completed]  # `report` would refuse a second (CC206)
    assert load_answer_file(completed)[1].answers["has-email"].value == "yes"
