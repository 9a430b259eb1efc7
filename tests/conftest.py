"""Shared fixtures: paths to test data and a CLI runner that keeps stderr apart."""

from __future__ import annotations

import os
import re
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

# An HTML report inlines its stylesheet. Its golden page keeps only the CSS lines that are the report's own
# (the accent colours, the printed page's header and footer); the rest is compared with one shared golden,
# tests/golden/report.css, so a style change rewrites that file alone, and every HTML report must carry it.
SHARED_CSS = "report.css"
STYLE = re.compile(r"(?<=<style>\n).*?(?=</style>)", re.S)
OWN_CSS = re.compile(r"(?:^(?:  --(?:accent|accent-ink|on-accent): |    @(?:top|bottom)-).*\n)+", re.M)
OWN_MARK = "/* this report's own */\n"


def split_css(html: str) -> tuple[str, str | None]:
    """An HTML report as its page, whose <style> keeps the report's own lines, and the shared CSS (None if none).

    Each run of own lines is marked `/* this report's own */` in both, so the two give back the page exactly."""
    style = STYLE.search(html)
    if style is None:
        return html, None
    css = style.group(0)
    own = "".join(OWN_MARK + run.group(0) for run in OWN_CSS.finditer(css))
    page = f"{html[: style.start()]}/* the rest: tests/golden/{SHARED_CSS} */\n{own}{html[style.end() :]}"
    return page, OWN_CSS.sub(OWN_MARK, css)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing (then review the diff).",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare rendered output with tests/golden/NAME, byte for byte; --update-golden rewrites it.

    An HTML page's stylesheet, but for the report's own lines, is compared with tests/golden/report.css."""
    update = request.config.getoption("--update-golden")

    def compare(name: str, actual: str, differs: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(f"no golden file tests/golden/{name}: run `pytest --update-golden` and review the diff")
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"{differs} (pytest --update-golden refreshes it)"

    def check(name: str, actual: str) -> None:
        css = None
        if name.endswith(".html"):
            actual, css = split_css(actual)
        compare(name, actual, f"{name} differs from its golden file")
        if css is not None:
            compare(SHARED_CSS, css, f"the CSS of {name} differs from the one all HTML reports share, {SHARED_CSS}")

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
