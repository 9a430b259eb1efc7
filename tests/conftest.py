"""Shared fixtures: paths to test data and a CLI runner that keeps stderr apart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see no settings from the machine: no CARECHECK_* variables, no CI format switch, no fixed clock."""
    for name in list(os.environ):
        if name.startswith("CARECHECK_") or name in ("GITHUB_ACTIONS", "NO_COLOR", "SOURCE_DATE_EPOCH"):
            monkeypatch.delenv(name)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def run():
    """Invoke the real entry point (error boundary included) and return the click Result."""
    from carecheck.cli import cli

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return invoke
