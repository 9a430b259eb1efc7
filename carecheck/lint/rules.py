"""Lint rules: each a small function with a stable code; its docstring is its documentation.

Codes: CC0xx reading a file, CC1xx checklists, CC2xx answer files, CC3xx plans (waivers and
action owners), CC4xx configuration files, CC5xx survey import (CSV), CC6xx the report's gates
(checked by gates.py, documented here so that SARIF can describe them). Codes never change meaning;
a retired code is not reused.
"""

from __future__ import annotations

import difflib
import inspect
import math
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from carecheck.errors import Finding, Position
from carecheck.format.answers import answer_problem
from carecheck.format.model import (
    BUILTIN_ANSWER_SETS,
    NA,
    UNKNOWN,
    AnswerFile,
    Checklist,
    Config,
    NumberAnswer,
    Plan,
    Question,
)
from carecheck.format.reader import Document
from carecheck.format.resolved import ResolvedChecklist

Severity = Literal["error", "warning"]
MAX_WEIGHT = 1000
Kind = Literal["file", "checklist", "answers", "plan", "config", "import", "report"]


@dataclass(frozen=True)
class Hit:
    """A rule's verdict: a message and where in the file (a model path, its key or its value)."""

    message: str
    loc: tuple[str | int, ...] = ()
    key: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    applies_to: Kind
    summary: str
    check: Callable[[Any], Iterator[Hit]] | None = None
    details: str | None = None
    """The explanation of a rule without a check function (one that is not a lint rule)."""

    @property
    def documentation(self) -> str:
        """The rule's full explanation: its check's docstring, its details, or its summary."""
        doc = self.check.__doc__ if self.check is not None else self.details
        return inspect.cleandoc(doc) if doc else self.summary


RULES: dict[str, Rule] = {}


def _register(
    code: str,
    name: str,
    severity: Severity,
    applies_to: Any,
    summary: str,
    check: Any = None,
    details: str | None = None,
) -> None:
    assert code not in RULES, code
    RULES[code] = Rule(code, name, severity, applies_to, summary, check, details)


Check = TypeVar("Check", bound=Callable[..., Iterator[Hit]])


def rule(
    code: str, name: str, applies_to: Literal["checklist", "answers", "plan", "config"], severity: Severity = "error"
) -> Callable[[Check], Check]:
    """Register a lint rule; the first line of its docstring is its summary."""

    def wrap(fn: Check) -> Check:
        _register(code, name, severity, applies_to, (fn.__doc__ or "").strip().splitlines()[0], fn)
        return fn

    return wrap


# Problems found while reading a file (raised by source.py / loading.py, documented here).
for _code, _name, _summary in (
    (
        "CC001",
        "unreadable-file",
        "The file or folder cannot be read: it does not exist or is not accessible.",
    ),
    ("CC002", "not-utf8", "The file is not UTF-8 text (a BOM and CRLF line ends are fine)."),
    ("CC003", "yaml-syntax", "The file is not valid YAML (tabs for indentation, unclosed brackets, ...)."),
    ("CC004", "too-large", "The file is too large, too deeply nested, or its aliases expand too far."),
    ("CC005", "duplicate-key", "A key appears twice in the same mapping; the second would silently win."),
    ("CC006", "unsafe-tag", "An explicit YAML tag (such as !!python/object) is not allowed."),
    (
        "CC007",
        "not-carecheck",
        "The file is not a carecheck file: it must be a mapping with a known first key.",
    ),
    ("CC008", "schema", "A key is unknown or missing, or a value has the wrong type for the format."),
    (
        "CC206",
        "respondent-twice",
        "One person has two answer files in the same audit; a report counts each person once.",
    ),
    ("CC115", "extends-not-found", "`extends` names a checklist that cannot be found."),
    ("CC116", "extends-cycle", "Checklists extend each other in a cycle."),
    ("CC117", "unknown-tailoring-id", "`exclude` or `override` names no section or question of the parent."),
    ("CC118", "override-field", "An override changes a field that does not apply to that kind of item."),
):
    _register(_code, _name, "error", "file", _summary)

