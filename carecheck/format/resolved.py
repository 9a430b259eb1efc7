"""A checklist after tailoring (`extends`, `exclude`, `override`), with where each part came from."""

from __future__ import annotations

from dataclasses import dataclass

from carecheck.errors import Position
from carecheck.format.model import Checklist
from carecheck.format.reader import Document


@dataclass(frozen=True)
class Origin:
    """Where a section or question was declared (or last overridden)."""

    doc: Document
    loc: tuple[str | int, ...]

    def position(self) -> Position:
        return self.doc.locate(self.loc)


@dataclass
class ResolvedChecklist:
    """A resolved checklist and where each of its parts came from."""

    checklist: Checklist
    doc: Document
    raw: Checklist
    origins: dict[str, Origin]
    parent: ResolvedChecklist | None = None
