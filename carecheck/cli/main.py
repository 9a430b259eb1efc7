"""The command line: parse options, call the core, print, map outcomes to exit codes.

Only click is imported at start-up; each command imports the core it needs, so
`carecheck --version` and `--help` stay fast.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from carecheck import __version__
from carecheck.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CarecheckError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from carecheck.audits.run import ReportRun
    from carecheck.catalog.config import Settings
    from carecheck.catalog.loading import Catalog

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FINDINGS_FORMATS = ["text", "txt", "json", "github", "junit", "sarif"]
GATE_FORMATS = ["json", "github", "junit", "sarif"]  # = gates.GATE_FORMATS, kept light
PROGRESS_MIN_FILES = 20  # fewer files than this finish before a bar would be worth drawing
_SETTINGS = "carecheck.settings"
_BROKEN_SETTINGS = "carecheck.broken-settings"
# validate reports a broken configuration as findings; rules and schema never read it
_SETTINGS_NOT_NEEDED = {"validate", "rules", "schema"}


class Command(click.Command):
    """Every subcommand: a configuration that cannot be used stops the command, not its --help."""

    def invoke(self, ctx: click.Context) -> Any:
        broken: CarecheckError | None = ctx.meta.get(_BROKEN_SETTINGS)
        if broken is not None:
            raise broken
        return super().invoke(ctx)


class DefaultChecklistCommand(Command):
    """A command whose CHECKLIST defaults to the configured one: its --help says which that is now."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        from carecheck.catalog.config import DEFAULT_CHECKLIST

        try:
            current = settings(ctx)
        except CarecheckError:
            in_effect = "unknown: the configuration has errors (`carecheck config` names them)"
        else:
            if current.checklist is not None:
                in_effect = f"{current.checklist} (from {current.origin('checklist')})"
            elif self.name == "audit":
                in_effect = f"{DEFAULT_CHECKLIST} (the built-in default)"
            else:
                in_effect = "none configured"
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(f"Checklist in effect: {in_effect}.")


AUDITS_DIR = click.option(
    "--dir",
    "folder",
    metavar="DIR",
    default="audits",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The audits folder: answers go to DIR/<organisation>/<audit>/<checklist>--<name>.yaml.",
)
"""`--dir`: where `audit` and `import` save answer files."""


_SYSTEM_REFUSED = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}
"""OSErrors that are the system's refusal, not our bug: exit 2 (any other reaching the boundary is exit 3)."""


class Boundary(click.Group):
    """The one error boundary: every command runs inside `invoke`.

    Project errors print their message and exit with their code; Ctrl-C exits 130
    (whoever holds unsaved answers saves them on the way out); anything else is a
    bug: one line asking to report it, exit 3, and the traceback with --debug.
    """

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or os.environ.get("CARECHECK_DEBUG", "") not in ("", "0", "false")
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
            if isinstance(exc, OSError) and exc.errno in _SYSTEM_REFUSED:
                # not a bug of ours: the system refused (a full disk or quota under `> file`, a failing device)
                where = f" ({exc.filename})" if exc.filename else ""
                _fail(f"cannot go on{where}: {exc.strerror or exc}", EXIT_USAGE)
            log = _crash_log(exc)
            _fail(
                f"internal error ({type(exc).__name__}), please report it; rerun with --debug for details"
                + (f"\ncarecheck: the version, command line and traceback are in {log}" if log else ""),
                EXIT_INTERNAL,
            )


@click.group(cls=Boundary, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="carecheck")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CARECHECK_CONFIG",
    help="Configuration file (default: ./carecheck.yaml if present).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, config: Path | None) -> None:
    """Audit your own customer care: checklists, a guided self-audit, improvement reports.

    \b
    Settings, highest first: the command line, CARECHECK_* environment variables,
    the configuration file, defaults (`carecheck config` shows them).
    Exit codes: 0 success, 1 findings or a failed gate, 2 usage or unreadable input,
    3 internal error (rerun with --debug), 130 interrupted (answers are saved first).
    """
    if ctx.invoked_subcommand not in _SETTINGS_NOT_NEEDED:
        try:
            configured = settings().default_map()
        except CarecheckError as exc:
            # raised when the command runs (see Command), so that `SUBCOMMAND --help` still works
            ctx.meta[_BROKEN_SETTINGS] = exc
            configured = {}
        ctx.default_map = {**configured, **(ctx.default_map or {})}


