"""`carecheck report` as data (audits.run): what to write, what to say and how to exit, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carecheck.audits.grouping import ReportRequest
from carecheck.audits.run import ReportJob, run_report
from carecheck.catalog.loading import Catalog
from carecheck.errors import UsageError

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "report"
JO, SAM = EXAMPLE / "acme-jo.yaml", EXAMPLE / "acme-sam.yaml"
EPOCH = {"SOURCE_DATE_EPOCH": "1790000000"}


def test_a_run_holds_the_document_the_gate_results_and_the_exit_code(tmp_path: Path) -> None:
    out, gates = tmp_path / "r.json", tmp_path / "gates.json"
    job = ReportJob(ReportRequest([JO, SAM]), output=out, fail_under=["contact=49.3"], gate_output=gates)
    run = run_report(job, Catalog(), EPOCH)
    assert not out.exists() and not gates.exists()  # the command line writes, not the core
    [document] = run.documents
    assert document.target == out and json.loads(document.content)["organisation"] == "Acme <Care> & Sons"
    assert run.gate_output == gates and json.loads(run.gate_results or "")["findings"][0]["code"] == "CC602"
    assert run.gate_messages == ("carecheck: gate failed: section 'contact' 49.2 is under --fail-under contact=49.3",)
    assert run.exit_code == 1


def test_a_run_whose_gates_pass_exits_0_and_says_nothing_of_them() -> None:
    run = run_report(ReportJob(ReportRequest([JO, SAM]), fmt="txt", fail_under=["20"]), Catalog(), EPOCH)
    assert run.documents[0].target is None and isinstance(run.documents[0].content, str)
    assert run.gate_results is None and run.gate_messages == () and run.exit_code == 0


def test_a_pdf_for_the_terminal_is_refused_before_any_answer_is_read(tmp_path: Path) -> None:
    job = ReportJob(ReportRequest([tmp_path / "no-such-answers.yaml"]), fmt="pdf", terminal=True)
    with pytest.raises(UsageError, match="a PDF cannot be shown in the terminal"):
        run_report(job, Catalog(), EPOCH)
