"""Answer files on disk: saving them atomically, naming them so they never collide, finding unfinished audits."""

from __future__ import annotations

import time
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


_Identity = tuple[int, int]
"""A file as the system knows it (device, inode): every path to it (a symlink) names the same one."""
_Signature = tuple[int, int, int]
"""Size, modification and change times: a file whose signature is the same was not written since."""
_Key = tuple[str, str, str, bool]
"""What an answer file is matched by: its checklist id, organisation, respondent name and whether it is completed."""
RACY_NS = 2_000_000_000
"""A file written this close before a look may be written again within the same timestamp (FAT keeps
2-second times): its signature is not trusted, and the next look reads it again (git's "racy clean")."""


class AuditsFolder:
    """The answer files of an audits folder, as one `audit` run looks for its own among them.

    A run looks twice: for an unfinished audit to offer before the first question, and for a completed
    one of the same person once the name is known. The first look reads every file (over every core,
    as `report` reads); a later one reads again only the files written since (their size or times
    changed, or they were new), and the few that match, so what it returns is what a first look would.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._keys: dict[_Identity, tuple[_Signature | None, _Key | None]] = {}

    def unfinished(
        self, checklist_id: str, organisation: str | None = None, respondent: str | None = None
    ) -> list[Unfinished]:
        """Unfinished audits of a checklist in the folder (and below), most recently started first.

        Matching uses the fields of each file, not its name: the organisation and
        respondent name are compared when given, ignoring case and spacing.
        """
        return self._find(checklist_id, organisation, respondent, completed=False)

    def completed(
        self, checklist_id: str, organisation: str | None = None, respondent: str | None = None
    ) -> list[Unfinished]:
        """Completed audits of a checklist in the folder (and below), matched as `unfinished` does: to amend."""
        return self._find(checklist_id, organisation, respondent, completed=True)

    def _find(
        self, checklist_id: str, organisation: str | None, respondent: str | None, *, completed: bool
    ) -> list[Unfinished]:
        from carecheck.catalog.loading import loadable_answers

        if not is_dir(self.folder):
            return []

        def wanted(key: _Key | None) -> bool:
            return (
                key is not None
                and key[0] == checklist_id
                and key[3] == completed
                and (organisation is None or _same_name(key[1], organisation))
                and (respondent is None or _same_name(key[2], respondent))
            )

        def passed_over(path: Path) -> bool:  # not written since the last look, and did not match then
            st = stats[path]
            known = None if st is None else self._keys.get(st[0])
            return st is not None and known is not None and known[0] == st[1] and not wanted(known[1])

        look = time.time_ns()
        paths = list(walk_yaml(self.folder))
        stats = {path: _stat(path) for path in paths}
        todo = [path for path in paths if not passed_over(path)]
        for path in todo:  # None: not (or no longer) an answer file, unless it is read as one below
            if (st := stats[path]) is not None:
                self._keys[st[0]] = (st[1] if st[1][1] < look - RACY_NS else None, None)
        found: dict[Path, AnswerFile] = {}
        for path, answers in loadable_answers(todo):
            key = _key(answers)
            if (st := stats[path]) is not None:
                self._keys[st[0]] = (self._keys[st[0]][0], key)
            if wanted(key):
                found[path] = answers
        ordered = [Unfinished(p, found[p]) for p in paths if p in found]
        epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
        ordered.sort(key=lambda u: _aware(u.answers.started) or epoch, reverse=True)
        return ordered


def _stat(path: Path) -> tuple[_Identity, _Signature] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino), (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _key(answers: AnswerFile) -> _Key:
    return answers.checklist.id, answers.organisation, answers.respondent.name, answers.completed is not None


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _aware(when: datetime | None) -> datetime | None:
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when
