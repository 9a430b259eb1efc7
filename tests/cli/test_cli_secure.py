"""Issue 18, "nothing run, never exit 3": a folder someone sent runs nothing and reads nothing outside itself,
input never exits 3, output is escaped for where it goes. Each test is named after the item it checks."""

from __future__ import annotations

import os
import shutil
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


def test_built_in_templates_are_sandboxed_with_a_user_folder_in_the_chain(run: Any, tmp_path: Path) -> None:
    # the built-ins alone render outside the sandbox (trusted code); with a user folder in the chain, a
    # built-in (report.txt.j2) includes the user's part, and both run in the sandbox
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "report-perception.txt.j2").write_text(
        "{{ cycler.__init__.__globals__.os.popen('id > PWNED').read() }}\n", encoding="utf-8"
    )
    result = run("report", JO, SAM, "--template-dir", str(tmp_path / "tpl"))
    assert result.exit_code == 2, result.output
    assert "report-perception.txt.j2:1:1: template error: access to attribute '__init__'" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


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


# ---------------------------------------------------------------------------------------------------
# Never exit 3 on input

PERIODIC = Path(__file__).parents[1] / "fixtures" / "periodic"
LONG = "a" * 300


@pytest.fixture
def periodic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(PERIODIC, folder)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["validate", f"{LONG}.yaml"],
        ["show", LONG],
        ["show", f"{LONG}.yaml"],
        ["report", f"{LONG}.yaml"],
        ["report", JO, "--checklist", LONG],
        ["report", JO, "--template-dir", LONG],
        ["report", JO, "--logo", f"{LONG}.png"],
        ["report", JO, "--plan", f"{LONG}.yaml"],
        ["report", JO, "-o", f"{LONG}.txt"],
        ["history", LONG],
        ["import", "--checklist", str(EXAMPLE / "service-basics.yaml"), f"{LONG}.csv"],
        ["init", "--id", "x-care", f"{LONG}/x"],
        ["audit", "--answers", f"{LONG}.yaml", "--organisation", "A", "--respondent", "B"],
    ],
)
def test_over_long_names_exit_2_not_3(run: Any, tmp_path: Path, monkeypatch: Any, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert "internal error" not in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    "body",
    [
        f"plan: {LONG}.yaml",
        f"templates: {LONG}",
        f"checklists: [{LONG}]",
        f"branding: {{logo: {LONG}.png}}",
        f"audits: {LONG}",
        f"checklist: {LONG}.yaml",
        f"checklist: {LONG}",
        'plan: "p\\0.yaml"',
        'templates: "t\\0"',
        'audits: "a\\0"',
        'checklists: ["c\\0"]',
    ],
)
def test_over_long_names_and_a_nul_in_paths_of_carecheck_yaml(
    run: Any, tmp_path: Path, monkeypatch: Any, body: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "carecheck.yaml").write_text(f"carecheck-config: 1\n{body}\n", encoding="utf-8")
    validated = run("validate", "carecheck.yaml")
    assert validated.exit_code in (0, 1), validated.output  # a missing folder is CC401; a NUL is CC008
    for args in (["report", JO, SAM], ["history"], ["show"], ["list"], ["audit", "--answers", "x.yaml"]):
        result = run(*args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        no_traceback(result)
    if "\\0" in body:
        assert validated.exit_code == 1 and "a path may not hold a NUL character" in validated.stdout


def _locked(monkeypatch: Any, folder: Path) -> None:
    """As if `folder` could not be searched (chmod 000 as another user): every look inside is refused."""
    prefix = str(folder) + os.sep
    real_stat, real_open, real_scandir = os.stat, os.open, os.scandir

    def guard(path: Any) -> None:
        text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
        if os.path.abspath(text).startswith(prefix):
            raise PermissionError(13, "Permission denied", text)

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        guard(path)
        return real_stat(path, *args, **kwargs)

    def open_(path: Any, *args: Any, **kwargs: Any) -> Any:
        guard(path)
        return real_open(path, *args, **kwargs)

    def scandir(path: Any = ".") -> Any:
        guard(os.path.join(os.fsdecode(path), "x"))
        return real_scandir(path)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "locked/a.yaml"],
        ["validate", "locked"],
        ["show", "locked/a.yaml"],
        ["report", "locked/a.yaml"],
        ["report", JO, "--checklist", "locked/a.yaml"],
        ["report", JO, "--template-dir", "locked"],
        ["history", "locked"],
        ["import", "--checklist", str(EXAMPLE / "service-basics.yaml"), "locked/a.csv"],
        ["audit", "--answers", "locked/a.yaml", "--organisation", "A", "--respondent", "B"],
    ],
)
def test_unreadable_parent_folders_exit_2_not_3(run: Any, tmp_path: Path, monkeypatch: Any, args: list[str]) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.yaml").write_text("carecheck: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _locked(monkeypatch, tmp_path / "locked")
    result = run(*args)
    # a template folder that cannot be listed has no templates: the built-ins serve (exit 0)
    assert result.exit_code in ((0,) if "--template-dir" in args else (1, 2)), result.output
    assert "internal error" not in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ["report", JO, "--title", "\udcff\udcfeTitle"],
        ["report", JO, "--brand-name", "Caf\udce9"],
        ["audit", "--answers", JO, "--organisation", "\udcff"],
        ["audit", "--answers", JO, "--respondent", "\udcff"],
        ["audit", "--answers", JO, "--audit", "\udcff"],
        ["import", "--checklist", "x", "--audit", "\udcff", "x.csv"],
        ["import", "--checklist", "x", "--organisation", "\udcff", "x.csv"],
    ],
)
def test_non_utf8_bytes_in_text_options_are_usage_errors(run: Any, args: list[str]) -> None:
    # Python hands bytes that are not UTF-8 on the command line over as lone surrogates (surrogateescape)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "is not UTF-8 text" in result.stderr and "\\x" in result.stderr
    no_traceback(result)


