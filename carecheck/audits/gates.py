"""The report's gates: `--fail-under` and `--fail-on critical` judged on a Scorecard, and shown to CI.

A gate is one thing checked: the overall score (`--fail-under 60`), a section's score
(`--fail-under people=50`) or, with `--fail-on critical`, one critical question (below its
checklist's `critical_below`, or not answered). Scores compare rounded to one decimal, as the
report shows them. A critical question
that a waiver of the plan accepts does not fail its gate; an expired waiver accepts nothing.

For CI the gates go through the one findings registry (`diagnostics.FORMATS`): each problem of a
gate is a `Finding` whose code (CC601-CC604) is documented in `rules.RULES`, whose `subject` is the
gate (JUnit's test case) and which points where a person would look:

- with one answer file, at it: a question gate at the question's answer, the overall gate at the
  file's first line;
- with several, at the checklist: a question or section gate at the node that declares it (the
  parent's file for a tailored checklist), the overall gate at the checklist's `id`;
- a section gate always at the section in the checklist.

A waived problem is a finding of severity "note": a GitHub notice, a SARIF note, a passing test case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from carecheck.catalog.plans import Acceptance, AppliedPlan
from carecheck.errors import Finding, Position, UsageError
from carecheck.format.reader import Document, read_document
from carecheck.format.resolved import ResolvedChecklist
from carecheck.scoring.score import Scorecard, shown

GATE_FORMATS = ("json", "github", "junit", "sarif")
GATE_EXTENSIONS = {".json": "json", ".xml": "junit", ".sarif": "sarif"}
LINE_FORMATS = ("github",)
"""Gate formats made of independent lines, which may share a stream with other output."""

GateKind = Literal["overall", "section", "question"]


@dataclass(frozen=True)
class Problem:
    """Why a gate fails: a code of `rules.RULES` and a sentence naming what failed."""

    code: str
    message: str


@dataclass(frozen=True)
class Gate:
    """One gate checked; it passes when it has no problem or a waiver accepts its problems."""

    name: str
    """What is checked, in words (JUnit's test case name): "overall score >= 60"."""
    kind: GateKind
    subject: str | None
    """The section or question id; None for the overall score."""
    problems: tuple[Problem, ...] = ()
    waiver: Acceptance | None = None
    """The waiver that accepts the problems (a question gate only)."""
    expired: Acceptance | None = None
    """An expired waiver of the question, which accepts nothing but is worth saying."""

    @property
    def failed(self) -> bool:
        return bool(self.problems) and self.waiver is None

    def messages(self) -> list[str]:
        """Each problem in a sentence, with the waiver that accepts it or the one that expired."""
        suffix = ""
        if self.waiver is not None:
            w = self.waiver
            suffix = f"; accepted until {w.expires.isoformat()} by {w.owner}: {w.reason}"
        elif self.expired is not None:
            suffix = f" (its waiver expired on {self.expired.expires.isoformat()})"
        return [p.message + suffix for p in self.problems]


def check_gates(
    card: Scorecard,
    fail_under: Sequence[tuple[str | None, float]] = (),
    *,
    fail_on_critical: bool = False,
    plan: AppliedPlan | None = None,
) -> list[Gate]:
    """Every gate asked for, judged: `fail_under` holds (section id or None for overall, score) pairs.

    With `fail_on_critical`, every critical question of the checklist is a gate. UsageError for a
    section the checklist does not have.
    """
    plan = plan or AppliedPlan()
    sections = {s.id: s for s in card.sections}
    gates: list[Gate] = []
    for section_id, minimum in dict.fromkeys(fail_under):  # the same gate twice is one gate
        option = f"--fail-under {minimum:g}" if section_id is None else f"--fail-under {section_id}={minimum:g}"
        if section_id is None:
            kind: GateKind = "overall"
            what, value, code, name = "the overall score", card.overall, "CC601", f"overall score >= {minimum:g}"
        elif section_id in sections:
            kind = "section"
            what, value, code = f"section '{section_id}'", sections[section_id].score, "CC602"
            name = f"section '{section_id}' >= {minimum:g}"
        else:
            raise UsageError(
                f"{option}: no section '{section_id}' in the checklist; its sections: {', '.join(sections)}"
            )
        problems: tuple[Problem, ...] = ()
        if value is None:
            problems = (Problem(code, f"{what} has no score to compare with {option}"),)
        elif shown(value) < minimum:
            problems = (Problem(code, f"{what} {shown(value):.1f} is under {option}"),)
        gates.append(Gate(name, kind, section_id, problems))
    if fail_on_critical:
        for q in card.questions:
            if not q.critical:
                continue
            found: list[Problem] = []
            if q.critical_failure and q.score is not None:
                below = f"critical question '{q.id}' scores {shown(q.score):.1f} (below {q.critical_below:g})"
                found.append(Problem("CC603", below))
            if q.counts.to_answer:  # counts, not names: an anonymous report keeps no names
                found.append(Problem("CC604", f"critical question '{q.id}' is not answered"))
            listed = plan.accepted.get(q.id)
            waiver = plan.waiver(q.id) if found else None
            expired = listed if found and listed is not None and listed.expired else None
            gates.append(Gate(f"critical question '{q.id}'", "question", q.id, tuple(found), waiver, expired))
    return gates


def failures(gates: Sequence[Gate]) -> list[str]:
    """What fails, one sentence per problem; empty when every gate passes."""
    return [message for gate in gates if gate.failed for message in gate.messages()]


def accepted(gates: Sequence[Gate]) -> list[str]:
    """The problems that waivers accept, one sentence each."""
    return [message for gate in gates if gate.problems and not gate.failed for message in gate.messages()]


# ---------------------------------------------------------------------------------------------------
# For CI: findings in the formats registry


class Places:
    """Where a gate's findings point: into the one answer file, else into the checklist."""

    def __init__(self, resolved: ResolvedChecklist, sources: Sequence[str]) -> None:
        self.resolved = resolved
        self.sources = list(sources)
        self._answers: Document | None = None

    def _answer_file(self) -> Document | None:
        if len(self.sources) != 1:
            return None
        if self._answers is None:
            self._answers = read_document(Path(self.sources[0]))
        return self._answers

    def of(self, gate: Gate) -> tuple[str, Position | None]:
        """The file and position a gate's findings are about."""
        answers = self._answer_file() if gate.kind != "section" else None
        if answers is not None:
            source = self.sources[0]
            if gate.kind == "overall":
                return source, Position(1, 1)
            qid = gate.subject or ""
            given = isinstance(answers.data.get("answers"), dict) and qid in answers.data["answers"]
            loc: tuple[str, ...] = ("answers", qid) if given else ("answers",)
            return source, answers.locate(loc, key=True)
        origin = self.resolved.origins.get(gate.subject or "")
        if origin is not None:
            return str(origin.doc.path), origin.position()
        return str(self.resolved.doc.path), self.resolved.doc.locate(("id",))


def gate_findings(gates: Sequence[Gate], places: Places) -> list[Finding]:
    """Each problem of each gate as a Finding: an error, or a note when a waiver accepts it."""
    findings = []
    for gate in gates:
        if not gate.problems:
            continue
        path, position = places.of(gate)
        severity = "error" if gate.failed else "note"
        for problem, message in zip(gate.problems, gate.messages(), strict=True):
            findings.append(Finding(path, position, problem.code, message, severity, subject=gate.name))
    return findings


def render_gates(sets: Sequence[tuple[Sequence[Gate], Places]], fmt: str) -> str:
    """The gates in a format of `diagnostics.FORMATS`: one subject (JUnit test case) per gate.

    Each set is the gates of one report with the places its findings point to (`report --by
    organisation` checks each organisation's report, and names its gates after it).
    """
    from carecheck.render.findings import FORMATS

    findings = [f for gates, places in sets for f in gate_findings(gates, places)]
    return FORMATS[fmt](findings, [g.name for gates, _ in sets for g in gates], checked="gates")


def gate_format_for(fmt: str | None, output: Path | None, environ: Mapping[str, str]) -> str | None:
    """The gate format: `--gate-format`, else from `--gate-output`'s extension, else github under
    GitHub Actions (GITHUB_ACTIONS=true); None when nothing asks for one."""
    if fmt is not None:
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in GATE_EXTENSIONS:
            return GATE_EXTENSIONS[suffix]
    if environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if output is not None:
        raise UsageError(
            f"cannot tell the gate format from '{output.name}'; name it .json, .xml (junit) or .sarif, "
            "or give --gate-format"
        )
    return None
