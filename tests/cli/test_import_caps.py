"""Issue 18, bounded time and memory: the caps on a CSV import (rows and size) are documented defaults that
a real user with a larger export can raise (`import --max-rows`, `--max-mb`); past a cap nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import carecheck.survey.csv_import

SURVEY = Path(__file__).parents[1] / "fixtures" / "survey"
CHECKLIST = "staff-survey"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "checklists").mkdir()
    shutil.copy(SURVEY / "staff-survey.yaml", tmp_path / "checklists")
    monkeypatch.chdir(tmp_path)
    rows = "".join(f"P{n},front-line,Acme\n" for n in range(5))
    (tmp_path / "five.csv").write_text("name,role,organisation\n" + rows, encoding="utf-8")
    return tmp_path


def written(project: Path) -> list[Path]:
    return sorted((project / "audits").rglob("*.yaml")) if (project / "audits").exists() else []


def test_bounded_time_and_memory_the_row_cap_of_import_is_configurable(
    run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(carecheck.survey.csv_import, "MAX_ROWS", 3)  # the default, made small
    result = run("import", "five.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 2 and written(project) == []
    assert "five.csv:5:1: CC004 more than 3 rows: import the export in parts, or raise the cap with --max-rows" in (
        result.stderr
    )
    result = run("import", "five.csv", "--checklist", CHECKLIST, "--max-rows", "4")
    assert result.exit_code == 2 and "more than 4 rows" in result.stderr and written(project) == []
    result = run("import", "five.csv", "--checklist", CHECKLIST, "--max-rows", "5")
    assert result.exit_code == 0, result.output
    assert len(written(project)) == 5
    result = run("import", "five.csv", "--checklist", CHECKLIST, "--max-rows", "0")
    assert result.exit_code == 2 and "--max-rows" in result.stderr


def test_bounded_time_and_memory_the_size_cap_of_import_is_configurable(
    run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(carecheck.survey.csv_import, "MAX_BYTES", 50)  # the default, made small
    assert (project / "five.csv").stat().st_size > 50
    result = run("import", "five.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 2 and written(project) == []
    assert "CC004 file is larger than" in result.stderr and "raise the cap with --max-mb" in result.stderr
    result = run("import", "five.csv", "--checklist", CHECKLIST, "--max-mb", "1")
    assert result.exit_code == 0, result.output
    assert len(written(project)) == 5
