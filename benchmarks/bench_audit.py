"""Benchmark: `carecheck audit` on a 200-question checklist, from an answer to the next question.

The real questionary UI runs on prompt_toolkit pipe input (every key sent up front)
and a dummy output. For each answer the clock starts when the prompt takes the key
that submits it and stops when the next question has drawn its first frame; the
autosave (an atomic, fsynced write of the whole answer file) happens in between.

Prints, measured in the same run:
- the autosave alone (the reference: what any safe design must pay),
- the median and 90th percentile from answer to next question, and the ratio of the
  median to the 50 ms target (target <= 1).

Run: python benchmarks/bench_audit.py [--questions 200] [--dir FOLDER]
(FOLDER: where the answer file is saved; by default a temporary folder, so the disk of /tmp.)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from carecheck.catalog.loading import Catalog
from carecheck.interview import walk as interview
from carecheck.interview.walk import AuditRequest, QuestionaryPrompter, run_audit

KINDS = [
    "yes-no",
    "yes-partial-no",
    "maturity",
    "{type: number, unit: hours, good: 4, poor: 24, min: 0}",
    "{type: text}",
]


def checklist_text(questions: int) -> str:
    lines = ['carecheck: 1\nid: bench-audit\ntitle: Benchmark audit\nversion: "1"\nsections:']
    per_section = 20
    for s in range(questions // per_section):
        lines.append(f"  - id: section-{s}\n    title: Section {s}\n    questions:")
        for q in range(per_section):
            qid = f"q-{s}-{q}"
            lines.append(
                f"      - id: {qid}\n"
                f"        text: Is practice {qid} in place and followed by everyone who serves customers?\n"
                "        help: Look for written evidence, not intentions.\n"
                f"        answers: {KINDS[q % len(KINDS)]}\n"
                "        recommendation: Write it down, train the team and check it every quarter."
            )
    return "\n".join(lines) + "\n"


def keys_for(questions: int) -> str:
    keys = []
    for n in range(questions):
        kind = KINDS[(n % 20) % len(KINDS)]
        if kind.startswith("{type: number"):
            keys.append("\r" + f"{n % 30}.5\r")  # Enter a number…, then the number
        elif kind == "{type: text}":
            keys.append("\r" + "The policy folder on the intranet\r")
        else:
            keys.append("\x1b[B\r")  # the second option
    return "".join(keys) + "\r"  # review: Finish


class TimedPrompter(QuestionaryPrompter):
    """The real terminal UI, with a clock on each prompt: when it drew first, when it took its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[float] = []
        self.submitted: list[float] = []
        self.saves_before: list[int] = []
        self.saves = 0

    def _ask(self, question: Any) -> Any:
        app = question.application
        first: list[float] = []

        def drawn(_: Any) -> None:
            if not first:
                first.append(time.perf_counter())

        exit_app = app.exit

        def submit(*args: Any, **kwargs: Any) -> Any:
            self.submitted.append(time.perf_counter())
            return exit_app(*args, **kwargs)

        app.after_render += drawn
        app.exit = submit
        self.saves_before.append(self.saves)
        result = super()._ask(question)
        self.shown.append(first[0])
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        checklist = folder / "bench-audit.yaml"
        checklist.write_text(checklist_text(args.questions))
        prompter = TimedPrompter()
        save_times: list[float] = []
        real_save = interview.save_answers

        def timed_save(path: Path, answers: Any) -> None:
            start = time.perf_counter()
            real_save(path, answers)
            save_times.append(time.perf_counter() - start)
            prompter.saves += 1

        interview.save_answers = timed_save  # type: ignore[assignment]
        request = AuditRequest(
            folder=folder / "audits",
            checklist=str(checklist),
            organisation="Bench Ltd",
            respondent="Jo Smith",
            role="management",
        )
        with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text(keys_for(args.questions))
            result = run_audit(request, Catalog(), prompter)
        assert result.completed and result.counts.answered == args.questions, result.counts

    # an answer is submitted in prompt i and the next question drawn in prompt i+1; keep the
    # transitions with an autosave between them (a menu opening the number input saves nothing)
    latencies = [
        prompter.shown[i + 1] - prompter.submitted[i]
        for i in range(len(prompter.submitted) - 1)
        if prompter.saves_before[i + 1] > prompter.saves_before[i]
    ]
    median = statistics.median(latencies)
    p90 = statistics.quantiles(latencies, n=10)[-1]
    print(f"{args.questions} questions, {len(latencies)} answers timed (real questionary UI, pipe input)")
    print(f"  autosave alone (reference):   median {statistics.median(save_times) * 1000:.1f} ms")
    print(f"  answer -> next question:      median {median * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms")
    print(f"  ratio of the median to the 50 ms target: {median / 0.050:.2f} (target <= 1)")


if __name__ == "__main__":
    main()
