"""Periodic audits and many respondents through the CLI: history, baselines, perception gaps, --by, errors.

The fixture (tests/fixtures/periodic) is a small project folder: `checklists/team-care.yaml`
(version 2) and `audits/`: Northwind Care audited three times (2026-Q1 answered version 1 of
the checklist, which had `old-survey`, no `new-panel`, another wording of `promises-reviewed`
and `callback` on a yes/partial/no scale), three or four respondents each; Bravo & Co. (UK)
once. Tests run inside a copy of it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from carecheck.audits.grouping import ReportRequest, build_history, build_reports
from carecheck.catalog.loading import Catalog
from carecheck.render.history import HistoryOptions, render_history
from carecheck.render.report import ReportOptions, render_report

FIXTURE = Path(__file__).parents[1] / "fixtures" / "periodic"
EXAMPLE = Path(__file__).parents[2] / "examples" / "audits" / "ardley-home-supplies"
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}
NAMES = ("Ann Lee", "Ben Roy", "Cat Dunn", "Dan Eze")
Q1, Q2, Q3 = (f"audits/northwind-care/2026-Q{n}" for n in (1, 2, 3))
BRAVO = "audits/bravo-co-uk/2026-Q3"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture project, the working folder for the test."""
    folder = tmp_path / "project"
    shutil.copytree(FIXTURE, folder)
    monkeypatch.chdir(folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def golden_options() -> ReportOptions:
    from datetime import datetime, timezone

    return ReportOptions(generated=datetime(2026, 9, 21, tzinfo=timezone.utc), generator="carecheck (golden)")


# ---------------------------------------------------------------------------------------------------
# Golden files: what changed, perception gaps, history


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "json", "csv"])
def test_the_report_against_the_previous_audit_matches_its_golden_file(project: Path, fmt: str, golden: Any) -> None:
    request = ReportRequest([Path(Q3)], baseline=("auto",), audits_folder=Path("audits"))
    reports = build_reports(request, Catalog(folders=[Path("checklists")]))
    (report,) = reports.reports
    output = render_report(report.card, fmt, replace(golden_options(), comparison=report.comparison))
    assert isinstance(output, str)
    golden(f"northwind-q3.{fmt}", output)


@pytest.mark.parametrize("fmt", ["txt", "md", "json", "csv"])
def test_history_matches_its_golden_file(project: Path, fmt: str, golden: Any) -> None:
    history, notices = build_history(Path("audits"), Catalog(folders=[Path("checklists")]))
    assert notices == []
    options = HistoryOptions(generated=golden_options().generated, generator="carecheck (golden)")
    golden(f"history.{fmt}", render_history(history, fmt, options))


# ---------------------------------------------------------------------------------------------------
# History


