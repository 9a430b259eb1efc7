"""Answer files grouped into audits: the reports of `report` (baselines, --by) and `history`.

Files are read once, one at a time, and each is added to the running totals (scoring.Aggregate)
of its group: its organisation, checklist and audit label, read from the file's fields and
never from its path. Audits are put in time order by their labels when every label is a period
(2026-Q3, 2026-H2, 2026-07, 2026-07-15, 2026), else by when they began (the earliest start in
their files; undated last), then by label.

- `build_reports`: the Scorecards of `carecheck report`: one, or one per organisation with
  `--by organisation`; with `--baseline`, each compared with an earlier audit (given, or with
  `auto` the previous completed audit found in the audits folder and next to the answers).
- `build_history`: every audit in a folder, per organisation and checklist, oldest first.

Each audit is scored against the checklist it answered, as stored beside the audits when its
answer files were written (records.Rescorer; `--rescore current`: the checklist as it is now).
Read against a later checklist, answers to questions since removed, or that no longer fit their
question, are left out and listed (trends.compare), not refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from carecheck.audits.records import Rescorer
from carecheck.catalog.loading import AnswerStream, Catalog, read_answer_files, read_answers
from carecheck.catalog.validation import discover
from carecheck.errors import CarecheckError, Finding, FindingsError, InvalidInputError, UsageError
from carecheck.format.answers import audit_label
from carecheck.format.model import AnswerFile, Checklist
from carecheck.format.names import path_part
from carecheck.format.resolved import ResolvedChecklist
from carecheck.fs import is_dir, walk_yaml
from carecheck.scoring.score import GAP_THRESHOLD, Aggregate, Responses, Scorecard, aware
from carecheck.scoring.trends import AuditPoint, Comparison, History, LikeForLike, Series, compare, like_for_like

AUTO = "auto"
BY_CHOICES = ("organisation",)
ORGANISATION_FIELD = "{organisation}"
"""In `-o`, replaced by each organisation's name made safe for a file system (store.path_part)."""
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_ -]*\}")
"""What reads as a placeholder in `-o` (`{org}`, `{audit}`): refused unless it is ORGANISATION_FIELD."""
NEIGHBOUR_DEPTH = 2
"""--baseline auto looks next to the answers: in the folder above theirs, this many folder levels down."""
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
PERIOD = re.compile(r"[0-9]{4}(-(Q[1-4]|H[12]|[0-9]{2}(-[0-9]{2})?))?")
"""Audit labels that sort in time order as text."""


@dataclass(eq=False)
class AuditGroup:
    """The answer files of one audit of one organisation and checklist, as they are read."""

    organisation: str
    checklist: str
    audit: str | None
    aggregate: Aggregate
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    when: datetime | None = None
    """When the audit began: the earliest start (else completion) among its files."""
    sources: list[str] = field(default_factory=list)
    sources_by_name: dict[str, str] = field(default_factory=dict)
    """The file of each named respondent: one person answers an audit once."""

    def add(self, answers: AnswerFile, source: str, findings: Sequence[Finding] = ()) -> None:
        self.aggregate.add(answers, source)
        self.sources.append(source)
        name = respondent_identity(answers)
        if name and name in self.sources_by_name:
            first = self.sources_by_name[name]
            twice = (
                f"{answers.respondent.name} answered this audit twice (also in {first}); keep one file:"
                " remove the other, or change an answer with `carecheck audit --resume FILE`"
            )
            findings = [*findings, Finding(source, None, "CC206", twice)]
        elif name:
            self.sources_by_name[name] = source
        for finding in findings:
            (self.errors if finding.severity == "error" else self.warnings).append(finding)
        stamp = aware(answers.started or answers.completed)
        if stamp is not None and (self.when is None or stamp < self.when):
            self.when = stamp

    @property
    def files(self) -> int:
        return self.aggregate.files

    @property
    def complete(self) -> bool:
        """Every answer file of the audit records a completed audit."""
        return self.aggregate.completed == self.aggregate.files

    @property
    def label(self) -> str:
        return self.audit or "(no audit label)"

    def by_date(self) -> tuple[bool, datetime, str]:
        """The sort key of audits by when they began (undated last), then by label."""
        return (self.when is None, self.when or _EPOCH, self.audit or "")

    def summary(self) -> str:
        return f"{self.label} ({_files(self.files)})"


