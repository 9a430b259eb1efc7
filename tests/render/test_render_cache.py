"""Issue 17: the built-in templates render outside the sandbox and their compiled code is kept between runs
in jinja2's per-user bytecode cache; a user's template folder keeps the sandbox and never uses the cache.
A cache that cannot be made, read or written is a miss: the report is the same, compiled from source."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import pytest

from carecheck.catalog.loading import AnswerStream, Catalog
from carecheck.render import report
from carecheck.render.report import ReportOptions, environment, render_report
from carecheck.scoring.score import Scorecard, score

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "report"
OPTIONS = ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc), generator="carecheck (test)")


@pytest.fixture(scope="module")
def card() -> Scorecard:
    files = ("acme-jo.yaml", "acme-sam.yaml")
    stream = AnswerStream([(EXAMPLE / n, True) for n in files], Catalog())
    return score(stream.checklist, [a for _, _, a, _ in stream.items()], sources=list(files))


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary folder jinja2 keeps its cache in, inside tmp_path; a fresh environment before and after."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    report._environment.cache_clear()
    yield tmp_path
    report._environment.cache_clear()


def cache_folder(temp: Path) -> Path:
    return temp / f"_jinja2-cache-{os.getuid()}"


def fresh(card: Scorecard, fmt: str = "html") -> str:
    """A report as a new process renders it: the environment built again (from the cache, if any)."""
    report._environment.cache_clear()
    text = render_report(card, fmt, OPTIONS)
    assert isinstance(text, str)
    return text


@pytest.fixture(scope="module")
def compiled(card: Scorecard) -> dict[str, str]:
    """Each format rendered with no cache at all: every template compiled from source."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report, "_bytecode_cache", lambda: None)
        texts = {fmt: fresh(card, fmt) for fmt in ("html", "md", "txt")}
    report._environment.cache_clear()  # later tests get an environment with its cache again
    return texts


def no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a template was compiled")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_only_a_user_template_folder_is_sandboxed(temp: Path, tmp_path: Path) -> None:
    built_in = environment(None)
    assert not built_in.sandboxed and built_in.bytecode_cache is not None
    user = environment(tmp_path)  # an empty folder: the built-ins it falls back to are sandboxed too
    assert isinstance(user, jinja2.sandbox.ImmutableSandboxedEnvironment) and user.bytecode_cache is None
    with pytest.raises(jinja2.sandbox.SecurityError):
        user.from_string("{{ cycler.__init__.__globals__ }}").render()


def test_the_built_in_templates_are_compiled_once_then_loaded(
    card: Scorecard, compiled: dict[str, str], temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fresh(card) == compiled["html"]
    kept = sorted(p.name for p in cache_folder(temp).iterdir())
    assert len(kept) == 3  # report.html.j2 and what this report includes: report.css.j2, the perception part
    assert all(name.startswith("carecheck-") and name.endswith(".cache") for name in kept)
    no_compiling(monkeypatch)
    assert fresh(card) == compiled["html"]


def test_a_changed_template_is_compiled_again(card: Scorecard, temp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh(card, "txt")
    source = report._PackageTemplates.get_source

    def changed(self: Any, env: jinja2.Environment, name: str) -> tuple[str, str | None, Callable[[], bool]]:
        text, filename, uptodate = source(self, env, name)
        return (text + "CHANGED {{ 6 * 7 }}\n" if name == "report.txt.j2" else text), filename, uptodate

    monkeypatch.setattr(report._PackageTemplates, "get_source", changed)
    assert fresh(card, "txt").endswith("CHANGED 42\n")
    monkeypatch.undo()
    assert not fresh(card, "txt").endswith("CHANGED 42\n")


def _truncate(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[:20])


def _garbage(folder: Path) -> None:
    for path in folder.iterdir():
        path.write_bytes(b"\x00\xff not a cache file" * 50)


def _folders(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize("spoil", [_truncate, _garbage, _folders], ids=["truncated", "garbage", "folders"])
@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_a_spoilt_cache_file_is_compiled_again(
    card: Scorecard, compiled: dict[str, str], temp: Path, fmt: str, spoil: Callable[[Path], None]
) -> None:
    fresh(card, fmt)
    spoil(cache_folder(temp))
    assert fresh(card, fmt) == compiled[fmt]
    assert fresh(card, fmt) == compiled[fmt]


def test_no_safe_cache_folder_means_compiling(card: Scorecard, compiled: dict[str, str], temp: Path) -> None:
    cache_folder(temp).write_text("a file where jinja2 wants its folder\n", encoding="utf-8")
    assert environment().bytecode_cache is None
    assert fresh(card) == compiled["html"]


def test_a_cache_folder_that_goes_away_means_compiling(card: Scorecard, compiled: dict[str, str], temp: Path) -> None:
    report._environment.cache_clear()
    environment()  # the cache and its folder are made here
    shutil.rmtree(cache_folder(temp))  # ... and gone before anything is written to it
    text = render_report(card, "html", OPTIONS)
    assert text == compiled["html"]
    assert not cache_folder(temp).exists()


def test_a_user_folder_never_uses_the_cache(card: Scorecard, compiled: dict[str, str], temp: Path) -> None:
    user = temp / "tpl"
    user.mkdir()
    (user / "report.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    got = render_report(card, "md", replace(OPTIONS, template_dir=user))
    assert got == "# Customer care audit\n"
    assert render_report(card, "html", replace(OPTIONS, template_dir=user)) == compiled["html"]
    assert not cache_folder(temp).exists()
