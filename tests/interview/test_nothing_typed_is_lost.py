"""Issue 18, nothing typed is lost: saved before echoed; Ctrl-C, SIGTERM and SIGHUP keep what is being typed
(unconfirmed, offered back on resume); a failed save keeps the answers and offers retry; one writer per file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from scripted import ScriptedPrompter

from carecheck.audits import store
from carecheck.catalog.loading import Catalog, load_answer_file
from carecheck.cli import audit as audit_command
from carecheck.cli import main as cli_module
from carecheck.errors import InputError, Interrupted
from carecheck.interview import walk
from carecheck.interview.walk import AuditRequest, TypingInterrupted, run_audit
from carecheck.scoring.score import answer_status, score

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
IDENTITY = ("--organisation", "Acme Ltd", "--respondent", "Jo Smith", "--role", "management")
ENTER, DOWN, CTRL_C = "\r", "\x1b[B", "\x03"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)


def run_keys(keys: str, *args: str) -> Result:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)


def only_file(folder: Path) -> Path:
    (path,) = folder.rglob("*.yaml")
    return path


def pending(path: Path, qid: str) -> tuple[str | None, str | None] | None:
    typed = load_answer_file(path)[1].answers[qid].unconfirmed
    return None if typed is None else (typed.value, typed.note)


def test_an_answer_is_saved_before_it_is_echoed(
    terminal: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    real = walk.QuestionaryPrompter._print

    def echo(self: Any, fragments: list[tuple[str, str]]) -> None:
        line = "".join(text for _, text in fragments)
        files = list(tmp_path.rglob("*.yaml"))
        if line.startswith("?") and files:
            seen.append((line, files[0].read_text(encoding="utf-8")))
        real(self, fragments)

    monkeypatch.setattr(walk.QuestionaryPrompter, "_print", echo)
    keys = ENTER + ENTER + "36" + ENTER + DOWN + DOWN + ENTER + CTRL_C  # Yes; 36 hours; trained: Defined
    assert run_keys(keys, "audit", str(MINIMAL), "--dir", str(tmp_path), *IDENTITY).exit_code == 130
    shown = {line.split("?", 2)[1].strip(): text for line, text in seen}
    assert "has-email: {value: 'yes'" in shown["Do customers reach you by email"]
    assert "email-reply-hours: {value: 36" in next(t for line, t in seen if line.rstrip().endswith("36"))
    assert "trained: {value: 2" in shown["Are staff trained"]


def test_nothing_typed_is_lost_ctrl_c_in_a_number_keeps_it_unconfirmed_and_resume_offers_it(
    terminal: None, tmp_path: Path
) -> None:
    keys = ENTER + ENTER + "36" + CTRL_C  # has-email: Yes; hours: Enter a number…, typing 36, Ctrl-C
    result = run_keys(keys, "audit", str(MINIMAL), "--dir", str(tmp_path), *IDENTITY)
    assert result.exit_code == 130
    assert "what you were typing is kept, unconfirmed" in result.stderr and "--resume" in result.stderr
    path = only_file(tmp_path)
    assert pending(path, "email-reply-hours") == ("36", None)
    answers = load_answer_file(path)[1]
    entry = answers.answers["email-reply-hours"]
    assert entry.value is None and answer_status(entry) == "unanswered"  # never scored
    assert score(Catalog().load(str(MINIMAL)).checklist, [answers]).overall == 100  # has-email alone
    # resume: the typed number is preselected and prefilled; Enter confirms it
    result = run_keys(ENTER + ENTER + CTRL_C, "audit", str(MINIMAL), "--resume", str(path))
    assert result.exit_code == 130
    entry = load_answer_file(path)[1].answers["email-reply-hours"]
    assert (entry.value, entry.unconfirmed) == ("36", None)


def test_nothing_typed_is_lost_ctrl_c_in_a_text_answer_keeps_it(tmp_path: Path) -> None:
    request = AuditRequest(folder=tmp_path, checklist=str(MINIMAL), organisation="A", respondent="Jo", role="other")
    steps: list[Any] = ["No", "Defined", "One star", "Type the answer", TypingInterrupted("  In the HR sys  ")]
    with pytest.raises(Interrupted, match="what you were typing is kept"):
        run_audit(request, Catalog(), ScriptedPrompter(*steps))
    path = only_file(tmp_path)
    assert pending(path, "evidence") == ("In the HR sys", None)
    assert "evidence: {unconfirmed: {value: In the HR sys}}" in path.read_text(encoding="utf-8")


def test_nothing_typed_is_lost_a_failed_save_keeps_the_answer_and_offers_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.save_answers
    failures = iter([True, True])

    def flaky(path: Path, answers: Any) -> None:
        if answers.answers and next(failures, False):
            raise InputError("cannot write: No space left on device", path=path, code="CC001")
        real(path, answers)

    monkeypatch.setattr(walk, "save_answers", flaky)
    request = AuditRequest(folder=tmp_path, checklist=str(MINIMAL), organisation="A", respondent="Jo", role="other")
    prompter = ScriptedPrompter("No", ("Retry", "Retry saving"), ("Retry", "Retry saving"), KeyboardInterrupt)
    with pytest.raises(Interrupted):
        run_audit(request, Catalog(), prompter)
    said = prompter.text_said()
    assert "could not be saved: " in said and "No space left on device" in said and "kept in memory" in said
    assert load_answer_file(only_file(tmp_path))[1].answers["has-email"].value == "no"


def test_nothing_typed_is_lost_a_failed_save_then_stop_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store.save_answers

    def full(path: Path, answers: Any) -> None:
        if answers.answers:
            raise InputError("cannot write: No space left on device", path=path, code="CC001")
        real(path, answers)

    monkeypatch.setattr(walk, "save_answers", full)
    request = AuditRequest(folder=tmp_path, checklist=str(MINIMAL), organisation="A", respondent="Jo", role="other")
    with pytest.raises(InputError) as stopped:
        run_audit(request, Catalog(), ScriptedPrompter("Yes", ("Retry", "Stop")))
    assert stopped.value.exit_code == 2
    assert "not saved: cannot write: No space left on device" in str(stopped.value)
    assert "carecheck audit" in str(stopped.value) and "--resume" in str(stopped.value)


# ---------------------------------------------------------------------------------------------------
# A real process on a pseudo-terminal: SIGTERM and SIGHUP


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal and signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_nothing_typed_is_lost_sigterm_and_sighup_keep_what_is_typed_and_say_how_to_resume(
    tmp_path: Path, signum: int
) -> None:
    from test_audit_kill import Terminal

    folder = tmp_path / "audits"
    command = [sys.executable, "-m", "carecheck", "audit", str(MINIMAL), "--dir", str(folder), *IDENTITY]
    term = Terminal(command, tmp_path)
    try:
        term.wait_for("Do customers reach you by email?")
        term.type(ENTER)  # Yes
        term.wait_for("Enter a number")
        term.type(ENTER)
        term.wait_for("Number")
        term.type("4")
        term.wait_for("4")
        term.type("8")
        term.wait_for("8")
        os.kill(term.proc.pid, signum)
        term.wait_for("Stopped. Your answers are saved in")
        term.wait_for("what you were typing is kept, unconfirmed")
        term.wait_for("--resume")
        assert term.proc.wait(timeout=30) == 128 + signum  # 143 for SIGTERM, 129 for SIGHUP
    finally:
        if term.proc.poll() is None:
            term.kill()
    path = only_file(folder)
    answers = load_answer_file(path)[1].answers
    assert answers["has-email"].value == "yes"
    assert pending(path, "email-reply-hours") == ("48", None)


# ---------------------------------------------------------------------------------------------------
# One writer per answer file


HOLDER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from carecheck.fs import take_lock
    take_lock(Path(sys.argv[1]), datetime.now(timezone.utc))
    print("locked", flush=True)
    time.sleep(120)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="a dead pid is detected on POSIX")
def test_one_writer_per_answer_file_a_second_audit_is_refused_naming_the_other(terminal: None, tmp_path: Path) -> None:
    assert run_keys(ENTER + CTRL_C, "audit", str(MINIMAL), "--dir", str(tmp_path), *IDENTITY).exit_code == 130
    path = only_file(tmp_path)
    before = path.read_bytes()
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "locked"
        # resuming it, by the offer or by --resume, is refused; the file is untouched
        offered = ("audit", str(MINIMAL), "--dir", str(tmp_path), *IDENTITY)
        for args in (offered, ("audit", str(MINIMAL), "--resume", str(path))):
            result = run_keys(ENTER + DOWN + ENTER + CTRL_C, *args)
            assert result.exit_code == 2, result.output
            assert f"is open in another carecheck (pid {other.pid} on " in result.stderr
            assert path.read_bytes() == before
    finally:
        other.kill()  # a crash: the lock is left behind, stale
        other.wait(timeout=30)
    # the stale lock is taken over; hours: answered N/A
    result = run_keys(DOWN + ENTER + CTRL_C, "audit", str(MINIMAL), "--resume", str(path))
    assert result.exit_code == 130, result.output
    assert load_answer_file(path)[1].answers["email-reply-hours"].value == "na"
    assert not (path.parent / f".{path.name}.lock").exists()  # released at the end of the run


def test_nothing_typed_is_lost_validate_names_an_unconfirmed_entry(tmp_path: Path, run: Any) -> None:
    (tmp_path / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    answers = tmp_path / "answers.yaml"
    head = "carecheck-answers: 1\nchecklist: {id: minimal}\norganisation: Acme\nanswers:\n  has-email: {value: 'yes'}\n"
    answers.write_text(head + "  email-reply-hours: {unconfirmed: {value: '4'}}\n", encoding="utf-8")
    result = run("validate", str(answers))
    assert result.exit_code == 0, result.output  # a warning
    assert f"{answers}:6:" in result.stdout
    assert "CC209 warning: 'email-reply-hours' holds an unconfirmed answer '4'" in result.stdout
    answers.write_text(head + "  trained: {unconfirmed: {valeu: '4'}}\n", encoding="utf-8")
    result = run("validate", str(answers))
    # the entry's shape is checked
    assert result.exit_code == 1 and f"{answers}:6:27: CC008 unknown key 'valeu'" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal and signals")
@pytest.mark.parametrize("hang_up", [True, False], ids=["sighup", "terminal-only"])
def test_nothing_typed_is_lost_when_the_terminal_hangs_up(tmp_path: Path, hang_up: bool) -> None:
    """A closed window: the prompt may fail on the gone terminal (EIO) before SIGHUP arrives, or get none."""
    from test_audit_kill import Terminal

    folder = tmp_path / "audits"
    command = [sys.executable, "-m", "carecheck", "audit", str(MINIMAL), "--dir", str(folder), *IDENTITY]
    term = Terminal(command, tmp_path)
    try:
        term.wait_for("Do customers reach you by email?")
        term.type(ENTER + DOWN + DOWN + DOWN + DOWN + ENTER)  # Yes; hours: Add a note…
        term.wait_for("Note")
        term.type("Ask IT")
        term.wait_for("Ask IT")
        os.close(term.master)  # the terminal window closes: the tty is gone
        if hang_up:  # and the session gets SIGHUP (the pty is not its controlling terminal: sent by hand)
            os.killpg(term.proc.pid, signal.SIGHUP)
        assert term.proc.wait(timeout=30) == 129
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    path = only_file(folder)
    assert load_answer_file(path)[1].answers["has-email"].value == "yes"
    assert pending(path, "email-reply-hours") == (None, "Ask IT")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("at", ["organisation", "resume menu"])
def test_a_terminal_gone_before_the_audit_began_is_a_hang_up(tmp_path: Path, at: str) -> None:
    """Closed at a question before the first save (who answers, resume or not): 129, as in the audit,
    however the prompt fails (a text prompt ends, a menu's read raises EIO), with nothing written."""
    from test_audit_kill import Terminal

    folder = tmp_path / "audits"
    command = [sys.executable, "-m", "carecheck", "audit", str(MINIMAL), "--dir", str(folder)]
    if at == "resume menu":
        first = Terminal([*command, *IDENTITY], tmp_path)
        first.wait_for("Do customers reach you by email?")
        first.type(ENTER)  # Yes: saved, and the audit is unfinished
        first.wait_for("Median first reply to email")
        first.kill()
        command, prompt = [*command, *IDENTITY], "Resume or start again?"
    else:
        prompt = "Organisation"
    before = sorted(p.name for p in folder.rglob("*")) if folder.exists() else []
    term = Terminal(command, tmp_path)
    try:
        term.wait_for(prompt)
        os.close(term.master)
        assert term.proc.wait(timeout=30) == 129
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    assert (sorted(p.name for p in folder.rglob("*")) if folder.exists() else []) == before