Key = tuple[str, str, "str | None"]


def respondent_identity(answers: AnswerFile) -> str:
    """Who answered, as audits match people: the name, spacing and case ignored; "" when unnamed."""
    return " ".join(answers.respondent.name.split()).casefold()


@dataclass
class Router:
    """Routes answer files to the AuditGroup of their organisation, checklist and audit (report, history,
    portfolio)."""

    anonymous: bool = False
    gap_threshold: float = GAP_THRESHOLD
    rescorer: Rescorer | None = None
    """Chooses each file's checklist: the stored copy of the one it answered, or the current one."""
    groups: dict[Key, AuditGroup] = field(default_factory=dict)
    broken: list[CarecheckError] = field(default_factory=list)
    """Answer files a --baseline auto scan passed over because they cannot be read as answers."""
    responses: dict[str, Responses] = field(default_factory=dict, repr=False)
    """The scored responses of each checklist (by its sha256), shared by the audits scored against it."""

    def add(self, checklist: Checklist, answers: AnswerFile, source: str, findings: Sequence[Finding] = ()) -> None:
        label = audit_label(answers)
        key = (answers.organisation, answers.checklist.id, label)
        if self.rescorer is not None:  # an audit is scored against the checklist its first file answered
            checklist = self.rescorer.checklist_for(checklist, answers, Path(source))
        group = self.groups.get(key)
        if group is None:
            aggregate = Aggregate(
                checklist,
                anonymous=self.anonymous,
                lenient=True,
                gap_threshold=self.gap_threshold,
                responses=self.responses.setdefault(checklist.sha256, {}),
            )  # lint errors are kept per group and raised only for the audit reported
            group = self.groups[key] = AuditGroup(answers.organisation, answers.checklist.id, label, aggregate)
        group.add(answers, source, findings)

    def of(self, organisation: str) -> list[AuditGroup]:
        """The audits of an organisation, oldest first."""
        return in_time_order(g for g in self.groups.values() if g.organisation == organisation)

    def organisations(self) -> list[str]:
        return sorted({g.organisation for g in self.groups.values()}, key=lambda name: (name.casefold(), name))


# ---------------------------------------------------------------------------------------------------
# Reports


@dataclass(frozen=True)
class ReportRequest:
    """What `carecheck report` was asked for, beyond rendering."""

    answers: Sequence[Path]
    checklist: str | None = None
    baseline: Sequence[str] = ()
    """Answer files or folders of an earlier audit, or ("auto",)."""
    by: str | None = None
    """"organisation": one report per organisation."""
    audits_folder: Path | None = None
    """Where `--baseline auto` looks first (the `audits` setting)."""
    anonymous: bool = False
    gap_threshold: float = GAP_THRESHOLD
    files: Iterable[tuple[Path, bool]] | None = None
    """The answer files found under `answers` (validation.discover), e.g. behind a progress bar; None: found here."""
    rescore: str = "stored"
    """stored: score each audit against the stored copy of the checklist it answered; current: against today's."""
    jobs: int | None = 1
    """Processes that may share reading and checking the files (None: every core; carecheck.parallel decides)."""
    progress: Callable[[list[tuple[Path, bool]]], Iterable[tuple[Path, bool]]] | None = None
    """Wraps the list of files, advanced as each is read (e.g. a progress bar)."""


@dataclass(frozen=True)
class Report:
    """One organisation's report: its Scorecard, the checklist and the answer files it was made from."""

    card: Scorecard
    resolved: ResolvedChecklist
    sources: tuple[str, ...]
    """The answer files of the audit reported (kept even when the card is anonymous: gates point into them)."""
    comparison: Comparison | None = None
    """What changed since the baseline audit, with `--baseline`."""


@dataclass(frozen=True)
class Reports:
    reports: tuple[Report, ...]
    """One report per organisation, in name order."""
    warnings: tuple[Finding, ...]
    """Lint warnings of the answers reported."""
    notices: tuple[str, ...]
    """What the user should know that is not an error (e.g. no earlier audit was found)."""


