"""`carecheck import`: survey CSV exports to answer files, through the real command line."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml_readers import assert_read_alike, texts

from carecheck.catalog.loading import load_answer_file

SURVEY = Path(__file__).parents[1] / "fixtures" / "survey"
CHECKLIST = "staff-survey"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the survey checklist in ./checklists (where validate finds it too)."""
    (tmp_path / "checklists").mkdir()
    shutil.copy(SURVEY / "staff-survey.yaml", tmp_path / "checklists")
    for csv_file in SURVEY.glob("*.csv"):
        shutil.copy(csv_file, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def saved(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml")) if folder.exists() else []


def values(path: Path) -> dict[str, str | None]:
    return {q: a.value for q, a in load_answer_file(path)[1].answers.items()}


def test_fixtures_keep_their_bytes() -> None:
    raw = (SURVEY / "semicolon-bom-crlf.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert b"\xe9" in (SURVEY / "latin1.csv").read_bytes()


# ---------------------------------------------------------------------------------------------------
# Good exports


def test_ids_as_headers(run, project: Path) -> None:
    result = run("import", "ids.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 0, result.output
    folder = project / "audits" / "acme-ltd" / "2026-Q3"
    assert saved(project / "audits") == [
        folder / "staff-survey--ann-lee.yaml",
        folder / "staff-survey--jo-smith.yaml",
        folder / "staff-survey--sam-patel.yaml",
    ]
    assert values(folder / "staff-survey--jo-smith.yaml") == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "satisfied-percent": "82",
        "trained": "2",
        "rating": "na",
        "evidence": "The training log",
    }
    ann = load_answer_file(folder / "staff-survey--ann-lee.yaml")[1]
    assert ann.respondent.role == "management" and ann.answers["evidence"].value == "HR system, course records"
    assert "created       audits/acme-ltd/2026-Q3/staff-survey--jo-smith.yaml  (line 2: Jo Smith" in result.stdout
    assert "Imported 3 answer files from ids.csv into audits (1 incomplete)." in result.stdout
    assert result.stderr == ""
    check = run("validate", "--strict", "audits")
    assert check.exit_code == 0, check.output


def test_question_texts_and_labels_as_written_by_a_survey_tool(run, project: Path) -> None:
    result = run("import", "texts.csv", "--checklist", "checklists/staff-survey.yaml", "--dir", "out")
    assert result.exit_code == 0, result.output
    jo, ann = (project / "out" / "acme-ltd" / "2026-Q3" / f"staff-survey--{n}.yaml" for n in ("jo-smith", "ann-lee"))
    assert values(jo) == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "satisfied-percent": "82",
        "trained": "2",
        "rating": "2",
        "evidence": "In the HR system",
    }
    jo_file = load_answer_file(jo)[1]
    assert jo_file.answers["email-reply-hours"].note == "from the helpdesk report,\nSeptember"
    assert jo_file.respondent.role == "front-line"
    assert str(jo_file.started) == "2026-09-14 10:02:00+00:00"
    assert values(ann) == {
        "has-email": "no",
        "satisfied-percent": "na",
        "trained": "3",
        "rating": "3",
        "evidence": "unknown",
    }
    assert "(line 4: Ann Lee, management; 5 answered)" in result.stdout
    assert run("validate", "--strict", "out").exit_code == 0


def test_semicolons_bom_and_crlf(run, project: Path) -> None:
    result = run("import", "semicolon-bom-crlf.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 0, result.output
    folder = project / "audits" / "acme-ltd" / "2026-Q3"
    assert values(folder / "staff-survey--jo-smith.yaml") == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "satisfied-percent": "82.5",
        "trained": "4",
        "rating": "1",
        "evidence": "Training log, page 3",
    }
    ann = load_answer_file(folder / "staff-survey--ann-lee.yaml")[1]
    assert ann.respondent.role == "back-office" and ann.organisation == "Acme Ltd"
    assert run("validate", "--strict", "audits").exit_code == 0


def test_organisation_and_audit_options(run, project: Path) -> None:
    (project / "plain.csv").write_text("name,trained\nJo,2\n", encoding="utf-8")
    result = run("import", "plain.csv", "--checklist", CHECKLIST, "--organisation", "Beta plc", "--audit", "2026-pilot")
    assert result.exit_code == 0, result.output
    (path,) = saved(project / "audits")
    assert path == project / "audits" / "beta-plc" / "2026-pilot" / "staff-survey--jo.yaml"
    answers = load_answer_file(path)[1]
    assert answers.organisation == "Beta plc" and answers.audit == "2026-pilot"


def test_source_date_epoch_dates_rows_without_a_date(run, project: Path) -> None:
    (project / "plain.csv").write_text("name,organisation,trained\nJo,Acme,2\n", encoding="utf-8")
    result = run("import", "plain.csv", "--checklist", CHECKLIST, env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.exit_code == 0, result.output
    (path,) = saved(project / "audits")
    assert path.parent.name == "2026-Q3"
    assert load_answer_file(path)[1].started == datetime(2026, 9, 21, 14, 13, 20, tzinfo=timezone.utc)


def test_the_configured_audits_folder_and_checklist_are_the_defaults(run, project: Path) -> None:
    (project / "carecheck.yaml").write_text(
        "carecheck-config: 1\naudits: records\nchecklist: staff-survey\n", encoding="utf-8"
    )
    result = run("import", "ids.csv")
    assert result.exit_code == 0, result.output
    assert len(saved(project / "records")) == 3


# ---------------------------------------------------------------------------------------------------
# Dry run, all or nothing, importing again


def test_dry_run_shows_what_would_be_created_and_writes_nothing(run, project: Path) -> None:
    result = run("import", "ids.csv", "--checklist", CHECKLIST, "--dry-run")
    assert result.exit_code == 0, result.output
    assert saved(project / "audits") == [] and not (project / "audits").exists()
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "would create  audits/acme-ltd/2026-Q3/staff-survey--jo-smith.yaml  (line 2: Jo Smith, front-line; 6 answered)"
    )
    assert lines[2].endswith("(line 4: Sam Patel, leadership; 5 answered, 1 to answer)")
    assert lines[-2:] == [
        "Dry run (ids.csv read as comma-separated): 3 answer files would be created in audits (1 incomplete).",
        "Nothing was written.",
    ]


def test_one_bad_row_and_nothing_is_written(run, project: Path) -> None:
    result = run("import", "one-bad-row.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "one-bad-row.csv:3:3: CC506 '7' is not an answer to 'trained'; use one of: 0 (Not in place), 1 (Ad hoc), "
        "2 (Defined), 3 (Systematic and measured), 4 (Reviewed and improved); or unknown",
        "1 error in one-bad-row.csv; nothing was imported.",
    ]
    assert result.stdout == "" and saved(project / "audits") == []


def test_importing_again_skips_what_is_there(run, project: Path) -> None:
    assert run("import", "ids.csv", "--checklist", CHECKLIST).exit_code == 0
    again = run("import", "ids.csv", "--checklist", CHECKLIST)
    assert again.exit_code == 0, again.output
    assert "ids.csv:2:1: CC513 warning: already imported as audits/acme-ltd/2026-Q3/staff-survey--jo-smith.yaml" in (
        again.stderr
    )
    assert "Imported 0 answer files from ids.csv into audits (3 already imported)." in again.stdout
    assert len(saved(project / "audits")) == 3


def test_a_changed_row_of_someone_already_imported_is_refused(run, project: Path) -> None:
    assert run("import", "ids.csv", "--checklist", CHECKLIST).exit_code == 0
    text = (
        (project / "ids.csv")
        .read_text(encoding="utf-8")
        .replace("Sam Patel,leadership,Acme Ltd,2026-09-16,yes,4,", "Sam Patel,leadership,Acme Ltd,2026-09-16,yes,5,")
    )
    (project / "changed.csv").write_text(text, encoding="utf-8")
    result = run("import", "changed.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 1
    assert "changed.csv:4:1: CC509 Sam Patel already has an answer file for 2026-Q3 with other answers" in result.stderr
    assert len(saved(project / "audits")) == 3


# ---------------------------------------------------------------------------------------------------
# Errors: FILE:line:column, the exit code, and nothing written


ERRORS = [
    ("unknown-column.csv", 1, "1:3: CC504 unknown column 'has-emial'; did you mean 'has-email'?"),
    (
        "unknown-column.csv",
        1,
        "1:4: CC504 unknown column 'Are staff trainde?'; did you mean \"Are staff trained?\" (trained)?",
    ),
    ("unknown-value.csv", 1, "2:3: CC506 'maybe' is not an answer to 'has-email'; use one of: yes, no; or na, unknown"),
    ("bad-number.csv", 1, "2:4: CC506 'email-reply-hours' takes a number (hours), not 'six'"),
    ("bad-number.csv", 1, "3:5: CC506 'satisfied-percent': 120 is above the largest allowed value 100"),
    ("na-not-allowed.csv", 1, "2:3: CC506 'trained' cannot be answered not applicable"),
    (
        "no-organisation.csv",
        1,
        "1:1: CC507 no organisation column (organisation, organization, org or company); give --organisation NAME",
    ),
    ("empty-organisation.csv", 1, "3:2: CC507 no organisation; fill it in or give --organisation NAME"),
    ("bad-date.csv", 1, "2:3: CC508 '2026-13-45' is not a date; use one of: 2026-09-14, "),
    (
        "too-many-cells.csv",
        1,
        "2:4: CC503 the row has 4 cells and the header 3; a value holding the delimiter needs quotes",
    ),
    ("empty.csv", 1, "1:1: CC501 the file is empty: expected a header row and one row per respondent"),
    ("header-only.csv", 1, "1:1: CC501 the file has a header and no respondent rows"),
    ("latin1.csv", 2, "2:4: CC002 not UTF-8 text: byte 0xe9 at offset 30; export or save the file as CSV UTF-8"),
    ("unclosed-quote.csv", 2, "2:1: CC502 not readable as CSV: a quoted value that starts on this row is never closed"),
]


@pytest.mark.parametrize(("name", "code", "expected"), ERRORS)
def test_errors(run, project: Path, name: str, code: int, expected: str) -> None:
    result = run("import", name, "--checklist", CHECKLIST)
    assert result.exit_code == code, result.output
    assert f"{name}:{expected}" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == "" and saved(project / "audits") == []
    if code == 1:
        assert result.stderr.splitlines()[-1].endswith(f"in {name}; nothing was imported.")


def test_the_organisation_option_answers_a_missing_organisation(run, project: Path) -> None:
    result = run("import", "no-organisation.csv", "--checklist", CHECKLIST, "--organisation", "Acme Ltd")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.csv", "--checklist", CHECKLIST), "missing.csv: CC001 no such file"),
        ((".", "--checklist", CHECKLIST), ".: CC001 is a folder, not a CSV file"),
        (("ids.csv", "--checklist", "no-such-checklist"), "CC001 no checklist 'no-such-checklist'"),
    ],
)
def test_unreadable_inputs_exit_2(run, project: Path, args: tuple[str, ...], message: str) -> None:
    result = run("import", *args)
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_a_device_is_refused_not_read(project: Path, kind: str) -> None:
    import os
    import subprocess
    import sys

    if kind == "fifo":
        source = project / "survey.csv"
        os.mkfifo(source)  # opening it to read would wait for a writer forever
    else:
        source = Path("/dev/zero")  # reading it never ends
    command = [sys.executable, "-m", "carecheck", "import", str(source), "--checklist", CHECKLIST]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=project)
    assert done.returncode == 2, done.stderr
    assert f"{source}: CC001 not a regular file" in done.stderr
    assert saved(project / "audits") == []


