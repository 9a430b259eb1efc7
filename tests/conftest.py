"""Shared fixtures: paths to test data and a CLI runner that keeps stderr apart."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests see no settings from the machine: no CARECHECK_* variables, no CI format switch, no fixed clock;
    and crash logs go to a cache folder of their own, never the user's."""
    for name in list(os.environ):
        if name.startswith("CARECHECK_") or name in ("GITHUB_ACTIONS", "NO_COLOR", "SOURCE_DATE_EPOCH"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def run():
    """Invoke the real entry point (error boundary included) and return the click Result."""
    from carecheck.cli.main import cli

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing (then review the diff).",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare rendered output with tests/golden/NAME, byte for byte; --update-golden rewrites it."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(f"no golden file tests/golden/{name}: run `pytest --update-golden` and review the diff")
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"{name} differs from its golden file (pytest --update-golden refreshes it)"

    return check


def require_tool(available: bool, reason: str) -> None:
    """Skip a test whose tool is missing, visibly; under CI=true the tool must be there, so fail."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture
def require():
    """`require(available, reason)`: skip (locally) or fail (CI=true) when a test's tool is missing."""
    return require_tool
