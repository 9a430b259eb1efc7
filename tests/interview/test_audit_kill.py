"""`kill -9` at random moments of a real interactive `carecheck audit` never loses a confirmed answer.

The command runs in a pseudo-terminal, so it takes the interactive path a manager
takes (questionary prompts, autosave after each answer). An answer counts as
confirmed once the next question is on the screen. Each run is killed at a random
moment: while starting, between answers, or with a keystroke in flight (so the kill
often lands inside a save). After every kill the file must parse and hold every
confirmed answer with its value.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from carecheck.catalog.loading import load_answer_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

QUESTIONS = 40
RUNS = 24


def write_checklist(folder: Path) -> Path:
    lines = ['carecheck: 1\nid: kill\ntitle: Kill test\nversion: "1"\nsections:\n']
    for s in range(4):
        lines.append(f"  - id: s{s}\n    title: Section {s}\n    questions:\n")
        for q in range(QUESTIONS // 4):
            n = s * (QUESTIONS // 4) + q
            lines.append(f"      - {{id: q{n:02d}, text: Question {n}?, answers: yes-no, recommendation: Do {n}.}}\n")
    path = folder / "kill.yaml"
    path.write_text("".join(lines))
    return path


class Terminal:
    """A child process on a pseudo-terminal: type keys, wait for text, kill."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm", "LANG": "C.UTF-8", "PROMPT_TOOLKIT_NO_CPR": "1"}
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, start_new_session=True
        )
        os.close(slave)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.screen = ""
        self.seen = 0

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read output until `text` appears in what was printed since the last match."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.screen.find(text, self.seen)
            if found >= 0:
                self.seen = found + len(text)
                return
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise AssertionError(f"never saw {text!r}; screen ends with {self.screen[-600:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                with contextlib.suppress(OSError):  # the child closed the terminal
                    self.screen += self.decoder.decode(os.read(self.master, 65536))

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        os.close(self.master)


def test_kill_9_at_random_moments_never_loses_a_confirmed_answer(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    checklist = write_checklist(tmp_path)
    command = [sys.executable, "-m", "carecheck", "audit", str(checklist), "--organisation", "Acme"]
    command += ["--respondent", "Jo", "--role", "other"]
    for run in range(RUNS):
        folder = tmp_path / f"run{run}"
        term = Terminal([*command, "--dir", str(folder)], tmp_path)
        confirmed: dict[str, str] = {}
        target = rng.randrange(0, 25)
        try:
            if target == 0 and rng.random() < 0.5:
                time.sleep(rng.uniform(0, 0.5))  # somewhere in start-up
            else:
                term.wait_for(f"·  {QUESTIONS} to answer")
                for n in range(target):
                    answer = rng.choice(["yes", "no"])
                    term.type("\r" if answer == "yes" else "\x1b[B\r")
                    term.wait_for(f"·  {QUESTIONS - n - 1} to answer")
                    confirmed[f"q{n:02d}"] = answer
                term.type(rng.choice(["\r", "\x1b[B\r"]))  # one more answer, in flight at the kill
                time.sleep(rng.uniform(0, 0.02))
        finally:
            term.kill()
        files = list(folder.rglob("*.yaml")) if folder.exists() else []
        where = f"(seed {seed}, run {run}, {len(confirmed)} confirmed)"
        if not files:
            assert not confirmed, f"no answer file {where}"
            continue
        assert len(files) == 1, f"{files} {where}"  # no temporary file is ever left as a .yaml
        answers = load_answer_file(files[0])[1].answers  # parses: a whole file, old or new
        saved = {qid: a.value for qid, a in answers.items()}
        assert {qid: saved.get(qid) for qid in confirmed} == confirmed, where
        assert len(saved) <= len(confirmed) + 1, where
