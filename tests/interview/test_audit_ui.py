"""The real questionary UI end to end: keystrokes through prompt_toolkit's pipe input, the real CLI.

Keys are sent up front; prompt_toolkit hands the keys one prompt did not use to the
next. The pipe is closed after the script, so a prompt the script did not expect
ends the run (EOF: saved, exit 130) instead of hanging the test.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from carecheck.catalog.loading import load_answer_file
from carecheck.cli import audit as audit_command
from carecheck.cli import main as cli_module

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"

ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"


def down(n: int) -> str:
    return DOWN * n + ENTER


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pretend a terminal is attached; the prompts read the pipe input of each run."""
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)
    yield


def run_keys(keys: str, *args: str) -> Result:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)


def run_keys_seen(keys: str, *args: str, columns: int = 80) -> tuple[Result, str]:
    """Like run_keys, on a terminal `columns` wide; also return what was drawn, its words separated by spaces.

    Terminal controls (colours, cursor moves, line ends) become spaces, so a word that the
    terminal was made to break across lines shows as two words.
    """
    drawn = io.StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=40, columns=columns), term="xterm")
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=output):
            result = CliRunner().invoke(cli_module.cli, list(args), catch_exceptions=False)
    return result, " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\n]", " ", drawn.getvalue()).split())


def audit_args(folder: Path, *more: str) -> tuple[str, ...]:
    return ("audit", str(MINIMAL), "--dir", str(folder), *more)


IDENTITY = ("--organisation", "Acme Ltd", "--respondent", "Jo Smith", "--role", "management")


def answers_of(path: Path) -> dict[str, tuple[str | None, str | None, bool]]:
    return {q: (a.value, a.note, a.skipped) for q, a in load_answer_file(path)[1].answers.items()}


def only_file(folder: Path) -> Path:
    (path,) = folder.rglob("*.yaml")
    return path


def test_answer_na_note_and_finish(terminal: None, tmp_path: Path) -> None:
    keys = (
        "Acme Ltd" + ENTER  # organisation
        + "Jo Smith" + ENTER  # name
        + down(1)  # role: Management is preselected, one down is Front line
        + ENTER  # has-email: Yes
        + ENTER + "6.5" + ENTER  # hours: Enter a number…, 6.5
        + down(2)  # trained: Defined
        + down(3)  # rating: Not applicable (past the separator)
        + down(4) + "In the LMS" + ENTER  # evidence: Add a note…, the note
        + ENTER + "Training log" + ENTER  # evidence: Type the answer…, the answer
        + ENTER  # review: Finish the audit
    )  # fmt: skip
    result = run_keys(keys, *audit_args(tmp_path))
    assert result.exit_code == 0, result.output
    path = only_file(tmp_path)
    audit = load_answer_file(path)[1]
    assert (audit.organisation, audit.respondent.name, audit.respondent.role) == ("Acme Ltd", "Jo Smith", "front-line")
    assert audit.completed is not None
    assert answers_of(path) == {
        "has-email": ("yes", None, False),
        "email-reply-hours": ("6.5", None, False),
        "trained": ("2", None, False),
        "rating": ("na", None, False),
        "evidence": ("Training log", "In the LMS", False),
    }
    assert "Audit complete." in result.stdout and f"carecheck report {path}" in result.stdout


def test_back_skip_and_review(terminal: None, tmp_path: Path) -> None:
    keys = (
        ENTER  # has-email: Yes
        + down(5)  # hours: Back (number entry, N/A, don't know, skip, note, back)
        + DOWN + ENTER  # has-email again, Yes preselected: one down is No; hours disappears
        + down(7)  # trained: Skip for now (5 options, N/A, don't know, skip)
        + ENTER  # rating: One star
        + down(1)  # evidence: Not applicable
        + ENTER  # review: the first item is the skipped question
        + down(4)  # trained: Reviewed and improved; back to the review
        + ENTER  # review: Finish
    )  # fmt: skip
    result = run_keys(keys, *audit_args(tmp_path, *IDENTITY))
    assert result.exit_code == 0, result.output
    path = only_file(tmp_path)
    assert answers_of(path) == {
        "has-email": ("no", None, False),
        "trained": ("4", None, False),
        "rating": ("1", None, False),
        "evidence": ("na", None, False),
    }
    assert load_answer_file(path)[1].completed is not None


