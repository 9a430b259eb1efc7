"""docs/ci.md: its workflows are valid YAML and the carecheck commands in them do what the page says."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
PAGE = ROOT / "docs" / "ci.md"
NEEDS_REPORT = "needs the report command"


def _yaml_blocks() -> list[Any]:
    text = PAGE.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)]


def _commands(node: Any) -> Iterator[str]:
    """Every shell line of GitHub `run:` steps and GitLab `script:` lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                yield from (line.strip() for line in value.splitlines() if line.strip())
            elif key == "script" and isinstance(value, list):
                yield from (str(line).strip() for line in value)
            else:
                yield from _commands(value)
    elif isinstance(node, list):
        for item in node:
            yield from _commands(item)


def _workflows() -> dict[str, Any]:
    blocks = _yaml_blocks()
    github = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    gitlab = next(b for b in blocks if isinstance(b, dict) and "carecheck" in b and "script" in b["carecheck"])
    return {"github": github, "gitlab": gitlab}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of one checklist and one audit, as the workflows expect."""
    (tmp_path / "checklists").mkdir()
    (tmp_path / "audits").mkdir()
    shutil.copy(FIXTURES / "minimal.yaml", tmp_path / "checklists" / "minimal.yaml")
    shutil.copy(FIXTURES / "answers" / "good.yaml", tmp_path / "audits" / "jo.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _break(project: Path) -> None:
    path = project / "checklists" / "minimal.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Minimal", "titel: Minimal"), encoding="utf-8")


def _run_line(run, line: str, env: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    """Run one documented shell line through the CLI runner: `> FILE` and `|| true` as a shell would."""
    tolerant = line.endswith("|| true")
    line = line.removesuffix("|| true").strip()
    command, _, target = line.partition(" > ")
    args = shlex.split(command)
    assert args[0] == "carecheck"
    result = run(*args[1:], env=env)
    assert "Traceback" not in result.output
    if target:
        Path(target.strip()).write_text(result.stdout, encoding="utf-8")
    return 0 if tolerant else result.exit_code


def test_the_page_holds_a_github_workflow_and_a_gitlab_job() -> None:
    flows = _workflows()
    steps = flows["github"]["jobs"]["carecheck"]["steps"]
    assert any("upload-sarif" in str(step.get("uses", "")) for step in steps)
    assert flows["gitlab"]["carecheck"]["artifacts"]["reports"]["junit"]


def test_both_workflows_gate_the_score_with_the_report_command() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert NEEDS_REPORT not in text
    flows = _workflows()
    for ci, fmt in (("github", "--gate-format github"), ("gitlab", "--gate-format junit --gate-output")):
        (line,) = [c for c in _commands(flows[ci]) if c.startswith("carecheck report")]
        assert "--fail-under 60" in line and "--fail-on critical" in line and fmt in line, ci


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_documented_validate_commands_pass_on_a_clean_repository(run, project: Path, ci: str) -> None:
    env = {"GITHUB_ACTIONS": "true"} if ci == "github" else {}
    lines = [c for c in _commands(_workflows()[ci]) if c.startswith("carecheck validate")]
    assert lines
    for line in lines:
        assert _run_line(run, line, env) == 0, line


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_documented_validate_commands_fail_on_a_broken_checklist(run, project: Path, ci: str) -> None:
    _break(project)
    env = {"GITHUB_ACTIONS": "true"} if ci == "github" else {}
    codes = [_run_line(run, c, env) for c in _commands(_workflows()[ci]) if c.startswith("carecheck validate")]
    assert 1 in codes, "the job must fail"
    if ci == "github":
        sarif = json.loads((project / "carecheck.sarif").read_text(encoding="utf-8"))
        assert "CC008" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
        annotations = run("validate", "--strict", "checklists", "audits", env=env).stdout
        assert "::error file=checklists/minimal.yaml,line=3,col=1,title=CC008::unknown key" in annotations
    else:
        root = ET.parse(project / "carecheck-junit.xml").getroot()
        failures = [case.get("name") for case in root.iter("testcase") if case.find("failure") is not None]
        assert "checklists/minimal.yaml" in failures


def _fail_the_gates(project: Path) -> None:
    path = project / "audits" / "jo.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("trained: 2", "trained: 0"), encoding="utf-8")


def test_documented_report_gates_run(run, project: Path) -> None:
    for ci in ("github", "gitlab"):
        for line in _commands(_workflows()[ci]):
            if line.startswith("carecheck report"):
                assert _run_line(run, line, {}) in (0, 1), line


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_documented_report_gates_pass_on_a_good_audit_and_fail_on_a_bad_one(run, project: Path, ci: str) -> None:
    env = {"GITHUB_ACTIONS": "true"} if ci == "github" else {}
    (line,) = [c for c in _commands(_workflows()[ci]) if c.startswith("carecheck report")]
    assert _run_line(run, line, env) == 0, line  # 64.6 overall, the critical question at 50
    assert (project / "carecheck-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    _fail_the_gates(project)
    args = shlex.split(line)[1:]
    result = run(*args, env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    if ci == "github":
        assert result.stdout.splitlines() == [
            "::error file=audits/jo.yaml,line=1,col=1,title=CC601::the overall score 31.2 is under --fail-under 60",
            "::error file=audits/jo.yaml,line=11,col=3,title=CC603::critical question 'trained' scores 0.0 (below 50)",
        ]
    else:
        from junitparser import JUnitXml

        (suite,) = list(JUnitXml.fromfile(str(project / "carecheck-gates.xml")))
        assert (suite.tests, suite.failures) == (2, 2)
        assert [case.name for case in suite] == ["overall score >= 60", "critical question 'trained'"]
