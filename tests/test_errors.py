"""The one mapping from what a command found to its exit code."""

from __future__ import annotations

import pytest

from carecheck.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Finding, outcome_exit_code


def _finding(code: str = "CC101", severity: str = "error") -> Finding:
    return Finding("f.yaml", None, code, "message", severity)


@pytest.mark.parametrize(
    ("findings", "strict", "expected"),
    [
        ([], False, EXIT_OK),
        ([_finding(severity="warning")], False, EXIT_OK),
        ([_finding(severity="warning")], True, EXIT_FINDINGS),
        ([_finding(severity="note")], True, EXIT_OK),  # a waived gate never fails
        ([_finding()], False, EXIT_FINDINGS),
        ([_finding(), _finding("CC003")], False, EXIT_USAGE),  # a file that could not be read wins
        ([_finding("CC003", "warning")], False, EXIT_OK),
    ],
)
def test_findings_map_to_an_exit_code(findings: list[Finding], strict: bool, expected: int) -> None:
    assert outcome_exit_code(findings, strict=strict) == expected


def test_a_failed_gate_or_unanswered_questions_exit_1() -> None:
    assert outcome_exit_code(gate_failed=True) == EXIT_FINDINGS
    assert outcome_exit_code(unanswered=True) == EXIT_FINDINGS
    assert outcome_exit_code([_finding("CC001")], gate_failed=True) == EXIT_USAGE