def test_a_skipped_question_stays_skipped_until_answered(terminal: None, tmp_path: Path) -> None:
    result = run_keys(down(4) + CTRL_C, *audit_args(tmp_path, *IDENTITY))  # has-email: Skip for now
    assert result.exit_code == 130
    assert answers_of(only_file(tmp_path)) == {"has-email": (None, None, True)}


def test_ctrl_c_saves_exits_130_and_resume_continues(terminal: None, tmp_path: Path) -> None:
    result = run_keys(DOWN + ENTER + CTRL_C, *audit_args(tmp_path, *IDENTITY))  # has-email: No, then Ctrl-C
    assert result.exit_code == 130
    path = only_file(tmp_path)
    assert answers_of(path) == {"has-email": ("no", None, False)}
    assert load_answer_file(path)[1].completed is None
    assert f"Your answers are saved in {path}" in result.stderr
    assert f"carecheck audit {MINIMAL} --resume {path}" in result.stderr

    # running again offers to resume (preselected) and carries on at the next question
    keys = ENTER + down(1) + ENTER + down(1) + ENTER  # resume; trained: Ad hoc; rating: One star; evidence: N/A; finish
    result = run_keys(keys, *audit_args(tmp_path))
    assert result.exit_code == 0, result.output
    assert only_file(tmp_path) == path
    assert answers_of(path) == {
        "has-email": ("no", None, False),
        "trained": ("1", None, False),
        "rating": ("1", None, False),
        "evidence": ("na", None, False),
    }


def test_resume_file_option(terminal: None, tmp_path: Path) -> None:
    assert run_keys(ENTER + CTRL_C, *audit_args(tmp_path, *IDENTITY)).exit_code == 130
    path = only_file(tmp_path)
    result = run_keys(ENTER + CTRL_C, "audit", str(MINIMAL), "--resume", str(path))  # hours: Enter a number…, Ctrl-C
    assert result.exit_code == 130 and answers_of(path) == {"has-email": ("yes", None, False)}
    result = run_keys(ENTER + "12" + ENTER + CTRL_C, "audit", str(MINIMAL), "--resume", str(path))
    assert result.exit_code == 130
    assert answers_of(path) == {"has-email": ("yes", None, False), "email-reply-hours": ("12", None, False)}


def test_a_refused_number_keeps_the_prompt_open(terminal: None, tmp_path: Path) -> None:
    # "abc" is refused; the prompt stays with the text, backspaces clear it, then 4 is accepted
    keys = ENTER + ENTER + "abc" + ENTER + "\x7f" * 3 + "4" + ENTER + CTRL_C
    result = run_keys(keys, *audit_args(tmp_path, *IDENTITY))
    assert result.exit_code == 130
    assert answers_of(only_file(tmp_path)) == {
        "has-email": ("yes", None, False),
        "email-reply-hours": ("4", None, False),
    }


def test_an_unexpected_end_of_input_saves_like_ctrl_c(terminal: None, tmp_path: Path) -> None:
    result = run_keys(ENTER, *audit_args(tmp_path, *IDENTITY))
    assert result.exit_code == 130
    assert answers_of(only_file(tmp_path)) == {"has-email": ("yes", None, False)}


def test_prompt_toolkit_is_left_as_it_was_found(terminal: None, tmp_path: Path) -> None:
    # the prompts share one set of default key bindings while they are built, and only then
    import prompt_toolkit.application.application as application

    before = application.load_key_bindings
    assert run_keys(ENTER + CTRL_C, *audit_args(tmp_path, *IDENTITY)).exit_code == 130
    assert application.load_key_bindings is before


def test_answers_from_a_file_then_only_the_missing_questions(terminal: None, tmp_path: Path) -> None:
    given = tmp_path / "given.yaml"
    given.write_text(
        "carecheck-answers: 1\nchecklist: {id: minimal}\norganisation: Acme Ltd\n"
        "respondent: {name: Jo Smith, role: management}\n"
        "answers:\n  has-email: no\n  trained: 3\n  evidence: {value: HR folder}\n"
    )
    # only `rating` is asked (Three stars), then the review: Finish
    result = run_keys(down(2) + ENTER, *audit_args(tmp_path / "audits", "--answers", str(given)))
    assert result.exit_code == 0, result.output
    assert answers_of(only_file(tmp_path / "audits")) == {
        "has-email": ("no", None, False),
        "trained": ("3", None, False),
        "evidence": ("HR folder", None, False),
        "rating": ("3", None, False),
    }


