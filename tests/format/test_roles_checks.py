"""`roles` in answer-file lint (CC207) and what a tailoring inherits: checks and critical_below."""

from __future__ import annotations

import shutil
from pathlib import Path

from carecheck.catalog.loading import Catalog

ENGINE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "engine.yaml"


def test_validate_names_an_answer_its_role_is_not_asked(run, tmp_path: Path) -> None:
    shutil.copy(ENGINE, tmp_path / "engine.yaml")
    answers = tmp_path / "jo.yaml"
    answers.write_text(
        "carecheck-answers: 1\nchecklist: {id: engine}\norganisation: Acme\n"
        "respondent: {name: Jo, role: front-line}\n"
        "answers:\n  staff-trained: {value: 'yes', note: Training log}\n  supplier-terms: {value: 'no'}\n",
        encoding="utf-8",
    )
    result = run("validate", str(answers))
    assert result.exit_code == 0, result.output
    assert (
        f"{answers}:7:19: CC207 warning: 'supplier-terms' is answered but not asked "
        "(front-line is not among its roles: leadership, back-office): kept, not scored"
    ) in result.stdout.splitlines()
    assert result.stdout.count("CC207") == 1


def test_a_tailoring_inherits_the_checks_on_the_questions_it_keeps_and_critical_below(tmp_path: Path) -> None:
    shutil.copy(ENGINE, tmp_path / "engine.yaml")
    keep = tmp_path / "keep.yaml"
    keep.write_text(
        "carecheck: 1\nid: keep\ntitle: Keep\nversion: '1'\nextends: engine\n"
        "checks:\n  - {id: trained, if: {question: staff-trained, is: 'yes'}, "
        "then: {question: complaints-process, at_least: '2'}, says: Trained but no process.}\n",
        encoding="utf-8",
    )
    resolved = Catalog().resolve_file(keep).checklist
    assert [c.id for c in resolved.checks] == ["satisfaction-claim", "trained"] and resolved.critical_below == 75
    drop = tmp_path / "drop.yaml"
    drop.write_text(
        "carecheck: 1\nid: drop\ntitle: Drop\nversion: '1'\nextends: engine\nexclude: [csat-percent]\n"
        "critical_below: 50\n",
        encoding="utf-8",
    )
    resolved = Catalog().resolve_file(drop).checklist
    assert resolved.checks == () and resolved.critical_below == 50
