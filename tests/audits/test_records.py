"""Audits as records: the checklist an audit answered is kept, and old audits keep their meaning."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from carecheck.audits.records import STORE, Rescorer, checklist_changes, keep_checklist, load_stored
from carecheck.catalog.loading import Catalog
from carecheck.errors import InvalidInputError
from carecheck.format.model import Checklist

FIXTURES = Path(__file__).parents[1] / "fixtures" / "report"
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder: checklists/service-basics.yaml, and Acme's answers (Jo, Sam) to be audited."""
    (tmp_path / "checklists").mkdir()
    shutil.copy(FIXTURES / "service-basics.yaml", tmp_path / "checklists")
    for name in ("acme-jo.yaml", "acme-sam.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def checklist_of(project: Path) -> Checklist:
    return Catalog().resolve_file(project / "checklists" / "service-basics.yaml").checklist


def audit(run, project: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("acme-jo.yaml", "acme-sam.yaml"):
        result = run("audit", "checklists/service-basics.yaml", "--answers", name, "--dir", "audits", env=EPOCH)
        assert result.exit_code in (0, 1), result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def upgrade(project: Path) -> None:
    """The checklist moves on under the audit: a weight, the bands, a question removed."""
    path = project / "checklists" / "service-basics.yaml"
    edit(path, 'version: "2026.1"', 'version: "2026.2"')
    edit(path, "    weight: 2\n    target: 75", "    weight: 5\n    target: 75")
    edit(
        path,
        "critical_cap: Developing\n",
        "critical_cap: Developing\nbands:\n  - {min: 90, label: Leading}\n"
        "  - {min: 70, label: Established}\n  - {min: 40, label: Developing}\n  - {min: 0, label: Reactive}\n",
    )
    text = path.read_text(encoding="utf-8")
    start = text.index("      - id: has-chat\n")
    end = text.index("      - id: chat-staffed\n")
    path.write_text(text[:start] + text[end:].replace('        when: {question: has-chat, is: "yes"}\n', ""))


def report_json(run, *extra: str) -> tuple[dict, str]:  # type: ignore[no-untyped-def, type-arg]
    result = run("report", "audits", "--format", "json", *extra, env=EPOCH)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def essentials(doc: dict) -> tuple:  # type: ignore[type-arg]
    """Score, rating and plan of a JSON report."""
    return (doc["overall"], doc["rating"], [a["question"] for a in doc["actions"]])


def test_an_answer_file_keeps_its_checklist_once_as_canonical_json(run, project: Path) -> None:
    audit(run, project)
    checklist = checklist_of(project)
    (stored,) = (project / "audits" / STORE).iterdir()
    assert stored.name == f"{checklist.sha256}.json"
    raw = stored.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == checklist.sha256  # the copy verifies itself
    assert Checklist.model_validate(json.loads(raw)).sha256 == checklist.sha256
    assert len(list((project / "audits").rglob("*.yaml"))) == 2  # two respondents, one copy


def test_keep_checklist_skips_a_verifying_copy_and_replaces_a_damaged_one(tmp_path: Path) -> None:
    checklist = Catalog().resolve_file(FIXTURES / "service-basics.yaml").checklist
    path = keep_checklist(tmp_path, checklist)
    before = path.stat().st_mtime_ns
    assert keep_checklist(tmp_path, checklist) == path and path.stat().st_mtime_ns == before
    path.write_text("{}", encoding="utf-8")
    keep_checklist(tmp_path, checklist)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == checklist.sha256


def test_an_upgraded_checklist_leaves_an_old_audits_score_rating_and_plan_unchanged(run, project: Path) -> None:
    audit(run, project)
    before, said = report_json(run)
    assert "stored" not in said  # the checklist has not changed: nothing to say
    upgrade(project)
    after, said = report_json(run)
    assert essentials(after) == essentials(before)
    assert "2 answer files answered checklist 'service-basics' 2026.1 as stored: scored against it" in said
    assert "not the current 2026.2 (--rescore current scores against that)" in said
    assert "removed: has-chat" in said
    assert "section weights: expectations 2 -> 5" in said
    assert "bands: Leading 80, Established 60, Developing 40, Reactive 0 -> Leading 90, Established 70" in said
    assert " CC2" not in said  # linted against the checklist it is scored against: nothing changed for it

    rescored, said = report_json(run, "--rescore", "current")
    assert "CC204 warning: checklist 'service-basics' changed since these answers were given" in said
    assert essentials(rescored) != essentials(before)
    assert rescored["overall"] != before["overall"]
    assert "rescored against the current 2026.2 (--rescore current); what changed since:" in said
    assert "removed: has-chat" in said


def test_history_and_baseline_score_each_audit_as_answered(run, project: Path) -> None:
    audit(run, project)
    # a later audit, answered after the upgrade, against the new checklist
    first = run("history", "audits", "--format", "json", env=EPOCH)
    assert first.exit_code == 0, first.output
    upgrade(project)
    for name in ("acme-jo.yaml", "acme-sam.yaml"):
        text = (project / name).read_text(encoding="utf-8").replace("audit: 2026-Q3", "audit: 2026-Q4")
        kept = [line for line in text.splitlines(keepends=True) if "chat" not in line]
        (project / name).write_text("".join(kept), encoding="utf-8")
    audit(run, project)
    assert len(list((project / "audits" / STORE).iterdir())) == 2  # one copy per checklist version
    later = run("history", "audits", "--format", "json", env=EPOCH)
    assert later.exit_code == 0, later.output
    q3_then = json.loads(first.stdout)["series"][0]["audits"][0]
    q3_now = json.loads(later.stdout)["series"][0]["audits"][0]
    assert q3_now["audit"] == "2026-Q3" and q3_now["overall"] == q3_then["overall"]
    assert q3_now["rating"] == q3_then["rating"]
    assert "as stored: scored against it" in later.stderr

    q4, q3 = "audits/acme-care-sons/2026-Q4", "audits/acme-care-sons/2026-Q3"
    base = run("report", q4, "--baseline", q3, "--format", "json", env=EPOCH)
    assert base.exit_code == 0, base.output
    assert json.loads(base.stdout)["comparison"]["baseline"]["overall"] == q3_then["overall"]


def test_without_a_stored_copy_the_current_checklist_is_used_and_said(run, project: Path) -> None:
    audit(run, project)
    before, _ = report_json(run)
    shutil.rmtree(project / "audits" / STORE)  # an audit from before checklists were kept
    upgrade(project)
    after, said = report_json(run)
    assert "answered a version of checklist 'service-basics' (sha256 " in said
    assert "that was not stored: scored against the current checklist (2026.2)" in said
    assert after["overall"] != before["overall"]


def test_a_tampered_stored_copy_is_a_clear_error(run, project: Path) -> None:
    audit(run, project)
    upgrade(project)
    (stored,) = (project / "audits" / STORE).iterdir()
    stored.write_text(stored.read_text(encoding="utf-8").replace('"weight":3', '"weight":9'), encoding="utf-8")
    result = run("report", "audits", "--format", "json", env=EPOCH)
    assert result.exit_code == 1
    assert str(Path("audits") / STORE / stored.name) in result.stderr
    assert "this stored checklist was changed or damaged" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(InvalidInputError, match="changed or damaged"):
        load_stored(stored, stored.stem)


def test_validate_does_not_read_the_stored_checklists(run, project: Path) -> None:
    audit(run, project)
    (project / "audits" / STORE / "broken.yaml").write_text("carecheck: 1\nid: [\n", encoding="utf-8")
    result = run("validate", "audits")
    assert "broken.yaml" not in result.output


def test_checklist_changes_lists_what_moved() -> None:
    old = Catalog().resolve_file(FIXTURES / "service-basics.yaml").checklist
    sections = list(old.sections)
    first = sections[0]
    q0 = first.questions[0].model_copy(update={"text": "Reworded?", "weight": 1.0, "critical": False})
    sections[0] = first.model_copy(update={"questions": (q0, *first.questions[1:])})
    new = old.model_copy(update={"sections": tuple(sections)})
    assert checklist_changes(old, new) == [
        "reworded: published-standards",
        "re-weighted: published-standards 3 -> 1",
        "criticality: published-standards no longer critical",
    ]
    assert checklist_changes(old, old) == []


def test_rescore_refuses_an_unknown_mode() -> None:
    from carecheck.errors import UsageError

    with pytest.raises(UsageError, match="--rescore takes one of stored, current"):
        Rescorer("newest")
