"""`carecheck export` and `collect`: answers from people without carecheck (an offline form, paper, a survey
tool), and the answer files they send back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from carecheck.cli.base import (
    AUDITS_DIR,
    JOBS,
    DefaultChecklistCommand,
    _catalog,
    _refuse_replacing,
    _use_color,
    cli,
    complete_checklist,
)
from carecheck.errors import UsageError

EXPORT_FORMATS = ["form", "html", "md", "pdf", "csv"]  # = render.questionnaire.EXPORT_FORMATS, kept light


@cli.command(cls=DefaultChecklistCommand)
@click.argument("checklist", required=False, shell_complete=complete_checklist)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="form",
    show_default=True,
    help="form: one HTML file to answer in a browser, offline; html, md, pdf: paper; csv: a survey tool's template.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (required for form, pdf and csv; csv also writes FILE.values.csv).",
)
@click.option("--organisation", metavar="NAME", help="The organisation answered for (asked in the form if not given).")
@click.option("--audit", "audit_label", metavar="LABEL", help="The audit label (asked in the form if not given).")
def export(
    checklist: str | None, fmt: str, output: Path | None, organisation: str | None, audit_label: str | None
) -> None:
    """Write a checklist (an id or a path; default: the configured `checklist`) for people without carecheck.

    `--format form` writes one self-contained HTML page that works offline: the respondent answers in
    a browser and presses "Save my answers", which downloads an answer file to send back (file the
    returned files with `carecheck collect`). html, md and pdf are the questionnaire on paper; csv is
    the header `carecheck import` reads, with the allowed values of each column in FILE.values.csv.
    """
    from carecheck.fs import write_atomic
    from carecheck.render.questionnaire import ExportOptions, render_questionnaire

    if checklist is None:
        raise UsageError("name a CHECKLIST (an id or a path), or set `checklist:` in carecheck.yaml")
    if output is None and fmt in ("form", "pdf", "csv"):
        raise UsageError(f"--format {fmt} writes a file: give -o FILE")
    organisation = organisation.strip() if organisation and organisation.strip() else None
    audit_label = audit_label.strip() if audit_label and audit_label.strip() else None
    values = output.with_name(f"{output.stem}.values.csv") if output is not None and fmt == "csv" else None
    read = Path(checklist) if Path(checklist).is_file() else None
    _refuse_replacing([output, values], read)
    resolved = _catalog().load(checklist, near=Path.cwd()).checklist
    if fmt == "csv":
        from carecheck.survey.csv_template import survey_template

        assert output is not None and values is not None
        template = survey_template(resolved, organisation)
        write_atomic(output, template.header)
        write_atomic(values, template.values)
        click.echo(f"Wrote {output} (the header `carecheck import` reads) and {values} (what each column allows).")
        return
    document = render_questionnaire(resolved, fmt, ExportOptions(organisation, audit_label))
    if output is None:
        click.echo(document, nl=False)
        return
    write_atomic(output, document)
    click.echo(f"Wrote {output}.")


@cli.command()
@click.argument("sources", metavar="FILES_OR_FOLDER...", nargs=-1, required=True, type=click.Path(path_type=Path))
@AUDITS_DIR
@click.option(
    "--checklist",
    metavar="ID|PATH",
    shell_complete=complete_checklist,
    help="The checklist the files answer; files of another are refused (default: the one the first file names).",
)
@click.option("--dry-run", is_flag=True, help="Check every file and show where it would go; write nothing.")
@JOBS
def collect(sources: tuple[Path, ...], folder: Path, checklist: str | None, dry_run: bool, jobs: int | None) -> None:
    """File returned answer files (the offline form's downloads, e-mail attachments) into the audits folder.

    Each goes to DIR/<organisation>/<audit>/<checklist>--<name>.yaml, whatever it was called
    (`answers (3).yaml` is fine). The rules are the import's: a file already there with the same
    answers is skipped, one person twice in an audit with other answers is refused, and if any file
    has an error nothing is written (exit 1).
    """
    from carecheck.errors import format_finding, outcome_exit_code
    from carecheck.render.style import styler
    from carecheck.survey.collect import CollectRequest, run_collect, summary_lines

    result = run_collect(CollectRequest(sources, folder, checklist, dry_run, jobs), _catalog())
    color = _use_color(sys.stderr)
    for finding in result.warnings:
        click.echo(format_finding(finding, styler(color)), err=True, color=color)
    for line in summary_lines(result):
        click.echo(line)
    sys.exit(outcome_exit_code(result.warnings))
