"""The survey template: the CSV header `carecheck import` reads, and what each column allows, for setting up a
survey tool (Microsoft Forms, Google Forms, SurveyMonkey) whose export then imports as it is."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from carecheck.format.answers import asked_roles
from carecheck.format.model import (  # the import reads each label (csv_import.ROLE_WORDS)
    ROLE_LABELS,
    ROLES,
    Checklist,
    NumberAnswer,
)
from carecheck.survey.csv_import import DATE_FORMATS, FIELDS

NOT_APPLICABLE = "Not applicable"  # in csv_import.NA_WORDS
DONT_KNOW = "Don't know"  # in csv_import.UNKNOWN_WORDS


@dataclass(frozen=True)
class SurveyTemplate:
    """The template (a header row) and the allowed values of each of its columns (a second CSV)."""

    header: str
    values: str


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def survey_template(checklist: Checklist, organisation: str | None = None) -> SurveyTemplate:
    """The CSV header for `checklist` (respondent fields, then each question and its note) and its values."""
    columns: list[list[str]] = [["column", "question", "help", "answer", "choices", "only if", "asked of"]]
    name, role, org, date = (FIELDS[f][0] for f in ("name", "role", "organisation", "date"))
    header = [name, role, org, date]
    columns += [
        [name, "Your name", "", "text", "", "", ""],
        [role, "Your role", "", "one of the choices", " | ".join(ROLE_LABELS[r] for r in ROLES), "", ""],
        [org, "Organisation", "", "text" if organisation is None else "fixed", organisation or "", "", ""],
        [date, "Date", "the survey tool's submission time will do", f"a date: {DATE_FORMATS}", "", "", ""],
    ]
    for q in checklist.questions.values():
        options = checklist.options(q)
        spec = q.answers
        extra = ([NOT_APPLICABLE] if q.allow_na else []) + [DONT_KNOW]
        if options is not None:
            kind, choices = "one of the choices", [o.label for o in options] + extra
        elif isinstance(spec, NumberAnswer):
            bounds = [
                f"from {spec.min:g}" if spec.min is not None else "",
                f"to {spec.max:g}" if spec.max is not None else "",
            ]
            unit = f" ({spec.unit})" if spec.unit else ""
            kind, choices = " ".join(["a number" + unit, *filter(None, bounds)]), extra
        else:
            kind, choices = "text", extra
        condition = ""
        if q.when is not None:
            controller = checklist.questions.get(q.when.question)
            labels = {o.value: o.label for o in (checklist.options(controller) or ())} if controller else {}
            shown = " or ".join(labels.get(v, v) for v in q.when.values)
            condition = f"{q.when.question} is {shown}"
        roles = asked_roles(checklist, q)
        asked_of = " | ".join(ROLE_LABELS.get(r, r) for r in roles) if roles is not None else "everyone"
        header += [q.id, f"{q.id} note"]
        columns += [
            [q.id, q.text, q.help or "", kind, " | ".join(choices), condition, asked_of],
            [f"{q.id} note", f"Note on: {q.text}", "optional", "text", "", condition, asked_of],
        ]
    return SurveyTemplate(_csv([header]), _csv(columns))