def build_reports(request: ReportRequest, catalog: Catalog) -> Reports:
    """Read the answers (and the baseline), group them into audits and score each report."""
    auto = tuple(request.baseline) == (AUTO,)
    if AUTO in request.baseline and not auto:
        raise UsageError("--baseline auto finds the baseline itself: give it alone, or give files and folders")
    if request.by is not None and request.by not in BY_CHOICES:
        raise UsageError(f"--by takes one of {', '.join(BY_CHOICES)}, not '{request.by}'")
    files = request.files if request.files is not None else discover(list(request.answers))
    # one report per organisation: each on its own checklist (a sector profile per client)
    stream = AnswerStream(
        files,
        catalog,
        request.checklist,
        several=request.by == "organisation",
        jobs=request.jobs,
        progress=request.progress,
    )
    rescorer = Rescorer(request.rescore)
    router = Router(request.anonymous, request.gap_threshold, rescorer)
    # each file is linted against the checklist it is scored against: no CC204/CC205 for a stored one
    for path, _, answers, findings in stream.items(rescorer.checklist_for):
        router.add(stream.checklists[answers.checklist.id].checklist, answers, str(path), findings)
    organisations = router.organisations()
    if len(organisations) > 1 and request.by != "organisation":
        listed = "; ".join(f"'{org}' ({_files(sum(g.files for g in router.of(org)))})" for org in organisations)
        raise UsageError(
            f"these answers are of {len(organisations)} organisations: {listed}. Report on one at a time, "
            "or give --by organisation -o 'reports/{organisation}.html' for one report each"
        )
    resolved_of = _checklist_of_each(router, organisations, stream)
    checklist_of = {org: resolved.checklist for org, resolved in resolved_of.items()}
    earlier_router = _earlier_audits(request, stream, checklist_of, organisations, rescorer)
    reports: list[Report] = []
    warnings: list[Finding] = []
    notices: list[str] = [f"passed over as a baseline: {exc}" for exc in earlier_router.broken]
    for organisation in organisations:
        audits = router.of(organisation)
        current = audits[-1]
        if len(audits) > 1 and not request.baseline:
            raise UsageError(
                f"these answers are of {len(audits)} audits of '{organisation}': "
                f"{', '.join(g.summary() for g in audits)}. Report on one audit, or give --baseline auto to report "
                f"on the latest ({current.label}) and compare it with the one before"
            )
        if current.errors:
            raise FindingsError(current.errors)
        warnings.extend(current.warnings)
        card = current.aggregate.scorecard()
        comparison = None
        if request.baseline:
            if auto:
                baseline, earlier, unfinished = _auto_baseline(current, audits[:-1], earlier_router.of(organisation))
                notices.extend(
                    f"audit {g.label} of '{organisation}' is passed over as a baseline: "
                    f"{g.files - g.aggregate.completed} of its {_files(g.files)} are not completed"
                    for g in unfinished
                )
            else:
                baseline, earlier = _given_baseline(current, audits[:-1], earlier_router.of(organisation))
            if baseline is None:
                notices.append(
                    f"no earlier completed audit of '{organisation}' ({checklist_of[organisation].id}) was found"
                    f"{' in ' + _where(request) if auto else ' in the baseline answers'}: "
                    f"the report of {current.label} has no comparison"
                )
            else:
                points = [AuditPoint.of(g.aggregate.scorecard()) for g in earlier]
                comparison = compare(card, baseline.aggregate.scorecard(), points)
                comparison = replace(comparison, like_for_like=_like_for_like(current, baseline))
        reports.append(Report(card, resolved_of[organisation], tuple(current.sources), comparison))
    return Reports(tuple(reports), tuple(warnings), tuple([*rescorer.notices(), *notices]))


def _like_for_like(current: AuditGroup, baseline: AuditGroup) -> LikeForLike | None:
    """The change among the people who answered both audits; None when the respondents are the same.

    Only the files of those people in an audit that others answered too are read again, so an
    audit costs nothing more unless its respondents changed."""
    now, then = current.sources_by_name, baseline.sources_by_name
    both = sorted(set(now) & set(then))
    joined, left = current.files - len(both), baseline.files - len(both)
    if not joined and not left:
        return None
    cards = [
        None if not both else group.aggregate.scorecard() if not others else _rescore(group, [names[n] for n in both])
        for group, names, others in ((current, now, joined), (baseline, then, left))
    ]
    return like_for_like(cards[0], cards[1], respondents=len(both), joined=joined, left=left)


