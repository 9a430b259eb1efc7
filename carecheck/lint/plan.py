"""Plan rules (CC3xx): waivers and action owners."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from carecheck.format.model import Plan
from carecheck.format.reader import Document
from carecheck.format.resolved import ResolvedChecklist
from carecheck.lint.registry import Hit, rule


@dataclass
class PlanContext:
    """What a plan rule sees: the plan, today's date (SOURCE_DATE_EPOCH honoured), its checklist if named."""

    doc: Document
    plan: Plan
    today: date
    resolved: ResolvedChecklist | None
    missing_reason: str = ""


@rule("CC301", "waiver-expired", "plan")
def waiver_expired(ctx: PlanContext) -> Iterator[Hit]:
    """A waiver's `expires` date has passed: renew it with a new date (and reason) or close the gap.

    A waiver accepts a gap until its `expires` day (inclusive); after it, the gap counts again and
    validate fails, so that accepted gaps are looked at again.

    Fails:

        waivers:
          - {question: easy-to-contact, reason: New phone system in May, owner: Jo Smith, expires: 2020-06-30}

    Passes:

        waivers:
          - {question: easy-to-contact, reason: New phone system in May, owner: Jo Smith, expires: 2099-06-30}
    """
    for i, waiver in enumerate(ctx.plan.waivers):
        if not waiver.active(ctx.today):
            yield Hit(
                f"the waiver of '{waiver.question}' (owner {waiver.owner}) expired on {waiver.expires.isoformat()}",
                ("waivers", i, "expires"),
            )


@rule("CC302", "plan-checklist-not-found", "plan")
def plan_checklist_not_found(ctx: PlanContext) -> Iterator[Hit]:
    """The checklist a plan names cannot be found (or has errors), so its question ids cannot be checked.

    A plan may name its checklist (an id or a path) so that its question ids can be checked.

    Fails:

        checklist: care-esentials

    Passes:

        checklist: care-essentials
    """
    if ctx.plan.checklist is not None and ctx.resolved is None:
        yield Hit(ctx.missing_reason or f"checklist '{ctx.plan.checklist}' not found", ("checklist",))


@rule("CC303", "plan-unknown-question", "plan")
def plan_unknown_question(ctx: PlanContext) -> Iterator[Hit]:
    """A waiver or action names a question that the plan's checklist does not have.

    Waivers and actions name questions by id; an id the checklist lacks is a typo, or a question
    removed since.

    Fails:

        checklist: care-essentials
        actions:
          - {question: easy-to-contct, owner: Jo Smith}

    Passes:

        checklist: care-essentials
        actions:
          - {question: easy-to-contact, owner: Jo Smith}
    """
    if ctx.resolved is None:
        return
    checklist = ctx.resolved.checklist
    for part in ("waivers", "actions"):
        for i, item in enumerate(getattr(ctx.plan, part)):
            if item.question not in checklist.questions:
                yield Hit(f"no question '{item.question}' in checklist '{checklist.id}'", (part, i, "question"))


@rule("CC304", "plan-duplicate-question", "plan")
def plan_duplicate_question(ctx: PlanContext) -> Iterator[Hit]:
    """A question has two waivers, or two actions: say it once so it is clear which holds.

    One waiver and one action per question: with two, which holds would be a guess.

    Fails:

        actions:
          - {question: easy-to-contact, owner: Jo Smith}
          - {question: easy-to-contact, owner: Ann Lee}

    Passes:

        actions:
          - {question: easy-to-contact, owner: Jo Smith, note: with Ann Lee}
    """
    for part in ("waivers", "actions"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(ctx.plan, part)):
            if item.question in seen:
                yield Hit(f"'{item.question}' is listed twice in {part}", (part, i, "question"))
            seen.add(item.question)
