"""A plan applied to a report: accepted gaps (waivers) and action owners, as every format shows them.

A plan file (`carecheck-plan: 1`, read by `loading.load_plan`) is checked against the checklist the
report scores: a waiver or action naming a question the checklist lacks, or a question listed twice,
is an error with its position (the plan rules CC303 and CC304); a plan for another checklist or
organisation is refused. A waiver holds up to and including its expiry day (`clock.today`, which
honours SOURCE_DATE_EPOCH); after it the report shows the waiver as expired and it accepts nothing.
Waivers change no score and no rating: the question is scored as answered and shown as accepted,
and `--fail-on critical` does not count it (see gates.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from carecheck.catalog.loading import Catalog, load_plan
from carecheck.errors import Finding, FindingsError, UsageError
from carecheck.format.model import Plan
from carecheck.format.resolved import ResolvedChecklist
from carecheck.fs import YAML_SUFFIXES


@dataclass(frozen=True)
class Acceptance:
    """A waiver as the report shows it: the gap is accepted until `expires`, then the waiver is expired."""

    question: str
    reason: str
    owner: str
    expires: date
    expired: bool

    @property
    def status(self) -> str:
        """ "accepted" while the waiver holds, "expired" after its expiry day."""
        return "expired" if self.expired else "accepted"


@dataclass(frozen=True)
class Assignment:
    """Who carries out a question's action, and by when."""

    question: str
    owner: str
    due: date | None
    note: str | None


@dataclass(frozen=True)
class AppliedPlan:
    """The plan as a report uses it; the empty plan (no `--plan`) accepts nothing and assigns nothing."""

    source: str | None = None
    waivers: tuple[Acceptance, ...] = ()
    actions: tuple[Assignment, ...] = ()
    accepted: dict[str, Acceptance] = field(init=False, repr=False, compare=False)
    """Every waiver by question, expired or not (templates read `.expired` or `.status`)."""
    assigned: dict[str, Assignment] = field(init=False, repr=False, compare=False)
    """The owner and due date of each question's action."""

    def __post_init__(self) -> None:
        # the plan rules refuse duplicates, so one entry per question; the first wins if any slipped by
        object.__setattr__(self, "accepted", {w.question: w for w in reversed(self.waivers)})
        object.__setattr__(self, "assigned", {a.question: a for a in reversed(self.actions)})

    def waiver(self, question: str) -> Acceptance | None:
        """The waiver that holds for a question, if any (an expired one accepts nothing)."""
        found = self.accepted.get(question)
        return found if found is not None and not found.expired else None


def apply_plan(plan: Plan, today: date, source: str | None = None) -> AppliedPlan:
    """A plan's waivers and actions as the report shows them on `today`."""
    return AppliedPlan(
        source=source,
        waivers=tuple(Acceptance(w.question, w.reason, w.owner, w.expires, not w.active(today)) for w in plan.waivers),
        actions=tuple(Assignment(a.question, a.owner, a.due, a.note) for a in plan.actions),
    )


def read_plan(
    path: Path, resolved: ResolvedChecklist, catalog: Catalog, organisation: str, today: date
) -> tuple[AppliedPlan, list[Finding]]:
    """Read a plan for a report over `resolved`'s answers of `organisation`; returns it and its warnings.

    Raises FindingsError for a plan that is not valid or names questions the checklist lacks, and
    UsageError for a plan of another checklist or organisation. An expired waiver is a warning here
    (the report shows it as expired); `validate` fails on it.
    """
    from carecheck.lint.rules import PlanContext, run_rules

    doc, plan = load_plan(path)
    checklist = resolved.checklist
    if plan.checklist is not None:
        named = _checklist_id(plan.checklist, catalog, path.parent)
        if named != checklist.id:
            problem = (
                f"no checklist '{plan.checklist}' (relative to the plan)"
                if named is None
                else f"this plan is for checklist '{named}', the answers are to '{checklist.id}'"
            )
            raise UsageError(problem, path=path, position=doc.locate(("checklist",)))
    if plan.organisation is not None and plan.organisation != organisation:
        raise UsageError(
            f"this plan is for organisation '{plan.organisation}', the answers are of '{organisation}'",
            path=path,
            position=doc.locate(("organisation",)),
        )
    findings = run_rules("plan", PlanContext(doc, plan, today, resolved))
    errors = [f for f in findings if f.code != "CC301" and f.severity == "error"]
    if errors:
        raise FindingsError(errors)
    warnings = [
        replace(f, severity="warning", message=f"{f.message}; the report shows it as expired")
        for f in findings
        if f.code == "CC301"
    ]
    return apply_plan(plan, today, str(path)), warnings


def plan_for(
    path: Path | None, resolved: ResolvedChecklist, catalog: Catalog, organisation: str, today: date, several: bool
) -> tuple[AppliedPlan, list[Finding]]:
    """The plan of one organisation's report (read_plan), or none without a plan file.

    With `several` reports (`report --by organisation`), a plan that names another organisation
    applies to none of this one's questions: an empty plan, not an error.
    """
    if path is None:
        return AppliedPlan(), []
    if several:
        named = load_plan(path)[1].organisation
        if named is not None and named != organisation:
            return AppliedPlan(), []
    return read_plan(path, resolved, catalog, organisation, today)


def _checklist_id(ref: str, catalog: Catalog, near: Path) -> str | None:
    """The id of the checklist a plan names (an id, or a path relative to the plan); None if not found."""
    if not (ref.endswith(YAML_SUFFIXES) or len(Path(ref).parts) > 1):
        return ref
    found = catalog.find(ref, near)
    return None if found is None else catalog.resolve_file(found).checklist.id
