"""Files out: atomic writes; answer files (saving, naming, finding unfinished audits)."""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import yaml
from anyascii import anyascii

from carecheck.errors import CarecheckError, InputError
from carecheck.format.model import AnswerFile

_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that it is, at every instant, either the old file or the complete new one.

    A temporary file in the same folder is written, flushed and fsynced, then renamed
    over the target; the folder is fsynced where the OS allows it. A symlink is written
    through (its target is replaced), a device, pipe or folder is refused, and the file
    keeps the mode of the one it replaces (a new one gets the usual 0666 less umask).
    Anything the OS refuses is an InputError (exit 2) naming the path.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target = Path(os.path.realpath(path))
        try:
            st = os.stat(target)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        else:
            if not stat.S_ISREG(st.st_mode):
                raise InputError("cannot write here: it is not a regular file", path=path, code="CC001")
            mode = stat.S_IMODE(st.st_mode)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=target.parent)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path=path, code="CC001") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write: {_reason(exc)}", path=path, code="CC001") from None
        raise
    _fsync_dir(target.parent)


def _reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: no directory handles to fsync
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------------
# Answer files

ANSWERS_GLOB = "*.yaml"


def slug(text: str, fallback: str = "unnamed") -> str:
    """A lower-case, hyphenated, ASCII form of a name, for folder and file names.

    Non-Latin names are transliterated ("Ромашка" -> "romashka", "Łódź" -> "lodz"), not dropped,
    so that two organisations named in Cyrillic or Japanese do not both become the fallback.
    """
    ascii_text = anyascii(text)
    # Capped so that <org>/<audit>/<checklist>--<name>.yaml parts stay within file-name limits.
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower())[:60].strip("-") or fallback


def quarter_label(when: datetime) -> str:
    """The audit period label of a date: its year and quarter, e.g. `2026-Q3`."""
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def audit_label(answers: AnswerFile) -> str | None:
    """The audit an answer file belongs to: its `audit:`, else the quarter of its `started` date (the
    interview's default); None without either (such files make one audit, "(no audit label)")."""
    started = answers.started
    return answers.audit or (quarter_label(started) if started is not None else None)


def default_answer_path(folder: Path, answers: AnswerFile) -> Path:
    """`<folder>/<organisation-slug>/<audit>/<checklist-id>--<respondent-slug>.yaml`."""
    audit = audit_label(answers) or quarter_label(datetime.now(timezone.utc))
    name = f"{slug(answers.checklist.id)}--{slug(answers.respondent.name, 'anonymous')}"
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", audit).strip("-.") or "audit"  # as written: 2026-Q3
    return folder / slug(answers.organisation) / label / f"{name}.yaml"


def create_answer_file(folder: Path, answers: AnswerFile) -> Path:
    """Save a new audit under its default path, never over another audit's file.

    If the default name is taken, `--2`, `--3`, ... is appended. The name is claimed
    and the content written in one step (a hard link of a complete temporary file), so
    two runs starting at the same moment cannot take the same name, and the file is
    complete from the instant it exists.
    """
    base = default_answer_path(folder, answers)
    content = answers_yaml(answers)
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            path = base if n == 1 else base.with_name(f"{base.stem}--{n}{base.suffix}")
            if _create_exclusive(path, content):
                return path
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write: {_reason(exc)}", path=base, code="CC001") from None
    raise InputError("too many audits with the same name", path=base, code="CC001")  # pragma: no cover


def _create_exclusive(path: Path, content: str) -> bool:
    """Write `content` to `path` only if no file is there; False if one is."""
    if path.exists():
        return False
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # a file system without hard links: the exists() check above is the best we can do
            if path.exists():
                return False
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(path.parent)
    return True


def save_answers(path: Path, answers: AnswerFile) -> None:
    """Save an answer file atomically: at every instant the old file or the new one, complete."""
    write_atomic(path, answers_yaml(answers))


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Quotes every string that some YAML reader would take for something else, so all read text.

    YAML 1.1 readers (PyYAML's `safe_load`, Ruby, many add-ins) read `yes`, `on`, `1_000`, `1:20`,
    `2026-01-02` as a bool, a number or a date; YAML 1.2 readers read `1e5`, `0o7`, `08` as numbers.
    The resolvers below are the union of both (and of their spellings in any case), written out here
    rather than taken from PyYAML's defaults, so what is quoted does not depend on the installed PyYAML.
    Values that are not strings (numbers, `true`, `null`) resolve to their own tag and stay plain.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


_PLAIN_IS_NOT_TEXT = (  # in this order: an int's text (`6`) must resolve to int before float claims it
    ("bool", r"y|n|yes|no|on|off|true|false"),
    ("null", r"~|null|"),
    ("int", r"[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*|0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+)"),
    (
        "float",
        r"[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:e[-+]?[0-9]+)?|[-+]?\.(?:inf|nan)",
    ),
    (
        "timestamp",
        r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"(?:(?:t|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?",
    ),
    ("merge", r"<<"),
    ("value", r"="),
)
for _tag, _pattern in _PLAIN_IS_NOT_TEXT:
    _Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$", re.IGNORECASE), None)


class _Flow(dict[str, Any]):
    """A mapping written on one line: one answer per line reads and diffs well."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, True))


def _represent_str(dumper: yaml.BaseDumper, data: str) -> yaml.Node:
    # a note of several lines stays on its answer's line, with visible \n
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)


def _timestamp(when: datetime | None) -> str | None:
    if when is None:
        return None
    if when.tzinfo is not None and when.utcoffset() == timedelta(0):
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.isoformat()


def _scalar(value: str) -> str | int | float:
    # a number written as a number (`6.5`, not `'6.5'`) when it reads back as the same text
    try:
        number: int | float = int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return value
    return number if str(number) == value and math.isfinite(number) else value


def answers_yaml(answers: AnswerFile) -> str:
    """An answer file as YAML, keys in the documented order, one line per answer."""
    entries: dict[str, _Flow] = {}
    for qid, answer in answers.answers.items():
        entry = _Flow()
        if answer.value is not None:
            entry["value"] = _scalar(answer.value)
        if answer.skipped:
            entry["skipped"] = True
        if answer.note is not None:
            entry["note"] = answer.note
        if answer.at is not None:
            entry["at"] = _timestamp(answer.at)
        if answer.asked is not None:
            entry["asked"] = answer.asked
        entries[qid] = entry
    ref = answers.checklist
    data = {
        "carecheck-answers": 1,
        "checklist": _Flow({"id": ref.id, "version": ref.version, "sha256": ref.sha256}),
        "organisation": answers.organisation,
        "audit": answers.audit,
        "respondent": _Flow({"name": answers.respondent.name, "role": answers.respondent.role}),
        "started": _timestamp(answers.started),
        "completed": _timestamp(answers.completed),
        "answers": entries,
    }
    return dump_yaml(data)


def dump_yaml(data: Any, width: int = 1_000_000) -> str:
    """Data as YAML that every YAML reader (1.1 or 1.2) reads as the same values: what every writer uses."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)
    return text


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
    from carecheck.catalog.loading import load_answer_file

    found: list[Unfinished] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob(ANSWERS_GLOB)):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            _, answers = load_answer_file(path)
        except CarecheckError:
            continue  # not an answer file, or a broken one: `carecheck validate` reports those
        if answers.completed is not None or answers.checklist.id != checklist_id:
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
