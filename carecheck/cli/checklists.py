"""`carecheck list`, `show`, `init` and `config`: the checklists and settings in effect."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from carecheck.cli.base import DefaultChecklistCommand, _catalog, cli, complete_checklist, say, settings
from carecheck.errors import CarecheckError, UsageError
from carecheck.fs import is_dir

if TYPE_CHECKING:
    pass


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
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        say(f"{r['id']:<{width}}  {r['questions']:>3} questions  {r['title']}  [{r['source']}]")


@cli.command(cls=DefaultChecklistCommand)
@click.argument("checklist", required=False, shell_complete=complete_checklist)
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "yaml", "json"]))
@click.option(
    "--refs",
    is_flag=True,
    help="Print coverage per framework: the questions citing each seed point and framework item, and the gaps.",
)
def show(checklist: str | None, fmt: str, refs: bool) -> None:
    """Show a checklist (an id or a path; default: the configured `checklist`), resolved."""
    from carecheck.format.references import builtin_references
    from carecheck.render.checklist import checklist_as, refs_table

    if checklist is None:
        raise UsageError("name a CHECKLIST (an id or a path), or set `checklist:` in carecheck.yaml")
    resolved = _catalog().load(checklist, near=Path.cwd()).checklist
    document = refs_table(resolved, builtin_references()) if refs else checklist_as(resolved, fmt)
    # JSON and YAML escape what they must; the text view quotes the checklist as it is
    if fmt == "text" or refs:
        say(document, nl=False)
    else:
        click.echo(document, nl=False)


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
        click.echo(f"created {path}{'/' if is_dir(path) else ''}")
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
        click.echo(json.dumps(doc, indent=2, allow_nan=False))
        return
    click.echo(f"configuration file: {current.source or '(none)'}")
    width = max(len(name) for name, _, _ in rows)
    for name, value, origin in rows:
        say(f"{name:<{width}}  {value}  [{origin}]")