LONG_QUESTION = (
    "Do the people who answer customers by telephone, email and web chat know the service standards that were "
    "published, and can they explain to a disappointed customer what happens next when a standard was not met?"
)
LONG_HELP = (
    "Count a standard as known when an adviser, asked without warning, states it in substance; unannounced "
    "checks over a fortnight give the fairest picture of everyday practice."
)


@pytest.mark.parametrize("columns", [80, 120])
def test_questions_help_and_choices_wrap_between_words(terminal: None, tmp_path: Path, columns: int) -> None:
    checklist = tmp_path / "long.yaml"
    checklist.write_text(
        "carecheck: 1\nid: long\ntitle: Long\nversion: '1'\nsections:\n  - id: s\n    title: S\n    questions:\n"
        f"      - {{id: q1, text: '{LONG_QUESTION}', help: '{LONG_HELP}', answers: yes-no}}\n"
        "      - {id: q2, text: Two?, answers: yes-no}\n",
        encoding="utf-8",
    )
    folder = tmp_path / "audits"
    identity = ("--organisation", "Ardley Home Supplies", "--respondent", "Helen Marsh", "--role", "leadership")
    result, seen = run_keys_seen(
        ENTER + CTRL_C, "audit", str(checklist), "--dir", str(folder), *identity, columns=columns
    )
    assert result.exit_code == 130
    assert LONG_QUESTION in seen and LONG_HELP in seen
    # the resume choice is longer than 80 columns: shown whole, wrapped, never cut at the edge
    result, seen = run_keys_seen(CTRL_C, "audit", str(checklist), "--dir", str(folder), columns=columns)
    assert result.exit_code == 130
    saved = load_answer_file(only_file(folder))[1]
    assert saved.started is not None
    assert (
        f"Resume: Ardley Home Supplies, Helen Marsh (leadership), {saved.audit}, "
        f"started {saved.started:%d %b %Y}, 1 of 2 to answer" in seen
    )


def test_a_chosen_action_is_not_shown_as_the_answer(terminal: None, tmp_path: Path) -> None:
    keys = ENTER + down(3) + CTRL_C  # has-email: Yes; hours: Skip for now
    result, seen = run_keys_seen(keys, *audit_args(tmp_path, *IDENTITY))
    assert result.exit_code == 130
    assert answers_of(only_file(tmp_path)) == {
        "has-email": ("yes", None, False),
        "email-reply-hours": (None, None, True),
    }
    assert "? Do customers reach you by email? Yes" in seen  # an answer is shown as the answer
    # what is drawn last for the question says what was done: no "? question  Skip for now"
    assert seen.rsplit("? Median first reply to email, in hours?", 1)[1].startswith(" (skipped for now) ")


def test_ctrl_c_in_the_note_keeps_the_half_typed_note(terminal: None, tmp_path: Path, run) -> None:
    keys = ENTER + down(4) + "Ask IT for the" + CTRL_C  # has-email: Yes; hours: Add a note…, typing, Ctrl-C
    result = run_keys(keys, *audit_args(tmp_path, *IDENTITY))
    assert result.exit_code == 130
    assert "what you were typing is kept, unconfirmed" in result.output
    path = only_file(tmp_path)
    assert answers_of(path) == {"has-email": ("yes", None, False), "email-reply-hours": (None, None, False)}
    pending = load_answer_file(path)[1].answers["email-reply-hours"].unconfirmed
    assert pending is not None and (pending.note, pending.value) == ("Ask IT for the", None)
    assert "unconfirmed: {note: Ask IT for the}" in path.read_text(encoding="utf-8")
    beside = tmp_path / "check"  # validate finds the checklist beside the answers
    beside.mkdir()
    (beside / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    (beside / "answers.yaml").write_bytes(path.read_bytes())
    validated = run("validate", str(beside / "answers.yaml"))
    assert validated.exit_code == 0, validated.output
    # on resuming, the note is offered back first (preselected, prefilled); confirming it makes it the note
    keys = ENTER + " ticket log" + ENTER + CTRL_C
    result, seen = run_keys_seen(keys, "audit", str(MINIMAL), "--resume", str(path), columns=200)
    assert result.exit_code == 130
    assert "typed when the audit stopped and never confirmed: offered back first" in seen
    assert "Note typed when the audit stopped, not confirmed: Ask IT for the" in seen
    assert answers_of(path)["email-reply-hours"] == (None, "Ask IT for the ticket log", False)
