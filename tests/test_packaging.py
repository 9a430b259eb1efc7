"""The installed package (a wheel in CI, not only an editable install) ships the built-in data."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest


def _installed_files() -> list[str]:
    return [str(f) for f in distribution("carecheck").files or ()]


def test_wheel_ships_checklists_and_templates() -> None:
    files = _installed_files()
    if not any(f.startswith("carecheck/cli/main.py") for f in files):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test a non-editable install of carecheck")
        pytest.skip("editable install: the wheel's contents are checked in CI")
    assert "carecheck/checklists/care-essentials.yaml" in files
    assert "carecheck/checklists/care-full.yaml" in files
    assert any(f.startswith("carecheck/templates/") for f in files)
    assert "carecheck/templates/form.js" in files and "carecheck/templates/form.css" in files  # export's form


def test_builtins_are_found_from_another_folder(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "carecheck", "list"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "care-essentials" in proc.stdout and "built-in" in proc.stdout
