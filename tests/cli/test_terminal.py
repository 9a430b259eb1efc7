"""What a person at a terminal sees: colour (and NO_COLOR), the progress bar, shell completion.

Colour and the bar depend on a real terminal, so these tests run carecheck in a pseudo-terminal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"
needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this system")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS", "FORCE_COLOR")}
    return {**env, "TERM": "xterm", **extra}


def on_terminal(args: list[str], *, tty: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run `python -m carecheck ARGS` with stdout or stderr on a pseudo-terminal: (exit code, tty text, pipe text)."""
    master, slave = os.openpty()
    pipe = subprocess.PIPE
    proc = subprocess.Popen(
        [sys.executable, "-m", "carecheck", *args],
        stdout=slave if tty == "stdout" else pipe,
        stderr=slave if tty == "stderr" else pipe,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed with the process (EIO on Linux)
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    piped = (proc.stderr if tty == "stdout" else proc.stdout).read()  # type: ignore[union-attr]
    code = proc.wait()
    return code, b"".join(chunks).decode("utf-8", "replace"), piped.decode("utf-8", "replace")


def many_checklists(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"c{i:03}.yaml").write_text(text.replace("id: minimal", f"id: c{i:03}"), encoding="utf-8")
    return folder


@needs_pty
def test_findings_are_coloured_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    args = ["validate", str(FIXTURES / "bad.yaml")]
    code, shown, _ = on_terminal(args, tty="stdout", cwd=tmp_path, env=_env())
    assert code == 1 and "\x1b[31m" in shown and "CC008" in shown
    code, shown, _ = on_terminal(args, tty="stdout", cwd=tmp_path, env=_env(NO_COLOR="1"))
    assert code == 1 and "\x1b[" not in shown and "CC008" in shown


def test_findings_are_plain_when_piped(run) -> None:
    result = run("validate", str(FIXTURES / "bad.yaml"))
    assert "CC008" in result.stdout and "\x1b[" not in result.output


@needs_pty
def test_a_progress_bar_on_a_terminal_when_validating_many_files(tmp_path: Path) -> None:
    folder = many_checklists(tmp_path / "many", 25)
    code, bar, findings = on_terminal(["validate", str(folder)], tty="stderr", cwd=tmp_path, env=_env())
    assert code == 0 and findings == ""
    assert "Validating" in bar and "25/25" in bar
    assert "25 files checked: 0 errors, 0 warnings" in bar


@needs_pty
def test_no_progress_bar_for_a_few_files_or_with_quiet(tmp_path: Path) -> None:
    few = many_checklists(tmp_path / "few", 3)
    _, shown, _ = on_terminal(["validate", str(few)], tty="stderr", cwd=tmp_path, env=_env())
    assert "Validating" not in shown and "3 files checked" in shown
    many = many_checklists(tmp_path / "many", 25)
    _, shown, _ = on_terminal(["validate", "-q", str(many)], tty="stderr", cwd=tmp_path, env=_env())
    assert shown == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, tmp_path: Path) -> None:
    result = run("validate", str(many_checklists(tmp_path / "many", 25)))
    assert result.exit_code == 0
    assert result.stderr == "25 files checked: 0 errors, 0 warnings\n"


def many_answers(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "report" / "service-basics.yaml", folder)
    text = (FIXTURES / "report" / "acme-sam.yaml").read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"r{i:03}.yaml").write_text(text.replace("Sam Lee", f"Person {i}"), encoding="utf-8")
    return folder


@needs_pty
def test_a_progress_bar_when_reporting_over_many_answer_files_but_not_with_quiet(tmp_path: Path) -> None:
    folder = many_answers(tmp_path / "audit", 25)
    args = ["report", str(folder), "-o", "r.json", "--fail-under", "99"]
    code, shown, _ = on_terminal(args, tty="stderr", cwd=tmp_path, env=_env())
    assert code == 1 and "Scoring" in shown and "26/26" in shown  # the checklist is walked past too
    assert "gate failed: the overall score" in shown
    code, shown, _ = on_terminal([*args, "-q"], tty="stderr", cwd=tmp_path, env=_env())
    assert code == 1 and "Scoring" not in shown and "gate failed" in shown
    few = many_answers(tmp_path / "few", 3)
    _, shown, _ = on_terminal(["report", str(few), "-o", "r.json"], tty="stderr", cwd=tmp_path, env=_env())
    assert shown == ""


def test_no_progress_bar_when_reporting_into_a_pipe(run, tmp_path: Path) -> None:
    result = run("report", str(many_answers(tmp_path / "audit", 25)), "-o", str(tmp_path / "r.json"))
    assert result.exit_code == 0 and result.stderr == ""


# ---------------------------------------------------------------------------------------------------
# Shell completion (click's, through the _CARECHECK_COMPLETE variable)


def _complete(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carecheck"], cwd=cwd, env=_env(**env), capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _carecheck_completion carecheck"),
        ("zsh", "#compdef carecheck"),
        ("fish", "complete --no-files --command carecheck"),
    ],
)
def test_completion_scripts_for_bash_zsh_and_fish(tmp_path: Path, shell: str, marker: str) -> None:
    result = _complete(tmp_path, _CARECHECK_COMPLETE=f"{shell}_source")
    assert result.returncode == 0 and marker in result.stdout


def test_completion_of_commands_and_checklist_ids(tmp_path: Path) -> None:
    commands = _complete(tmp_path, _CARECHECK_COMPLETE="bash_complete", COMP_WORDS="carecheck val", COMP_CWORD="1")
    assert commands.stdout.split() == ["plain,validate"]
    shutil.copytree(FIXTURES / "rules", tmp_path / "checklists")
    ids = _complete(tmp_path, _CARECHECK_COMPLETE="bash_complete", COMP_WORDS="carecheck show cc101", COMP_CWORD="2")
    assert ids.stdout.split() == ["plain,cc101-fail", "plain,cc101-pass"]
    formats = _complete(
        tmp_path, _CARECHECK_COMPLETE="bash_complete", COMP_WORDS="carecheck validate --format s", COMP_CWORD="3"
    )
    assert formats.stdout.split() == ["plain,sarif"]
