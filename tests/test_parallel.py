"""carecheck.parallel and the commands that use it: the same results, in the same order, as one process."""

from __future__ import annotations

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


def test_ordered_map_stays_in_process_below_the_threshold_or_with_one_job() -> None:
    assert list(parallel.ordered_map(_square, [1, 2, 3], jobs=4, min_items=10)) == [1, 4, 9]
    assert list(parallel.ordered_map(_square, list(range(20)), jobs=1, min_items=10)) == [n * n for n in range(20)]


def test_an_error_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        list(parallel.ordered_map(_boom, list(range(40)), jobs=2, min_items=10))


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
