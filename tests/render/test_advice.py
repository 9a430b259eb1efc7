"""The report as advice: the executive page, the roadmap, colour against target, charts and the PDF's pages."""

from __future__ import annotations

import importlib.util
import io
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tool

from carecheck.audits.grouping import ReportRequest, build_reports
from carecheck.catalog.loading import Catalog
from carecheck.render import advice
from carecheck.render.report import ReportOptions, heatmap, parts_chart, render_report, section_chart
from carecheck.scoring.score import Scorecard
from carecheck.scoring.trends import Comparison

ARDLEY = Path(__file__).parents[2] / "examples" / "audits" / "ardley-home-supplies"
GENERATED = datetime(2026, 9, 21, 9, 0, tzinfo=timezone.utc)


def ardley(*files: str, baseline: bool = True) -> tuple[Scorecard, Comparison | None]:
    """The Ardley example (2026-Q3 against 2026-Q2), or some of its Q3 answer files alone."""
    answers = [ARDLEY / "2026-Q3" / f for f in files] if files else [ARDLEY / "2026-Q3"]
    request = ReportRequest(answers, baseline=("auto",) if baseline else ())
    (report,) = build_reports(request, Catalog()).reports
    return report.card, report.comparison


@pytest.fixture(scope="module")
def four() -> tuple[Scorecard, Comparison | None]:
    return ardley()


@pytest.fixture(scope="module")
def one() -> Scorecard:
    return ardley("care-essentials--helen-marsh.yaml", baseline=False)[0]


def options(comparison: Comparison | None = None, **changes: Any) -> ReportOptions:
    return ReportOptions(generated=GENERATED, generator="carecheck (test)", comparison=comparison, **changes)


# ---------------------------------------------------------------------------------------------------
# Against target


@pytest.mark.parametrize(
    ("score", "target", "expected"),
    [
        (75.0, 75.0, "met"),
        (74.96, 75.0, "met"),  # shown as 75.0: the reader sees it met
        (90.0, 75.0, "met"),
        (65.0, 75.0, "near"),
        (64.9, 75.0, "far"),
        (0.0, 75.0, "far"),
        (None, 75.0, "none"),
        (50.0, None, "none"),
    ],
)
def test_a_score_is_met_near_or_far_from_its_target(score: float | None, target: float | None, expected: str) -> None:
    assert advice.status(score, target) == expected


def test_every_coloured_chip_carries_a_shape_and_a_legend_says_what_it_means(one: Scorecard) -> None:
    html = str(render_report(one, "html", options()))
    chips = re.findall(r'<span class="chip (met|near|far)"[^>]*>(.*?)</span>', html)
    assert chips and all('class="mark"' in inner for _, inner in chips)  # never colour alone
    assert {kind for kind, _ in chips} >= {"met", "far"}
    assert '<p class="legend">' in html and "at or above target" in html
    # the score colours come from the target, never the absolute value: 75.0 at a target of 75 is met
    assert re.search(
        r'<span class="chip met" title="target met"><span class="mark" aria-hidden="true">.</span> 75.0', html
    )


def test_the_rating_badge_is_coloured_by_band_and_never_by_the_brand(four: Any, one: Scorecard) -> None:
    card, _ = four
    assert advice.band_step("Reactive", card.checklist.bands) == 0
    assert advice.band_step(sorted(card.checklist.bands, key=lambda b: b.min)[-1].label, card.checklist.bands) == 3
    html = str(render_report(card, "html", options()))
    assert '<p class="rating step-1">Developing</p>' in html
    css = html[html.index("<style>") : html.index("</style>")]
    rating_rules = re.findall(r"\.rating[^{]*\{[^}]*\}", css)
    assert rating_rules and not any("accent" in rule for rule in rating_rules)


# ---------------------------------------------------------------------------------------------------
# The roadmap


