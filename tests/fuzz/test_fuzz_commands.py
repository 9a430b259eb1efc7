"""Fuzzing every command in process: mutated checklists, answer files, plans, configs and survey CSVs.

The property (issue 18): whatever the input, a command exits 0, 1 or 2, says why on stderr when it is not 0,
prints no traceback and ends in under 10 s. Each kind of file gets EXAMPLES examples in the normal run
(five kinds: 2,000 in all); `python benchmarks/fuzz.py` runs 10,000 or more on demand (CARECHECK_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecheck.cli.main import cli

FIXTURES = Path(__file__).parents[1] / "fixtures"
CHECKLIST = FIXTURES / "report" / "service-basics.yaml"
EXAMPLES = int(os.environ.get("CARECHECK_FUZZ_EXAMPLES", "400"))
"""Examples per kind of file (five kinds)."""
LIMIT_SECONDS = 10.0

SEEDS: dict[str, list[bytes]] = {
    "checklist": [CHECKLIST.read_bytes(), (FIXTURES / "minimal.yaml").read_bytes()],
    "answers": [(FIXTURES / "report" / n).read_bytes() for n in ("acme-jo.yaml", "acme-sam.yaml")],
    "plan": [(FIXTURES / "plans" / n).read_bytes() for n in ("acme.yaml", "good.yaml")],
    "config": [
        b"carecheck-config: 1\naudits: audits\ntemplates: tpl\nchecklist: service-basics\nchecklists: [lists]\n"
        b"plan: plan.yaml\nbranding: {name: Acme, logo: logo.png, accent: '#123456'}\n"
        b"gates: {fail_under: {overall: 30, contact: 20}, fail_on: critical}\nlint: {CC112: 'off'}\n"
    ],
    "csv": [
        b"name,organisation,role,date,published-standards,has-email,email-reply-hours,trained\n"
        b"Jo Smith,Acme,management,2026-09-01,partial,yes,9,unknown\nSam Lee,Acme,front-line,2026-09-02,no,no,,2\n"
    ],
}

# What a hostile or careless author puts in a file: YAML syntax, aliases and tags, huge or odd numbers and
# dates, control, bidi and non-UTF-8 bytes, CSV quoting, long names and path tricks.
TOKENS = [
    b"&a ",
    b"*a",
    b"&a [*a]",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"<<: *a",
    b"? ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"- ",
    b": ",
    b"\n  ",
    b"\n",
    b"\t",
    b"#",
    b"'",
    b'"',
    b"\\",
    b"~",
    b"null",
    b"yes",
    b"no",
    b"0x10",
    b"08",
    b"nan",
    b".nan",
    b".inf",
    b"-.inf",
    b"1e999",
    b"-0",
    b"99999999999999999999",
    b"0001-01-01T00:00:00+01:00",
    b"9999-12-31T23:59:59-01:00",
    b"2026-02-30",
    b"\x00",
    b"\x1b]0;x\x07",
    b"\xe2\x80\xae",
    b"\xff\xfe",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r\n",
    b",",
    b";",
    b'"a""b',
    b"=cmd|' /C calc'!A0",
    b"a" * 300,
    b"../" * 5,
    b"/etc/passwd",
    b"/dev/zero",
    b"p\\0.yaml",
    b"{{ cycler.__init__.__globals__ }}",
    b"<script>",
    b"`",
    b"|",
    b">-",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
]


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    """A seed of `kind` with a few random edits: insert a token, delete, duplicate or swap a span."""
    data = bytearray(draw(st.sampled_from(SEEDS[kind])))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "delete", "duplicate", "byte"]))
        if edit == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(1, 3))
        else:
            data[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


def _check(result: Any, args: list[str], took: float) -> None:
    where = f"carecheck {' '.join(args)}"
    assert result.exit_code in (0, 1, 2), f"{where}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output, where
    if result.exit_code:
        assert result.stderr.strip() or result.stdout.strip(), f"{where}: no message"
    assert took < LIMIT_SECONDS, f"{where}: {took:.1f} s"


def _run_all(kind: str, data: bytes, commands: Callable[[Path, Path], list[list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        name = {"csv": "survey.csv", "config": "carecheck.yaml"}.get(kind, "file.yaml")
        target = root / name
        target.write_bytes(data)
        (root / "service-basics.yaml").write_bytes(CHECKLIST.read_bytes())
        runner = CliRunner()
        cwd = os.getcwd()
        os.chdir(root)
        try:
            for args in commands(root, target):
                start = time.monotonic()
                result = runner.invoke(cli, args, catch_exceptions=False, env={"XDG_CACHE_HOME": str(root / "c")})
                _check(result, args, time.monotonic() - start)
        finally:
            os.chdir(cwd)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FUZZ
@given(mutated("checklist"))
def test_fuzz_checklists_through_validate_show_and_report(data: bytes) -> None:
    answers = (FIXTURES / "report" / "acme-jo.yaml").resolve()
    _run_all(
        "checklist",
        data,
        lambda root, f: [["validate", str(f)], ["show", str(f)], ["report", str(answers), "--checklist", str(f)]],
    )


@FUZZ
@given(mutated("answers"))
def test_fuzz_answer_files_through_validate_report_and_history(data: bytes) -> None:
    _run_all(
        "answers",
        data,
        lambda root, f: [
            ["validate", str(f)],
            ["report", str(f), "--checklist", "service-basics.yaml", "--format", "md"],
            ["history", str(root), "--format", "json"],
        ],
    )


@FUZZ
@given(mutated("plan"))
def test_fuzz_plans_through_validate_and_report(data: bytes) -> None:
    answers = (FIXTURES / "report" / "acme-jo.yaml").resolve()
    _run_all(
        "plan",
        data,
        lambda root, f: [
            ["validate", str(f)],
            ["report", str(answers), "--checklist", "service-basics.yaml", "--plan", str(f), "--format", "json"],
        ],
    )


@FUZZ
@given(mutated("config"))
def test_fuzz_configs_through_every_command_that_reads_them(data: bytes) -> None:
    answers = (FIXTURES / "report" / "acme-jo.yaml").resolve()
    _run_all(
        "config",
        data,
        lambda root, f: [["validate", str(f)], ["config"], ["list"], ["report", str(answers)], ["history"]],
    )


@FUZZ
@given(mutated("csv"))
def test_fuzz_survey_csvs_through_import(data: bytes) -> None:
    _run_all(
        "csv",
        data,
        lambda root, f: [["import", str(f), "--checklist", "service-basics.yaml", "--dry-run"]],
    )