def _rescore(group: AuditGroup, sources: Sequence[str]) -> Scorecard:
    """The Scorecard of some of an audit's answer files alone (read again), as the audit is scored."""
    first = group.aggregate
    aggregate = Aggregate(
        first.checklist, anonymous=first.anonymous, lenient=first.lenient, gap_threshold=first.gap_threshold
    )
    for path, _, answers in read_answer_files((Path(source), True) for source in sources):
        aggregate.add(answers, str(path))
    return aggregate.scorecard()


def _checklist_of_each(router: Router, organisations: list[str], stream: AnswerStream) -> dict[str, ResolvedChecklist]:
    """Each organisation's checklist; answers of one organisation to several checklists are refused."""
    resolved_of: dict[str, ResolvedChecklist] = {}
    for organisation in organisations:
        ids = sorted({g.checklist for g in router.of(organisation)})
        if len(ids) > 1:
            raise UsageError(
                f"the answers of '{organisation}' are to {len(ids)} checklists: {', '.join(ids)}; "
                "report on one checklist at a time"
            )
        resolved_of[organisation] = stream.checklists[ids[0]]
    return resolved_of


def _earlier_audits(
    request: ReportRequest,
    stream: AnswerStream,
    checklist_of: dict[str, Checklist],
    organisations: list[str],
    rescorer: Rescorer,
) -> Router:
    """The audits a baseline may be chosen from: found (auto) or given, of the organisations reported."""
    earlier_router = Router(request.anonymous, request.gap_threshold, rescorer)
    if tuple(request.baseline) == (AUTO,):
        roots = _baseline_roots(request.answers, request.audits_folder)
        for path, answers in _candidates(roots, stream.seen, earlier_router.broken, request.jobs):
            checklist = checklist_of.get(answers.organisation)
            if checklist is not None and answers.checklist.id == checklist.id:
                earlier_router.add(checklist, answers, str(path))
    elif request.baseline:
        given = _read_baseline(request.baseline, checklist_of, earlier_router)
        if not set(given) & set(organisations):
            raise UsageError(
                f"the baseline answers are of {_names(given)} and the report's of {_names(organisations)}: "
                "a baseline must be an earlier audit of the same organisation"
            )
    return earlier_router


def report_paths(output: Path | None, organisations: Sequence[str]) -> list[Path | None]:
    """Where each organisation's report goes: `-o` with {organisation} replaced by the name's slug.

    None means the terminal, which takes one report only.
    """
    example = "e.g. -o 'reports/{organisation}.html'"
    unknown = sorted(set(_PLACEHOLDER.findall(str(output))) - {ORGANISATION_FIELD}) if output is not None else []
    if unknown:  # `{org}`, `{audit}`: written as they stand, they would surprise
        what = f"{', '.join(unknown)} {'is not a placeholder' if len(unknown) == 1 else 'are not placeholders'}"
        raise UsageError(f"-o {output}: {what}; the only one is {ORGANISATION_FIELD}, {example}")
    if output is None or ORGANISATION_FIELD not in str(output):
        if len(organisations) > 1:
            where = f"-o {output} would" if output is not None else "the terminal would"
            raise UsageError(
                f"{where} take the reports of {len(organisations)} organisations: put {ORGANISATION_FIELD} "
                f"in the file name, {example}"
            )
        return [output]
    paths: list[Path | None] = []
    taken: dict[Path, str] = {}
    for organisation in organisations:
        path = Path(str(output).replace(ORGANISATION_FIELD, path_part(organisation)))
        if path in taken:
            raise UsageError(
                f"'{taken[path]}' and '{organisation}' would both be written to {path}: "
                "rename one of them in its answer files"
            )
        taken[path] = organisation
        paths.append(path)
    return paths


def _files(count: int) -> str:
    return f"{count} file{'s' * (count != 1)}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names) or "no organisation"


