"""carecheck.parallel and the commands that use it: the same results, in the same order, as one process."""

from __future__ import annotations

import concurrent.futures
import errno
import os
import signal
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from carecheck import parallel
from carecheck.catalog.loading import Catalog
from carecheck.catalog.validation import validate_paths


def _square(n: int) -> int:
    return n * n


def _boom(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def test_ordered_map_keeps_input_order_across_processes() -> None:
    items = list(range(50))
    assert list(parallel.ordered_map(_square, items, jobs=2, min_items=10)) == [n * n for n in items]


def test_ordered_map_keeps_only_a_window_of_chunks_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many chunks (here 3 items each, 2 in flight per worker): all in order, the last chunk short."""
    monkeypatch.setattr(parallel, "MAX_CHUNK", 3)
    items = list(range(100))
    assert list(parallel.ordered_map(_square, items, jobs=2, min_items=10)) == [n * n for n in items]


def test_ordered_map_stays_in_process_below_the_threshold_or_with_one_job() -> None:
    assert list(parallel.ordered_map(_square, [1, 2, 3], jobs=4, min_items=10)) == [1, 4, 9]
    assert list(parallel.ordered_map(_square, list(range(20)), jobs=1, min_items=10)) == [n * n for n in range(20)]


def test_an_error_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(parallel.ordered_map(_boom, list(range(40)), jobs=2, min_items=10))


def _dies_in_a_worker(n: int) -> int:
    if n == 25 and str(os.getpid()) != os.environ["CARECHECK_TEST_CALLER"]:
        os._exit(1)  # a worker killed (out of memory, a signal) mid-run
    return n * n


def _ignores_ctrl_c(n: int) -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_without_processes_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")  # a process limit reached

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    items = list(range(50))
    assert list(parallel.ordered_map(_square, items, jobs=2, min_items=10)) == [n * n for n in items]


def test_a_worker_that_dies_is_an_error_here_not_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    # not redone here: the item that killed a worker (a crash, memory) would kill this process too
    monkeypatch.setenv("CARECHECK_TEST_CALLER", str(os.getpid()))
    with pytest.raises(BrokenProcessPool):
        list(parallel.ordered_map(_dies_in_a_worker, list(range(60)), jobs=2, min_items=10))


def test_workers_leave_ctrl_c_to_the_caller_which_keeps_its_own() -> None:
    assert all(parallel.ordered_map(_ignores_ctrl_c, list(range(40)), jobs=2, min_items=10))
    assert not any(parallel.ordered_map(_ignores_ctrl_c, list(range(40)), jobs=1, min_items=10))


def _checklist(n: int, broken: bool) -> str:
    question = "      - {id: q1, text: Is it done?, answers: yes-no}\n"
    if broken:  # an unknown key, a bad answer set and a duplicate id: findings at several positions
        question = "      - {id: q1, text: Is it done?, answers: maybe, colour: red}\n" * 2
    head = f"carecheck: 1\nid: c-{n}\ntitle: Checklist {n}\nversion: '1'\n"
    return head + f"sections:\n  - id: s\n    title: S\n    questions:\n{question}"


def test_validate_finds_the_same_findings_in_the_same_order_in_parallel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(60):
        (tmp_path / f"c{n:03d}.yaml").write_text(_checklist(n, broken=n % 3 == 0), encoding="utf-8")
    (tmp_path / "syntax.yaml").write_text("carecheck: 1\nid: [\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("name: not ours\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    one = validate_paths([tmp_path], Catalog(), jobs=1)
    two = validate_paths([tmp_path], Catalog(), jobs=2)
    assert len(one.findings) > 60
    assert two.findings == one.findings
    assert two.checked == one.checked and two.skipped == one.skipped


CHECKLIST = """carecheck: 1
id: par
title: Parallel
version: "1"
sections:
  - id: s
    title: S
    questions:
      - {id: q1, text: Is it done?, answers: yes-no}
      - {id: q2, text: How well?, answers: maturity}
      - {id: q3, text: Hours to answer?, answers: {type: number, unit: hours, good: 4, poor: 24}}
"""


def _answers(n: int, *, audit: str = "2026-Q3", organisation: str = "Acme") -> str:
    extra = "  q9: {value: yes}\n" if n % 7 == 0 else ""  # CC202: an unknown question, a warning
    name = f"Person {n}"
    return (
        'carecheck-answers: 1\nchecklist: {id: par, version: "1"}\n'
        f"organisation: {organisation}\naudit: '{audit}'\n"
        f"respondent: {{name: {name}, role: {['front-line', 'management'][n % 2]}}}\n"
        "started: 2026-09-01T10:00:00Z\ncompleted: 2026-09-01T10:40:00Z\nanswers:\n"
        f"  q1: {{value: {['yes', 'no'][n % 2]}, note: note {n}}}\n  q2: {{value: '{n % 5}'}}\n"
        f"  q3: {{value: {n % 30 + 1}}}\n{extra}"
    )


def _cli(args: list[str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from carecheck.cli.main import cli

    env = {"SOURCE_DATE_EPOCH": "1790000000", "NO_COLOR": "1"}
    result = CliRunner().invoke(cli, args, env=env, prog_name="carecheck")
    return result.exit_code, result.stdout, result.stderr


def test_report_history_and_portfolio_are_the_same_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "par.yaml").write_text(CHECKLIST, encoding="utf-8")
    answers = tmp_path / "audits" / "acme" / "2026-Q3"
    answers.mkdir(parents=True)
    for n in range(60):
        (answers / f"a{n:03d}.yaml").write_text(_answers(n), encoding="utf-8")
    (answers / "other.yaml").write_text("name: not ours\n", encoding="utf-8")  # skipped, in every process
    earlier = tmp_path / "audits" / "acme" / "2026-Q2"
    earlier.mkdir()
    for n in range(30):
        (earlier / f"b{n:03d}.yaml").write_text(_answers(n + 1, audit="2026-Q2"), encoding="utf-8")
    for folder in (answers, earlier):  # history and portfolio find it next to the answers
        (folder / "par.yaml").write_text(CHECKLIST, encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.chdir(tmp_path)
    for command in (
        ["report", "--checklist", "par.yaml", str(answers), "--format", "html"],
        ["report", "--checklist", "par.yaml", str(answers), "--format", "json", "--baseline", "auto", "-v"],
        ["history", "audits", "--format", "json"],
        ["portfolio", "audits", "--format", "csv"],
    ):
        one = _cli([*command, "--jobs", "1"])
        two = _cli([*command, "--jobs", "3"])
        assert one[0] == 0, one
        assert two == one, command
    warned = _cli(["report", "--checklist", "par.yaml", str(answers), "-v", "--jobs", "3"])[2]
    assert "CC202" in warned


def test_a_broken_answer_file_is_the_same_error_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "par.yaml").write_text(CHECKLIST, encoding="utf-8")
    for n in range(40):
        (tmp_path / f"a{n:03d}.yaml").write_text(_answers(n), encoding="utf-8")
    broken = _answers(17).replace("q2: {value: '2'}", "q2: {value: '2', colour: red}")  # an unknown key
    (tmp_path / "a017.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "a031.yaml").write_text(_answers(31).replace("value: '1'", "value: '9'"), encoding="utf-8")
    (tmp_path / "a033.yaml").write_text(_answers(33, organisation="Other"), encoding="utf-8")
    (tmp_path / "a035.yaml").write_text(_answers(3), encoding="utf-8")  # CC206: Person 3 answered twice
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--by", "organisation", "-o", "{organisation}.json"]):
        one = _cli(["report", "--checklist", "par.yaml", ".", *extra, "--jobs", "1"])
        two = _cli(["report", "--checklist", "par.yaml", ".", *extra, "--jobs", "2"])
        assert one[0] in (1, 2) and "a017.yaml:" in one[2], one
        assert two == one


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_paced_pauses_the_collector_collects_cycles_as_it_goes_and_resumes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    monkeypatch.setattr(parallel, "GC_EVERY", 20)
    assert gc.isenabled()
    dropped: list[weakref.ref[_Cycle]] = []
    for n in parallel.paced(range(50)):
        assert not gc.isenabled()
        dropped.append(weakref.ref(_Cycle()))  # cyclic garbage: only the collector frees it
        for _ in parallel.paced(range(2)):  # nested: only the outer loop resumes the collector
            dropped.append(weakref.ref(_Cycle()))
        assert not gc.isenabled(), n
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert sum(ref() is None for ref in dropped) >= 80  # collected along the way, not only at the end
    for _ in parallel.paced(range(10)):
        break  # a loop left early resumes it too
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_import_and_collect_read_the_audits_folder_over_jobs_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "par.yaml").write_text(CHECKLIST, encoding="utf-8")
    audits = tmp_path / "audits" / "acme" / "2026-Q3"
    audits.mkdir(parents=True)
    for n in range(40):
        (audits / f"a{n:03d}.yaml").write_text(_answers(n), encoding="utf-8")
    (audits / "broken.yaml").write_text("carecheck-answers: 1\n  - [\n", encoding="utf-8")  # passed over
    # Person 3 has answered already, otherwise: refused; Person 90 is new
    survey = "name,role,organisation,date,q1,q2,q3\nPerson 3,management,Acme,2026-09-01,no,1,9\n"
    (tmp_path / "survey.csv").write_text(survey + "Person 90,front-line,Acme,2026-09-01,yes,4,2\n", encoding="utf-8")
    returned = tmp_path / "returned.yaml"
    returned.write_text(_answers(5).replace("note: note 5", "note: changed"), encoding="utf-8")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.chdir(tmp_path)
    for command, found in (
        (["import", "survey.csv", "--checklist", "par.yaml", "--dry-run"], "CC509 Person 3"),
        (["collect", str(returned), "--checklist", "par.yaml", "--dry-run"], "CC509 Person 5"),
    ):
        one = _cli([*command, "--jobs", "1"])
        assert not started, command  # --jobs 1: this process only
        two = _cli([*command, "--jobs", "2"])
        assert started, command
        assert one[0] == 1 and found in one[2], one
        assert two == one, command
        started.clear()
