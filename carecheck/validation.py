"""`carecheck validate`: find carecheck files, read them, run the rules, collect findings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from carecheck.errors import CarecheckError, Finding, FindingsError, Position
from carecheck.loading import YAML_SUFFIXES, Catalog, document_kind, resolve, validate_model
from carecheck.model import AnswerFile, Checklist
from carecheck.rules import AnswersContext, ChecklistContext, exit_class, run_rules
from carecheck.source import Document, read_document

SKIPPED_DIRS = {"node_modules", "venv", "__pycache__", "site-packages"}
KNOWN_KINDS = ("carecheck", "carecheck-answers", "carecheck-plan", "carecheck-config")


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    skipped: list[Path] = field(default_factory=list)

    def errors(self, strict: bool = False) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" or strict]

    def exit_code(self, strict: bool = False) -> int:
        failing = self.errors(strict)
        return max((exit_class(f.code) for f in failing), default=0)


def discover(paths: list[Path]) -> Iterator[tuple[Path, bool]]:
    """Every YAML file under `paths`, with whether it was named explicitly.

    Hidden folders, virtual environments and node_modules are not entered. A path
    that does not exist or a folder holding no YAML is reported by the caller.
    """
    for path in paths:
        if not path.is_dir():
            yield path, True
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and d not in SKIPPED_DIRS and not (Path(root, d, "pyvenv.cfg")).exists()
            )
            for name in sorted(names):
                if name.endswith(YAML_SUFFIXES):
                    yield Path(root, name), False


def validate_paths(paths: list[Path], catalog: Catalog) -> ValidationResult:
    """Lint every checklist and answer file under `paths`."""
    result = ValidationResult()
    seen_any: dict[Path, bool] = {p: False for p in paths if p.is_dir()}
    for path, explicit in discover(paths):
        for folder in seen_any:
            if folder in path.parents:
                seen_any[folder] = True
        findings = validate_file(path, catalog, explicit)
        if findings is None:
            result.skipped.append(path)
            continue
        result.files += 1
        result.findings.extend(findings)
    for folder, found in seen_any.items():
        if not found:
            result.findings.append(Finding(str(folder), None, "CC001", "no YAML files in this folder"))
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def validate_file(path: Path, catalog: Catalog, explicit: bool = True) -> list[Finding] | None:
    """The findings of one file; None when it is not a carecheck file and was not named explicitly."""
    try:
        doc = read_document(path)
        kind = document_kind(doc)
        if kind == "carecheck":
            return _check_checklist(doc, catalog)
        if kind == "carecheck-answers":
            return _check_answers(doc, catalog)
        if kind in KNOWN_KINDS:
            return []  # plans and configs are checked by the commands that read them
        if not explicit:
            return None
        first = next(iter(doc.data), None)
        return [
            Finding(
                str(path),
                Position(1, 1),
                "CC007",
                f"not a carecheck file: the first key is '{first}', not one of {', '.join(KNOWN_KINDS)}",
            )
        ]
    except FindingsError as exc:
        return exc.findings
    except CarecheckError as exc:
        if not explicit and exc.code == "CC007":
            return None
        return [Finding(str(exc.path or path), exc.position, exc.code or "CC001", exc.message)]


def _check_checklist(doc: Document, catalog: Catalog) -> list[Finding]:
    raw = validate_model(doc, Checklist)
    resolved = resolve(doc, raw, catalog, chain=())
    return run_rules("checklist", ChecklistContext(doc, resolved))


def _check_answers(doc: Document, catalog: Catalog) -> list[Finding]:
    answers = validate_model(doc, AnswerFile)
    try:
        resolved = catalog.load(answers.checklist.id, near=doc.path.parent)
        reason = ""
    except CarecheckError as exc:
        resolved, reason = None, exc.message if exc.code == "CC001" else f"its checklist has errors: {exc}"
    return run_rules("answers", AnswersContext(doc, answers, resolved, reason))