def test_a_huge_csv_is_refused_before_reading(run, project: Path) -> None:
    from carecheck.survey.csv_import import MAX_BYTES

    with open(project / "huge.csv", "wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: nothing to write, but larger than the limit
    result = run("import", "huge.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 2
    assert f"huge.csv: CC004 file is larger than {MAX_BYTES // (1024 * 1024)} MB" in result.stderr


def test_more_rows_than_an_import_checks_in_memory_are_refused_before_any_is_written(
    run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carecheck.survey.csv_import

    monkeypatch.setattr(carecheck.survey.csv_import, "MAX_ROWS", 3)
    rows = "".join(f"P{n},front-line,Acme\n" for n in range(5))
    (project / "many.csv").write_text("name,role,organisation\n" + rows, encoding="utf-8")
    result = run("import", "many.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 2
    assert "many.csv:5:1: CC004 more than 3 rows: import the export in parts" in result.stderr
    assert saved(project / "audits") == []


def test_checklist_is_required_without_a_configured_one(run, project: Path) -> None:
    result = run("import", "ids.csv")
    assert result.exit_code == 2 and "--checklist" in result.stderr


def test_import_codes_are_listed_by_rules(run) -> None:
    listed = run("rules").stdout
    for code in ("CC501", "CC504", "CC506", "CC509", "CC513"):
        assert code in listed


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(texts, min_size=4, max_size=4), answer=st.sampled_from(["yes", "no", "Yes", "NO"]))
def test_an_imported_file_reads_the_same_in_yaml_1_1(
    run, tmp_path_factory: pytest.TempPathFactory, cells: list[str], answer: str
) -> None:
    organisation, name, evidence, note = cells
    folder = tmp_path_factory.mktemp("import")
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["organisation", "name", "has-email", "evidence", "trained", "trained note"],
            [organisation, name, answer, evidence, "2", note],
        ]
    )
    (folder / "survey.csv").write_text(out.getvalue(), encoding="utf-8")
    result = run(
        "import",
        str(folder / "survey.csv"),
        "--checklist",
        str(SURVEY / "staff-survey.yaml"),
        "--organisation",
        organisation.strip() or "Acme",
        "--audit",
        organisation,
        "--dir",
        str(folder / "audits"),
    )
    assert result.exit_code in (0, 1, 2), result.output
    for path in saved(folder / "audits"):
        assert_read_alike(path.read_text(encoding="utf-8"))
    if result.exit_code == 0:
        (path,) = saved(folder / "audits")
        assert values(path)["has-email"] == answer.lower()


# ---------------------------------------------------------------------------------------------------
# No traceback, whatever the CSV holds

CELLS = st.sampled_from(
    ["", "yes", "No", "2", "Defined", "na", "n/a", "unknown", "6,5", "1e999", "nan", '"', "x\ny", "\x00", ";", ",", "é"]
)
HEADERS = st.sampled_from(
    [
        "name",
        "role",
        "organisation",
        "date",
        "trained",
        "has-email",
        "email-reply-hours",
        "evidence",
        "trained note",
        "?",
        "",
    ]
)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(HEADERS, min_size=0, max_size=6),
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=4),
    delimiter=st.sampled_from([",", ";", "\t"]),
    tail=st.binary(max_size=8),
)
def test_any_csv_ends_in_a_message_not_a_traceback(
    run, tmp_path_factory: pytest.TempPathFactory, header: list[str], rows: list[list[str]], delimiter: str, tail: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    source = folder / "fuzz.csv"
    source.write_bytes(text.encode("utf-8") + tail)
    result = run(
        "import",
        str(source),
        "--checklist",
        str(SURVEY / "staff-survey.yaml"),
        "--dir",
        str(folder / "audits"),
        "--dry-run",
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.stderr


# ---------------------------------------------------------------------------------------------------
# Multi-file writes are all or nothing (issue 18)

BIG_ROW = "Person {n},front-line,Acme Ltd,2026-09-14,yes,6.5,82,2,na,The log,Only new starters\n"
BIG_HEADER = (
    "name,role,organisation,date,has-email,email-reply-hours,satisfied-percent,trained,rating,evidence,trained note\n"
)


def test_multi_file_writes_are_all_or_nothing_import_under_ctrl_c(
    run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carecheck.fs as fs_module

    real = fs_module.os.write
    calls: list[int] = []

    def interrupted(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(fd, data)

    monkeypatch.setattr(fs_module.os, "write", interrupted)
    result = run("import", "ids.csv", "--checklist", CHECKLIST)
    monkeypatch.setattr(fs_module.os, "write", real)
    assert result.exit_code == 130 and len(calls) == 2
    audits = project / "audits"
    assert sorted(p.relative_to(project).as_posix() for p in audits.rglob("*")) == []  # no file, no .tmp, no staging
    again = run("import", "ids.csv", "--checklist", CHECKLIST)
    assert again.exit_code == 0, again.stderr  # and the rerun completes
    assert len(saved(audits)) == 3


@pytest.mark.skipif(__import__("os").name != "posix", reason="kill -9")
def test_multi_file_writes_are_all_or_nothing_import_under_kill_9_and_a_rerun_completes(project: Path) -> None:
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    rows = 600
    (project / "big.csv").write_text(BIG_HEADER + "".join(BIG_ROW.format(n=n) for n in range(rows)), encoding="utf-8")
    command = [sys.executable, "-m", "carecheck", "import", "big.csv", "--checklist", CHECKLIST, "--dir"]
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    for attempt in range(3):
        folder = project / f"audits{attempt}"
        proc = subprocess.Popen([*command, str(folder)], cwd=project, stdout=subprocess.DEVNULL)
        # most of the run is reading and checking; the writing is its last second or so
        deadline = time.monotonic() + 60
        while not folder.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        where = f"(seed {seed}, attempt {attempt})"
        rerun = subprocess.run([*command, str(folder)], cwd=project, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, (rerun.stderr, where)
        assert len(saved(folder)) == rows, where
        assert not [p for p in folder.rglob("*") if p.name.startswith(".") and p.name != ".checklists"], where


# ---------------------------------------------------------------------------------------------------
# Role maps: the survey's role labels onto carecheck's roles

ROLES_CSV = "name,role,organisation,date,trained\nAnn,Owner,Acme,2026-09-14,2\nBen,Housekeeping,Acme,2026-09-14,1\n"


def roles_of(folder: Path) -> dict[str, str]:
    return {load_answer_file(p)[1].respondent.name: load_answer_file(p)[1].respondent.role for p in saved(folder)}


def test_a_role_map_file_maps_survey_roles(run, project: Path) -> None:
    (project / "roles.csv").write_text(ROLES_CSV, encoding="utf-8")
    (project / "roles.yaml").write_text(
        "carecheck-roles: 1\nroles:\n  Owner: leadership\n  housekeeping: back-office\n", encoding="utf-8"
    )
    result = run("import", "roles.csv", "--checklist", CHECKLIST, "--role-map", "roles.yaml")
    assert result.exit_code == 0, result.output
    assert roles_of(project / "audits") == {"Ann": "leadership", "Ben": "back-office"}
    assert "CC510" not in result.stderr
    assert run("validate", "roles.yaml").exit_code == 0


def test_without_a_map_unknown_roles_stay_a_warning(run, project: Path) -> None:
    (project / "roles.csv").write_text(ROLES_CSV, encoding="utf-8")
    result = run("import", "roles.csv", "--checklist", CHECKLIST)
    assert result.exit_code == 0  # warnings only
    assert "roles.csv:2:2: CC510 warning: role 'Owner' is not one of" in result.stderr
    assert "imported as other (map it with --role-map FILE or `roles:` in carecheck.yaml)" in result.stderr
    assert roles_of(project / "audits") == {"Ann": "other", "Ben": "other"}


def test_the_configured_roles_are_the_default_and_the_file_wins(run, project: Path) -> None:
    (project / "roles.csv").write_text(ROLES_CSV, encoding="utf-8")
    (project / "carecheck.yaml").write_text(
        "carecheck-config: 1\nroles:\n  Owner: management\n  Housekeeping: back-office\n", encoding="utf-8"
    )
    result = run("import", "roles.csv", "--checklist", CHECKLIST, "--dir", "a")
    assert result.exit_code == 0, result.output
    assert roles_of(project / "a") == {"Ann": "management", "Ben": "back-office"}
    (project / "roles.yaml").write_text("carecheck-roles: 1\nroles: {Owner: leadership}\n", encoding="utf-8")
    result = run("import", "roles.csv", "--checklist", CHECKLIST, "--dir", "b", "--role-map", "roles.yaml")
    assert result.exit_code == 0 and "CC510" in result.stderr  # Housekeeping is not in the file given
    assert roles_of(project / "b") == {"Ann": "leadership", "Ben": "other"}


def test_a_broken_role_map_is_named_at_its_line(run, project: Path) -> None:
    (project / "roles.csv").write_text(ROLES_CSV, encoding="utf-8")
    (project / "roles.yaml").write_text("carecheck-roles: 1\nroles:\n  Owner: boss\n", encoding="utf-8")
    result = run("import", "roles.csv", "--checklist", CHECKLIST, "--role-map", "roles.yaml")
    assert result.exit_code == 1 and saved(project / "audits") == []  # wrong content, as a broken plan
    assert "roles.yaml:3:10: CC008" in result.stderr and "'leadership', 'management'" in result.stderr
    (project / "roles.yaml").write_text(
        "carecheck-roles: 1\nroles:\n  Front desk: front-line\n  front-desk: back-office\n", encoding="utf-8"
    )
    checked = run("validate", "roles.yaml")
    assert checked.exit_code == 1
    assert (
        "roles.yaml:4:3: CC404 'front-desk' is the label 'Front desk' again (case and spacing ignored)"
        in checked.stdout
    )
    (project / "carecheck.yaml").write_text(
        "carecheck-config: 1\nroles:\n  Owner: leadership\n  owner: management\n", encoding="utf-8"
    )
    assert "carecheck.yaml:4:3: CC404" in run("validate", "carecheck.yaml").stdout
    missing = run("import", "roles.csv", "--checklist", CHECKLIST, "--role-map", "nope.yaml")
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr
