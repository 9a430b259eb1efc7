"""Findings formats: text, json, GitHub annotations, JUnit XML and SARIF 2.1.0."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from carecheck.errors import Finding, Position
from carecheck.lint.rules import RULES
from carecheck.render.findings import FORMATS

FIXTURES = Path(__file__).parents[1] / "fixtures"
BAD = str(FIXTURES / "bad.yaml")
MINIMAL = str(FIXTURES / "minimal.yaml")
WARNS = str(FIXTURES / "rules" / "CC112-fail.yaml")

FINDINGS = [
    Finding("a.yaml", Position(3, 5), "CC101", "duplicate id 'q1'"),
    Finding("a.yaml", Position(9, 1), "CC112", "question 'q' has no recommendation", "warning"),
    Finding("dir", None, "CC001", "no YAML files in this folder"),
]


def test_every_format_is_registered_and_validate_offers_it(run) -> None:
    assert set(FORMATS) == {"text", "json", "github", "junit", "sarif"}
    help_text = run("validate", "--help").stdout
    for name in FORMATS:
        assert name in help_text


def test_text_is_file_line_col_code_message_and_colours_only_when_asked() -> None:
    plain = FORMATS["text"](FINDINGS, ["a.yaml"])
    assert plain.splitlines() == [
        "a.yaml:3:5: CC101 duplicate id 'q1'",
        "a.yaml:9:1: CC112 warning: question 'q' has no recommendation",
        "dir: CC001 no YAML files in this folder",
    ]
    assert "\x1b[" not in plain
    coloured = FORMATS["text"](FINDINGS, ["a.yaml"], color=True)
    assert "\x1b[31m" in coloured and "\x1b[33m" in coloured


def test_github_annotations_carry_file_line_col_and_escape_specials() -> None:
    findings = [
        *FINDINGS,
        Finding("we,ird:name.yaml", Position(1, 2), "CC003", "100% wrong\nsecond line"),
    ]
    lines = FORMATS["github"](findings, []).splitlines()
    assert lines[0] == "::error file=a.yaml,line=3,col=5,title=CC101::duplicate id 'q1'"
    assert lines[1].startswith("::warning file=a.yaml,line=9,col=1,title=CC112::")
    assert lines[2] == "::error file=dir,title=CC001::no YAML files in this folder"
    assert lines[3] == "::error file=we%2Cird%3Aname.yaml,line=1,col=2,title=CC003::100%25 wrong%0Asecond line"


def test_junit_has_one_test_case_per_file_and_fails_only_on_errors() -> None:
    xml = FORMATS["junit"](FINDINGS, ["a.yaml", "b.yaml"])
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(xml.split("\n", 1)[1])
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["a.yaml", "b.yaml", "dir"]
    assert suite.get("tests") == "3" and suite.get("failures") == "2" and suite.get("errors") == "0"
    failure = cases["a.yaml"].find("failure")
    assert failure is not None and failure.get("type") == "CC101"
    assert "a.yaml:3:5: CC101" in (failure.text or "")
    assert "CC112 warning" in (cases["a.yaml"].findtext("system-out") or "")
    assert cases["b.yaml"].find("failure") is None
    assert cases["dir"].find("failure") is not None


def test_a_junit_reader_reads_it(tmp_path: Path) -> None:
    """junitparser stands for the JUnit readers of CI systems."""
    from junitparser import JUnitXml

    report = tmp_path / "junit.xml"
    report.write_text(FORMATS["junit"](FINDINGS, ["a.yaml", "b.yaml"]), encoding="utf-8")
    suites = list(JUnitXml.fromfile(str(report)))
    assert [(s.name, s.tests, s.failures) for s in suites] == [("carecheck", 3, 2)]
    cases = {case.name: case for case in suites[0]}
    assert cases["b.yaml"].is_passed and not cases["a.yaml"].is_passed
    assert [(r.type, r.message) for r in cases["a.yaml"].result] == [("CC101", "duplicate id 'q1'")]
    assert "CC112 warning" in (cases["a.yaml"].system_out or "")


def test_junit_survives_characters_xml_cannot_hold() -> None:
    xml = FORMATS["junit"]([Finding("x.yaml", None, "CC003", "bad \x01 byte & <tag>")], ["x.yaml"])
    root = ET.fromstring(xml.split("\n", 1)[1])
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "bad \ufffd byte & <tag>"


def test_sarif_has_every_field_sarif_2_1_0_requires() -> None:
    doc = json.loads(FORMATS["sarif"](FINDINGS, ["a.yaml"]))
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "carecheck"
    rules = driver["rules"]
    assert {r["id"] for r in rules} == set(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    assert [r["ruleId"] for r in run_["results"]] == ["CC101", "CC112", "CC001"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        assert result["message"]["text"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"]
    first, second, third = run_["results"]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}
    assert second["level"] == "warning"
    assert "region" not in third["locations"][0]["physicalLocation"]  # a folder has no line


def test_sarif_rule_help_is_the_rule_documentation() -> None:
    doc = json.loads(FORMATS["sarif"]([], []))
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CC101"]["help"]["text"] == RULES["CC101"].documentation
    assert rules["CC101"]["help"]["text"].startswith("An id is used twice")
    assert rules["CC301"]["name"] == "waiver-expired"


def test_sarif_uris_are_relative_with_forward_slashes_or_file_uris(tmp_path: Path) -> None:
    findings = [
        Finding("sub dir/a.yaml", Position(1, 1), "CC003", "x"),
        Finding(str(tmp_path / "b.yaml"), Position(1, 1), "CC003", "x"),
    ]
    doc = json.loads(FORMATS["sarif"](findings, []))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in doc["runs"][0]["results"]]
    assert uris[0] == {"uri": "sub%20dir/a.yaml", "uriBaseId": "%SRCROOT%"}
    assert uris[1]["uri"].startswith("file:///") and "uriBaseId" not in uris[1]


# ---------------------------------------------------------------------------------------------------
# Through the command line


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_findings_go_to_stdout_and_the_summary_to_stderr(run, fmt: str) -> None:
    result = run("validate", "--format", fmt, BAD, MINIMAL)
    assert result.exit_code == 1
    assert "CC008" in result.stdout
    assert "files checked" not in result.stdout and "2 files checked: 3 errors, 0 warnings" in result.stderr


def test_github_is_chosen_under_github_actions_unless_a_format_is_given(run) -> None:
    auto = run("validate", BAD, env={"GITHUB_ACTIONS": "true"})
    assert auto.stdout.startswith("::error file=")
    assert run("validate", BAD, env={"GITHUB_ACTIONS": "false"}).stdout.startswith(BAD + ":")
    given = run("validate", "--format", "json", BAD, env={"GITHUB_ACTIONS": "true"})
    assert json.loads(given.stdout)["carecheck-findings"] == 1


def test_junit_through_the_cli_lists_every_file(run) -> None:
    result = run("validate", "--format", "junit", BAD, MINIMAL, WARNS)
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == [BAD, MINIMAL, WARNS]
    assert root.get("failures") == "1"


def test_sarif_through_the_cli(run) -> None:
    result = run("validate", "--format", "sarif", BAD)
    doc = json.loads(result.stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in doc["runs"][0]["results"]]
    assert {"startLine": 3, "startColumn": 1} in regions
    assert result.exit_code == 1


def test_quiet_drops_warnings_from_machine_formats_too(run) -> None:
    doc = json.loads(run("validate", "-q", "--format", "sarif", WARNS).stdout)
    assert doc["runs"][0]["results"] == []
