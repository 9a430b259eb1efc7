"""YAML files to models: schema errors with positions, tailoring resolution, finding checklists."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

from carecheck.errors import (
    CarecheckError,
    Finding,
    FindingsError,
    InputError,
    InvalidInputError,
    Position,
    UsageError,
)
from carecheck.format.model import (
    DEFAULT_BANDS,
    SECTION_OVERRIDES,
    AnswerFile,
    Check,
    Checklist,
    Config,
    Plan,
    Question,
    RoleMap,
    Section,
)
from carecheck.format.reader import Document, read_document, real_path
from carecheck.format.resolved import Origin, ResolvedChecklist
from carecheck.format.validate import M, document_kind, validate_model
from carecheck.fs import YAML_SUFFIXES, is_file, read_head
from carecheck.parallel import ordered_map, paced

# ---------------------------------------------------------------------------------------------------
# Finding checklists


def builtin_dir() -> Path:
    """The folder of the built-in checklists, inside the installed package."""
    return Path(str(files("carecheck.checklists")))


@dataclass
class Catalog:
    """Finds checklists by id or path: the given folders in order, then the built-ins."""

    folders: list[Path] = field(default_factory=list)
    _resolved: dict[Path, ResolvedChecklist] = field(default_factory=dict)
    # Answer files name their checklist by id, thousands of times in one run: each folder is
    # scanned once, each id looked up once (misses too), and a checklist with errors read once.
    _ids: dict[Path, dict[str, Path]] = field(default_factory=dict)
    _found: dict[tuple[str, Path | None], Path | None] = field(default_factory=dict)
    _failed: dict[Path, CarecheckError] = field(default_factory=dict)
    _missing: dict[tuple[str, Path | None], InputError] = field(default_factory=dict)
    levels: Mapping[str, str] = field(default_factory=dict)
    """`lint:` of carecheck.yaml: rules switched off or re-levelled for the checklists this catalog loads."""

    def search_path(self, near: Path | None = None) -> list[Path]:
        extra = [near] if near is not None else []
        return [*self.folders, *extra, builtin_dir()]

    def find(self, ref: str, near: Path | None = None) -> Path | None:
        """The file of a checklist given by id or path; `<id>.yaml` is tried first in each folder."""
        as_path = Path(ref)
        if _is_path_ref(ref):
            candidate = as_path if as_path.is_absolute() or near is None else near / as_path
            if is_file(candidate):
                return candidate
            return as_path if is_file(as_path) else None
        key = (ref, near)
        if key not in self._found:
            self._found[key] = self._find_id(ref, near)
        return self._found[key]

    def _find_id(self, ref: str, near: Path | None) -> Path | None:
        for folder in self.search_path(near):
            for suffix in YAML_SUFFIXES:
                candidate = folder / f"{ref}{suffix}"
                if is_file(candidate) and _declared_id(candidate) == ref:
                    return candidate
        return next((ids[ref] for ids in map(self._ids_in, self.search_path(near)) if ref in ids), None)

    def _ids_in(self, folder: Path) -> dict[str, Path]:
        """The checklists of a folder by id (the first file in name order wins), scanned once."""
        if folder not in self._ids:
            ids: dict[str, Path] = {}
            for path in _yaml_files(folder):
                cid = _declared_id(path)
                if cid:
                    ids.setdefault(cid, path)
            self._ids[folder] = ids
        return self._ids[folder]

    def load(self, ref: str, near: Path | None = None) -> ResolvedChecklist:
        """Load and resolve a checklist by id or path; InputError when there is none."""
        path = self.find(ref, near)
        if path is None:
            missing = self._missing.get((ref, near))
            if missing is None:  # said once per id and folder: thousands of answer files may name it
                close = [] if _is_path_ref(ref) else difflib.get_close_matches(ref, self.ids(near), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                missing = InputError(f"no checklist '{ref}' (looked in {self._where(near)}){hint}", code="CC001")
                self._missing[(ref, near)] = missing
            raise missing.with_traceback(None)
        return self.resolve_file(path)

    def resolve_file(self, path: Path) -> ResolvedChecklist:
        """Read, resolve and lint a checklist file; FindingsError if the rules find errors in it.

        Commands that use a checklist (show, audit, report) get one the rules passed,
        so nothing downstream meets an unknown answer set or a dangling `when`.
        """
        from carecheck.lint.rules import ChecklistContext, run_rules
        from carecheck.lint.suppress import silenced

        key = real_path(path)
        if key in self._failed:  # linted once: every answer file naming it gets the same error
            raise self._failed[key].with_traceback(None)
        if key not in self._resolved:
            try:
                doc = read_document(path)
                if document_kind(doc) != "carecheck":
                    raise InvalidInputError(
                        "not a checklist (a checklist starts with `carecheck: 1`)",
                        path=path,
                        position=Position(1, 1),
                        code="CC007",
                    )
                resolved = resolve(doc, validate_model(doc, Checklist), self, chain=())
                findings = silenced(run_rules("checklist", ChecklistContext(doc, resolved)), path, self.levels)
                errors = [f for f in findings if f.severity == "error"]
                if errors:
                    raise FindingsError(errors)
            except CarecheckError as exc:
                self._failed[key] = exc
                raise
            self._resolved[key] = resolved
        return self._resolved[key]

    def all(self, near: Path | None = None) -> Iterator[tuple[Path, str]]:
        """Every checklist file of the search path with its id, first seen wins."""
        seen: set[str] = set()
        for folder in self.search_path(near):
            for path in _yaml_files(folder):
                cid = _declared_id(path)
                if cid and cid not in seen:
                    seen.add(cid)
                    yield path, cid

    def ids(self, near: Path | None = None) -> list[str]:
        """The ids of every checklist on the search path, sorted (for suggestions and shell completion)."""
        return sorted(cid for _, cid in self.all(near))

    def _where(self, near: Path | None) -> str:
        return ", ".join(str(p) if p != builtin_dir() else "built-ins" for p in self.search_path(near))


def _is_path_ref(ref: str) -> bool:
    """Whether a checklist reference is a path (`x.yaml`, `team/x`) rather than an id."""
    return ref.endswith(YAML_SUFFIXES) or len(Path(ref).parts) > 1


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and is_file(p))
    except OSError:
        return []


def _declared_id(path: Path) -> str | None:
    """The id of a checklist file, read cheaply from its first lines; None if it is not one."""
    text = read_head(path)
    if text is None:
        return None
    head = text.splitlines()[:40]
    if not any(line.startswith("carecheck:") for line in head):
        return None
    for line in head:
        if line.startswith("id:"):
            return line[3:].split("#")[0].strip().strip("\"'")
    return None


# ---------------------------------------------------------------------------------------------------
# Tailoring


def resolve(doc: Document, raw: Checklist, catalog: Catalog, chain: tuple[Path, ...]) -> ResolvedChecklist:
    """Apply `extends`, `exclude`, `override` and added sections; errors point into `doc`."""
    here = real_path(doc.path)
    origins = {item.id: Origin(doc, loc) for loc, item in _declared(raw)}
    if raw.extends is None:
        checklist = raw.model_copy(update={"bands": raw.bands if raw.bands is not None else DEFAULT_BANDS})
        return ResolvedChecklist(checklist, doc, raw, origins)

    def fail(code: str, message: str, loc: tuple[str | int, ...], key: bool = False) -> FindingsError:
        return FindingsError([Finding(str(doc.path), doc.locate(loc, key=key), code, message)])

    parent_path = catalog.find(raw.extends, near=doc.path.parent)
    if parent_path is None:
        raise fail("CC115", f"extends '{raw.extends}', which cannot be found", ("extends",))
    if real_path(parent_path) in (*chain, here):
        names = " -> ".join(p.name for p in (*chain, here, parent_path))
        raise fail("CC116", f"extends forms a cycle: {names}", ("extends",))
    parent_doc = read_document(parent_path)
    try:
        parent_raw = validate_model(parent_doc, Checklist)
        parent = resolve(parent_doc, parent_raw, catalog, (*chain, here))
        from carecheck.lint.rules import ChecklistContext, run_rules

        parent_errors = [
            f for f in run_rules("checklist", ChecklistContext(parent_doc, parent)) if f.severity == "error"
        ]
        if parent_errors:
            raise FindingsError(parent_errors)
    except FindingsError as exc:
        first = exc.findings[0]
        message = first.message if first.code == "CC116" else f"extends '{raw.extends}', which has errors: {exc}"
        raise fail(first.code, message, ("extends",)) from None
    base = parent.checklist
    origins = {**parent.origins, **origins}
    findings: list[Finding] = []

    known = {s.id for s in base.sections} | set(base.questions)
    for i, ex in enumerate(raw.exclude):
        if ex not in known:
            findings.append(Finding(str(doc.path), doc.locate(("exclude", i)), "CC117", _unknown(ex, known)))
    excluded = set(raw.exclude)
    sections: list[Section] = []
    for section in base.sections:
        if section.id in excluded:
            continue
        questions = tuple(q for q in section.questions if q.id not in excluded)
        sections.append(section.model_copy(update={"questions": questions}))

    findings += _override(doc, raw, base, sections, excluded)

    for added in raw.sections:
        index = next((i for i, s in enumerate(sections) if s.id == added.id), None)
        if index is None:
            sections.append(added)
        else:
            merged = sections[index].questions + added.questions
            sections[index] = sections[index].model_copy(update={"questions": merged})
    if findings:
        raise FindingsError(findings)
    checklist = raw.model_copy(
        update={
            "extends": None,
            "exclude": (),
            "override": {},
            "answer_sets": {**base.answer_sets, **raw.answer_sets},
            "bands": raw.bands if raw.bands is not None else base.bands,
            "critical_cap": raw.critical_cap if raw.critical_cap is not None else base.critical_cap,
            "critical_below": raw.critical_below if "critical_below" in raw.model_fields_set else base.critical_below,
            "checks": _inherited_checks(base, raw, sections),
            "sections": tuple(sections),
        }
    )
    return ResolvedChecklist(checklist, doc, raw, origins, parent)


def _inherited_checks(base: Checklist, raw: Checklist, sections: list[Section]) -> tuple[Check, ...]:
    """The parent's checks whose questions the tailoring keeps (one of its own with the same id wins), then its own."""
    kept = {q.id for s in sections for q in s.questions} | {q.id for s in raw.sections for q in s.questions}
    own = {c.id for c in raw.checks}
    inherited = tuple(c for c in base.checks if c.id not in own and c.if_.question in kept and c.then.question in kept)
    return inherited + raw.checks


