"""Every rule, by code; this module registers the codes that no lint rule checks.

Codes: CC0xx reading a file, CC1xx checklists, CC2xx answer files, CC3xx plans (waivers and
action owners), CC4xx configuration files and role maps, CC5xx survey import (CSV), CC6xx the report's gates
(checked by audits/gates.py, documented here so that SARIF can describe them). The lint rules of
each kind of file live in their own module (checklist, answers, plan, config); the registry and its
docstring format are in registry.py. Codes never change meaning; a retired code is not reused.
"""

from __future__ import annotations

from typing import cast

from carecheck.lint.answers import AnswersContext
from carecheck.lint.checklist import ChecklistContext
from carecheck.lint.config import ConfigContext, RolesContext
from carecheck.lint.plan import PlanContext
from carecheck.lint.registry import RULES, Hit, Rule, Severity, find_rule, register, rule, run_rules

__all__ = [
    "RULES",
    "AnswersContext",
    "ChecklistContext",
    "ConfigContext",
    "Hit",
    "PlanContext",
    "RolesContext",
    "Rule",
    "find_rule",
    "rule",
    "run_rules",
]

# Problems found while reading a file (raised by source.py / loading.py, documented here).
# How each code that no lint rule checks is explained (the registry's docstring format).
_DETAILS = {
    "CC001": """A path given on the command line, or a file a command needs, does not exist or cannot be opened
    (permissions, a broken link). Paths are relative to the working folder.

    Fails:

        $ carecheck validate checklist/service.yaml    # the folder is checklists/

    Passes:

        $ carecheck validate checklists/service.yaml
    """,
    "CC002": """carecheck reads UTF-8 only; an editor that saved the file as Latin-1 or Windows-1252 turns accented
    letters into bytes UTF-8 cannot read. Save the file again as UTF-8.

    Fails:

        title: Café   # saved as Windows-1252

    Passes:

        title: Café   # saved as UTF-8
    """,
    "CC003": """The finding points at where the YAML reader gave up; the mistake is often just before it. Indent
    with spaces, close every bracket and quote.

    Fails:

        sections: [{id: basics, title: Basics}

    Passes:

        sections: [{id: basics, title: Basics}]
    """,
    "CC004": """To be safe with any input, carecheck refuses files of more than a few megabytes, nesting deeper than
    a checklist ever needs, and aliases that expand into huge documents.

    Fails:

        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]   # ... and so on

    Passes:

        a: [x, x, x]
    """,
    "CC005": """Most YAML readers keep the last of two equal keys without a word; carecheck refuses the file
    instead, so nothing is lost silently.

    Fails:

        title: Customer care
        title: Customer care essentials

    Passes:

        title: Customer care essentials
    """,
    "CC006": """Tags make a YAML reader build objects of its choosing; carecheck files need none, so every explicit
    tag is refused.

    Fails:

        title: !!python/object/apply:os.system [echo hi]

    Passes:

        title: Customer care
    """,
    "CC007": """carecheck recognises its files by their first key: `carecheck: 1` (checklist), `carecheck-answers:
    1`, `carecheck-plan: 1` or `carecheck-config: 1`. A file named on the command line must be one of
    them.

    Fails:

        id: example
        carecheck: 1

    Passes:

        carecheck: 1
        id: example
    """,
    "CC008": """Each kind of file has a fixed set of keys and types (`carecheck schema` prints them as a JSON
    Schema, for editors); a mistyped key is unknown, and a required one is then missing.

    Fails:

        carecheck: 1
        id: example
        titel: Example
        version: "1"

    Passes:

        carecheck: 1
        id: example
        title: Example
        version: "1"
    """,
    "CC501": """A survey export has a header row naming the columns and one row per respondent.

    Fails:

        name,organisation,trained

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
    """,
    "CC502": """Cells holding a comma or a line break are quoted; a quote that is never closed swallows the rest of
    the file.

    Fails:

        name,organisation,trained
        Jo Smith,"Acme, Ltd,yes

    Passes:

        name,organisation,trained
        Jo Smith,"Acme, Ltd",yes
    """,
    "CC503": """A row with more cells than the header has a value whose delimiter was not quoted.

    Fails:

        name,organisation,trained
        Jo Smith,Acme, Ltd,yes

    Passes:

        name,organisation,trained
        Jo Smith,"Acme, Ltd",yes
    """,
    "CC504": """A column is a question (its id or its exact text), a note (`<id> note`) or a respondent field (name,
    role, organisation, date, audit); any other column is refused rather than dropped.

    Fails:

        name,organisation,traind
        Jo Smith,Acme Ltd,yes

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
    """,
    "CC505": """Two columns for one thing would leave the import to guess which cell wins.

    Fails:

        name,organisation,trained,trained
        Jo Smith,Acme Ltd,yes,no

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
    """,
    "CC506": """Each cell is checked as the interview checks an answer: an option of the question's answer set, a
    number within bounds, `na` where allowed, or `unknown`. No file is written until every row is right.

    Fails:

        name,organisation,trained
        Jo Smith,Acme Ltd,maybe

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,partial
    """,
    "CC507": """Answer files are grouped by organisation; give it in a column, or for every row with
    `--organisation`.

    Fails:

        name,organisation,trained
        Jo Smith,,yes

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
    """,
    "CC508": """Dates are read as ISO (2026-09-14, with an optional time) or with slashes, day first unless no row
    fits that.

    Fails:

        name,organisation,date,trained
        Jo Smith,Acme Ltd,Sept 14th,yes

    Passes:

        name,organisation,date,trained
        Jo Smith,Acme Ltd,2026-09-14,yes
    """,
    "CC509": """One person answers once per audit: the same name and role twice in the CSV, or already in the audits
    folder with other answers, is refused.

    Fails:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
        Jo Smith,Acme Ltd,no

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
        Ann Lee,Acme Ltd,no
    """,
    "CC510": """The roles are leadership, management, front-line, back-office and other (with a few common
    spellings); any other is imported as other, which perception gaps then group together.

    Fails:

        name,organisation,role,trained
        Jo Smith,Acme Ltd,barista,yes

    Passes:

        name,organisation,role,trained
        Jo Smith,Acme Ltd,front-line,yes
    """,
    "CC511": """Survey tools add columns of their own (email, start and end times, IP address); they are not answers
    and are left out, with this warning so that nothing goes unnoticed.

    Fails:

        name,organisation,email,trained
        Jo Smith,Acme Ltd,jo@example.org,yes

    Passes:

        name,organisation,trained
        Jo Smith,Acme Ltd,yes
    """,
    "CC512": """Dates with slashes are read day first (14/09/2026); when a date such as 09/14/2026 cannot be, all of
    them are read month first, and this warning says so.

    Fails:

        name,organisation,date,trained
        Jo Smith,Acme Ltd,09/14/2026,yes

    Passes:

        name,organisation,date,trained
        Jo Smith,Acme Ltd,2026-09-14,yes
    """,
    "CC513": """Importing the same export twice writes nothing new: a row whose answers are already in the audits
    folder is skipped.

    Fails:

        $ carecheck import survey.csv --checklist care-essentials   # run a second time

    Passes:

        $ carecheck import survey.csv --checklist care-essentials   # run once
    """,
    "CC514": """A question with `roles:` (its own or its section's) is asked only of those roles: the interview
    does not ask it of others and scoring leaves it out for them (never a "don't know"). A cell answering
    it in a row of another role is left out of the answer file, with this warning.

    Fails:

        name,role,suppliers-paid-on-time     # roles: [leadership, back-office]
        Jo Smith,front-line,yes

    Passes:

        name,role,suppliers-paid-on-time
        Jo Smith,back-office,yes
    """,
}

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
):
    register(_code, _name, "error", "file", _summary, details=_DETAILS[_code])

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
    (
        "CC514",
        "answered-not-asked-of-role",
        "warning",
        "A row answers a question its role is not asked (`roles:`): the answer is left out.",
    ),
):
    register(_code, _name, cast(Severity, _severity), "import", _summary, details=_DETAILS[_code])

