"""The `carecheck-validate` pre-commit hook, run by pre-commit itself in a throw-away git repository.

pre-commit installs a `language: python` hook by pip-installing its repository, which needs the
package index; tests run offline. So the test reads the hook from .pre-commit-hooks.yaml (its
entry, file types and arguments are what is under test) and declares it as a local hook that runs
the carecheck installed with the tests. The manifest itself is checked with pre-commit's own schema.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _carecheck_executable() -> str:
    found = shutil.which("carecheck", path=str(Path(sys.executable).parent)) or shutil.which("carecheck")
    assert found, "the carecheck console script is not installed"
    return found


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_the_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "carecheck-validate"
    assert hook["language"] == "python" and hook["types"] == ["yaml"]
    assert hook["entry"].split()[:2] == ["carecheck", "validate"]


def test_the_hook_fails_on_a_broken_checklist_and_passes_when_it_is_fixed(tmp_path: Path) -> None:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    entry = hook["entry"].split()
    local = {
        **{k: v for k, v in hook.items() if k not in ("language", "entry", "minimum_pre_commit_version")},
        "entry": " ".join([_carecheck_executable(), *entry[1:]]),
        "language": "system",
    }
    repo = tmp_path / "repo"
    (repo / "checklists").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}), encoding="utf-8"
    )
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    good = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    checklist = repo / "checklists" / "minimal.yaml"
    checklist.write_text(good.replace("title: Minimal checklist", "titel: Minimal checklist"), encoding="utf-8")

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))},
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }
    assert _git(repo, "init", "-q", env=env).returncode == 0
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert install.returncode == 0, install.stdout + install.stderr
    _git(repo, "add", "-A", env=env)

    broken = _git(repo, "commit", "-qm", "a broken checklist", env=env)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output
    assert "carecheck validate" in output and "Failed" in output
    assert "checklists/minimal.yaml:3:1: CC008 unknown key 'titel' (did you mean 'title'?)" in output
    assert "ci.yml" not in output  # other YAML is skipped, not an error

    checklist.write_text(good, encoding="utf-8")
    _git(repo, "add", "-A", env=env)
    fixed = _git(repo, "commit", "-qm", "the checklist, fixed", env=env)
    output = fixed.stdout + fixed.stderr
    assert fixed.returncode == 0, output
    assert "carecheck validate" in output and "Passed" in output
