"""fs: atomic writes that refuse what is not a regular file, follow symlinks, keep modes, report the OS's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.errors import InputError


def test_write_atomic_refuses_devices_and_folders(tmp_path: Path) -> None:
    from carecheck.fs import write_atomic

    for target in (Path("/dev/null"), tmp_path):
        with pytest.raises(InputError, match="not a regular file"):
            write_atomic(target, "x")


def test_write_atomic_writes_through_symlinks_and_keeps_modes(tmp_path: Path) -> None:
    from carecheck.fs import write_atomic

    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert real.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.txt"
    write_atomic(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_write_atomic_reports_what_the_os_refuses(tmp_path: Path) -> None:
    from carecheck.fs import write_atomic

    (tmp_path / "afile").write_text("")
    with pytest.raises(InputError, match="cannot write") as info:
        write_atomic(tmp_path / "afile" / "report.txt", "x")
    assert info.value.exit_code == 2