# Problems of a survey export met by `carecheck import` (raised by survey.py, documented here).
for _code, _name, _severity, _summary in (
    ("CC501", "survey-empty", "error", "The CSV file holds no header, or a header and no respondent rows."),
    ("CC502", "csv-syntax", "error", "The file cannot be read as CSV: a quote is not closed, or a field is too long."),
    (
        "CC503",
        "row-too-long",
        "error",
        "A row has more cells than the header: a value holding the delimiter needs quotes.",
    ),
    ("CC504", "unknown-column", "error", "A column names no question (by id or exact text), note or respondent field."),
    ("CC505", "duplicate-column", "error", "Two columns give the same question, note or respondent field."),
    (
        "CC506",
        "invalid-cell",
        "error",
        "A cell is not an answer its question accepts: an unknown option, not a number, na where not allowed.",
    ),
    ("CC507", "missing-organisation", "error", "A row has no organisation and --organisation does not give one."),
    ("CC508", "invalid-date", "error", "A date is not in a known format: 2026-09-14, 2026-09-14 10:02:11, 14/09/2026."),
    (
        "CC509",
        "duplicate-respondent",
        "error",
        "A respondent answers twice in one audit: twice in the CSV, or already in the audits folder.",
    ),
    ("CC510", "unknown-role", "warning", "A role is not one carecheck knows; the respondent is imported as other."),
    ("CC511", "ignored-column", "warning", "A column of survey metadata (email, start time, ...) is ignored."),
    (
        "CC512",
        "dates-month-first",
        "warning",
        "Dates with slashes are read as month/day/year, as day-first cannot fit.",
    ),
    ("CC513", "already-imported", "warning", "A row is in the audits folder already, with the same answers: skipped."),
):
    _register(_code, _name, cast(Severity, _severity), "import", _summary)

_STRUCTURAL = {"CC001", "CC002", "CC003", "CC004"}


def exit_class(code: str) -> int:
    """2 for a file that could not be read at all, 1 for everything else."""
    return 2 if code in _STRUCTURAL else 1


# ---------------------------------------------------------------------------------------------------
# Checklists


@dataclass
class ChecklistContext:
    """What a checklist rule sees: the file as written and the resolved checklist."""

    doc: Document
    resolved: ResolvedChecklist

    @property
    def raw(self) -> Checklist:
        return self.resolved.raw

    @property
    def checklist(self) -> Checklist:
        return self.resolved.checklist

    def declared_questions(self) -> Iterator[tuple[tuple[str | int, ...], Question]]:
        for i, section in enumerate(self.raw.sections):
            for j, question in enumerate(section.questions):
                yield ("sections", i, "questions", j), question

    def final(self, question: Question) -> Question:
        """The question as resolved (overrides applied)."""
        return self.checklist.questions.get(question.id, question)


@rule("CC101", "duplicate-id", "checklist")
def duplicate_id(ctx: ChecklistContext) -> Iterator[Hit]:
    """An id is used twice: section and question ids must be unique across the resolved checklist."""
    parent = ctx.resolved.parent.checklist if ctx.resolved.parent else None
    parent_sections = {s.id for s in parent.sections} if parent else set()
    parent_ids = parent_sections | set(parent.questions) if parent else set()
    seen: dict[str, tuple[str | int, ...]] = {}

    def duplicate(item_id: str) -> str:
        """The message, saying where the first use is (here, or in the parent) so it can be found."""
        if item_id in seen:
            first = ctx.doc.locate((*seen[item_id], "id"))
            return f"duplicate id '{item_id}' (first at line {first.line}, column {first.col})"
        origin = ctx.resolved.parent.origins.get(item_id) if ctx.resolved.parent else None
        if origin is None or parent is None:
            return f"duplicate id '{item_id}' (already in the parent checklist)"
        first = origin.doc.locate((*origin.loc, "id"))
        return f"duplicate id '{item_id}' (already in '{parent.id}', {origin.doc.path}:{first.line}:{first.col})"

    for i, section in enumerate(ctx.raw.sections):
        merging = section.id in parent_sections
        if section.id in seen or (section.id in parent_ids and not merging):
            yield Hit(duplicate(section.id), ("sections", i, "id"))
        seen.setdefault(section.id, ("sections", i))
        for j, question in enumerate(section.questions):
            if question.id in seen or question.id in parent_ids:
                yield Hit(duplicate(question.id), ("sections", i, "questions", j, "id"))
            seen.setdefault(question.id, ("sections", i, "questions", j))


