"""`carecheck report` and `history`: scores and their documents."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from carecheck.cli.base import (
    GATE_FORMATS,
    JOBS,
    TEXT,
    FiniteRange,
    _catalog,
    _output,
    _progress,
    _refuse_replacing,
    _terminal_width,
    _use_color,
    _write,
    cli,
    complete_checklist,
    say,
    settings,
)

if TYPE_CHECKING:
    from carecheck.audits.run import ReportRun


@cli.command()
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "txt", "text", "json", "csv", "pdf"], case_sensitive=False),
    help="The document to make. Default: from the extension of -o, else txt to the terminal.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE (atomically) instead of the terminal.",
)
@click.option(
    "--checklist",
    metavar="ID|PATH",
    shell_complete=complete_checklist,
    help="The checklist to score against (default: the answers' own).",
)
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Templates here override the built-ins of the same name (report.html.j2, report.css.j2, ...).",
)
@click.option("--title", type=TEXT, help="The report's title (default: Customer care audit).")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="The roadmap holds the N highest-priority actions below target (default 7); JSON and CSV rank only N.",
)
@click.option(
    "--fail-under",
    multiple=True,
    metavar="SCORE",
    help="Exit 1 (after writing the report) if the overall score, rounded to 1 decimal, is under SCORE; "
    "SECTION=SCORE gates a section. Repeatable.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["critical", "none"]),
    help="critical: exit 1 (after writing the report) if a critical question scores below its checklist's "
    "critical_below (default 50) or is unanswered, unless the plan waives it; none: turn off a configured "
    "critical gate.",
)
@click.option(
    "--plan",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A plan file: waivers (accepted gaps) and action owners and due dates [default: `plan` of carecheck.yaml].",
)
@click.option(
    "--gate-format",
    type=click.Choice(GATE_FORMATS),
    help="Gate results for CI, one finding per failed gate [default: from --gate-output's extension (.json, "
    ".xml for junit, .sarif), else github when GITHUB_ACTIONS=true, else none].",
)
@click.option(
    "--gate-output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the gate results to FILE (atomically) [default: stdout when the report goes to -o FILE; "
    "else stderr, for github only].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print gate failures and errors only: no warnings, no progress.")
@click.option(
    "-v", "--verbose", is_flag=True, help="List every file of a warning that many files share (else said once)."
)
@click.option("--brand-name", type=TEXT, metavar="NAME", help="Branding: the consultancy or team preparing the report.")
@click.option(
    "--logo",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Branding: a logo (PNG, JPEG, GIF, SVG or WebP), embedded in the HTML and PDF.",
)
@click.option("--accent", metavar="COLOUR", help="Branding: the accent colour, e.g. '#1f4e79'.")
@click.option(
    "--baseline",
    multiple=True,
    metavar="FILE|DIR|auto",
    help="Compare with an earlier audit: its answer files or folders (repeatable), or auto: the previous "
    "completed audit of the organisation, in the audits folder or next to ANSWERS.",
)
@click.option(
    "--by",
    type=click.Choice(["organisation"]),
    help="organisation: one report per organisation, to -o with {organisation} in the name.",
)
@click.option("--anonymous", is_flag=True, help="Leave respondent names out everywhere (notes, lists, JSON).")
@click.option(
    "--gap-threshold",
    type=FiniteRange(0, 100, min_open=True),
    default=25.0,
    show_default=True,
    metavar="POINTS",
    help="A perception gap: roles' mean scores of a question or section differ by this much or more.",
)
@click.option(
    "--rescore",
    type=click.Choice(["stored", "current"]),
    default="stored",
    show_default=True,
    help="stored: score each audit against the checklist it answered, as kept in the audits folder's "
    ".checklists (the current one when none was kept, said so); current: against the checklist as it is "
    "now, listing what changed.",
)
@JOBS
def report(
    answers: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    checklist: str | None,
    template_dir: Path | None,
    title: str | None,
    top: int | None,
    fail_under: tuple[str, ...],
    fail_on: str | None,
    plan: Path | None,
    gate_format: str | None,
    gate_output: Path | None,
    quiet: bool,
    verbose: bool,
    brand_name: str | None,
    logo: Path | None,
    accent: str | None,
    baseline: tuple[str, ...],
    by: str | None,
    anonymous: bool,
    gap_threshold: float,
    rescore: str,
    jobs: int | None,
) -> None:
    """Score answer files and render the improvement report.

    ANSWERS are answer files or folders of them: one respondent each, all of one checklist,
    organisation and audit. Several respondents are aggregated (a question's score is their mean).
    With --baseline, answers of several audits are fine: the latest is reported and compared.

    \b
    Gates exit 1 after the report is written, naming what failed on stderr. For CI,
    --gate-format writes one finding per failed gate (json, GitHub annotations, JUnit
    with a test case per gate, SARIF); github is chosen under GitHub Actions.
    """
    from carecheck.audits.grouping import ReportRequest
    from carecheck.audits.run import ReportJob, run_report

    configured = settings()
    terminal = output is None and sys.stdout.isatty()
    job = ReportJob(
        ReportRequest(
            answers, checklist, baseline, by, configured.audits, anonymous, gap_threshold, rescore=rescore, jobs=jobs
        ),
        fmt=fmt,
        output=output,
        fail_under=fail_under,
        fail_on_critical=fail_on == "critical",
        plan=plan,
        gate_format=gate_format,
        gate_output=gate_output,
        quiet=quiet,
        verbose=verbose,
        title=title,
        top=top,
        template_dir=template_dir,
        brand_name=brand_name if brand_name is not None else configured.brand_name,
        logo=logo if logo is not None else configured.brand_logo,
        accent=accent if accent is not None else configured.brand_accent,
        terminal=terminal,
        width=_terminal_width(100) if terminal else 80,
        color=terminal and _use_color(sys.stdout),
        reads=(configured.source,) if configured.source is not None else (),
    )
    run = run_report(job, _catalog(), os.environ, None if quiet else lambda paths: _progress(paths, "Scoring"))
    _say_report(run, color=job.color)
    sys.exit(run.exit_code)


def _say_report(run: ReportRun, *, color: bool) -> None:
    """A report run's messages, documents (files written atomically) and gate results, in that order."""
    for line in run.messages:
        say(line, err=True)
    for document in run.documents:
        _output(document.content, document.target, color=color, say=run.name_files)
    if run.gate_results is not None:
        if run.gate_output is not None:
            _write(run.gate_output, run.gate_results)
        else:
            click.echo(run.gate_results, nl=False, err=run.gates_to_stderr)
    for line in run.gate_messages:
        say(line, err=True)


@cli.command()
@click.argument("folder", required=False, metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "text", "md", "json", "csv"], case_sensitive=False),
    help="Default: from the extension of -o, else txt to the terminal.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (atomically).")
