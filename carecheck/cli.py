"""The command line: parse options, call the core, print, map outcomes to exit codes.

Only click is imported at start-up; each command imports the core it needs, so
`carecheck --version` and `--help` stay fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from carecheck import __version__
from carecheck.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, CarecheckError

if TYPE_CHECKING:
    from carecheck.loading import Catalog

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Boundary(click.Group):
    """The one error boundary: every command runs inside `invoke`.

    Project errors print their message and exit with their code; Ctrl-C exits 130
    (whoever holds unsaved answers saves them on the way out); anything else is a
    bug: one line asking to report it, exit 3, and the traceback with --debug.
    """

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or bool(os.environ.get("CARECHECK_DEBUG"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted", EXIT_INTERRUPTED)
        except CarecheckError as exc:
            if debug:
                raise
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            # the reader went away (`carecheck ... | head`): not an error of ours
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:
            if debug:
                raise
            _fail(
                f"internal error ({type(exc).__name__}), please report it; rerun with --debug for details",
                EXIT_INTERNAL,
            )


@click.group(cls=Boundary, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="carecheck")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
def cli(debug: bool) -> None:
    """Audit your own customer care: checklists, a guided self-audit, improvement reports.

    \b
    Exit codes: 0 success, 1 findings or a failed gate, 2 usage or unreadable input,
    3 internal error (rerun with --debug), 130 interrupted (answers are saved first).
    """


def _catalog() -> Catalog:
    from carecheck.loading import Catalog

    local = Path("checklists")
    return Catalog(folders=[local] if local.is_dir() else [])


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "txt", "json"]),
    help="How findings are printed.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only: no warnings, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the YAML files skipped as not carecheck files.")
def validate(paths: tuple[Path, ...], fmt: str, strict: bool, quiet: bool, verbose: bool) -> None:
    """Lint checklists and answer files (files or folders, searched for *.yaml and *.yml)."""
    from carecheck.diagnostics import FORMAT_ALIASES, FORMATS
    from carecheck.validation import validate_paths

    result = validate_paths(list(paths), _catalog())
    shown = [f for f in result.findings if not quiet or f.severity == "error"]
    click.echo(FORMATS[FORMAT_ALIASES.get(fmt, fmt)](shown, result.files), nl=False)
    if verbose:
        for path in result.skipped:
            click.echo(f"skipped {path}: not a carecheck file", err=True)
    if not quiet:
        errors = sum(f.severity == "error" for f in result.findings)
        warnings = len(result.findings) - errors
        click.echo(
            f"{result.files} file{'s' * (result.files != 1)} checked: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
            err=True,
        )
    sys.exit(result.exit_code(strict))


@cli.command()
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
def rules(fmt: str) -> None:
    """List the lint rules with their codes, severities and explanations."""
    import json

    from carecheck.rules import RULES

    if fmt == "json":
        items = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "applies_to": r.applies_to,
                "summary": r.summary,
            }
            for r in RULES.values()
        ]
        click.echo(json.dumps(items, indent=2))
        return
    for r in sorted(RULES.values(), key=lambda r: r.code):
        click.echo(f"{r.code}  {r.name:<28} {r.severity:<8} {r.summary}")


@cli.command()
@click.option("--answers", is_flag=True, help="The schema of answer files instead of checklists.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
def schema(answers: bool, output: Path | None) -> None:
    """Print the JSON Schema of the checklist (or answer file) format, for editors."""
    from carecheck.schema import schema_text
    from carecheck.store import write_atomic

    text = schema_text(answers=answers)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


@cli.command("list")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
def list_checklists(fmt: str) -> None:
    """List the built-in and local checklists with their ids and question counts."""
    import json

    from carecheck.loading import builtin_dir

    catalog = _catalog()
    rows: list[dict[str, Any]] = []
    for path, cid in catalog.all():
        try:
            resolved = catalog.resolve_file(path).checklist
            rows.append(
                {
                    "id": cid,
                    "title": resolved.title,
                    "version": resolved.version,
                    "questions": len(resolved.questions),
                    "source": "built-in" if path.parent == builtin_dir() else str(path),
                }
            )
        except CarecheckError as exc:
            rows.append(
                {
                    "id": cid,
                    "title": f"(invalid: {exc.message})",
                    "version": "",
                    "questions": 0,
                    "source": str(path),
                }
            )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['questions']:>3} questions  {r['title']}  [{r['source']}]")


@cli.command()
@click.argument("checklist")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "yaml", "json"]))
@click.option("--refs", is_flag=True, help="Print the traceability table: seed point -> questions.")
def show(checklist: str, fmt: str, refs: bool) -> None:
    """Show a checklist (an id or a path), resolved: tailoring applied."""
    from carecheck.loading import seed_points
    from carecheck.presentation import checklist_as, refs_table

    resolved = _catalog().load(checklist, near=Path.cwd()).checklist
    click.echo(refs_table(resolved, seed_points()) if refs else checklist_as(resolved, fmt), nl=False)


ROLE_CHOICES = ("leadership", "management", "front-line", "back-office", "other")  # = model.ROLES, kept light


def _terminal_attached() -> bool:
    """Whether a person can answer prompts: both stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command()
@click.argument("checklist", required=False)
@click.option(
    "--dir",
    "folder",
    metavar="DIR",
    default="audits",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The audits folder: answers go to DIR/<organisation>/<audit>/<checklist>--<name>.yaml.",
)
@click.option("--organisation", metavar="NAME", help="The organisation audited (asked if not given).")
@click.option("--respondent", metavar="NAME", help="Your name (asked if not given).")
@click.option("--role", type=click.Choice(ROLE_CHOICES), help="Your role (asked if not given).")
@click.option(
    "--audit", "audit_label", metavar="LABEL", help="The audit period label; default: the quarter, e.g. 2026-Q3."
)
@click.option("--resume", type=click.Path(dir_okay=False, path_type=Path), help="Carry on with this answer file.")
@click.option("--new", is_flag=True, help="Start a new audit even if an unfinished one is waiting.")
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take answers from this file (the answer-file format, partial is fine); ask only what is missing.",
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
) -> None:
    """Walk through a checklist (an id or a path; default care-essentials) and save the answers.

    Every answer is saved the moment it is given. Running the command again offers
    to resume an unfinished audit. Without a terminal, use --answers FILE: questions
    it leaves out are listed and the command exits 1.
    """
    from carecheck.errors import UsageError
    from carecheck.interview import NO_TERMINAL, AuditRequest, QuestionaryPrompter, run_audit, summary_lines

    if resume is not None and (new or answers is not None):
        raise UsageError("--resume cannot be combined with --new or --answers")
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
    )
    result = run_audit(request, _catalog(), QuestionaryPrompter() if interactive else None)
    click.echo("")
    for line in summary_lines(result):
        click.echo(line)
    if not result.completed:
        click.echo(f"Still to answer ({len(result.missing)}):")
        for question in result.missing:
            click.echo(f"  {question.id}: {question.text}")
        sys.exit(1)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"carecheck: {message}", err=True)
    sys.exit(code)


def main() -> None:
    """The console script."""
    cli(prog_name="carecheck")
