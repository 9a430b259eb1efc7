"""The survey template: golden files, and the round trip export -> fill two rows -> import -> report."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from carecheck.catalog.loading import Catalog
from carecheck.survey.csv_template import survey_template

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"


def test_the_template_and_its_values_match_their_golden_files(golden: Any) -> None:
    checklist = Catalog().load(str(MINIMAL)).checklist
    template = survey_template(checklist)
    golden("survey-minimal.csv", template.header)
    golden("survey-minimal.values.csv", template.values)
    roles = survey_template(Catalog().load(str(FIXTURES / "form" / "roles.yaml")).checklist, "Acme")
    golden("survey-roles.values.csv", roles.values)


def test_every_column_of_the_values_file_is_a_column_of_the_template() -> None:
    template = survey_template(Catalog().load("care-full").checklist)
    (header,) = csv.reader(io.StringIO(template.header))
    rows = list(csv.DictReader(io.StringIO(template.values)))
    assert [row["column"] for row in rows] == header


def test_export_fill_two_rows_import_and_report(run, tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    checklist = str(tmp_path / "minimal.yaml")
    template = tmp_path / "survey.csv"
    result = run("export", checklist, "--format", "csv", "-o", str(template))
    assert result.exit_code == 0 and (tmp_path / "survey.values.csv").is_file()
    (header,) = csv.reader(io.StringIO(template.read_text(encoding="utf-8")))
    values = {
        row["column"]: row["choices"].split(" | ") for row in csv.DictReader((tmp_path / "survey.values.csv").open())
    }
    rows = [
        {  # each cell one of the listed choices, as a survey tool set up from the values file gives them
            "name": "Jo Smith", "role": values["role"][2], "organisation": "Acme Ltd", "date": "2026-10-01",
            "has-email": values["has-email"][0], "email-reply-hours": "6 hours", "trained": values["trained"][2],
            "trained note": "new staff only", "rating": values["rating"][-1], "evidence": "The training log",
        },
        {
            "name": "Sam Lee", "role": values["role"][1], "organisation": "Acme Ltd", "date": "2026-10-02",
            "has-email": values["has-email"][1], "trained": values["trained"][4], "rating": values["rating"][-2],
            "evidence": values["evidence"][-1],
        },
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    template.write_text(out.getvalue(), encoding="utf-8")
    audits = tmp_path / "audits"
    result = run("import", str(template), "--checklist", checklist, "--dir", str(audits))
    assert result.exit_code == 0, result.output
    assert "Imported 2 answer files" in result.stdout
    report = json.loads(run("report", str(audits), "--format", "json", "--checklist", checklist).stdout)
    assert [(r["name"], r["role"]) for r in report["respondents"]] == [
        ("Jo Smith", "front-line"),
        ("Sam Lee", "management"),
    ]
    assert report["counts"]["answered"] > 0 and report["overall"] is not None