@rule("CC102", "unknown-answer-set", "checklist")
def unknown_answer_set(ctx: ChecklistContext) -> Iterator[Hit]:
    """A question's `answers` names an answer set that is neither built in nor declared."""
    known = set(BUILTIN_ANSWER_SETS) | set(ctx.checklist.answer_sets)
    for loc, q in ctx.declared_questions():
        if isinstance(q.answers, str) and q.answers not in known:
            yield Hit(f"unknown answer set '{q.answers}'; known: {', '.join(sorted(known))}", (*loc, "answers"))


@rule("CC103", "when-unknown-question", "checklist")
def when_unknown_question(ctx: ChecklistContext) -> Iterator[Hit]:
    """`when` names a question that does not exist or is not asked before this one."""
    order = {qid: n for n, qid in enumerate(ctx.checklist.questions)}
    for loc, q in ctx.declared_questions():
        if q.when is None:
            continue
        ref = q.when.question
        if ref not in order:
            yield Hit(f"`when` names an unknown question '{ref}'", (*loc, "when", "question"))
        elif order[ref] >= order.get(q.id, math.inf):
            yield Hit(f"`when` names '{ref}', which is not asked before '{q.id}'", (*loc, "when", "question"))
    declared = {q.id for _, q in ctx.declared_questions()}
    for q in ctx.checklist.questions.values():
        if q.id not in declared and q.when is not None and q.when.question not in order:
            yield Hit(f"excluding '{q.when.question}' leaves '{q.id}' (asked only after it) never asked", ("exclude",))


@rule("CC104", "bands-without-zero", "checklist")
def bands_without_zero(ctx: ChecklistContext) -> Iterator[Hit]:
    """The rating bands do not cover a score of 0: the lowest band's `min` must be 0."""
    bands = ctx.raw.bands
    if bands is not None and (not bands or min(b.min for b in bands) > 0):
        yield Hit("no band starts at 0, so a low score would have no rating; add `{min: 0, label: ...}`", ("bands",))


@rule("CC105", "bands-duplicate-min", "checklist")
def bands_duplicate_min(ctx: ChecklistContext) -> Iterator[Hit]:
    """Two rating bands have the same `min`, so one of them can never be given."""
    counts = Counter(b.min for b in ctx.raw.bands or ())
    for i, band in enumerate(ctx.raw.bands or ()):
        if counts[band.min] > 1:
            yield Hit(f"another band also starts at {band.min:g}", ("bands", i, "min"))
            counts[band.min] = 0


@rule("CC106", "critical-cap-unknown", "checklist")
def critical_cap_unknown(ctx: ChecklistContext) -> Iterator[Hit]:
    """`critical_cap` names no rating band."""
    cap = ctx.raw.critical_cap
    labels = [b.label for b in ctx.checklist.bands or ()]
    if cap is not None and cap not in labels:
        yield Hit(f"critical_cap '{cap}' names no band; bands: {', '.join(labels)}", ("critical_cap",))


@rule("CC107", "weight-not-positive", "checklist")
def weight_not_positive(ctx: ChecklistContext) -> Iterator[Hit]:
    """A weight is zero or negative, or above 1000; leave an item out (or exclude it) instead of zero."""
    weights: list[tuple[str, float, tuple[str | int, ...]]] = [
        ("section", section.weight, ("sections", i, "weight")) for i, section in enumerate(ctx.raw.sections)
    ]
    weights += [("question", q.weight, (*loc, "weight")) for loc, q in ctx.declared_questions()]
    weights += [
        ("override", c.weight, ("override", target, "weight"))
        for target, c in ctx.raw.override.items()
        if c.weight is not None
    ]
    for what, weight, loc in weights:
        if not 0 < weight <= MAX_WEIGHT:
            yield Hit(f"{what} weight must be more than 0 and at most {MAX_WEIGHT}, not {weight:g}", loc)


@rule("CC120", "no-questions", "checklist")
def no_questions(ctx: ChecklistContext) -> Iterator[Hit]:
    """The checklist (after tailoring) has no questions at all, so nothing could be scored."""
    if not ctx.checklist.questions:
        yield Hit("the checklist has no questions", ("sections",) if ctx.raw.sections else ())


@rule("CC108", "good-equals-poor", "checklist")
def good_equals_poor(ctx: ChecklistContext) -> Iterator[Hit]:
    """A number answer has the same `good` and `poor` mark, so it cannot be scored."""
    for loc, q in ctx.declared_questions():
        if isinstance(q.answers, NumberAnswer) and q.answers.good == q.answers.poor:
            yield Hit(f"good and poor are both {q.answers.good:g}", (*loc, "answers", "good"))


