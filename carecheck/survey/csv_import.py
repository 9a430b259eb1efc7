"""Survey import: a CSV export (one row per respondent) to answer files, all checked before any is written.

`parse_survey` is pure: bytes and a checklist in, one `AnswerFile` per row and the findings out.
`plan_import` looks at the audits folder (paths, and rows already imported), `write_import`
writes them all or none (fs.write_all, also under Ctrl-C and kill -9). `run_import` is the
command: nothing is written while any row has an error.

Columns are matched by question id or by the question's exact text (case, spacing and curly
quotes ignored); `<question-id> note` columns carry notes; name, role, organisation and date
columns are recognised under a few common spellings; columns of survey metadata (email, start
time, ...) are ignored with a warning. Cells take an option value or label (case ignored), a
number, text, `na` / `n/a` / `not applicable` or `unknown` / `don't know` / `not measured`.
Findings are reported as FILE:line:column (the CSV line where the row starts, 1-based column).
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from carecheck.audits.records import keep_checklist, stored_path
from carecheck.audits.store import default_answer_path
from carecheck.errors import CarecheckError, Finding, FindingsError, InputError, Position
from carecheck.format.answers import (
    answer_problem,
    asked_roles,
    asked_scope,
    audit_label,
    number_value,
    quarter_label,
    unanswered,
)
from carecheck.format.model import (
    NA,
    ROLES,
    UNKNOWN,
    AnswerFile,
    Checklist,
    ChecklistRef,
    NumberAnswer,
    Question,
    Respondent,
)
from carecheck.format.writer import answers_yaml
from carecheck.fs import decode_utf8, exists, is_dir, read_bounded, recover_batches, walk_yaml, write_all
from carecheck.lint.config import role_label_key
from carecheck.lint.rules import RULES
from carecheck.parallel import paced

if TYPE_CHECKING:
    from carecheck.catalog.loading import Catalog

MAX_BYTES = 64 * 1024 * 1024
"""The default cap on a CSV's size (`import --max-mb` raises it)."""
MAX_ROWS = 100_000
"""The default cap on respondents in one import (`import --max-rows` raises it): far beyond any survey
export, well within what a run checks in memory (every row is held until all are checked)."""
DELIMITERS = (",", ";", "\t")

# Respondent fields and the header spellings that name them (compared normalised).
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name", "respondent", "respondent name", "your name", "full name"),
    "role": ("role", "your role", "job role"),
    "organisation": ("organisation", "organization", "org", "company"),
    "date": ("date", "submitted", "submitted at", "submission date", "timestamp", "completion time", "completed"),
}
# Columns that survey tools add (Microsoft Forms, Google Forms, SurveyMonkey): ignored, with a warning.
METADATA = frozenset(
    {
        "id",
        "response id",
        "respondent id",
        "email",
        "email address",
        "start time",
        "start date",
        "end date",
        "last modified time",
        "ip address",
    }
)
NOTE_SUFFIXES = (" note", " notes")

NA_WORDS = frozenset({"na", "n/a", "n.a.", "not applicable"})
UNKNOWN_WORDS = frozenset(
    {"unknown", "don't know", "dont know", "do not know", "not known", "not measured", "don't know / not measured"}
)

ROLE_WORDS: dict[str, str] = {
    **{r: r for r in ROLES},
    "front line": "front-line",
    "frontline": "front-line",
    "back office": "back-office",
    "backoffice": "back-office",
    "leaders": "leadership",
    "leader": "leadership",
    "manager": "management",
    "managers": "management",
    # the labels `carecheck audit` shows
    "leadership (owners, directors)": "leadership",
    "front line (serving customers)": "front-line",
}

