"""The questionnaire exports: paper (html, md, pdf) against golden files, and the form's page itself (its CSP
hashes, the embedded checklist that cannot close its element)."""

from __future__ import annotations

import base64
import hashlib
import html as markup
import importlib.util
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from carecheck.catalog.loading import Catalog
from carecheck.format.model import Checklist
from carecheck.render.questionnaire import ExportOptions, form_data, render_form, render_questionnaire

FIXTURES = Path(__file__).parents[1] / "fixtures"
OPTIONS = ExportOptions(organisation="Acme <Care> & Sons", audit="2026-Q4", generator="carecheck (golden)")


def checklist(name: str) -> Checklist:
    return Catalog().load(str(FIXTURES / name)).checklist


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("name", ["minimal.yaml", "form/roles.yaml"])
def test_paper_matches_its_golden_file(name: str, fmt: str, golden: Any) -> None:
    output = render_questionnaire(checklist(name), fmt, OPTIONS if name == "minimal.yaml" else ExportOptions())
    assert isinstance(output, str)
    stem = Path(name).stem
    golden(f"paper-{stem}.{'htm' if fmt == 'html' else fmt}", output.replace("carecheck (golden)", "carecheck"))


def test_paper_has_no_scores_and_escapes_checklist_text() -> None:
    html = str(render_questionnaire(checklist("form/roles.yaml"), "html", ExportOptions()))
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "score" not in html.lower()
    assert "Only if “Is there a budget for training?” is Yes or Partly." in html
    assert "For: leadership, management" in html and "For: management" in html


def test_paper_pdf_is_a4(require: Any) -> None:
    require(importlib.util.find_spec("weasyprint") is not None, "weasyprint (the pdf extra) is not installed")
    import pypdf

    pdf = render_questionnaire(checklist("minimal.yaml"), "pdf", OPTIONS)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert "Are staff trained?" in page.extract_text() + "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages[1:]
    )


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_form_allows_its_own_script_and_style_and_nothing_else() -> None:
    page = render_form(checklist("form/roles.yaml"), ExportOptions())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script is not None and style is not None
    assert markup.unescape(csp.group(1)) == (
        f"default-src 'none'; script-src {_hash(script.group(1))}; style-src {_hash(style.group(1))}; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    assert "unsafe" not in page and "http://" not in page and "https://" not in page
    assert len(page.encode()) < 64_000


def test_the_embedded_checklist_cannot_close_its_element() -> None:
    resolved = checklist("form/roles.yaml")
    page = render_form(resolved, ExportOptions())
    embedded = re.search(r'<script type="application/json" id="checklist">(.*?)</script>', page, re.S)
    assert embedded is not None and "<" not in embedded.group(1)
    assert json.loads(embedded.group(1)) == form_data(resolved, ExportOptions())
    assert page.count("</script>") == 2  # the JSON block and the script
    data = form_data(resolved, ExportOptions())
    assert data["checklist"]["sha256"] == resolved.sha256
    questions = {q["id"]: q for s in data["sections"] for q in s["questions"]}
    assert questions["greets"]["hash"] == resolved.questions["greets"].text_hash
    assert questions["rota"]["roles"] == ["management"] and data["sections"][1]["roles"] == ["leadership", "management"]
    assert "score" not in json.dumps(data)  # the respondent sees no scores
