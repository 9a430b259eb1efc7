"""carecheck against its references and peers, whole processes, in one run: `benchmarks/run`.

Every figure is a ratio to a reference measured in the same run on the same inputs, so the table
means the same on a fast or a slow machine: `python -c "import click"` for start-up, the bare
CSafeLoader parse of the same files for the bulk commands, yamllint and check-jsonschema (with the
exported JSON Schema) as the peers a CI job could pick instead. The inputs are generated,
deterministically, into a temporary folder (or --dir). Times are medians of --repeat runs; peak
memory is the process's own maximum resident set size (os.wait4).

Run: benchmarks/run [--repeat 5] [--scale 1.0] [--peers-at-scale] [--dir FOLDER]
(--scale 0.1 runs every case on a tenth of the files, for a quick look; the targets hold at 1.0.)
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bench_report
import bench_validate

HERE = Path(__file__).resolve().parent
PY = sys.executable
BIN = Path(PY).parent


@dataclass
class Sample:
    seconds: float
    rss_mb: float


@dataclass
class Row:
    case: str
    value: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


def tool(name: str) -> str | None:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


def run_once(cmd: Sequence[str], cwd: Path, stdin: bytes | None = None) -> Sample:
    """One whole process: wall time and its own peak RSS; a failure to start is a failed benchmark."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "CI": "true", "NO_COLOR": "1"},
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            tail = err.read()[-600:].decode(errors="replace")
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")
    return Sample(elapsed, usage.ru_maxrss / 1024)


def median(cmd: Sequence[str], cwd: Path, repeat: int, stdin: bytes | None = None) -> Sample:
    run_once(cmd, cwd, stdin)  # warm the page cache and the .pyc files
    samples = [run_once(cmd, cwd, stdin) for _ in range(repeat)]
    return Sample(statistics.median(s.seconds for s in samples), max(s.rss_mb for s in samples))


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio_row(case: str, got: Sample, ref: Sample, ref_name: str, limit: float | None, note: str = "") -> Row:
    ratio = got.seconds / ref.seconds
    return Row(
        case,
        fmt(got.seconds),
        f"{ref_name} {fmt(ref.seconds)}",
        ratio,
        f"<= {limit:g}x" if limit is not None else "",
        None if limit is None else ratio <= limit,
        note,
    )


# ---------------------------------------------------------------------------------------------------
# Inputs


PARSE = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def write_checklists(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"checklist-{n:05d}.yaml").write_text(bench_validate.checklist_text(n), encoding="utf-8")
    return folder


def write_answers(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    for n in range(count):
        (folder / f"answers-{n:05d}.yaml").write_text(bench_report.answer_text(n, rng), encoding="utf-8")
    return folder


def write_organisations(folder: Path, organisations: int, audits: Sequence[str], respondents: int) -> Path:
    """An audits folder: <org>/<audit>/<respondent>.yaml, each organisation with its own name."""
    rng = random.Random(organisations)
    for o in range(organisations):
        for audit in audits:
            target = folder / f"org-{o:04d}" / audit
            target.mkdir(parents=True, exist_ok=True)
            for r in range(respondents):
                text = bench_report.answer_text(r, rng)
                text = text.replace("Benchmark Ltd", f"Client {o:04d}").replace("2026-Q3", audit)
                (target / f"bench--person-{r}.yaml").write_text(text, encoding="utf-8")
    return folder


def survey_csv(rows: int) -> str:
    """A survey export for the benchmark checklist: one row per respondent, every question a column."""
    rng = random.Random(rows)
    ids = [f"q-{s}-{q}" for s in range(bench_report.SECTIONS) for q in range(bench_report.PER_SECTION)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "role", "organisation", "date", *ids])
    for n in range(rows):
        cells = []
        for q in range(len(ids)):
            kind = q % bench_report.PER_SECTION % 4
            values = bench_report.VALUES.get(kind)
            cells.append(rng.choice(values) if values else str(rng.randint(1, 30)))
        role = bench_report.ROLES[n % len(bench_report.ROLES)]
        writer.writerow([f"Person {n}", role, "Benchmark Ltd", "2026-09-01", *cells])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------
# Cases


