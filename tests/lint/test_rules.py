"""Every lint rule: one fixture that trips it, one that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog
from carecheck.catalog.validation import validate_file
from carecheck.lint.rules import RULES

RULE_FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
CHECKLIST_CODES = sorted(code for code, r in RULES.items() if r.applies_to == "checklist" or "CC115" <= code <= "CC118")


def codes(path: Path) -> list[str]:
    findings = validate_file(path, Catalog(folders=[RULE_FIXTURES]))
    assert findings is not None
    return [f.code for f in findings]


@pytest.mark.parametrize("code", CHECKLIST_CODES)
def test_failing_fixture_trips_the_rule(code: str) -> None:
    assert code in codes(RULE_FIXTURES / f"{code}-fail.yaml")


@pytest.mark.parametrize("code", CHECKLIST_CODES)
def test_passing_fixture_is_clean(code: str) -> None:
    assert codes(RULE_FIXTURES / f"{code}-pass.yaml") == []


def test_every_rule_is_documented() -> None:
    for r in RULES.values():
        assert r.code.startswith("CC") and len(r.code) == 5
        assert r.summary.endswith(".") and len(r.summary) < 120, r.code
        assert r.severity in ("error", "warning")
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_findings_point_at_the_offending_node() -> None:
    findings = validate_file(RULE_FIXTURES / "CC107-fail.yaml", Catalog())
    assert findings is not None
    (f,) = findings
    assert (f.position.line, f.position.col) == (9, 52) if f.position else False
    line = (RULE_FIXTURES / "CC107-fail.yaml").read_text().splitlines()[8]
    assert line[51:].startswith("0,")


def test_huge_weights_are_refused(tmp_path: Path) -> None:
    text = (RULE_FIXTURES / "CC107-pass.yaml").read_text().replace("weight: 0.5", "weight: 1e308")
    (tmp_path / "huge.yaml").write_text(text)
    assert codes(tmp_path / "huge.yaml") == ["CC107"]


def test_excluding_what_a_when_depends_on_is_found(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        f"carecheck: 1\nid: child\ntitle: C\nversion: '1'\nextends: {RULE_FIXTURES / 'CC103-pass.yaml'}\nexclude: [b]\n"
    )
    findings = validate_file(tmp_path / "child.yaml", Catalog())
    assert findings is not None
    assert [(f.code, f.message) for f in findings] == [
        ("CC103", "excluding 'b' leaves 'a' (asked only after it) never asked")
    ]


def test_a_child_of_a_checklist_with_errors_is_refused(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        f"carecheck: 1\nid: child\ntitle: C\nversion: '1'\nextends: {RULE_FIXTURES / 'CC107-fail.yaml'}\n"
    )
    assert codes(tmp_path / "child.yaml") == ["CC107"]
    findings = validate_file(tmp_path / "child.yaml", Catalog())
    assert findings is not None and "which has errors" in findings[0].message


def test_a_duplicate_id_names_where_the_first_one_is(tmp_path: Path) -> None:
    findings = validate_file(RULE_FIXTURES / "CC101-fail.yaml", Catalog())
    assert findings is not None
    (f,) = findings
    assert f.position is not None and (f.position.line, f.position.col) == (10, 14)
    assert f.message == "duplicate id 'q' (first at line 9, column 14)"
    # an id the parent already has: the parent's file, line and column
    (tmp_path / "child.yaml").write_text(
        f"carecheck: 1\nid: child\ntitle: C\nversion: '1'\nextends: {RULE_FIXTURES / 'CC101-pass.yaml'}\n"
        "sections:\n  - id: mine\n    title: Mine\n    questions:\n"
        "      - {id: q2, text: Q?, answers: yes-no, recommendation: Do it.}\n"
    )
    findings = validate_file(tmp_path / "child.yaml", Catalog())
    assert findings is not None
    (f,) = findings
    parent = (RULE_FIXTURES / "CC101-pass.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(parent, 1) if "id: q2" in text)
    col = parent[line - 1].index("q2") + 1
    assert f.code == "CC101"
    assert f.message == f"duplicate id 'q2' (already in 'cc101-pass', {RULE_FIXTURES / 'CC101-pass.yaml'}:{line}:{col})"


# Each rule's docstring is its documentation, with a failing and a passing example

MINIMAL = {
    "carecheck": "carecheck: 1\n",
    "id": "id: example\n",
    "title": "title: Example\n",
    "version": 'version: "1"\n',
    "sections": (
        "sections:\n  - id: basics\n    title: Basics\n    questions:\n"
        "      - {id: q1, text: Do you answer every complaint?, answers: yes-no, recommendation: Answer them.}\n"
    ),
}


def checklist_example(fragment: str) -> str:
    """A checklist rule's example as a whole file: its keys replace those of a minimal checklist."""
    given = {line.split(":")[0] for line in fragment.splitlines() if line[:1].isalpha()}
    head = "".join(text for key, text in MINIMAL.items() if key not in given and key != "sections")
    tail = MINIMAL["sections"] if "sections" not in given else ""
    return head + fragment + tail


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_failing_and_a_passing_example(code: str) -> None:
    r = RULES[code]
    assert r.explanation and r.fails and r.passes, code
    assert r.fails != r.passes and "Fails:" not in r.documentation and "Passes:" not in r.documentation


@pytest.mark.parametrize("code", CHECKLIST_CODES)
def test_checklist_examples_fail_and_pass_as_documented(code: str, tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(checklist_example(RULES[code].fails))
    assert code in codes(path), path.read_text()
    path.write_text(checklist_example(RULES[code].passes))
    assert codes(path) == [], path.read_text()
