"""The offline questionnaire driven in Debian's Chromium with its CSP in force: every question kind, a `when`
question appearing, answers kept over a reload, the saved file validated and scored as the terminal's."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import require_tool

from carecheck.catalog.loading import load_answer_file

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"
AXE = Path(__file__).parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

TERMINAL_ANSWERS = """\
carecheck-answers: 1
checklist: {id: minimal}
organisation: Acme <Care> & Sons
audit: 2026-Q4
respondent: {name: Jo Bloggs, role: front-line}
answers:
  has-email: yes
  email-reply-hours: 6
  trained: {value: 2, note: "only \\"new\\" staff: yes, 100%"}
  rating: unknown
  evidence: {value: "The training log: 2026-01-02"}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM.exists(), f"Debian's chromium is not installed at {CHROMIUM}")
    require_tool(importlib.util.find_spec("playwright") is not None, "playwright (Python) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def form(run, tmp_path: Path) -> Path:
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    path = tmp_path / "form.html"
    result = run(
        "export", str(tmp_path / "minimal.yaml"), "-o", str(path), "--organisation", "Acme <Care> & Sons",
        "--audit", "2026-Q4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return path


def open_form(context: Any, path: Path) -> tuple[Any, list[str]]:
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    local = ("file:", "blob:")
    page.on("request", lambda r: messages.append(f"request: {r.url}") if not r.url.startswith(local) else None)
    page.goto(path.as_uri())
    return page, messages


def test_the_form_is_answered_kept_saved_and_scored_as_the_terminal(
    browser: Any, form: Path, run, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})  # a phone
    page, messages = open_form(context, form)
    assert page.locator("#progress-text").inner_text() == "0 of 4 questions answered"
    page.get_by_label("Your name", exact=True).fill("Jo Bloggs")
    page.get_by_label("Your role", exact=True).select_option("front-line")
    hours = page.locator("#q-email-reply-hours")
    assert hours.is_hidden()
    page.locator("#q-has-email").get_by_label("Yes", exact=True).check()
    assert hours.is_visible()  # the `when` question appears...
    page.locator("#q-has-email").get_by_label("No", exact=True).check()
    assert hours.is_hidden()  # ...and goes again
    page.locator("#q-has-email").get_by_label("Yes", exact=True).check()
    number = hours.get_by_label("Number (hours)", exact=True)
    number.fill("abc")
    assert "Type a number" in hours.locator(".problem").inner_text()
    number.fill("6 hours")
    assert hours.locator(".problem").inner_text() == ""
    page.locator("#q-trained").get_by_label("Defined", exact=True).check()
    page.locator("#q-trained").get_by_label("Note (optional)", exact=True).fill('only "new" staff: yes, 100%')
    page.locator("#q-rating").get_by_label("Don't know", exact=True).check()
    page.locator("#q-evidence").get_by_label("Your answer", exact=True).fill("The training log: 2026-01-02")
    assert page.locator("#progress-text").inner_text() == "5 of 5 questions answered"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    page.reload()  # closing and opening the file again resumes
    assert page.get_by_label("Your name", exact=True).input_value() == "Jo Bloggs"
    assert page.locator("#q-has-email").get_by_label("Yes", exact=True).is_checked()
    assert page.locator("#q-email-reply-hours").get_by_label("Number (hours)", exact=True).input_value() == "6 hours"
    assert page.locator("#q-trained").get_by_label("Defined", exact=True).is_checked()
    note = page.locator("#q-trained").get_by_label("Note (optional)", exact=True)
    assert note.input_value() == 'only "new" staff: yes, 100%'
    evidence = page.locator("#q-evidence").get_by_label("Your answer", exact=True)
    assert evidence.input_value() == "The training log: 2026-01-02"

    with page.expect_download() as download:
        page.get_by_role("button", name="Save my answers").click()
    assert download.value.suggested_filename == "minimal--jo-bloggs.yaml"
    saved = tmp_path / "answers (3).yaml"  # as a downloads folder names a third copy
    download.value.save_as(saved)
    assert messages == []  # no CSP violation, no error, no request
    context.close()

    assert run("validate", "--strict", str(saved)).exit_code == 0
    _, answers = load_answer_file(saved)
    assert answers.organisation == "Acme <Care> & Sons" and answers.audit == "2026-Q4"
    assert answers.completed is not None and answers.respondent.role == "front-line"
    assert {q: a.value for q, a in answers.answers.items()} == {
        "has-email": "yes",
        "email-reply-hours": "6",
        "trained": "2",
        "rating": "unknown",
        "evidence": "The training log: 2026-01-02",
    }

    # the same answers given at the terminal (`audit --answers`) score the same
    (tmp_path / "terminal.yaml").write_text(TERMINAL_ANSWERS, encoding="utf-8")
    terminal = tmp_path / "terminal-audits"
    assert run("audit", str(tmp_path / "minimal.yaml"), "--answers", str(tmp_path / "terminal.yaml"),
               "--dir", str(terminal)).exit_code == 0  # fmt: skip
    collected = tmp_path / "audits"
    result = run("collect", str(tmp_path / "answers (3).yaml"), "--dir", str(collected))
    assert result.exit_code == 0, result.output
    (filed,) = collected.rglob("*.yaml")
    assert filed.relative_to(collected).as_posix() == "acme-care-sons/2026-Q4/minimal--jo-bloggs.yaml"
    checklist = str(tmp_path / "minimal.yaml")
    reports = [
        json.loads(run("report", str(folder), "--format", "json", "--checklist", checklist).stdout)
        for folder in (terminal, collected)
    ]
    assert reports[0]["overall"] == 48.3
    assert same_report(reports[0]) == same_report(reports[1])


def same_report(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON report without what differs between two runs: when it was made and each file's times."""
    respondents = [(r["name"], r["role"]) for r in report["respondents"]]
    return {**{k: v for k, v in report.items() if k not in ("generated", "respondents")}, "who": respondents}


def test_the_form_has_no_serious_accessibility_violations(browser: Any, form: Path) -> None:
    require_tool(AXE.exists(), f"axe-core is not installed in {AXE.parent} (npm install --prefix tests/browser)")
    context = browser.new_context(bypass_csp=True)
    page, _ = open_form(context, form)
    page.locator("#q-has-email").get_by_label("Yes", exact=True).check()  # the `when` question shown too
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


ROLES_CHECKLIST = FIXTURES / "form" / "roles.yaml"


def test_roles_decide_what_the_form_asks_and_checklist_text_never_runs(browser: Any, run, tmp_path: Path) -> None:
    path = tmp_path / "roles.html"
    assert run("export", str(ROLES_CHECKLIST), "-o", str(path)).exit_code == 0  # organisation and audit asked
    context = browser.new_context(accept_downloads=True)
    page, messages = open_form(context, path)
    assert page.evaluate("() => window.__pwned") is None
    assert "<img src=x" in page.locator("#q-greets legend").inner_text()  # shown as text
    assert page.locator("#q-greets").get_by_label("Not applicable", exact=True).count() == 0  # allow_na: false
    page.get_by_label("Your role", exact=True).select_option("front-line")
    assert page.locator("#q-rota").is_hidden() and page.locator("#s-leading").is_hidden()
    assert page.locator("#progress-text").inner_text() == "0 of 1 questions answered"
    page.get_by_label("Your role", exact=True).select_option("management")
    assert page.locator("#q-rota").is_visible() and page.locator("#q-budget").is_visible()
    assert page.locator("#q-budget-size").is_hidden()
    page.locator("#q-budget").get_by_label("Partly", exact=True).check()
    page.locator("#q-budget-size").get_by_label("Number (%)", exact=True).fill("2.5%")
    page.locator("#q-greets").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    assert page.locator("#status").inner_text() == "Fill in your name before saving."
    assert page.evaluate("() => document.activeElement.id") == "who-name"
    page.get_by_label("Your name", exact=True).fill("Ana Łódź")
    page.get_by_role("button", name="Save my answers").click()
    assert "Fill in the organisation" in page.locator("#status").inner_text()
    page.get_by_label("Organisation", exact=True).fill("yes")  # a YAML 1.1 boolean, as a name
    with page.expect_download() as download:
        page.get_by_role("button", name="Save my answers").click()
    assert download.value.suggested_filename == "roles-form--ana-lodz.yaml"
    saved = tmp_path / "saved.yaml"
    download.value.save_as(saved)
    assert "1 questions still open" in page.locator("#status").inner_text()  # rota
    assert messages == []
    context.close()
    _, answers = load_answer_file(saved)
    assert answers.organisation == "yes" and answers.respondent.role == "management"
    assert answers.audit is not None and answers.audit[:4].isdigit() and answers.completed is None
    assert {q: a.value for q, a in answers.answers.items()} == {
        "greets": "yes",
        "budget": "partial",
        "budget-size": "2.5",
    }


def test_the_form_is_answered_with_the_keyboard_alone(browser: Any, form: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page, messages = open_form(context, form)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "who-name"
    page.keyboard.type("Kim Lee")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "who-role"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first option of the first question: Yes
    assert page.locator("#q-has-email").get_by_label("Yes", exact=True).is_checked()
    assert page.locator("#q-email-reply-hours").is_visible()
    page.keyboard.press("ArrowDown")  # No: the `when` question goes
    assert page.locator("#q-has-email").get_by_label("No", exact=True).is_checked()
    assert page.locator("#q-email-reply-hours").is_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "q-has-email-note"
    page.focus("#save")
    page.keyboard.press("Enter")
    assert page.locator("#status").inner_text() == "Fill in your role before saving."
    page.keyboard.type("f")  # the role's list has the focus: the first role that starts with F
    assert page.locator("#who-role").input_value() == "front-line"
    page.focus("#save")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "minimal--kim-lee.yaml"
    assert messages == []
    context.close()


NAMES = [
    "Jo Bloggs",
    "Łukasz Żółć-Brzęczyszczykiewicz",  # Latin letters that do not decompose
    "Ольга Петрова",  # Cyrillic
    "Ωμέγα Παπαδοπούλου",  # Greek
    "Nguyễn Thị Minh Khai",  # Vietnamese
    "Jörg Straße",
    "Dr. Maria-José de la Concepción Fernández-Gutiérrez y Sánchez-Villalobos",  # cut to 48, with a hash
    "Anne-Sophie O'Connor-Ñúñez van der Wal\u2013Smythe (front desk)",  # cut, the hash of non-ASCII text
    "  ",  # nobody: anonymous
]


def test_the_download_is_named_as_carecheck_audit_names_the_file(browser: Any, form: Path, run, tmp_path: Path) -> None:
    """The script follows format.names.slug (anyascii's spelling, the cap and its hash) for Latin, Greek and
    Cyrillic names; a name in another script is left out of the download's name, and collect refiles it."""
    from carecheck.audits.store import default_answer_path

    context = browser.new_context(accept_downloads=True)
    page, messages = open_form(context, form)
    page.get_by_label("Your role", exact=True).select_option("front-line")
    downloads = tmp_path / "downloads"
    for i, name in enumerate([*NAMES, "山田 太郎"]):
        page.get_by_label("Your name", exact=True).fill(name)
        if not name.strip():
            continue  # the form asks for a name: checked in the roles test
        with page.expect_download() as download:
            page.get_by_role("button", name="Save my answers").click()
        saved = downloads / f"answers ({i}).yaml"
        download.value.save_as(saved)
        _, answers = load_answer_file(saved)
        expected = default_answer_path(tmp_path, answers).name
        if name == "山田 太郎":
            assert expected == "minimal--shantian-tailang.yaml"
            assert download.value.suggested_filename == "minimal--anonymous.yaml"  # kanji are not in the table
        else:
            assert download.value.suggested_filename == expected, name
    assert messages == []
    context.close()
    collected = tmp_path / "audits"
    result = run("collect", str(downloads), "--dir", str(collected), "--checklist", str(tmp_path / "minimal.yaml"))
    assert result.exit_code == 0, result.output
    filed = sorted(p.name for p in collected.rglob("*.yaml"))
    assert "minimal--shantian-tailang.yaml" in filed and len(filed) == len(NAMES)  # 8 names and the kanji one


def test_the_form_spells_names_with_the_table_of_format_names() -> None:
    from anyascii import anyascii

    from carecheck.format.names import slug, slug_table

    table = {r["from"] + i: s for r in slug_table() for i, s in enumerate(str(r["to"]).split("|"))}
    for name in NAMES:
        spelled = "".join(c.lower() if ord(c) < 128 else table.get(ord(c), "-") for c in name)
        kebab = [re.sub(r"[^a-z0-9]+", "-", text).strip("-") for text in (spelled, anyascii(name).lower())]
        assert kebab[0] == kebab[1]
        assert len(slug(name)) <= 48
