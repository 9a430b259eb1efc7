"""The command line: exit codes, formats, the error boundary, start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck import __version__

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_works_from_another_folder(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "carecheck", "--help"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and "validate" in proc.stdout


LOADED = (
    "import sys\n"
    "from carecheck.cli.main import cli\n"
    "try:\n"
    "    cli(sys.argv[1:], prog_name='carecheck')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print(sorted(m for m in sys.modules if m.startswith('carecheck.cli.') and m != 'carecheck.cli.base'),"
    " 'pydantic' in sys.modules, file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    ("args", "modules", "pydantic"),
    [
        (["--version"], ["carecheck.cli.main"], False),
        (["--help"], ["carecheck.cli.main"], False),
        (["validate", "--help"], ["carecheck.cli.main", "carecheck.cli.validate"], False),
        (["report", "--help"], ["carecheck.cli.main", "carecheck.cli.report"], False),
    ],
)
def test_start_up_loads_only_the_command_named(
    tmp_path: Path, args: list[str], modules: list[str], pydantic: bool
) -> None:
    """--version and --help load no command; a command loads its own module, not the others (nor pydantic)."""
    proc = subprocess.run([sys.executable, "-c", LOADED, *args], cwd=tmp_path, capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == f"{modules} {pydantic}", proc.stderr


def test_every_command_is_listed_where_it_is_defined(run) -> None:
    """base.COMMANDS names each command's module and --help line: every command defined is there, and no other."""
    import importlib

    from carecheck.cli.base import COMMANDS, cli

    for module in {module for module, _ in COMMANDS.values()}:
        importlib.import_module(f"carecheck.cli.{module}")
    assert sorted(cli.commands) == sorted(COMMANDS)
    for name, (module, line) in COMMANDS.items():
        command = cli.commands[name]
        assert command.callback is not None and command.callback.__module__ == f"carecheck.cli.{module}", name
        assert command.short_help == line
    listed = run("--help").stdout
    for name, (_, line) in COMMANDS.items():
        assert f"  {name.ljust(10)} {line}" in listed


def test_validate_clean_file_exits_0(run) -> None:
    result = run("validate", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "1 file checked: 0 errors, 0 warnings" in result.stderr


def test_validate_findings_exit_1_with_file_line_col(run) -> None:
    path = FIXTURES / "bad.yaml"
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{path}:3:1: CC008 unknown key 'titel' (did you mean 'title'?)" in result.stdout.splitlines()


def test_validate_unreadable_input_exits_2(run) -> None:
    result = run("validate", str(FIXTURES / "bad" / "tabs.yaml"), str(FIXTURES / "bad" / "unknown-key.yaml"))
    assert result.exit_code == 2
    assert "CC003" in result.stdout and "CC008" in result.stdout
    assert "did you mean 'sections'?" in result.stdout


def test_validate_missing_path_exits_2(run) -> None:
    result = run("validate", "no/such/file.yaml")
    assert result.exit_code == 2 and "no/such/file.yaml: CC001 no such file" in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "bad").glob("*.yaml")))
def test_no_bad_file_produces_a_traceback(run, name: str) -> None:
    result = run("validate", str(FIXTURES / "bad" / name))
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert f"{name}:" in result.stdout and " CC0" in result.stdout


def test_validate_json_format(run) -> None:
    result = run("validate", "--format", "json", str(FIXTURES / "bad.yaml"), str(FIXTURES / "minimal.yaml"))
    doc = json.loads(result.stdout)
    assert doc["carecheck-findings"] == 1 and doc["files"] == 2
    first = doc["findings"][0]
    assert set(first) == {"path", "line", "column", "code", "severity", "message"}
    assert {f["code"] for f in doc["findings"]} == {"CC008"}


def test_quiet_prints_errors_only_and_strict_fails_on_warnings(run) -> None:
    path = str(FIXTURES / "rules" / "CC112-fail.yaml")
    loud = run("validate", path)
    assert loud.exit_code == 0 and "CC112 warning:" in loud.stdout
    quiet = run("validate", "-q", path)
    assert quiet.exit_code == 0 and quiet.output == ""
    assert run("validate", "--strict", path).exit_code == 1


def test_bad_option_is_a_usage_error(run) -> None:
    result = run("validate", "--format", "xml", "x.yaml")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.stderr


