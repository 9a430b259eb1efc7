"""Typed models: the single source of truth for the checklist, answer, plan and config formats.

The JSON Schema that editors use is exported from these classes. Everything is
frozen once validated; sequences are tuples. Semantic checks (weights > 0,
scores in 0..1, ...) are lint rules in rules.py, so they carry stable codes; the
schema still tells editors about them through `json_schema_extra`.

The loader (source.py) hands text fields scalars as written, so `version: 3.10`
and `value: 2` are valid text; the schema of `Text` and `Id` says so too, so an
editor accepts exactly what carecheck accepts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import Self

from carecheck.format.reader import as_written

KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Role = Literal["leadership", "management", "front-line", "back-office", "other"]
"""carecheck's fixed roles."""
ROLES: tuple[str, ...] = get_args(Role)
ROLE_LABELS = {
    "leadership": "Leadership (owners, directors)",
    "management": "Management",
    "front-line": "Front line (serving customers)",
    "back-office": "Back office",
    "other": "Other",
}
"""Each role as a respondent is asked it: the interview, the offline form and the survey template."""
EFFORT_COST = {"low": 1, "medium": 2, "high": 3}
NA = "na"
UNKNOWN = "unknown"

# A plain scalar is text as written: `3.10`, `2` and `true` are read as the text the author typed.
SCALAR_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean"]}
Text = Annotated[str, BeforeValidator(as_written), WithJsonSchema(SCALAR_SCHEMA)]
Id = Annotated[
    str,
    BeforeValidator(as_written),
    StringConstraints(pattern=KEBAB),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": KEBAB}, {"type": "integer", "minimum": 0}]}),
]


def _no_nul(value: str) -> str:
    if "\0" in value:
        raise ValueError("a path may not hold a NUL character")
    return value


Path_ = Annotated[Text, AfterValidator(_no_nul)]
"""A file or folder name as written (in the config file): text with no NUL, which no file system allows."""

EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def _plausible(value: datetime) -> datetime:
    # year 1 or 9999 with an offset overflows when converted to UTC: no audit is that old or that far away
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}, not {value.isoformat()}")
    return value


Timestamp = Annotated[datetime, AfterValidator(_plausible)]
"""When something happened (an answer file's `started`, `completed` and answers' `at`), within plausible years."""

Weight = Annotated[float, Field(json_schema_extra={"exclusiveMinimum": 0})]
Percent = Annotated[float, Field(json_schema_extra={"minimum": 0, "maximum": 100})]


