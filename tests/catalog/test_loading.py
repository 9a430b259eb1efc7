"""Models and tailoring: what the loader builds from valid files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from carecheck.catalog.loading import Catalog, builtin_dir
from carecheck.errors import FindingsError
from carecheck.format.model import NumberAnswer

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_minimal_checklist_loads_into_frozen_models() -> None:
    checklist = Catalog().load(str(FIXTURES / "minimal.yaml")).checklist
    assert list(checklist.questions) == ["has-email", "email-reply-hours", "trained", "rating", "evidence"]
    reply = checklist.questions["email-reply-hours"]
    assert isinstance(reply.answers, NumberAnswer) and reply.answers.score(14) == 0.5
    assert [o.value for o in checklist.options(checklist.questions["rating"]) or ()] == ["1", "2", "3"]
    with pytest.raises(Exception, match="frozen"):
        checklist.id = "changed"  # type: ignore[misc]


def test_version_and_ids_are_kept_as_written() -> None:
    checklist = Catalog().load(str(FIXTURES / "valid" / "bom-crlf.yaml")).checklist
    assert checklist.version == "3.10"
    assert list(checklist.questions) == ["no"]


def test_tailoring_excludes_overrides_and_adds(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        f"""carecheck: 1
id: child
title: Child
version: "2"
extends: {FIXTURES / "minimal.yaml"}
exclude: [rating, evidence]
override:
  people: {{weight: 5}}
  trained: {{critical: false, text: Are all staff trained?}}
sections:
  - id: people
    title: ignored when merging
    questions:
      - {{id: motivated, text: Are staff motivated?, answers: yes-no, recommendation: Ask them.}}
  - id: extra
    title: Extra
    questions:
      - {{id: extra-q, text: Extra?, answers: yes-partial-no, recommendation: Do it.}}
"""
    )
    resolved = Catalog().load(str(tmp_path / "child.yaml"))
    checklist = resolved.checklist
    assert checklist.extends is None and checklist.exclude == ()
    assert [s.id for s in checklist.sections] == ["contact", "people", "extra"]
    assert list(checklist.questions) == ["has-email", "email-reply-hours", "trained", "motivated", "extra-q"]
    assert checklist.sections[1].weight == 5 and checklist.sections[1].title == "People"
    trained = checklist.questions["trained"]
    assert (trained.critical, trained.text, trained.effort) == (False, "Are all staff trained?", "high")
    assert [b.label for b in checklist.bands or ()] == ["Good", "Poor"]  # inherited
    assert checklist.answer_sets.keys() == {"stars"}


def test_a_cycle_is_an_error_not_a_hang() -> None:
    with pytest.raises(FindingsError) as info:
        Catalog().load(str(FIXTURES / "rules" / "CC116-fail.yaml"))
    assert info.value.findings[0].code == "CC116"


def test_checklists_are_found_by_id_in_folders_then_builtins(tmp_path: Path) -> None:
    catalog = Catalog(folders=[FIXTURES])
    assert catalog.find("minimal") == FIXTURES / "minimal.yaml"
    assert catalog.find("no-such-id") is None
    assert catalog.find("care-essentials") == builtin_dir() / "care-essentials.yaml"


def test_sha256_is_stable_and_changes_with_content() -> None:
    a = Catalog().load(str(FIXTURES / "minimal.yaml")).checklist
    b = Catalog().load(str(FIXTURES / "minimal.yaml")).checklist
    assert a.sha256 == b.sha256 and len(a.sha256) == 64
    changed = a.model_copy(update={"title": "Other"})
    assert changed.sha256 != a.sha256


def test_a_checklist_with_lint_errors_is_refused_for_use() -> None:
    with pytest.raises(FindingsError) as info:
        Catalog().load(str(FIXTURES / "rules" / "CC103-fail.yaml"))
    assert [f.code for f in info.value.findings] == ["CC103"]
    # warnings do not stop a checklist from being used
    assert Catalog().load(str(FIXTURES / "rules" / "CC112-fail.yaml")).checklist.id == "cc112-fail"


# ---------------------------------------------------------------------------------------------------
# Finding checklists by id, many times in one run


def _answer_files(folder: Path, count: int, checklist_id: str) -> None:
    for n in range(count):
        (folder / f"a{n:03}.yaml").write_text(
            "carecheck-answers: 1\n"
            f"checklist: {{id: {checklist_id}}}\n"
            "organisation: Acme\naudit: 2026-Q3\n"
            f"respondent: {{name: P{n}, role: front-line}}\n"
            "answers:\n  service-standards-published: {value: yes}\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("count", [3, 30])
def test_a_checklist_found_by_id_is_looked_for_once_however_many_answer_files(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    import carecheck.catalog.loading

    monkeypatch.chdir(tmp_path)
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "mine.yaml").write_text(  # not named after its id: folders are scanned
        "carecheck: 1\nid: my-list\ntitle: Mine\nversion: '1'\nextends: care-essentials\n", encoding="utf-8"
    )
    (tmp_path / "checklists" / "broken.yaml").write_text(  # has errors: linted once, not once per file
        "carecheck: 1\nid: broken-list\ntitle: Broken\nextends: no-such-parent\n", encoding="utf-8"
    )
    audits = tmp_path / "audits"
    (audits / "mine").mkdir(parents=True)
    (audits / "broken").mkdir()
    _answer_files(audits / "mine", count, "my-list")
    _answer_files(audits / "broken", count, "broken-list")
    scans: list[Path] = []
    reads: list[Path] = []
    scan, read = carecheck.catalog.loading._yaml_files, carecheck.catalog.loading.read_document
    monkeypatch.setattr(carecheck.catalog.loading, "_yaml_files", lambda folder: scans.append(folder) or scan(folder))
    monkeypatch.setattr(carecheck.catalog.loading, "read_document", lambda path: reads.append(path) or read(path))
    result = run("validate", "audits")
    assert result.exit_code == 1
    assert result.stdout.count("CC115") == 0 and result.stdout.count("its checklist has errors") == count
    assert len(scans) == len(set(scans)) <= 4  # ./checklists, the two answer folders, the built-ins
    assert [p.name for p in reads].count("broken.yaml") == 1
    assert [p.name for p in reads].count("mine.yaml") == 1


@pytest.mark.parametrize("count", [3, 30])
def test_a_checklist_id_that_is_nowhere_is_looked_for_once_however_many_answer_files(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    # a miss is cached too: its did-you-mean must not rescan every folder for every answer file
    import carecheck.catalog.loading

    monkeypatch.chdir(tmp_path)
    _answer_files(tmp_path, count, "no-such-list")
    scans: list[Path] = []
    scan = carecheck.catalog.loading._yaml_files
    monkeypatch.setattr(carecheck.catalog.loading, "_yaml_files", lambda folder: scans.append(folder) or scan(folder))
    result = run("validate", ".")
    assert result.exit_code == 1
    assert result.stdout.count("no checklist 'no-such-list'") == count
    assert len(scans) <= 4  # the answers' folder and the built-ins, for the lookup and for the did-you-mean
