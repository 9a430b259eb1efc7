"""Silenced findings: `lint:` in carecheck.yaml, and `# carecheck: ignore[...]` on a line."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog
from carecheck.catalog.validation import validate_file
from carecheck.lint.suppress import inline_ignores

RULE_FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
NO_RECOMMENDATION = (
    "carecheck: 1\nid: example\ntitle: Example\nversion: '1'\nsections:\n  - id: s\n    title: S\n    questions:\n"
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  - {id: q} # carecheck: ignore[CC112]", frozenset({"CC112"})),
        ("  - {id: q}  #carecheck: ignore[ CC112 , missing-recommendation,cc101 ]", frozenset({"CC112", "CC101"})),
        ("# carecheck: ignore", None),
        ("text: x   # carecheck: ignore   # and why", None),
        ("text: 'a # carecheck: ignore'", "none"),  # inside a quoted string
        ('text: "say \\" # carecheck: ignore"', "none"),
        ("text: 'it''s # carecheck: ignore'", "none"),
        ("text: it's fine # carecheck: ignore[CC112]", frozenset({"CC112"})),  # an apostrophe opens no string
        ("text: a#carecheck: ignore", "none"),  # a # inside a word starts no comment
        ("text: x  # do not carecheck: ignore", "none"),  # the marker starts the comment
        ("text: x  # carecheck: ignored", "none"),
    ],
)
def test_markers_are_read_from_comments_only(line: str, expected: object) -> None:
    ignores = inline_ignores(f"carecheck: 1\n{line}\n")
    if expected == "none":
        assert ignores == {}
    else:
        assert ignores == {2: expected}


def _findings(tmp_path: Path, questions: str) -> list[tuple[str, int]]:
    path = tmp_path / "example.yaml"
    path.write_text(NO_RECOMMENDATION + questions, encoding="utf-8")
    findings = validate_file(path, Catalog())
    assert findings is not None
    return sorted((f.code, f.position.line if f.position else 0) for f in findings)


def test_an_ignore_marker_drops_the_findings_on_its_line(tmp_path: Path) -> None:
    q = "      - {id: %s, text: Q?, answers: yes-no, weight: 0}"
    assert _findings(tmp_path, f"{q % 'a'}\n{q % 'b'}\n") == [("CC107", 9), ("CC107", 10), ("CC112", 9), ("CC112", 10)]
    marked = f"{q % 'a'}  # carecheck: ignore[CC112]\n{q % 'b'}  # carecheck: ignore\n"
    assert _findings(tmp_path, marked) == [("CC107", 9)]
    by_name = f"{q % 'a'}  # carecheck: ignore[missing-recommendation, CC107]\n{q % 'b'}\n"
    assert _findings(tmp_path, by_name) == [("CC107", 10), ("CC112", 10)]
    quoted = "      - {id: a, text: 'Q? # carecheck: ignore', answers: yes-no}\n"
    assert _findings(tmp_path, quoted) == [("CC112", 9)]


def test_a_reading_finding_can_be_ignored_too(tmp_path: Path) -> None:
    text = (RULE_FIXTURES / "CC112-pass.yaml").read_text().replace("title: Rule fixture\n", "title: A\ntitle: B\n")
    (tmp_path / "dup.yaml").write_text(text)
    assert [f.code for f in validate_file(tmp_path / "dup.yaml", Catalog()) or []] == ["CC005"]
    (tmp_path / "dup.yaml").write_text(text.replace("title: B\n", "title: B  # carecheck: ignore[CC005]\n"))
    assert validate_file(tmp_path / "dup.yaml", Catalog()) == []


# ---------------------------------------------------------------------------------------------------
# lint: in carecheck.yaml


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fail.yaml").write_text((RULE_FIXTURES / "CC112-fail.yaml").read_text())  # one CC112 warning
    (tmp_path / "weight.yaml").write_text((RULE_FIXTURES / "CC107-fail.yaml").read_text())  # one CC107 error
    return tmp_path


def config(project: Path, body: str) -> None:
    (project / "carecheck.yaml").write_text("carecheck-config: 1\nlint:\n" + body, encoding="utf-8")


def test_rules_are_switched_off_and_relevelled_by_code_or_name(run, project: Path) -> None:
    before = run("validate", "fail.yaml", "weight.yaml")
    assert before.exit_code == 1 and "CC112 warning:" in before.stdout and "CC107 " in before.stdout
    config(project, "  CC107: warning\n  missing-recommendation: off\n")
    after = run("validate", "fail.yaml", "weight.yaml")
    assert after.exit_code == 0 and "CC112" not in after.stdout and "CC107 warning:" in after.stdout
    assert run("validate", "--strict", "weight.yaml").exit_code == 1
    config(project, "  CC112: error\n")
    raised = run("validate", "fail.yaml")
    assert raised.exit_code == 1 and "CC112 " in raised.stdout and "warning" not in raised.stdout


def test_an_unknown_rule_is_a_config_finding_with_a_suggestion(run, project: Path) -> None:
    config(project, "  CC1712: off\n")
    result = run("validate", "fail.yaml")
    assert result.exit_code == 1
    assert "carecheck.yaml:3:3: CC403 no rule 'CC1712'; did you mean 'CC112'?" in result.stdout
    assert "CC112 warning:" in result.stdout  # the rest is linted as if no lint: were given
    assert run("validate", ".").stdout.count("CC403") == 1  # checked as a file too: reported once
    listed = run("list")
    assert listed.exit_code == 1 and "CC403 no rule 'CC1712'" in listed.stderr


def test_a_level_that_is_not_one_is_a_schema_finding(run, project: Path) -> None:
    config(project, "  CC112: silent\n")
    assert "carecheck.yaml:3:10: CC008" in run("validate", "fail.yaml").stdout


def test_show_and_report_honour_the_levels_and_markers_validate_honours(run, tmp_path: Path, monkeypatch) -> None:
    # a checklist whose only error is one the user switched off loads everywhere, not only in validate
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bands.yaml").write_text(
        (RULE_FIXTURES / "CC105-fail.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    refused = run("show", "bands.yaml")
    assert refused.exit_code == 1 and "CC105" in refused.stderr
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\nlint: {CC105: 'off'}\n", encoding="utf-8")
    assert run("show", "bands.yaml").exit_code == 0
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\nlint: {CC105: warning}\n", encoding="utf-8")
    assert run("show", "bands.yaml").exit_code == 0
    (tmp_path / "carecheck.yaml").unlink()
    lines = (tmp_path / "bands.yaml").read_text(encoding="utf-8").splitlines()
    lines[6] += "  # carecheck: ignore[CC105]"  # the repeated band, where the finding is
    (tmp_path / "bands.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("show", "bands.yaml").exit_code == 0
