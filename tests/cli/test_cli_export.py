"""`carecheck export` on the command line: formats, files, usage errors."""

from __future__ import annotations

from pathlib import Path

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"


def test_paper_goes_to_the_terminal_and_files_to_their_name(run, tmp_path: Path) -> None:
    md = run("export", str(MINIMAL), "--format", "md", "--organisation", "Acme Ltd")
    assert md.exit_code == 0 and md.stdout.startswith("# Minimal checklist\n") and "Organisation: Acme Ltd" in md.stdout
    form = tmp_path / "q.html"
    result = run("export", str(MINIMAL), "-o", str(form))
    assert result.exit_code == 0 and result.stdout == f"Wrote {form}.\n"
    assert form.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_form_pdf_or_csv_needs_a_file(run) -> None:
    for fmt in ("form", "pdf", "csv"):
        result = run("export", str(MINIMAL), "--format", fmt)
        assert result.exit_code == 2 and f"--format {fmt} writes a file: give -o FILE" in result.stderr


def test_no_checklist_or_an_unknown_one_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("export", "no-such-checklist", "-o", str(tmp_path / "q.html"))
    assert result.exit_code == 2 and "no-such-checklist" in result.stderr
    assert not (tmp_path / "q.html").exists()


def test_collect_needs_something_to_collect(run) -> None:
    result = run("collect")
    assert result.exit_code == 2 and "FILES_OR_FOLDER" in result.stderr


def test_the_configured_checklist_and_audits_folder_are_the_defaults(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\nchecklist: minimal.yaml\naudits: records\n")
    assert run("export", "--format", "md").stdout.startswith("# Minimal checklist\n")
    returned = tmp_path / "returned.yaml"
    returned.write_text(
        "carecheck-answers: 1\nchecklist: {id: minimal}\norganisation: Acme\naudit: 2026-Q4\n"
        "respondent: {name: Jo, role: front-line}\nanswers: {has-email: no}\n",
        encoding="utf-8",
    )
    result = run("collect", str(returned))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "records" / "acme" / "2026-Q4" / "minimal--jo.yaml").is_file()
