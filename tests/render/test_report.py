"""Rendering: golden files for every format, the Jinja environment, escaping, branding, browser, PDF."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN, SHARED_CSS, require_tool, split_css

from carecheck.catalog.loading import AnswerStream, Catalog
from carecheck.catalog.plans import AppliedPlan, read_plan
from carecheck.catalog.validation import discover
from carecheck.errors import Finding, InputError, UsageError
from carecheck.format.model import AnswerFile
from carecheck.render.report import (
    CSV_COLUMNS,
    FORMATS,
    Branding,
    ReportOptions,
    accent_palette,
    contrast,
    environment,
    format_for,
    logo_data_uri,
    parse_accent,
    read_logo,
    render_report,
    report_date,
)
from carecheck.scoring.score import Scorecard, score

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "report"
PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "acme.yaml"
GENERATED = datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc)
AXE = Path(__file__).parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def example_card() -> Scorecard:
    """The fixed example: two respondents of Acme <Care> & Sons."""
    files = ("acme-jo.yaml", "acme-sam.yaml")
    stream = AnswerStream([(EXAMPLE / n, True) for n in files], Catalog())
    return score(stream.checklist, answers_of(stream), sources=list(files))


def answers_of(stream: AnswerStream) -> list[AnswerFile]:
    """The answer files, read as `carecheck report` reads them (AnswerStream.items)."""
    return [answers for _, _, answers, _ in stream.items()]


def options(**changes: Any) -> ReportOptions:
    return ReportOptions(generated=GENERATED, generator="carecheck (golden)", **changes)


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return example_card()


# ---------------------------------------------------------------------------------------------------
# Golden files


def axe_check(page: Any, context: str = "document") -> Any:
    """Run axe-core on the page (or the parts `context` names) and assert no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"async () => await axe.run({context}, {{resultTypes: ['violations']}})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    return result


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "json", "csv"])
def test_every_text_format_matches_its_golden_file(card: Scorecard, fmt: str, golden: Any) -> None:
    output = render_report(card, fmt, options())
    assert isinstance(output, str)
    golden(f"acme.{fmt}", output)


def example_plan(card: Scorecard) -> AppliedPlan:
    """The example's plan: `trained` accepted until 2099, the waiver of `complaints-known` expired, two owners."""
    stream = AnswerStream([(EXAMPLE / "acme-jo.yaml", True)], Catalog())
    plan, warnings = read_plan(PLAN, stream.resolved, Catalog(), card.organisation, GENERATED.date())
    assert [f.code for f in warnings] == ["CC301"]
    return replace(plan, source="plan.yaml")  # as the command line names it, not this machine's path


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "json", "csv"])
def test_waivers_and_owners_show_in_every_format(card: Scorecard, fmt: str, golden: Any) -> None:
    output = render_report(card, fmt, options(plan=example_plan(card)))
    assert isinstance(output, str)
    golden(f"acme-plan.{fmt}", output)


def test_every_html_report_carries_the_one_shared_stylesheet(card: Scorecard) -> None:
    """Draft or final, any organisation, branding, a plan: only the report's own lines differ from report.css."""
    shared = (GOLDEN / SHARED_CSS).read_text(encoding="utf-8")
    final = replace(card, organisation="Northwind Care", draft=False)
    branded = options(branding=Branding(name="Care Consulting", accent="#7a1f5c"))
    for html in (
        render_report(card, "html", options()),
        render_report(card, "html", options(plan=example_plan(card))),
        render_report(final, "html", branded),
    ):
        page, css = split_css(str(html))
        assert css == shared
    assert "--accent: #7a1f5c;" in page and '"Northwind Care"' in page and "DRAFT" not in page
    assert "Northwind" not in shared and "#7a1f5c" not in shared and "DRAFT" not in shared


