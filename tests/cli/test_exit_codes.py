"""The one exit-code table (README "Exit codes") for every command: good input 0, wrong content 1, bad usage 2,
a missing file 2, an unreadable file 2, an internal error 3; never a traceback without --debug."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLE = FIXTURES / "report"
SURVEY = FIXTURES / "survey"
CASES = ("good", "wrong", "usage", "missing", "unreadable", "internal")
EXPECTED = {"good": 0, "wrong": 1, "usage": 2, "missing": 2, "unreadable": 2, "internal": 3}

# Each command: its arguments for a case (None: the case does not apply to it), and what to break for an
# internal error (a module and a function the command calls).
Args = dict[str, list[str] | None]
COMMANDS: dict[str, tuple[Args, tuple[str, str]]] = {
    "validate": (
        {
            "good": ["validate", "checklists/service-basics.yaml"],
            "wrong": ["validate", "wrong.yaml"],
            "usage": ["validate", "--format", "nope", "wrong.yaml"],
            "missing": ["validate", "gone.yaml"],
            "unreadable": ["validate", "locked.yaml"],
        },
        ("carecheck.catalog.validation", "validate_file"),
    ),
    "show": (
        {
            "good": ["show", "checklists/service-basics.yaml"],
            "wrong": ["show", "wrong.yaml"],
            "usage": ["show", "--format", "nope"],
            "missing": ["show", "gone.yaml"],
            "unreadable": ["show", "locked.yaml"],
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "report": (
        {
            "good": ["report", "jo.yaml"],
            "wrong": ["report", "jo.yaml", "--fail-under", "90"],
            "usage": ["report", "jo.yaml", "--gap-threshold", "nan"],
            "missing": ["report", "gone.yaml"],
            "unreadable": ["report", "locked.yaml"],
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "history": (
        {
            "good": ["history", "audits"],
            "wrong": ["history", "twice"],
            "usage": ["history", "audits", "--format", "nope"],
            "missing": ["history", "gone"],
            "unreadable": ["history", "locked-audits"],
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "audit": (
        {
            "good": ["audit", "checklists/service-basics.yaml", "--answers", "sam.yaml", "--dir", "out"],
            "wrong": ["audit", "checklists/service-basics.yaml", "--answers", "wrong-answers.yaml", "--dir", "out"],
            "usage": ["audit", "--role", "nope"],
            "missing": ["audit", "checklists/service-basics.yaml", "--answers", "gone.yaml"],
            "unreadable": ["audit", "checklists/service-basics.yaml", "--answers", "locked.yaml"],
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "import": (
        {
            "good": ["import", "ids.csv", "--checklist", "staff-survey", "--dry-run"],
            "wrong": ["import", "unknown-value.csv", "--checklist", "staff-survey", "--dry-run"],
            "usage": ["import", "ids.csv"],
            "missing": ["import", "gone.csv", "--checklist", "staff-survey"],
            "unreadable": ["import", "locked.csv", "--checklist", "staff-survey"],
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "init": (
        {
            "good": ["init", "fresh"],
            "wrong": None,  # init reads only the built-ins
            "usage": ["init", "fresh", "--from", "no-such-profile"],
            "missing": None,
            "unreadable": None,
        },
        ("carecheck.format.reader", "parse_document"),
    ),
    "list": (
        {"good": ["list"], "wrong": ["--config", "wrong-config.yaml", "list"], "usage": ["list", "--format", "x"]}
        | {"missing": ["--config", "gone.yaml", "list"], "unreadable": ["--config", "locked.yaml", "list"]},
        ("carecheck.format.reader", "parse_document"),
    ),
    "config": (
        {"good": ["config"], "wrong": ["--config", "wrong-config.yaml", "config"], "usage": ["config", "--x"]}
        | {"missing": ["--config", "gone.yaml", "config"], "unreadable": ["--config", "locked.yaml", "config"]},
        ("carecheck.catalog.config", "load_settings"),
    ),
    "rules": (
        {"good": ["rules", "CC112"], "wrong": None, "usage": ["rules", "CC9999"], "missing": None, "unreadable": None},
        ("carecheck.lint.rules", "find_rule"),
    ),
    "schema": (
        {"good": ["schema"], "wrong": None, "usage": ["schema", "--kind", "x"], "missing": None, "unreadable": None},
        ("carecheck.format.schema", "schema_text"),
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with good, wrong, locked and missing inputs of every kind."""
    (tmp_path / "checklists").mkdir()
    shutil.copy(EXAMPLE / "service-basics.yaml", tmp_path / "checklists")
    shutil.copy(SURVEY / "staff-survey.yaml", tmp_path / "checklists")
    for name in ("ids.csv", "unknown-value.csv"):
        shutil.copy(SURVEY / name, tmp_path)
    shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path / "jo.yaml")
    shutil.copy(EXAMPLE / "acme-sam.yaml", tmp_path / "sam.yaml")  # complete: `audit --answers` exits 0
    (tmp_path / "audits").mkdir()
    shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path / "audits" / "jo.yaml")
    (tmp_path / "twice").mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path / "twice" / name)
    (tmp_path / "locked-audits").mkdir()
    shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path / "locked-audits" / "locked.yaml")
    (tmp_path / "wrong.yaml").write_text("carecheck: 1\nid: wrong\ntitle: T\n", encoding="utf-8")
    (tmp_path / "wrong-answers.yaml").write_text(
        (EXAMPLE / "acme-jo.yaml").read_text(encoding="utf-8").replace("has-email: {value: yes}", "has-email: maybe"),
        encoding="utf-8",
    )
    (tmp_path / "wrong-config.yaml").write_text("carecheck-config: 1\naudit: x\n", encoding="utf-8")
    for name in ("locked.yaml", "locked.csv"):
        shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real_open = os.open

    def refuse_locked(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.path.basename(os.fsdecode(path)).startswith("locked."):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_locked)
    return tmp_path


def _crash(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("injected")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_follows_the_exit_code_table(
    run: Callable[..., Any], project: Path, monkeypatch: pytest.MonkeyPatch, command: str, case: str
) -> None:
    cases, (module, function) = COMMANDS[command]
    args = cases["good"] if case == "internal" else cases[case]
    if args is None:
        pytest.skip(f"{command} reads no file of the user's for '{case}'")
    if case == "internal":
        monkeypatch.setattr(f"{module}.{function}", _crash)
    result = run(*args)
    assert result.exit_code == EXPECTED[case], (args, result.output)
    assert "Traceback" not in result.output
    if case != "good":
        assert result.stderr.strip(), "a failure says why on stderr"
    if case == "internal":
        assert "internal error (RuntimeError), please report it" in result.stderr
