"""`carecheck init`: a tailored checklist, a config and an audits folder that work at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.loading import Catalog


def test_init_writes_a_valid_tailored_setup(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "acme"
    result = run("init", str(target), "--from", "contact-centre", "--id", "acme-care")
    assert result.exit_code == 0, result.output
    assert (target / "audits").is_dir()
    checklist = target / "checklists" / "acme-care.yaml"
    assert "extends: contact-centre" in checklist.read_text()
    assert "#     - service-standards-published" in checklist.read_text()

    monkeypatch.chdir(target)
    assert run("validate", "--strict", "checklists", "carecheck.yaml").exit_code == 0
    shown = run("show")  # the config names the new checklist as the default
    assert shown.exit_code == 0 and "(acme-care " in shown.stdout
    resolved = Catalog(folders=[target / "checklists"]).load("acme-care").checklist
    assert resolved.questions.keys() == Catalog().load("contact-centre").checklist.questions.keys()


def test_init_never_overwrites(run, tmp_path: Path) -> None:
    assert run("init", str(tmp_path)).exit_code == 0
    again = run("init", str(tmp_path))
    assert again.exit_code == 2 and "never overwrites" in again.stderr


def test_init_from_an_unknown_profile(run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path), "--from", "no-such-profile")
    assert result.exit_code == 2 and "no checklist 'no-such-profile'" in result.stderr
    assert not (tmp_path / "carecheck.yaml").exists()


def test_init_refuses_a_bad_id(run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path), "--id", "Not An Id")
    assert result.exit_code == 2 and "not a valid id" in result.stderr


def test_init_checks_every_target_before_writing(run, tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "carecheck.schema.json").write_text("{}")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2 and "never overwrites" in result.stderr
    assert not (tmp_path / "carecheck.yaml").exists()
    (tmp_path / "checklists" / "carecheck.schema.json").unlink()
    (tmp_path / "audits").write_text("a file, not a folder")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2 and "is not a folder" in result.stderr
    assert not (tmp_path / "carecheck.yaml").exists()