DAY_MONTH = re.compile(
    r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
YEAR_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
SEP_HINT = re.compile(r"^sep=([,;\t|])[ \t]*\r?(?:\n|$)", re.IGNORECASE)
DATE_FORMATS = "2026-09-14, 2026-09-14 10:02:11, 2026-09-14T10:02:11Z, 14/09/2026, 14/09/2026 10:02, 14.09.2026"

Kind = Literal["answer", "note", "name", "role", "organisation", "date", "ignored"]


# ---------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Column:
    """What one column of the CSV gives: an answer or note to a question, a respondent field, or nothing."""

    index: int  # 0-based
    header: str
    kind: Kind
    question: Question | None = None


@dataclass(frozen=True)
class SurveyRow:
    """One respondent's row, ready to be saved: its answer file and the asked questions it leaves open."""

    line: int
    answers: AnswerFile
    missing: tuple[str, ...]
    name_column: int  # 1-based, 0 when there is no name column
    path: str | None = None  # the answer file it came from (`carecheck collect`); None: a row of the CSV

    @property
    def where(self) -> str:
        """Where the row is, as messages name it: its CSV line, or its answer file."""
        return f"line {self.line}" if self.path is None else self.path


@dataclass
class Survey:
    """A parsed CSV export: the rows that are valid, and every finding (errors and warnings)."""

    path: str
    rows: list[SurveyRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def add(self, code: str, line: int, col: int, message: str, path: str | None = None) -> None:
        where = self.path if path is None else path
        self.findings.append(Finding(where, Position(line, col), code, message, RULES[code].severity))


class SurveyErrors(FindingsError):
    """A survey export with errors: every finding, then a line saying that nothing was written."""

    def __str__(self) -> str:
        errors = sum(1 for f in self.findings if f.severity == "error")
        return f"{super().__str__()}\n{errors} error{'s' * (errors != 1)} in {self.path}; nothing was imported."


@dataclass(frozen=True)
class Planned:
    """Where a row goes: a new file at `path`, or nothing because `existing` already holds it."""

    row: SurveyRow
    path: Path
    existing: bool = False


@dataclass(frozen=True)
class ImportRequest:
    """What `carecheck import` was asked to do (the command line, parsed)."""

    source: Path
    checklist: str
    folder: Path = Path("audits")
    organisation: str | None = None
    audit: str | None = None
    dry_run: bool = False
    role_map: Mapping[str, str] = field(default_factory=dict)
    """Survey role labels onto carecheck's roles (`--role-map FILE`, else `roles:` in carecheck.yaml)."""
    max_rows: int | None = None
    """Respondents at most (`--max-rows`); None: MAX_ROWS."""
    max_bytes: int | None = None
    """Bytes at most (`--max-mb`); None: MAX_BYTES."""
    jobs: int | None = None
    """Processes that read the answer files already in `folder` (`--jobs`); None: every core."""


@dataclass(frozen=True)
class ImportResult:
    """What an import created (or, in a dry run, would create), and the warnings met on the way."""

    request: ImportRequest
    checklist: Checklist
    planned: tuple[Planned, ...]
    warnings: tuple[Finding, ...]
    delimiter: str

    @property
    def created(self) -> list[Planned]:
        return [p for p in self.planned if not p.existing]

    @property
    def skipped(self) -> list[Planned]:
        return [p for p in self.planned if p.existing]


# ---------------------------------------------------------------------------------------------------
# Reading


def read_survey_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a CSV file; InputError (exit 2) when it cannot be read, is not a file or is too large."""
    try:
        return read_bounded(path, MAX_BYTES if max_bytes is None else max_bytes, "CSV file")
    except InputError as exc:
        if exc.code != "CC004":
            raise
        hint = "import the export in parts, or raise the cap with --max-mb"
        raise InputError(f"{exc.message}: {hint}", path=exc.path, code=exc.code) from None


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text, a BOM dropped; InputError (exit 2) naming the line, column and byte offset otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "the file is UTF-16 text; export or save it as CSV UTF-8", path=path, position=Position(1, 1), code="CC002"
        )
    return decode_utf8(
        raw, path, "not UTF-8 text: byte 0x{byte:02x} at offset {offset}; export or save the file as CSV UTF-8"
    )


def records(text: str, delimiter: str, path: str, max_rows: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """The CSV records of `text` with the line each starts on; InputError CC502 when the CSV is broken,
    CC004 past the header and `max_rows` respondents (default MAX_ROWS)."""
    cap = MAX_ROWS if max_rows is None else max_rows
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    for count in itertools.count():
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "end of data" in message:
                message = "a quoted value that starts on this row is never closed"
            raise InputError(
                f"not readable as CSV: {message}", path=path, position=Position(start, 1), code="CC502"
            ) from None
        if count > cap:  # past the header and `cap` respondents (a file of exactly `cap` is taken)
            raise InputError(
                f"more than {cap:,} rows: import the export in parts, or raise the cap with --max-rows",
                path=path,
                position=Position(start, 1),
                code="CC004",
            )
        yield start, row
        start = reader.line_num + 1


# ---------------------------------------------------------------------------------------------------
# Columns


def normal(text: str) -> str:
    """A header or cell for comparison: NFC, straight quotes, case folded, spacing collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().split())


READ_CELLS = 100_000
"""Cells `Headers.answer` remembers at most: free-text answers are seldom repeated."""


@dataclass
class Headers:
    """How the headers of a checklist's CSV are recognised."""

    checklist: Checklist
    role_map: Mapping[str, str] = field(default_factory=dict)
    """The survey's role labels onto carecheck's roles (role_of)."""
    questions: dict[str, Question] = field(init=False)
    fields: dict[str, str] = field(init=False)
    lookups: dict[str, dict[str, str] | None] = field(init=False)
    read: dict[tuple[str, str, bool], tuple[str | None, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Cells read before (`answer`): a survey's answers repeat (yes, no, 3) down each column."""

    def __post_init__(self) -> None:
        self.questions = {}
        for q in self.checklist.questions.values():
            self.questions.setdefault(normal(q.text), q)
        for q in self.checklist.questions.values():
            self.questions[q.id.casefold()] = q  # an id wins over a text that happens to equal it
        self.fields = {spelling: name for name, spellings in FIELDS.items() for spelling in spellings}
        self.lookups = {q.id: option_lookup(self.checklist, q) for q in self.checklist.questions.values()}

    def classify(self, index: int, header: str) -> Column | None:
        """The column a header names, or None when it names nothing known."""
        key = normal(header)
        if key in self.questions:
            return Column(index, header, "answer", self.questions[key])
        for suffix in NOTE_SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)].strip() in self.questions:
                return Column(index, header, "note", self.questions[key[: -len(suffix)].strip()])
        if key in self.fields:
            return Column(index, header, self.fields[key])  # type: ignore[arg-type]
        if key in METADATA:
            return Column(index, header, "ignored")
        return None

    def answer(self, question: Question, cell: str, decimal_comma: bool) -> tuple[str | None, str]:
        """answer_value of a cell, remembered (up to `READ_CELLS` of them)."""
        key = (question.id, cell, decimal_comma)
        found = self.read.get(key)
        if found is None:
            found = answer_value(self.checklist, question, cell, decimal_comma, self.lookups[question.id])
            if len(self.read) < READ_CELLS:
                self.read[key] = found
        return found

    def suggestion(self, header: str) -> str:
        """A did-you-mean for an unknown header, or what a header may be."""
        key = normal(header)
        for suffix in NOTE_SUFFIXES:
            if key.endswith(suffix):
                key = key[: -len(suffix)].strip()
        candidates = list(self.questions) + list(self.fields)
        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
        if close:
            match = close[0]
            if match in self.fields:
                return f"; did you mean '{match}'?"
            q = self.questions[match]
            return f"; did you mean '{q.id}'?" if match == q.id else f'; did you mean "{_short(q.text)}" ({q.id})?'
        return (
            f"; name a question of '{self.checklist.id}' by its id or its exact text, "
            "or use name, role, organisation, date or '<question-id> note'"
        )


def _short(text: str, width: int = 60) -> str:
    """A cell or header as a message shows it: stripped, control characters escaped, long text cut."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text.strip())
    return text if len(text) <= width else text[: width - 1] + "…"


def choose_delimiter(text: str, headers: Headers) -> str:
    """The delimiter under which the header names the most known columns (then the most columns)."""
    first = next((line for line in text.splitlines() if line.strip()), "")

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return (0, 0)
        known = sum(1 for i, cell in enumerate(cells) if headers.classify(i, cell) is not None)
        return (known, len(cells))

    return max(DELIMITERS, key=score)  # max keeps the first of equals: comma


# ---------------------------------------------------------------------------------------------------
# Cells


def option_lookup(checklist: Checklist, question: Question) -> dict[str, str] | None:
    """An option question's answers by their normalised value and label (values win); None for others."""
    options = checklist.options(question)
    if options is None:
        return None
    by_label = {normal(o.label): o.value for o in options}
    return {**by_label, **{normal(o.value): o.value for o in options}}


def answer_value(
    checklist: Checklist,
    question: Question,
    cell: str,
    decimal_comma: bool,
    lookup: dict[str, str] | None = None,
) -> tuple[str | None, str]:
    """The answer a cell gives to a question, or None and why it gives none (`lookup`: option_lookup's, cached)."""
    key = normal(cell)
    options = checklist.options(question)
    value: str | None = None
    if options is not None:
        value = (lookup if lookup is not None else option_lookup(checklist, question) or {}).get(key)
        if value is not None:
            return value, ""  # an option: valid as it is
    if value is None and key in NA_WORDS:
        value = NA
    elif value is None and key in UNKNOWN_WORDS:
        value = UNKNOWN
    elif value is None and options is not None:
        allowed = ", ".join(
            o.value if normal(o.value) == normal(o.label) else f"{o.value} ({o.label})" for o in options
        )
        extra = "na, unknown" if question.allow_na else "unknown"
        return None, f"'{_short(cell)}' is not an answer to '{question.id}'; use one of: {allowed}; or {extra}"
    elif value is None and isinstance(question.answers, NumberAnswer):
        value = number_value(cell, question.answers, decimal_comma)
        if value is None:
            unit = f" ({question.answers.unit})" if question.answers.unit else ""
            return None, f"'{question.id}' takes a number{unit}, not '{_short(cell)}'"
    elif value is None:
        value = cell  # text: evidence, as written
    problem = answer_problem(checklist, question, value)
    if problem is not None:
        return None, problem if f"'{question.id}'" in problem else f"'{question.id}': {problem}"
    return value, ""


def role_of(cell: str, role_map: Mapping[str, str] | None = None) -> str | None:
    """The model's role a cell names, or None when it names none of them.

    `role_map` (`import --role-map`, or `roles:` in carecheck.yaml) maps the survey's own labels
    ("Owner", "Restaurant manager") onto the roles, case and spacing ignored; it wins over the
    built-in spellings."""
    if role_map:
        wanted = role_label_key(normal(cell))
        mapped = next((role for label, role in role_map.items() if role_label_key(normal(label)) == wanted), None)
        if mapped is not None:
            return mapped
    key = normal(cell).replace("_", "-")
    return ROLE_WORDS.get(key) or ROLE_WORDS.get(key.replace("-", " "))


def parse_date(cell: str, month_first: bool = False) -> datetime | None:
    """A date or date-time in one of DATE_FORMATS (times without a zone are UTC); None if it is none."""
    text = cell.strip()
    try:
        iso = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        iso = None
    if iso is not None:
        if not 1900 <= iso.year <= 2999:  # year 1 or 9999 with a zone would overflow on conversion to UTC
            return None
        return iso if iso.tzinfo is not None else iso.replace(tzinfo=timezone.utc)
    m = YEAR_SLASH.match(text)
    if m:
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in m.groups())
        return _datetime(year, month, day, hour, minute, second)
    m = DAY_MONTH.match(text)
    if m:
        first, sep, middle, year_s, hour_s, minute_s, second_s, ampm = m.groups()
        day, month = int(first), int(middle)
        if sep == "/" and month_first:
            day, month = month, day
        hour = int(hour_s or 0)
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm.casefold() == "pm" else 0)
        return _datetime(int(year_s), month, day, hour, int(minute_s or 0), int(second_s or 0))
    return None


