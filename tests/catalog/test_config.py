"""The configuration file and settings: command line > CARECHECK_* variables > carecheck.yaml > defaults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from carecheck.catalog.config import ConfigError, Settings, Threshold, load_settings, parse_threshold
from carecheck.errors import UsageError

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with two checklist folders (ids `minimal` and `other`) and no config yet."""
    for folder, cid in (("team", "minimal"), ("shared", "other")):
        (tmp_path / folder).mkdir()
        text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
        (tmp_path / folder / f"{cid}.yaml").write_text(text.replace("id: minimal", f"id: {cid}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_config(path: Path, body: str) -> Path:
    path.write_text("carecheck-config: 1\n" + body, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------------
# Precedence


def test_defaults_without_file_or_variables(project: Path) -> None:
    settings = load_settings(None, {})
    assert settings == Settings()
    assert settings.audits == Path("audits") and settings.origin("audits") == "default"
    assert settings.default_map() == {
        "audit": {"folder": "audits"},
        "import": {"folder": "audits"},
        "collect": {"folder": "audits"},
    }


def test_the_file_beats_defaults_and_paths_are_relative_to_it(project: Path) -> None:
    (project / "conf").mkdir()
    write_config(
        project / "conf" / "carecheck.yaml",
        "audits: ../records\ntemplates: tpl\nchecklists: [../team]\nbranding: {logo: logo.png}\n",
    )
    settings = load_settings(Path("conf/carecheck.yaml"), {})
    assert settings.audits == Path("conf/../records")
    assert settings.templates == Path("conf/tpl")
    assert settings.checklists == (Path("conf/../team"),)
    assert settings.brand_logo == Path("conf/logo.png")
    assert settings.origin("audits") == "conf/carecheck.yaml:2:9"
    assert settings.origin("templates") == "conf/carecheck.yaml:3:12"


def test_variables_beat_the_file(project: Path) -> None:
    write_config(project / "carecheck.yaml", "audits: from-file\ngates: {fail_under: 50, fail_on: critical}\n")
    env = {"CARECHECK_AUDITS": "from-env", "CARECHECK_FAIL_UNDER": "70, people=40"}
    settings = load_settings(None, env)
    assert settings.audits == Path("from-env") and settings.origin("audits") == "CARECHECK_AUDITS"
    assert settings.fail_under == (Threshold(None, 70), Threshold("people", 40))
    assert settings.fail_on == "critical" and settings.origin("fail_on") == "carecheck.yaml:3:34"


def test_empty_variables_are_unset(project: Path) -> None:
    write_config(project / "carecheck.yaml", "audits: from-file\n")
    assert load_settings(None, {"CARECHECK_AUDITS": ""}).audits == Path("from-file")


def test_the_four_levels_through_a_real_command(run, project: Path) -> None:
    """`show` takes its CHECKLIST from the command line, else CARECHECK_CHECKLIST, else the file."""
    write_config(project / "carecheck.yaml", "checklist: team/minimal.yaml\n")
    assert run("show").stdout.startswith("Minimal checklist  (minimal ")
    from_env = run("show", env={"CARECHECK_CHECKLIST": "shared/other.yaml"})
    assert from_env.stdout.startswith("Minimal checklist  (other ")
    given = run("show", "team/minimal.yaml", env={"CARECHECK_CHECKLIST": "shared/other.yaml"})
    assert given.stdout.startswith("Minimal checklist  (minimal ")
    (project / "carecheck.yaml").unlink()
    default = run("show")
    assert default.exit_code == 2 and "name a CHECKLIST" in default.stderr


def test_option_defaults_for_report_come_from_settings_below_the_command_line(
    run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stand-in for the report command (on another branch) with the option names settings fill in."""
    from carecheck.cli.main import cli

    @click.command()
    @click.option("--fail-under", multiple=True)
    @click.option("--fail-on")
    @click.option("--template-dir")
    def report(fail_under: tuple[str, ...], fail_on: str | None, template_dir: str | None) -> None:
        click.echo(json.dumps({"fail_under": fail_under, "fail_on": fail_on, "template_dir": template_dir}))

    monkeypatch.setitem(cli.commands, "report", report)
    (project / "tpl").mkdir()
    write_config(project / "carecheck.yaml", "templates: tpl\ngates: {fail_under: {overall: 60, people: 50}}\n")
    assert json.loads(run("report").stdout) == {
        "fail_under": ["60", "people=50"],
        "fail_on": None,
        "template_dir": "tpl",
    }
    env = {"CARECHECK_FAIL_UNDER": "75", "CARECHECK_FAIL_ON": "critical"}
    assert json.loads(run("report", env=env).stdout)["fail_under"] == ["75"]
    assert json.loads(run("report", env=env).stdout)["fail_on"] == "critical"
    assert json.loads(run("report", "--fail-under", "90", env=env).stdout)["fail_under"] == ["90"]


def test_config_option_and_variable_name_the_file(run, project: Path) -> None:
    write_config(project / "a.yaml", "audits: from-a\n")
    write_config(project / "b.yaml", "audits: from-b\n")
    write_config(project / "carecheck.yaml", "audits: from-default-file\n")
    shown = lambda *args, env=None: json.loads(run(*args, "config", "--format", "json", env=env).stdout)  # noqa: E731
    assert shown()["settings"]["audits"]["value"] == "from-default-file"
    assert shown("--config", "a.yaml")["settings"]["audits"] == {"value": "from-a", "from": "a.yaml:2:9"}
    assert shown(env={"CARECHECK_CONFIG": "b.yaml"})["source"] == "b.yaml"
    assert shown("--config", "a.yaml", env={"CARECHECK_CONFIG": "b.yaml"})["source"] == "a.yaml"


def test_config_command_lists_every_setting_with_its_origin(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "branding: {name: Acme, accent: '#0b5fff'}\n")
    result = run("config", env={"CARECHECK_PLAN": "plan.yaml"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "configuration file: carecheck.yaml"
    assert any(line.split() == ["brand_name", "Acme", "[carecheck.yaml:2:18]"] for line in lines)
    assert any(line.split() == ["plan", "plan.yaml", "[CARECHECK_PLAN]"] for line in lines)
    assert any(line.split() == ["audits", "audits", "[default]"] for line in lines)


# ---------------------------------------------------------------------------------------------------
# Errors


def test_unknown_key_is_an_error_with_its_position(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "audits: a\naudit: b\n")
    result = run("show", "team/minimal.yaml")
    assert result.exit_code == 1  # read and wrong, as `validate carecheck.yaml` exits
    assert result.stderr == "carecheck.yaml:3:1: CC008 unknown key 'audit' (did you mean 'audits'?)\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("branding: {accent: blue}\n", "carecheck.yaml:2:20: CC008 accent: 'blue' is not a colour"),
        ("gates: {fail_under: 120}\n", "carecheck.yaml:2:21: CC008 fail_under: Input should be less than or equal"),
        ("gates: {fail_on: warnings}\n", "carecheck.yaml:2:18: CC008 fail_on:"),
        ("checklists: team\n", "carecheck.yaml:2:13: CC008 checklists:"),
    ],
)
def test_wrong_values_are_errors_with_positions(run, project: Path, body: str, expected: str) -> None:
    write_config(project / "carecheck.yaml", body)
    result = run("config")
    assert result.exit_code == 1 and result.stderr.startswith(expected)


def test_a_file_that_is_not_a_config(run, project: Path) -> None:
    shutil.copy(FIXTURES / "minimal.yaml", project / "carecheck.yaml")
    result = run("config")
    assert result.exit_code == 1 and "carecheck.yaml:1:1: CC007 not a configuration file" in result.stderr


def test_a_missing_config_file_named_on_the_command_line(run, project: Path) -> None:
    result = run("--config", "nope.yaml", "list")
    assert result.exit_code == 2 and result.stderr == "nope.yaml: CC001 no such file\n"


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("CARECHECK_BRAND_ACCENT", "red", "CARECHECK_BRAND_ACCENT: 'red' is not a colour"),
        ("CARECHECK_FAIL_UNDER", "lots", "CARECHECK_FAIL_UNDER: 'lots' is not a score"),
        ("CARECHECK_FAIL_UNDER", "people=101", "CARECHECK_FAIL_UNDER: 'people=101': a score is between 0 and 100"),
        ("CARECHECK_FAIL_ON", "warnings", "CARECHECK_FAIL_ON: 'warnings' is not a gate"),
    ],
)
def test_bad_variables_are_usage_errors_that_name_the_variable(
    run, project: Path, var: str, value: str, message: str
) -> None:
    result = run("config", env={var: value})
    assert result.exit_code == 2 and message in result.stderr
    with pytest.raises(UsageError):
        load_settings(None, {var: value})


def test_rules_and_schema_work_with_a_broken_config(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "oops: 1\n")
    assert run("rules").exit_code == 0
    assert run("schema").exit_code == 0
    assert run("--version").exit_code == 0


@pytest.mark.parametrize(("body", "code"), [("bogus: [\n", 2), ("oops: 1\n", 1)])
def test_help_works_with_a_broken_config_and_the_command_still_refuses(
    run, project: Path, body: str, code: int
) -> None:
    write_config(project / "carecheck.yaml", body)
    for command in ("audit", "show", "import", "report", "history", "init", "list", "config"):
        result = run(command, "--help")
        assert result.exit_code == 0 and f" {command} [OPTIONS]" in result.stdout, command
    assert run("--help").exit_code == 0
    assert "the configuration has errors" in run("audit", "--help").stdout
    result = run("show", "team/minimal.yaml")  # running the command reports the configuration's error
    assert result.exit_code == code and result.stderr.startswith("carecheck.yaml:")
    result = run("import", "x.csv")  # the configuration's error first, not a missing option it may have set
    assert result.exit_code == code and result.stderr.startswith("carecheck.yaml:")


def test_help_and_config_show_the_checklist_in_effect(run, project: Path) -> None:
    def in_effect(command: str, env: dict[str, str] | None = None) -> str:
        text = " ".join(run(command, "--help", env=env).stdout.split())
        return text.split("Checklist in effect: ")[1].split(". ")[0]

    assert in_effect("audit") == "care-essentials (the built-in default)"
    assert any(
        line.split() == ["checklist", "care-essentials", "[default]"] for line in run("config").stdout.splitlines()
    )
    write_config(project / "carecheck.yaml", "checklist: other\n")
    assert in_effect("audit") == in_effect("show") == "other (from carecheck.yaml:2:12)"
    assert in_effect("audit", env={"CARECHECK_CHECKLIST": "minimal"}) == "minimal (from CARECHECK_CHECKLIST)"
    assert any(
        line.split() == ["checklist", "other", "[carecheck.yaml:2:12]"] for line in run("config").stdout.splitlines()
    )
    help_text = " ".join(run("import", "--help").stdout.split())
    assert "[default: other]" in help_text and "[required]" not in help_text


def test_import_takes_the_configured_checklist(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "checklists: [team]\nchecklist: minimal\n")
    (project / "survey.csv").write_text("name,role,organisation\nJo,front-line,Acme\n", encoding="utf-8")
    result = run("import", "survey.csv", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Missing option" not in result.output


def test_validate_reports_a_broken_config_as_findings(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "oops: 1\n")
    result = run("validate", "team")
    assert result.exit_code == 1
    assert (
        result.stdout
        == "carecheck.yaml:2:1: CC008 unknown key 'oops'; allowed: "
        + ", ".join(
            sorted(
                [
                    "carecheck-config",
                    "audits",
                    "templates",
                    "checklist",
                    "checklists",
                    "plan",
                    "branding",
                    "gates",
                    "lint",
                    "roles",
                ]
            )
        )
        + "\n"
    )
    # checked as a file too: reported once
    assert run("validate", ".").stdout.count("CC008") == 1


def test_a_configured_checklist_folder_that_does_not_exist(run, project: Path) -> None:
    write_config(project / "carecheck.yaml", "checklists: [team, gone]\n")
    assert run("list").exit_code == 1
    assert "carecheck.yaml:2:13: CC401 no folder" in run("list").stderr
    result = run("validate", "carecheck.yaml")
    assert result.exit_code == 1 and result.stdout == "carecheck.yaml:2:20: CC401 no folder 'gone'\n"
    assert run("list", env={"CARECHECK_CHECKLISTS": "nowhere"}).stderr == (
        "CARECHECK_CHECKLISTS: no folder 'nowhere'\n"
    )


# ---------------------------------------------------------------------------------------------------
# Checklist folders reach the catalog


def test_configured_checklist_folders_are_searched_before_the_builtins(run, project: Path) -> None:
    assert "other" not in run("list").stdout
    write_config(project / "carecheck.yaml", "checklists: [team, shared]\n")
    listed = run("list", "--format", "json")
    assert {row["id"] for row in json.loads(listed.stdout)} >= {"minimal", "other"}
    assert run("show", "other").exit_code == 0
    env = {"CARECHECK_CHECKLISTS": "shared"}
    assert {row["id"] for row in json.loads(run("list", "--format", "json", env=env).stdout)} >= {"other"}
    assert "minimal" not in run("list", env=env).stdout


def test_answer_files_find_their_checklist_in_configured_folders(run, project: Path) -> None:
    (project / "audits").mkdir()
    shutil.copy(FIXTURES / "answers" / "good.yaml", project / "audits" / "jo.yaml")
    assert run("validate", "audits").exit_code == 1  # CC201: checklist 'minimal' not found
    write_config(project / "carecheck.yaml", "checklists: [team]\n")
    result = run("validate", "audits")
    assert result.exit_code == 0, result.stdout


def test_validate_checks_a_config_file(run, project: Path) -> None:
    result = run("validate", str(FIXTURES / "config" / "carecheck.yaml"))
    assert result.exit_code == 0, result.stdout
    write_config(project / "bad.yaml", "checklist: nowhere-to-be-found\ntemplates: no-templates\n")
    result = run("validate", "bad.yaml")
    assert result.stdout.splitlines() == [
        "bad.yaml:2:12: CC402 no checklist 'nowhere-to-be-found' in the configured folders or the built-ins",
        "bad.yaml:3:12: CC401 no folder 'no-templates'",
    ]


# ---------------------------------------------------------------------------------------------------
# Pieces


@pytest.mark.parametrize(
    ("text", "threshold"),
    [("60", Threshold(None, 60)), ("people=50.5", Threshold("people", 50.5)), ("overall=70", Threshold(None, 70))],
)
def test_parse_threshold(text: str, threshold: Threshold) -> None:
    assert parse_threshold(text) == threshold
    assert parse_threshold(threshold.as_option()) == threshold


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=5", "name the section before ="),  # not the overall score by accident
        (" =5", "name the section before ="),
        ("people=", "is not a score"),
        ("nan", "a score is between 0 and 100"),
        ("people=101", "a score is between 0 and 100"),
    ],
)
def test_a_threshold_that_is_not_one_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_threshold(text)


def test_config_error_carries_every_finding(project: Path) -> None:
    write_config(project / "carecheck.yaml", "b: 1\na: 2\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(None, {})
    assert [f.position.line for f in caught.value.findings if f.position] == [2, 3]
    assert caught.value.exit_code == 1  # read and wrong; a file that is not YAML is 2


# ---------------------------------------------------------------------------------------------------
# The documentation says what the code does

DOC = Path(__file__).parents[2] / "docs" / "configuration.md"


def _doc_blocks(first_key: str) -> list[str]:
    import re

    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if b.startswith(first_key)]


@pytest.mark.parametrize("first_key", ["carecheck-config: 1", "carecheck-plan: 1"])
def test_the_documented_examples_are_valid(first_key: str, tmp_path: Path) -> None:
    from carecheck.format.model import Config, Plan
    from carecheck.format.reader import parse_document
    from carecheck.format.validate import validate_model

    (block,) = _doc_blocks(first_key)
    doc = parse_document(block.encode(), tmp_path / "example.yaml")
    validate_model(doc, Config if "config" in first_key else Plan)


def test_every_variable_is_documented() -> None:
    from carecheck.catalog.config import ENV
    from carecheck.cli.main import cli

    config_env = next(p.envvar for p in cli.params if p.name == "config")  # the CLI spells it: --config's
    text = DOC.read_text(encoding="utf-8")
    for var in [*ENV.values(), config_env]:
        assert f"`{var}" in text, var


def test_collect_takes_the_checklist_its_files_name_not_the_configured_default(project: Path) -> None:
    write_config(project / "carecheck.yaml", "checklist: care-full\n")
    defaults = load_settings(Path("carecheck.yaml"), {}).default_map()
    assert defaults["audit"]["checklist"] == "care-full" and defaults["export"]["checklist"] == "care-full"
    assert defaults["collect"] == {"folder": "audits"}
