"""`carecheck init`: start a folder of one's own: a config file, an audits folder and a tailored checklist."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carecheck.errors import UsageError
from carecheck.loading import Catalog
from carecheck.schema import SCHEMA_FILE, schema_text
from carecheck.store import slug, write_atomic


@dataclass(frozen=True)
class Scaffold:
    """What `init` wrote (or would write): the files and the checklist id."""

    files: tuple[Path, ...]
    checklist_id: str


def init_project(folder: Path, profile: str, catalog: Catalog, checklist_id: str | None, year: int) -> Scaffold:
    """Write `carecheck.yaml`, `audits/` and `checklists/<id>.yaml` extending `profile`; never overwrite."""
    parent = catalog.load(profile).checklist
    cid = checklist_id or f"{slug(folder.resolve().name, 'my')}-care"
    if slug(cid) != cid:
        raise UsageError(f"'{cid}' is not a valid id: use lower-case letters, digits and single hyphens")
    config = folder / "carecheck.yaml"
    checklist = folder / "checklists" / f"{cid}.yaml"
    schema = folder / "checklists" / SCHEMA_FILE
    existing = [p for p in (config, checklist, schema) if p.exists() or p.is_symlink()]
    if existing:
        raise UsageError(f"{existing[0]} exists already; init never overwrites a file")
    for folder_needed in (folder, folder / "checklists", folder / "audits"):
        if folder_needed.exists() and not folder_needed.is_dir():
            raise UsageError(f"{folder_needed} exists and is not a folder")

    outline = []
    for section in parent.sections:
        outline.append(f"#   {section.id}: {section.title}")
        outline += [f"#     - {q.id}" for q in section.questions]
    write_atomic(
        checklist,
        f"""# yaml-language-server: $schema={SCHEMA_FILE}
carecheck: 1
id: {cid}
title: {parent.title} (tailored)
version: "{year}.1"
description: >-
  Our own customer-care audit, tailored from {parent.id} {parent.version}.
extends: {parent.id}
# Leave out what does not apply to us (question or section ids, listed below):
exclude: []
# Change the weight, criticality, effort, target or wording of a question or section:
override: {{}}
# Add sections of our own, or questions to an existing section (give its id):
sections: []
# The sections and questions of {parent.id}:
"""
        + "\n".join(outline)
        + "\n",
    )
    write_atomic(schema, schema_text())
    write_atomic(
        config,
        f"""carecheck-config: 1
# The checklist `carecheck audit` and `carecheck show` use when none is named.
checklist: {cid}
# Folders searched for checklists (before the built-ins), and where answers are saved.
checklists: [checklists]
audits: audits
""",
    )
    try:
        (folder / "audits").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {folder / 'audits'}: {exc.strerror}") from None
    return Scaffold((config, checklist, schema, folder / "audits"), cid)
