"""`carecheck audit` and `import`: the two ways answers come in from the command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from carecheck.cli.base import (
    AUDITS_DIR,
    JOBS,
    TEXT,
    DefaultChecklistCommand,
    _catalog,
    _use_color,
    cli,
    complete_checklist,
    say,
    settings,
)
from carecheck.errors import UsageError

if TYPE_CHECKING:
    pass


ROLE_CHOICES = ("leadership", "management", "front-line", "back-office", "other")  # = model.ROLES, kept light


def _terminal_attached() -> bool:
    """Whether a person can answer prompts: both stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command(cls=DefaultChecklistCommand)
@click.argument("checklist", required=False, shell_complete=complete_checklist)
@AUDITS_DIR
@click.option("--organisation", type=TEXT, metavar="NAME", help="The organisation audited (asked if not given).")
@click.option("--respondent", type=TEXT, metavar="NAME", help="Your name (asked if not given).")
@click.option("--role", type=click.Choice(ROLE_CHOICES), help="Your role (asked if not given).")
@click.option(
    "--audit",
    "audit_label",
    type=TEXT,
    metavar="LABEL",
    help="The audit period label; default: the quarter, e.g. 2026-Q3.",
)
@click.option("--resume", type=click.Path(dir_okay=False, path_type=Path), help="Carry on with this answer file.")
@click.option("--new", is_flag=True, help="Start a new audit even if an unfinished one is waiting.")
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take answers from this file (the answer-file format, partial is fine); ask only what is missing.",
)
@click.option(
    "--amend",
    is_flag=True,
    help="With --answers: amend the completed audit of the same organisation, respondent and audit label; "
    "each changed answer keeps its earlier value and time. (Resuming a completed file asks.)",
)
def audit(
    checklist: str | None,
    folder: Path,
    organisation: str | None,
    respondent: str | None,
    role: str | None,
    audit_label: str | None,
    resume: Path | None,
    new: bool,
    answers: Path | None,
    amend: bool,
) -> None:
    """Walk through a checklist (an id or a path; default: the configured `checklist`) and save the answers.

    Every answer is saved the moment it is given. Running the command again offers
    to resume an unfinished audit, or to amend the one you completed. Without a
    terminal, use --answers FILE: questions it leaves out are listed and the command exits 1.
    """
    from carecheck.errors import UsageError, outcome_exit_code
    from carecheck.interview.walk import NO_TERMINAL, AuditRequest, QuestionaryPrompter, run_audit, summary_lines

    if resume is not None and (new or answers is not None):
        raise UsageError("--resume cannot be combined with --new or --answers")
    if amend and answers is None:
        raise UsageError("--amend takes the new answers from --answers FILE (resuming a completed file asks instead)")
    interactive = _terminal_attached()
    if not interactive and answers is None:
        raise UsageError(NO_TERMINAL)
    request = AuditRequest(
        folder=folder,
        checklist=checklist,
        organisation=organisation,
        respondent=respondent,
        role=role,
        audit=audit_label,
        resume=resume,
        new=new,
        answers=answers,
        amend=amend,
    )
    result = run_audit(request, _catalog(), QuestionaryPrompter() if interactive else None)
    click.echo("")
    import shutil

    for line in summary_lines(result, max(40, shutil.get_terminal_size((80, 24)).columns - 1)):
        say(line)
    if not result.completed:
        click.echo(f"Still to answer ({len(result.missing)}):")
        for question in result.missing:
            say(f"  {question.id}: {question.text}")
    sys.exit(outcome_exit_code(unanswered=not result.completed))


@cli.command("import")
@click.argument("source", metavar="FILE.csv", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--checklist",
    metavar="ID|PATH",
    show_default=True,
    shell_complete=complete_checklist,
    help="The checklist the survey asked (an id or a path) [required unless carecheck.yaml names one].",
)
@AUDITS_DIR
@click.option("--dry-run", is_flag=True, help="Check every row and show what would be created; write nothing.")
@click.option(
    "--audit",
    "audit_label",
    type=TEXT,
    metavar="LABEL",
    help="The audit period label; default: the quarter of each row's date.",
)
@click.option(
    "--organisation",
    type=TEXT,
    metavar="NAME",
    help="The organisation of every row (wins over an organisation column).",
)
@click.option(
    "--role-map",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="A role map (`carecheck-roles: 1`) of the survey's role labels onto carecheck's roles; "
    "default: `roles:` in carecheck.yaml.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    metavar="N",
    help="Refuse an export of more than N respondents [default: 100,000].",
)
@click.option(
    "--max-mb",
    type=click.IntRange(min=1),
    metavar="MB",
    help="Refuse a file larger than MB megabytes [default: 64].",
)
@JOBS
def import_survey(
    source: Path,
    checklist: str | None,
    folder: Path,
    dry_run: bool,
    audit_label: str | None,
    organisation: str | None,
    role_map: Path | None,
    max_rows: int | None,
    max_mb: int | None,
    jobs: int | None,
) -> None:
    """Turn a survey export (CSV, one row per respondent) into answer files, one per row.

    Columns name a question by its id or exact text; `<question-id> note` columns hold notes;
    name, role, organisation and date columns describe the respondent. Cells take an option's
    value or label, a number, text, na or unknown. Every row is checked first: if any fails,
    the problems are listed as FILE:line:column and nothing is written (exit 1).
    """
    from carecheck.clock import now
    from carecheck.errors import format_finding, outcome_exit_code
    from carecheck.render.style import styler
    from carecheck.survey.csv_import import ImportRequest, run_import, summary_lines

    if checklist is None:
        raise UsageError("name the checklist the survey asked: --checklist ID|PATH, or `checklist:` in carecheck.yaml")
    request = ImportRequest(
        source=source,
        checklist=checklist,
        folder=folder,
        organisation=organisation.strip() if organisation and organisation.strip() else None,
        audit=audit_label,
        dry_run=dry_run,
        role_map=_role_map(role_map),
        max_rows=max_rows,
        max_bytes=None if max_mb is None else max_mb * 1024 * 1024,
        jobs=jobs,
    )
    result = run_import(request, _catalog(), lambda: now(os.environ))
    color = _use_color(sys.stderr)
    for finding in result.warnings:
        click.echo(format_finding(finding, styler(color)), err=True, color=color)
    for line in summary_lines(result):
        say(line)
    sys.exit(outcome_exit_code(result.warnings))


def _role_map(path: Path | None) -> dict[str, str]:
    """The survey's role labels onto carecheck's roles: the --role-map file, else `roles:` of the settings."""
    if path is None:
        return dict(settings().roles)
    from carecheck.catalog.loading import load_role_map

    _, role_map = load_role_map(path)
    return dict(role_map.roles)
