"""`carecheck report` at the command line: formats, output, gates, errors, colour."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "report"
JO, SAM = str(EXAMPLE / "acme-jo.yaml"), str(EXAMPLE / "acme-sam.yaml")
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}  # 21 September 2026


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    """A folder holding the example checklist and answers, to change at will."""
    folder = tmp_path / "audit"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_default_is_text_on_stdout(run: Any) -> None:
    result = run("report", JO, SAM, env=EPOCH)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("CUSTOMER CARE AUDIT\nAcme <Care> & Sons\n")
    assert "Overall score  26.4 / 100" in result.stdout
    assert "Date:        21 September 2026" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stderr == ""


def test_a_folder_is_searched_for_answer_files_only(run: Any) -> None:
    # the folder also holds the checklist: skipped, not refused
    result = run("report", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["name"] for r in data["respondents"]] == ["Jo Smith", "Sam Lee"]
    assert data["overall"] == 26.4


def test_a_file_given_twice_counts_once(run: Any) -> None:
    result = run("report", JO, JO, "--format", "json")
    assert len(json.loads(result.stdout)["respondents"]) == 1


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("r.html", "<!DOCTYPE html>"),
        ("r.md", "# Customer care audit: Acme &lt;Care&gt; &amp; Sons"),
        ("r.txt", "CUSTOMER CARE AUDIT"),
        ("r.json", '{\n  "carecheck-report": 1,'),
        ("r.csv", "section,question,text,score,gain,priority,effort,critical,recommendation,note"),
    ],
)
def test_the_output_extension_picks_the_format(run: Any, tmp_path: Path, name: str, marker: str) -> None:
    out = tmp_path / "deep" / "folder" / name
    result = run("report", JO, SAM, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith(marker)
    assert [p.name for p in out.parent.iterdir()] == [name]  # no temporary file left behind


def test_format_option_wins_and_text_means_txt(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run("report", JO, "--format", "text", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("CUSTOMER CARE AUDIT")


def test_an_unknown_extension_is_a_usage_error(run: Any, tmp_path: Path) -> None:
    result = run("report", JO, "-o", str(tmp_path / "report.docx"))
    assert result.exit_code == 2
    assert "cannot tell the format from 'report.docx'" in result.stderr
    assert not (tmp_path / "report.docx").exists()


def test_the_golden_example_through_the_cli(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "acme.csv"
    assert run("report", JO, SAM, "-o", str(out)).exit_code == 0
    golden = (Path(__file__).parents[1] / "golden" / "acme.csv").read_bytes()
    assert out.read_bytes() == golden


def test_title_top_and_branding(run: Any, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "r.html"
    result = run(
        "report", JO, SAM, "-o", str(out), "--title", "Quarterly review", "--top", "2",
        "--brand-name", "Care Consulting", "--logo", str(logo), "--accent", "#7a1f5c",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<title>Quarterly review: Acme &lt;Care&gt; &amp; Sons (draft)</title>" in html
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html
    assert "--accent: #7a1f5c;" in html and "Prepared by Care Consulting" in html
    assert "4 further questions below target follow" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--accent", "blue"], "--accent takes a colour such as #1f4e79, not 'blue'"),
        (["--logo", "no-such-logo.png"], "no-such-logo.png: cannot read the logo"),
        (["--template-dir", "no-such-folder"], "--template-dir no-such-folder is not a folder"),
        (["--top", "0"], "Invalid value for '--top'"),
        (["--fail-under", "101"], "--fail-under '101': a score is between 0 and 100"),
        (["--fail-under", "people=lots"], "--fail-under 'people=lots' is not a score"),
        (["--fail-under", "nowhere=10"], "no section 'nowhere' in the checklist"),
    ],
)
def test_bad_options_exit_2(run: Any, args: list[str], message: str) -> None:
    result = run("report", JO, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_template_dir_overrides_a_template(run: Any, tmp_path: Path) -> None:
    (tmp_path / "report.txt.j2").write_text("{{ card.organisation }}: {{ card.overall|score }}\n", encoding="utf-8")
    result = run("report", JO, SAM, "--template-dir", str(tmp_path))
    assert result.stdout == "Acme <Care> & Sons: 26.4\n"


def test_a_broken_template_leaves_the_old_report_in_place(run: Any, tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("{% for %}\n", encoding="utf-8")
    out = tmp_path / "r.md"
    out.write_text("the previous report\n", encoding="utf-8")
    result = run("report", JO, "-o", str(out), "--template-dir", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'report.md.j2'}:1:1: template error" in result.stderr
    assert out.read_text(encoding="utf-8") == "the previous report\n"


# ---------------------------------------------------------------------------------------------------
# Gates


def test_fail_under_exits_1_after_writing_the_report(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run("report", JO, SAM, "-o", str(out), "--fail-under", "30")
    assert result.exit_code == 1
    assert result.stderr == "carecheck: gate failed: the overall score 26.4 is under --fail-under 30\n"
    assert json.loads(out.read_text(encoding="utf-8"))["overall"] == 26.4
    assert run("report", JO, SAM, "-o", str(out), "--fail-under", "26.4").exit_code == 0


def test_fail_under_gates_sections_too(run: Any) -> None:
    result = run("report", JO, SAM, "--fail-under", "20", "--fail-under", "contact=50", "--fail-under", "people=10")
    assert result.exit_code == 1
    assert result.stderr == "carecheck: gate failed: section 'contact' 49.2 is under --fail-under contact=50\n"


def test_gates_and_branding_come_from_the_configuration_file(run: Any, tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "carecheck.yaml").write_text(
        "carecheck-config: 1\n"
        "branding: {name: Config Consulting, logo: logo.png, accent: '#225522'}\n"
        "gates: {fail_under: {overall: 30}}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run("report", JO, SAM, "-o", "r.html")
    assert result.exit_code == 1
    assert "the overall score 26.4 is under --fail-under 30" in result.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Prepared by Config Consulting" in html and "--accent: #225522;" in html
    assert 'src="data:image/png;base64,' in html
    # the command line wins
    again = run("report", JO, SAM, "-o", "r.html", "--fail-under", "20", "--brand-name", "Other")
    assert again.exit_code == 0 and "Prepared by Other" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_fail_on_critical_names_what_failed(run: Any) -> None:
    result = run("report", JO, SAM, "--fail-on", "critical")
    assert result.exit_code == 1
    assert "Overall score" in result.stdout  # the report is still written
    assert result.stderr.splitlines() == [
        "carecheck: gate failed: critical question 'published-standards' scores 25.0 (below 50)",
        "carecheck: gate failed: critical question 'trained' scores 25.0 (below 50)",
        "carecheck: gate failed: critical question 'complaints-known' scores 0.0 (below 50)",
        "carecheck: gate failed: critical question 'complaints-known' is not answered",
    ]


# ---------------------------------------------------------------------------------------------------
# Inputs that do not go together, and broken input


def test_answers_of_two_organisations_are_refused(run: Any, audit: Path) -> None:
    other = edit(audit / "acme-sam.yaml", "organisation: Acme <Care> & Sons", "organisation: Other Ltd")
    result = run("report", str(audit / "acme-jo.yaml"), str(other))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "these answers are of 2 organisations: 'Acme <Care> & Sons' (1 file); 'Other Ltd' (1 file). "
        "Report on one at a time, or give --by organisation"
    )
    assert "Traceback" not in result.stderr


def test_answers_of_two_audits_are_refused_until_baselines_exist(run: Any, audit: Path) -> None:
    other = edit(audit / "acme-sam.yaml", "audit: 2026-Q3", "audit: 2026-Q2")
    result = run("report", str(audit / "acme-jo.yaml"), str(other))
    assert result.exit_code == 2
    assert "these answers are of 2 audits of 'Acme <Care> & Sons': 2026-Q2 (1 file), 2026-Q3 (1 file)" in result.stderr
    assert "--baseline auto" in result.stderr


def test_answers_of_two_checklists_are_refused(run: Any, audit: Path) -> None:
    other = edit(audit / "acme-sam.yaml", "id: service-basics", "id: minimal")
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "minimal.yaml", audit)
    result = run("report", str(audit / "acme-jo.yaml"), str(other))
    assert result.exit_code == 2
    assert f"{other}:2:17: these answers are to checklist 'minimal'" in result.stderr


def test_checklist_option_names_the_checklist(run: Any, tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "acme-jo.yaml", tmp_path)  # its checklist is not beside it any more
    lost = run("report", str(tmp_path / "acme-jo.yaml"))
    assert lost.exit_code == 1  # read, and names no checklist there is: as `validate` says of the same file
    assert run("validate", str(tmp_path / "acme-jo.yaml")).exit_code == 1
    assert f"{tmp_path / 'acme-jo.yaml'}:2:17: CC201 no checklist 'service-basics'" in lost.stderr
    found = run("report", str(tmp_path / "acme-jo.yaml"), "--checklist", str(EXAMPLE / "service-basics.yaml"))
    assert found.exit_code == 0, found.stderr
    minimal = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
    wrong = run("report", str(tmp_path / "acme-jo.yaml"), "--checklist", minimal)
    assert wrong.exit_code == 2
    assert "these answers are to checklist 'service-basics', but --checklist gives 'minimal'" in wrong.stderr


@pytest.mark.parametrize(
    ("old", "new", "code", "where", "message"),
    [
        ("standards-reviewed: {value: 1,", "standards-reviewed: {value: 7,", 1, "10:31", "CC203 '7' is not an answer"),
        ("  has-chat: {value: no}", "  has-chat: {value: no\n", 2, "15:", "CC003 YAML syntax error"),
        ("organisation: Acme <Care> & Sons", "organisatoin: Acme", 1, "1:1", "3:1: CC008 unknown key 'organisatoin'"),
        ("carecheck-answers: 1", "carecheck: 1", 1, "1:1", "CC007 not an answer file"),
    ],
)
def test_broken_input_is_reported_at_file_line_col(
    run: Any, audit: Path, old: str, new: str, code: int, where: str, message: str
) -> None:
    broken = edit(audit / "acme-jo.yaml", old, new)
    result = run("report", str(broken))
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith(f"{broken}:{where}")
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_missing_file_exits_2(run: Any) -> None:
    result = run("report", "no/such/answers.yaml")
    assert result.exit_code == 2 and "no/such/answers.yaml: CC001 no such file" in result.stderr


def test_a_folder_without_answers_exits_2(run: Any, tmp_path: Path) -> None:
    result = run("report", str(tmp_path))
    assert result.exit_code == 2 and "no answer files to report on" in result.stderr


def test_lint_warnings_are_shown_but_do_not_fail(run: Any, audit: Path) -> None:
    edit(audit / "acme-jo.yaml", 'version: "2026.1"}', 'version: "2026.1", sha256: abc}')
    result = run("report", str(audit / "acme-jo.yaml"))
    assert result.exit_code == 0
    assert "CC204 warning: checklist 'service-basics' changed since these answers were given" in result.stderr


# ---------------------------------------------------------------------------------------------------
# PDF


def test_pdf_without_the_extra_exits_2_with_a_clear_message(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    out = tmp_path / "r.pdf"
    result = run("report", JO, "-o", str(out))
    assert result.exit_code == 2
    assert "pip install 'carecheck[pdf]'" in result.stderr
    assert not out.exists()


def test_pdf_is_written(run: Any, tmp_path: Path, require: Any) -> None:
    import importlib.util

    require(importlib.util.find_spec("weasyprint") is not None, "the PDF extra (weasyprint) is not installed")
    out = tmp_path / "r.pdf"
    result = run("report", JO, SAM, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")


# ---------------------------------------------------------------------------------------------------
# A real terminal: colour on a TTY, never with NO_COLOR


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_colour_only_on_a_terminal_without_no_color(no_color: str | None, coloured: bool, tmp_path: Path) -> None:
    import pty

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["COLUMNS"] = "60"
    if no_color:
        env["NO_COLOR"] = no_color
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "carecheck", "report", JO, SAM],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,  # not the source tree, whose carecheck/ folder would shadow the installed package
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    os.close(main)
    text = b"".join(chunks).decode("utf-8")
    assert ("\x1b[" in text) is coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)  # click's styles: \x1b[31m\x1b[1m...\x1b[0m
    # it fits the terminal's 60 columns
    assert max(len(line) for line in plain.replace("\r\n", "\n").splitlines()) <= 60


def test_an_answer_to_a_removed_question_is_a_warning_not_a_failure(run: Any, audit: Path) -> None:
    # an old audit record may answer a question the checklist has dropped since
    edited = edit(audit / "acme-jo.yaml", "  has-chat: {value: no}", "  has-chat: {value: no}\n  has-fax: 1")
    result = run("report", str(edited), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "CC202" in result.stderr and "has-fax" in result.stderr
    assert "has-fax" not in result.stdout


EXAMPLE_Q3 = Path(__file__).parents[2] / "examples" / "audits" / "ardley-home-supplies" / "2026-Q3"


def test_the_report_never_overwrites_an_answer_file(run: Any, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXAMPLE_Q3, tmp_path / "q3")
    target = next((tmp_path / "q3").glob("*.yaml"))
    before = target.read_bytes()
    result = run("report", str(tmp_path / "q3"), "--format", "txt", "-o", str(target))
    assert result.exit_code == 2 and "would overwrite the answer file" in result.stderr
    assert target.read_bytes() == before


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ 1/0 }}", ":1:1: template error: division by zero"),
        ("line one\n{{ nothing.here }}", ":2:1: template error: 'nothing' is undefined"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "template error: maximum recursion depth"),
    ],
)
def test_errors_in_a_users_template_name_the_template_and_exit_2(
    run: Any, tmp_path: Path, template: str, message: str
) -> None:
    (tmp_path / "report.txt.j2").write_text(template)
    result = run("report", str(EXAMPLE_Q3), "--format", "txt", "--template-dir", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(str(tmp_path / "report.txt.j2")) and message in result.stderr


def test_a_logo_that_is_a_pipe_or_too_large_is_refused_before_reading(run: Any, tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "logo.png")  # reading it would wait forever
    result = run("report", str(EXAMPLE_Q3), "--logo", str(tmp_path / "logo.png"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    (tmp_path / "big.png").write_bytes(b"\0" * (3 * 1024 * 1024))
    result = run("report", str(EXAMPLE_Q3), "--logo", str(tmp_path / "big.png"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "larger than 2 MB" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_one_person_twice_in_an_audit_is_an_error(run: Any, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXAMPLE_Q3, tmp_path / "q3")
    first = sorted((tmp_path / "q3").glob("*.yaml"))[0]
    shutil.copy(first, tmp_path / "q3" / "copy-of-first.yaml")
    result = run("report", str(tmp_path / "q3"), "--format", "txt")
    assert result.exit_code == 1
    assert "CC206" in result.stderr and "answered this audit twice" in result.stderr
    assert "keep one file" in result.stderr and "carecheck audit --resume FILE" in result.stderr


def test_a_warning_many_files_share_is_said_once_with_a_count(run: Any, tmp_path: Path) -> None:
    for name in ("Ann Lee", "Ben Roy", "Cat Dunn", "Dan Eze"):
        (tmp_path / f"{name.split()[0].lower()}.yaml").write_text(
            "carecheck-answers: 1\n"
            "checklist: {id: care-essentials, sha256: 0000000000000000}\n"  # answered before it changed
            "organisation: Acme\naudit: 2026-Q3\n"
            f"respondent: {{name: {name}, role: management}}\n"
            "answers:\n  service-standards-published: {value: yes}\n",
            encoding="utf-8",
        )
    result = run("report", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "CC204" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'ann.yaml'}:2:")
    assert lines[0].endswith("changed since these answers were given (and 3 more files; -v lists them)")
    verbose = run("report", str(tmp_path), "--format", "json", "-v")
    listed = [line for line in verbose.stderr.splitlines() if "CC204" in line]
    assert [line.split(":")[0] for line in listed] == [
        str(tmp_path / f"{n}.yaml") for n in ("ann", "ben", "cat", "dan")
    ]
    assert "more file" not in verbose.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize("command", ["report", "history"])
def test_a_named_pipe_among_the_answers_is_never_waited_on(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    shutil.copy(JO, folder / "jo.yaml")
    os.mkfifo(folder / "zz-pipe.yaml")  # opening it to read would wait for a writer forever
    done = subprocess.run(  # a generous hang timeout, not a duration assertion
        [sys.executable, "-m", "carecheck", command, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode in (0, 1, 2), done.stderr
    assert "internal error" not in done.stderr
