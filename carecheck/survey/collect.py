"""`carecheck collect`: answer files that came back (the offline form's downloads, e-mail attachments) filed
into the audits folder under their proper names, by the import's own path: the same duplicate rules,
messages and codes, every file checked before any is written, all or none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from carecheck.errors import Finding, FindingsError, UsageError
from carecheck.format.answers import asked_scope, unanswered
from carecheck.format.model import Checklist
from carecheck.fs import exists, recover_batches
from carecheck.survey.csv_import import Planned, Survey, SurveyRow, plan_import, refuse_duplicates, write_import

if TYPE_CHECKING:
    from carecheck.catalog.loading import Catalog


class CollectErrors(FindingsError):
    """Returned files with errors: every finding, then a line saying that nothing was filed."""

    def __str__(self) -> str:
        errors = sum(1 for f in self.findings if f.severity == "error")
        return f"{super().__str__()}\n{errors} error{'s' * (errors != 1)}; nothing was collected."


@dataclass(frozen=True)
class CollectRequest:
    """What `carecheck collect` was asked to do."""

    paths: tuple[Path, ...]
    folder: Path = Path("audits")
    checklist: str | None = None
    dry_run: bool = False
    jobs: int | None = None
    """Processes that read the answer files already in `folder` (`--jobs`); None: every core."""


@dataclass(frozen=True)
class CollectResult:
    """What a collect created (or would create), what it skipped, and the warnings met."""

    request: CollectRequest
    planned: tuple[Planned, ...]
    warnings: tuple[Finding, ...]

    @property
    def created(self) -> list[Planned]:
        return [p for p in self.planned if not p.existing]


def read_returned(request: CollectRequest, catalog: Catalog) -> tuple[Survey, Checklist]:
    """Every returned answer file as a row of one survey, checked as `validate` checks it (lint findings),
    and the checklist they answer."""
    from carecheck.catalog.loading import AnswerStream
    from carecheck.catalog.validation import discover

    missing = [p for p in request.paths if not exists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    survey = Survey("")
    # one checklist per collect, as per import: the first file (or --checklist) names it, others are refused
    stream = AnswerStream(discover(list(request.paths)), catalog, request.checklist, command="collect")
    for path, doc, answers, findings in stream.items():
        survey.findings.extend(findings)
        if any(f.severity == "error" for f in findings):
            continue
        checklist = stream.checklist
        values = {qid: a.value for qid, a in answers.answers.items() if a.value is not None}
        # a short survey (`questions:`) leaves open only what it asked, as in the report
        missing_ids = unanswered(checklist, values, answers.respondent.role, asked_scope(answers))
        assert doc is not None  # read in this process (the stream's jobs is 1)
        name = doc.locate(("respondent", "name"))  # who answered: where a duplicate is pointed at
        survey.rows.append(SurveyRow(name.line, answers, missing_ids, name.col, path=str(path)))
    return survey, stream.checklist


def run_collect(request: CollectRequest, catalog: Catalog) -> CollectResult:
    """`carecheck collect`: check every file, then file them all or none (none in a dry run)."""
    survey, checklist = read_returned(request, catalog)
    refuse_duplicates(survey)
    if not request.dry_run:
        recover_batches(request.folder)  # a killed collect or import: finished if it was committed, else removed
    planned = plan_import(survey, request.folder, jobs=request.jobs)
    if survey.errors:
        raise CollectErrors(survey.findings)
    if not request.dry_run:
        planned = write_import(planned, request.folder, checklist)  # the checklist is kept with them, as import
    return CollectResult(request, tuple(planned), tuple(survey.warnings))


def summary_lines(result: CollectResult) -> list[str]:
    """What `carecheck collect` prints: a line per file, then the totals."""
    verb = "would file" if result.request.dry_run else "filed"
    lines = []
    for item in result.planned:
        row = item.row
        if item.existing:
            lines.append(f"skipped       {item.path}  ({row.where}: already collected)")
            continue
        who = row.answers.respondent.name or "anonymous"
        open_ = f", {len(row.missing)} to answer" if row.missing else ""
        lines.append(f"{verb:<13} {item.path}  ({row.where}: {who}, {row.answers.respondent.role}{open_})")
    n = len(result.created)
    skipped = len(result.planned) - n
    extra = f" ({skipped} already there)" if skipped else ""
    folder = result.request.folder
    if result.request.dry_run:
        lines.append(
            f"Dry run: {n} answer file{'s' * (n != 1)} would be filed in {folder}{extra}. Nothing was written."
        )
    else:
        lines.append(f"Collected {n} answer file{'s' * (n != 1)} into {folder}{extra}.")
    return lines
