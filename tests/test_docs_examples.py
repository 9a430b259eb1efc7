"""Every carecheck file the README and docs/ show is valid: `carecheck validate` passes on each example.

A fenced ```yaml block is a carecheck file when its first key says so (`carecheck: 1`,
`carecheck-answers: 1`, `carecheck-plan: 1`, `carecheck-config: 1`); other blocks, and
a block of that first key alone, are fragments of one and are left out. An answer file is validated beside the checklist
examples of the same page, a configuration beside what it names.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```yaml\n(.*?)^```", flags=re.S | re.M)
FIRST_KEY = re.compile(r"(carecheck|carecheck-answers|carecheck-plan|carecheck-config):\s*\d")
FIXED_DAY = "1780000000"  # 2026-05-28: waivers in the examples expire later


def examples(document: Path) -> list[tuple[int, str, str]]:
    """The carecheck files of a page: (line, first key, text)."""
    text = document.read_text(encoding="utf-8")
    found = []
    for block in BLOCK.finditer(text):
        body = block.group(1)
        first = next((line for line in body.splitlines() if line.strip() and not line.startswith("#")), "")
        kind = FIRST_KEY.match(first)
        if kind and body.strip().splitlines()[-1] != first:  # a block of the first key alone shows that key
            found.append((text[: block.start()].count("\n") + 2, kind.group(1), body))
    return found


EXAMPLES = [
    pytest.param(document, line, kind, body, id=f"{document.name}:{line}")
    for document in DOCUMENTS
    for line, kind, body in examples(document)
]


def test_the_pages_show_every_kind_of_carecheck_file() -> None:
    assert {kind for *_, kind, _ in (p.values for p in EXAMPLES)} == {
        "carecheck",
        "carecheck-answers",
        "carecheck-plan",
        "carecheck-config",
    }


def _id(body: str) -> str | None:
    """A checklist's id, or the id of the checklist an answer file answers."""
    found = re.search(r"^(?:id:|checklist: *\{ *id:) *([\w.-]+)", body, flags=re.M)
    return found.group(1) if found else None


def _place(folder: Path, document: Path, kind: str, body: str) -> Path:
    """Write one example where it is valid as the page means it; return the path to validate."""
    if kind == "carecheck-answers":  # its checklist is an example of the same page, found by id
        wanted = _id(body)
        for _, other_kind, other in examples(document):
            if other_kind == "carecheck" and _id(other) == wanted:
                (folder / f"{wanted}.yaml").write_text(other, encoding="utf-8")
    if kind == "carecheck-config":  # the folders and files it names, the plan being the page's own example
        config = yaml.safe_load(body)
        for key in ("audits", "templates"):
            (folder / config[key]).mkdir(parents=True, exist_ok=True)
        for name in config["checklists"]:
            (folder / name).mkdir(parents=True, exist_ok=True)
        plan = next(text for _, other_kind, text in examples(document) if other_kind == "carecheck-plan")
        (folder / config["plan"]).write_text(plan, encoding="utf-8")
        logo = folder / config["branding"]["logo"]
        logo.parent.mkdir(parents=True, exist_ok=True)
        logo.write_bytes(PNG)
        (folder / "carecheck.yaml").write_text(body, encoding="utf-8")
        return folder / "carecheck.yaml"
    path = folder / "example.yaml"
    path.write_text(body, encoding="utf-8")
    return path


# the smallest valid PNG: one transparent pixel
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


@pytest.mark.parametrize(("document", "line", "kind", "body"), EXAMPLES)
def test_every_example_validates(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, document: Path, line: int, kind: str, body: str
) -> None:
    folder = tmp_path / "project" / "example"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    path = _place(folder, document, kind, body)
    result = run("validate", "--strict", str(path), env={"SOURCE_DATE_EPOCH": FIXED_DAY})
    where = f"{document.relative_to(ROOT)}:{line}"
    assert result.exit_code == 0, f"the example at {where} does not validate:\n{result.output}"


def test_the_readme_counts_the_example_staff_and_keeps_the_readers_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"\((\w+) staff answered in (\S+), (\w+) in (\S+)\)", readme)
    assert said, "the README says how many staff answered each quarter of the example"
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    example = ROOT / "examples" / "audits" / "ardley-home-supplies"
    for number, quarter in (said.group(1, 2), said.group(3, 4)):
        assert words[number] == len(list((example / quarter).glob("*.yaml"))), quarter
    # the example's report must not overwrite the report.html of the reader's own audit
    assert not re.search(r"carecheck report examples/\S+.*-o report\.html", readme)
