"""Benchmark: `carecheck import` of a 10,000-row survey against parsing the CSV alone.

Prints, measured in the same run:
- the time Python's csv module takes to read the rows (the reference),
- the time `carecheck import` takes to check and write them (a real process), and the ratio;
- the same import with one write and fsync per file (the old way, store.create_answer_file per
  row), for the before/after of fs.write_all (the issue's target: the import in 10 s or less).

Run: python benchmarks/bench_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKLIST = Path(__file__).parents[1] / "tests" / "fixtures" / "survey" / "staff-survey.yaml"
ROW = "{name},front-line,Acme Ltd,2026-09-14 10:02:11,yes,6.5,82,2,na,The training log,Only new starters so far\n"
HEADER = (
    "name,role,organisation,date,has-email,email-reply-hours,satisfied-percent,trained,rating,evidence,trained note\n"
)

OLD_WAY = """
import sys
import carecheck.survey.csv_import as m
from carecheck.audits.store import create_answer_file
def write_one_by_one(planned, folder):
    return [m.Planned(p.row, create_answer_file(folder, p.row.answers)) for p in planned]
m.write_import = write_one_by_one
from carecheck.cli.main import main
sys.argv = ["carecheck", *sys.argv[1:]]
main()
"""


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        text = HEADER + "".join(ROW.format(name=f"Person {n}") for n in range(rows))
        survey = work / "survey.csv"
        survey.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        parsed = list(csv.reader(io.StringIO(survey.read_text(encoding="utf-8"))))
        reference = time.perf_counter() - start
        assert len(parsed) == rows + 1
        base = [sys.executable, "-m", "carecheck", "import", str(survey), "--checklist", str(CHECKLIST)]
        new = timed([*base, "--dir", str(work / "new")], work)
        old = timed([sys.executable, "-c", OLD_WAY, *base[3:], "--dir", str(work / "old")], work)
        for name in ("new", "old"):
            count = sum(len(files) for _, _, files in os.walk(work / name))
            assert count == rows, (name, count)
    print(f"csv parse of {rows} rows (reference): {reference:.3f} s")
    print(f"carecheck import, fs.write_all:       {new:.2f} s  ({new / reference:.0f}x the reference)")
    print(f"one fsync per file (before):          {old:.2f} s  ({old / reference:.0f}x the reference)")
    verdict = "met" if new <= 10 else "NOT met"
    print(f"before / after: {old / new:.1f}x faster; target: the import in <= 10 s ({verdict})")


if __name__ == "__main__":
    main()