@rule("CC109", "option-score-range", "checklist")
def option_score_range(ctx: ChecklistContext) -> Iterator[Hit]:
    """An answer option's score is outside 0..1."""
    for name, options in ctx.raw.answer_sets.items():
        for i, option in enumerate(options):
            if not 0 <= option.score <= 1:
                yield Hit(f"score must be between 0 and 1, not {option.score:g}", ("answer_sets", name, i, "score"))


@rule("CC110", "empty-section", "checklist")
def empty_section(ctx: ChecklistContext) -> Iterator[Hit]:
    """A section has no questions (after tailoring)."""
    declared = {s.id: i for i, s in enumerate(ctx.raw.sections)}
    for section in ctx.checklist.sections:
        if not section.questions:
            loc: tuple[str | int, ...] = ("sections", declared[section.id]) if section.id in declared else ("exclude",)
            yield Hit(f"section '{section.id}' has no questions", loc)


@rule("CC111", "unreachable-question", "checklist")
def unreachable_question(ctx: ChecklistContext) -> Iterator[Hit]:
    """A question's `when` can never be true, so it would never be asked."""
    for loc, q in ctx.declared_questions():
        if q.when is None or q.when.question not in ctx.checklist.questions:
            continue
        ref = ctx.checklist.questions[q.when.question]
        options = ctx.checklist.options(ref)
        if options is None:
            if isinstance(ref.answers, str):
                continue  # unknown answer set: CC102 says so
            yield Hit(
                f"`when` can only test a question with options; '{ref.id}' is answered with a {ref.answers.type}",
                (*loc, "when", "question"),
            )
            continue
        possible = {o.value for o in options} | {UNKNOWN} | ({NA} if ref.allow_na else set())
        if not set(q.when.values) & possible:
            wanted = ", ".join(q.when.values)
            choices = ", ".join(o.value for o in options)
            yield Hit(f"'{ref.id}' can never be {wanted}; its answers are {choices}", (*loc, "when", "is"))


@rule("CC112", "missing-recommendation", "checklist", severity="warning")
def missing_recommendation(ctx: ChecklistContext) -> Iterator[Hit]:
    """A scored question has no `recommendation`, so the action plan cannot say what to do."""
    for loc, q in ctx.declared_questions():
        final = ctx.final(q)
        if final.recommendation is None and getattr(final.answers, "type", None) != "text":
            yield Hit(f"question '{q.id}' has no recommendation", (*loc, "id"))


@rule("CC113", "builtin-set-redeclared", "checklist")
def builtin_set_redeclared(ctx: ChecklistContext) -> Iterator[Hit]:
    """An answer set redeclares a built-in name (yes-no, yes-partial-no, maturity)."""
    for name in ctx.raw.answer_sets:
        if name in BUILTIN_ANSWER_SETS:
            yield Hit(f"'{name}' is a built-in answer set; give yours another name", ("answer_sets", name), key=True)


@rule("CC114", "duplicate-option-value", "checklist")
def duplicate_option_value(ctx: ChecklistContext) -> Iterator[Hit]:
    """Two options of one answer set have the same value (or the reserved value na/unknown)."""
    for name, options in ctx.raw.answer_sets.items():
        seen: set[str] = set()
        for i, option in enumerate(options):
            if option.value in seen or option.value in (NA, UNKNOWN):
                yield Hit(
                    f"option value '{option.value}' is repeated or reserved",
                    ("answer_sets", name, i, "value"),
                )
            seen.add(option.value)


@rule("CC119", "target-range", "checklist")
def target_range(ctx: ChecklistContext) -> Iterator[Hit]:
    """A `target` is outside 0..100 (targets are scores in percent)."""
    for i, section in enumerate(ctx.raw.sections):
        if section.target is not None and not 0 <= section.target <= 100:
            yield Hit(f"target must be between 0 and 100, not {section.target:g}", ("sections", i, "target"))
    for loc, q in ctx.declared_questions():
        if q.target is not None and not 0 <= q.target <= 100:
            yield Hit(f"target must be between 0 and 100, not {q.target:g}", (*loc, "target"))


# ---------------------------------------------------------------------------------------------------
# Answer files