def test_the_roadmap_is_capped_and_never_holds_a_question_at_its_target(four: Any) -> None:
    card, _ = four
    plan = advice.roadmap(card)
    assert len(plan.steps) == advice.TOP_ACTIONS == 7
    assert all(step.status != "met" for step in plan.steps)
    ids = [step.question.id for step in plan.steps]
    # the charter: 87.5 against its target of 75, three notes say it is published; it was the second action
    charter = card.question("service-standards-published")
    assert charter in card.actions and advice.question_status(charter, card) == "met"
    assert "service-standards-published" not in ids
    # rank order is the scorer's, with the questions at target taken out
    assert ids == [q.id for q in card.actions if advice.question_status(q, card) != "met"][:7]
    assert plan.at_target == sum(advice.question_status(q, card) == "met" for q in card.actions) >= 1
    assert plan.left_out == len(card.actions) - plan.at_target - 7
    assert len(advice.roadmap(card, top=3).steps) == 3


def test_the_roadmap_is_grouped_by_horizon_from_effort_and_gain(four: Any) -> None:
    card, _ = four
    plan = advice.roadmap(card)
    assert [stage.key for stage in plan.stages] == [
        k for k, _, _ in advice.HORIZONS if any(s.horizon == k for s in plan.steps)
    ]
    for stage in plan.stages:
        for step in stage.steps:
            q = step.question
            expected = (
                "quick" if q.effort == "low" else "strategic" if q.effort == "high" or (q.gain or 0) < 1 else "next"
            )
            assert step.horizon == stage.key == expected
    assert sum(len(stage.steps) for stage in plan.stages) == len(plan.steps)


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_owner_and_due_are_always_there_to_fill(one: Scorecard, fmt: str) -> None:
    text = str(render_report(one, fmt, options()))
    roadmap = text[text.index("Roadmap") if fmt != "txt" else text.index("ROADMAP") :]
    if fmt == "html":
        assert roadmap.count('<th scope="col">Owner</th><th scope="col">Due</th>') >= 1
        assert roadmap.count('<td class="fill"></td>') >= 2
    elif fmt == "md":
        assert "| Rank | Action | Now | Target | Owner | Due |" in roadmap
    else:
        assert "Owner: ________________   Due: __________" in roadmap


# ---------------------------------------------------------------------------------------------------
# The executive page


def test_the_executive_summary_of_the_ardley_example(four: Any) -> None:
    card, comparison = four
    sentences = advice.summary(card, comparison)
    text = " ".join(sentences)
    assert sentences[0] == (
        "Ardley Home Supplies scores 48.0 out of 100, rated Developing (the band from 40; Established starts at 60)."
    )
    assert "1 of 10 sections meets its target (Service standards and expectations)." in text
    assert "Measurement and review scores 32.5 against a target of 70" in text
    assert "What is done (practices, 54.8 out of 100) is ahead of what it achieves (results, 34.5)." in text
    # the change says the respondents differ and gives the like-for-like change of the three who answered both
    assert "rose 11.1 points, from 36.9" in text
    assert "like for like the 3 people who answered both went from 36.9 to 56.4 (+19.5 points)" in text
    # the "don't know" artefact (back-office 0.0 on Measurement and review) is no longer the headline gap
    assert "back-office scores it 0.0" not in text and "Views differ most on" in text
    assert "14 answers were \u201cdon't know\u201d" in text
    # no bare numbers: every sentence with a score says out of what, against what, or from what to what
    for sentence in sentences:
        if re.search(r"\b\d+\.\d\b", sentence):
            assert re.search(r"out of 100|against a target|points|from \d", sentence), sentence


def test_strengths_are_questions_at_target_with_their_evidence(four: Any) -> None:
    card, _ = four
    found = advice.strengths(card)
    assert found and len(found) <= advice.STRENGTHS
    assert found[0].question.id == "service-standards-published"
    assert any("Service charter published 1 July" in n.text for n in found[0].evidence)
    assert all(advice.question_status(s.question, card) == "met" for s in found)


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_every_document_opens_with_the_executive_page(four: Any, fmt: str) -> None:
    card, comparison = four
    text = str(render_report(card, fmt, options(comparison)))
    if fmt == "html":
        text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)  # what a reader sees, in order
    heads = ["done well", "to do now", "disagree", "oadmap" if fmt != "txt" else "ROADMAP"]
    places = [text.lower().index(h.lower()) for h in heads]
    assert places == sorted(places)
    assert text.index("Ardley Home Supplies scores 48.0 out of 100") < places[0]
    assert places[-1] < text.lower().index("appendix a")


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_the_body_speaks_the_clients_language_and_the_appendix_keeps_the_machinery(four: Any, fmt: str) -> None:
    card, comparison = four
    text = str(render_report(card, fmt, options(comparison)))
    cut = text.lower().index("appendix a")
    body, appendix = text[:cut], text[cut:]
    if fmt == "html":
        body = re.sub(r"<style>.*?</style>|<[^>]+>", " ", body, flags=re.S)  # the words, not the markup
    for q in card.questions:
        assert not re.search(rf"(?<![\w-]){re.escape(q.id)}(?![\w-])", body), q.id
    for word in ("gain", "gains", "weight", "weights", "priority", "json"):
        assert not re.search(rf"\b{word}\b", body.lower()), word
    assert "service-standards-published" in appendix
    assert all(re.search(rf"\b{word}\b", appendix.lower()) for word in ("gain", "weight", "priority"))


