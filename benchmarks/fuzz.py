"""The fuzzer on demand: the suite's fuzz tests (tests/fuzz) with many more examples.

Every command is run in process on mutated checklists, answer files, plans, configs and survey CSVs; each must
exit 0, 1 or 2 with a message, print no traceback and end in under 10 s. The normal test run uses 400 examples
per kind of file (2,000 in all); this script runs `--examples` per kind (default 2,000: 10,000 in all) and
prints the count and the time taken.

Run: python benchmarks/fuzz.py [--examples N] [-x]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

KINDS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2_000, help="examples per kind of file (five kinds)")
    parser.add_argument("-x", action="store_true", help="stop at the first failure")
    args = parser.parse_args()
    tests = Path(__file__).resolve().parents[1] / "tests" / "fuzz"
    env = {**os.environ, "CARECHECK_FUZZ_EXAMPLES": str(args.examples)}
    start = time.monotonic()
    command = [sys.executable, "-m", "pytest", str(tests), "-q", "-p", "no:cacheprovider", *(["-x"] if args.x else [])]
    code = subprocess.call(command, env=env)
    took = time.monotonic() - start
    print(
        f"fuzzed {args.examples * KINDS:,} inputs ({args.examples:,} per kind) in {took:.0f} s: "
        f"{'no failure' if code == 0 else 'FAILURES above'}"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