class Model(BaseModel):
    # no NaN or Infinity anywhere (`weight: nan`): no score could be computed from them, and JSON cannot hold them
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True, allow_inf_nan=False)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with changes; values cached from the original (`questions`, `sha256`) are dropped."""
        copy = super().model_copy(update=update, deep=deep)
        for name, attr in vars(type(self)).items():
            if isinstance(attr, cached_property):
                copy.__dict__.pop(name, None)
        return copy


class Option(Model):
    """One choice of an answer set."""

    value: Text = Field(description="What is stored in the answer file; compared by its text.")
    label: Text = Field(description="What the person answering sees.")
    score: Annotated[float, Field(json_schema_extra={"minimum": 0, "maximum": 1})] = Field(
        description="0 (worst) to 1 (best)."
    )


def _option(value: str, label: str, score: float) -> Option:
    # constructed, not validated: validating here would build Option's schema at import (start-up time)
    return Option.model_construct(value=value, label=label, score=float(score))


BUILTIN_ANSWER_SETS: dict[str, tuple[Option, ...]] = {
    "yes-no": (_option("yes", "Yes", 1), _option("no", "No", 0)),
    "yes-partial-no": (_option("yes", "Yes", 1), _option("partial", "Partly", 0.5), _option("no", "No", 0)),
    "maturity": (
        _option("0", "Not in place", 0),
        _option("1", "Ad hoc", 0.25),
        _option("2", "Defined", 0.5),
        _option("3", "Systematic and measured", 0.75),
        _option("4", "Reviewed and improved", 1),
    ),
}


class NumberAnswer(Model):
    """A measured figure: score 1 at or beyond `good`, 0 at or beyond `poor`, linear between."""

    type: Literal["number"]
    unit: Text = ""
    good: float
    poor: float
    min: float | None = Field(None, description="Smallest value accepted at input.")
    max: float | None = Field(None, description="Largest value accepted at input.")

    def score(self, value: float) -> float:
        """The 0..1 score of a measured value."""
        if self.good == self.poor:
            return 1.0 if value == self.good else 0.0
        return min(1.0, max(0.0, (value - self.poor) / (self.good - self.poor)))


class TextAnswer(Model):
    """Free text evidence: never scored."""

    type: Literal["text"]


AnswerSpec = (
    Annotated[str, BeforeValidator(as_written), Field(description="A built-in or declared answer set.")]
    | Annotated[NumberAnswer | TextAnswer, Field(discriminator="type")]
)


class When(Model):
    """Ask a question only when an earlier question has one of the given answers."""

    question: Id
    is_: Text | tuple[Text, ...] = Field(alias="is")

    @property
    def values(self) -> tuple[str, ...]:
        return (self.is_,) if isinstance(self.is_, str) else self.is_


def _recommendation(value: Any) -> Any:
    """Option values are keys as written: `2: ...` names the option "2"."""
    if isinstance(value, Mapping):
        return {as_written(k): v for k, v in value.items()}
    return value


class Recommendation(Model):
    """A recommendation that varies with the answer: `default`, optional `unknown` and option values."""

    model_config = ConfigDict(extra="allow")
    default: Text = Field(description="The first step for any answer without its own entry.")
    unknown: Text | None = Field(None, description='The first step when the answer is "don\'t know".')
    __pydantic_extra__: dict[str, Text] = Field(init=False)

    def for_answer(self, value: str | None) -> str:
        """The entry that fits an answer (an option value or `unknown`), else `default`."""
        if value == UNKNOWN and self.unknown is not None:
            return self.unknown
        extra = self.model_extra or {}
        return extra.get(value, self.default) if value is not None else self.default

    @property
    def options(self) -> dict[str, str]:
        """The per-option entries, by option value."""
        return dict(self.model_extra or {})


RecommendationSpec = Text | Annotated[Recommendation, BeforeValidator(_recommendation)]


class Threshold(Model):
    """The `if:` of a check: a question answered at least an option (or number), or one of some values."""

    question: Id
    at_least: Text | None = Field(None, description="An option value (or a number): this answer or better.")
    is_: Text | tuple[Text, ...] | None = Field(None, alias="is", description="One of these answers.")

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        if (self.at_least is None) == (self.is_ is None):
            raise ValueError("give exactly one of `at_least` and `is`")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        return () if self.is_ is None else (self.is_,) if isinstance(self.is_, str) else self.is_


class Requirement(Model):
    """The `then:` of a check: a question answered (not unknown), or answered at least an option or number."""

    question: Id
    answered: Literal[True] | None = Field(None, description="true: answered, not `unknown`.")
    at_least: Text | None = Field(None, description="An option value (or a number): this answer or better.")

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        if (self.answered is None) == (self.at_least is None):
            raise ValueError("give exactly one of `answered: true` and `at_least`")
        return self


class Check(Model):
    """A consistency rule: if one answer claims something, another answer must back it up."""

    id: Id
    if_: Threshold = Field(alias="if")
    then: Requirement
    says: Text = Field(description="What a broken check means, shown in reports as a claim to check.")


class Question(Model):
    id: Id
    text: Text
    help: Text | None = None
    answers: AnswerSpec
    weight: Weight = 1.0
    critical: bool = False
    effort: Literal["low", "medium", "high"] = "medium"
    target: Percent | None = None
    recommendation: RecommendationSpec | None = None
    refs: tuple[Text, ...] = ()
    when: When | None = None
    allow_na: bool = True
    measures: Literal["practice", "result"] = Field(
        "practice", description="`result`: a measured outcome, scored in the results score; else a practice."
    )
    roles: tuple[Role, ...] | None = Field(None, description="Who is asked (default: the section's, else everyone).")
    evidence: Literal["required"] | None = Field(
        None, description="`required`: a top-two answer asks for a note saying what shows it."
    )

    @cached_property
    def text_hash(self) -> str:
        """A short hash of the wording, kept with each answer so rewording is detectable."""
        return hashlib.sha256(self.text.encode()).hexdigest()[:8]


class Section(Model):
    id: Id
    title: Text
    description: Text | None = None
    weight: Weight = 1.0
    target: Percent | None = None
    roles: tuple[Role, ...] | None = Field(None, description="Who is asked its questions (default: everyone).")
    questions: tuple[Question, ...] = ()


class Band(Model):
    min: float
    label: Text


DEFAULT_BANDS = tuple(  # constructed, as the built-in options are
    Band.model_construct(min=float(low), label=label)
    for low, label in ((80, "Leading"), (60, "Established"), (40, "Developing"), (0, "Reactive"))
)


class Override(Model):
    """Fields a tailored checklist may change on a section or question of its parent."""

    title: Text | None = None
    text: Text | None = None
    help: Text | None = None
    weight: Weight | None = None
    critical: bool | None = None
    effort: Literal["low", "medium", "high"] | None = None
    target: Percent | None = None
    recommendation: RecommendationSpec | None = None


SECTION_OVERRIDES = frozenset({"title", "weight", "target"})


class Checklist(Model):
    """A checklist as written (tailoring unresolved) or resolved (extends is None)."""

    carecheck: Literal[1] = Field(description="Format version of the checklist file.")
    id: Id
    title: Text
    version: Text
    description: Text | None = None
    extends: Text | None = Field(None, description="Id or relative path of the checklist this one tailors.")
    exclude: tuple[Id, ...] = ()
    override: dict[Text, Override] = {}
    answer_sets: dict[Text, tuple[Option, ...]] = {}
    bands: tuple[Band, ...] | None = None
    critical_cap: Text | None = None
    critical_below: Percent = Field(50, description="A critical question scoring below this caps the rating.")
    checks: tuple[Check, ...] = Field((), description="Consistency rules; broken ones are listed as claims to check.")
    sections: tuple[Section, ...] = ()

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in checklist order."""
        return {q.id: q for s in self.sections for q in s.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    def options(self, question: Question) -> tuple[Option, ...] | None:
        """The options of an answer-set question; None for number/text or an unknown set."""
        if not isinstance(question.answers, str):
            return None
        return self.answer_sets.get(question.answers) or BUILTIN_ANSWER_SETS.get(question.answers)

    @cached_property
    def canonical_json(self) -> str:
        """The canonical JSON of this checklist: what its sha256 is of, and what an audit's stored copy holds."""
        return json.dumps(
            self.model_dump(mode="json", by_alias=True),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        )

    @cached_property
    def sha256(self) -> str:
        """The sha256 of the canonical JSON of this checklist (recorded in answer files)."""
        return hashlib.sha256(self.canonical_json.encode()).hexdigest()


class Respondent(Model):
    name: Text = ""
    role: Text = Field("other", description="One of " + ", ".join(ROLES) + " (others are allowed).")


class Amendment(Model):
    """An answer as it stood before an amendment of a completed audit: its value, note and time."""

    value: Text | None = None
    note: Text | None = None
    at: datetime | None = None


class Unconfirmed(Model):
    """What was being typed when the audit stopped (Ctrl-C, SIGTERM, SIGHUP) and never confirmed with Enter."""

    value: Text | None = Field(default=None, description="A number or text answer being typed; not scored.")
    note: Text | None = Field(
        default=None, description="A note being typed; the entry's `note` is the last confirmed one."
    )


class Answer(Model):
    """One answer: a value (an option value, a number, text, `na` or `unknown`), a note, when."""

    value: Text | None = None
    note: Text | None = None
    at: Timestamp | None = None
    skipped: bool = False
    asked: Text | None = Field(None, description="Short hash of the question text that was answered.")
    amended: tuple[Amendment, ...] = Field(
        default=(),
        description="The earlier answers this one replaced when the completed audit was amended, oldest first.",
    )
    unconfirmed: Unconfirmed | None = Field(
        default=None,
        description="Typed when the audit was stopped, never confirmed: not scored; `carecheck audit --resume` "
        "offers it back to confirm or change.",
    )

    @model_validator(mode="before")
    @classmethod
    def _scalar_is_value(cls, data: Any) -> Any:
        # `question-id: yes` is shorthand for `question-id: {value: yes}` in hand-written files.
        if data is None or isinstance(data, (str, int, float)):
            return {"value": data}
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # the shorthand above, for editors: an answer is a mapping or a bare value
        mapping = handler(core_schema)
        return {"anyOf": [mapping, {"type": ["string", "number", "boolean", "null"]}]}


class ChecklistRef(Model):
    id: Id
    version: Text | None = None
    sha256: Text | None = None


class AnswerFile(Model):
    """One respondent's answers to one checklist, in one audit."""

    carecheck_answers: Literal[1] = Field(alias="carecheck-answers")
    checklist: ChecklistRef
    organisation: Text
    audit: Text | None = Field(None, description="Audit period label, e.g. 2026-Q3.")
    respondent: Respondent = Respondent.model_construct(name="", role="other")  # not validated at import
    questions: tuple[Id, ...] | None = Field(
        None,
        description=(
            "The questions this respondent was asked, when not all of the checklist's (a short survey, "
            "a role-targeted audit): the others are not asked (absent, never unanswered or unknown). "
            "Absent: every question is asked."
        ),
    )
    started: Timestamp | None = None
    completed: Timestamp | None = None
    answers: dict[Text, Answer] = {}


# ---------------------------------------------------------------------------------------------------
# Plans: accepted gaps (waivers) and who acts on what, by when


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic would read `expires: 0` as 1970-01-01."""
    if isinstance(value, date):
        return value
    text = as_written(value)
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD")
    return date.fromisoformat(text)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]


class Waiver(Model):
    """An accepted gap: the question is still scored, shown as accepted, and not failed by `--fail-on critical`."""

    question: Id = Field(description="The id of the question whose gap is accepted.")
    reason: Text = Field(description="Why the gap is accepted.")
    owner: Text = Field(description="Who accepted it and reviews it.")
    expires: IsoDate = Field(description="The last day the waiver holds (YYYY-MM-DD); after it, validate fails.")

    def active(self, today: date) -> bool:
        """True up to and including the expiry day."""
        return today <= self.expires


class Action(Model):
    """Who carries out the recommended action of a question, and by when."""

    question: Id = Field(description="The id of the question whose action this is.")
    owner: Text = Field(description="Who is responsible.")
    due: IsoDate | None = Field(None, description="When it is due (YYYY-MM-DD).")
    note: Text | None = None


class Plan(Model):
    """A plan file: waivers and action owners, applied by `report` to the audits it scores."""

    carecheck_plan: Literal[1] = Field(alias="carecheck-plan", description="Format version of the plan file.")
    checklist: Text | None = Field(None, description="Checklist id or path; question ids are checked against it.")
    organisation: Text | None = None
    waivers: tuple[Waiver, ...] = ()
    actions: tuple[Action, ...] = ()

    def waiver(self, question: str, today: date) -> Waiver | None:
        """The waiver of a question that holds on `today`, if any."""
        return next((w for w in self.waivers if w.question == question and w.active(today)), None)

    def action(self, question: str) -> Action | None:
        """The owner and due date of a question's action, if any."""
        return next((a for a in self.actions if a.question == question), None)


# ---------------------------------------------------------------------------------------------------
# The configuration file (carecheck.yaml); config.py turns it into settings

Score = Annotated[float, Field(ge=0, le=100)]
_SCORE_SCHEMA = {"type": "number", "minimum": 0, "maximum": 100}


def _overall(value: Any) -> Any:
    """`fail_under: 60` is short for `fail_under: {overall: 60}`."""
    return {"overall": value} if isinstance(value, (int, float)) and not isinstance(value, bool) else value


FailUnder = Annotated[
    dict[Text, Score],
    BeforeValidator(_overall),
    WithJsonSchema({"anyOf": [_SCORE_SCHEMA, {"type": "object", "additionalProperties": _SCORE_SCHEMA}]}),
]


class Branding(Model):
    """How reports present the organisation (or consultancy) that issues them."""

    name: Text | None = Field(None, description="The name shown on reports.")
    logo: Path_ | None = Field(None, description="An image file (PNG, JPEG or SVG), relative to the config file.")
    accent: Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")] | None = Field(
        None, description='The accent colour, "#rrggbb" (quoted: # starts a YAML comment).'
    )


