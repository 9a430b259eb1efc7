"""Benchmark: `carecheck report` (score + HTML) over many answer files of a 60-question checklist.

Prints, measured in the same run (in-process, best of several runs):
- the time to load the 1,000 answer files alone (read, YAML, models): the reference;
- the time to score them and render the HTML report, and the whole report (load, check, score,
  render) as a ratio to loading alone (target <= 3);
- the whole report over 10,000 files against 1,000 (target <= 11: linear).

Run: python benchmarks/bench_report.py [--files N] [--scale 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from carecheck.catalog.loading import AnswerStream, Catalog, load_answer_file
from carecheck.format.model import AnswerFile
from carecheck.render.report import ReportOptions, render_report
from carecheck.scoring.score import score

SECTIONS, PER_SECTION = 6, 10
ANSWER_SETS = ["yes-no", "yes-partial-no", "maturity", "{type: number, unit: hours, good: 4, poor: 24}"]
VALUES = {0: ["yes", "no", "na"], 1: ["yes", "partial", "no", "unknown"], 2: ["0", "1", "2", "3", "4"]}
ROLES = ["front-line", "management", "back-office", "leadership"]


def checklist_text() -> str:
    lines = ["carecheck: 1", "id: bench", "title: Benchmark checklist", 'version: "1.0"', "sections:"]
    for s in range(SECTIONS):
        lines += [f"  - id: section-{s}", f"    title: Section {s}", f"    weight: {1 + s % 2}", "    target: 70"]
        lines.append("    questions:")
        for q in range(PER_SECTION):
            lines += [
                f"      - id: q-{s}-{q}",
                f"        text: Is practice {s}.{q} in place and followed by everyone who serves customers?",
                f"        answers: {ANSWER_SETS[q % 4]}",
                f"        weight: {1 + q % 3}",
                f"        critical: {'true' if q == 0 else 'false'}",
                f"        effort: {['low', 'medium', 'high'][q % 3]}",
                "        recommendation: Write it down, train the team and check it every quarter.",
            ]
    return "\n".join(lines) + "\n"


def answer_text(n: int, rng: random.Random) -> str:
    lines = [
        "carecheck-answers: 1",
        'checklist: {id: bench, version: "1.0"}',
        "organisation: Benchmark Ltd",
        "audit: 2026-Q3",
        f"respondent: {{name: Person {n}, role: {ROLES[n % len(ROLES)]}}}",
        "started: 2026-09-01T10:00:00Z",
        "completed: 2026-09-01T10:40:00Z",
        "answers:",
    ]
    for s in range(SECTIONS):
        for q in range(PER_SECTION):
            kind = q % 4
            value = rng.choice(VALUES[kind]) if kind in VALUES else f"{rng.randint(1, 30)}"
            note = f", note: Seen in the weekly review (item {rng.randint(1, 99)})" if rng.random() < 0.2 else ""
            lines.append(f"  q-{s}-{q}: {{value: {value}{note}}}")
    return "\n".join(lines) + "\n"


def make_files(folder: Path, count: int) -> list[Path]:
    rng = random.Random(count)
    (folder / "bench.yaml").write_text(checklist_text(), encoding="utf-8")
    paths = []
    for n in range(count):
        path = folder / f"answers-{n:05d}.yaml"
        path.write_text(answer_text(n, rng), encoding="utf-8")
        paths.append(path)
    return paths


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(paths: list[Path], repeat: int, *, whole_only: bool = False) -> tuple[float, float, float]:
    """(load alone, score + render, the whole report) in seconds; with `whole_only`, only the last.

    The whole report is timed first, while nothing else is held in memory: a list of thousands of
    loaded files kept alive would slow every later garbage collection and blur the comparison.
    """
    options = ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc))

    def whole() -> object:
        stream = AnswerStream(((p, True) for p in paths), Catalog())
        read = list(stream.items())
        card = score(stream.checklist, [answers for _, _, answers, _ in read], sources=[str(p) for p, _, _, _ in read])
        return render_report(card, "html", options)

    whole_time = best(repeat, whole)
    if whole_only:
        return 0.0, 0.0, whole_time

    def load() -> list[AnswerFile]:
        return [load_answer_file(p)[1] for p in paths]

    load_time = best(repeat, load)
    files = load()
    checklist = Catalog().load("bench", near=paths[0].parent).checklist

    def score_and_render() -> object:
        return render_report(score(checklist, files), "html", options)

    return load_time, best(repeat, score_and_render), whole_time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=10, help="the larger run has files x scale answer files")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as large_dir:
        small = make_files(Path(small_dir), args.files)
        large = make_files(Path(large_dir), args.files * args.scale)
        load, work, whole = measure(small, args.repeat)
        _, _, whole_large = measure(large, max(1, args.repeat - 1), whole_only=True)
    ratio = whole / load
    growth = whole_large / whole
    large_label = f"{args.files * args.scale:,} files"
    print(f"{args.files:,} answer files of a 60-question checklist (best of {args.repeat})")
    print(f"  load alone (read, YAML, models)            {load:8.3f} s")
    print(f"  score + render HTML                        {work:8.3f} s")
    print(f"  whole report (load, check, score, render)  {whole:8.3f} s")
    print(f"  score + render / load alone                {work / load:8.2f}")
    print(f"  whole report / load alone                  {ratio:8.2f}    target <= 3")
    print(f"{large_label}: whole report                 {whole_large:8.3f} s")
    print(f"  {large_label} / {args.files:,} files time ratio      {growth:8.2f}    target <= {args.scale + 1}")
    return 0 if ratio <= 3 and growth <= args.scale + 1 else 1


if __name__ == "__main__":
    sys.exit(main())
