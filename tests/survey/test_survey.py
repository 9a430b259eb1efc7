"""The survey import core: cells, dates, columns, rows, planning and the all-or-nothing write."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog
from carecheck.errors import Finding, InputError
from carecheck.format.model import NA, UNKNOWN, Checklist
from carecheck.format.writer import answers_yaml
from carecheck.render.report import ReportOptions, render_report
from carecheck.scoring.score import score
from carecheck.survey.csv_import import (
    Headers,
    Survey,
    answer_value,
    choose_delimiter,
    decode,
    parse_date,
    parse_survey,
    plan_import,
    role_of,
    write_import,
)

SURVEY = Path(__file__).parents[1] / "fixtures" / "survey"
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return Catalog().load(str(SURVEY / "staff-survey.yaml")).checklist


def parse(checklist: Checklist, text: str, **options: str) -> Survey:
    survey, _ = parse_survey(text, "s.csv", checklist, now=NOW, **options)  # type: ignore[arg-type]
    return survey


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.position.line, f.position.col, f.code) for f in findings if f.position is not None]


# ---------------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(
    ("qid", "cell", "expected"),
    [
        ("has-email", "yes", "yes"),
        ("has-email", "YES", "yes"),
        ("has-email", " No ", "no"),
        ("trained", "2", "2"),
        ("trained", "Defined", "2"),
        ("trained", "systematic   AND measured", "3"),
        ("rating", "Three stars", "3"),
        ("rating", "n/a", NA),
        ("rating", "Not applicable", NA),
        ("rating", "N.A.", NA),
        ("trained", "unknown", UNKNOWN),
        ("trained", "Don\u2019t know", UNKNOWN),
        ("trained", "not measured", UNKNOWN),
        ("email-reply-hours", "6.5", "6.5"),
        ("email-reply-hours", "+6", "6"),
        ("email-reply-hours", "6 hours", "6"),
        ("email-reply-hours", "0", "0"),
        ("satisfied-percent", "82%", "82"),
        ("satisfied-percent", "82.50", "82.50"),
        ("satisfied-percent", "na", NA),
        ("evidence", "The training log, page 3", "The training log, page 3"),
        ("evidence", "don't know", UNKNOWN),
    ],
)
def test_a_cell_is_an_option_value_a_label_a_number_or_text(
    checklist: Checklist, qid: str, cell: str, expected: str
) -> None:
    value, problem = answer_value(checklist, checklist.questions[qid], cell, decimal_comma=False)
    assert (value, problem) == (expected, "")


@pytest.mark.parametrize(
    ("qid", "cell", "message"),
    [
        ("has-email", "maybe", "'maybe' is not an answer to 'has-email'; use one of: yes, no; or na, unknown"),
        ("trained", "7", "use one of: 0 (Not in place), 1 (Ad hoc), 2 (Defined)"),
        ("trained", "na", "'trained' cannot be answered not applicable"),
        ("trained", "n/a", "'trained' cannot be answered not applicable"),
        ("email-reply-hours", "six", "'email-reply-hours' takes a number (hours), not 'six'"),
        ("email-reply-hours", "6,5", "takes a number"),
        ("email-reply-hours", "1,000", "takes a number"),
        ("email-reply-hours", "1_000", "takes a number"),
        ("email-reply-hours", "nan", "takes a number"),
        ("email-reply-hours", "-1", "'email-reply-hours': -1 is below the smallest allowed value 0"),
        ("satisfied-percent", "120%", "'satisfied-percent': 120 is above the largest allowed value 100"),
    ],
)
def test_a_cell_that_answers_nothing_says_why(checklist: Checklist, qid: str, cell: str, message: str) -> None:
    value, problem = answer_value(checklist, checklist.questions[qid], cell, decimal_comma=False)
    assert value is None
    assert message in problem


def test_a_decimal_comma_is_read_in_semicolon_files_only(checklist: Checklist) -> None:
    question = checklist.questions["email-reply-hours"]
    assert answer_value(checklist, question, "6,5", decimal_comma=True) == ("6.5", "")
    assert answer_value(checklist, question, "6,5", decimal_comma=False)[0] is None


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("front-line", "front-line"),
        ("Front line", "front-line"),
        ("FRONTLINE", "front-line"),
        ("front_line", "front-line"),
        ("Back Office", "back-office"),
        ("Leadership (owners, directors)", "leadership"),
        ("Managers", "management"),
        ("other", "other"),
        ("Chief happiness officer", None),
    ],
)
def test_roles_are_matched_loosely(cell: str, role: str | None) -> None:
    assert role_of(cell) == role


def test_a_role_map_maps_the_survey_labels_first() -> None:
    role_map = {"Owner": "leadership", "Restaurant manager": "management", "house_keeping": "back-office"}
    assert role_of("owner", role_map) == "leadership"
    assert role_of("  Restaurant   MANAGER ", role_map) == "management"
    assert role_of("House-keeping", role_map) == "back-office"
    assert role_of("Front line", role_map) == "front-line"  # the built-in spellings still hold
    assert role_of("Night porter", role_map) is None
    assert role_of("Owner") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-09-14", datetime(2026, 9, 14, tzinfo=timezone.utc)),
        ("2026-09-14 10:02:11", datetime(2026, 9, 14, 10, 2, 11, tzinfo=timezone.utc)),
        ("2026-09-14T10:02:11Z", datetime(2026, 9, 14, 10, 2, 11, tzinfo=timezone.utc)),
        ("2026/09/14 10:02:11", datetime(2026, 9, 14, 10, 2, 11, tzinfo=timezone.utc)),
        ("14/09/2026", datetime(2026, 9, 14, tzinfo=timezone.utc)),
        ("14/09/2026 10:02", datetime(2026, 9, 14, 10, 2, tzinfo=timezone.utc)),
        ("4/9/2026 1:02:03 PM", datetime(2026, 9, 4, 13, 2, 3, tzinfo=timezone.utc)),
        ("14.09.2026 10:02:11", datetime(2026, 9, 14, 10, 2, 11, tzinfo=timezone.utc)),
    ],
)
def test_dates_in_iso_and_common_survey_formats(cell: str, expected: datetime) -> None:
    assert parse_date(cell) == expected


def test_an_offset_is_kept() -> None:
    parsed = parse_date("2026-09-30T23:30:00-05:00")
    assert parsed is not None and parsed.astimezone(timezone.utc) == datetime(2026, 10, 1, 4, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("cell", ["2026-13-45", "31/02/2026", "yesterday", "14/09/26", "13:00 14/09/2026"])
def test_not_a_date(cell: str) -> None:
    assert parse_date(cell) is None


def test_slash_dates_are_day_first_unless_only_month_first_fits(checklist: Checklist) -> None:
    head = "name,organisation,date,trained\n"
    day_first = parse(checklist, head + "Jo,Acme,04/09/2026,2\nAnn,Acme,14/09/2026,2\n")
    assert [r.answers.started for r in day_first.rows] == [
        datetime(2026, 9, 4, tzinfo=timezone.utc),
        datetime(2026, 9, 14, tzinfo=timezone.utc),
    ]
    assert day_first.findings == []
    month_first = parse(checklist, head + "Jo,Acme,9/4/2026,2\nAnn,Acme,9/14/2026,2\n")
    assert [r.answers.started for r in month_first.rows] == [
        datetime(2026, 9, 4, tzinfo=timezone.utc),
        datetime(2026, 9, 14, tzinfo=timezone.utc),
    ]
    assert where(month_first.findings) == [(1, 3, "CC512")]


# ---------------------------------------------------------------------------------------------------
# Columns and delimiters


def test_the_delimiter_is_the_one_under_which_the_header_names_known_columns(checklist: Checklist) -> None:
    headers = Headers(checklist)
    # commas inside the question text must not make this a comma file
    text = "name;Median first reply to email, in hours?;Are staff trained?\nJo;4;2\n"
    assert choose_delimiter(text, headers) == ";"
    assert choose_delimiter("name,trained\nJo,2\n", headers) == ","
    assert choose_delimiter("name\ttrained\nJo\t2\n", headers) == "\t"
    assert choose_delimiter("", headers) == ","


def test_headers_by_id_text_note_and_field_spellings(checklist: Checklist) -> None:
    headers = Headers(checklist)
    kinds = {
        "has-email": ("answer", "has-email"),
        "HAS-EMAIL": ("answer", "has-email"),
        "  are STAFF   trained? ": ("answer", "trained"),
        "Do customers reach you by email?": ("answer", "has-email"),
        "trained note": ("note", "trained"),
        "Are staff trained? notes": ("note", "trained"),
        "Organization": ("organisation", None),
        "Org": ("organisation", None),
        "Respondent": ("name", None),
        "Timestamp": ("date", None),
        "Submitted": ("date", None),
        "Email address": ("ignored", None),
    }
    for header, (kind, qid) in kinds.items():
        column = headers.classify(0, header)
        assert column is not None, header
        assert (column.kind, column.question.id if column.question else None) == (kind, qid), header
    assert headers.classify(0, "Favourite colour") is None


def test_unknown_and_duplicate_columns_are_reported_once_at_the_header(checklist: Checklist) -> None:
    text = (
        "name,organisation,has-emial,trained,Are staff trained?,Email,,rating\n"
        "Jo,Acme,yes,2,2,x,,1\nAnn,Acme,no,3,3,y,,2\n"
    )
    survey = parse(checklist, text)
    assert where(survey.findings) == [(1, 3, "CC504"), (1, 5, "CC505"), (1, 6, "CC511")]
    assert "did you mean 'has-email'?" in survey.findings[0].message
    assert "as column 4 does already" in survey.findings[1].message
    assert survey.findings[2].severity == "warning"


def test_an_unknown_column_far_from_anything_says_what_a_column_may_be(checklist: Checklist) -> None:
    survey = parse(checklist, "name,organisation,Favourite colour\nJo,Acme,blue\n")
    (finding,) = survey.errors
    assert "name a question of 'staff-survey' by its id or its exact text" in finding.message


def test_a_column_without_header_is_ignored_when_empty_and_an_error_when_not(checklist: Checklist) -> None:
    assert parse(checklist, "name,organisation,trained,\nJo,Acme,2,\n").findings == []
    survey = parse(checklist, "name,organisation,trained,\nJo,Acme,2,oops\n")
    assert where(survey.findings) == [(1, 4, "CC504")]


# ---------------------------------------------------------------------------------------------------
# Rows


def test_rows_become_answer_files(checklist: Checklist) -> None:
    text = (SURVEY / "ids.csv").read_text(encoding="utf-8")
    survey = parse(checklist, text)
    assert survey.findings == []
    jo, ann, sam = survey.rows
    assert jo.line == 2 and jo.answers.respondent.name == "Jo Smith" and jo.answers.respondent.role == "front-line"
    assert jo.answers.organisation == "Acme Ltd" and jo.answers.audit == "2026-Q3"
    assert jo.answers.checklist.id == "staff-survey" and jo.answers.checklist.sha256 == checklist.sha256
    assert {q: a.value for q, a in jo.answers.answers.items()} == {
        "has-email": "yes",
        "email-reply-hours": "6.5",
        "satisfied-percent": "82",
        "trained": "2",
        "rating": "na",
        "evidence": "The training log",
    }
    assert jo.answers.answers["trained"].note == "Only new starters so far"
    assert all(a.asked == checklist.questions[q].text_hash for q, a in jo.answers.answers.items())
    started = datetime(2026, 9, 14, 10, 2, 11, tzinfo=timezone.utc)
    assert jo.answers.started == started and jo.answers.completed == started
    assert all(a.at == started for a in jo.answers.answers.values())
    # email-reply-hours is not asked of Ann (no email): her audit is complete without it
    assert ann.missing == () and ann.answers.completed is not None
    assert sam.missing == ("evidence",) and sam.answers.completed is None


def test_an_empty_cell_is_unanswered_and_a_note_alone_is_kept(checklist: Checklist) -> None:
    survey = parse(checklist, "name,organisation,trained,trained note\nJo,Acme,,ask HR\n")
    (row,) = survey.rows
    answer = row.answers.answers["trained"]
    assert answer.value is None and answer.note == "ask HR"
    assert "trained" in row.missing


def test_without_a_date_the_import_time_is_used(checklist: Checklist) -> None:
    (row,) = parse(checklist, "name,organisation,trained\nJo,Acme,2\n").rows
    assert row.answers.started == NOW and row.answers.audit == "2026-Q4"


def test_options_override_the_columns(checklist: Checklist) -> None:
    text = "name,organisation,date,trained\nJo,Acme,2026-09-14,2\n"
    (row,) = parse(checklist, text, organisation="Beta plc", audit="autumn-2026").rows
    assert row.answers.organisation == "Beta plc" and row.answers.audit == "autumn-2026"


def test_the_audit_label_is_the_quarter_of_the_local_date(checklist: Checklist) -> None:
    text = "name,organisation,date,trained\nJo,Acme,2026-09-30T23:30:00-05:00,2\n"
    (row,) = parse(checklist, text).rows
    assert row.answers.audit == "2026-Q3"
    assert row.answers.started == datetime(2026, 10, 1, 4, 30, tzinfo=timezone.utc)


def test_an_unknown_role_is_imported_as_other_with_a_warning(checklist: Checklist) -> None:
    survey = parse(checklist, "name,role,organisation,trained\nJo,Chief,Acme,2\nAnn,,Acme,2\n")
    assert [r.answers.respondent.role for r in survey.rows] == ["other", "other"]
    assert where(survey.findings) == [(2, 2, "CC510")]
    assert survey.findings[0].severity == "warning"


def test_row_numbers_are_the_line_where_the_row_starts(checklist: Checklist) -> None:
    text = 'name,organisation,evidence,trained\n\nJo,Acme,"line one\nline two",2\nAnn,Acme,x,9\n'
    survey = parse(checklist, text)
    assert where(survey.errors) == [(5, 4, "CC506")]
    (jo,) = survey.rows
    assert jo.line == 3 and jo.answers.answers["evidence"].value == "line one\nline two"


def test_every_failing_row_is_reported_and_only_valid_rows_are_kept(checklist: Checklist) -> None:
    text = "name,organisation,date,trained,rating\nJo,Acme,2026-09-14,2,1\nAnn,,nope,7,5\nSam,Acme,,3,3\n"
    survey = parse(checklist, text)
    assert where(survey.errors) == [(3, 2, "CC507"), (3, 3, "CC508"), (3, 4, "CC506"), (3, 5, "CC506")]
    assert [r.line for r in survey.rows] == [2, 4]


def test_a_respondent_twice_in_one_audit_is_an_error(checklist: Checklist) -> None:
    text = (
        "name,organisation,date,trained\nJo Smith,Acme,2026-09-14,2\njo  smith,ACME,2026-09-15,3\n,Acme,,1\n,Acme,,1\n"
    )
    survey = parse(checklist, text)
    assert where(survey.errors) == [(3, 1, "CC509")]
    assert "already answers on line 2" in survey.errors[0].message
    # anonymous rows cannot be told apart: both kept
    assert [r.line for r in survey.rows] == [2, 4, 5]


def test_the_same_person_in_two_audits_is_fine(checklist: Checklist) -> None:
    text = "name,organisation,date,trained\nJo,Acme,2026-06-14,2\nJo,Acme,2026-09-14,3\n"
    assert parse(checklist, text).findings == []


def test_empty_and_header_only(checklist: Checklist) -> None:
    assert where(parse(checklist, "").findings) == [(1, 1, "CC501")]
    assert where(parse(checklist, "\n\n").findings) == [(1, 1, "CC501")]
    assert where(parse(checklist, "name,organisation,trained\n\n,,\n").findings) == [(1, 1, "CC501")]
    assert "no respondent rows" in parse(checklist, "name,organisation,trained\n").findings[0].message


def test_a_missing_organisation_column_is_one_error_at_the_header(checklist: Checklist) -> None:
    survey = parse(checklist, "name,trained\nJo,2\nAnn,3\n")
    assert where(survey.errors) == [(1, 1, "CC507")]
    assert parse(checklist, "name,trained\nJo,2\n", organisation="Acme").findings == []


def test_a_row_longer_than_the_header(checklist: Checklist) -> None:
    survey = parse(checklist, "name,organisation,trained\nJo,Acme, Ltd,2\nAnn,Acme,2,,\n")
    assert where(survey.errors) == [(2, 4, "CC503")]
    assert [r.line for r in survey.rows] == [3]  # trailing empty cells are harmless


def test_broken_csv_is_an_input_error_at_the_row(checklist: Checklist) -> None:
    with pytest.raises(InputError) as caught:
        parse(checklist, 'name,organisation,trained\nJo,"Acme,2\nAnn,Acme,3\n')
    assert (
        str(caught.value)
        == "s.csv:2:1: CC502 not readable as CSV: a quoted value that starts on this row is never closed"
    )
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------------------------------------------
# Decoding


def test_a_bom_is_dropped() -> None:
    assert decode(b"\xef\xbb\xbfname\r\n", "s.csv") == "name\r\n"


def test_non_utf8_names_line_column_and_byte() -> None:
    with pytest.raises(InputError) as caught:
        decode("name\nJos\xe9,x\n".encode("latin-1"), "s.csv")
    assert str(caught.value) == (
        "s.csv:2:4: CC002 not UTF-8 text: byte 0xe9 at offset 8; export or save the file as CSV UTF-8"
    )
    assert caught.value.exit_code == 2


def test_utf16_says_so() -> None:
    with pytest.raises(InputError, match="UTF-16"):
        decode("name\n".encode("utf-16"), "s.csv")


# ---------------------------------------------------------------------------------------------------
# Planning and writing


def test_plan_picks_free_names_beside_existing_files(checklist: Checklist, tmp_path: Path) -> None:
    survey = parse(checklist, "name,organisation,date,trained\nJo Smith,Acme,2026-09-14,2\n,Acme,2026-09-14,1\n")
    folder = tmp_path / "audits"
    taken = folder / "acme" / "2026-Q3" / "staff-survey--jo-smith.yaml"
    taken.parent.mkdir(parents=True)
    taken.write_text("not an answer file\n", encoding="utf-8")
    planned = plan_import(survey, folder)
    assert [p.path.name for p in planned] == ["staff-survey--jo-smith--2.yaml", "staff-survey--anonymous.yaml"]
    assert survey.findings == []


def test_existing_answers_are_found_as_validate_walks(checklist: Checklist, tmp_path: Path) -> None:
    # the one walker (fs.walk_yaml): a .yml file counts; a virtual environment is not entered
    text = "name,organisation,date,trained\nJo,Acme,2026-09-14,2\n"
    folder = tmp_path / "audits"
    (item,) = write_import(plan_import(parse(checklist, text), folder), folder)
    created = item.path.rename(item.path.with_suffix(".yml"))
    assert all(p.existing for p in plan_import(parse(checklist, text), folder))
    venv = tmp_path / "venv-audits"
    (venv / "venv").mkdir(parents=True)
    (venv / "venv" / "pyvenv.cfg").write_text("")
    created.rename(venv / "venv" / "jo.yaml")
    assert not any(p.existing for p in plan_import(parse(checklist, text), venv))


def test_rows_already_imported_are_skipped_and_changed_ones_refused(checklist: Checklist, tmp_path: Path) -> None:
    text = "name,organisation,date,trained\nJo,Acme,2026-09-14,2\nAnn,Acme,2026-09-14,3\n"
    folder = tmp_path / "audits"
    first = parse(checklist, text)
    write_import(plan_import(first, folder), folder)
    again = parse(checklist, text)
    assert all(p.existing for p in plan_import(again, folder))
    assert where(again.findings) == [(2, 1, "CC513"), (3, 1, "CC513")]
    changed = parse(checklist, text.replace("Ann,Acme,2026-09-14,3", "Ann,Acme,2026-09-14,4"))
    planned = plan_import(changed, folder)
    assert [p.row.line for p in planned] == [2]
    assert where(changed.errors) == [(3, 1, "CC509")]
    assert "remove it to import this row" in changed.errors[0].message


def test_a_file_as_the_import_wrote_it_is_not_parsed_again_but_one_edited_is(
    checklist: Checklist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carecheck.catalog.loading as loading

    text = "name,organisation,date,trained\nJo,Acme,2026-09-14,2\nAnn,Acme,2026-09-14,3\nSam,Acme,2026-09-14,4\n"
    folder = tmp_path / "audits"
    jo, ann, sam = (p.path for p in write_import(plan_import(parse(checklist, text), folder), folder))
    ann.write_text("# checked by hand\n" + ann.read_text(encoding="utf-8"), encoding="utf-8")  # same answers
    sam.write_text(sam.read_text(encoding="utf-8").replace("value: 4", "value: 1"), encoding="utf-8")
    parsed: list[Path] = []
    load = loading.load_answer_file
    monkeypatch.setattr(loading, "load_answer_file", lambda path: parsed.append(path) or load(path))
    again = parse(checklist, text)
    planned = plan_import(again, folder)
    assert sorted(parsed) == sorted([ann, sam])  # jo's file holds exactly what the import writes for its row
    assert [(p.path, p.existing) for p in planned] == [(jo, True), (ann, True)]
    assert where(again.findings) == [(2, 1, "CC513"), (3, 1, "CC513"), (4, 1, "CC509")]


def test_an_answer_file_that_does_not_start_as_the_import_writes_it_still_counts(
    checklist: Checklist, tmp_path: Path
) -> None:
    text = "name,organisation,date,trained\nJo,Acme,2026-09-14,2\n"
    folder = tmp_path / "audits"
    (item,) = write_import(plan_import(parse(checklist, text), folder), folder)
    written = item.path.read_text(encoding="utf-8")
    item.path.write_text(written.replace("carecheck-answers:", '"carecheck-answers":', 1), encoding="utf-8")
    again = parse(checklist, text)
    assert [(p.path, p.existing) for p in plan_import(again, folder)] == [(item.path, True)]
    assert where(again.findings) == [(2, 1, "CC513")]


def test_write_creates_every_file_or_none(
    checklist: Checklist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carecheck.fs as fs_module

    survey = parse(checklist, "name,organisation,trained\nJo,Acme,2\nAnn,Acme,3\nSam,Acme,4\n")
    folder = tmp_path / "audits"
    planned = plan_import(survey, folder)
    real = fs_module.os.write
    calls = []

    def failing(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(fs_module.os, "write", failing)
    with pytest.raises(InputError, match="No space left on device; nothing was written"):
        write_import(planned, folder)
    monkeypatch.setattr(fs_module.os, "write", real)
    assert len(calls) == 3
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*")] == []  # no file, no staging, no folder


def test_written_files_are_what_the_store_writes(checklist: Checklist, tmp_path: Path) -> None:
    survey = parse(checklist, (SURVEY / "ids.csv").read_text(encoding="utf-8"))
    folder = tmp_path / "audits"
    created = write_import(plan_import(survey, folder), folder)
    assert [p.path.name for p in created] == [
        "staff-survey--jo-smith.yaml",
        "staff-survey--ann-lee.yaml",
        "staff-survey--sam-patel.yaml",
    ]
    for item in created:
        assert item.path.read_text(encoding="utf-8") == answers_yaml(item.row.answers)


def test_excel_sep_line_names_the_delimiter(checklist: Checklist) -> None:
    survey, delimiter = parse_survey(
        "sep=;\r\nname;organisation;email-reply-hours\r\nJo;Acme, Ltd;6,5\r\nAnn;Acme;x\r\n",
        "s.csv",
        checklist,
        now=NOW,
    )
    assert delimiter == ";"
    assert where(survey.errors) == [(4, 3, "CC506")]
    (jo,) = survey.rows
    assert jo.line == 3 and jo.answers.organisation == "Acme, Ltd"
    assert jo.answers.answers["email-reply-hours"].value == "6.5"


def test_messages_show_cells_escaped_and_short(checklist: Checklist) -> None:
    survey = parse(checklist, "name,organisation,trained,rating\nJo,Acme,2\x00,\n" + "Ann,Acme,2," + "x" * 500 + "\n")
    first, second = survey.errors
    assert "'2\\x00' is not an answer to 'trained'" in first.message
    assert "'" + "x" * 59 + "…' is not an answer to 'rating'" in second.message


@pytest.mark.parametrize("cell", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00", "31/12/9999"])
def test_dates_out_of_range_are_not_dates(cell: str) -> None:
    from carecheck.survey.csv_import import parse_date

    assert parse_date(cell) is None


# ---------------------------------------------------------------------------------------------------
# A short survey: the questions asked are recorded, the report scores those


def test_a_short_survey_records_the_questions_it_asked(checklist: Checklist) -> None:
    text = "name,organisation,date,trained,rating,evidence note\nJo,Acme,2026-09-14,2,,see the log\n"
    (row,) = parse(checklist, text).rows
    assert row.answers.questions == ("trained", "rating", "evidence")  # checklist order; a note column asks too
    assert row.missing == ("rating", "evidence")  # only asked questions are still to answer
    yaml_text = answers_yaml(row.answers)
    assert "questions: [trained, rating, evidence]\n" in yaml_text
    full = (SURVEY / "ids.csv").read_text(encoding="utf-8")
    assert all(r.answers.questions is None for r in parse(checklist, full).rows)  # every question has a column


def test_a_short_survey_is_complete_when_it_answered_what_it_asked(checklist: Checklist) -> None:
    (row,) = parse(checklist, "name,organisation,trained,rating\nJo,Acme,2,3\n").rows
    assert row.missing == () and row.answers.completed is not None
    card = score(checklist, [row.answers])
    assert not card.draft and card.to_answer == ()
    assert card.asked_questions == 2 and card.checklist.questions == 6
    assert card.section("contact").score is None  # nothing asked there: no score, left out of the overall
    assert card.overall == card.section("people").score
    text = render_report(card, "txt", ReportOptions(generated=NOW))
    assert isinstance(text, str)
    assert "Based on       2 of 6 questions (the ones asked)" in text
    assert "DRAFT" not in text and "still to give" not in text
    for fmt in ("md", "html"):
        assert "2 of 6 questions" in str(render_report(card, fmt, ReportOptions(generated=NOW)))
    asked_all = score(checklist, [row.answers.model_copy(update={"questions": None})])
    assert asked_all.draft and asked_all.asked_questions is None  # the same answers, every question asked


def test_a_short_survey_leaves_asked_questions_open_as_a_draft(checklist: Checklist) -> None:
    (row,) = parse(checklist, "name,organisation,trained,rating\nJo,Acme,2,\n").rows
    card = score(checklist, [row.answers])
    assert card.draft and [q.id for q in card.to_answer] == ["rating"]
