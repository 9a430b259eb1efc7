"""Answer-file rules and file discovery."""

from __future__ import annotations

from pathlib import Path

from carecheck.catalog.loading import Catalog
from carecheck.catalog.validation import discover, validate_file, validate_paths

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_a_good_answer_file_is_clean() -> None:
    assert validate_file(FIXTURES / "answers" / "good.yaml", Catalog(folders=[FIXTURES])) == []


def test_bad_answers_are_found_with_positions() -> None:
    findings = validate_file(FIXTURES / "answers" / "bad-values.yaml", Catalog(folders=[FIXTURES]))
    assert findings is not None
    got = {(f.code, f.position.line if f.position else 0, f.severity) for f in findings}
    assert got == {
        ("CC203", 6, "error"),  # maybe is not yes/no
        ("CC203", 7, "error"),  # soon is not a number
        ("CC205", 8, "warning"),  # reworded since answered
        ("CC202", 9, "warning"),  # unknown question (removed since?): not scored
        ("CC204", 2, "warning"),  # checklist changed
    }
    messages = " ".join(f.message for f in findings)
    assert "use one of: yes, no" in messages


def test_an_answer_file_whose_checklist_is_lost() -> None:
    findings = validate_file(FIXTURES / "answers" / "lost-checklist.yaml", Catalog())
    assert findings is not None
    assert [f.code for f in findings] == ["CC201"]
    assert "no-such-checklist" in findings[0].message


def test_discovery_skips_hidden_folders_venvs_and_node_modules(tmp_path: Path) -> None:
    for rel in ("a.yaml", "sub/b.yml", ".git/c.yaml", "node_modules/d.yaml", "env/e.yaml", "sub/f.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x: 1\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p, _ in discover([tmp_path])]
    assert found == ["a.yaml", "sub/b.yml"]


def test_other_yaml_is_skipped_when_recursing_but_an_error_when_named(tmp_path: Path) -> None:
    other = tmp_path / "docker-compose.yaml"
    other.write_text("services: {}\n")
    result = validate_paths([tmp_path], Catalog())
    assert result.findings == [] and result.skipped == [other]
    result = validate_paths([other], Catalog())
    assert [f.code for f in result.findings] == ["CC007"]
    assert result.exit_code() == 1


def test_a_folder_without_yaml_is_an_io_error(tmp_path: Path) -> None:
    result = validate_paths([tmp_path], Catalog())
    assert [f.code for f in result.findings] == ["CC001"]
    assert result.exit_code() == 2


def test_strict_turns_warnings_into_failures() -> None:
    result = validate_paths([FIXTURES / "rules" / "CC112-fail.yaml"], Catalog())
    assert [f.severity for f in result.findings] == ["warning"]
    assert result.exit_code() == 0
    assert result.exit_code(strict=True) == 1