# ---------------------------------------------------------------------------------------------------
# Charts


def test_section_labels_are_never_cut(four: Any) -> None:
    card, _ = four
    chart = section_chart(card.sections)
    long = "People: training, competence and motivation"
    assert long in [bar.title for bar in chart.bars]
    html = str(render_report(card, "html", options()))
    assert f'font-size="13" fill="#1b1f24">{long}</text>' in html
    assert "\u2026</text>" not in html
    text = str(render_report(card, "txt", options(width=80)))
    assert long in text


def test_a_role_by_section_heatmap_where_there_are_several_roles(four: Any, one: Scorecard) -> None:
    card, _ = four
    heat = heatmap(card)
    assert heat is not None and heatmap(one) is None
    assert [role for role, _ in heat.roles] == ["back-office", "front-line", "leadership", "management"]
    assert len(heat.rows) == len(card.sections)
    assert all(" ".join(row.title) == row.section for row in heat.rows)  # wrapped, never cut
    html = str(render_report(card, "html", options()))
    assert '<title id="heat-title">Section scores by role</title>' in html
    assert "Service standards and expectations: back-office 50.0, front-line 100.0" in heat.description
    assert 'id="heat-title"' not in str(render_report(one, "html", options()))


def test_perception_plots_give_each_role_its_own_lane(four: Any) -> None:
    card, comparison = four
    html = str(render_report(card, "html", options(comparison)))
    part = html[html.index('id="perception"') : html.index('id="detail"')]
    rows = part.split('<span class="lanes">')[1:]
    assert rows
    for row in rows:
        lanes = re.findall(r'<span class="lane role-\d"><span class="lane-label">([\w-]+) <strong>', row)
        assert len(lanes) == len(set(lanes)) >= 2  # one lane per role: no dot sits on another


# ---------------------------------------------------------------------------------------------------
# PDF


def page_fill(pdf: bytes) -> list[float]:
    """How far down each page its text reaches (0 empty, 1 full), the footer left out; robust to fonts,
    since it reads where text is placed rather than what it looks like."""
    import pypdf

    fills = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        top, bottom = height - 15 * 72 / 25.4, 17 * 72 / 25.4  # the @page margins
        ys: list[float] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, ys: list[float] = ys) -> None:
            if text.strip():
                ys.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        body = [y for y in ys if bottom < y <= top + 2]
        fills.append((top - min(body)) / (top - bottom) if body else 0.0)
    return fills


