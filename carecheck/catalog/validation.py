"""`carecheck validate`: find carecheck files, read them, run the rules, collect findings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from carecheck import clock
from carecheck.catalog.loading import Catalog, resolve
from carecheck.errors import CarecheckError, Finding, FindingsError, Position, outcome_exit_code
from carecheck.format.model import AnswerFile, Checklist, Config, Plan, RoleMap
from carecheck.format.reader import Document, read_document, real_path
from carecheck.format.validate import document_kind, validate_model
from carecheck.fs import is_dir, read_head, walk_yaml
from carecheck.lint.rules import AnswersContext, ChecklistContext, ConfigContext, PlanContext, RolesContext, run_rules
from carecheck.lint.suppress import apply_levels, silenced
from carecheck.parallel import ordered_map

KNOWN_KINDS = ("carecheck", "carecheck-answers", "carecheck-plan", "carecheck-config", "carecheck-roles")


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What a checked file makes carecheck do that a reader should know (not findings: stderr, not stdout)."""

    @property
    def files(self) -> int:
        """How many carecheck files were checked."""
        return len(self.checked)

    def exit_code(self, strict: bool = False) -> int:
        """How `validate` exits: errors.outcome_exit_code of the findings."""
        return outcome_exit_code(self.findings, strict=strict)


def discover(paths: list[Path]) -> Iterator[tuple[Path, bool]]:
    """Every YAML file under `paths`, with whether it was named explicitly.

    Folders are walked by fs.walk_yaml (hidden folders, virtual environments and node_modules
    are not entered). A path that does not exist or a folder holding no YAML is reported by the caller.
    """
    for path in paths:
        if not is_dir(path):
            yield path, True
            continue
        for found in walk_yaml(path):
            yield found, False


Progress = Callable[[list[tuple[Path, bool]]], Iterable[tuple[Path, bool]]]


def validate_paths(
    paths: list[Path],
    catalog: Catalog,
    *,
    today: date | None = None,
    ignore_unknown: bool = False,
    progress: Progress | None = None,
    preset: Iterable[Finding] = (),
    levels: Mapping[str, str] | None = None,
    jobs: int | None = 1,
) -> ValidationResult:
    """Lint every carecheck file (checklist, answers, plan, config) under `paths`.

    `today` judges waiver expiry (the CLI passes `clock.today`, which honours SOURCE_DATE_EPOCH);
    `ignore_unknown` skips YAML that is not a carecheck file even when named (pre-commit passes
    every staged YAML file); `progress` wraps the list of files to check, e.g. in a progress bar;
    `preset` are findings made before (in the configuration file), reported unless that file is
    checked here too (its own findings then say it all); `levels` are the rules switched off or
    re-levelled (carecheck.yaml's `lint:`, code to off, error or warning); `jobs` is how many
    processes may share the files (None: every core; carecheck.parallel decides whether it pays).
    """
    result = ValidationResult()
    seen_any: dict[Path, bool] = {p: False for p in paths if is_dir(p)}
    files = list(discover(paths))
    named = [(path, explicit and not ignore_unknown) for path, explicit in files]
    all_findings = ordered_map(_worker_validate, named, jobs=jobs, initializer=_worker_start, initargs=(catalog, today))
    for (path, _), findings in zip(progress(files) if progress is not None else files, all_findings, strict=True):
        for folder in seen_any:
            if folder in path.parents:
                seen_any[folder] = True
        if findings is None:
            result.skipped.append(path)
            continue
        result.checked.append(str(path))
        result.findings.extend(findings)
        result.notes.extend(config_notes(path))
    for folder, found in seen_any.items():
        if not found:
            result.findings.append(Finding(str(folder), None, "CC001", "no YAML files in this folder"))
    checked = {real_path(Path(p)) for p in result.checked}
    result.findings += [f for f in preset if real_path(Path(f.path)) not in checked]
    result.findings = apply_levels(result.findings, levels or {})
    result.findings.sort(key=lambda f: f.sort_key)
    return result


_worker: tuple[Catalog, date | None] | None = None


def _worker_start(catalog: Catalog, today: date | None) -> None:
    """Each process lints with a copy of the caller's catalog (its caches then grow per process)."""
    global _worker
    _worker = (catalog, today)


def _worker_validate(item: tuple[Path, bool]) -> list[Finding] | None:
    assert _worker is not None
    catalog, today = _worker
    return validate_file(item[0], catalog, item[1], today=today)


def validate_file(
    path: Path, catalog: Catalog, explicit: bool = True, *, today: date | None = None
) -> list[Finding] | None:
    """The findings of one file, less those a `# carecheck: ignore` marker silences on their line;
    None when it is not a carecheck file and was not named explicitly."""
    findings = _file_findings(path, catalog, explicit, today=today)
    return None if findings is None else silenced(findings, path, {})


def _file_findings(path: Path, catalog: Catalog, explicit: bool, *, today: date | None) -> list[Finding] | None:
    try:
        doc = read_document(path)
        kind = document_kind(doc)
        if kind == "carecheck":
            return _check_checklist(doc, catalog)
        if kind == "carecheck-answers":
            return _check_answers(doc, catalog)
        if kind == "carecheck-plan":
            return _check_plan(doc, catalog, today or clock.today(os.environ))
        if kind == "carecheck-config":
            return _check_config(doc)
        if kind == "carecheck-roles":
            return run_rules("roles", RolesContext(doc, validate_model(doc, RoleMap).roles))
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


def _check_plan(doc: Document, catalog: Catalog, today: date) -> list[Finding]:
    plan = validate_model(doc, Plan)
    resolved, reason = None, ""
    if plan.checklist is not None:
        try:
            resolved = catalog.load(plan.checklist, near=doc.path.parent)
        except CarecheckError as exc:
            reason = exc.message if exc.code == "CC001" else f"its checklist has errors: {exc}"
    return run_rules("plan", PlanContext(doc, plan, today, resolved, reason))


def config_notes(path: Path) -> list[str]:
    """What a configuration file makes carecheck do that its reader should know: the templates it names
    (read again here, in the main process, for the few files that are configurations)."""
    head = read_head(path)
    if head is None or "carecheck-config:" not in head:
        return []
    try:
        doc = read_document(path)
        config = validate_model(doc, Config)
    except CarecheckError:
        return []
    if config.templates is None:
        return []
    pos = doc.locate(("templates",))
    return [
        f"{doc.path}:{pos.line}:{pos.col}: reports use the templates in '{config.templates}' before the "
        "built-ins; they run in Jinja's sandbox (they lay out the report's data, run no code and "
        "read no file outside that folder)"
    ]


def _check_config(doc: Document) -> list[Finding]:
    config = validate_model(doc, Config)
    found = True
    if config.checklist is not None:
        base = doc.path.parent
        folders = [base / folder for folder in config.checklists] + [base / "checklists"]
        found = Catalog(folders=[f for f in folders if is_dir(f)]).find(config.checklist, near=base) is not None
    return run_rules("config", ConfigContext(doc, config, found)) + run_rules("roles", RolesContext(doc, config.roles))
