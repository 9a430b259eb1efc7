"""The survey import and `roles:`: a role is neither required nor allowed to answer what it is not asked."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from carecheck.catalog.loading import Catalog
from carecheck.survey.csv_import import parse_survey

ENGINE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "engine.yaml"
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
HEADER = (
    "name,role,organisation,complaints-process,satisfaction-measured,staff-trained,supplier-terms,"
    "csat-percent,complaints-closed-in-target,email-reply-hours\n"
)


def test_a_question_not_asked_of_the_role_is_not_required_nor_taken() -> None:
    checklist = Catalog().resolve_file(ENGINE).checklist
    text = (
        HEADER
        + "Jo,front-line,Acme,2,2,yes,,80,90,4\n"
        + "Ann,front-line,Acme,2,2,yes,no,80,90,4\n"
        + "Sam,back-office,Acme,2,2,yes,,80,90,4\n"
    )
    survey, _ = parse_survey(text, "s.csv", checklist, now=NOW)
    jo, ann, sam = survey.rows
    assert jo.missing == () and jo.answers.completed is not None  # supplier-terms is not asked of front-line
    assert "supplier-terms" not in ann.answers.answers and ann.missing == ()
    assert sam.missing == ("supplier-terms",) and sam.answers.completed is None
    (finding,) = survey.findings
    assert (finding.position.line, finding.position.col, finding.code, finding.severity) == (3, 7, "CC514", "warning")
    assert finding.message == "'supplier-terms' is not asked of front-line (roles: leadership, back-office); left out"