def test_alias_depth_counts_real_nesting(run: Any, tmp_path: Path) -> None:
    chain = ", ".join(f"&a{i} [" + (f"*a{i - 1}" if i else "1") + "]" for i in range(600))
    path = tmp_path / "chain.yaml"
    path.write_text(f"carecheck: 1\nid: x\nt: [{chain}]\n", encoding="utf-8")  # textual depth 2, real depth 600
    for command in ("validate", "show"):
        result = run(command, str(path))
        assert result.exit_code == 2, result.output
        assert "CC004 nested more than 64 levels deep (counting what aliases bring in)" in result.output
        no_traceback(result)


def test_a_flow_list_of_scalars_is_refused_by_its_size_not_as_aliases(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("carecheck: 1\nx: [" + ",".join(["1"] * 2_400_000) + "]\n", encoding="utf-8")  # 4.8 MB
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "CC004 holds more than 500,000 values" in result.stdout
    assert "aliases" not in result.stdout


@pytest.mark.parametrize("field", ["started", "completed"])
@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_dates_are_bounded_in_the_model(run: Any, periodic: Path, field: str, stamp: str) -> None:
    answers = periodic / "audits/northwind-care/2026-Q2/team-care--ben-roy.yaml"
    text = answers.read_text(encoding="utf-8")
    lines = [f"{field}: {stamp}" if line.startswith(f"{field}:") else line for line in text.splitlines()]
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    validated = run("validate", str(answers))
    assert validated.exit_code == 1 and "a date between the years 1900 and 2999" in validated.stdout
    for args in (["report", str(answers)], ["history"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        no_traceback(result)
    # one such file among the earlier audits does not break the report of another: it is said and passed over
    auto = run("report", "audits/northwind-care/2026-Q3", "--baseline", "auto")
    assert auto.exit_code == 0, auto.output
    assert f"passed over as a baseline: {answers.relative_to(periodic)}" in auto.stderr


# ---------------------------------------------------------------------------------------------------
# Output escaping everywhere

HOSTILE = r"Good\e]0;pwned\a\u202Eevil\e[31m"
"""A title that sets the terminal's title, reverses the text after it and turns it red (as YAML escapes)."""


def test_markdown_escapes_a_removed_id_and_every_value_it_did_not_write() -> None:
    from carecheck.render.report import environment

    env = environment()
    hostile = "x` <img src=x onerror=alert(1)> `"
    shown = env.from_string("- Removed: {{ qid|md_code }}").render(qid=hostile)
    assert "<img" not in shown and "`" not in shown.replace("\\`", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert env.from_string("{{ qid|md_code }}").render(qid="old-survey") == "`old-survey`"
    # the built-in Markdown templates put ids through md_code, never raw between backticks
    from importlib.resources import files

    for name in ("report.md.j2", "report-changes.md.j2", "history.md.j2"):
        text = files("carecheck.templates").joinpath(name).read_text(encoding="utf-8")
        assert "`{{" not in text, name


def test_terminal_output_strips_control_and_bidi_characters(run: Any, periodic: Path) -> None:
    checklist = periodic / "checklists" / "team-care.yaml"
    text = checklist.read_text(encoding="utf-8")
    checklist.write_text(
        text.replace("title: Team care check", f'title: "Team {HOSTILE}"').replace(
            "critical_cap: Developing", f'critical_cap: Developing\nunknown_key: 1\n"k{HOSTILE}": 2'
        ),
        encoding="utf-8",
    )
    results = {
        "show": run("show", str(checklist)),
        "validate": run("validate", str(checklist)),
        "report": run("report", "audits/northwind-care/2026-Q3", "--checklist", str(checklist)),
    }
    checklist.write_text(text.replace("title: Team care check", f'title: "Team {HOSTILE}"'), encoding="utf-8")
    results["show ok"] = run("show", str(checklist))
    results["history"] = run("history")
    for name, result in results.items():
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream, name
    assert "Team Good]0;pwnedevil[31m" in results["show ok"].stdout
    assert "unknown key 'kGood]0;pwnedevil[31m'" in results["validate"].stdout


def test_json_never_holds_nan_or_infinity(run: Any, tmp_path: Path) -> None:
    for value in ("nan", "inf", "-inf", "NaN"):
        result = run("report", JO, "--gap-threshold", value, "--format", "json")
        assert result.exit_code == 2 and "--gap-threshold" in result.stderr
    checklist = tmp_path / "c.yaml"
    checklist.write_text((EXAMPLE / "service-basics.yaml").read_text(encoding="utf-8") + "critical_below: nan\n")
    result = run("validate", str(checklist))
    assert result.exit_code == 1 and "critical_below" in result.stdout
    assert "NaN" not in run("report", JO, SAM, "--format", "json").stdout


# ---------------------------------------------------------------------------------------------------
# One exit-code table: the disagreements of the issue


def test_a_wrong_carecheck_yaml_exits_1_everywhere_as_validate_says(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\naudit: x\n", encoding="utf-8")
    codes = {args[0]: run(*args).exit_code for args in (["validate", "carecheck.yaml"], ["report", JO], ["list"])}
    assert codes == {"validate": 1, "report": 1, "list": 1}
    (tmp_path / "carecheck.yaml").write_text("carecheck-config: 1\naudit: [\n", encoding="utf-8")
    codes = {args[0]: run(*args).exit_code for args in (["validate", "carecheck.yaml"], ["report", JO], ["list"])}
    assert codes == {"validate": 2, "report": 2, "list": 2}


def test_cc003_and_cc004_exit_2_in_validate_and_show(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("carecheck: 1\nid: x\nt: &a [*a]\n", encoding="utf-8")  # an alias inside itself: CC004
    key = tmp_path / "key.yaml"
    key.write_text("carecheck: 1\nid: x\n? [a]\n: 1\n", encoding="utf-8")  # a key that is a list: CC003
    for file, code in ((path, "CC004"), (key, "CC003")):
        assert [run(c, str(file)).exit_code for c in ("validate", "show")] == [2, 2]
        assert code in run("show", str(file)).stderr


def test_history_agrees_with_report_on_unreadable_files_and_a_person_twice(
    run: Any, periodic: Path, monkeypatch: Any
) -> None:
    q2 = periodic / "audits/northwind-care/2026-Q2"
    twice = q2 / "team-care--ben-roy-again.yaml"
    twice.write_text((q2 / "team-care--ben-roy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    report, history = run("report", str(q2)), run("history")
    assert (report.exit_code, history.exit_code) == (1, 1)
    assert "CC206" in report.stderr and "CC206 Ben Roy answered this audit twice" in history.stderr
    twice.unlink()
    unreadable = q2 / "team-care--ben-roy.yaml"
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fsdecode(path).endswith("team-care--ben-roy.yaml") and "2026-Q2" in os.fsdecode(path):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    report, history = run("report", str(q2)), run("history")
    assert (report.exit_code, history.exit_code) == (2, 2)
    assert f"{unreadable.relative_to(periodic)}: CC001 cannot read: Permission denied" in history.stderr


def test_cc105_points_at_the_repeated_band(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "bands.yaml"
    path.write_text(
        (Path(__file__).parents[1] / "fixtures" / "rules" / "CC105-fail.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert f"{path}:7:" in result.stdout and "CC105 band 1 also starts at 50" in result.stdout


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_file_is_not_utf8(run: Any, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.yaml"
    path.write_bytes((EXAMPLE / "service-basics.yaml").read_text(encoding="utf-8").encode(encoding))
    for command in ("validate", "show"):
        result = run(command, str(path))
        assert result.exit_code == 2
        assert "CC002 not UTF-8 text: the file is UTF-" in result.output and "U+0000" not in result.output