def _override(
    doc: Document, raw: Checklist, base: Checklist, sections: list[Section], excluded: set[str]
) -> list[Finding]:
    """Apply `override:` to the sections (in place); the findings of overrides that name nothing they may change."""
    known = {s.id for s in base.sections} | set(base.questions)
    findings: list[Finding] = []
    for target, changes in raw.override.items():
        fields = changes.model_dump(exclude_none=True)
        index = next((i for i, s in enumerate(sections) if s.id == target), None)
        if index is not None:
            wrong = sorted(set(fields) - SECTION_OVERRIDES)
            if wrong:
                findings.append(
                    Finding(
                        str(doc.path),
                        doc.locate(("override", target, wrong[0]), key=True),
                        "CC118",
                        f"a section override may change only {', '.join(sorted(SECTION_OVERRIDES))}",
                    )
                )
                continue
            sections[index] = sections[index].model_copy(update=fields)
            continue
        if "title" in fields and target in base.questions:
            findings.append(
                Finding(
                    str(doc.path),
                    doc.locate(("override", target, "title"), key=True),
                    "CC118",
                    "a question has text, not a title",
                )
            )
            continue
        for i, s in enumerate(sections):
            qs = [q.model_copy(update=fields) if q.id == target else q for q in s.questions]
            if any(q.id == target for q in s.questions):
                sections[i] = s.model_copy(update={"questions": tuple(qs)})
                break
        else:
            message = f"'{target}' is excluded" if target in excluded else _unknown(target, known)
            findings.append(Finding(str(doc.path), doc.locate(("override", target), key=True), "CC117", message))
    return findings