def settings(ctx: click.Context | None = None) -> Settings:
    """The settings of this invocation (configuration file + CARECHECK_* variables), loaded once.

    Commands use it for what options do not cover (branding, the audits folder, the plan);
    options named in `Settings.default_map` already default to it. See carecheck/config.py.
    """
    from carecheck.catalog.config import load_settings

    root = (ctx or click.get_current_context()).find_root()
    loaded: Settings | None = root.meta.get(_SETTINGS)
    if loaded is None:
        loaded = load_settings(root.params.get("config"), os.environ)
        root.meta[_SETTINGS] = loaded
    return loaded


def _catalog(ctx: click.Context | None = None) -> Catalog:
    from carecheck.catalog.loading import Catalog

    configured = settings(ctx)
    return Catalog(folders=configured.catalog_folders(), levels=configured.lint)


def _use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and stream.isatty()


def _progress(items: list[Any], label: str = "Validating") -> Iterable[Any]:
    """A progress bar on stderr while many files are read, on a terminal only."""
    if len(items) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return items
    return _bar(items, sys.stderr, label)


def _bar(items: list[Any], stream: TextIO, label: str = "Validating") -> Iterator[Any]:
    with click.progressbar(items, label=label, file=stream, show_pos=True, width=30) as bar:
        yield from bar


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FINDINGS_FORMATS),
    help="How findings are printed [default: github when GITHUB_ACTIONS=true, else text].",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only: no warnings, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the YAML files skipped as not carecheck files.")
@click.option(
    "--ignore-unknown",
    is_flag=True,
    help="Skip YAML files that are not carecheck files even when named (for pre-commit).",
)
def validate(
    paths: tuple[Path, ...], fmt: str | None, strict: bool, quiet: bool, verbose: bool, ignore_unknown: bool
) -> None:
    """Lint checklists, answer files, plans and configuration files (files or folders of *.yaml, *.yml).

    Findings go to stdout, one per line as file:line:col: CODE message (or as json, GitHub
    annotations, JUnit XML or SARIF 2.1.0); the summary and progress go to stderr.
    """
    from carecheck.catalog.config import ConfigError, Settings
    from carecheck.catalog.loading import Catalog
    from carecheck.catalog.validation import validate_paths
    from carecheck.clock import today
    from carecheck.render.findings import FORMAT_ALIASES, FORMATS

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        catalog, preset, levels = _catalog(), [], settings().lint
    except ConfigError as exc:
        # a broken configuration is one more file with findings, not a reason not to lint the rest
        catalog, preset, levels = Catalog(folders=Settings().catalog_folders()), exc.findings, {}
    result = validate_paths(
        list(paths),
        catalog,
        today=today(os.environ),
        ignore_unknown=ignore_unknown,
        progress=None if quiet else _progress,
        preset=preset,
        levels=levels,
    )
    shown = [f for f in result.findings if not quiet or f.severity == "error"]
    color = _use_color(sys.stdout)
    click.echo(FORMATS[FORMAT_ALIASES.get(fmt, fmt)](shown, result.checked, color=color), nl=False, color=color)
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
@click.argument("code", required=False)
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
def rules(code: str | None, fmt: str) -> None:
    """List the lint rules (and the report's gate codes, CC6xx) with their codes, severities and explanations.

    With CODE (a code such as CC112, or a rule's name), print that rule's documentation: what it
    checks, why, and an example that fails and one that passes.
    """
    import json

    from carecheck.lint.registry import did_you_mean
    from carecheck.lint.rules import RULES, find_rule

    chosen = sorted(RULES.values(), key=lambda r: r.code)
    if code is not None:
        found = find_rule(code)
        if found is None:
            raise click.BadParameter(f"no rule '{code}'{did_you_mean(code)}", param_hint="CODE")
        chosen = [found]
    if fmt == "json":
        items = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "applies_to": r.applies_to,
                "summary": r.summary,
                "explanation": r.explanation,
                "fails": r.fails,
                "passes": r.passes,
            }
            for r in chosen
        ]
        click.echo(json.dumps(items if code is None else items[0], indent=2))
        return
    if code is None:
        for r in chosen:
            click.echo(f"{r.code}  {r.name:<28} {r.severity:<8} {r.summary}")
        return
    click.echo(chosen[0].page(), nl=False)


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(["checklist", "answers", "plan", "config"]),
    default="checklist",
    show_default=True,
    help="Which file format.",
)
@click.option("--answers", is_flag=True, help="Short for --kind answers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
def schema(kind: str, answers: bool, output: Path | None) -> None:
    """Print the JSON Schema of a file format, for editors (exported from the models).

    The checklist schema ships as checklists/carecheck.schema.json; refresh it with
    `carecheck schema -o checklists/carecheck.schema.json`.
    """
    from carecheck.format.schema import schema_text
    from carecheck.fs import write_atomic

    text = schema_text("answers" if answers else kind)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)


