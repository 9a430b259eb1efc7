"""The report's gates: --fail-under and --fail-on critical, waivers, and the CI formats (--gate-format)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecheck.audits.gates import Places, check_gates, gate_findings, gate_format_for
from carecheck.catalog.loading import AnswerStream, Catalog
from carecheck.catalog.plans import Acceptance, AppliedPlan
from carecheck.errors import UsageError
from carecheck.format.model import AnswerFile
from carecheck.lint.rules import RULES
from carecheck.scoring.score import Scorecard, score

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLE = FIXTURES / "report"
CHECKLIST = EXAMPLE / "service-basics.yaml"
JO, SAM = str(EXAMPLE / "acme-jo.yaml"), str(EXAMPLE / "acme-sam.yaml")
PLAN = str(FIXTURES / "plans" / "acme.yaml")
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}  # 21 September 2026: the waiver of complaints-known has expired
GATE_CODES = ("CC601", "CC602", "CC603", "CC604")
CRITICAL = [
    "carecheck: gate failed: critical question 'published-standards' scores 25.0 (below 50)",
    "carecheck: gate failed: critical question 'trained' scores 25.0 (below 50)",
    "carecheck: gate failed: critical question 'complaints-known' scores 0.0 (below 50)",
    "carecheck: gate failed: critical question 'complaints-known' is not answered",
]


def example(*names: str) -> tuple[Scorecard, Places]:
    stream = AnswerStream([(EXAMPLE / n, True) for n in names], Catalog())
    answers, sources = read(stream)
    card = score(stream.checklist, answers, sources=sources)
    return card, Places(stream.resolved, sources)


def read(stream: AnswerStream) -> tuple[list[AnswerFile], list[str]]:
    """The answer files and their paths, read as `carecheck report` reads them (AnswerStream.items)."""
    items = list(stream.items())
    return [answers for _, _, answers, _ in items], [str(path) for path, _, _, _ in items]


def write_plan(folder: Path, waivers: str, organisation: str = "Acme <Care> & Sons") -> Path:
    path = folder / "plan.yaml"
    path.write_text(
        f"carecheck-plan: 1\nchecklist: service-basics\norganisation: {organisation}\nwaivers:\n{waivers}",
        encoding="utf-8",
    )
    return path


WAIVE_ALL = "".join(
    f"  - {{question: {q}, reason: Agreed with the board, owner: Jo Smith, expires: 2027-01-31}}\n"
    for q in ("published-standards", "trained", "complaints-known")
)


# ---------------------------------------------------------------------------------------------------
# The core: gates judged on a scorecard, and where their findings point


def test_each_gate_passes_or_fails_on_the_score_as_shown() -> None:
    card, _ = example("acme-jo.yaml", "acme-sam.yaml")  # overall 26.4, contact 49.2
    gates = check_gates(card, [(None, 26.4), ("contact", 49.3), ("people", 10)], fail_on_critical=True)
    verdicts = {g.name: g.failed for g in gates}
    assert verdicts == {
        "overall score >= 26.4": False,
        "section 'contact' >= 49.3": True,
        "section 'people' >= 10": False,
        "critical question 'published-standards'": True,
        "critical question 'trained'": True,
        "critical question 'complaints-known'": True,
    }
    (complaints,) = [g for g in gates if g.subject == "complaints-known"]
    assert [p.code for p in complaints.problems] == ["CC603", "CC604"]


def test_the_same_gate_twice_is_one_gate_and_an_unknown_section_is_a_usage_error() -> None:
    card, _ = example("acme-jo.yaml")
    assert len(check_gates(card, [(None, 20), (None, 20)])) == 1
    with pytest.raises(UsageError, match="no section 'nowhere' in the checklist; its sections: expectations, contact"):
        check_gates(card, [("nowhere", 10)])


def test_an_active_waiver_accepts_a_critical_gate_and_an_expired_one_does_not() -> None:
    card, _ = example("acme-jo.yaml", "acme-sam.yaml")
    plan = AppliedPlan(
        waivers=(
            Acceptance("trained", "Budget in July", "Jo Smith", date(2099, 1, 1), False),
            Acceptance("complaints-known", "New log", "Sam Lee", date(2026, 6, 30), True),
        )
    )
    gates = {g.subject: g for g in check_gates(card, fail_on_critical=True, plan=plan)}
    assert not gates["trained"].failed and gates["trained"].waiver is not None
    assert gates["trained"].messages() == [
        "critical question 'trained' scores 25.0 (below 50); accepted until 2099-01-01 by Jo Smith: Budget in July"
    ]
    assert gates["complaints-known"].failed
    assert gates["complaints-known"].messages()[1] == (
        "critical question 'complaints-known' is not answered (its waiver expired on 2026-06-30)"
    )


def test_a_passing_gate_ignores_its_waiver() -> None:
    card, _ = example("acme-jo.yaml")  # published-standards: partly, 50: passes
    plan = AppliedPlan(waivers=(Acceptance("published-standards", "r", "o", date(2099, 1, 1), False),))
    (gate,) = [g for g in check_gates(card, fail_on_critical=True, plan=plan) if g.subject == "published-standards"]
    assert gate.problems == () and gate.waiver is None and not gate.failed


def test_with_one_answer_file_findings_point_at_its_answers() -> None:
    card, places = example("acme-jo.yaml")
    gates = check_gates(card, [(None, 90), ("contact", 90)], fail_on_critical=True)
    where = {f.code: (f.path, f.position and (f.position.line, f.position.col)) for f in gate_findings(gates, places)}
    assert where == {
        "CC601": (JO, (1, 1)),
        "CC602": (str(CHECKLIST), (24, 5)),  # a section gate: the section in the checklist
        "CC603": (JO, (14, 3)),  # trained: {value: unknown}
        "CC604": (JO, (15, 3)),  # complaints-known: {skipped: true}
    }


def test_with_several_answer_files_findings_point_into_the_checklist() -> None:
    card, places = example("acme-jo.yaml", "acme-sam.yaml")
    gates = check_gates(card, [(None, 90)], fail_on_critical=True)
    where = [(f.code, f.subject, f.path, f.position and f.position.line) for f in gate_findings(gates, places)]
    assert where == [
        ("CC601", "overall score >= 90", str(CHECKLIST), 2),  # the checklist's id
        ("CC603", "critical question 'published-standards'", str(CHECKLIST), 13),
        ("CC603", "critical question 'trained'", str(CHECKLIST), 52),
        ("CC603", "critical question 'complaints-known'", str(CHECKLIST), 58),
        ("CC604", "critical question 'complaints-known'", str(CHECKLIST), 58),
    ]


def test_a_tailored_checklist_points_at_the_file_that_declares_the_question(tmp_path: Path) -> None:
    shutil.copy(CHECKLIST, tmp_path / "service-basics.yaml")
    (tmp_path / "child.yaml").write_text(
        "carecheck: 1\nid: child\ntitle: Child\nversion: '1'\nextends: service-basics.yaml\n"
        "sections:\n  - id: extra\n    title: Extra\n    questions:\n"
        "      - {id: extra-q, text: Extra?, answers: yes-no, critical: true}\n",
        encoding="utf-8",
    )
    answers = (EXAMPLE / "acme-jo.yaml").read_text(encoding="utf-8").replace("id: service-basics", "id: child")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(answers.replace("Jo Smith", name), encoding="utf-8")
    stream = AnswerStream([(tmp_path / "a.yaml", True), (tmp_path / "b.yaml", True)], Catalog())
    answers, sources = read(stream)
    card = score(stream.checklist, answers, sources=sources)
    findings = gate_findings(check_gates(card, fail_on_critical=True), Places(stream.resolved, sources))
    paths = {f.subject: (Path(f.path).name, f.position and f.position.line) for f in findings}
    assert paths["critical question 'trained'"] == ("service-basics.yaml", 52)
    assert paths["critical question 'extra-q'"] == ("child.yaml", 10)


def test_gate_codes_are_documented_rules() -> None:
    for code in GATE_CODES:
        rule = RULES[code]
        assert rule.applies_to == "report" and rule.severity == "error"
        assert rule.documentation != rule.summary and "\n    " not in rule.documentation


@pytest.mark.parametrize(
    ("fmt", "output", "environ", "expected"),
    [
        (None, None, {}, None),
        ("sarif", None, {"GITHUB_ACTIONS": "true"}, "sarif"),
        (None, None, {"GITHUB_ACTIONS": "true"}, "github"),
        (None, None, {"GITHUB_ACTIONS": "false"}, None),
        (None, "gates.json", {}, "json"),
        (None, "gates.XML", {"GITHUB_ACTIONS": "true"}, "junit"),
        (None, "gates.sarif", {}, "sarif"),
        ("json", "gates.xml", {}, "json"),
        (None, "gates.log", {"GITHUB_ACTIONS": "true"}, "github"),
    ],
)
def test_the_gate_format(fmt: str | None, output: str | None, environ: dict[str, str], expected: str | None) -> None:
    assert gate_format_for(fmt, Path(output) if output else None, environ) == expected


def test_a_gate_output_of_unknown_kind_asks_for_a_format() -> None:
    with pytest.raises(UsageError, match=r"cannot tell the gate format from 'gates\.log'"):
        gate_format_for(None, Path("gates.log"), {})


# ---------------------------------------------------------------------------------------------------
# At the command line: exit codes and messages


def test_gates_that_pass_exit_0_quietly(run: Any) -> None:
    result = run("report", JO, SAM, "--fail-under", "26.4", "--fail-under", "contact=49", "--fail-on", "none")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_section_gate_fails_alone(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    result = run("report", JO, SAM, "-o", str(out), "--fail-under", "contact=49.3")
    assert result.exit_code == 1 and out.exists()
    assert result.stderr == "carecheck: gate failed: section 'contact' 49.2 is under --fail-under contact=49.3\n"


def test_an_unknown_section_exits_2_before_writing_anything(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", JO, "-o", str(out), "--fail-under", "nowhere=10")
    assert result.exit_code == 2 and not out.exists()
    assert "--fail-under nowhere=10: no section 'nowhere'" in result.stderr


def test_a_waived_critical_question_does_not_fail_the_gate(run: Any, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, WAIVE_ALL)
    out = tmp_path / "r.json"
    result = run("report", JO, SAM, "--fail-on", "critical", "--plan", str(plan), "-o", str(out), env=EPOCH)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"carecheck: gate waived: {line.split('gate failed: ')[1]}; accepted until 2027-01-31 by Jo Smith: "
        "Agreed with the board"
        for line in CRITICAL
    ]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["critical_failures"] == ["published-standards", "trained", "complaints-known"]  # still scored
    assert {w["status"] for w in data["waivers"]} == {"accepted"}
    assert data["overall"] == 26.4 and data["rating"]["capped"] is False  # waivers change no score
    quiet = run("report", JO, SAM, "--fail-on", "critical", "--plan", str(plan), "-q", "-o", str(out), env=EPOCH)
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_an_expired_waiver_is_shown_and_accepts_nothing(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    result = run("report", JO, SAM, "--fail-on", "critical", "--plan", PLAN, "-o", str(out), env=EPOCH)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{PLAN}:12:14: CC301 warning: the waiver of 'complaints-known' (owner Sam Lee) expired on 2026-06-30; "
        "the report shows it as expired",
        CRITICAL[0],
        CRITICAL[2] + " (its waiver expired on 2026-06-30)",
        CRITICAL[3] + " (its waiver expired on 2026-06-30)",
        "carecheck: gate waived: critical question 'trained' scores 25.0 (below 50); accepted until 2099-12-31 by "
        'Jo Smith: New starters are trained in their first month; the rest <in the spring> & "before May".',
    ]
    text = out.read_text(encoding="utf-8")
    assert "[waiver expired 30 June 2026]" in text and "Waiver EXPIRED on 30 June 2026 (Sam Lee)" in text
    assert "Accepted until 31 December 2099 by Jo Smith" in text
    # before the expiry day the same waiver holds
    before = run("report", JO, SAM, "--plan", PLAN, "--format", "json", env={"SOURCE_DATE_EPOCH": "1782777600"})
    assert [w["status"] for w in json.loads(before.stdout)["waivers"]] == ["accepted", "accepted"]
    assert before.stderr == ""


def test_owners_and_due_dates_reach_every_document(run: Any, tmp_path: Path) -> None:
    for suffix, expected in [
        ("csv", "Sam Lee,2027-01-31"),
        ("json", '"due": "2027-01-31"'),
        ("html", '<td class="fill">Sam Lee</td>\n        <td class="fill">31 January 2027</td>'),
        ("md", "| Sam Lee | 31 January 2027 |"),
        ("txt", "Owner: Sam Lee   Due: 31 January 2027"),
    ]:
        out = tmp_path / f"r.{suffix}"
        result = run("report", JO, SAM, "--plan", PLAN, "-o", str(out), env=EPOCH)
        assert result.exit_code == 0, result.stderr
        assert expected in out.read_text(encoding="utf-8"), suffix


# ---------------------------------------------------------------------------------------------------
# --gate-format: the one findings registry


def gate_run(run: Any, tmp_path: Path, fmt: str, *extra: str, env: dict[str, str] | None = None) -> Any:
    out = tmp_path / "gates.out"
    args = ["report", JO, SAM, "-o", str(tmp_path / "r.html"), "--gate-format", fmt, "--gate-output", str(out)]
    result = run(*args, "--fail-under", "30", "--fail-under", "contact=40", "--fail-on", "critical", *extra, env=env)
    assert result.exit_code == 1, result.stderr
    assert "carecheck: gate failed: the overall score 26.4 is under --fail-under 30" in result.stderr
    return out.read_text(encoding="utf-8")


def test_json_gates(run: Any, tmp_path: Path) -> None:
    data = json.loads(gate_run(run, tmp_path, "json", "--plan", PLAN, env=EPOCH))
    assert data["carecheck-findings"] == 1 and data["gates"] == 5 and "files" not in data
    rows = [(f["code"], f["severity"], f["subject"]) for f in data["findings"]]
    assert rows == [
        ("CC601", "error", "overall score >= 30"),
        ("CC603", "error", "critical question 'published-standards'"),
        ("CC603", "note", "critical question 'trained'"),
        ("CC603", "error", "critical question 'complaints-known'"),
        ("CC604", "error", "critical question 'complaints-known'"),
    ]
    assert data["findings"][0]["path"] == str(CHECKLIST) and data["findings"][0]["line"] == 2


def test_github_gates_are_annotations(run: Any, tmp_path: Path) -> None:
    lines = gate_run(run, tmp_path, "github", "--plan", PLAN, env=EPOCH).splitlines()
    assert (
        lines[0]
        == f"::error file={CHECKLIST},line=2,col=5,title=CC601::the overall score 26.4 is under --fail-under 30"
    )
    assert lines[2].startswith(f"::notice file={CHECKLIST},line=52,col=9,title=CC603::critical question 'trained'")
    assert len(lines) == 5 and all(line.startswith(("::error ", "::notice ")) for line in lines)


def test_junit_gates_have_one_test_case_per_gate(run: Any, tmp_path: Path) -> None:
    from junitparser import JUnitXml

    out = tmp_path / "gates.xml"
    out.write_text(gate_run(run, tmp_path, "junit", "--plan", PLAN, env=EPOCH), encoding="utf-8")
    (suite,) = list(JUnitXml.fromfile(str(out)))
    assert (suite.name, suite.tests, suite.failures) == ("carecheck gates", 5, 3)
    cases = {case.name: case for case in suite}
    assert list(cases) == [
        "overall score >= 30",
        "section 'contact' >= 40",
        "critical question 'published-standards'",
        "critical question 'trained'",
        "critical question 'complaints-known'",
    ]
    assert cases["section 'contact' >= 40"].is_passed
    assert cases["critical question 'trained'"].is_passed  # waived: passes, and says why
    assert "accepted until 2099-12-31" in (cases["critical question 'trained'"].system_out or "")
    assert [(r.type, r.message) for r in cases["overall score >= 30"].result] == [
        ("CC601", "the overall score 26.4 is under --fail-under 30")
    ]
    assert not cases["critical question 'complaints-known'"].is_passed
    root = ET.parse(out).getroot()
    passed = root.find("testsuite/testcase[@name=\"section 'contact' >= 40\"]")
    assert passed is not None and passed.get("file") is None  # a passing gate is about no file
    failed = root.find("testsuite/testcase[@name='overall score >= 30']")
    assert failed is not None and failed.get("file") == str(CHECKLIST)


def test_sarif_gates_carry_what_sarif_2_1_0_requires(run: Any, tmp_path: Path) -> None:
    doc = json.loads(gate_run(run, tmp_path, "sarif", "--plan", PLAN, env=EPOCH))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = doc["runs"]
    rules = run_["tool"]["driver"]["rules"]
    described = {r["id"]: r for r in rules}
    for code in GATE_CODES:
        assert described[code]["help"]["text"] == RULES[code].documentation
        assert described[code]["properties"]["tags"] == ["report"]
    assert [r["level"] for r in run_["results"]] == ["error", "error", "note", "error", "error"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1


def test_github_is_chosen_under_github_actions_for_the_gates_not_the_document(run: Any, tmp_path: Path) -> None:
    env = {"GITHUB_ACTIONS": "true"}
    result = run("report", JO, "--fail-on", "critical", env=env)
    assert result.exit_code == 1
    assert result.stdout.startswith("CUSTOMER CARE AUDIT\n")  # the document stays text
    assert "::" not in result.stdout
    assert result.stderr.splitlines() == [  # the annotations replace the plain lines
        f"::error file={JO},line=14,col=3,title=CC603::critical question 'trained' scores 0.0 (below 50)",
        f"::error file={JO},line=15,col=3,title=CC604::critical question 'complaints-known' is not answered",
    ]
    # with the report in a file, the annotations go to stdout
    into_file = run("report", JO, "--fail-on", "critical", "-o", str(tmp_path / "r.html"), env=env)
    assert into_file.stdout.startswith(f"::error file={JO},line=14,col=3")
    assert "carecheck: gate failed: critical question 'trained'" in into_file.stderr
    # and an explicit format wins
    explicit = run(
        "report", JO, "--fail-on", "critical", "-o", str(tmp_path / "r.html"), "--gate-format", "json", env=env
    )
    assert json.loads(explicit.stdout)["gates"] == 3
    # nothing asked for: no gate output at all
    assert run("report", JO, "--fail-on", "critical", "-o", str(tmp_path / "r.html")).stdout == ""


def test_a_machine_gate_format_cannot_share_stdout_with_the_report(run: Any) -> None:
    result = run("report", JO, "--fail-on", "critical", "--gate-format", "sarif")
    assert result.exit_code == 2 and result.stdout == ""
    assert "--gate-format sarif needs --gate-output FILE, or the report in a file (-o FILE)" in result.stderr


def test_gate_output_is_written_atomically_even_when_the_gates_pass(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "ci" / "gates.xml"
    result = run("report", JO, SAM, "--fail-under", "20", "--gate-output", str(out))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("CUSTOMER CARE AUDIT")  # the report on stdout, the gates in the file
    root = ET.fromstring(out.read_text(encoding="utf-8").split("\n", 1)[1])
    assert root.get("tests") == "1" and root.get("failures") == "0"
    assert [p.name for p in out.parent.iterdir()] == ["gates.xml"]  # no temporary file left behind
    out.write_text("old", encoding="utf-8")
    assert run("report", JO, SAM, "--fail-under", "30", "--gate-output", str(out)).exit_code == 1
    assert 'failures="1"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gate-output", "gates.txt"], "cannot tell the gate format from 'gates.txt'"),
        (["-o", "same.json", "--gate-output", "same.json"], "--gate-output and -o name the same file"),
        (["--gate-output", "blocker/gates.json"], "blocker/gates.json: CC001 cannot write"),
        (["-o", "blocker/r.html"], "blocker/r.html: CC001 cannot write"),
        (["--gate-format", "xml"], "Invalid value for '--gate-format'"),
        (["--fail-on", "everything"], "Invalid value for '--fail-on'"),
        (["--fail-under", "="], "--fail-under '=': name the section before ="),
        (["--fail-under", "contact="], "--fail-under 'contact=' is not a score"),
        (["--fail-under", "-5"], "a score is between 0 and 100"),
        (["--fail-under", "nan"], "a score is between 0 and 100"),
    ],
)
def test_bad_gate_options_exit_2_without_a_traceback(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    result = run("report", JO, "--fail-under", "10", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------------
# Broken plans: a message with a position, never a traceback


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("carecheck-plan: 1\nwaivers:\n  - {question: trainde, reason: r, owner: o, expires: 2099-01-01}\n", 1,
         ":3:16: CC303 no question 'trainde' in checklist 'service-basics'"),
        ("carecheck-plan: 1\nactions:\n  - {question: trained, owner: a}\n  - {question: trained, owner: b}\n", 1,
         ":4:16: CC304 'trained' is listed twice in actions"),
        ("carecheck-plan: 1\nwaivers:\n  - {question: trained, reason: r, owner: o, expires: soon}\n", 1,
         ":3:55: CC008 expires: 'soon' is not a date"),
        ("carecheck-plan: 1\nwaivers:\n  - {question: trained, reason: r, owner: o}\n", 1,
         "CC008 missing required key 'expires'"),
        ("carecheck-plan: 1\nowners: []\n", 1, ":2:1: CC008 unknown key 'owners'"),
        ("carecheck-plan: 2\n", 1, ":1:17: CC008"),
        ("carecheck: 1\nid: x\n", 1, ":1:1: CC007 not a plan file"),
        ("carecheck-plan: 1\nwaivers: [\n", 2, "CC003"),
        ("", 1, ":1:1: CC007 the file is empty"),
        ("carecheck-plan: 1\nchecklist: minimal\n", 2,
         ":2:12: this plan is for checklist 'minimal', the answers are to 'service-basics'"),
        ("carecheck-plan: 1\nchecklist: nowhere/list.yaml\n", 2, ":2:12: no checklist 'nowhere/list.yaml'"),
        ("carecheck-plan: 1\norganisation: Other Ltd\n", 2,
         ":2:15: this plan is for organisation 'Other Ltd', the answers are of 'Acme <Care> & Sons'"),
    ],
)  # fmt: skip
def test_a_broken_plan_is_reported_at_file_line_col(
    run: Any, tmp_path: Path, text: str, code: int, message: str
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", JO, "--plan", str(plan), "-o", str(out), "--fail-on", "critical")
    assert result.exit_code == code, result.stderr
    assert str(plan) in result.stderr and message in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_a_missing_plan_exits_2(run: Any) -> None:
    result = run("report", JO, "--plan", "no/such/plan.yaml")
    assert result.exit_code == 2 and "no/such/plan.yaml: CC001" in result.stderr


def test_a_plan_checklist_given_as_a_path_is_the_answers_one(run: Any) -> None:
    result = run("report", JO, SAM, "--plan", PLAN, "--format", "json", env=EPOCH)  # checklist: ../report/...yaml
    assert result.exit_code == 0 and json.loads(result.stdout)["plan"] == PLAN


# ---------------------------------------------------------------------------------------------------
# Precedence: the command line > CARECHECK_* variables > carecheck.yaml > defaults


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose carecheck.yaml gates at 30 overall, fails on critical and names a plan."""
    shutil.copytree(EXAMPLE, tmp_path / "audit")
    write_plan(tmp_path, WAIVE_ALL)
    (tmp_path / "carecheck.yaml").write_text(
        "carecheck-config: 1\nplan: plan.yaml\ngates: {fail_under: {overall: 30, contact: 40}, fail_on: critical}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_configured_gates_and_plan_apply(run: Any, configured: Path) -> None:
    result = run("report", "audit", "-o", "r.html", env=EPOCH)
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if "gate failed" in line]
    assert failed == ["carecheck: gate failed: the overall score 26.4 is under --fail-under 30"]  # criticals waived
    assert "Accepted gaps" in (configured / "r.html").read_text(encoding="utf-8")