def test_internal_error_is_one_line_and_exit_3_and_debug_shows_it(run, monkeypatch, tmp_path: Path) -> None:
    import carecheck.catalog.validation

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(carecheck.catalog.validation, "validate_paths", boom)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run("validate", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 3
    first, second = result.stderr.splitlines()
    assert first == "carecheck: internal error (RuntimeError), please report it; rerun with --debug for details"
    # the evidence is left behind, as pre-commit does: version, command line, traceback
    log = tmp_path / "cache" / "carecheck" / "carecheck.log"
    assert second == f"carecheck: the version, command line and traceback are in {log}"
    text = log.read_text(encoding="utf-8")
    assert f"version: {__version__}" in text and "command: " in text
    assert "RuntimeError: a bug" in text and "Traceback (most recent call last)" in text
    with pytest.raises(RuntimeError, match="a bug"):
        run("--debug", "validate", str(FIXTURES / "minimal.yaml"))


def test_rules_lists_every_code(run) -> None:
    from carecheck.lint.rules import RULES

    result = run("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == sorted(RULES)
    doc = json.loads(run("rules", "--format", "json").stdout)
    assert {r["code"] for r in doc} == set(RULES)


def test_schema_is_json_schema_of_the_models(run) -> None:
    doc = json.loads(run("schema").stdout)
    assert doc["$schema"].endswith("2020-12/schema")
    assert "sections" in doc["properties"] and doc["additionalProperties"] is False
    answers = json.loads(run("schema", "--answers").stdout)
    assert "carecheck-answers" in answers["properties"]


def test_show_resolves_and_renders(run) -> None:
    result = run("show", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 0
    assert "Are staff trained? CRITICAL" in result.stdout
    assert "asked when has-email is yes" in result.stdout
    data = json.loads(run("show", "--format", "json", str(FIXTURES / "minimal.yaml")).stdout)
    assert data["id"] == "minimal" and "extends" not in data


def test_show_unknown_checklist_exits_2(run) -> None:
    result = run("show", "no-such-checklist")
    assert result.exit_code == 2
    assert "no checklist 'no-such-checklist'" in result.stderr


def test_show_broken_checklist_exits_1_with_position(run) -> None:
    result = run("show", str(FIXTURES / "bad.yaml"))
    assert result.exit_code == 1
    assert f"{FIXTURES / 'bad.yaml'}:3:1: CC008" in result.stderr


# ---------------------------------------------------------------------------------------------------
# Checklist ids: did you mean, shell completion


def test_a_mistyped_checklist_id_gets_a_suggestion(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "survey.csv").write_text("name,role\nJo,front-line\n", encoding="utf-8")
    answer_file = FIXTURES / "answers" / "good.yaml"
    for args in (
        ("show", "care-esentials"),
        ("import", "survey.csv", "--checklist", "care-esentials"),
        ("report", str(answer_file), "--checklist", "care-esentials"),
        ("init", "new", "--from", "care-esentials"),
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "no checklist 'care-esentials'" in result.stderr, args
        assert result.stderr.rstrip().endswith("did you mean 'care-essentials'?"), args
    result = run("show", "nothing-like-it")
    assert result.exit_code == 2 and "did you mean" not in result.stderr


def complete(*words: str) -> list[str]:
    """What bash completion offers for the last word, through click's completion protocol."""
    from click.testing import CliRunner

    from carecheck.cli.main import cli

    env = {"_CARECHECK_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(("carecheck", *words))}
    env["COMP_CWORD"] = str(len(words))
    result = CliRunner().invoke(cli, [], env=env, prog_name="carecheck")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "words",
    [
        ("audit", "care-"),
        ("show", "care-"),
        ("import", "x.csv", "--checklist", "care-"),
        ("report", "a.yaml", "--checklist", "care-"),
        ("history", "--checklist", "care-"),
        ("init", "--from", "care-"),
    ],
)
def test_checklist_ids_complete_in_the_shell(words: tuple[str, ...]) -> None:
    offered = complete(*words)
    assert {"care-essentials", "care-full"} <= set(offered)
    assert all(word.startswith("care-") for word in offered)


def test_an_internal_error_whose_log_cannot_be_written_still_says_one_line(run, monkeypatch, tmp_path: Path) -> None:
    import carecheck.catalog.validation

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(carecheck.catalog.validation, "validate_paths", boom)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    result = run("validate", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 3
    assert (
        result.stderr == "carecheck: internal error (RuntimeError), please report it; rerun with --debug for details\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["schema"], ["rules", "--format", "json"], ["list"]])
def test_a_full_disk_on_stdout_is_io_trouble_not_a_bug(args: list[str], tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:  # from another folder: the installed carecheck, not the source tree
        proc = subprocess.run(
            [sys.executable, "-m", "carecheck", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=tmp_path,
        )
    assert proc.returncode == 2, proc.stderr
    assert "No space left on device" in proc.stderr and "internal error" not in proc.stderr


def test_rules_code_prints_the_rule_documentation(run) -> None:
    from carecheck.lint.rules import RULES

    page = run("rules", "CC112").stdout
    assert page.startswith("CC112 missing-recommendation (warning, checklist)\n\n" + RULES["CC112"].summary)
    assert RULES["CC112"].explanation in page and "Fails (a fragment of a checklist" in page and "\nPasses:\n" in page
    assert run("rules", "missing-recommendation").stdout == page  # by name too
    doc = json.loads(run("rules", "cc112", "--format", "json").stdout)
    assert doc["code"] == "CC112" and doc["fails"] == RULES["CC112"].fails and doc["passes"] == RULES["CC112"].passes
    every = json.loads(run("rules", "--format", "json").stdout)
    assert all(r["explanation"] and r["fails"] and r["passes"] for r in every)
    unknown = run("rules", "CC1712")
    assert unknown.exit_code == 2 and "no rule 'CC1712'; did you mean 'CC112'?" in unknown.stderr


def test_an_oserror_that_is_our_bug_is_an_internal_error_with_its_log(run, monkeypatch, tmp_path: Path) -> None:
    import carecheck.catalog.validation

    def boom(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "/nowhere/x")

    monkeypatch.setattr(carecheck.catalog.validation, "validate_paths", boom)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run("validate", str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 3
    assert "internal error (FileNotFoundError)" in result.stderr
    assert (tmp_path / "cache" / "carecheck" / "carecheck.log").is_file()