@cli.command("list")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
def list_checklists(fmt: str) -> None:
    """List the built-in and local checklists with their ids and question counts."""
    import json

    from carecheck.catalog.loading import builtin_dir

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


def complete_checklist(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a checklist id (an argument or --checklist): the ids the catalog knows."""
    try:
        return [cid for cid in _catalog(ctx).ids(Path.cwd()) if cid.startswith(incomplete)]
    except Exception:  # completion runs outside the error boundary and must never break the shell
        return []


@cli.command(cls=DefaultChecklistCommand)
@click.argument("checklist", required=False, shell_complete=complete_checklist)
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "yaml", "json"]))
@click.option("--refs", is_flag=True, help="Print the traceability table: seed point -> questions.")
def show(checklist: str | None, fmt: str, refs: bool) -> None:
    """Show a checklist (an id or a path; default: the configured `checklist`), resolved."""
    from carecheck.catalog.loading import seed_points
    from carecheck.render.checklist import checklist_as, refs_table

    if checklist is None:
        raise UsageError("name a CHECKLIST (an id or a path), or set `checklist:` in carecheck.yaml")
    resolved = _catalog().load(checklist, near=Path.cwd()).checklist
    click.echo(refs_table(resolved, seed_points()) if refs else checklist_as(resolved, fmt), nl=False)


ROLE_CHOICES = ("leadership", "management", "front-line", "back-office", "other")  # = model.ROLES, kept light


def _terminal_attached() -> bool:
    """Whether a person can answer prompts: both stdin and stdout are a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@cli.command(cls=DefaultChecklistCommand)
@click.argument("checklist", required=False, shell_complete=complete_checklist)
@AUDITS_DIR
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
    """Walk through a checklist (an id or a path; default: the configured `checklist`) and save the answers.

    Every answer is saved the moment it is given. Running the command again offers
    to resume an unfinished audit. Without a terminal, use --answers FILE: questions
    it leaves out are listed and the command exits 1.
    """
    from carecheck.errors import UsageError, outcome_exit_code
    from carecheck.interview.walk import NO_TERMINAL, AuditRequest, QuestionaryPrompter, run_audit, summary_lines

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
    import shutil

    for line in summary_lines(result, max(40, shutil.get_terminal_size((80, 24)).columns - 1)):
        click.echo(line)
    if not result.completed:
        click.echo(f"Still to answer ({len(result.missing)}):")
        for question in result.missing:
            click.echo(f"  {question.id}: {question.text}")
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
    "--audit", "audit_label", metavar="LABEL", help="The audit period label; default: the quarter of each row's date."
)
@click.option(
    "--organisation", metavar="NAME", help="The organisation of every row (wins over an organisation column)."
)
def import_survey(
    source: Path, checklist: str | None, folder: Path, dry_run: bool, audit_label: str | None, organisation: str | None
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
    )
    result = run_import(request, _catalog(), lambda: now(os.environ))
    color = _use_color(sys.stderr)
    for finding in result.warnings:
        click.echo(format_finding(finding, styler(color)), err=True, color=color)
    for line in summary_lines(result):
        click.echo(line)
    sys.exit(outcome_exit_code(result.warnings))


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "profile",
    default="care-full",
    show_default=True,
    metavar="PROFILE",
    shell_complete=complete_checklist,
    help="The checklist to tailor: care-full, a sector profile, ...",
)
@click.option("--id", "checklist_id", metavar="ID", help="The id of the new checklist (default: <folder>-care).")
def init(folder: Path, profile: str, checklist_id: str | None) -> None:
    """Start a folder of your own: carecheck.yaml, audits/ and a checklist that extends PROFILE."""
    from carecheck.cli.scaffold import init_project
    from carecheck.clock import now

    made = init_project(folder, profile, _catalog(), checklist_id, now(os.environ).year)
    for path in made.files:
        click.echo(f"created {path}{'/' if path.is_dir() else ''}")
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(f"Next: edit {made.files[1]}, then {where}carecheck validate checklists && carecheck audit")


