"""Audits as records: the checklist each audit answered, kept beside the audits, and scoring against it.

When an answer file is created, the resolved checklist it answers is stored once as
`<audits folder>/.checklists/<sha256>.json`: the canonical JSON its sha256 is computed over, so the
copy verifies itself (`keep_checklist`, which every writer of answer files calls). `report`,
`history` and `--baseline` score an answer file against the stored copy of the checklist it records
(`--rescore stored`, the default), or against the checklist as it is now (`--rescore current`),
listing what changed (`checklist_changes`). Answer files whose checklist was never stored (older
audits) are scored against the current checklist, and the notices say so.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from carecheck.errors import InvalidInputError
from carecheck.format.model import DEFAULT_BANDS, AnswerFile, Band, Checklist
from carecheck.fs import is_file, read_bounded, write_atomic

STORE = ".checklists"
"""The hidden folder of stored checklists, in the audits folder (walk_yaml skips hidden folders)."""
RESCORE_CHOICES = ("stored", "current")
MAX_STORED = 16 * 1024 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")


def stored_path(folder: Path, sha256: str) -> Path:
    """Where the checklist of this sha256 is kept under an audits folder."""
    return folder / STORE / f"{sha256}.json"


def records_folder(answer_file: Path, audits_folder: Path) -> Path:
    """Where the checklist of an existing answer file is kept: its audits folder when the file is in it,
    else the file's own folder (the lookup searches every folder above an answer file)."""
    try:
        answer_file.absolute().relative_to(audits_folder.absolute())
    except ValueError:
        return answer_file.parent
    return audits_folder


def keep_checklist(folder: Path, checklist: Checklist) -> Path:
    """Store the resolved checklist an answer file in `folder` answers, once: the one call of every writer.

    Written atomically; skipped when a copy that verifies is already there (one copy however many
    respondents answer it). A damaged copy is replaced.
    """
    path = stored_path(folder, checklist.sha256)
    if is_file(path):
        try:
            if hashlib.sha256(read_bounded(path, MAX_STORED, "stored checklist")).hexdigest() == checklist.sha256:
                return path
        except Exception:
            pass
    write_atomic(path, checklist.canonical_json)
    return path


def load_stored(path: Path, sha256: str) -> Checklist:
    """A stored checklist, verified against its name; a changed or damaged copy is an error saying so."""
    raw = read_bounded(path, MAX_STORED, "stored checklist")
    actual = hashlib.sha256(raw).hexdigest()
    fix = "restore it from a backup, or delete it to score against the current checklist (--rescore current)"
    if actual != sha256:
        raise InvalidInputError(
            f"this stored checklist was changed or damaged (its content's sha256 is {actual[:12]}…, "
            f"its name says {sha256[:12]}…): {fix}",
            path=path,
        )
    try:
        checklist = Checklist.model_validate(json.loads(raw.decode("utf-8")))
    except ValueError as exc:  # pragma: no cover - the hash matched: a foreign file (a schema error is a ValueError)
        message = f"this stored checklist cannot be read ({exc}): {fix}"
        raise InvalidInputError(message, path=path) from None
    return checklist


