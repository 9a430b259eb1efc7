"""Every report format shows the practice and results scores, the claims to check and the top answers
given without evidence (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scenarios import answer_files

from carecheck.catalog.loading import Catalog
from carecheck.render.checklist import checklist_as
from carecheck.render.report import ReportOptions, render_report
from carecheck.scoring.score import Scorecard, score

ENGINE = Path(__file__).parents[1] / "fixtures" / "scenarios" / "engine.yaml"


@pytest.fixture(scope="module")
def card() -> Scorecard:
    checklist = Catalog().resolve_file(ENGINE).checklist
    files = answer_files(checklist, "d")
    answers = dict(files[0].answers)
    answers["satisfaction-measured"] = answers["satisfaction-measured"].model_copy(update={"value": "3"})
    answers["csat-percent"] = answers["csat-percent"].model_copy(update={"value": "unknown"})
    return score(checklist, [files[0].model_copy(update={"answers": answers})])


def render(card: Scorecard, fmt: str) -> str:
    options = ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc), generator="carecheck (test)")
    return " ".join(str(render_report(card, fmt, options)).split())


def test_the_scorecard_has_one_claim_and_one_unevidenced_answer(card: Scorecard) -> None:
    assert [c.id for c in card.claims] == ["satisfaction-claim"]
    assert [e.question for e in card.unevidenced] == ["staff-trained"]
    # practices (3 x 100 + 3 x 75 + 100 + 100) / 8; results (2 x 0 + 2 x 100 + 100) / 5
    assert card.practice_score == pytest.approx(90.625) and card.results_score == pytest.approx(60)


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_each_text_format_shows_the_parts_the_claims_and_the_missing_evidence(card: Scorecard, fmt: str) -> None:
    text = render(card, fmt)
    assert "practices" in text.casefold() and "90.6" in text and "60.0" in text  # md says it once, in the summary
    assert "Claims to check".casefold() in text.casefold()
    for part in (
        "Satisfaction is claimed to be measured systematically.",
        "How systematically do you measure customer satisfaction?",
        "Systematic and measured",
        "Don't know",
        "without evidence",
    ):
        assert part.replace("'", "&#39;" if fmt == "html" else "'").casefold() in text.casefold(), (fmt, part)


def test_json_carries_them(card: Scorecard) -> None:
    data = json.loads(
        str(render_report(card, "json", ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc))))
    )
    assert data["practice_score"] == 90.6 and data["results_score"] == 60
    (claim,) = data["claims"]
    assert (claim["question"], claim["answer"], claim["then_question"], claim["then_answer"]) == (
        "satisfaction-measured",
        "Systematic and measured",
        "csat-percent",
        "Don't know",
    )
    assert data["unevidenced"][0]["question"] == "staff-trained" and data["scoring"]["critical_below"] == 75


def test_show_says_the_cap_bar_the_checks_results_roles_and_evidence() -> None:
    shown = checklist_as(Catalog().resolve_file(ENGINE).checklist, "text")
    assert "capped at Developing by a critical question below 75" in shown
    assert "Checks (1): satisfaction-claim" in shown
    assert "weight 2; effort medium; a result)" in shown
    assert "effort medium; asked of leadership, back-office)" in shown
    assert "effort medium; evidence required)" in shown


def test_markdown_lists_each_claim_and_unevidenced_answer_on_its_own_line(card: Scorecard) -> None:
    # a trailing {% endif %} once ate the newline: the next bullet or heading ran on in the same line
    options = ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc), generator="carecheck (test)")
    lines = str(render_report(card, "md", options)).splitlines()
    claims = [line for line in lines if "Satisfaction is claimed to be measured systematically." in line]
    unevidenced = [line for line in lines if line.startswith("- ") and "**" in line and "staff" in line.casefold()]
    assert claims and all(line.startswith("- ") and "## " not in line for line in claims), claims
    assert unevidenced and all("## " not in line and line.count("- ") == 1 for line in unevidenced), unevidenced
    assert "?:" not in "\n".join(lines)
