"""Benchmark: aggregate many respondents (answer files of one audit) into one report.

Each size runs in a fresh Python process, so its peak memory is its own: the process reads
the answer files one at a time (lint included), aggregates them (scores, spread, role means,
perception gaps) and renders the HTML report. Printed per size: the time to aggregate, the
time to render, the peak resident set size (resource.getrusage) and, in a second run under
tracemalloc, the peak of Python allocations. Times are the best of several runs (a shared
machine is noisy). Then the ratios of the larger run to the reference measured in the same
run (1,000 respondents by default).

Targets: linear (time ratio <= scale + 1) and a peak RSS of at most 300 MB for 10,000.

Run: python benchmarks/bench_aggregate.py [--respondents 1000] [--scale 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import ROLES, checklist_text

RSS_TARGET_MB = 300.0


def answer_text(n: int, rng: random.Random) -> str:
    """One respondent of the benchmark checklist; roles disagree, so there are perception gaps."""
    from bench_report import PER_SECTION, SECTIONS, VALUES

    role = ROLES[n % len(ROLES)]
    lean = {"front-line": -1, "back-office": -1, "management": 0, "leadership": 1}[role]
    lines = [
        "carecheck-answers: 1",
        'checklist: {id: bench, version: "1.0"}',
        "organisation: Benchmark Ltd",
        "audit: 2026-Q3",
        f"respondent: {{name: Person {n}, role: {role}}}",
        "started: 2026-09-01T10:00:00Z",
        "completed: 2026-09-01T10:40:00Z",
        "answers:",
    ]
    for s in range(SECTIONS):
        for q in range(PER_SECTION):
            kind = q % 4
            if kind in VALUES:
                options = VALUES[kind]
                value = options[max(0, min(len(options) - 1, rng.randrange(len(options)) - lean))]
            else:
                value = str(max(1, rng.randint(1, 30) - 6 * lean))
            note = f", note: Seen in the weekly review (item {rng.randint(1, 99)})" if rng.random() < 0.2 else ""
            lines.append(f"  q-{s}-{q}: {{value: {value}{note}}}")
    return "\n".join(lines) + "\n"


def make_files(folder: Path, count: int) -> None:
    rng = random.Random(count)
    (folder / "bench.yaml").write_text(checklist_text(), encoding="utf-8")
    for n in range(count):
        (folder / f"answers-{n:05d}.yaml").write_text(answer_text(n, rng), encoding="utf-8")


def child(folder: Path, trace: bool) -> None:
    """In the fresh process: aggregate and render, then print the figures as JSON."""
    import tracemalloc
    from datetime import datetime, timezone

    from carecheck.audits.grouping import ReportRequest, build_reports
    from carecheck.catalog.loading import Catalog
    from carecheck.render.report import ReportOptions, render_report

    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    reports = build_reports(ReportRequest([folder]), Catalog())
    aggregated = time.perf_counter()
    (report,) = reports.reports
    card = report.card
    render_report(card, "html", ReportOptions(generated=datetime(2026, 11, 1, tzinfo=timezone.utc)))
    rendered = time.perf_counter()
    figures = {
        "respondents": len(card.respondents),
        "perception_gaps": len(card.perception_gaps),
        "aggregate_s": aggregated - start,
        "render_s": rendered - aggregated,
        "rss_mb": _peak_rss_mb(),
    }
    if trace:
        figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(figures))


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows: no getrusage; the tracemalloc figure stands alone
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux


def measure(folder: Path, trace: bool = False) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), *(["--trace"] if trace else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=10, help="the larger run has respondents x scale files")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs (one fewer for the larger)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.trace)
        return 0
    sizes = (args.respondents, args.respondents * args.scale)
    results = []
    for size, repeat in zip(sizes, (args.repeat, max(1, args.repeat - 1)), strict=True):
        with tempfile.TemporaryDirectory() as folder:
            make_files(Path(folder), size)
            runs = [measure(Path(folder)) for _ in range(repeat)]
            figures = min(runs, key=lambda f: f["aggregate_s"] + f["render_s"])
            figures["rss_mb"] = max((f["rss_mb"] for f in runs), default=None)  # the worst peak
            figures["traced_peak_mb"] = measure(Path(folder), trace=True)["traced_peak_mb"]
            results.append(figures)
    print(
        "Aggregating respondents of a 60-question checklist (4 roles), each run in a fresh process, "
        f"best of {args.repeat}"
    )
    print(f"{'respondents':>12} {'aggregate':>10} {'render':>8} {'peak RSS':>10} {'traced peak':>12} {'gaps':>5}")
    for size, f in zip(sizes, results, strict=True):
        rss = f"{f['rss_mb']:.0f} MB" if f["rss_mb"] is not None else "n/a"
        print(
            f"{size:>12,} {f['aggregate_s']:>9.2f}s {f['render_s']:>7.2f}s {rss:>10} "
            f"{f['traced_peak_mb']:>9.1f} MB {f['perception_gaps']:>5.0f}"
        )
    small, large = results
    time_ratio = (large["aggregate_s"] + large["render_s"]) / (small["aggregate_s"] + small["render_s"])
    print(f"time ratio {sizes[1]:,} / {sizes[0]:,}: {time_ratio:.2f}    target <= {args.scale + 1} (linear)")
    traced_ratio = large["traced_peak_mb"] / small["traced_peak_mb"]
    print(f"traced memory ratio: {traced_ratio:.2f}    (notes and names are kept: they grow with the respondents)")
    rss_ok = large["rss_mb"] is None or large["rss_mb"] <= RSS_TARGET_MB
    if large["rss_mb"] is not None:
        print(f"peak RSS at {sizes[1]:,}: {large['rss_mb']:.0f} MB    target <= {RSS_TARGET_MB:.0f} MB")
    return 0 if time_ratio <= args.scale + 1 and rss_ok else 1


if __name__ == "__main__":
    sys.exit(main())