def test_owners_due_dates_and_waivers_in_json_csv_and_html(card: Scorecard) -> None:
    plan = example_plan(card)
    data = json.loads(str(render_report(card, "json", options(plan=plan))))
    actions = {a["question"]: a for a in data["actions"]}
    assert (actions["published-standards"]["owner"], actions["published-standards"]["due"]) == ("Sam Lee", "2027-01-31")
    assert actions["has-chat"]["owner"] == "=Kim Patel" and actions["has-chat"]["due"] is None
    assert actions["trained"]["waiver"]["status"] == "accepted" and actions["trained"]["waiver"]["owner"] == "Jo Smith"
    assert actions["complaints-known"]["waiver"]["status"] == "expired"
    assert [(w["question"], w["status"], w["expires"]) for w in data["waivers"]] == [
        ("trained", "accepted", "2099-12-31"),
        ("complaints-known", "expired", "2026-06-30"),
    ]
    assert data["plan"] == "plan.yaml" and data["critical_failures"] == [
        "published-standards",
        "trained",
        "complaints-known",
    ]
    rows = {r["question"]: r for r in csv.DictReader(io.StringIO(str(render_report(card, "csv", options(plan=plan)))))}
    assert (rows["published-standards"]["owner"], rows["published-standards"]["due"]) == ("Sam Lee", "2027-01-31")
    assert rows["has-chat"]["owner"] == "'=Kim Patel"  # a spreadsheet would run it as a formula
    assert (rows["trained"]["waiver"], rows["trained"]["waiver_expires"]) == ("accepted", "2099-12-31")
    assert rows["complaints-known"]["waiver"] == "expired" and rows["standards-reviewed"]["waiver"] == ""
    html = str(render_report(card, "html", options(plan=plan)))
    assert '<td class="fill">Sam Lee</td>' in html and '<td class="fill">31 January 2027</td>' in html
    assert html.count('<span class="badge accepted">Accepted</span>') == 3  # summary, roadmap, appendix
    assert "Accepted until 31 December 2099" in html and "<td>Jo Smith</td>" in html
    assert "the rest &lt;in the spring&gt; &amp; &#34;before May&#34;." in html
    # without a plan the owner and due columns are still there, blank to fill; no accepted gaps
    plain = str(render_report(card, "html", options()))
    assert '<th scope="col">Owner</th><th scope="col">Due</th>' in plain and "Accepted gaps" not in plain
    assert "Sam Lee</td>" not in plain and "left blank to fill in" in plain


def test_the_registry_holds_every_documented_format() -> None:
    assert sorted(FORMATS) == sorted(["html", "md", "txt", "json", "csv", "pdf"])


# ---------------------------------------------------------------------------------------------------
# Inputs from the edge


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, None, "txt"),
        (None, "r.html", "html"),
        (None, "R.HTM", "html"),
        (None, "r.md", "md"),
        (None, "r.json", "json"),
        (None, "r.csv", "csv"),
        (None, "r.pdf", "pdf"),
        (None, "r.txt", "txt"),
        ("text", "r.html", "txt"),
        ("json", None, "json"),
    ],
)
def test_format_from_option_then_extension(fmt: str | None, output: str | None, expected: str) -> None:
    assert format_for(fmt, Path(output) if output else None) == expected


def test_an_unknown_extension_asks_for_a_format() -> None:
    with pytest.raises(UsageError, match=r"cannot tell the format from 'report\.docx'"):
        format_for(None, Path("report.docx"))
    with pytest.raises(UsageError, match="unknown format 'docx'"):
        format_for("docx", None)


def test_source_date_epoch_fixes_the_date() -> None:
    assert report_date({"SOURCE_DATE_EPOCH": "1790000000"}) == datetime(2026, 9, 21, 14, 13, 20, tzinfo=timezone.utc)
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert report_date({}, now=lambda: now) == now
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        report_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_accent_colours_are_checked_and_normalised() -> None:
    assert parse_accent("#ABC") == "#aabbcc"
    assert parse_accent("1f4e79") == "#1f4e79"
    with pytest.raises(UsageError, match="--accent"):
        parse_accent("red; } body { display: none")


@pytest.mark.parametrize("accent", ["#ffcc00", "#ffffff", "#00ff00", "#1f4e79", "#000000", "#e91e63"])
def test_any_accent_keeps_text_readable(accent: str) -> None:
    palette = accent_palette(accent)
    assert contrast(palette["accent_ink"], "#ffffff") >= 4.5
    assert contrast(palette["on_accent"], accent) >= 4.5


