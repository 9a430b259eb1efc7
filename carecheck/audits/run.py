"""`carecheck report` as data: a ReportJob in, a ReportRun out (what to write, what to say, how to exit).

The command line builds the job from its options and the settings, and writes what the run holds;
nothing here prints, writes a file or looks at a terminal. Every check that can refuse the job runs
before a document is rendered, so a refused job writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from carecheck.audits.gates import (
    LINE_FORMATS,
    Gate,
    Places,
    accepted,
    check_gates,
    failures,
    gate_format_for,
    render_gates,
)
from carecheck.audits.grouping import Report, ReportRequest, build_reports, report_paths
from carecheck.catalog.config import parse_threshold
from carecheck.catalog.loading import Catalog
from carecheck.catalog.plans import AppliedPlan, plan_for
from carecheck.catalog.validation import discover
from carecheck.clock import today
from carecheck.errors import Finding, UsageError, outcome_exit_code
from carecheck.format.reader import real_path
from carecheck.fs import refuse_replacing
from carecheck.render.findings import summarise
from carecheck.render.report import (
    DEFAULT_ACCENT,
    Branding,
    ReportOptions,
    format_for,
    parse_accent,
    read_logo,
    render_report,
    report_date,
)

Files = list[tuple[Path, bool]]


@dataclass(frozen=True)
class ReportJob:
    """What `carecheck report` was asked for: its options, with the settings' defaults applied."""

    request: ReportRequest
    fmt: str | None = None
    output: Path | None = None
    """`-o`: the document's file (with {organisation} for one per organisation); None: stdout."""
    fail_under: Sequence[str] = ()
    """`--fail-under` as written: `60` or `section-id=60`."""
    fail_on_critical: bool = False
    plan: Path | None = None
    gate_format: str | None = None
    gate_output: Path | None = None
    quiet: bool = False
    verbose: bool = False
    title: str | None = None
    top: int | None = None
    template_dir: Path | None = None
    brand_name: str | None = None
    logo: Path | None = None
    accent: str | None = None
    terminal: bool = False
    """stdout is a terminal and takes the document (no `-o`)."""
    width: int = 80
    color: bool = False
    reads: tuple[Path, ...] = ()
    """Other files the run reads (carecheck.yaml), which no output may replace (fs.refuse_replacing)."""


@dataclass(frozen=True)
class Output:
    """One document and where it goes: a file (to be written atomically), or stdout for None."""

    target: Path | None
    content: str | bytes


@dataclass(frozen=True)
class ReportRun:
    """What a report run leaves to the command line, in the order it is to be done."""

    messages: tuple[str, ...]
    """For stderr before the documents: the answers' warnings and the notices (none when quiet)."""
    documents: tuple[Output, ...]
    name_files: bool
    """Say each file written (several reports, `--by organisation`)."""
    gate_results: str | None
    """The gates in `--gate-format`; None when no format was asked for."""
    gate_output: Path | None
    """The file for the gate results; None: stderr when `gates_to_stderr`, else stdout."""
    gates_to_stderr: bool
    gate_messages: tuple[str, ...]
    """For stderr after the documents: failed (and, unless quiet, waived) gates."""
    exit_code: int