# ---------------------------------------------------------------------------------------------------
# The report's gates (`report --fail-under`, `--fail-on critical`): checked by gates.py, documented here.

for _code, _name, _summary, _details in (
    (
        "CC601",
        "overall-under-threshold",
        "The overall score, rounded to one decimal, is under `--fail-under SCORE`.",
        """The overall score, rounded to one decimal as the report shows it, is under the score that
        `report --fail-under SCORE` (or `gates: {fail_under: SCORE}` in carecheck.yaml) asks for, or
        nothing is scored at all. Raise the score with the report's action plan, highest priority first.

        Fails:

            gates: {fail_under: 80}   # the overall score is 72.4

        Passes:

            gates: {fail_under: 70}   # the overall score is 72.4
        """,
    ),
    (
        "CC602",
        "section-under-threshold",
        "A section's score, rounded to one decimal, is under its `--fail-under SECTION=SCORE`.",
        """A section's score, rounded to one decimal as the report shows it, is under the score that
        `report --fail-under SECTION=SCORE` (or `gates: {fail_under: {SECTION: SCORE}}`) asks for, or
        nothing in the section is scored. The finding points at the section in the checklist.

        Fails:

            gates:
              fail_under: {contact: 60}   # the contact section scores 55.0

        Passes:

            gates:
              fail_under: {contact: 50}   # the contact section scores 55.0
        """,
    ),
    (
        "CC603",
        "critical-below-50",
        "A critical question scores below its `critical_below`, default 50 (`--fail-on critical`).",
        """A question marked `critical: true` scores below its checklist's `critical_below` (default 50;
        its score rounded to one decimal; with several respondents, their mean), and `report --fail-on
        critical` is on. A waiver in the plan
        (`--plan`) accepts the gap until it expires: the question is still scored and shown as
        accepted, and the gate passes with a note instead of failing.

        Fails:

            gates: {fail_on: critical}   # easy-to-contact (critical) scores 0

        Passes:

            gates: {fail_on: critical}   # easy-to-contact scores 0, and the plan waives it:
            # waivers: [{question: easy-to-contact, reason: New phone system, owner: Jo Smith, expires: 2099-06-30}]
        """,
    ),
    (
        "CC604",
        "critical-unanswered",
        "A critical question is not answered (`--fail-on critical`).",
        """A question marked `critical: true` was skipped or left unanswered by a respondent, and
        `report --fail-on critical` is on: the audit cannot show that the question is in hand. Answer
        it (`carecheck audit --resume FILE`), or accept the gap with a waiver in the plan.

        Fails:

            gates: {fail_on: critical}   # easy-to-contact (critical) was skipped

        Passes:

            gates: {fail_on: critical}   # every critical question is answered
        """,
    ),
):
    register(_code, _name, "error", "report", _summary, details=_details)