class Gates(Model):
    """Defaults for `report --fail-under` and `--fail-on` (exit 1 when a gate fails)."""

    fail_under: FailUnder | None = Field(
        None,
        description="A minimum overall score, or a mapping of `overall` and section ids to minimum scores.",
    )
    fail_on: Literal["critical"] | None = Field(None, description="`critical`: fail when a critical question fails.")


ROLE_LABELS_DESCRIPTION = (
    "Survey role labels (case and spacing ignored) mapped onto carecheck's roles: " + ", ".join(ROLES) + "."
)


class RoleMap(Model):
    """A role map (`import --role-map FILE`): a survey's role labels onto carecheck's fixed roles."""

    carecheck_roles: Literal[1] = Field(alias="carecheck-roles", description="Format version of the role map.")
    roles: dict[Text, Role] = Field(description=ROLE_LABELS_DESCRIPTION)


class Config(Model):
    """The configuration file: defaults for every command, below the command line and CARECHECK_* variables."""

    carecheck_config: Literal[1] = Field(alias="carecheck-config", description="Format version of the config file.")
    audits: Path_ | None = Field(None, description="The folder of answer files (default: audits).")
    templates: Path_ | None = Field(None, description="A folder of report templates that override the built-ins.")
    checklist: Path_ | None = Field(None, description="The default checklist: an id or a path.")
    checklists: tuple[Path_, ...] = Field(
        (), description="Folders searched for checklists, before ./checklists and the built-ins."
    )
    plan: Path_ | None = Field(None, description="The plan file (waivers and action owners), `carecheck-plan: 1`.")
    branding: Branding = Branding.model_construct(name=None, logo=None, accent=None)
    gates: Gates = Gates.model_construct(fail_under=None, fail_on=None)
    lint: dict[Text, Literal["off", "error", "warning"]] = Field(
        default_factory=dict,
        description="Rules switched off or re-levelled for `validate`: a rule's code or name to off, error or warning.",
    )
    roles: dict[Text, Role] = Field(
        default_factory=dict,
        description=ROLE_LABELS_DESCRIPTION + " The default of `import --role-map`.",
    )


KINDS: dict[str, type[Model]] = {
    "carecheck": Checklist,
    "carecheck-answers": AnswerFile,
    "carecheck-plan": Plan,
    "carecheck-config": Config,
    "carecheck-roles": RoleMap,
}
