"""The exported JSON Schema: shipped, kept equal to `carecheck schema`, and agreeing with the loader."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from carecheck.catalog.loading import Catalog
from carecheck.catalog.validation import validate_file
from carecheck.errors import CarecheckError
from carecheck.format.reader import parse_document, read_document
from carecheck.format.schema import SCHEMAS, json_schema, schema_text
from carecheck.format.validate import document_kind

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
SHIPPED = ROOT / "checklists" / "carecheck.schema.json"
MODELINE = "# yaml-language-server: $schema=carecheck.schema.json"
KIND_OF = {first_key: kind for kind, first_key in SCHEMAS.items()}


def _carecheck_files() -> list[Path]:
    """Every carecheck file in the repository's data: built-ins, examples and test fixtures."""
    found = []
    for folder in (ROOT / "checklists", ROOT / "examples", FIXTURES):
        for path in sorted(folder.rglob("*.y*ml")):
            try:
                kind = document_kind(read_document(path))
            except CarecheckError:
                continue  # unreadable on purpose (tests/fixtures/bad)
            if kind in KIND_OF:
                found.append(path)
    return found


def _valid_files() -> list[Path]:
    """The files carecheck itself accepts: no error findings (fixtures find their checklists beside them)."""
    valid = []
    for path in _carecheck_files():
        findings = validate_file(path, Catalog(folders=[FIXTURES]), today=date(2026, 1, 1)) or []
        if not any(f.severity == "error" for f in findings):
            valid.append(path)
    return valid


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = json_schema(kind)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(kind: str, data: Any) -> list[str]:
    return [e.message for e in _validator(kind).iter_errors(data)]


def test_the_shipped_schema_is_what_carecheck_schema_prints(run) -> None:
    assert SHIPPED.read_text(encoding="utf-8") == run("schema").stdout, (
        "checklists/carecheck.schema.json is stale: run `carecheck schema -o checklists/carecheck.schema.json`"
    )


