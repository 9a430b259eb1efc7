"""`carecheck collect`: returned answer files filed by the import's rules (names, duplicates, all or none)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carecheck.catalog.loading import load_answer_file

FIXTURES = Path(__file__).parents[1] / "fixtures"

ANSWERS = """\
carecheck-answers: 1
checklist: {{id: minimal}}
organisation: Acme Ltd
audit: 2026-Q4
respondent: {{name: {name}, role: front-line}}
started: 2026-10-01T09:00:00Z
answers:
  has-email: {{value: {email}}}
  trained: 2
"""


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """A downloads folder as browsers leave it: copies numbered, other files beside them."""
    folder = tmp_path / "Downloads"
    folder.mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "minimal.yaml")  # found near the folder's parent
    (folder / "answers.yaml").write_text(ANSWERS.format(name="Jo Smith", email="yes"), encoding="utf-8")
    (folder / "answers (3).yaml").write_text(ANSWERS.format(name="Sam Lee", email="no"), encoding="utf-8")
    (folder / "compose.yaml").write_text("services: {}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not yaml\n", encoding="utf-8")
    return folder


def filed(audits: Path) -> list[str]:
    return sorted(p.relative_to(audits).as_posix() for p in audits.rglob("*.yaml"))


def test_a_downloads_folder_is_filed_under_proper_names_and_again_writes_nothing(
    run, downloads: Path, tmp_path: Path
) -> None:
    audits = tmp_path / "audits"
    checklist = str(tmp_path / "minimal.yaml")
    result = run("collect", str(downloads), "--dir", str(audits), "--checklist", checklist)
    assert result.exit_code == 0, result.output
    assert filed(audits) == ["acme-ltd/2026-Q4/minimal--jo-smith.yaml", "acme-ltd/2026-Q4/minimal--sam-lee.yaml"]
    assert "Collected 2 answer files" in result.stdout and "answers (3).yaml: Sam Lee, front-line" in result.stdout
    assert len(list((audits / ".checklists").glob("*.json"))) == 1  # the answered checklist, kept once
    returned, kept = (load_answer_file(p)[1] for p in (downloads / "answers (3).yaml", audits / filed(audits)[1]))
    assert kept == returned  # written by carecheck's one writer, the same answers
    again = run("collect", str(downloads), "--dir", str(audits), "--checklist", checklist)
    assert again.exit_code == 0
    assert again.stderr.count("CC513") == 2 and "Collected 0 answer files" in again.stdout
    assert len(filed(audits)) == 2


def test_one_person_with_other_answers_is_refused_and_nothing_is_written(run, downloads: Path, tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    checklist = str(tmp_path / "minimal.yaml")
    assert (
        run("collect", str(downloads / "answers.yaml"), "--dir", str(audits), "--checklist", checklist).exit_code == 0
    )
    changed = downloads / "answers (1).yaml"
    changed.write_text(ANSWERS.format(name="Jo Smith", email="no"), encoding="utf-8")
    result = run("collect", str(downloads), "--dir", str(audits), "--checklist", checklist)
    assert result.exit_code == 1
    assert f"{changed}:5:20: CC509" in result.stderr and "already has an answer file for 2026-Q4" in result.stderr
    assert "nothing was collected" in result.stderr
    assert filed(audits) == ["acme-ltd/2026-Q4/minimal--jo-smith.yaml"]  # Sam Lee's waits too: all or none


def test_one_person_twice_among_the_files_is_refused(run, downloads: Path, tmp_path: Path) -> None:
    (downloads / "answers (1).yaml").write_text(ANSWERS.format(name="Jo Smith", email="no"), encoding="utf-8")
    result = run(
        "collect", str(downloads), "--dir", str(tmp_path / "audits"), "--checklist", str(tmp_path / "minimal.yaml")
    )
    assert result.exit_code == 1 and "CC509" in result.stderr
    assert "already answers in" in result.stderr and "keep one of the two files" in result.stderr
    assert not (tmp_path / "audits").exists()


def test_a_wrong_answer_or_another_checklist_is_refused(run, downloads: Path, tmp_path: Path) -> None:
    (downloads / "answers.yaml").write_text(ANSWERS.format(name="Jo Smith", email="maybe"), encoding="utf-8")
    result = run(
        "collect", str(downloads), "--dir", str(tmp_path / "audits"), "--checklist", str(tmp_path / "minimal.yaml")
    )
    assert result.exit_code == 1 and "CC203" in result.stderr and not (tmp_path / "audits").exists()
    other = run("collect", str(downloads), "--dir", str(tmp_path / "audits"), "--checklist", "care-essentials")
    assert other.exit_code == 2
    assert "these answers are to checklist 'minimal', but --checklist gives 'care-essentials'" in other.stderr


def test_nothing_to_collect_is_a_usage_error(run, tmp_path: Path) -> None:
    assert run("collect", str(tmp_path / "missing.yaml")).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("collect", str(empty), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 2 and "no answer files" in result.stderr


def test_files_of_two_checklists_are_refused(run, downloads: Path, tmp_path: Path) -> None:
    (downloads / "other.yaml").write_text(
        "carecheck-answers: 1\nchecklist: {id: care-essentials}\norganisation: Acme Ltd\nanswers: {}\n",
        encoding="utf-8",
    )
    shutil.copy(FIXTURES / "minimal.yaml", downloads)  # found beside the first file; not an answer file
    result = run("collect", str(downloads), "--dir", str(tmp_path / "audits"))
    assert result.exit_code == 2 and "these answers are to checklist 'care-essentials', but" in result.stderr
    assert "; collect one checklist at a time" in result.stderr
    assert not (tmp_path / "audits").exists()


def test_a_short_survey_is_open_only_for_the_questions_it_asked(run, downloads: Path, tmp_path: Path) -> None:
    """A file whose `questions:` lists what was asked (an import of a short survey) leaves nothing open
    when those are answered; the report says the same (the others are not asked)."""
    short = ANSWERS.format(name="Ann Lee", email="no") + "questions: [has-email, trained]\n"
    (downloads / "answers (3).yaml").write_text(short, encoding="utf-8")
    checklist = str(tmp_path / "minimal.yaml")
    result = run("collect", str(downloads), "--dir", str(tmp_path / "audits"), "--checklist", checklist)
    assert result.exit_code == 0, result.output
    assert "answers (3).yaml: Ann Lee, front-line)" in result.stdout  # nothing to answer
    assert "answers.yaml: Jo Smith, front-line, 3 to answer)" in result.stdout  # every question asked