@pytest.mark.parametrize(("which", "most"), [("one", 7), ("four", 11)])
def test_the_pdf_is_short_and_has_no_near_empty_page(which: str, most: int, four: Any, one: Scorecard) -> None:
    require_tool(importlib.util.find_spec("weasyprint") is not None, "the PDF extra (weasyprint) is not installed")
    require_tool(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    card, comparison = (one, None) if which == "one" else four
    pdf = render_report(card, "pdf", options(comparison))
    assert isinstance(pdf, bytes)
    fills = page_fill(pdf)
    # care-essentials 2026.2: one respondent 14 pages before issue 14, 7 after its first round, 6 now; Ardley
    # (four, a baseline) 28, then 14, now 10. The issue asks for "about" 6 and 10: one page of slack for
    # another machine's font metrics, so that a different hinting never fails CI on a layout that is right
    assert len(fills) <= most, fills
    assert all(fill >= 0.25 for fill in fills[:-1]), fills


def test_practices_and_results_have_their_chart_and_sentence_when_the_scorer_gives_them(four: Any) -> None:
    from types import SimpleNamespace

    card, _ = four
    assert parts_chart(card) is None or getattr(card, "practice_score", None) is not None
    # a scorecard that carries the part scores (issue 13's measures: practice | result)
    parts = SimpleNamespace(practice_score=72.0, results_score=41.5)
    chart = parts_chart(parts)  # type: ignore[arg-type]
    assert chart is not None and [b[0] for b in chart.bars] == ["Practices", "Results"]
    assert chart.bars[1][3] == round(41.5 / 100 * chart.plot_width, 2)
    assert "Practices 72.0; Results 41.5" in chart.description
    assert parts_chart(SimpleNamespace(practice_score=None, results_score=None)) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------
# The roadmap in the data, the marks in plain text, a short survey


def test_json_and_csv_carry_the_roadmap_with_its_horizons_owner_and_due(four: Any) -> None:
    import csv
    import json

    card, comparison = four
    plan = advice.roadmap(card)
    data = json.loads(str(render_report(card, "json", options(comparison))))["roadmap"]
    assert [stage["horizon"] for stage in data["stages"]] == [stage.key for stage in plan.stages]
    actions = [a for stage in data["stages"] for a in stage["actions"]]
    assert sorted(a["rank"] for a in actions) == list(range(1, 8))
    assert {a["question"] for a in actions} == {step.question.id for step in plan.steps}
    assert "service-standards-published" not in {a["question"] for a in actions}  # at target: never on it
    assert all(a["status"] in ("near", "far") and a["owner"] is None and a["due"] is None for a in actions)
    assert data["left_out"] == plan.left_out and data["at_target"] == plan.at_target >= 1
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(str(render_report(card, "csv", options()))))}
    on_roadmap = {q: int(r["roadmap"]) for q, r in rows.items() if r["roadmap"]}
    assert on_roadmap == {a["question"]: a["rank"] for a in actions}
    assert rows["service-standards-published"]["roadmap"] == ""
    assert {r["horizon"] for r in rows.values()} <= {"quick", "next", "strategic"}
    assert all(rows[a["question"]]["horizon"] == stage["horizon"] for stage in data["stages"] for a in stage["actions"])


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_the_plain_text_heatmap_marks_each_score_against_its_target(four: Any, fmt: str) -> None:
    card, _ = four
    text = str(render_report(card, fmt, options()))
    standards = next(line for line in text.splitlines() if "\u25cf 100.0" in line)
    # the back-office sees Service standards at 50.0 against a target of 75: far, an empty circle
    assert "\u25cb 50.0" in standards
    assert "\u25d0 65.0" in text  # leadership's Delivery and timeliness: near its 75
    assert "\u25cf met" in text or "\u25cf target met" in text  # the legend says what the shapes mean


def test_a_short_survey_says_once_what_was_not_asked(tmp_path: Path) -> None:
    source = (ARDLEY / "2026-Q3" / "care-essentials--priya-nair.yaml").read_text(encoding="utf-8")
    asked = ["service-standards-published", "ask-expectations", "easy-to-contact", "csat-top-box"]
    lines = []
    for line in source.splitlines():
        if line == "answers:":
            lines.append("questions: [" + ", ".join(asked) + "]")
        elif line.startswith("  ") and line.split(":")[0].strip() not in asked:
            continue
        lines.append(line)
    (tmp_path / "care-essentials--priya-nair.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (report,) = build_reports(ReportRequest([tmp_path]), Catalog()).reports
    card = report.card
    assert card.asked_questions == 4 and not card.draft
    for fmt in ("html", "md", "txt"):
        text = str(render_report(card, fmt, options()))
        appendix = text[text.upper().index("APPENDIX A") :]
        assert f"{card.checklist.questions - 4} questions were not asked of anyone" in appendix
        assert "Not asked" not in appendix.split("not asked of anyone")[1], fmt  # no row per unasked question
        assert "Leadership and culture" not in appendix.split("Appendix B")[0].split("APPENDIX B")[0], fmt
    md = str(render_report(card, "md", options()))
    assert "| Leadership and culture | no score | 70.0 | not asked |" in md