def _datetime(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime | None:
    if not 1900 <= year <= 2999:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError:
        return None


def _slash_dates_month_first(cells: Sequence[str]) -> bool:
    """Whether dd/mm/yyyy cannot be meant: some slash date has a month over 12 and none a day over 12."""
    pairs = [(int(m.group(1)), int(m.group(3))) for m in map(DAY_MONTH.match, cells) if m and m.group(2) == "/"]
    return any(b > 12 for _, b in pairs) and not any(a > 12 for a, _ in pairs)


# ---------------------------------------------------------------------------------------------------
# Parsing


def parse_survey(
    text: str,
    path: str,
    checklist: Checklist,
    *,
    organisation: str | None = None,
    audit: str | None = None,
    now: datetime,
    role_map: Mapping[str, str] | None = None,
    max_rows: int | None = None,
) -> tuple[Survey, str]:
    """Map the rows of a decoded CSV export to answer files; every problem is a finding. Returns the delimiter too.

    `role_map` maps the survey's role labels onto carecheck's roles (role_of)."""
    survey = Survey(path)
    headers = Headers(checklist, dict(role_map or {}))
    hint = SEP_HINT.match(text)
    delimiter = hint.group(1) if hint else choose_delimiter(text, headers)
    rows = list(records(text, delimiter, path, max_rows))
    if hint:
        rows = rows[1:]  # Excel's `sep=;` line says which delimiter the file uses
    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows.pop(0)  # blank lines before the header
    if not rows:
        survey.add("CC501", 1, 1, "the file is empty: expected a header row and one row per respondent")
        return survey, delimiter
    header_line, header = rows[0]
    body = [(line, cells) for line, cells in rows[1:] if any(cell.strip() for cell in cells)]
    columns = _columns(survey, headers, header_line, header, body)
    if not body:
        survey.add("CC501", header_line, 1, "the file has a header and no respondent rows")
        return survey, delimiter
    by_kind: dict[str, Column] = {c.kind: c for c in columns if c.kind in FIELDS}
    if organisation is None and "organisation" not in by_kind:
        survey.add(
            "CC507",
            header_line,
            1,
            "no organisation column (organisation, organization, org or company); give --organisation NAME",
        )
    date_column = by_kind.get("date")
    month_first = False
    if date_column is not None:
        month_first = _slash_dates_month_first([_cell(cells, date_column.index) for _, cells in body])
        if month_first:
            survey.add(
                "CC512",
                header_line,
                date_column.index + 1,
                "dates with slashes are read as month/day/year: some have a month over 12 the other way round",
            )
    decimal_comma = delimiter == ";"
    width = len(header)
    for line, cells in paced(body):
        if len(cells) > width:
            extra = cells[width:]
            if any(cell.strip() for cell in extra):
                survey.add(
                    "CC503",
                    line,
                    width + 1,
                    f"the row has {len(cells)} cells and the header {width}; "
                    "a value holding the delimiter needs quotes",
                )
                continue
        row = _row(survey, headers, columns, line, cells, organisation, audit, now, month_first, decimal_comma)
        if row is not None:
            survey.rows.append(row)
    refuse_duplicates(survey)
    survey.findings.sort(key=lambda f: f.sort_key)
    return survey, delimiter


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _columns(
    survey: Survey, headers: Headers, line: int, header: list[str], body: list[tuple[int, list[str]]]
) -> list[Column]:
    columns: list[Column] = []
    seen: dict[tuple[str, str], Column] = {}
    for index, text in enumerate(header):
        if not text.strip():
            if any(_cell(cells, index) for _, cells in body):
                survey.add("CC504", line, index + 1, "the column has values and no header")
            continue
        column = headers.classify(index, text)
        if column is None:
            survey.add("CC504", line, index + 1, f"unknown column '{_short(text)}'{headers.suggestion(text)}")
            continue
        if column.kind == "ignored":
            survey.add("CC511", line, index + 1, f"column '{_short(text)}' is survey metadata; it is ignored")
            continue
        key = (column.kind, column.question.id if column.question else "")
        if key in seen:
            what = f"the {column.kind} of '{key[1]}'" if column.question else f"the {column.kind}"
            survey.add(
                "CC505",
                line,
                index + 1,
                f"column '{_short(text)}' gives {what}, as column {seen[key].index + 1} does already",
            )
            continue
        seen[key] = column
        columns.append(column)
    return columns


def _row(
    survey: Survey,
    headers: Headers,
    columns: list[Column],
    line: int,
    cells: list[str],
    organisation: str | None,
    audit: str | None,
    now: datetime,
    month_first: bool,
    decimal_comma: bool,
) -> SurveyRow | None:
    """One row as an answer file, or None after adding its findings."""
    checklist = headers.checklist
    before = len(survey.findings)
    fields: dict[str, str] = {}
    values: dict[str, str] = {}
    notes: dict[str, str] = {}
    positions: dict[str, int] = {}
    for column in columns:
        cell = _cell(cells, column.index)
        positions[column.kind] = column.index + 1
        if column.kind == "answer" and column.question is not None:
            if not cell:
                continue
            positions[f"answer:{column.question.id}"] = column.index + 1
            value, problem = headers.answer(column.question, cell, decimal_comma)
            if value is None:
                survey.add("CC506", line, column.index + 1, problem)
            else:
                values[column.question.id] = value
        elif column.kind == "note" and column.question is not None:
            if cell:
                notes[column.question.id] = cells[column.index].strip()
        elif column.kind in FIELDS:
            fields[column.kind] = cell
    org = organisation if organisation is not None else fields.get("organisation", "")
    if not org.strip() and "organisation" in positions:
        survey.add("CC507", line, positions["organisation"], "no organisation; fill it in or give --organisation NAME")
    when = now
    if fields.get("date"):
        parsed = parse_date(fields["date"], month_first)
        if parsed is None:
            shown = _short(fields["date"])
            survey.add("CC508", line, positions["date"], f"'{shown}' is not a date; use one of: {DATE_FORMATS}")
        else:
            when = parsed
    role = "other"
    if fields.get("role"):
        known = role_of(fields["role"], headers.role_map)
        if known is None:
            survey.add(
                "CC510",
                line,
                positions["role"],
                f"role '{_short(fields['role'])}' is not one of {', '.join(ROLES)}; imported as other "
                "(map it with --role-map FILE or `roles:` in carecheck.yaml)",
            )
        else:
            role = known
    _not_asked_of_role(survey, checklist, line, positions, values, notes, role)
    if any(f.severity == "error" for f in survey.findings[before:]) or not org.strip():
        return None
    label = audit or quarter_label(when)
    at = when.astimezone(timezone.utc).replace(microsecond=0)
    scope = survey_scope(checklist, columns)
    answers = {  # validated with the file, in one call
        q.id: {"value": values.get(q.id), "note": notes.get(q.id), "at": at, "asked": q.text_hash}
        for q in checklist.questions.values()
        if q.id in values or q.id in notes
    }
    answer_file = AnswerFile.model_validate(
        {
            "carecheck-answers": 1,
            "checklist": ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
            "organisation": " ".join(org.split()),
            "audit": label,
            "respondent": Respondent(name=" ".join(fields.get("name", "").split()), role=role),
            "questions": scope,
            "started": at,
            "completed": None,
            "answers": answers,
        }
    )
    # Asked (given the `when` conditions) and unanswered; a row that leaves none is a completed audit.
    missing = unanswered(checklist, values, role, asked_scope(answer_file))
    if not missing:
        answer_file = answer_file.model_copy(update={"completed": at})
    return SurveyRow(line, answer_file, missing, positions.get("name", 0))


def survey_scope(checklist: Checklist, columns: Sequence[Column]) -> tuple[str, ...] | None:
    """The questions a survey asked: those with a column (answer or note), in checklist order; None when all.

    Written as the answer file's `questions:`, so a short survey's report scores what was asked and is
    no draft for the questions it never asked."""
    ids = {c.question.id for c in columns if c.kind in ("answer", "note") and c.question is not None}
    if ids >= set(checklist.questions):
        return None
    return tuple(qid for qid in checklist.questions if qid in ids)


def _not_asked_of_role(
    survey: Survey,
    checklist: Checklist,
    line: int,
    positions: dict[str, int],
    values: dict[str, str],
    notes: dict[str, str],
    role: str,
) -> None:
    """Answers to questions the row's role is not asked (`roles:`) are left out, each with a warning."""
    for qid in list(values):
        roles = asked_roles(checklist, checklist.questions[qid])
        if roles is not None and role not in roles:
            del values[qid]
            notes.pop(qid, None)
            column = positions.get(f"answer:{qid}", 1)
            survey.add("CC514", line, column, f"'{qid}' is not asked of {role} (roles: {', '.join(roles)}); left out")


def respondent_key(answers: AnswerFile) -> tuple[str, str, str, str]:
    """Who answered which audit: checklist id, organisation, audit label and name, compared loosely."""
    return (
        answers.checklist.id,
        normal(answers.organisation),
        audit_label(answers) or "",
        normal(answers.respondent.name),
    )


def refuse_duplicates(survey: Survey) -> None:
    """Refuse (CC509) a second row of one person in one audit; rows with errors leave the survey."""
    first: dict[tuple[str, str, str, str], SurveyRow] = {}
    for row in survey.rows:
        key = respondent_key(row.answers)
        if not key[3]:
            continue  # anonymous rows cannot be told apart
        if key in first:
            earlier, which = (
                (f"on {first[key].where}", "rows") if row.path is None else (f"in {first[key].where}", "files")
            )
            survey.add(
                "CC509",
                row.line,
                row.name_column or 1,
                f"{row.answers.respondent.name} ({row.answers.organisation}, {row.answers.audit}) "
                f"already answers {earlier}; keep one of the two {which}",
                path=row.path,
            )
        else:
            first[key] = row
    bad = {(f.path, f.position.line) for f in survey.errors if f.position is not None}
    survey.rows = [row for row in survey.rows if (row.path or survey.path, row.line) not in bad]


# ---------------------------------------------------------------------------------------------------
# Planning and writing


def same_answers(a: AnswerFile, b: AnswerFile) -> bool:
    """Whether two answer files hold the same answers (values and notes) for the same respondent."""

    def content(f: AnswerFile) -> dict[str, tuple[str | None, str | None]]:
        return {qid: (x.value, x.note) for qid, x in f.answers.items()}

    same_role = a.respondent.role == b.respondent.role
    return respondent_key(a) == respondent_key(b) and same_role and content(a) == content(b)


def existing_answer_files(
    folder: Path, expected: Mapping[Path, AnswerFile] | None = None, *, jobs: int | None = None
) -> list[tuple[Path, AnswerFile]]:
    """The answer files under `folder`, in walk order (fs.walk_yaml, catalog.loadable_answers). A file at a
    path of `expected` that holds exactly the text written for its answers (an import run again) is taken
    as those answers without being parsed."""
    from carecheck.catalog.loading import loadable_answers
    from carecheck.format.reader import real_path

    if not is_dir(folder):
        return []
    paths = list(walk_yaml(folder))
    expected = expected or {}
    known = {p: expected[p] for p in paths if p in expected and _holds(p, answers_yaml(expected[p]).encode())}
    seen = {real_path(path) for path in known}
    found = {**dict(loadable_answers((p for p in paths if p not in known), seen, jobs=jobs)), **known}
    return [(path, found[path]) for path in paths if path in found]


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data`."""
    try:
        return read_bounded(path, len(data)) == data
    except CarecheckError:  # missing, not a regular file, larger, unreadable
        return False


def plan_import(survey: Survey, folder: Path, *, jobs: int | None = None) -> list[Planned]:
    """Where each row would go; rows already in `folder` (read over `jobs` processes) are skipped (same
    answers) or errors (others)."""
    existing = existing_answer_files(
        folder, {default_answer_path(folder, row.answers): row.answers for row in survey.rows}, jobs=jobs
    )
    by_key: dict[tuple[str, str, str, str], list[tuple[Path, AnswerFile]]] = {}
    for path, answers in existing:
        by_key.setdefault(respondent_key(answers), []).append((path, answers))
    taken = {path for path, _ in existing}
    planned: list[Planned] = []
    for row in survey.rows:
        key = respondent_key(row.answers)
        match = by_key.get(key, [])
        same = next((path for path, answers in match if same_answers(answers, row.answers)), None)
        if same is not None:
            planned.append(Planned(row, same, existing=True))
            survey.add("CC513", row.line, 1, f"already imported as {same}; skipped", path=row.path)
            continue
        if match and key[3]:
            survey.add(
                "CC509",
                row.line,
                row.name_column or 1,
                f"{row.answers.respondent.name} already has an answer file for {row.answers.audit} "
                f"with other answers: {match[0][0]}; remove it to import this row, or give another --audit",
                path=row.path,
            )
            continue
        path = _free_path(default_answer_path(folder, row.answers), taken)
        taken.add(path)
        planned.append(Planned(row, path))
    survey.findings.sort(key=lambda f: f.sort_key)
    return planned


def _free_path(base: Path, taken: set[Path]) -> Path:
    """The name `store.create_answer_file` would pick: `base`, else `--2`, `--3`, ..."""
    n = 1
    path = base
    while path in taken or exists(path, follow=False):
        n += 1
        path = base.with_name(f"{base.stem}--{n}{base.suffix}")
    return path


def write_import(planned: Sequence[Planned], folder: Path, checklist: Checklist | None = None) -> list[Planned]:
    """Create the planned files all at once (fs.write_all): all of them or, on any failure or kill, none.

    With the resolved `checklist`, its copy (records.keep_checklist) is one file of the batch when new.
    """
    files: dict[Path, str | bytes] = {
        item.path: answers_yaml(item.row.answers) for item in paced(planned) if not item.existing
    }
    if checklist is not None and files:
        copy = stored_path(folder, checklist.sha256)
        if os.path.lexists(copy):
            keep_checklist(folder, checklist)  # checked, and replaced if damaged
        else:
            files[copy] = checklist.canonical_json
    write_all(folder, files)
    return list(planned)


def run_import(request: ImportRequest, catalog: Catalog, now: Callable[[], datetime]) -> ImportResult:
    """`carecheck import`: read, check every row, then write all the files or none (none in a dry run)."""
    raw = read_survey_bytes(request.source, request.max_bytes)
    checklist = catalog.load(request.checklist, near=Path.cwd()).checklist
    name = str(request.source)
    text = decode(raw, name)
    moment = now().astimezone(timezone.utc).replace(microsecond=0)
    survey, delimiter = parse_survey(
        text,
        name,
        checklist,
        organisation=request.organisation,
        audit=request.audit,
        now=moment,
        role_map=request.role_map,
        max_rows=request.max_rows,
    )
    if not request.dry_run:
        recover_batches(request.folder)  # a killed import: finished if it was committed, else removed
    # also when rows have errors: report everything at once
    planned = plan_import(survey, request.folder, jobs=request.jobs)
    if survey.errors:
        raise SurveyErrors(survey.findings)
    if not request.dry_run:
        planned = write_import(planned, request.folder, checklist)
    return ImportResult(request, checklist, tuple(planned), tuple(survey.warnings), delimiter)


def summary_lines(result: ImportResult) -> list[str]:
    """What `carecheck import` prints: a line per row (created, would be created or skipped), then the totals."""
    request = result.request
    verb = "would create" if request.dry_run else "created"
    lines = []
    for item in result.planned:
        row = item.row
        if item.existing:
            lines.append(f"skipped       {item.path}  ({row.where}: already imported)")
            continue
        who = row.answers.respondent.name or "anonymous"
        given = sum(1 for a in row.answers.answers.values() if a.value is not None)
        open_ = f", {len(row.missing)} to answer" if row.missing else ""
        lines.append(
            f"{verb:<13} {item.path}  ({row.where}: {who}, {row.answers.respondent.role}; {given} answered{open_})"
        )
    created = result.created
    incomplete = sum(1 for item in created if item.row.missing)
    n = len(created)
    files = f"{n} answer file{'s' * (n != 1)}"
    extra = [f"{incomplete} incomplete"] if incomplete else []
    extra += [f"{len(result.skipped)} already imported"] if result.skipped else []
    detail = f" ({', '.join(extra)})" if extra else ""
    source, folder = request.source, request.folder
    if request.dry_run:
        read_as = {",": "comma", ";": "semicolon", "\t": "tab"}.get(result.delimiter, repr(result.delimiter))
        lines.append(f"Dry run ({source} read as {read_as}-separated): {files} would be created in {folder}{detail}.")
        lines.append("Nothing was written.")
    else:
        lines.append(f"Imported {files} from {source} into {folder}{detail}.")
    return lines
