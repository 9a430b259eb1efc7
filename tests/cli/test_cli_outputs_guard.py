"""Issue 18, no output replaces an input or a record: every command with -o goes through fs.refuse_replacing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples" / "audits"
PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "acme.yaml"


@pytest.fixture
def audits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example audits as ./audits, a carecheck.yaml naming them, run from that folder."""
    shutil.copytree(EXAMPLES, tmp_path / "audits")
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\naudits: audits\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "audits" / "ardley-home-supplies"


def refused(result: Any, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr


def test_no_output_replaces_an_earlier_audit_read_by_baseline_auto(run: Any, audits: Path) -> None:
    earlier = next((audits / "2026-Q2").glob("*.yaml"))
    before = earlier.read_bytes()
    result = run("report", str(audits / "2026-Q3"), "--baseline", "auto", "--format", "txt", "-o", str(earlier))
    refused(result, f"would overwrite the answer file {earlier}, an audit record")
    assert earlier.read_bytes() == before


@pytest.mark.parametrize("what", ["plan", "logo", "config", "gate-output"])
def test_no_output_replaces_an_input_of_the_report(run: Any, audits: Path, tmp_path: Path, what: str) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(PLAN, plan)
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    target = {"plan": plan, "logo": logo, "config": tmp_path / "carecheck.yaml", "gate-output": plan}[what]
    before = target.read_bytes()
    args = ["report", str(audits / "2026-Q3"), "--plan", str(plan), "--logo", str(logo), "--format", "html"]
    if what == "gate-output":
        args += ["-o", str(tmp_path / "r.html"), "--gate-output", str(target), "--gate-format", "json"]
    else:
        args += ["-o", str(target)]
    refused(run(*args), "which this run reads; choose another")
    assert target.read_bytes() == before


def test_no_output_replaces_an_answer_file_with_history_or_schema(run: Any, audits: Path) -> None:
    record = next((audits / "2026-Q3").glob("*.yaml"))
    before = record.read_bytes()
    refused(run("history", "--format", "txt", "-o", str(record)), "would overwrite the answer file")
    refused(run("schema", "--answers", "-o", str(record)), "would overwrite the answer file")
    refused(run("portfolio", "--format", "txt", "-o", str(record)), "would overwrite the answer file")
    refused(run("export", "care-essentials", "--format", "md", "-o", str(record)), "would overwrite the answer file")
    assert record.read_bytes() == before


def test_no_output_replaces_an_input_a_dangling_symlink_is_refused(run: Any, audits: Path, tmp_path: Path) -> None:
    for command in (["report", str(audits / "2026-Q3"), "--format", "txt"], ["history"], ["schema"], ["portfolio"]):
        link = tmp_path / "out.txt"
        link.unlink(missing_ok=True)
        link.symlink_to(tmp_path / "no" / "such" / "tree" / "out.txt")
        refused(run(*command, "-o", str(link)), "is a symlink to nothing")
        assert not (tmp_path / "no").exists()  # no folder tree made through it