class Bench:
    def __init__(self, root: Path, repeat: int, scale: float, peers_at_scale: bool) -> None:
        self.root, self.repeat, self.scale, self.peers_at_scale = root, repeat, scale, peers_at_scale
        self.carecheck = tool("carecheck") or "carecheck"
        # as pip leaves a wheel install: compiled, so no case pays for compiling carecheck's source (an
        # editable install under PYTHONDONTWRITEBYTECODE=1 would compile it again in every process)
        package = subprocess.run(
            [PY, "-c", "import carecheck, os; print(os.path.dirname(carecheck.__file__))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        subprocess.run([PY, "-m", "compileall", "-q", package], check=True, stdout=subprocess.DEVNULL)
        self.rows: list[Row] = []
        self.jobs = (
            "--jobs"
            in subprocess.run(
                [self.carecheck, "validate", "--help"], capture_output=True, text=True, check=False
            ).stdout
        )
        self.checklist = root / "checklists" / "bench.yaml"  # found by id from the working folder too
        self.checklist.parent.mkdir()
        self.checklist.write_text(bench_report.checklist_text(), encoding="utf-8")

    def n(self, count: int) -> int:
        return max(10, int(count * self.scale))

    def cc(self, *args: str) -> list[str]:
        return [self.carecheck, *args]

    def time(self, cmd: Sequence[str], stdin: bytes | None = None, repeat: int | None = None) -> Sample:
        return median(cmd, self.root, repeat or self.repeat, stdin)

    def parse(self, folder: Path) -> Sample:
        return self.time([PY, "-c", PARSE, str(folder)])

    def startup(self) -> None:
        click = self.time([PY, "-c", "import click"])
        for args, label in ((["--version"], "--version"), (["--help"], "--help")):
            self.rows.append(ratio_row(label, self.time(self.cc(*args)), click, "import click", 1.5))
        schema = self.root / "schema.json"
        subprocess.run(self.cc("schema", "-o", str(schema)), check=True, cwd=self.root)
        for name, size in (("care-essentials", "small"), ("care-full", "large")):
            path = self.root / f"{name}.yaml"
            shutil.copyfile(HERE.parent / "checklists" / f"{name}.yaml", path)
            ours = self.time(self.cc("validate", str(path)))
            limit = 3.0 if size == "small" else None
            self.rows.append(ratio_row(f"validate one {size} checklist ({name})", ours, click, "import click", limit))
            self.peers(f"validate one {size} checklist", ours, [str(path)], schema, 0.5 if size == "small" else None)

    def peers(self, case: str, ours: Sample, files: list[str], schema: Path, limit: float | None) -> None:
        yamllint = tool("yamllint")
        if yamllint:
            self.rows.append(ratio_row(case, ours, self.time([yamllint, *files]), "yamllint", limit))
        checker = tool("check-jsonschema")
        if checker:
            got = self.time([checker, "--schemafile", str(schema), *files])
            self.rows.append(ratio_row(case, ours, got, "check-jsonschema", limit))

    def bulk(
        self, label: str, folder: Path, commands: dict[str, list[str]], limits: dict[str, float | None]
    ) -> dict[str, Sample]:
        parse = self.parse(folder)
        results = {}
        for name, cmd in commands.items():
            results[name] = got = self.time(cmd, repeat=max(1, self.repeat // 2))
            note = f"peak RSS {got.rss_mb:.0f} MB"
            self.rows.append(ratio_row(f"{label}: {name}", got, parse, "bare parse", limits.get(name), note))
        return results

    def validate_many(self) -> None:
        schema = self.root / "schema.json"
        for first, count in ((True, self.n(1000)), (False, self.n(10_000))):
            folder = write_checklists(self.root / f"checklists-{count}", count)
            commands = {"validate": self.cc("validate", "-q", str(folder))}
            limits: dict[str, float | None] = {"validate": 2.0}
            if self.jobs:
                commands = {
                    "validate (all cores)": self.cc("validate", "-q", str(folder)),
                    "validate --jobs 1": self.cc("validate", "-q", "--jobs", "1", str(folder)),
                }
                limits = {"validate (all cores)": 1.2, "validate --jobs 1": 2.0}
            got = self.bulk(f"{count:,} checklists", folder, commands, limits)
            if first or self.peers_at_scale:
                files = sorted(str(p) for p in folder.glob("*.yaml"))
                self.peers(f"{count:,} checklists: validate", next(iter(got.values())), files, schema, None)

    def report_many(self) -> None:
        whole: dict[int, Sample] = {}
        for count in (self.n(1000), self.n(10_000)):
            folder = write_answers(self.root / f"answers-{count}", count)
            base = ["report", "--checklist", str(self.checklist), str(folder), "-q"]
            commands = {
                "report html": self.cc(*base, "-o", str(self.root / "r.html")),
                "report json": self.cc(*base, "-o", str(self.root / "r.json")),
            }
            limits: dict[str, float | None] = {
                "report html": 2.0 if count == self.n(1000) else 1.2,
                "report json": None,
            }
            if self.jobs:
                commands["report html --jobs 1"] = self.cc(*base, "--jobs", "1", "-o", str(self.root / "r1.html"))
                limits["report html --jobs 1"] = 2.0
            got = self.bulk(f"{count:,} answer files", folder, commands, limits)
            whole[count] = got["report html"]
        small, large = sorted(whole)
        growth = whole[large].seconds / whole[small].seconds
        limit = 10.5 * large / small / 10
        self.rows.append(
            Row(
                f"report html {large:,} / {small:,}",
                f"{growth:.2f}",
                "linear: 10",
                growth,
                f"<= {limit:g}",
                growth <= limit,
            )
        )
        rss = whole[large].rss_mb
        self.rows.append(
            Row(
                f"report html {large:,}: peak RSS", f"{rss:.0f} MB", "", None, "<= 100 MB", rss <= 100 or self.scale < 1
            )
        )

    def organisations(self) -> None:
        count = self.n(100)
        folder = write_organisations(self.root / "by-org", count, ["2026-Q3"], 5)
        single = write_answers(self.root / "single-org", count * 5)
        base = ["report", "--checklist", str(self.checklist), "-q"]
        one = self.time(self.cc(*base, str(single), "-o", str(self.root / "one.html")), repeat=max(1, self.repeat // 2))
        by = self.time(
            self.cc(*base, str(folder), "--by", "organisation", "-o", str(self.root / "out" / "{organisation}.html")),
            repeat=max(1, self.repeat // 2),
        )
        added = by.seconds - one.seconds
        self.rows.append(
            Row(
                f"report --by organisation, {count} organisations",
                fmt(by.seconds),
                f"one report of the same {count * 5:,} files {fmt(one.seconds)}",
                by.seconds / one.seconds,
                "adds <= 2 s",
                added <= 2.0,
                f"adds {added:.2f} s",
            )
        )

    def archive(self) -> None:
        count = self.n(1000)
        folder = write_organisations(self.root / "archive", count, ["2026-Q2", "2026-Q3"], 2)
        latest = folder / "org-0007" / "2026-Q3"
        base = ["report", "--checklist", str(self.checklist), "-q", "-o", str(self.root / "b.html")]
        plain = self.time(self.cc(*base, str(latest)))
        auto = self.time(self.cc(*base, str(latest), "--baseline", "auto"))
        self.rows.append(
            ratio_row(f"report --baseline auto in {count:,} organisations", auto, plain, "report alone", None)
        )
        parse = self.parse(folder)
        history = self.time(
            self.cc("history", str(folder), "-o", str(self.root / "h.md")), repeat=max(1, self.repeat // 2)
        )
        self.rows.append(ratio_row(f"history over {count:,} organisations", history, parse, "bare parse", None))

    def portfolio(self) -> None:
        count = self.n(1000)
        audits = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
        folder = write_organisations(self.root / "portfolio", count, audits, 5)
        parse = self.parse(folder)
        got = self.time(self.cc("portfolio", str(folder), "-o", str(self.root / "p.html")), repeat=1)
        row = ratio_row(f"portfolio, {count:,} organisations x 4 audits x 5", got, parse, "bare parse", None)
        row.target, row.met = "< 60 s", got.seconds < 60
        row.note = f"peak RSS {got.rss_mb:.0f} MB"
        self.rows.append(row)

    def render_again(self) -> None:
        script = (
            "import time, datetime\n"
            "from carecheck.catalog.loading import Catalog, load_answer_file\n"
            "from carecheck.render.report import ReportOptions, render_report\n"
            "from carecheck.scoring.score import score\n"
            "import sys, pathlib\n"
            "folder = pathlib.Path(sys.argv[1])\n"
            "checklist = Catalog().load(sys.argv[2]).checklist\n"
            "files = [load_answer_file(p)[1] for p in sorted(folder.glob('*.yaml'))[:5]]\n"
            "options = ReportOptions(generated=datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc))\n"
            "card = score(checklist, files)\n"
            "t = time.perf_counter(); render_report(card, 'html', options); first = time.perf_counter() - t\n"
            "again = []\n"
            "for _ in range(20):\n"
            "    t = time.perf_counter(); render_report(card, 'html', options)\n"
            "    again.append(time.perf_counter() - t)\n"
            "again.sort(); print(first, again[len(again) // 2])\n"
        )
        folder = write_answers(self.root / "render", 5)
        cold = self.root / "render-tmp"  # a temporary folder of its own: jinja2's bytecode cache starts empty
        cold.mkdir(exist_ok=True)

        def run() -> list[float]:
            command = [PY, "-c", script, str(folder), str(self.checklist)]
            env = {**os.environ, "TMPDIR": str(cold)}
            done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=self.root, env=env)
            return [float(x) for x in done.stdout.split()]

        compiled = run()[0]  # every template compiled from source (and the cache written)
        first, again = run()  # the built-ins' compiled code from the cache, as in every later run
        self.rows.append(
            Row(
                "one more render in the same process",
                f"{again * 1000:.1f} ms",
                f"first render {fmt(first)} (compiling {fmt(compiled)})",
                again / first,
                "<= 10 ms",
                again <= 0.010,
            )
        )

    def interview(self) -> None:
        out = subprocess.run(
            [PY, str(HERE / "bench_audit.py"), "--questions", "200"],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.root,
        ).stdout
        found = re.search(r"next question:\s*median ([\d.]+) ms", out)
        save = re.search(r"autosave alone.*median ([\d.]+) ms", out)
        if not found:
            self.rows.append(
                Row(
                    "interview step (200 questions)",
                    "?",
                    "",
                    None,
                    "<= 30 ms",
                    None,
                    "bench_audit.py printed no median",
                )
            )
            return
        step = float(found.group(1))
        ref = f"autosave alone {save.group(1)} ms" if save else ""
        self.rows.append(
            Row("interview step, answer to next question", f"{step:.1f} ms", ref, None, "<= 30 ms", step <= 30)
        )

    def survey_import(self) -> None:
        rows = self.n(10_000)
        source = self.root / "survey.csv"
        source.write_text(survey_csv(rows), encoding="utf-8")
        parse = self.time([PY, "-c", "import csv,sys; list(csv.reader(open(sys.argv[1], newline='')))", str(source)])
        # each run into a folder of its own, all removed after the last: removing 10,000 files just
        # before a run would time the file system's discards of them, not the import
        targets = [self.root / f"imported-{run}" for run in range(max(1, min(3, self.repeat)))]

        def command(target: Path) -> list[str]:
            return self.cc(
                "import", str(source), "--checklist", str(self.checklist), "--dir", str(target), "--audit", "2026-Q3"
            )

        times = [run_once(command(target), self.root) for target in targets]
        again = self.time(command(targets[0]))  # every row already there: each file read, none written
        for target in targets:
            shutil.rmtree(target, ignore_errors=True)
        got = Sample(statistics.median(t.seconds for t in times), max(t.rss_mb for t in times))
        row = ratio_row(f"import {rows:,} survey rows", got, parse, "csv parse", None)
        row.target, row.met = "<= 10 s", got.seconds <= 10
        self.rows.append(row)
        self.rows.append(ratio_row(f"import the same {rows:,} rows again", again, got, "first import", None))


def versions() -> str:
    names = ["carecheck", "click", "pyyaml", "jinja2", "pydantic", "yamllint", "check-jsonschema"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def table(rows: list[Row]) -> str:
    head = ("case", "carecheck", "reference", "ratio", "target", "met")
    body = [
        (
            r.case,
            r.value + (f" ({r.note})" if r.note else ""),
            r.reference,
            "" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            "" if r.met is None else ("met" if r.met else "NOT MET"),
        )
        for r in rows
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


CASES: dict[str, Callable[[Bench], None]] = {
    "startup": Bench.startup,
    "validate": Bench.validate_many,
    "report": Bench.report_many,
    "by-organisation": Bench.organisations,
    "archive": Bench.archive,
    "portfolio": Bench.portfolio,
    "render": Bench.render_again,
    "interview": Bench.interview,
    "import": Bench.survey_import,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the file counts (0.1: a quick look)")
    parser.add_argument(
        "--peers-at-scale", action="store_true", help="run yamllint and check-jsonschema on 10,000 files too"
    )
    parser.add_argument("--only", choices=sorted(CASES), action="append", help="run only these cases")
    parser.add_argument("--dir", type=Path, help="where the generated inputs go (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        bench = Bench(Path(tmp), args.repeat, args.scale, args.peers_at_scale)
        for name in args.only or list(CASES):
            print(f"... {name}", file=sys.stderr, flush=True)
            CASES[name](bench)
    print(f"carecheck benchmarks, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )
    print(f"versions: {versions()}")
    print(f"scale {args.scale:g}, medians of {args.repeat} runs\n")
    print(table(bench.rows))
    missed = [r.case for r in bench.rows if r.met is False]
    print(f"\n{len(bench.rows) - len(missed)} of {len(bench.rows)} rows met or informational; not met: {len(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