def test_schema_output_option_writes_the_file(run, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "carecheck.schema.json"
    result = run("schema", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == schema_text()


def test_schema_cannot_write_is_a_usage_error(run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = run("schema", "-o", str(tmp_path / "file" / "x.json"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_schema_is_a_valid_draft_2020_12_schema(run, kind: str) -> None:
    args = ["schema", "--answers"] if kind == "answers" else ["schema", "--kind", kind]
    doc = json.loads(run(*args).stdout)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)
    assert SCHEMAS[kind] in doc["properties"] and doc["additionalProperties"] is False


def test_there_are_valid_files_of_every_kind() -> None:
    kinds = {document_kind(read_document(p)) for p in _valid_files()}
    assert kinds == set(KIND_OF)


@pytest.mark.parametrize("path", _valid_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_carecheck_accepts_is_valid_against_the_schema(path: Path) -> None:
    doc = read_document(path)
    kind = KIND_OF[str(document_kind(doc))]
    assert _errors(kind, doc.data) == []


@pytest.mark.parametrize(
    "path",
    [p for p in _carecheck_files() if p.parent == ROOT / "checklists"],
    ids=lambda p: p.name,
)
def test_builtins_carry_the_yaml_language_server_modeline(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first_line == MODELINE


BAD_CHECKLISTS = {
    "unknown key": "carecheck: 1\nid: x\ntitle: X\nversion: '1'\ntitel: oops\n",
    "missing key": "carecheck: 1\nid: x\nversion: '1'\n",
    "format version 2": "carecheck: 2\nid: x\ntitle: X\nversion: '1'\n",
    "id not kebab": "carecheck: 1\nid: Not_Kebab\ntitle: X\nversion: '1'\n",
    "sections not a list": "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections: oops\n",
    "question without text": (
        "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections:\n"
        "  - {id: s, title: S, questions: [{id: q, answers: yes-no}]}\n"
    ),
    "unknown answer type": (
        "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections:\n"
        "  - {id: s, title: S, questions: [{id: q, text: Q, answers: {type: slider}}]}\n"
    ),
    "number answer without good": (
        "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections:\n"
        "  - {id: s, title: S, questions: [{id: q, text: Q, answers: {type: number, poor: 3}}]}\n"
    ),
    "effort not a level": (
        "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections:\n"
        "  - {id: s, title: S, questions: [{id: q, text: Q, answers: yes-no, effort: huge}]}\n"
    ),
    "weight is text": (
        "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nsections:\n  - {id: s, title: S, weight: heavy}\n"
    ),
    "option without score": "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nanswer_sets:\n  s: [{value: 1, label: A}]\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CHECKLISTS))
def test_structural_errors_are_rejected_by_the_schema_and_by_carecheck(name: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CHECKLISTS[name], encoding="utf-8")
    assert _errors("checklist", parse_document(path.read_bytes(), path).data) != []
    findings = validate_file(path, Catalog()) or []
    assert "CC008" in {f.code for f in findings}


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("answers", "carecheck-answers: 1\nchecklist: {id: x}\norganisation: A\nanswers: {q: [1, 2]}\n"),
        ("answers", "carecheck-answers: 1\norganisation: A\n"),
        ("plan", "carecheck-plan: 1\nwaivers: [{question: q, reason: r, owner: o}]\n"),
        ("plan", "carecheck-plan: 1\nactions: [{question: q, owner: o, when: soon}]\n"),
        ("config", "carecheck-config: 1\naudit: audits\n"),
        ("config", "carecheck-config: 1\nbranding: {accent: blue}\n"),
        ("config", "carecheck-config: 1\ngates: {fail_under: 120}\n"),
        ("config", "carecheck-config: 1\ngates: {fail_on: warnings}\n"),
    ],
)
def test_structural_errors_of_other_kinds_are_rejected_too(kind: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert _errors(kind, parse_document(path.read_bytes(), path).data) != []
    findings = validate_file(path, Catalog()) or []
    assert "CC008" in {f.code for f in findings}


def test_scalars_written_as_numbers_are_text_for_both(tmp_path: Path) -> None:
    path = FIXTURES / "valid" / "scalars-as-written.yaml"
    data = read_document(path).data
    assert isinstance(data["version"], float) and isinstance(data["answer_sets"]["tiers"][0]["value"], int)
    assert _errors("checklist", data) == []
    assert validate_file(path, Catalog()) == []


def test_a_text_field_given_a_list_is_said_beside_every_other_error(tmp_path: Path) -> None:
    """Only a union's text branch is passed over: a plain text field given a list or a mapping is an
    error of its own, whatever else is wrong in the file."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        "carecheck: 1\nid: x\ntitle: [a, b]\nversion: '1'\n"
        "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: q, text: {a: 1}}\nextra: 1\n",
        encoding="utf-8",
    )
    found = [f"{f.position.line}:{f.position.col}: {f.code} {f.message}" for f in validate_file(path, Catalog()) or []]
    assert "3:8: CC008 title: expected text, not a list" in found
    assert "9:23: CC008 text: expected text, not a mapping" in found
    assert any(f.startswith("10:1: CC008 unknown key 'extra'") for f in found)


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        # a mapping or a list is plainly not an answer set's name: what is wrong in it is said, not
        # "should be a valid string" of the text branch
        ("{type: number, good: 1e400, poor: 2}", ["11:56: good: Input should be a finite number"]),
        ("{type: numbr}", ["11:35: answers: unknown answer type 'numbr'; use number or text, or name an answer set"]),
        (
            "[yes, no]",
            ["11:35: answers: expected the name of an answer set, or a mapping with type: number or type: text"],
        ),
        ("7", []),  # a name as written
    ],
)
def test_an_answers_error_says_what_is_wrong_in_what_was_written(
    answers: str, messages: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    head = "carecheck: 1\nid: x\ntitle: X\nversion: '1'\nanswer_sets:\n  '7': [{value: a, label: A, score: 1}]\n"
    body = f"sections:\n  - id: s\n    title: S\n    questions:\n      - {{id: q, text: Q, answers: {answers}}}\n"
    path.write_text(head + body, encoding="utf-8")
    findings = [f for f in validate_file(path, Catalog()) or [] if f.code == "CC008"]
    assert [f"{f.position.line}:{f.position.col}: {f.message}" for f in findings if f.position] == messages


def test_an_answer_given_as_a_list_is_named_by_its_question(tmp_path: Path) -> None:
    (tmp_path / "minimal.yaml").write_bytes((Path(__file__).parents[1] / "fixtures" / "minimal.yaml").read_bytes())
    path = tmp_path / "answers.yaml"
    head = "carecheck-answers: 1\nchecklist: {id: minimal}\norganisation: Acme\nanswers:\n"
    path.write_text(head + "  has-email: [1, 2]\n  trained: 2\n", encoding="utf-8")
    found = [f"{f.position.line}:{f.position.col}: {f.message}" for f in validate_file(path, Catalog()) or []]
    assert found == [
        "5:14: 'has-email': expected one answer (such as yes or 3) or a mapping with value: and note:, not a list"
    ]