def test_a_logo_is_embedded_as_a_data_uri(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert read_logo(logo).startswith("data:image/svg+xml;base64,PHN2Zy")
    assert logo_data_uri(b"\x89PNG", "x.png") == "data:image/png;base64,iVBORw=="
    with pytest.raises(UsageError, match="the logo must be"):
        logo_data_uri(b"", "logo.bmp")
    with pytest.raises(InputError, match="cannot read the logo"):
        read_logo(tmp_path / "missing.png")


# ---------------------------------------------------------------------------------------------------
# The Jinja environment


def test_user_templates_override_built_ins_and_the_rest_falls_back(card: Scorecard, tmp_path: Path) -> None:
    (tmp_path / "report.css.j2").write_text("body { color: rebeccapurple; }", encoding="utf-8")
    html = render_report(card, "html", options(template_dir=tmp_path))
    assert isinstance(html, str)
    assert "rebeccapurple" in html and "--accent:" not in html  # the CSS was replaced...
    assert "Executive summary" in html  # ...and report.html.j2 still came from the built-ins
    (tmp_path / "report.md.j2").write_text("{{ card.organisation }} scores {{ card.overall|score }}\n", "utf-8")
    assert render_report(card, "md", options(template_dir=tmp_path)) == "Acme <Care> & Sons scores 26.4\n"


def test_undefined_variables_are_errors_not_blanks(card: Scorecard, tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("{{ card.organisaton }}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"template error: .*organisaton"):
        render_report(card, "md", options(template_dir=tmp_path))


def test_a_broken_template_names_its_file_and_line(card: Scorecard, tmp_path: Path) -> None:
    (tmp_path / "report.txt.j2").write_text("fine\n{% if %}\n", encoding="utf-8")
    with pytest.raises(UsageError) as info:
        render_report(card, "txt", options(template_dir=tmp_path))
    assert str(info.value).startswith(f"{tmp_path / 'report.txt.j2'}:2:1: template error")


def test_html_templates_autoescape_and_others_do_not(card: Scorecard, tmp_path: Path) -> None:
    for name in ("report.html.j2", "report.md.j2"):
        (tmp_path / name).write_text("{{ card.organisation }}", encoding="utf-8")
    assert render_report(card, "html", options(template_dir=tmp_path)) == "Acme &lt;Care&gt; &amp; Sons"
    assert render_report(card, "md", options(template_dir=tmp_path)) == "Acme <Care> & Sons"


def test_a_missing_template_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a folder"):
        environment(tmp_path / "nope")


# ---------------------------------------------------------------------------------------------------
# What the formats hold


def hostile_card(tmp_path: Path) -> Scorecard:
    """The example with script payloads in the organisation and a note."""
    payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    for name in ("acme-jo.yaml", "acme-sam.yaml"):
        text = (EXAMPLE / name).read_text(encoding="utf-8")
        text = text.replace("organisation: Acme <Care> & Sons", f"organisation: '{payload} Evil Corp'")
        text = text.replace("Reviewed once in 2024", payload.replace('"', '\\"'))
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    stream = AnswerStream([(tmp_path / "acme-jo.yaml", True), (tmp_path / "acme-sam.yaml", True)], Catalog())
    return score(stream.checklist, answers_of(stream))


def test_html_escapes_everything_the_user_typed(tmp_path: Path) -> None:
    html = render_report(hostile_card(tmp_path), "html", options(branding=Branding(name="<i>Consult</i>")))
    assert isinstance(html, str)
    assert "<script" not in html and "<img src=x" not in html and "<i>Consult" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "&lt;i&gt;Consult&lt;/i&gt;" in html
    # the print footer carries the organisation inside <style>: escaped as a CSS string
    style = html[html.index("<style>") + len("<style>") : html.index("</style>")]
    assert "<" not in style and "\\3c script\\3e " in style


def test_html_is_self_contained(card: Scorecard) -> None:
    html = render_report(card, "html", options(branding=Branding(logo="data:image/png;base64,iVBORw==")))
    assert isinstance(html, str)
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in html
    references = re.findall(r"""(?:src|href)=["']([^"']*)""", html)
    # the logo, and links within the document
    assert [r for r in references if not r.startswith("#")] == ["data:image/png;base64,iVBORw=="]
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    # the chart's text alternative: the score, its target and where it stands in words
    assert "Customers know what to expect: 21.9, target 75, far below target" in html


def test_branding_shows_name_logo_and_accent(card: Scorecard) -> None:
    branding = Branding(name="Care Consulting", logo="data:image/png;base64,iVBORw==", accent="#7a1f5c")
    html = render_report(card, "html", options(branding=branding))
    assert isinstance(html, str)
    assert '<img src="data:image/png;base64,iVBORw==" alt="Care Consulting logo">' in html
    assert "--accent: #7a1f5c;" in html and "Prepared by Care Consulting" in html
    md = render_report(card, "md", options(branding=branding))
    assert "| Prepared by | Care Consulting |" in str(md)


def test_markdown_makes_user_text_inert(tmp_path: Path) -> None:
    md = render_report(hostile_card(tmp_path), "md", options())
    assert isinstance(md, str)
    assert "<script" not in md and "&lt;script&gt;" in md
    # every table row keeps its columns: user text cannot add a |
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Question" not in line]
    assert rows and all(line.count(" | ") >= 1 for line in rows)


def test_json_has_the_documented_versioned_shape(card: Scorecard) -> None:
    data = json.loads(str(render_report(card, "json", options())))
    assert data["carecheck-report"] == 1
    assert list(data) == [
        "carecheck-report",
        "title",
        "generated",
        "generator",
        "organisation",
        "audit",
        "checklist",
        "respondents",
        "draft",
        "asked_questions",
        "overall",
        "practice_score",
        "results_score",
        "rating",
        "counts",
        "sections",
        "actions",
        "actions_total",
        "roadmap",
        "critical_failures",
        "to_answer",
        "data_gaps",
        "claims",
        "unevidenced",
        "notes",
        "scoring",
        "plan",
        "waivers",
        "anonymous",
        "role_means",
        "role_data_gaps",
        "perception_gaps",
        "comparison",
    ]
    assert data["generated"] == "2026-11-01T09:30:00Z"
    # the question keys docs/report-format.md lists, in its order
    doc = (Path(__file__).parents[2] / "docs" / "report-format.md").read_text(encoding="utf-8")
    documented = re.search(r"\| `sections\[\]\.questions` \| `\[\{([^}]*)\}\]`", doc)
    assert documented is not None
    assert list(data["sections"][0]["questions"][0]) == documented.group(1).split(", ")
    assert data["overall"] == 26.4 and data["rating"]["label"] == "Reactive" and data["rating"]["provisional"]
    assert [s["score"] for s in data["sections"]] == [21.9, 49.2, 12.5]
    assert [a["question"] for a in data["actions"]] == [q.id for q in card.actions]
    assert data["sections"][1]["questions"][3]["score"] is None  # chat-staffed: not asked, no score
    assert data["to_answer"] == ["complaints-known"] and data["data_gaps"] == ["trained"]


def test_json_and_csv_honour_top(card: Scorecard) -> None:
    data = json.loads(str(render_report(card, "json", options(top=2))))
    assert len(data["actions"]) == 2 and data["actions_total"] == 6
    rows = list(csv.reader(io.StringIO(str(render_report(card, "csv", options(top=2))))))
    assert len(rows) == 3


def test_csv_is_the_action_plan_with_the_documented_columns(card: Scorecard) -> None:
    rows = list(csv.DictReader(io.StringIO(str(render_report(card, "csv", options())))))
    assert (
        tuple(rows[0])
        == CSV_COLUMNS
        == (
            "section",
            "question",
            "text",
            "score",
            "gain",
            "priority",
            "effort",
            "critical",
            "recommendation",
            "note",
            "owner",
            "due",
            "waiver",
            "waiver_owner",
            "waiver_expires",
            "waiver_reason",
            "baseline_score",
            "change",
            "perception_gap",
            "measures",
            "horizon",
            "roadmap",
        )
    )
    assert [r["question"] for r in rows] == [q.id for q in card.actions]
    first = rows[0]
    assert first["section"] == "expectations" and first["critical"] == "yes" and first["effort"] == "low"
    assert float(first["priority"]) == pytest.approx(float(first["gain"]) * 2 / 1, abs=0.01)
    assert first["note"] == (
        'Jo Smith: Only on the website, <b>not</b> in shops & "hidden"\nSam Lee: Customers ask us what to expect'
    )


def test_csv_quotes_cells_a_spreadsheet_would_run(tmp_path: Path) -> None:
    text = (
        (EXAMPLE / "acme-jo.yaml")
        .read_text(encoding="utf-8")
        .replace("note: Reviewed once in 2024", "note: '=HYPERLINK(\"http://x\")'")
    )
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    stream = AnswerStream([(tmp_path / "a.yaml", True)], Catalog())
    rows = list(
        csv.DictReader(io.StringIO(str(render_report(score(stream.checklist, answers_of(stream)), "csv", options()))))
    )
    assert next(r for r in rows if r["question"] == "standards-reviewed")["note"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("width", [40, 60, 80, 100, 132])
def test_text_fits_the_width(card: Scorecard, width: int) -> None:
    text = str(render_report(card, "txt", options(width=width)))
    assert max(len(line) for line in text.splitlines()) <= width
    assert "\x1b[" not in text


def test_text_colour_only_when_asked(card: Scorecard) -> None:
    coloured = str(render_report(card, "txt", options(color=True)))
    assert "\x1b[1m" in coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert plain == render_report(card, "txt", options())


def test_text_colour_is_clicks_styling_as_the_findings_are(card: Scorecard) -> None:
    # one colour path: the report, the history and the findings all style through render.style.styler
    import click

    from carecheck.render.findings import FORMATS as FINDINGS_FORMATS
    from carecheck.render.style import styler

    coloured = str(render_report(card, "txt", options(color=True)))
    assert click.style("Critical questions below 50", fg="red", bold=True) in coloured
    assert click.unstyle(coloured) == render_report(card, "txt", options())
    finding = Finding("a.yaml", None, "CC008", "bad", severity="warning")
    assert styler(True)("CC008", "yellow", "bold") in FINDINGS_FORMATS["text"]([finding], ["a.yaml"], color=True)
    assert styler(False)("CC008", "yellow", "bold") == "CC008"


def test_text_strips_terminal_escapes_from_user_text(tmp_path: Path) -> None:
    text = (
        (EXAMPLE / "acme-jo.yaml")
        .read_text(encoding="utf-8")
        .replace("note: Reviewed once in 2024", 'note: "Reviewed\\e[2J\\e]0;pwned\\a once"')
    )
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    stream = AnswerStream([(tmp_path / "a.yaml", True)], Catalog())
    output = str(render_report(score(stream.checklist, answers_of(stream)), "txt", options()))
    assert "\x1b" not in output and "\x07" not in output
    assert "Reviewed[2J]0;pwned once" in output


def test_top_limits_the_action_plan_and_says_so(card: Scorecard) -> None:
    html = str(render_report(card, "html", options(top=2)))
    plan = html[html.index('id="roadmap-title"') : html.index('id="sections-title"')]
    assert plan.count('<td class="fill">') == 2 * 2  # two actions, each with its owner and due cells
    assert "4 further questions below target follow once these are done" in html


def test_many_notes_are_capped_in_documents_but_kept_in_data(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    for n in range(6):
        text = (EXAMPLE / "acme-sam.yaml").read_text(encoding="utf-8").replace("Sam Lee", f"Person {n}")
        (tmp_path / f"p{n}.yaml").write_text(text, encoding="utf-8")
    stream = AnswerStream(discover([tmp_path]), Catalog())
    many = score(stream.checklist, answers_of(stream))
    assert len(many.respondents) == 6
    html = str(render_report(many, "html", options()))
    assert "and 4 more in the CSV and JSON reports" in html
    data = json.loads(str(render_report(many, "json", options())))
    assert len(data["sections"][0]["questions"][0]["notes"]) == 6


def test_many_respondents_are_summarised_in_documents(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    for n in range(40):
        text = (EXAMPLE / "acme-jo.yaml").read_text(encoding="utf-8").replace("Jo Smith", f"Person {n:02d}")
        (tmp_path / f"p{n:02d}.yaml").write_text(text, encoding="utf-8")
    stream = AnswerStream(discover([tmp_path]), Catalog())
    many = score(stream.checklist, answers_of(stream))
    html = str(render_report(many, "html", options()))
    assert "40 people (listed in the appendix)" in html
    assert "Respondents by role (40 in all; the JSON report lists each)" in html
    assert '<tr><th scope="row">management</th><td class="num">40</td></tr>' in html
    assert "Person 00, Person 01, Person 02, Person 03, Person 04 and 35 more" in html
    assert "Person 39" not in html  # nobody is listed one by one
    md = str(render_report(many, "md", options()))
    assert "| Respondents | 40 people |" in md


def test_a_report_without_scores_says_no_score(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path)
    (tmp_path / "a.yaml").write_text(
        "carecheck-answers: 1\nchecklist: {id: service-basics}\norganisation: Empty Ltd\nanswers: {}\n",
        encoding="utf-8",
    )
    stream = AnswerStream([(tmp_path / "a.yaml", True)], Catalog())
    empty = score(stream.checklist, answers_of(stream))
    for fmt in ("html", "md", "txt"):
        out = str(render_report(empty, fmt, options()))
        assert "no score" in out.lower()
        shown = re.sub(r"<svg.*</svg>", "", out, flags=re.S)  # chart coordinates are not scores
        assert not re.search(r"(?<![\d.])0\.0(?![\d])", shown), fmt
    assert json.loads(str(render_report(empty, "json", options())))["overall"] is None


# ---------------------------------------------------------------------------------------------------
# PDF


def test_pdf_without_the_extra_says_how_to_install_it(card: Scorecard, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(UsageError, match=r"pip install 'carecheck\[pdf\]'") as info:
        render_report(card, "pdf", options())
    assert info.value.exit_code == 2


def test_pdf_has_the_expected_pages_and_the_score(card: Scorecard) -> None:
    require_tool(importlib.util.find_spec("weasyprint") is not None, "the PDF extra (weasyprint) is not installed")
    require_tool(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    pdf = render_report(card, "pdf", options())
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # cover and summary, perception gaps, results by section, action plan, appendix: about 7 pages with
    # Debian's fonts; the exact break depends on the fonts and weasyprint release, the footer must not
    pages = len(reader.pages)
    assert 5 <= pages <= 10
    first = reader.pages[0].extract_text()
    assert "26.4" in first and "Acme <Care> & Sons" in first
    assert f"Page 1 of {pages}" in first and "DRAFT" in first
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()


# ---------------------------------------------------------------------------------------------------
# In a real browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM.exists(), f"Debian's chromium is not installed at {CHROMIUM}")
    require_tool(importlib.util.find_spec("playwright") is not None, "playwright (Python) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_report(browser: Any, path: Path, *, bypass_csp: bool = False) -> tuple[Any, list[str]]:
    context = browser.new_context(bypass_csp=bypass_csp, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    page.on("request", lambda r: messages.append(f"request: {r.url}") if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, messages


def test_the_html_opens_cleanly_in_chromium(browser: Any, card: Scorecard, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(str(render_report(card, "html", options())), encoding="utf-8")
    page, messages = open_report(browser, path)
    assert messages == []
    visible = page.inner_text("body")
    assert "Acme <Care> & Sons" in visible and "26.4" in visible and "Reactive" in visible
    assert page.title() == "Customer care audit: Acme <Care> & Sons (draft)"
    page.context.close()


@pytest.mark.parametrize("with_plan", [False, True], ids=["plain", "with-plan"])
def test_the_html_has_no_serious_accessibility_violations(
    browser: Any, card: Scorecard, tmp_path: Path, with_plan: bool
) -> None:
    require_tool(AXE.exists(), f"axe-core is not installed in {AXE.parent} (npm install --prefix tests/browser)")
    path = tmp_path / "report.html"
    branding = Branding(name="Care Consulting", accent="#ffcc00")  # a light accent must stay readable
    plan = example_plan(card) if with_plan else AppliedPlan()  # owners, accepted and expired badges
    path.write_text(str(render_report(card, "html", options(branding=branding, plan=plan))), encoding="utf-8")
    page, _ = open_report(browser, path, bypass_csp=True)
    result = axe_check(page)
    assert result["passes"] or result["violations"] is not None
    page.context.close()


def test_every_part_of_a_report_with_changes_and_perception_gaps_has_no_serious_violations(
    browser: Any, tmp_path: Path
) -> None:
    require_tool(AXE.exists(), f"axe-core is not installed in {AXE.parent} (npm install --prefix tests/browser)")
    from carecheck.audits.grouping import ReportRequest, build_reports

    project = Path(__file__).parents[1] / "fixtures" / "periodic"
    request = ReportRequest([project / "audits" / "northwind-care"], baseline=("auto",))
    (report,) = build_reports(request, Catalog(folders=[project / "checklists"])).reports
    card = report.card
    assert report.comparison is not None and card.perception_gaps
    path = tmp_path / "report.html"
    path.write_text(str(render_report(card, "html", options(comparison=report.comparison))), encoding="utf-8")
    page, messages = open_report(browser, path, bypass_csp=True)
    assert messages == []
    axe_check(
        page,
        "{include: [['#summary'], ['#roadmap'], ['#sections'], ['#changes'], "
        "['#perception'], ['#detail'], ['#method']]}",
    )
    page.context.close()


def test_script_payloads_never_run(browser: Any, tmp_path: Path) -> None:
    card = hostile_card(tmp_path)
    # a careless template that prints user text unescaped: the CSP still stops the script
    careless = tmp_path / "templates"
    careless.mkdir()
    (careless / "report.html.j2").write_text(
        (Path(__file__).parents[2] / "templates" / "report.html.j2")
        .read_text(encoding="utf-8")
        .replace("<h1>{{ card.organisation }}</h1>", "<h1>{{ card.organisation|safe }}</h1>"),
        encoding="utf-8",
    )
    for name, template_dir in (("escaped.html", None), ("careless.html", careless)):
        path = tmp_path / name
        path.write_text(str(render_report(card, "html", options(template_dir=template_dir))), encoding="utf-8")
        page, messages = open_report(browser, path)
        assert page.evaluate("() => window.__pwned") is None, name
        if template_dir is None:
            assert "<script>window.__pwned = 1</script>" in page.inner_text("h1")
            assert messages == []
        else:
            assert page.locator("h1 script").count() == 1  # the payload is in the page...
            assert any("Content Security Policy" in m for m in messages)  # ...and the CSP refused it
        page.context.close()


def test_print_layout_is_a4(browser: Any, card: Scorecard, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(str(render_report(card, "html", options())), encoding="utf-8")
    page, _ = open_report(browser, path)
    pdf = page.pdf(prefer_css_page_size=True)
    require_tool(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    page.context.close()


def test_the_jinja_environment_is_built_once_per_template_folder(tmp_path: Path) -> None:
    # --by organisation renders one document per client: the compiled templates must serve them all
    from carecheck.render.report import environment

    assert environment() is environment(None)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert environment(tmp_path / "a") is environment(tmp_path / "a")
    assert environment(tmp_path / "a") is not environment(tmp_path / "b")
    built = environment()
    built.get_template("report.md.j2")
    assert len(built.cache or {}) >= 1 and environment() is built


def test_a_short_survey_and_a_like_for_like_report_have_no_serious_accessibility_violations(
    browser: Any, tmp_path: Path
) -> None:
    """The parts the numbers add: "based on N of M questions", data gaps by role, the like-for-like change."""
    require_tool(AXE.exists(), f"axe-core is not installed in {AXE.parent} (npm install --prefix tests/browser)")
    from carecheck.audits.grouping import ReportRequest, build_reports

    example = Path(__file__).parents[2] / "examples" / "audits" / "ardley-home-supplies" / "2026-Q3"
    (report,) = build_reports(ReportRequest([example], baseline=("auto",)), Catalog()).reports
    short = replace(report.card, asked_questions=7)
    path = tmp_path / "report.html"
    path.write_text(str(render_report(short, "html", options(comparison=report.comparison))), encoding="utf-8")
    page, messages = open_report(browser, path, bypass_csp=True)
    assert messages == []
    visible = " ".join(page.inner_text("body").split())
    assert "Based on 7 of 28 questions" in visible and "+19.5 like for like" in visible
    assert "By role: back-office 9 answers on 9 questions (1 respondent)" in visible
    axe_check(page)
    page.context.close()


def test_the_ardley_example_opens_cleanly_and_passes_axe(browser: Any, tmp_path: Path) -> None:
    # four roles, a baseline, the heatmap, the roadmap's three horizons, perception lanes: every new part
    require_tool(AXE.exists(), f"axe-core is not installed in {AXE.parent} (npm install --prefix tests/browser)")
    from carecheck.audits.grouping import ReportRequest, build_reports

    ardley = Path(__file__).parents[2] / "examples" / "audits" / "ardley-home-supplies" / "2026-Q3"
    (report,) = build_reports(ReportRequest([ardley], baseline=("auto",)), Catalog()).reports
    path = tmp_path / "ardley.html"
    path.write_text(str(render_report(report.card, "html", options(comparison=report.comparison))), encoding="utf-8")
    page, messages = open_report(browser, path)
    assert messages == []
    assert page.locator("#roadmap table.plan").count() >= 2 and page.locator("#heat-title").count() == 1
    page.context.close()
    page, _ = open_report(browser, path, bypass_csp=True)
    axe_check(page)
    page.context.close()