@click.option("--checklist", metavar="ID", shell_complete=complete_checklist, help="Only the audits of this checklist.")
@click.option(
    "--rescore",
    type=click.Choice(["stored", "current"]),
    default="stored",
    show_default=True,
    help="stored: score each audit against the checklist it answered, as kept in the audits folder's "
    ".checklists (the current one when none was kept, said so); current: against the checklist as it is "
    "now, listing what changed.",
)
@JOBS
def history(
    folder: Path | None, fmt: str | None, output: Path | None, checklist: str | None, rescore: str, jobs: int | None
) -> None:
    """Audits over time: per organisation and checklist, each audit's date, respondents, overall
    score, rating and section scores, with the change from the audit before.

    DIR is the audits folder (default: the `audits` setting, ./audits). Each audit is scored
    against the checklist it answered (kept in DIR/.checklists), unless --rescore current.
    """
    from carecheck.audits.grouping import build_history
    from carecheck.render.history import HistoryOptions, history_format, render_history
    from carecheck.render.report import report_date

    name = history_format(fmt, output)
    _refuse_replacing([output])
    where = folder if folder is not None else settings().audits
    found, notices = build_history(where, _catalog(), checklist=checklist, rescore=rescore, jobs=jobs)
    for notice in notices:
        say(f"carecheck: {notice}", err=True)
    terminal = output is None and sys.stdout.isatty()
    options = HistoryOptions(
        generated=report_date(os.environ),
        width=_terminal_width(120) if terminal else 80,
        color=terminal and _use_color(sys.stdout),
    )
    document = render_history(found, name, options)
    if output is not None:
        _write(output, document)
    else:
        click.echo(document, nl=False, color=options.color)
