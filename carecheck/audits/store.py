"""Answer files on disk: saving them atomically, naming them so they never collide, finding unfinished audits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from anyascii import anyascii

from carecheck.audits.records import keep_checklist
from carecheck.errors import CarecheckError, InputError
from carecheck.format.answers import audit_label
from carecheck.format.model import AnswerFile, Checklist
from carecheck.format.writer import answers_yaml
from carecheck.fs import create_exclusive, is_dir, reason, walk_yaml, write_atomic

# ---------------------------------------------------------------------------------------------------
# Answer files


SLUG_MAX = 48
LABEL_MAX = 32
"""Caps on the parts of `<org>/<audit>/<checklist>--<name>--NN.yaml` (at most 190 characters), so an answer
file's path stays within Windows' 260 with room for the audits folder."""
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))})
"""Names Windows reserves for devices, with or without an extension (`nul.yaml` is the device too)."""


def slug(text: str, fallback: str = "unnamed") -> str:
    """A lower-case, hyphenated, ASCII form of a name, for folder and file names.

    Non-Latin names are transliterated ("Ромашка" -> "romashka", "Łódź" -> "lodz"), not dropped,
    so that two organisations named in Cyrillic or Japanese do not both become the fallback. A long
    name is cut to SLUG_MAX characters, ending in a short hash of the whole name, so two long names
    that begin alike stay apart.
    """
    kebab = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    if len(kebab) > SLUG_MAX:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        kebab = f"{kebab[: SLUG_MAX - 9].rstrip('-')}-{digest}"
    return kebab or fallback


def safe_name(name: str) -> str:
    """A folder or file name every OS accepts: no Windows device name (CON, NUL, COM1, ... with or
    without an extension, any case), no trailing dot or space. The device names get a `_`, which a
    slug never holds, so the result stays unique."""
    name = name.rstrip(". ")
    if name.split(".")[0].rstrip(" ").casefold() in RESERVED:
        stem, dot, rest = name.partition(".")
        name = f"{stem}_{dot}{rest}"
    return name or "_"


def path_part(text: str, fallback: str = "unnamed") -> str:
    """The slug of a name, safe as one part of a path on every OS."""
    return safe_name(slug(text, fallback))


def audit_folder_name(label: str) -> str:
    """An audit label as its folder is named: as written (2026-Q3), in the characters every OS takes."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.")
    if len(name) > LABEL_MAX:
        name = f"{name[: LABEL_MAX - 9].rstrip('-.')}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"
    return safe_name(name) if name else "audit"


def default_answer_path(folder: Path, answers: AnswerFile) -> Path:
    """`<folder>/<organisation-slug>/<audit>/<checklist-id>--<respondent-slug>.yaml`."""
    audit = audit_label(answers) or "no-audit-label"  # neither audit: nor started, as grouping says
    name = f"{slug(answers.checklist.id)}--{slug(answers.respondent.name, 'anonymous')}"
    return folder / path_part(answers.organisation) / audit_folder_name(audit) / f"{name}.yaml"


def create_answer_file(folder: Path, answers: AnswerFile, checklist: Checklist | None = None) -> Path:
    """Save a new audit under its default path, never over another audit's file.

    With the resolved `checklist` it answers, that is kept in the audits folder first
    (records.keep_checklist), so the audit can be scored as answered for years.

    If the default name is taken, `--2`, `--3`, ... is appended. The name is claimed
    and the content written in one step (a hard link of a complete temporary file), so
    two runs starting at the same moment cannot take the same name, and the file is
    complete from the instant it exists.
    """
    base = default_answer_path(folder, answers)
    content = answers_yaml(answers)
    if checklist is not None:
        keep_checklist(folder, checklist)
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            path = base if n == 1 else base.with_name(f"{base.stem}--{n}{base.suffix}")
            if create_exclusive(path, content):
                return path
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write: {reason(exc)}", path=base, code="CC001") from None
    raise InputError("too many audits with the same name", path=base, code="CC001")  # pragma: no cover


def save_answers(path: Path, answers: AnswerFile) -> None:
    """Save an answer file atomically: at every instant the old file or the new one, complete."""
    write_atomic(path, answers_yaml(answers))


@dataclass(frozen=True)
class Unfinished:
    """An audit that was started and not completed."""

    path: Path
    answers: AnswerFile


def find_unfinished(
    folder: Path,
    checklist_id: str,
    organisation: str | None = None,
    respondent: str | None = None,
) -> list[Unfinished]:
    """Unfinished audits of a checklist in `folder` (and below), most recently started first.

    Matching uses the fields of each file, not its name: the organisation and
    respondent name are compared when given, ignoring case and spacing.
    """
    return _find(folder, checklist_id, organisation, respondent, completed=False)


def find_completed(
    folder: Path,
    checklist_id: str,
    organisation: str | None = None,
    respondent: str | None = None,
) -> list[Unfinished]:
    """Completed audits of a checklist in `folder` (and below), as find_unfinished matches them: to amend."""
    return _find(folder, checklist_id, organisation, respondent, completed=True)


def _find(
    folder: Path, checklist_id: str, organisation: str | None, respondent: str | None, *, completed: bool
) -> list[Unfinished]:
    from carecheck.catalog.loading import load_answer_file

    found: list[Unfinished] = []
    if not is_dir(folder):
        return found
    for path in walk_yaml(folder):
        try:
            _, answers = load_answer_file(path)
        except CarecheckError:
            continue  # not an answer file, or a broken one: `carecheck validate` reports those
        if (answers.completed is not None) != completed or answers.checklist.id != checklist_id:
            continue
        if organisation is not None and _same_name(answers.organisation, organisation) is False:
            continue
        if respondent is not None and _same_name(answers.respondent.name, respondent) is False:
            continue
        found.append(Unfinished(path, answers))
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    found.sort(key=lambda u: _aware(u.answers.started) or epoch, reverse=True)
    return found


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when