def run_report(
    job: ReportJob,
    catalog: Catalog,
    environ: Mapping[str, str],
    progress: Callable[[Files], Iterable[tuple[Path, bool]]] | None = None,
) -> ReportRun:
    """Score the answers, render each report and judge its gates; UsageError before anything is rendered."""
    name = format_for(job.fmt, job.output)
    if name == "pdf" and job.terminal:
        raise UsageError("a PDF cannot be shown in the terminal: give -o FILE.pdf")
    thresholds = [_threshold(text) for text in job.fail_under]
    gate_fmt, gates_to_stderr = _gate_destination(job, environ)
    branding = _branding(job)
    paths = list(discover(list(job.request.answers)))
    reports = build_reports(replace(job.request, files=paths, progress=progress), catalog)
    targets = report_paths(job.output, [r.card.organisation for r in reports.reports])
    given = job.request.checklist
    checklist_file = Path(given) if given is not None and os.path.isfile(given) else None
    reads = [*(p for p, _ in paths), job.plan, job.logo, job.template_dir, checklist_file, *job.reads]
    refuse_replacing([*targets, job.gate_output], reads)
    several = len(reports.reports) > 1
    plans, warnings = _plans(job, reports.reports, catalog, environ)
    messages = [] if job.quiet else [*summarise([*reports.warnings, *warnings], verbose=job.verbose)]
    messages += [] if job.quiet else [f"carecheck: {notice}" for notice in reports.notices]
    gate_sets = [
        check_gates(r.card, thresholds, fail_on_critical=job.fail_on_critical, plan=plan)
        for r, plan in zip(reports.reports, plans, strict=True)
    ]
    options = ReportOptions(
        generated=report_date(environ),
        title=job.title,
        top=job.top,
        branding=branding,
        template_dir=job.template_dir,
        width=job.width,
        color=job.color,
    )
    documents = [
        Output(target, render_report(r.card, name, replace(options, plan=plan, comparison=r.comparison)))
        for r, target, plan in zip(reports.reports, targets, plans, strict=True)
    ]
    if several:  # each organisation's gates are named after it
        gate_sets = [
            [replace(gate, name=f"{r.card.organisation}: {gate.name}") for gate in gates]
            for r, gates in zip(reports.reports, gate_sets, strict=True)
        ]
    places = [Places(r.resolved, r.sources) for r in reports.reports]
    results = None if gate_fmt is None else render_gates(list(zip(gate_sets, places, strict=True)), gate_fmt)
    return ReportRun(
        messages=tuple(messages),
        documents=tuple(documents),
        name_files=several,
        gate_results=results,
        gate_output=job.gate_output,
        gates_to_stderr=gates_to_stderr,
        # else the annotations on stderr say it already
        gate_messages=() if gates_to_stderr else tuple(_gate_messages(reports.reports, gate_sets, job.quiet)),
        exit_code=outcome_exit_code(gate_failed=any(gate.failed for gates in gate_sets for gate in gates)),
    )


def _threshold(text: str) -> tuple[str | None, float]:
    """A `--fail-under` value: `60` (the overall score) or `section-id=60`."""
    try:
        threshold = parse_threshold(text)
    except ValueError as exc:
        raise UsageError(f"--fail-under {exc}") from None
    return threshold.section, threshold.score


def _gate_destination(job: ReportJob, environ: Mapping[str, str]) -> tuple[str | None, bool]:
    """The gate format (None: none asked for) and whether the results go to stderr."""
    gate_fmt = gate_format_for(job.gate_format, job.gate_output, environ)
    # the gate results share stderr with messages when stdout holds the report: only line formats may
    to_stderr = gate_fmt is not None and job.gate_output is None and job.output is None
    if to_stderr and gate_fmt not in LINE_FORMATS:
        raise UsageError(f"--gate-format {gate_fmt} needs --gate-output FILE, or the report in a file (-o FILE)")
    if job.gate_output is not None and job.output is not None and real_path(job.gate_output) == real_path(job.output):
        raise UsageError("--gate-output and -o name the same file")
    return gate_fmt, to_stderr


def _branding(job: ReportJob) -> Branding:
    """The report's branding: the logo read, the accent checked; the defaults where none is given."""
    return Branding(
        name=job.brand_name,
        logo=read_logo(job.logo) if job.logo is not None else None,
        accent=parse_accent(job.accent) if job.accent is not None else DEFAULT_ACCENT,
    )


def _plans(
    job: ReportJob, reports: Sequence[Report], catalog: Catalog, environ: Mapping[str, str]
) -> tuple[list[AppliedPlan], list[Finding]]:
    """The plan of each report, and the warnings reading them gave."""
    plans: list[AppliedPlan] = []
    warnings: list[Finding] = []
    for r in reports:
        found, plan_warnings = plan_for(
            job.plan, r.resolved, catalog, r.card.organisation, today(environ), len(reports) > 1
        )
        plans.append(found)
        warnings += plan_warnings
    return plans, warnings


def _gate_messages(reports: Sequence[Report], gate_sets: Sequence[Sequence[Gate]], quiet: bool) -> list[str]:
    """Failed (and, unless quiet, waived) gates, named after their organisation when there are several."""
    lines = []
    for r, gates in zip(reports, gate_sets, strict=True):
        about = f"{r.card.organisation}: " if len(reports) > 1 else ""
        lines += [f"carecheck: gate failed: {about}{message}" for message in failures(gates)]
        lines += [] if quiet else [f"carecheck: gate waived: {about}{message}" for message in accepted(gates)]
    return lines
