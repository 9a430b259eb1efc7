"""`carecheck validate`, `rules` and `schema`: the commands CI and editors run on checklists and answer files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from carecheck.cli.base import FINDINGS_FORMATS, JOBS, _catalog, _progress, _use_color, cli, say, settings

if TYPE_CHECKING:
    pass


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
@JOBS
def validate(
    paths: tuple[Path, ...],
    fmt: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    ignore_unknown: bool,
    jobs: int | None,
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
        jobs=jobs,
    )
    shown = [f for f in result.findings if not quiet or f.severity == "error"]
    color = _use_color(sys.stdout)
    click.echo(FORMATS[FORMAT_ALIASES.get(fmt, fmt)](shown, result.checked, color=color), nl=False, color=color)
    if verbose:
        for path in result.skipped:
            say(f"skipped {path}: not a carecheck file", err=True)
    if not quiet:
        for note in result.notes:
            say(f"note: {note}", err=True)
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
        click.echo(json.dumps(items if code is None else items[0], indent=2, allow_nan=False))
        return
    if code is None:
        for r in chosen:
            click.echo(f"{r.code}  {r.name:<28} {r.severity:<8} {r.summary}")
        return
    click.echo(chosen[0].page(), nl=False)


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(["checklist", "answers", "plan", "config", "roles"]),
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
    from carecheck.fs import refuse_replacing, write_atomic

    refuse_replacing([output], [])  # schema reads no file: only the answer files and dangling symlinks
    text = schema_text("answers" if answers else kind)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
