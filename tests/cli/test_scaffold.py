"""`carecheck init`: a tailored checklist, a config and an audits folder that work at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from yaml_readers import assert_read_alike, texts

from carecheck.catalog.loading import Catalog, builtin_dir
from carecheck.format.writer import dump_yaml


@pytest.mark.parametrize(("edit", "named_by_id"), [(False, True), (True, False)])
def test_a_local_copy_of_a_built_in_is_named_by_id_an_edited_one_by_path(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: bool, named_by_id: bool
) -> None:
    # ./checklists/ holds a copy of a built-in (a clone of this repository, a consultant's folder): it is
    # found before the built-in, yet the new checklist should follow the built-in unless the copy differs
    local = tmp_path / "checklists"
    local.mkdir()
    text = (builtin_dir() / "retail.yaml").read_text(encoding="utf-8")
    (local / "retail.yaml").write_text(text + ("# our edit\n" if edit else ""), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("init", "shop", "--from", "retail", "--id", "shop-care").exit_code == 0
    written = yaml.safe_load((tmp_path / "shop" / "checklists" / "shop-care.yaml").read_text(encoding="utf-8"))
    assert written["extends"] == ("retail" if named_by_id else "../../checklists/retail.yaml")


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


def profile_file(path: Path, title: str) -> Path:
    """A small checklist of one's own, written as a person would, to tailor from by path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "carecheck: 1\nid: base-care\n"
        + dump_yaml({"title": title})
        + 'version: "3.10"\nsections:\n  - id: basics\n    title: "Basics: #1"\n    questions:\n'
        + "      - {id: charter, text: Is there a charter?, answers: yes-no, recommendation: Write one.}\n",
        encoding="utf-8",
    )
    return path


def test_init_from_a_profile_path_in_another_folder(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = profile_file(tmp_path / "shared" / "profiles" / "base.yaml", 'Care: the #1 "rules"')
    target = tmp_path / "clients" / "acme"
    assert run("init", str(target), "--from", str(profile), "--id", "acme-care").exit_code == 0
    written = target / "checklists" / "acme-care.yaml"
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["extends"] == "../../../shared/profiles/base.yaml"
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=carecheck.schema.json\n")

    validated = run("validate", "--strict", str(target))  # from elsewhere: extends resolves from the file
    assert validated.exit_code == 0, validated.output
    monkeypatch.chdir(target)
    shown = run("show")
    assert shown.exit_code == 0, shown.output
    resolved = Catalog(folders=[target / "checklists"]).load("acme-care").checklist
    assert resolved.title == 'Care: the #1 "rules" (tailored)'
    assert list(resolved.questions) == ["charter"]


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=texts.filter(str.strip))
def test_init_output_reads_the_same_in_yaml_1_1(run, tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    folder = tmp_path_factory.mktemp("init")
    profile = profile_file(folder / "profiles" / "base.yaml", title)
    result = run("init", str(folder / "new"), "--from", str(profile), "--id", "new-care")
    assert result.exit_code in (0, 1, 2), result.output
    assume(result.exit_code == 0)  # a title the profile's own lint refuses
    for written in (folder / "new" / "checklists" / "new-care.yaml", folder / "new" / "carecheck.yaml"):
        assert_read_alike(written.read_text(encoding="utf-8"))
    assert run("validate", "--strict", str(folder / "new")).exit_code == 0


def test_init_names_a_profile_by_absolute_path_when_no_relative_one_exists(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = profile_file(tmp_path / "profiles" / "base.yaml", "Base")

    def other_drive(path: str, start: str | None = None) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")  # what Windows says across drives

    monkeypatch.setattr("carecheck.cli.scaffold.os.path.relpath", other_drive)
    assert run("init", str(tmp_path / "new"), "--from", str(profile), "--id", "new-care").exit_code == 0
    written = (tmp_path / "new" / "checklists" / "new-care.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(written)["extends"] == Path(os.path.realpath(profile)).as_posix()


def test_multi_file_writes_are_all_or_nothing_init_fails_whole_and_a_rerun_completes(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carecheck.fs as fs_module

    target = tmp_path / "new-project"
    real = fs_module.os.write
    calls: list[int] = []

    def full(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(fs_module.os, "write", full)
    result = run("init", str(target))
    monkeypatch.setattr(fs_module.os, "write", real)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert not target.exists()  # not even the folder it made
    # a run killed after its batch was committed: the next run finishes it rather than refusing
    target.mkdir()
    staging = target / f"{fs_module.BATCH_PREFIX}killed"
    staging.mkdir()
    (staging / "stray.yaml").write_text("x")
    assert run("init", str(target)).exit_code == 0
    assert not staging.exists()
    assert (target / "carecheck.yaml").is_file() and (target / "audits").is_dir()
