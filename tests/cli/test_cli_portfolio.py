"""`carecheck portfolio` through the command line: formats, -o, the audits setting, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "periodic"
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(FIXTURE, folder)
    monkeypatch.chdir(folder)
    return folder


def test_portfolio_defaults_to_the_audits_folder_and_text(run, project: Path) -> None:
    result = run("portfolio", env=EPOCH)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("PORTFOLIO\naudits, 21 September 2026\n")
    assert "Northwind Care                2026-Q3        4     51.8   -12.9" in result.stdout
    assert result.stderr == ""  # no progress bar without a terminal


def test_portfolio_writes_the_format_of_its_output_file(run, project: Path) -> None:
    for name in ("p.html", "p.md", "p.json", "p.csv", "p.txt"):
        result = run("portfolio", "audits", "-o", name, env=EPOCH)
        assert result.exit_code == 0, result.output
    assert json.loads(Path("p.json").read_text(encoding="utf-8"))["carecheck-portfolio"] == 1
    assert Path("p.csv").read_text(encoding="utf-8").startswith("organisation,checklist,audit,date,")
    assert '<table id="portfolio">' in Path("p.html").read_text(encoding="utf-8")


def test_portfolio_errors_are_messages(run, project: Path, tmp_path: Path) -> None:
    missing = run("portfolio", str(tmp_path / "none"))
    assert missing.exit_code == 2 and "no audits folder" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("portfolio", str(empty))
    assert result.exit_code == 2 and "no audits in" in result.stderr
    bad = run("portfolio", "audits", "-o", "p.pdf")
    assert bad.exit_code == 2 and "cannot tell the format from 'p.pdf'" in bad.stderr