def test_history_lists_every_audit_with_its_change_and_a_sparkline(project: Path, run: Any) -> None:
    result = run("history", env=EPOCH)  # the `audits` setting: ./audits
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.index("Bravo & Co. (UK)") < text.index("Northwind Care")
    assert re.search(r"2026-Q1 .* 3 +50\.6 +-- +Developing", text)
    assert re.search(r"2026-Q2 .* 3 +64\.7 +\+14\.1 +Established", text)
    assert re.search(r"2026-Q3 .* 4 +51\.8 +-12\.9 +Developing", text)
    assert "Trend       \u2585\u2586\u2585" in text
    assert "2026-Q1: answers to 2 questions that the checklist no longer has or that no" in text


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "txt"])
def test_history_formats_from_the_option_or_the_extension(
    project: Path, run: Any, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # one clock for both runs: the JSON says when it was generated, and a second may pass between them
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    out = tmp_path / f"history.{fmt}"
    assert run("history", "audits", "-o", str(out)).exit_code == 0
    by_option = run("history", "audits", "--format", fmt)
    assert by_option.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.replace("\r\n", "\n") == by_option.stdout.replace("\r\n", "\n")


def test_history_json_and_csv_hold_the_same_numbers(project: Path, run: Any) -> None:
    data = json.loads(run("history", "audits", "--format", "json").stdout)
    assert data["carecheck-history"] == 1
    northwind = next(s for s in data["series"] if s["organisation"] == "Northwind Care")
    assert [(a["audit"], a["overall"], a["change"]) for a in northwind["audits"]] == [
        ("2026-Q1", 50.6, None),
        ("2026-Q2", 64.7, 14.1),
        ("2026-Q3", 51.8, -12.9),
    ]
    rows = list(csv.DictReader(io.StringIO(run("history", "audits", "--format", "csv").stdout)))
    overall = [(r["audit"], r["score"], r["change"]) for r in rows if r["organisation"] == "Northwind Care"]
    assert next(o for o in overall if o[0] == "2026-Q3") == ("2026-Q3", "51.8", "-12.9")
    assert {r["section"] for r in rows} == {"overall", "promises", "contact", "people"}


def test_history_of_one_checklist_and_of_a_folder_given(project: Path, run: Any) -> None:
    assert "Bravo" not in run("history", "audits/northwind-care").stdout
    assert run("history", "audits", "--checklist", "team-care").exit_code == 0
    none = run("history", "audits", "--checklist", "care-essentials")
    assert none.exit_code == 2
    assert none.stderr.startswith("no audits of checklist 'care-essentials' in audits; its audits answer team-care")


def test_history_errors_are_clear(project: Path, run: Any, tmp_path: Path) -> None:
    missing = run("history", "nowhere")
    assert missing.exit_code == 2 and "no audits folder 'nowhere'" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run("history", str(tmp_path / "empty"))
    assert empty.exit_code == 2 and "no audits in" in empty.stderr
    bad_name = run("history", "-o", "history.pdf")
    assert bad_name.exit_code == 2 and "cannot tell the format from 'history.pdf'" in bad_name.stderr
    edit(project / Q2 / "team-care--ben-roy.yaml", "organisation: Northwind Care", "organisation: [Northwind")
    broken = run("history", "audits")
    assert broken.exit_code == 2 and "team-care--ben-roy.yaml:4:6: CC003 YAML syntax error" in broken.stderr
    for result in (missing, empty, bad_name, broken):
        assert "Traceback" not in result.stderr


def test_history_leaves_out_answers_whose_checklist_is_missing(project: Path, run: Any) -> None:
    shutil.rmtree(project / "audits" / "northwind-care")
    (project / "checklists" / "team-care.yaml").rename(project / "elsewhere.yaml")
    # every audit left out for want of its checklist: report's error for the same file (CC201, exit 1),
    # not "no audits", from history and portfolio alike
    for command in ("history", "portfolio"):
        result = run(command, "audits")
        assert result.exit_code == 1, (command, result.stderr)
        assert "CC201 no checklist 'team-care' found: its audits are all there are" in result.stderr
        assert "no audits in" not in result.stderr


# ---------------------------------------------------------------------------------------------------
# Baselines


def test_baseline_auto_compares_with_the_previous_audit(project: Path, run: Any) -> None:
    result = run("report", Q3, "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0, result.stderr
    c = json.loads(result.stdout)["comparison"]
    assert c["baseline"]["audit"] == "2026-Q2"
    assert c["overall"] == {"before": 64.7, "after": 51.8, "change": -12.9}
    assert c["rating"] == {"before": "Established", "after": "Developing"}
    assert [p["audit"] for p in c["trend"]] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert c["gaps_closed"] == ["promises"] and c["gaps_opened"] == ["people", "reply-hours", "trained"]
    assert c["critical_fell"] == ["trained"] and c["critical_recovered"] == []
    assert c["added"] == [] and c["removed"] == [] and c["reworded"] == []


def test_baseline_explicit_files_and_folders(project: Path, run: Any) -> None:
    files = sorted(str(p) for p in (project / Q1).glob("*.yaml"))
    result = run("report", Q2, *[arg for f in files for arg in ("--baseline", f)], "--format", "json")
    assert result.exit_code == 0, result.stderr
    c = json.loads(result.stdout)["comparison"]
    assert c["baseline"]["audit"] == "2026-Q1" and c["baseline"]["respondents"] == 3
    assert json.loads(run("report", Q2, "--baseline", Q1, "--format", "json").stdout)["comparison"] == c


def test_a_checklist_version_change_is_listed_not_scored(project: Path, run: Any) -> None:
    result = run("report", Q2, "--baseline", Q1)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "The checklist changed since 2026-Q1" in text
    assert "- new: Do customers help design changes before they go live?" in text
    assert "- removed: old-survey" in text
    assert "- reworded: How often are your service promises reviewed" in text
    assert "- not compared: Do you call customers back within one working day?" in text
    c = json.loads(run("report", Q2, "--baseline", Q1, "--format", "json").stdout)["comparison"]
    assert c["added"] == [{"id": "new-panel", "text": "Do customers help design changes before they go live?"}]
    assert c["removed"] == ["old-survey"] and c["reworded"] == ["promises-reviewed"] and c["misfits"] == ["callback"]
    assert {q["id"] for q in c["questions"]} == {"charter", "promises-reviewed", "reply-hours", "trained", "recognised"}
    # the earlier audit's files are not refused for answering the old version: that is what a baseline is
    assert "CC202" not in result.stderr and "CC203" not in result.stderr


def test_answers_of_several_audits_report_the_latest_with_a_baseline(project: Path, run: Any) -> None:
    result = run("report", "audits/northwind-care", "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["audit"] == "2026-Q3" and data["comparison"]["baseline"]["audit"] == "2026-Q2"
    assert len(data["comparison"]["trend"]) == 3


def test_baseline_auto_finds_the_previous_audit_next_to_the_answers(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)  # no audits folder here: the audit beside the answers is found
    out = tmp_path / "report.html"
    result = run("report", str(EXAMPLE / "2026-Q3"), "--baseline", "auto", "-o", str(out), env=EPOCH)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "What changed since 2026-Q2" in html and "Perception gaps" in html
    assert '<svg role="img" aria-labelledby="trend-title trend-desc"' in html
    assert "Overall score out of 100 at each audit: 2026-Q2 36.9; 2026-Q3 48.0." in html


def test_baseline_auto_passes_over_unfinished_audits(project: Path, run: Any) -> None:
    edit(project / Q2 / "team-care--cat-dunn.yaml", "completed: 2026-05-12T09:40:00Z", "completed: null")
    result = run("report", Q3, "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["comparison"]["baseline"]["audit"] == "2026-Q1"
    assert "audit 2026-Q2 of 'Northwind Care' is passed over as a baseline: 1 of its 3 files" in result.stderr


def test_baseline_auto_without_an_earlier_audit_says_so(project: Path, run: Any) -> None:
    result = run("report", BRAVO, "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["comparison"] is None
    assert "no earlier completed audit of 'Bravo & Co. (UK)' (team-care) was found in audits" in result.stderr


def test_answers_to_an_older_checklist_version_are_refused_as_the_audit_reported(project: Path, run: Any) -> None:
    result = run("report", Q1)  # a baseline reads them leniently; the audit reported must fit the checklist
    assert result.exit_code == 1
    assert "CC203 'partial' is not an answer to 'callback'" in result.stderr


def test_baseline_auto_looks_in_the_configured_audits_folder(project: Path, run: Any, tmp_path: Path) -> None:
    current = tmp_path / "current"
    shutil.copytree(project / Q3, current)
    (project / "carecheck.yaml").write_text("carecheck-config: 1\naudits: audits\n", encoding="utf-8")
    result = run("report", str(current), "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["comparison"]["baseline"]["audit"] == "2026-Q2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--baseline", "auto", "--baseline", Q2], "--baseline auto finds the baseline itself"),
        (["--baseline", "audits/northwind-care/2026-Q4"], "audits/northwind-care/2026-Q4"),
        (["--baseline", "checklists"], "no answer files in the --baseline files and folders"),
        (["--baseline", BRAVO], "the baseline answers are of 'Bravo & Co. (UK)' and the report's of 'Northwind Care'"),
        (["--gap-threshold", "0"], "--gap-threshold"),
        (["--gap-threshold", "101"], "--gap-threshold"),
        (["--by", "region"], "--by"),
    ],
)
def test_baseline_and_option_errors(project: Path, run: Any, args: list[str], message: str) -> None:
    result = run("report", Q2, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_later_audit_or_the_same_one_is_no_baseline(project: Path, run: Any) -> None:
    later = run("report", Q2, "--baseline", Q3)
    assert later.exit_code == 2
    assert "the baseline audit 2026-Q3 is later than the audit reported (2026-Q2)" in later.stderr
    same = run("report", Q3, "--baseline", Q3)
    assert same.exit_code == 2
    assert "the baseline answers are of audit 2026-Q3, the audit reported" in same.stderr


def test_a_baseline_of_another_checklist_is_refused(project: Path, run: Any) -> None:
    result = run("report", Q3, "--baseline", str(EXAMPLE / "2026-Q2"))
    assert result.exit_code == 2
    assert "these baseline answers are to checklist 'care-essentials' and the report's to 'team-care'" in result.stderr
    assert "answers of different checklists cannot be compared" in result.stderr


def test_lint_errors_of_the_audit_reported_still_fail(project: Path, run: Any) -> None:
    edit(project / Q3 / "team-care--ben-roy.yaml", "callback: {value: no", "callback: {value: maybe")
    result = run("report", "audits/northwind-care", "--baseline", "auto")
    assert result.exit_code == 1
    assert "team-care--ben-roy.yaml:12:21: CC203 'maybe' is not an answer to 'callback'" in result.stderr


# ---------------------------------------------------------------------------------------------------
# Many respondents


def test_perception_gaps_are_named_prominently(project: Path, run: Any) -> None:
    result = run("report", Q3, "--format", "md")
    assert result.exit_code == 0
    summary = result.stdout[result.stdout.index("## Executive summary") : result.stdout.index("## Roadmap")]
    assert "Where people disagree" in summary
    assert "- **Contact and replies**: front-line sees 9.2, leadership sees 91.7" in summary  # sections first
    data = json.loads(run("report", Q3, "--format", "json").stdout)
    gaps = data["perception_gaps"]
    assert gaps["threshold"] == 25
    first = gaps["items"][0]
    assert first["gap"] == max(g["gap"] for g in gaps["items"])
    assert {"kind", "id", "title", "section", "critical", "gap", "low", "high", "role_means"} == set(first)


def test_the_gap_threshold_is_an_option(project: Path, run: Any) -> None:
    default = json.loads(run("report", Q3, "--format", "json").stdout)["perception_gaps"]
    strict = json.loads(run("report", Q3, "--format", "json", "--gap-threshold", "60").stdout)["perception_gaps"]
    assert strict["threshold"] == 60 and 0 < len(strict["items"]) < len(default["items"])
    assert all(g["gap"] >= 60 for g in strict["items"])


def test_per_question_spread_and_role_means_are_in_the_json(project: Path, run: Any) -> None:
    data = json.loads(run("report", Q3, "--format", "json").stdout)
    trained = next(q for s in data["sections"] for q in s["questions"] if q["id"] == "trained")
    assert (trained["scored_by"], trained["low"], trained["high"], trained["score"]) == (4, 0.0, 50.0, 25.0)
    assert trained["stdev"] == pytest.approx(17.7, abs=0.05)
    assert trained["role_means"] == [
        {"role": "front-line", "score": 12.5, "respondents": 2},
        {"role": "leadership", "score": 50.0, "respondents": 1},
        {"role": "management", "score": 25.0, "respondents": 1},
    ]
    assert [n["respondent"] for n in trained["notes"]] == ["Cat Dunn", "Dan Eze"]


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "json", "csv", "pdf"])
def test_anonymous_leaves_no_name_anywhere(project: Path, run: Any, tmp_path: Path, fmt: str, require: Any) -> None:
    if fmt == "pdf":
        import importlib.util

        require(importlib.util.find_spec("weasyprint") is not None, "the PDF extra (weasyprint) is not installed")
    out = tmp_path / f"report.{fmt}"
    result = run("report", "audits/northwind-care", "--baseline", "auto", "--anonymous", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    if fmt == "pdf":
        import pypdf

        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages)
    else:
        text = out.read_text(encoding="utf-8")
    if fmt in ("html", "md", "txt", "json"):
        assert "Two new starters had no induction" in text  # the notes are kept, without a name
    for name in NAMES:
        first, last = name.split()
        for word in (name, first, last, name.lower().replace(" ", "-")):
            assert not re.search(rf"\b{re.escape(word)}\b", text), f"{word!r} in the {fmt} report"
    assert "team-care--" not in text  # nor the answer files, named after people


def test_anonymous_json_keeps_roles_and_counts(project: Path, run: Any) -> None:
    data = json.loads(run("report", Q3, "--anonymous", "--format", "json").stdout)
    assert data["anonymous"] is True
    assert [(r["name"], r["source"], r["role"]) for r in data["respondents"]] == [
        (None, None, "front-line"),
        (None, None, "front-line"),
        (None, None, "leadership"),
        (None, None, "management"),
    ]
    notes = [n for s in data["sections"] for q in s["questions"] for n in q["notes"]]
    assert notes and all(n["respondent"] is None for n in notes)


# ---------------------------------------------------------------------------------------------------
# Several organisations


def test_mixed_organisations_are_refused_with_a_list(project: Path, run: Any) -> None:
    result = run("report", "audits", "--baseline", "auto")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "these answers are of 2 organisations: 'Bravo & Co. (UK)' (2 files); 'Northwind Care' (10 files)."
    )
    assert "--by organisation -o 'reports/{organisation}.html'" in result.stderr


def test_by_organisation_writes_one_report_each(project: Path, run: Any) -> None:
    result = run("report", Q3, BRAVO, "--by", "organisation", "-o", "reports/{organisation}.json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["bravo-co-uk.json", "northwind-care.json"]
    assert "wrote reports/bravo-co-uk.json" in result.stderr
    bravo = json.loads((project / "reports" / "bravo-co-uk.json").read_text(encoding="utf-8"))
    assert bravo["organisation"] == "Bravo & Co. (UK)" and len(bravo["respondents"]) == 2


def test_by_organisation_with_baselines_and_gates(project: Path, run: Any) -> None:
    result = run(
        "report", "audits", "--by", "organisation", "--baseline", "auto", "-o", "out/{organisation}.md",
        "--fail-under", "50",
    )  # fmt: skip
    assert result.exit_code == 1  # Bravo scores 44.6
    assert "no earlier completed audit of 'Bravo & Co. (UK)'" in result.stderr
    assert "carecheck: gate failed: Bravo & Co. (UK): the overall score 44.6 is under --fail-under 50" in result.stderr
    northwind = (project / "out" / "northwind-care.md").read_text(encoding="utf-8")
    assert "## What changed since 2026-Q2" in northwind


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (None, "the terminal would take the reports of 2 organisations"),
        ("all.html", "-o all.html would take the reports of 2 organisations: put {organisation} in the file name"),
        # a placeholder carecheck does not fill in is refused, not written as it stands
        ("r/{organisation}-{audit}.html", "-o r/{organisation}-{audit}.html: {audit} is not a placeholder; the only"),
        ("r/{org}-{Audit}.html", "{Audit}, {org} are not placeholders"),
    ],
)
def test_by_organisation_needs_a_file_name_per_organisation(
    project: Path, run: Any, output: str | None, message: str
) -> None:
    result = run("report", Q3, BRAVO, "--by", "organisation", *(["-o", output] if output else []))
    assert result.exit_code == 2 and message in result.stderr


def test_organisations_whose_names_make_the_same_file_are_refused(project: Path, run: Any) -> None:
    for path in (project / BRAVO).glob("*.yaml"):
        edit(path, "organisation: Bravo & Co. (UK)", "organisation: Northwind-Care")
    result = run("report", Q3, BRAVO, "--by", "organisation", "-o", "r/{organisation}.html")
    assert result.exit_code == 2
    assert "'Northwind Care' and 'Northwind-Care' would both be written to r/northwind-care.html" in result.stderr


def test_by_organisation_gates_for_ci_name_each_organisation(project: Path, run: Any) -> None:
    result = run(
        "report", Q3, BRAVO, "--by", "organisation", "-o", "r/{organisation}.html",
        "--fail-on", "critical", "--gate-format", "junit", "--gate-output", "gates.xml",
    )  # fmt: skip
    assert result.exit_code == 1
    junit = (project / "gates.xml").read_text(encoding="utf-8")
    assert "Northwind Care: critical question 'trained'" in junit
    assert "Bravo &amp; Co. (UK): critical question" in junit
    assert "carecheck: gate failed: Northwind Care: critical question 'trained' scores 25.0" in result.stderr


def test_a_plan_for_one_organisation_applies_to_its_report_only(project: Path, run: Any) -> None:
    (project / "plan.yaml").write_text(
        "carecheck-plan: 1\nchecklist: team-care\norganisation: Northwind Care\nwaivers:\n"
        "  - {question: trained, reason: Induction course starts in October., owner: Ann Lee, expires: 2099-12-31}\n",
        encoding="utf-8",
    )
    result = run(
        "report", Q3, BRAVO, "--by", "organisation", "-o", "r/{organisation}.json",
        "--fail-on", "critical", "--plan", "plan.yaml",
    )  # fmt: skip
    assert "gate waived: Northwind Care: critical question 'trained' scores 25.0" in result.stderr
    assert result.exit_code == 0 and "gate failed" not in result.stderr  # Bravo's critical questions score 50
    northwind = json.loads((project / "r" / "northwind-care.json").read_text(encoding="utf-8"))
    bravo = json.loads((project / "r" / "bravo-co-uk.json").read_text(encoding="utf-8"))
    assert northwind["plan"] == "plan.yaml" and bravo["plan"] is None


def test_an_unanswered_critical_question_fails_its_gate_in_an_anonymous_report(project: Path, run: Any) -> None:
    path = project / Q3 / "team-care--cat-dunn.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if "charter:" not in line) + "\n", encoding="utf-8")
    result = run("report", Q3, "--anonymous", "--fail-on", "critical", "--format", "json")
    assert result.exit_code == 1
    assert "critical question 'charter' is not answered" in result.stderr
    assert json.loads(result.stdout)["to_answer"] == ["charter"]


# ---------------------------------------------------------------------------------------------------
# Answer files without an audit label


def unlabelled(tmp_path: Path) -> Path:
    """The example's two quarters written by hand: no `audit:` lines, all in one folder."""
    folder = tmp_path / "audits" / "by-hand"
    folder.mkdir(parents=True)
    for path in EXAMPLE.glob("*/*.yaml"):
        text = re.sub(r"(?m)^audit: .*\n", "", path.read_text(encoding="utf-8"))
        (folder / f"{path.parent.name}-{path.name}").write_text(text, encoding="utf-8")
    return folder


def test_files_without_an_audit_label_belong_to_the_quarter_they_were_started(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = unlabelled(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("report", str(folder), "--baseline", "auto", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "CC206" not in result.stderr
    data = json.loads(result.stdout)
    assert data["audit"] == "2026-Q3" and len(data["respondents"]) == 4
    assert data["comparison"]["baseline"]["audit"] == "2026-Q2"
    assert data["comparison"]["baseline"]["respondents"] == 3
    history = run("history", "audits", "--format", "json")
    assert history.exit_code == 0, history.stderr
    (series,) = json.loads(history.stdout)["series"]
    assert [(a["audit"], a["respondents"]) for a in series["audits"]] == [("2026-Q2", 3), ("2026-Q3", 4)]
    # one quarter alone is one audit, reported as such
    q3 = sorted(str(p) for p in folder.glob("2026-Q3-*.yaml"))
    assert json.loads(run("report", *q3, "--format", "json").stdout)["audit"] == "2026-Q3"


# ---------------------------------------------------------------------------------------------------
# Organisations on different checklists


def client(folder: Path, organisation: str, checklist: str, name: str, value: str = "yes") -> Path:
    """A small answer file of `organisation` to a built-in checklist."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{checklist}--{name.lower().replace(' ', '-')}.yaml"
    path.write_text(
        "carecheck-answers: 1\n"
        f"checklist: {{id: {checklist}}}\n"
        f"organisation: {organisation}\n"
        "audit: 2026-Q3\n"
        f"respondent: {{name: {name}, role: management}}\n"
        "started: 2026-09-01T10:00:00Z\n"
        "completed: 2026-09-01T10:30:00Z\n"
        f"answers:\n  service-standards-published: {{value: {value}}}\n",
        encoding="utf-8",
    )
    return path


def test_by_organisation_reports_each_client_on_its_own_checklist(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    client(tmp_path / "audits" / "care-home", "Care Home", "care-essentials", "Ann Lee")
    client(tmp_path / "audits" / "corner-shop", "Corner Shop", "retail", "Ben Roy", "partial")
    result = run("report", "audits", "--by", "organisation", "-o", "reports/{organisation}.json")
    assert result.exit_code == 0, result.stderr
    care = json.loads((tmp_path / "reports" / "care-home.json").read_text(encoding="utf-8"))
    shop = json.loads((tmp_path / "reports" / "corner-shop.json").read_text(encoding="utf-8"))
    assert care["checklist"]["id"] == "care-essentials" and shop["checklist"]["id"] == "retail"
    assert len(care["sections"]) != len(shop["sections"])
    # a baseline is read against each organisation's own checklist
    assert (
        run("report", "audits", "--by", "organisation", "--baseline", "auto", "-o", "r/{organisation}.md").exit_code
        == 0
    )
    # without --by, and within one organisation, answers of two checklists are still refused
    assert run("report", "audits").exit_code == 2
    client(tmp_path / "audits" / "corner-shop", "Corner Shop", "care-essentials", "Cat Dunn")
    mixed = run("report", "audits", "--by", "organisation", "-o", "reports/{organisation}.json")
    assert mixed.exit_code == 2
    assert "the answers of 'Corner Shop' are to 2 checklists: care-essentials, retail" in mixed.stderr
