"""The rule registry: the `rule` decorator, `RULES`, a rule's verdict (`Hit`) and `run_rules`.

A rule's docstring is its documentation, in a fixed form that `carecheck rules CODE` prints:

    One-line summary.

    A short explanation (any number of paragraphs).

    Fails:

        <an indented example that trips the rule>

    Passes:

        <the same example put right>

Examples are YAML (CSV for the survey import). A checklist rule's examples are fragments of a
checklist: the top-level keys they give replace those of a minimal valid checklist (`carecheck: 1`,
an id, a title, a version and one section with one question), so each can be checked by running the
linter on it. Rules without a check function (raised while reading, importing or judging gates) give
the same text, less the summary line, as `details`.
"""

from __future__ import annotations

import difflib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from carecheck.errors import Finding, Position
from carecheck.format.reader import Document

Severity = Literal["error", "warning"]
Kind = Literal["file", "checklist", "answers", "plan", "config", "roles", "import", "report"]
LintKind = Literal["checklist", "answers", "plan", "config", "roles"]
_TAILORING = {"CC115", "CC116", "CC117", "CC118"}  # checklist codes raised while resolving
_SECTION = re.compile(r"^(Fails|Passes):\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Hit:
    """A rule's verdict: a message and where in the file (a model path, its key or its value)."""

    message: str
    loc: tuple[str | int, ...] = ()
    key: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    applies_to: Kind
    summary: str
    check: Callable[[Any], Iterator[Hit]] | None = None
    details: str | None = None
    """The explanation of a rule without a check function (one that is not a lint rule)."""

    def _parts(self) -> tuple[str, dict[str, str]]:
        """The prose of the docstring (or details) and its examples by section name."""
        doc = self.check.__doc__ if self.check is not None else self.details
        pieces = _SECTION.split(inspect.cleandoc(doc or ""))
        examples = {
            name: textwrap.dedent(body).strip("\n") + "\n"
            for name, body in zip(pieces[1::2], pieces[2::2], strict=True)
        }
        return pieces[0].strip(), examples

    @property
    def documentation(self) -> str:
        """The rule's full explanation, without its examples: its check's docstring, its details, or its summary."""
        return self._parts()[0] or self.summary

    @property
    def explanation(self) -> str:
        """The explanation after the summary line."""
        prose = self._parts()[0]
        if self.check is not None:
            prose = prose.partition("\n")[2]
        return prose.strip()

    @property
    def fails(self) -> str:
        """An example that trips the rule."""
        return self._parts()[1].get("Fails", "")

    @property
    def passes(self) -> str:
        """The example put right."""
        return self._parts()[1].get("Passes", "")

    def page(self) -> str:
        """The rule's documentation as `carecheck rules CODE` prints it: heading, prose, then examples."""
        fragment = " (a fragment of a checklist: its keys replace those of a minimal one)"
        where = fragment if self.applies_to == "checklist" or self.code in _TAILORING else ""
        parts = [f"{self.code} {self.name} ({self.severity}, {self.applies_to})", self.summary, self.explanation]
        parts += [
            f"Fails{where}:\n" + textwrap.indent(self.fails, "    "),
            "Passes:\n" + textwrap.indent(self.passes, "    "),
        ]
        return "\n\n".join(p.rstrip("\n") for p in parts if p) + "\n"


RULES: dict[str, Rule] = {}


def register(
    code: str,
    name: str,
    severity: Severity,
    applies_to: Kind,
    summary: str,
    check: Any = None,
    details: str | None = None,
) -> None:
    """Register a rule (a documented code without a check when `check` is None)."""
    assert code not in RULES, code
    RULES[code] = Rule(code, name, severity, applies_to, summary, check, details)


Check = TypeVar("Check", bound=Callable[..., Iterator[Hit]])


def rule(code: str, name: str, applies_to: LintKind, severity: Severity = "error") -> Callable[[Check], Check]:
    """Register a lint rule; the first line of its docstring is its summary."""

    def wrap(fn: Check) -> Check:
        register(code, name, severity, applies_to, (fn.__doc__ or "").strip().splitlines()[0], fn)
        return fn

    return wrap


def find_rule(ref: str) -> Rule | None:
    """A rule by its code (any case) or its name."""
    by_code = RULES.get(ref.upper())
    return by_code or next((r for r in RULES.values() if r.name == ref), None)


def did_you_mean(ref: str) -> str:
    """`; did you mean 'CC112'?` for a code or name close to a known one, else ''."""
    close = difflib.get_close_matches(ref, [*RULES, *(r.name for r in RULES.values())], n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


class Context(Protocol):
    """What every rule sees: at least the document, to place its hits."""

    @property
    def doc(self) -> Document: ...


def run_rules(kind: LintKind, ctx: Context) -> list[Finding]:
    """Every finding of the rules that apply to `kind`."""
    findings = []
    for r in RULES.values():
        if r.applies_to != kind or r.check is None:
            continue
        for hit in r.check(ctx):
            position: Position = ctx.doc.locate(hit.loc, key=hit.key)
            findings.append(Finding(str(ctx.doc.path), position, r.code, hit.message, r.severity))
    return findings
