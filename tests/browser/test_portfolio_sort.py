"""The portfolio's HTML table sorts by a column in a real browser (Chromium through Playwright), under its CSP."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parents[1] / "golden" / "portfolio.html"
CHROMIUM = os.environ.get("CARECHECK_CHROMIUM", "/usr/bin/chromium")


def test_selecting_a_heading_sorts_the_rows_and_the_csp_lets_only_that_script_run(tmp_path: Path, require: Any) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    require(shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    page_file = tmp_path / "portfolio.html"
    page_file.write_text(GOLDEN.read_text(encoding="utf-8"), encoding="utf-8")
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(page_file.as_uri())

            def names() -> list[str]:
                return page.locator("#portfolio tbody th").all_inner_texts()

            assert names() == ["Bravo & Co. (UK)", "Northwind Care"]
            page.get_by_role("button", name="Overall").click()  # ascending: 44.6 then 51.8
            assert names() == ["Bravo & Co. (UK)", "Northwind Care"]
            page.get_by_role("button", name="Overall").click()
            assert names() == ["Northwind Care", "Bravo & Co. (UK)"]
            assert page.locator("th[aria-sort=descending]").inner_text().startswith("Overall")
            page.get_by_role("button", name="Change").click()  # no change sorts first, ascending
            assert names() == ["Bravo & Co. (UK)", "Northwind Care"]
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e]
