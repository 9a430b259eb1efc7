"""The known references of `refs:`: seed points and framework items (checklists/references.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from carecheck.format.reader import read_document


@dataclass(frozen=True)
class Reference:
    """One citable id: a seed point or a framework item."""

    id: str
    text: str
    group: str = ""


@dataclass(frozen=True)
class Framework:
    """A framework or regulation; with items it is covered item by item, without them it is cited whole."""

    id: str
    title: str
    items: tuple[Reference, ...] = ()

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.group for item in self.items))


@dataclass(frozen=True)
class References:
    points: tuple[Reference, ...]
    frameworks: tuple[Framework, ...]

    @cached_property
    def known(self) -> frozenset[str]:
        """Every id a ref may name."""
        ids = [p.id for p in self.points] + [f.id for f in self.frameworks]
        return frozenset(ids + [i.id for f in self.frameworks for i in f.items])

    @cached_property
    def families(self) -> tuple[str, ...]:
        """The prefixes that make a ref look like a known one (`cse`, `iso10002`, `s003`, ...)."""
        return tuple(sorted({f.id for f in self.frameworks} | {p.id.split("-")[0] for p in self.points}))

    def misspelt(self, ref: str) -> bool:
        """A ref that belongs to a known family but is no known id (an own ref like `policy-7` is fine)."""
        return ref not in self.known and any(ref == f or ref.startswith(f + "-") for f in self.families)


@cache
def builtin_references() -> References:
    """The references shipped with the built-in checklists."""
    doc = read_document(Path(str(files("carecheck.checklists"))) / "references.yaml")
    points = tuple(Reference(str(p["id"]), str(p["text"]), f"seed {p['seed']}") for p in doc.data["points"])
    frameworks = tuple(
        Framework(
            str(f["id"]),
            str(f["title"]),
            tuple(Reference(str(i["id"]), str(i["text"]), str(i.get("group", ""))) for i in f.get("items", ())),
        )
        for f in doc.data["frameworks"]
    )
    return References(points, frameworks)