@dataclass
class AnswersContext:
    doc: Document
    answers: AnswerFile
    resolved: ResolvedChecklist | None
    missing_reason: str = ""


@rule("CC201", "answers-checklist-not-found", "answers")
def answers_checklist_not_found(ctx: AnswersContext) -> Iterator[Hit]:
    """The checklist an answer file was given for cannot be found."""
    if ctx.resolved is None:
        yield Hit(ctx.missing_reason or f"checklist '{ctx.answers.checklist.id}' not found", ("checklist", "id"))


@rule("CC202", "unknown-question", "answers", severity="warning")
def unknown_question(ctx: AnswersContext) -> Iterator[Hit]:
    """An answer names a question the checklist does not have (removed since?); it is not scored."""
    if ctx.resolved is None:
        return
    questions = ctx.resolved.checklist.questions
    for qid in ctx.answers.answers:
        if qid not in questions:
            close = difflib.get_close_matches(qid, list(questions), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else "; it is not scored"
            yield Hit(
                f"no question '{qid}' in checklist '{ctx.resolved.checklist.id}'{hint}", ("answers", qid), key=True
            )


@rule("CC203", "invalid-answer", "answers")
def invalid_answer(ctx: AnswersContext) -> Iterator[Hit]:
    """An answer's value is not one the question accepts."""
    if ctx.resolved is None:
        return
    checklist = ctx.resolved.checklist
    for qid, answer in ctx.answers.answers.items():
        question = checklist.questions.get(qid)
        if question is None or answer.value is None:
            continue
        problem = answer_problem(checklist, question, answer.value)
        if problem:
            yield Hit(problem, ("answers", qid, "value"))


@rule("CC204", "checklist-changed", "answers", severity="warning")
def checklist_changed(ctx: AnswersContext) -> Iterator[Hit]:
    """The checklist changed since the answers were given (its recorded sha256 differs)."""
    recorded = ctx.answers.checklist.sha256
    if ctx.resolved is not None and recorded and recorded != ctx.resolved.checklist.sha256:
        yield Hit(
            f"checklist '{ctx.resolved.checklist.id}' changed since these answers were given",
            ("checklist", "sha256"),
        )


@rule("CC205", "question-reworded", "answers", severity="warning")
def question_reworded(ctx: AnswersContext) -> Iterator[Hit]:
    """A question was reworded since it was answered; the answer may no longer fit."""
    if ctx.resolved is None:
        return
    for qid, answer in ctx.answers.answers.items():
        question = ctx.resolved.checklist.questions.get(qid)
        if question is not None and answer.asked and answer.asked != question.text_hash:
            yield Hit(f"question '{qid}' was reworded since it was answered", ("answers", qid))


# ---------------------------------------------------------------------------------------------------
# Plans (waivers and action owners)


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
    """A waiver's `expires` date has passed: renew it with a new date (and reason) or close the gap."""
    for i, waiver in enumerate(ctx.plan.waivers):
        if not waiver.active(ctx.today):
            yield Hit(
                f"the waiver of '{waiver.question}' (owner {waiver.owner}) expired on {waiver.expires.isoformat()}",
                ("waivers", i, "expires"),
            )


@rule("CC302", "plan-checklist-not-found", "plan")
def plan_checklist_not_found(ctx: PlanContext) -> Iterator[Hit]:
    """The checklist a plan names cannot be found (or has errors), so its question ids cannot be checked."""
    if ctx.plan.checklist is not None and ctx.resolved is None:
        yield Hit(ctx.missing_reason or f"checklist '{ctx.plan.checklist}' not found", ("checklist",))


@rule("CC303", "plan-unknown-question", "plan")
def plan_unknown_question(ctx: PlanContext) -> Iterator[Hit]:
    """A waiver or action names a question that the plan's checklist does not have."""
    if ctx.resolved is None:
        return
    checklist = ctx.resolved.checklist
    for part in ("waivers", "actions"):
        for i, item in enumerate(getattr(ctx.plan, part)):
            if item.question not in checklist.questions:
                yield Hit(f"no question '{item.question}' in checklist '{checklist.id}'", (part, i, "question"))


@rule("CC304", "plan-duplicate-question", "plan")
def plan_duplicate_question(ctx: PlanContext) -> Iterator[Hit]:
    """A question has two waivers, or two actions: say it once so it is clear which holds."""
    for part in ("waivers", "actions"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(ctx.plan, part)):
            if item.question in seen:
                yield Hit(f"'{item.question}' is listed twice in {part}", (part, i, "question"))
            seen.add(item.question)


# ---------------------------------------------------------------------------------------------------
# Configuration files


@dataclass
class ConfigContext:
    """What a config rule sees: the config and whether its default checklist can be found."""

    doc: Document
    config: Config
    checklist_found: bool = True

    def path(self, value: str) -> Path:
        """A path of the config, relative to the config file's folder."""
        return self.doc.path.parent / value


@rule("CC401", "config-path-missing", "config")
def config_path_missing(ctx: ConfigContext) -> Iterator[Hit]:
    """A folder or file the configuration names does not exist (paths are relative to the config file)."""
    cfg = ctx.config
    wanted: list[tuple[tuple[str | int, ...], str | None, bool]] = [
        *((("checklists", i), folder, True) for i, folder in enumerate(cfg.checklists)),
        (("templates",), cfg.templates, True),
        (("branding", "logo"), cfg.branding.logo, False),
        (("plan",), cfg.plan, False),
    ]
    for loc, value, folder in wanted:
        if value is None:
            continue
        target = ctx.path(value)
        if not (target.is_dir() if folder else target.is_file()):
            kind = "folder" if folder else "file"
            where = f" (looked for {target})" if Path(value) != target else ""
            yield Hit(f"no {kind} '{value}'{where}", loc)


@rule("CC402", "config-checklist-not-found", "config")
def config_checklist_not_found(ctx: ConfigContext) -> Iterator[Hit]:
    """The default `checklist` of the configuration cannot be found in its checklist folders or the built-ins."""
    if ctx.config.checklist is not None and not ctx.checklist_found:
        yield Hit(f"no checklist '{ctx.config.checklist}' in the configured folders or the built-ins", ("checklist",))


Context = ChecklistContext | AnswersContext | PlanContext | ConfigContext


def run_rules(kind: Literal["checklist", "answers", "plan", "config"], ctx: Context) -> list[Finding]:
    """Every finding of the rules that apply to `kind`."""
    findings = []
    for r in RULES.values():
        if r.applies_to != kind or r.check is None:
            continue
        for hit in r.check(ctx):
            position: Position = ctx.doc.locate(hit.loc, key=hit.key)
            findings.append(Finding(str(ctx.doc.path), position, r.code, hit.message, r.severity))
    return findings


# ---------------------------------------------------------------------------------------------------
# The report's gates (`report --fail-under`, `--fail-on critical`): checked by gates.py, documented here.

for _code, _name, _summary, _details in (
    (
        "CC601",
        "overall-under-threshold",
        "The overall score, rounded to one decimal, is under `--fail-under SCORE`.",
        """The overall score, rounded to one decimal as the report shows it, is under the score that
        `report --fail-under SCORE` (or `gates: {fail_under: SCORE}` in carecheck.yaml) asks for, or
        nothing is scored at all. Raise the score with the report's action plan, highest priority first.""",
    ),
    (
        "CC602",
        "section-under-threshold",
        "A section's score, rounded to one decimal, is under its `--fail-under SECTION=SCORE`.",
        """A section's score, rounded to one decimal as the report shows it, is under the score that
        `report --fail-under SECTION=SCORE` (or `gates: {fail_under: {SECTION: SCORE}}`) asks for, or
        nothing in the section is scored. The finding points at the section in the checklist.""",
    ),
    (
        "CC603",
        "critical-below-50",
        "A critical question scores below 50 (`--fail-on critical`).",
        """A question marked `critical: true` scores below 50 (its score rounded to one decimal; with
        several respondents, their mean), and `report --fail-on critical` is on. A waiver in the plan
        (`--plan`) accepts the gap until it expires: the question is still scored and shown as
        accepted, and the gate passes with a note instead of failing.""",
    ),
    (
        "CC604",
        "critical-unanswered",
        "A critical question is not answered (`--fail-on critical`).",
        """A question marked `critical: true` was skipped or left unanswered by a respondent, and
        `report --fail-on critical` is on: the audit cannot show that the question is in hand. Answer
        it (`carecheck audit --resume FILE`), or accept the gap with a waiver in the plan.""",
    ),
):
    _register(_code, _name, "error", "report", _summary, details=_details)
