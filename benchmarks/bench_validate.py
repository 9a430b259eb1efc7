"""Benchmark: `carecheck validate` on 1,000 checklists of 60 questions against parsing them alone.

Prints, measured in the same run:
- the time to parse every file with PyYAML's CSafeLoader (the reference),
- the time `carecheck validate` takes on them (a real process, start-up included), and the ratio (target <= 2);
- `carecheck --version` against `python -c "import click"` (target <= 1.5).

Run: python benchmarks/bench_validate.py [--files N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml


def checklist_text(n: int, questions: int = 60) -> str:
    lines = [
        "carecheck: 1",
        f"id: bench-{n}",
        f"title: Benchmark checklist {n}",
        'version: "1.0"',
        "sections:",
    ]
    per_section = 10
    for s in range(questions // per_section):
        lines += [f"  - id: section-{s}", f"    title: Section {s}", "    weight: 1", "    questions:"]
        for q in range(per_section):
            qid = f"q-{s}-{q}"
            answers = ["yes-no", "yes-partial-no", "maturity", "{type: number, unit: hours, good: 4, poor: 24}"][q % 4]
            lines += [
                f"      - id: {qid}",
                f"        text: Is practice {qid} in place and followed by everyone who serves customers?",
                "        help: Look for written evidence, not intentions.",
                f"        answers: {answers}",
                f"        weight: {1 + q % 3}",
                f"        critical: {'true' if q == 0 else 'false'}",
                "        effort: medium",
                "        recommendation: Write it down, train the team and check it every quarter.",
                "        refs: [s003-easy-contact, cse-3.1]",
            ]
    return "\n".join(lines) + "\n"


def best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(args.files):
            (folder / f"bench-{n}.yaml").write_text(checklist_text(n))
        paths = sorted(folder.glob("*.yaml"))

        def parse_only() -> None:
            for p in paths:
                yaml.load(p.read_bytes(), Loader=loader)

        def validate() -> None:
            proc = subprocess.run([sys.executable, "-m", "carecheck", "validate", "-q", str(folder)])
            assert proc.returncode == 0, "the generated checklists should validate clean"

        parse = best_of(3, parse_only)
        lint = best_of(3, validate)
        print(f"{args.files} checklists x 60 questions")
        print(f"  parse with {loader.__name__}: {parse:.2f} s")
        print(f"  carecheck validate:           {lint:.2f} s")
        print(f"  ratio: {lint / parse:.2f} (target <= 2)")

    def version() -> None:
        subprocess.run([sys.executable, "-m", "carecheck", "--version"], stdout=subprocess.DEVNULL, check=True)

    def import_click() -> None:
        subprocess.run([sys.executable, "-c", "import click"], check=True)

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.yaml"
        small.write_text(checklist_text(0, questions=10))

        def validate_one() -> None:
            subprocess.run([sys.executable, "-m", "carecheck", "validate", "-q", str(small)], check=True)

        click_times = [best_of(1, import_click) for _ in range(15)]
        version_times = [best_of(1, version) for _ in range(15)]
        one_times = [best_of(1, validate_one) for _ in range(15)]
    ref, ours, one = (statistics.median(t) for t in (click_times, version_times, one_times))
    print("start-up (median of 15)")
    print(f"  python -c 'import click':        {ref * 1000:.0f} ms")
    print(f"  carecheck --version:             {ours * 1000:.0f} ms  ratio {ours / ref:.2f} (target <= 1.5)")
    print(f"  carecheck validate (one file):   {one * 1000:.0f} ms  ratio {one / ref:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
