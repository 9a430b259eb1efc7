"""A consultant's portfolio: one row per organisation (and checklist), from its latest audit (pure).

Every number a portfolio shows is made here from Scorecards: the formats only present them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from carecheck.scoring.score import Scorecard, shown
from carecheck.scoring.trends import difference


@dataclass(frozen=True)
class WidestGap:
    """The widest perception gap of an audit: where the roles' mean scores differ most."""

    id: str
    title: str
    gap: float


@dataclass(frozen=True)
class PortfolioRow:
    """One organisation on one checklist: its latest audit, and the change since the one before."""

    organisation: str
    checklist_id: str
    checklist_title: str
    audit: str | None
    date: datetime | None
    audits: int
    respondents: int
    overall: float | None
    rating: str | None
    change: float | None
    """The overall score's change since the previous audit (shown scores); None without one."""
    widest_gap: WidestGap | None
    critical_below: int
    """Critical questions scoring below their bar (critical failures)."""
    top_action: str | None
    """The highest-priority action: its recommendation, else its question's text."""
    draft: bool

    @classmethod
    def of(cls, latest: Scorecard, previous: Scorecard | None, audits: int) -> PortfolioRow:
        """The row of an organisation from the Scorecards of its latest and previous audits."""
        return cls(
            organisation=latest.organisation,
            checklist_id=latest.checklist.id,
            checklist_title=latest.checklist.title,
            audit=latest.audit,
            date=latest.date,
            audits=audits,
            respondents=len(latest.respondents),
            overall=latest.overall,
            rating=latest.rating.label if latest.rating else None,
            change=difference(latest.overall, previous.overall) if previous is not None else None,
            widest_gap=widest_gap(latest),
            critical_below=len(latest.critical_failures),
            top_action=(latest.actions[0].recommendation or latest.actions[0].text) if latest.actions else None,
            draft=latest.draft,
        )

    @property
    def label(self) -> str:
        return self.audit or (self.date.strftime("%Y-%m-%d") if self.date else "unlabelled")


def widest_gap(card: Scorecard) -> WidestGap | None:
    """The question whose roles' mean scores differ most (None with fewer than two roles answering)."""
    best: WidestGap | None = None
    for q in card.questions:
        if q.perception_gap is not None and (best is None or q.perception_gap > best.gap):
            best = WidestGap(q.id, q.text, q.perception_gap)
    return best


@dataclass(frozen=True)
class Portfolio:
    """Every organisation's row, in name order, and the summary across them."""

    folder: str
    rows: tuple[PortfolioRow, ...]

    @property
    def scored(self) -> list[PortfolioRow]:
        return [r for r in self.rows if r.overall is not None]

    @property
    def mean(self) -> float | None:
        """The mean of the organisations' overall scores (each organisation counts once)."""
        scores = [shown(r.overall) for r in self.scored if r.overall is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def respondents(self) -> int:
        return sum(r.respondents for r in self.rows)

    @property
    def improved(self) -> int:
        return sum(1 for r in self.rows if r.change is not None and r.change > 0)

    @property
    def declined(self) -> int:
        return sum(1 for r in self.rows if r.change is not None and r.change < 0)

    @property
    def with_critical(self) -> int:
        """Organisations with at least one critical question below its bar."""
        return sum(1 for r in self.rows if r.critical_below)

    def ratings(self) -> list[tuple[str, int]]:
        """How many organisations hold each rating, most first (then by name)."""
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.rating or "none"] = counts.get(r.rating or "none", 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @classmethod
    def of(cls, folder: str, rows: Sequence[PortfolioRow]) -> Portfolio:
        ordered = sorted(rows, key=lambda r: (r.organisation.casefold(), r.organisation, r.checklist_id))
        return cls(folder, tuple(ordered))
