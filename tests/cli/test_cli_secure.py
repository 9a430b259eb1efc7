"""Issue 18, "nothing run, never exit 3": a folder someone sent runs nothing and reads nothing outside itself,
input never exits 3, output is escaped for where it goes. Each test is named after the item it checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "report"
JO, SAM = str(EXAMPLE / "acme-jo.yaml"), str(EXAMPLE / "acme-sam.yaml")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


def test_user_templates_run_in_the_sandbox(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.txt.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('id > PWNED').read() }}\n", encoding="utf-8"
    )
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\ntemplates: tpl\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("report", JO, SAM)
    assert result.exit_code == 2, result.output
    assert "report.txt.j2:1:1: template error: access to attribute '__init__'" in result.stderr
    assert "unsafe" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "PWNED").exists()


def test_user_templates_include_only_from_the_template_chain(run: Any, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("the secret\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report.txt.j2").write_text("{% include '../secret.txt' %}\n", encoding="utf-8")
    result = run("report", JO, "--template-dir", str(tmp_path / "tpl"))
    assert result.exit_code == 2
    assert "template not found: ../secret.txt" in result.stderr
    assert "the secret" not in result.output


def test_validate_says_what_a_config_naming_templates_does(run: Any, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    config = tmp_path / "carecheck.yaml"
    config.write_text("carecheck-config: 1\ntemplates: tpl\n", encoding="utf-8")
    result = run("validate", str(config))
    assert result.exit_code == 0
    assert "reports use the templates in 'tpl'" in result.stderr and "sandbox" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"GIF89a....", "its bytes are not a PNG image"),
        ("logo.jpg", PNG, "its bytes are not a JPEG image"),
        ("logo.webp", PNG, "its bytes are not a WEBP image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "<script>"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "scripts"),
        ("logo.svg", b"<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>", "DOCTYPE"),
        ("logo.svg", b"<html/>", "root element is not <svg>"),
    ],
)
def test_the_logo_is_an_image_of_its_declared_type(
    run: Any, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    result = run("report", JO, "--logo", str(tmp_path / name), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "r.html").exists()
    no_traceback(result)


def test_the_logo_is_a_regular_file_inside_the_project(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.png").write_bytes(PNG)
    project = tmp_path / "project"
    project.mkdir()
    (project / "logo.png").symlink_to("/proc/self/environ")
    (project / "ok.png").write_bytes(PNG)
    (project / "alias.png").symlink_to("ok.png")  # a link inside the project is fine
    (project / "far.png").symlink_to(outside / "real.png")
    monkeypatch.chdir(project)
    for name, code, message in [
        ("logo.png", 2, "outside the project folder"),
        ("far.png", 2, "outside the project folder"),
        ("alias.png", 0, ""),
        ("/dev/zero.png", 2, "cannot read the logo"),
    ]:
        result = run("report", JO, "--logo", name, "-o", "r.html")
        assert result.exit_code == code, (name, result.output)
        assert message in result.stderr
        no_traceback(result)
    assert b"PATH" not in (project / "r.html").read_bytes()
