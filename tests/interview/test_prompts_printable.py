"""Issue 18, output escaping everywhere: the interview's prompts show checklist text (question text, help,
option labels, section titles) with control and bidi characters removed, as every other terminal output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from carecheck.cli import audit as audit_command
from carecheck.cli import main as cli_module

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
IDENTITY = ("--organisation", "Acme Ltd", "--respondent", "Jo Smith", "--role", "management")
HOSTILE = "\\e]0;PWNED\\a\\u202e\\r"  # a title-setting escape, a bell, a right-to-left override, a carriage return


def test_output_escaping_everywhere_the_interview_prompts_strip_control_and_bidi_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_command, "_terminal_attached", lambda: True)
    text = MINIMAL.read_text(encoding="utf-8")
    for plain in ("Contact", "Do customers reach you by email?", "One star", "Two stars"):
        assert plain in text
    text = text.replace("title: Contact", f'title: "Con{HOSTILE}tact"')
    text = text.replace("text: Do customers reach you by email?", f'text: "Do customers reach{HOSTILE} you?"')
    # the first question, all on the first screen: asked with the stars, its help shown
    text = text.replace("answers: yes-no", f'answers: stars\n        help: "Count web{HOSTILE}forms too."', 1)
    text = text.replace("        when: {question: has-email, is: yes}\n", "")
    text = text.replace("label: One star", f'label: "One{HOSTILE} star"')
    checklist = tmp_path / "hostile.yaml"
    checklist.write_text(text.replace("id: minimal", "id: hostile"), encoding="utf-8")
    drawn = io.StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=40, columns=100), term="xterm")
    keys = "\x03"  # the first menu is drawn, then Ctrl-C
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=output):
            args = ["audit", str(checklist), "--dir", str(tmp_path / "audits"), *IDENTITY]
            result = CliRunner().invoke(cli_module.cli, args, catch_exceptions=False)
            shown = drawn.getvalue()
    assert result.exit_code == 130, result.output
    # the text itself is shown, joined where the characters were taken out
    for joined in ("Con]0;PWNEDtact", "reach]0;PWNED you?", "web]0;PWNEDforms", "One]0;PWNED star"):
        assert joined in shown, joined
    assert "\x07" not in shown and "\u202e" not in shown
    assert "]0;PWNED\r" not in shown and "]0;PWNED\n" not in shown
