"""fs, issue 18's data-loss items: one writer per file (take_lock), multi-file writes all or nothing
(write_all, under errors, Ctrl-C and kill -9), and the one output guard (refuse_replacing)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from carecheck.errors import InputError, UsageError
from carecheck.fs import (
    BATCH_PREFIX,
    LOCK_STALE_AFTER,
    Locked,
    lock_path,
    recover_batches,
    refuse_replacing,
    take_lock,
    write_all,
)

NOW = datetime(2026, 12, 2, 5, 0, tzinfo=timezone.utc)
POSIX = pytest.mark.skipif(os.name != "posix", reason="pids are checked on POSIX only")


def everything(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# ---------------------------------------------------------------------------------------------------
# One writer per answer file


def test_one_writer_per_answer_file_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    with take_lock(target, NOW):
        with pytest.raises(Locked) as refused:
            take_lock(target, NOW)
        message = str(refused.value)
        assert f"pid {os.getpid()}" in message and "since 2026-12-02T05:00:00+00:00" in message
        assert str(lock_path(target)) in message  # what to remove if that process is gone
    assert not lock_path(target).exists()  # released
    take_lock(target, NOW).release()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from carecheck.fs import take_lock
    take_lock(Path(sys.argv[1]), datetime.now(timezone.utc))
    print("locked", flush=True)
    time.sleep(120)
    """
)


@POSIX
def test_one_writer_per_answer_file_between_two_processes_and_a_killed_holder_is_stale(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(Locked, match=f"pid {holder.pid} on "):
            take_lock(target, NOW)
    finally:
        holder.kill()  # kill -9: the lock file survives the crash
        holder.wait(timeout=30)
    assert lock_path(target).exists()
    lock = take_lock(target, NOW)  # a dead pid on this host: taken over
    assert json.loads(lock_path(target).read_text())["pid"] == os.getpid()
    lock.release()


def test_one_writer_per_answer_file_another_hosts_lock_is_stale_after_the_documented_age(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    since = NOW - timedelta(seconds=LOCK_STALE_AFTER - 60)
    lock_path(target).write_text(json.dumps({"pid": 1, "host": "elsewhere", "since": since.isoformat()}))
    with pytest.raises(Locked, match="pid 1 on elsewhere"):
        take_lock(target, NOW)
    take_lock(target, NOW + timedelta(seconds=120)).release()  # now older than LOCK_STALE_AFTER
    lock_path(target).write_text("{half a lock")  # unreadable: never written by a live holder
    take_lock(target, NOW).release()


# ---------------------------------------------------------------------------------------------------
# Multi-file writes are all or nothing


def batch(root: Path, n: int) -> dict[Path, str]:
    return {root / f"org-{i % 3}" / "2026-Q4" / f"f{i:04d}.yaml": f"n: {i}\n" for i in range(n)}


def test_multi_file_writes_are_all_or_nothing_when_they_succeed(tmp_path: Path) -> None:
    root = tmp_path / "audits"
    files = batch(root, 30)
    write_all(root, files, folders=[root / "empty"])
    assert all(path.read_text() == content for path, content in files.items())
    assert (root / "empty").is_dir()
    assert not any(p.name.startswith(BATCH_PREFIX) for p in root.iterdir())
    with pytest.raises(InputError, match="exists already; nothing was written"):
        write_all(root, {root / "new.yaml": "x", **dict([next(iter(files.items()))])})
    assert not (root / "new.yaml").exists()


@pytest.mark.parametrize("stop", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_multi_file_writes_are_all_or_nothing_under_a_full_disk_and_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: BaseException
) -> None:
    import carecheck.fs as fs_module

    root = tmp_path / "new" / "audits"  # folders made for the batch go too
    real = os.write
    calls: list[int] = []

    def failing(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 7:
            raise stop
        return real(fd, data)

    monkeypatch.setattr(fs_module.os, "write", failing)
    with pytest.raises(InputError if isinstance(stop, OSError) else KeyboardInterrupt):
        write_all(root, batch(root, 20))
    monkeypatch.setattr(fs_module.os, "write", real)
    assert len(calls) == 7
    assert everything(tmp_path) == []


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from carecheck.fs import write_all
    root = Path(sys.argv[1])
    print("go", flush=True)
    write_all(root, {root / f"org-{i % 3}" / f"f{i:04d}.yaml": f"n: {i}\\n" * 50 for i in range(int(sys.argv[2]))})
    print("done", flush=True)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_multi_file_writes_are_all_or_nothing_under_kill_9_and_a_rerun_completes(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    n = 400
    for run in range(8):
        root = tmp_path / f"run{run}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(root), str(n)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        where = f"(seed {seed}, run {run})"
        visible = [p for p in root.rglob("*.yaml") if not any(part.startswith(".") for part in p.parts)]
        recover_batches(root)  # what the next import, init or collect does first
        after = sorted(root.rglob("*.yaml")) if root.exists() else []
        assert len(after) in (0, n), where
        assert len(visible) <= len(after) or not after, where
        assert not list(root.glob(f"{BATCH_PREFIX}*")) if root.exists() else True, where
        assert not [p for p in (root.rglob("*.tmp") if root.exists() else [])], where
        if not after:  # the rerun completes
            subprocess.run([sys.executable, "-c", WRITER, str(root), str(n)], check=True, capture_output=True)
        assert len(list(root.rglob("*.yaml"))) == n, where


# ---------------------------------------------------------------------------------------------------
# No output replaces an input or a record


def test_no_output_replaces_an_input_or_a_record(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("carecheck-plan: 1\n")
    record = tmp_path / "elsewhere" / "old.yaml"
    record.parent.mkdir()
    record.write_text("# an earlier audit\ncarecheck-answers: 1\n")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "report.txt.j2").write_text("x")
    link = tmp_path / "to-plan.yaml"
    link.symlink_to(plan)
    cases = {
        plan: "which this run reads",
        link: "which this run reads",  # through a symlink too
        record: "the answer file",  # an audit record, read or not
        templates / "report.txt.j2": "which this run reads",
    }
    for output, message in cases.items():
        with pytest.raises(UsageError, match=message):
            refuse_replacing([output], [plan, templates])
    refuse_replacing([tmp_path / "report.txt", templates / "report.txt", None], [plan, templates])


def test_no_output_replaces_an_input_or_a_record_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    dangling = tmp_path / "out.html"
    dangling.symlink_to(tmp_path / "deep" / "tree" / "report.html")
    with pytest.raises(UsageError, match="is a symlink to nothing"):
        refuse_replacing([dangling], [])
    assert not (tmp_path / "deep").exists()