def _declared(raw: Checklist) -> Iterable[tuple[tuple[str | int, ...], Section | Question]]:
    for i, section in enumerate(raw.sections):
        yield ("sections", i), section
        for j, question in enumerate(section.questions):
            yield ("sections", i, "questions", j), question


def _unknown(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"no section or question '{name}' in the parent checklist{hint}"


def load_answer_file(path: Path) -> tuple[Document, AnswerFile]:
    """Read an answer file; FindingsError with positions when it is not a valid one."""
    return _load_kind(path, AnswerFile, "carecheck-answers", "an answer file")


def load_plan(path: Path) -> tuple[Document, Plan]:
    """Read a plan file (waivers and action owners); FindingsError with positions when it is not a valid one.

    Expiry is not judged here: `Plan.waiver(question, today)` returns only a waiver that holds on
    `today` (use `carecheck.clock.today`, which honours SOURCE_DATE_EPOCH), and `validate` reports
    expired waivers as errors (CC301).
    """
    return _load_kind(path, Plan, "carecheck-plan", "a plan file")


def load_config(path: Path) -> tuple[Document, Config]:
    """Read a configuration file; FindingsError with positions when it is not a valid one."""
    return _load_kind(path, Config, "carecheck-config", "a configuration file")


def load_role_map(path: Path) -> tuple[Document, RoleMap]:
    """Read a role map (`carecheck-roles: 1`); FindingsError with positions when it is not a valid one."""
    return _load_kind(path, RoleMap, "carecheck-roles", "a role map")


def _load_kind(path: Path, model: type[M], kind: str, what: str) -> tuple[Document, M]:
    doc = read_document(path)
    if document_kind(doc) != kind:
        raise InvalidInputError(
            f"not {what} ({what} starts with `{kind}: 1`)",
            path=path,
            position=Position(1, 1),
            code="CC007",
        )
    return doc, validate_model(doc, model)


class AnswerStream:
    """Answer files for one report, read one at a time and checked as they are read.

    The first answer file names the checklist (unless `checklist` is given: an id or a path).
    Files found by walking a folder that are not answer files are skipped; a file named
    explicitly must be one; a file given twice counts once. `items()` reads them (once) with
    their lint findings, for a caller that groups files by organisation and audit itself
    (carecheck.audits.grouping); files of another checklist are refused, unless `several` (and
    no `checklist` given): each is then read against its own, found as the first one's was;
    `checklists` holds the checklist of each id met.
    """

    def __init__(
        self,
        paths: Iterable[tuple[Path, bool]],
        catalog: Catalog,
        checklist: str | None = None,
        *,
        several: bool = False,
        command: str = "report",
        jobs: int | None = 1,
        progress: Callable[[list[tuple[Path, bool]]], Iterable[tuple[Path, bool]]] | None = None,
    ) -> None:
        self._catalog = catalog
        self._command = command  # named in the refusal of another checklist: "report on one checklist at a time"
        self._several = several and checklist is None
        self._seen: set[Path] = set()
        self._jobs = jobs
        self._paths = list(paths) if jobs != 1 or progress is not None else paths
        # the progress bar (if any) advances as files are read, here or in the worker processes
        self._ticks = iter(progress(self._paths) if progress is not None else self._paths)  # type: ignore[arg-type]
        self._consumed = itertools.count()
        counted = (p for p, _ in zip(self._ticks, self._consumed, strict=False))  # counts the files read
        self._files = read_answer_files(counted, self._seen)
        self._first = self._next()
        if self._first is None:
            raise UsageError("no answer files to report on (an answer file starts with `carecheck-answers: 1`)")
        path, doc, answers = self._first
        self._reference = (path, answers)
        self._given = checklist
        if checklist is not None:
            self.resolved = catalog.load(checklist, near=Path.cwd())
        else:
            self.resolved = self._load(path, doc, answers)
        self.checklist = self.resolved.checklist
        self.checklists: dict[str, ResolvedChecklist] = {self.checklist.id: self.resolved}

    def _load(self, path: Path, doc: Document, answers: AnswerFile) -> ResolvedChecklist:
        """The checklist an answer file names, found from its folder; CC201 at its id when there is none."""
        try:
            return self._catalog.load(answers.checklist.id, near=path.parent)
        except InputError as exc:
            if exc.code != "CC001":
                raise
            # the answer file was read and names no checklist there is: wrong, as `validate` says (exit 1)
            where = doc.locate(("checklist", "id"))
            raise InvalidInputError(exc.message, path=path, position=where, code="CC201") from None

    def _next(self) -> tuple[Path, Document, AnswerFile] | None:
        return next(self._files, None)

    @property
    def seen(self) -> frozenset[Path]:
        """The files read so far (their real paths)."""
        return frozenset(self._seen)

    def items(
        self, scored_against: Callable[[Checklist, AnswerFile, Path], Checklist] | None = None
    ) -> Iterator[tuple[Path, Document | None, AnswerFile, list[Finding]]]:
        """Every answer file with its lint findings (errors included, not raised), whatever its
        organisation and audit: for a caller that groups files itself. Only another checklist is
        refused, at once. `scored_against` names the checklist each file is scored against (the
        stored copy of the one it answered, audits.records.Rescorer): the file is linted against that.
        With `jobs` other than 1, the files after the first are read and linted in worker processes
        (read_spread), with the same results in the same order; their Document is then None (a file
        that may be scored against a stored checklist is read again here)."""
        item, self._first = self._first, None
        if item is not None:
            yield self._checked(*item, scored_against)
        if self._jobs == 1 or not isinstance(self._paths, list):
            for path, doc, answers in paced(self._files):
                yield self._checked(path, doc, answers, scored_against)
            return
        rest = self._paths[next(self._consumed) :]  # the files after the first answer file
        for (path, explicit), result in zip(self._ticks, read_spread(rest, self._jobs, self.checklists), strict=True):
            if isinstance(result, tuple):
                key = real_path(path)
                if key not in self._seen:
                    self._seen.add(key)
                    yield path, None, *result
            elif result == REDO:  # read again here: an error is raised (or a new checklist met) as in one process
                for again, doc, answers in read_answer_files([(path, explicit)], self._seen):
                    yield self._checked(again, doc, answers, scored_against)

    def _checked(
        self,
        path: Path,
        doc: Document,
        answers: AnswerFile,
        scored_against: Callable[[Checklist, AnswerFile, Path], Checklist] | None,
    ) -> tuple[Path, Document | None, AnswerFile, list[Finding]]:
        from carecheck.lint.rules import AnswersContext, run_rules

        resolved = self.checklists.get(answers.checklist.id)
        if resolved is None and self._several:
            resolved = self.checklists[answers.checklist.id] = self._load(path, doc, answers)
        elif resolved is None:
            self._same_checklist(path, doc, answers)  # raises: another checklist
        if scored_against is not None and resolved is not None:
            chosen = scored_against(resolved.checklist, answers, path)
            if chosen is not resolved.checklist:
                resolved = replace(resolved, checklist=chosen)
        return path, doc, answers, run_rules("answers", AnswersContext(doc, answers, resolved))

    def _same_checklist(self, path: Path, doc: Document, answers: AnswerFile) -> None:
        ref_path, ref = self._reference
        if answers.checklist.id != self.checklist.id:
            given = f"--checklist gives '{self.checklist.id}'"
            origin = given if self._given else f"{ref_path} is for '{ref.checklist.id}'"
            raise UsageError(
                f"these answers are to checklist '{answers.checklist.id}', but {origin}; "
                f"{self._command} one checklist at a time",
                path=path,
                position=doc.locate(("checklist", "id")),
            )


SKIP = "skip"
"""read_spread: a file met walking a folder that is not an answer file."""
REDO = "redo"
"""read_spread: a file the caller reads again itself (its error, or its checklist, is for the caller to meet)."""

_lint_with: Mapping[str, ResolvedChecklist] | None = None


def _spread_start(checklists: Mapping[str, ResolvedChecklist] | None) -> None:
    global _lint_with
    _lint_with = checklists


def _spread_read(item: tuple[Path, bool]) -> tuple[AnswerFile, list[Finding]] | str:
    path, explicit = item
    if not explicit and not _answers_header(path):
        return SKIP
    try:
        doc, answers = load_answer_file(path)
    except CarecheckError:  # errors don't travel between processes intact: the caller reads the file again
        return REDO
    if _lint_with is None:
        return answers, []
    resolved = _lint_with.get(answers.checklist.id)
    sha = answers.checklist.sha256
    if resolved is None or (sha and sha != resolved.checklist.sha256):  # another checklist, or a stored copy
        return REDO
    from carecheck.lint.rules import AnswersContext, run_rules

    return answers, run_rules("answers", AnswersContext(doc, answers, resolved))


def read_spread(
    paths: Sequence[tuple[Path, bool]], jobs: int | None, lint: Mapping[str, ResolvedChecklist] | None = None
) -> Iterator[tuple[AnswerFile, list[Finding]] | str]:
    """Each of `paths` read as an answer file over `jobs` processes (carecheck.parallel), in input
    order: (answers, lint findings against `lint`'s checklist of its id; none without `lint`), SKIP,
    or REDO for the caller to read again (broken, or of a checklist not in `lint`). Returns values,
    never raises for a file: the caller keeps `seen` and raises errors where one process would."""
    return ordered_map(_spread_read, paths, jobs=jobs, initializer=_spread_start, initargs=(lint,))


def read_answers(
    paths: Iterable[tuple[Path, bool]],
    seen: set[Path] | None = None,
    *,
    skip_broken: bool = False,
    broken: list[CarecheckError] | None = None,
    jobs: int | None = 1,
    progress: Callable[[list[tuple[Path, bool]]], Iterable[tuple[Path, bool]]] | None = None,
) -> Iterator[tuple[Path, AnswerFile]]:
    """read_answer_files without the Documents, over `jobs` processes (read_spread) when there are
    enough files: the same files, errors and order as one process. `progress` wraps the list of
    files, advanced as each is read."""
    items = list(paths) if jobs != 1 or progress is not None else paths
    ticks = progress(items) if progress is not None else items  # type: ignore[arg-type]
    if jobs == 1:
        for path, _, answers in paced(read_answer_files(ticks, seen, skip_broken=skip_broken, broken=broken)):
            yield path, answers
        return
    seen = set() if seen is None else seen
    for (path, explicit), result in zip(ticks, read_spread(items, jobs), strict=True):  # type: ignore[arg-type]
        if isinstance(result, tuple):
            key = real_path(path)
            if key not in seen:
                seen.add(key)
                yield path, result[0]
        elif result == REDO and (broken is not None or not skip_broken):  # its error wanted: met as in one process
            for again, _, answers in read_answer_files(
                [(path, explicit)], seen, skip_broken=skip_broken, broken=broken
            ):
                yield again, answers


def loadable_answers(
    paths: Iterable[Path], seen: set[Path] | None = None, *, jobs: int | None = None
) -> Iterator[tuple[Path, AnswerFile]]:
    """Whichever of `paths` load as answer files, over `jobs` processes (None: every core): each read as
    if named (not passed over for its first line, as a folder walk is), one that does not load skipped
    (`validate` reports it). What `import` and `audit` look for among the files already in an audits folder."""
    return read_answers([(path, True) for path in paths], seen, skip_broken=True, jobs=jobs)


def read_answer_files(
    paths: Iterable[tuple[Path, bool]],
    seen: set[Path] | None = None,
    *,
    skip_broken: bool = False,
    broken: list[CarecheckError] | None = None,
) -> Iterator[tuple[Path, Document, AnswerFile]]:
    """Answer files, read one at a time: files met walking a folder that are not answer files are
    skipped, a file named explicitly must be one, a file already in `seen` (resolved paths, updated
    as files are read) is read once. `skip_broken` also skips files that cannot be read as answers,
    adding why to `broken` when given."""
    seen = set() if seen is None else seen
    for path, explicit in paths:
        key = real_path(path)
        if key in seen or (not explicit and not _answers_header(path)):
            continue
        seen.add(key)
        if not skip_broken:
            doc, answers = load_answer_file(path)
        else:
            try:
                doc, answers = load_answer_file(path)
            except CarecheckError as exc:
                if broken is not None:
                    broken.append(exc)
                continue
        yield path, doc, answers


def _answers_header(path: Path) -> bool | None:
    """Whether a YAML file starts like an answer file, read cheaply; None for a pipe or a device (passed
    over), True for a regular file that cannot be read: reading it says why, rather than "no audits"."""
    text = read_head(path)
    if text is None:
        # a pipe or a device is passed over; a regular file that cannot be read is read to say why
        return True if is_file(path) else None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return stripped.startswith("carecheck-answers:")
    return False