def test_the_command_line_replaces_configured_gates(run: Any, configured: Path) -> None:
    # --fail-under on the command line replaces the configured list (section gates included)
    lower = run("report", "audit", "-o", "r.html", "--fail-under", "20", env=EPOCH)
    assert lower.exit_code == 0, lower.stderr
    # --fail-on none turns the configured critical gate off; --plan names another plan
    write_plan(configured, "  []\n").rename(configured / "empty-plan.yaml")
    strict = run("report", "audit", "-o", "r.html", "--fail-under", "20", "--plan", "empty-plan.yaml", env=EPOCH)
    assert strict.exit_code == 1 and "critical question 'trained'" in strict.stderr
    off = run("report", "audit", "-o", "r.html", "--fail-under", "20", "--plan", "empty-plan.yaml", "--fail-on", "none")
    assert off.exit_code == 0 and off.stderr == ""


def test_variables_beat_the_configuration_file(run: Any, configured: Path) -> None:
    env = {**EPOCH, "CARECHECK_FAIL_UNDER": "20,contact=49"}
    assert run("report", "audit", "-o", "r.html", env=env).exit_code == 0
    env["CARECHECK_FAIL_UNDER"] = "contact=50"
    result = run("report", "audit", "-o", "r.html", env=env)
    assert result.exit_code == 1 and "section 'contact' 49.2 is under --fail-under contact=50" in result.stderr
    assert "overall" not in result.stderr
    # and the command line beats the variable
    assert run("report", "audit", "-o", "r.html", "--fail-under", "10", env=env).exit_code == 0


def test_a_broken_configured_gate_is_wrong_content_and_a_bad_variable_a_usage_error(run: Any, configured: Path) -> None:
    # a wrong carecheck.yaml exits 1 everywhere, as `validate` of it does; a bad variable is usage (2)
    (configured / "carecheck.yaml").write_text("carecheck-config: 1\ngates: {fail_under: {overall: 130}}\n")
    result = run("report", "audit")
    assert result.exit_code == 1 and "carecheck.yaml:2:" in result.stderr and "Traceback" not in result.output
    (configured / "carecheck.yaml").write_text("carecheck-config: 1\n")
    bad_env = run("report", "audit", env={"CARECHECK_FAIL_UNDER": "lots"})
    assert bad_env.exit_code == 2 and "CARECHECK_FAIL_UNDER" in bad_env.stderr