@cli.command("config")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
def show_config(fmt: str) -> None:
    """Show the effective settings and where each comes from (option > variable > file > default)."""
    import json

    current = settings()
    rows = current.describe()
    if fmt == "json":
        doc = {
            "source": str(current.source) if current.source else None,
            "settings": {name: {"value": value, "from": origin} for name, value, origin in rows},
        }
        click.echo(json.dumps(doc, indent=2))
        return
    click.echo(f"configuration file: {current.source or '(none)'}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        click.echo(f"{name:<{width}}  {value}  [{origin}]")


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
@click.option("--title", help="The report's title (default: Customer care audit).")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Show only the N highest-priority actions.")
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
    help="critical: exit 1 (after writing the report) if a critical question scores below 50 or is unanswered, "
    "unless the plan waives it; none: turn off a configured critical gate.",
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
@click.option("--brand-name", metavar="NAME", help="Branding: the consultancy or team preparing the report.")
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
    type=click.FloatRange(0, 100, min_open=True),
    default=25.0,
    show_default=True,
    metavar="POINTS",
    help="A perception gap: roles' mean scores of a question or section differ by this much or more.",
)
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
        ReportRequest(answers, checklist, baseline, by, configured.audits, anonymous, gap_threshold),
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
    )
    run = run_report(job, _catalog(), os.environ, None if quiet else lambda paths: _progress(paths, "Scoring"))
    _say_report(run, color=job.color)
    sys.exit(run.exit_code)


def _say_report(run: ReportRun, *, color: bool) -> None:
    """A report run's messages, documents (files written atomically) and gate results, in that order."""
    for line in run.messages:
        click.echo(line, err=True)
    for document in run.documents:
        _output(document.content, document.target, color=color, say=run.name_files)
    if run.gate_results is not None:
        if run.gate_output is not None:
            _write(run.gate_output, run.gate_results)
        else:
            click.echo(run.gate_results, nl=False, err=run.gates_to_stderr)
    for line in run.gate_messages:
        click.echo(line, err=True)


def _terminal_width(widest: int) -> int:
    """The terminal's width for a text document, kept between 40 columns and `widest`."""
    import shutil

    return min(max(shutil.get_terminal_size((80, 24)).columns, 40), widest)


def _output(document: str | bytes, target: Path | None, *, color: bool, say: bool) -> None:
    """A document to its file (atomically; named on stderr when `say`), else to stdout."""
    if target is not None:
        _write(target, document)
        if say:
            click.echo(f"wrote {target}", err=True)
    elif isinstance(document, bytes):
        sys.stdout.buffer.write(document)
    else:
        click.echo(document, nl=False, color=color)


def _write(path: Path, content: str | bytes) -> None:
    """Write an output file atomically (what cannot be written is an InputError, exit 2)."""
    from carecheck.fs import write_atomic

    write_atomic(path, content)


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
def history(folder: Path | None, fmt: str | None, output: Path | None, checklist: str | None) -> None:
    """Audits over time: per organisation and checklist, each audit's date, respondents, overall
    score, rating and section scores, with the change from the audit before.

    DIR is the audits folder (default: the `audits` setting, ./audits). Earlier audits are scored
    against the checklist as it is now.
    """
    from carecheck.audits.grouping import build_history
    from carecheck.render.history import HistoryOptions, history_format, render_history
    from carecheck.render.report import report_date

    name = history_format(fmt, output)
    found, notices = build_history(folder if folder is not None else settings().audits, _catalog(), checklist=checklist)
    for notice in notices:
        click.echo(f"carecheck: {notice}", err=True)
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


def _crash_log(exc: BaseException) -> Path | None:
    """Write the evidence of an internal error where pre-commit writes its own: the user's cache folder
    (`$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`), `carecheck/carecheck.log`. None if it cannot."""
    import platform
    import traceback

    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/.cache")
    log = Path(base) / "carecheck" / "carecheck.log"
    text = (
        "### carecheck internal error\n\n"
        f"version: {__version__}\npython: {platform.python_version()} on {platform.platform()}\n"
        f"command: {' '.join(sys.argv)}\n\n```\n{''.join(traceback.format_exception(exc)).rstrip()}\n```\n"
    )
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text, encoding="utf-8")
    except (OSError, ValueError):
        return None
    return log


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"carecheck: {message}", err=True)
    sys.exit(code)


def main() -> None:
    """The console script."""
    # a file name that is not valid UTF-8 must not stop the output: show it escaped instead
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    cli(prog_name="carecheck")