def _where(request: ReportRequest) -> str:
    places = [str(request.audits_folder)] if request.audits_folder is not None else []
    return " or ".join([*places, "the folders next to the answers"])


def in_time_order(groups: Iterable[AuditGroup]) -> list[AuditGroup]:
    """Audits oldest first: by label when every label is a period (2026-Q3), else by when they began."""
    items = list(groups)
    if items and all(g.audit is not None and PERIOD.fullmatch(g.audit) for g in items):
        return sorted(items, key=lambda g: (g.audit or "", g.by_date()))
    return sorted(items, key=AuditGroup.by_date)


def _before(current: AuditGroup, groups: Iterable[AuditGroup]) -> list[AuditGroup]:
    """The groups that come before `current` in time order, oldest first."""
    ordered = in_time_order([*groups, current])
    return ordered[: next(i for i, g in enumerate(ordered) if g is current)]


def _auto_baseline(
    current: AuditGroup, given: list[AuditGroup], found: list[AuditGroup]
) -> tuple[AuditGroup | None, list[AuditGroup], list[AuditGroup]]:
    """The previous completed audit, every earlier one (oldest first), and the unfinished ones passed over.

    An audit given with the answers counts as given; one found in the folders counts only if it
    is completed (every answer file of it), and never when it bears a label given with the answers.
    """
    labels = {g.audit for g in given} | {current.audit}
    candidates = [g for g in found if g.audit not in labels]
    earlier = _before(current, [*given, *(g for g in candidates if g.complete)])
    unfinished = _before(current, [g for g in candidates if not g.complete])
    complete = [g for g in earlier if g.complete or any(g is x for x in given)]
    return (complete[-1] if complete else None), earlier, unfinished


def _given_baseline(
    current: AuditGroup, given: list[AuditGroup], baselines: list[AuditGroup]
) -> tuple[AuditGroup | None, list[AuditGroup]]:
    """The latest audit of the --baseline answers, and every earlier audit (oldest first)."""
    earlier = _before(current, baselines)
    for g in baselines:
        if g.audit == current.audit:
            raise UsageError(
                f"the baseline answers are of audit {current.label}, the audit reported: "
                "give answers of an earlier audit to --baseline"
            )
        if not any(g is x for x in earlier):
            raise UsageError(
                f"the baseline audit {g.label} is later than the audit reported ({current.label}): "
                "a baseline is an earlier audit"
            )
    labels = {g.audit for g in baselines}
    earlier = _before(current, [*(g for g in given if g.audit not in labels), *baselines])
    return (in_time_order(baselines)[-1] if baselines else None), earlier


def _read_baseline(paths: Sequence[str], checklist_of: dict[str, Checklist], router: Router) -> list[str]:
    """Read the --baseline answers of the organisations reported into `router`; every organisation met."""
    met: dict[str, None] = {}
    for path, _, answers in read_answer_files(discover([Path(p) for p in paths])):
        met[answers.organisation] = None
        checklist = checklist_of.get(answers.organisation)
        ids = sorted({c.id for c in checklist_of.values()}) if checklist is None else [checklist.id]
        if answers.checklist.id not in ids:
            raise UsageError(
                f"these baseline answers are to checklist '{answers.checklist.id}' and the report's to "
                f"{_names(ids)}: answers of different checklists cannot be compared",
                path=path,
            )
        if checklist is not None:  # else another organisation's: said below if no baseline is of these
            router.add(checklist, answers, str(path))
    if not met:
        raise UsageError(
            "no answer files in the --baseline files and folders (an answer file starts with `carecheck-answers: 1`)"
        )
    return sorted(met, key=lambda name: (name.casefold(), name))


def _baseline_roots(answers: Sequence[Path], audits_folder: Path | None) -> list[tuple[Path, int | None]]:
    """Where --baseline auto looks: the audits folder (all of it), and next to each of the answers."""
    roots: list[tuple[Path, int | None]] = []
    if audits_folder is not None and is_dir(audits_folder):
        roots.append((audits_folder, None))
    for path in answers:
        folder = path if is_dir(path) else path.parent
        roots.append((folder.absolute().parent, NEIGHBOUR_DEPTH))
    return roots


