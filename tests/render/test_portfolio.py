"""The portfolio: one row per organisation from its latest audit, in every format (golden files)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from carecheck.audits.portfolio import build_portfolio
from carecheck.catalog.loading import Catalog
from carecheck.errors import UsageError
from carecheck.render.portfolio import PortfolioOptions, render_portfolio

FIXTURE = Path(__file__).parents[1] / "fixtures" / "periodic"
OPTIONS = PortfolioOptions(generated=datetime(2026, 9, 21, tzinfo=timezone.utc), generator="carecheck (golden)")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(FIXTURE, folder)
    monkeypatch.chdir(folder)
    return folder


def portfolio():  # type: ignore[no-untyped-def]
    found, notices = build_portfolio(Path("audits"), Catalog(folders=[Path("checklists")]))
    assert notices == []
    return found


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "json", "csv"])
def test_portfolio_matches_its_golden_file(project: Path, fmt: str, golden: Any) -> None:
    golden(f"portfolio.{fmt}", render_portfolio(portfolio(), fmt, OPTIONS))


def test_each_row_is_the_latest_audit_with_the_change_since_the_one_before(project: Path) -> None:
    data = json.loads(render_portfolio(portfolio(), "json", OPTIONS))
    bravo, northwind = data["organisations"]
    assert (bravo["organisation"], bravo["audits"], bravo["change"]) == ("Bravo & Co. (UK)", 1, None)
    assert (northwind["audit"], northwind["audits"], northwind["respondents"]) == ("2026-Q3", 3, 4)
    history = json.loads((Path(__file__).parents[1] / "golden" / "history.json").read_text(encoding="utf-8"))["series"][
        1
    ]["audits"]
    assert northwind["overall"] == history[-1]["overall"] and northwind["change"] == history[-1]["change"]
    assert northwind["critical_below"] == 1 and northwind["widest_gap"]["gap"] == 100.0
    assert data["summary"] == {
        "organisations": 2,
        "respondents": 6,
        "mean_overall": round((bravo["overall"] + northwind["overall"]) / 2, 1),
        "improved": 0,
        "declined": 1,
        "with_critical_below": 1,
        "ratings": {"Developing": 2},
    }


def test_the_html_sort_script_is_inline_and_allowed_by_its_hash_only(project: Path) -> None:
    html = render_portfolio(portfolio(), "html", OPTIONS)
    (script,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'" in html
    assert "src=" not in html.replace("default-src", "").replace("style-src", "").replace("script-src", "")
    # without the script the table is already complete, in name order
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>', html)
    assert rows == ["Bravo &amp; Co. (UK)", "Northwind Care"]


def test_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no audits in"):
        build_portfolio(tmp_path, Catalog())
    with pytest.raises(UsageError, match="no audits folder"):
        build_portfolio(tmp_path / "missing", Catalog())