@dataclass
class Rescorer:
    """Chooses the checklist each answer file is scored against, and says what it chose.

    `stored`: the stored copy of the checklist the file records, when it differs from the current
    one; `current`: the current one. Either way the notices list what changed between the two;
    without a stored copy the current checklist is used and the notices say so.
    """

    mode: str = "stored"
    _found: dict[tuple[Path, str], Path | None] = field(default_factory=dict)
    _loaded: dict[str, Checklist] = field(default_factory=dict)
    _said: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    _files: dict[tuple[str, str], set[Path]] = field(default_factory=dict)
    """The answer files met per (answered, current) sha256: asked again for a file, it counts once."""

    def __post_init__(self) -> None:
        if self.mode not in RESCORE_CHOICES:
            from carecheck.errors import UsageError

            raise UsageError(f"--rescore takes one of {', '.join(RESCORE_CHOICES)}, not '{self.mode}'")

    def checklist_for(self, current: Checklist, answers: AnswerFile, path: Path) -> Checklist:
        """The checklist to score this answer file against."""
        sha = answers.checklist.sha256
        if not sha or sha == current.sha256 or not _SHA.fullmatch(sha):
            return current
        key = (sha, current.sha256)
        self._files.setdefault(key, set()).add(path)
        stored = self._stored(sha, path)
        if key not in self._said:
            self._said[key] = self._describe(current, stored, sha)
        return stored if stored is not None and self.mode == "stored" else current

    def notices(self) -> list[str]:
        """What was scored against what, once per checklist version met."""
        lines: list[str] = []
        for key, said in self._said.items():
            n = len(self._files[key])
            head, *rest = said
            lines.append(f"{n} answer file{'s' * (n != 1)} {head}")
            lines += [f"  {line}" for line in rest]
        return lines

    def _stored(self, sha: str, path: Path) -> Checklist | None:
        if sha in self._loaded:
            return self._loaded[sha]
        found = self._find(path.absolute().parent, sha)
        if found is None:
            return None
        self._loaded[sha] = checklist = load_stored(found, sha)
        return checklist

    def _find(self, folder: Path, sha: str) -> Path | None:
        """The stored copy in this folder's `.checklists` or the nearest ancestor's."""
        walked: list[Path] = []
        found: Path | None = None
        for candidate in (folder, *folder.parents):
            if (candidate, sha) in self._found:
                found = self._found[candidate, sha]
                break
            walked.append(candidate)
            path = stored_path(candidate, sha)
            if is_file(path):
                found = path
                break
        for candidate in walked:
            self._found[candidate, sha] = found
        return found

    def _describe(self, current: Checklist, stored: Checklist | None, sha: str) -> list[str]:
        name = f"'{current.id}'"
        if stored is None:
            return [
                f"answered a version of checklist {name} (sha256 {sha[:12]}…) that was not stored: "
                f"scored against the current checklist ({current.version})"
            ]
        changes = checklist_changes(stored, current)
        then, now = stored.version, current.version
        if then == now:  # changed without a new version number: the hashes tell them apart
            then, now = f"{then} (sha256 {stored.sha256[:8]})", f"{now} (sha256 {current.sha256[:8]})"
        if self.mode == "stored":
            head = (
                f"answered checklist {name} {then} as stored: scored against it, not the current "
                f"{now} (--rescore current scores against that); what changed since:"
            )
        else:
            head = (
                f"answered checklist {name} {then}: rescored against the current {now} "
                "(--rescore current); what changed since:"
            )
        return [head, *(changes or ["no question, weight or band changed"])]


def checklist_changes(old: Checklist, new: Checklist) -> list[str]:
    """What changed from one version of a checklist to another: questions added, removed, reworded,
    re-weighted (or made critical or not), section weights, answer sets and rating bands."""
    before, after = old.questions, new.questions
    lines = []
    added = [qid for qid in after if qid not in before]
    removed = [qid for qid in before if qid not in after]
    common = [qid for qid in after if qid in before]
    reworded = [qid for qid in common if before[qid].text != after[qid].text]
    weights = [
        f"{qid} {before[qid].weight:g} -> {after[qid].weight:g}"
        for qid in common
        if before[qid].weight != after[qid].weight
    ]
    critical = [
        f"{qid} {'now' if after[qid].critical else 'no longer'} critical"
        for qid in common
        if before[qid].critical != after[qid].critical
    ]
    old_sections = {s.id: s for s in old.sections}
    sections = [
        f"{s.id} {old_sections[s.id].weight:g} -> {s.weight:g}"
        for s in new.sections
        if s.id in old_sections and old_sections[s.id].weight != s.weight
    ]
    for title, items in (
        ("added", added),
        ("removed", removed),
        ("reworded", reworded),
        ("re-weighted", weights),
        ("criticality", critical),
        ("section weights", sections),
    ):
        if items:
            lines.append(f"{title}: {', '.join(items)}")
    if old.answer_sets != new.answer_sets:
        names = {*old.answer_sets, *new.answer_sets}
        changed = sorted(k for k in names if old.answer_sets.get(k) != new.answer_sets.get(k))
        lines.append(f"answer sets: {', '.join(changed)}")
    if _bands(old) != _bands(new):
        lines.append(f"bands: {_bands(old)} -> {_bands(new)}")
    if old.critical_cap != new.critical_cap:
        lines.append(f"critical cap: {old.critical_cap or 'default'} -> {new.critical_cap or 'default'}")
    return lines


def _bands(checklist: Checklist) -> str:
    bands: Sequence[Band] = checklist.bands or DEFAULT_BANDS
    return ", ".join(f"{b.label} {b.min:g}" for b in bands)
