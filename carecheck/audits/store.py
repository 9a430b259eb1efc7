"""Answer files on disk: saving them atomically, naming them so they never collide, finding unfinished audits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from carecheck.audits.records import keep_checklist
from carecheck.errors import InputError
from carecheck.format.answers import audit_label
from carecheck.format.model import AnswerFile, Checklist
from carecheck.format.names import audit_folder_name, path_part, slug
from carecheck.format.writer import answers_yaml
from carecheck.fs import create_exclusive, is_dir, reason, walk_yaml, write_atomic

# ---------------------------------------------------------------------------------------------------
# Answer files


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
    from carecheck.catalog.loading import loadable_answers

    found: list[Unfinished] = []
    if not is_dir(folder):
        return found
    for path, answers in loadable_answers(walk_yaml(folder)):
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