def _candidates(
    roots: list[tuple[Path, int | None]], seen: Iterable[Path], broken: list[CarecheckError], jobs: int | None = 1
) -> Iterator[tuple[Path, AnswerFile]]:
    """Answer files under the roots, each once, skipping those already read and any that cannot be read
    (added to `broken`: one broken file must not stop every report, and it is still said)."""
    skip = set(seen)
    for root, depth in roots:
        yield from read_answers(_walk(root, depth), skip, skip_broken=True, broken=broken, jobs=jobs)


def _walk(root: Path, depth: int | None) -> Iterator[tuple[Path, bool]]:
    """YAML files under `root`, at most `depth` folder levels down (None: all), as discover() walks."""
    return ((path, False) for path in walk_yaml(root, depth))


# ---------------------------------------------------------------------------------------------------
# History


def build_history(
    folder: Path, catalog: Catalog, *, checklist: str | None = None, rescore: str = "stored", jobs: int | None = 1
) -> tuple[History, list[str]]:
    """Every audit under `folder`, per organisation and checklist, oldest first; and notices.

    Files that are not answer files are skipped; an answer file that cannot be read is an error, and so
    is one person answering an audit twice (CC206), as in `report`.
    Answers whose checklist cannot be found are left out, with a notice. `checklist` (an id)
    keeps only the audits of that checklist. Each audit is scored against the stored copy of the
    checklist it answered unless `rescore` is "current" (records.Rescorer). `jobs`: processes that
    may share the reading (carecheck.parallel).
    """
    if not is_dir(folder):
        raise UsageError(f"no audits folder '{folder}' (give DIR, or set `audits:` in carecheck.yaml)")
    rescorer = Rescorer(rescore)
    router = Router(rescorer=rescorer)
    current = CurrentChecklists(catalog)
    others: set[str] = set()
    for path, answers in read_answers(discover([folder]), jobs=jobs):
        cid = answers.checklist.id
        if checklist is not None and cid != checklist:
            others.add(cid)
            continue
        found = current.of(cid, path)
        if found is not None:
            router.add(found, answers, str(path))
    if not router.groups:
        current.refuse_all_lost()
    if checklist is not None and checklist not in current.found and others:
        raise UsageError(
            f"no audits of checklist '{checklist}' in {folder}; its audits answer {', '.join(sorted(others))}"
        )
    # one person counted twice (CC206) is refused here as `report` refuses it
    errors = [f for group in router.groups.values() for f in group.errors]
    if errors:
        raise FindingsError(errors)
    series: list[Series] = []
    for organisation in router.organisations():
        audits = router.of(organisation)
        for cid in sorted({g.checklist for g in audits}):
            cards = [g.aggregate.scorecard() for g in audits if g.checklist == cid]
            series.append(Series.of(organisation, cards))
    return History(str(folder), tuple(series)), [*rescorer.notices(), *current.notices]


class CurrentChecklists:
    """The current checklist of each id the audits under a folder answer (history, portfolio), found from
    the folder of the first answer file that names it. An id found nowhere leaves its audits out, with a
    notice; when that leaves no audit at all, `refuse_all_lost` says so as `report` does (CC201, exit 1)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.found: dict[str, Checklist | None] = {}
        self.notices: list[str] = []
        self._lost: dict[str, Path] = {}  # id -> the first file that named it

    def of(self, cid: str, path: Path) -> Checklist | None:
        if cid not in self.found:
            found = self.catalog.find(cid, near=path.parent)
            if found is None:
                self.notices.append(f"{path}: no checklist '{cid}' found; its audits are left out")
                self._lost[cid] = path
            self.found[cid] = None if found is None else self.catalog.resolve_file(found).checklist
        return self.found[cid]

    def refuse_all_lost(self) -> None:
        """Raise CC201 for the first id found nowhere, when there is one: called once no audit was left."""
        if self._lost:
            cid, path = next(iter(self._lost.items()))
            more = f" (and {len(self._lost) - 1} more checklists)" if len(self._lost) > 1 else ""
            raise InvalidInputError(
                f"no checklist '{cid}' found{more}: its audits are all there are, so there is nothing to show",
                path=path,
                code="CC201",
            )
