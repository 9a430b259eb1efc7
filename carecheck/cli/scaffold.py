"""`carecheck init`: start a folder of one's own: a config file, an audits folder and a tailored checklist."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from carecheck.catalog.loading import Catalog, builtin_dir
from carecheck.errors import UsageError
from carecheck.format.names import slug
from carecheck.format.reader import real_path
from carecheck.format.schema import SCHEMA_FILE, schema_text
from carecheck.format.writer import dump_yaml
from carecheck.fs import exists, is_dir, is_file, recover_batches, write_all


@dataclass(frozen=True)
class Scaffold:
    """What `init` wrote (or would write): the files and the checklist id."""

    files: tuple[Path, ...]
    checklist_id: str


def init_project(folder: Path, profile: str, catalog: Catalog, checklist_id: str | None, year: int) -> Scaffold:
    """Write `carecheck.yaml`, `audits/` and `checklists/<id>.yaml` extending `profile`; never overwrite.

    All or nothing (fs.write_all): a failure, Ctrl-C or kill leaves no file behind, and a rerun completes.
    """
    resolved = catalog.load(profile)
    parent = resolved.checklist
    cid = checklist_id or f"{slug(folder.resolve().name, 'my')}-care"
    if slug(cid) != cid:
        raise UsageError(f"'{cid}' is not a valid id: use lower-case letters, digits and single hyphens")
    config = folder / "carecheck.yaml"
    checklist = folder / "checklists" / f"{cid}.yaml"
    schema = folder / "checklists" / SCHEMA_FILE
    recover_batches(folder)  # what a killed run left: finished if it was complete, else removed
    existing = [p for p in (config, checklist, schema) if exists(p, follow=False)]
    if existing:
        raise UsageError(f"{existing[0]} exists already; init never overwrites a file")
    for folder_needed in (folder, folder / "checklists", folder / "audits"):
        if exists(folder_needed) and not is_dir(folder_needed):
            raise UsageError(f"{folder_needed} exists and is not a folder")

    outline = [f"The sections and questions of {parent.id}:"]
    for section in parent.sections:
        outline.append(f"  {section.id}: {' '.join(section.title.split())}")  # one comment line, whatever the title
        outline += [f"    - {q.id}" for q in section.questions]
    checklist_text = _commented_yaml(
        f"yaml-language-server: $schema={SCHEMA_FILE}",
        {
            "carecheck": 1,
            "id": cid,
            "title": f"{parent.title} (tailored)",
            "version": f"{year}.1",
            "description": f"Our own customer-care audit, tailored from {parent.id} {parent.version}.",
            "extends": _extends(resolved.doc.path, parent.id, checklist.parent),
        },
        "Leave out what does not apply to us (question or section ids, listed below):",
        {"exclude": []},
        "Change the weight, criticality, effort, target or wording of a question or section:",
        {"override": {}},
        "Add sections of our own, or questions to an existing section (give its id):",
        {"sections": []},
        *outline,
    )
    config_text = _commented_yaml(
        {"carecheck-config": 1},
        "The checklist `carecheck audit` and `carecheck show` use when none is named.",
        {"checklist": cid},
        "Folders searched for checklists (before the built-ins), and where answers are saved.",
        {"checklists": ["checklists"], "audits": "audits"},
    )
    write_all(
        folder, {checklist: checklist_text, schema: schema_text(), config: config_text}, folders=[folder / "audits"]
    )
    return Scaffold((config, checklist, schema, folder / "audits"), cid)


def _commented_yaml(*parts: str | dict[str, object]) -> str:
    """YAML written by the one dumper (so any title or id is quoted as needed), with comment lines between."""
    return "".join(f"# {part}\n" if isinstance(part, str) else dump_yaml(part) for part in parts)


def _extends(profile: Path, profile_id: str, folder: Path) -> str:
    """How a checklist in `folder` names its parent: a built-in by id, any other file by a path from `folder`.

    A file that is a built-in byte for byte (a copy in ./checklists/, or the built-ins' own folder)
    is named by id too, so the new checklist follows the built-in as carecheck is upgraded.
    """
    target = real_path(profile)
    builtin = builtin_dir() / f"{profile_id}.yaml"
    if target.parent == real_path(builtin_dir()) or (is_file(builtin) and builtin.read_bytes() == target.read_bytes()):
        return profile_id
    try:
        return Path(os.path.relpath(target, real_path(folder))).as_posix()
    except ValueError:  # no relative path (another drive on Windows)
        return target.as_posix()
