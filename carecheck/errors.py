"""The project's errors: one hierarchy, each class deciding its exit code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

UNREADABLE = frozenset({"CC001", "CC002", "CC003", "CC004"})
"""The codes of a file that could not be read at all (missing, not UTF-8, not YAML, too large): exit 2."""


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (escape sequences, carriage returns, NULs) and bidi controls (which reorder what
follows them on screen): nothing read from a file may drive the terminal or hide what it shows."""


def printable(text: object) -> str:
    """Text from a file made safe to show: control and bidi characters removed, tabs as spaces, line breaks
    kept. The one sanitiser of file content on its way out (messages, findings, text reports, warnings)."""
    return _UNPRINTABLE.sub("", str(text).replace("\t", " "))


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    col: int


class CarecheckError(Exception):
    """An error the user can act on; `exit_code` says how the command ends."""

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        position: Position | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.position = position
        self.code = code

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.position is not None:
                where += f":{self.position.line}:{self.position.col}"
            where += ": "
        code = f"{self.code} " if self.code else ""
        return printable(f"{where}{code}{self.message}")


class InputError(CarecheckError):
    """A file could not be read or parsed (missing, unreadable, not YAML): exit 2."""


class UsageError(CarecheckError):
    """The command line asks for something impossible: exit 2."""


class InvalidInputError(CarecheckError):
    """The input was read and is wrong (a schema error, a failed gate): exit 1."""

    exit_code = EXIT_FINDINGS


@dataclass(frozen=True)
class Finding:
    """One diagnostic about a file: what is wrong, where, and how badly."""

    path: str
    position: Position | None
    code: str
    message: str
    severity: str = "error"  # "error" | "warning" | "note" (a report gate that a waiver accepts)
    subject: str | None = None
    """What was checked, when that is not the file itself: a report gate (JUnit's test case)."""

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        pos = self.position or Position(0, 0)
        return (self.path, pos.line, pos.col, self.code)


class FindingsError(InvalidInputError):
    """A file was read and holds errors: carries every finding, not only the first."""

    def __init__(self, findings: list[Finding]) -> None:
        first = findings[0]
        super().__init__(first.message, path=first.path, position=first.position, code=first.code)
        self.findings = findings

    def __str__(self) -> str:
        return "\n".join(format_finding(f) for f in self.findings)


class Interrupted(CarecheckError):
    """The program was stopped after the work was saved: exit 130 for Ctrl-C, 128 + the signal's number
    for a signal (SIGHUP 129, SIGTERM 143), as shells report a process ended by that signal."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, message: str, *, exit_code: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def outcome_exit_code(
    findings: Iterable[Finding] = (), *, strict: bool = False, gate_failed: bool = False, unanswered: bool = False
) -> int:
    """The one mapping from what a command found to how it exits (an error raised exits with its class's code).

    2 when a failing finding says a file could not be read at all (UNREADABLE); 1 when the input was
    read and is wrong: a failing finding (an error, and a warning too when `strict`; a note, such as a
    waived gate, never fails), a failed report gate, or questions `audit --answers` left unanswered; else 0.
    """
    failing = [f for f in findings if f.severity == "error" or (strict and f.severity == "warning")]
    if any(f.code in UNREADABLE for f in failing):
        return EXIT_USAGE
    return EXIT_FINDINGS if failing or gate_failed or unanswered else EXIT_OK


def format_finding(f: Finding, style: Callable[..., str] | None = None) -> str:
    """`file:line:col: CODE message` (warnings say so after the code); `style` (render.style's
    styler, on a terminal) colours the code and the severity."""
    where = printable(f.path if f.position is None else f"{f.path}:{f.position.line}:{f.position.col}")
    code = f.code
    label = f" {f.severity}:" if f.severity in ("warning", "note") else ""
    if style is not None:
        tint = {"warning": "yellow", "note": "cyan"}.get(f.severity, "red")
        code, label = style(code, tint, "bold"), style(label, tint)
    return f"{where}: {code}{label} {printable(f.message)}"
