"""The interactive audit: a walk-through of a checklist that saves every answer the moment it is given.

The walk-through talks to a person only through the small `Prompter` interface
(say, select, text, confirm). `QuestionaryPrompter` is the terminal UI; tests drive
the same logic with a scripted prompter. Every change to an answer is saved at once
with an atomic write, before it is shown as given, so an interruption of any kind loses
nothing that was confirmed; what is being typed when Ctrl-C, SIGTERM or SIGHUP stops the
audit is kept too, marked `unconfirmed`, and offered back on resume. A save that fails
keeps the answers in memory and offers to retry. One process at a time works on a file
(fs.take_lock).
"""

from __future__ import annotations

import errno
import os
import shlex
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from carecheck import clock
from carecheck.audits.records import keep_checklist, records_folder
from carecheck.audits.store import AuditsFolder, Unfinished, create_answer_file, save_answers
from carecheck.catalog.config import DEFAULT_CHECKLIST
from carecheck.catalog.loading import load_answer_file
from carecheck.errors import EXIT_INTERRUPTED, FindingsError, InputError, Interrupted, UsageError, printable
from carecheck.format.answers import (
    answer_problem,
    asked_scope,
    audit_label,
    is_asked,
    needs_evidence,
    number_fault,
    quarter_label,
)
from carecheck.format.model import (
    NA,
    ROLE_LABELS,
    ROLES,
    UNKNOWN,
    Amendment,
    Answer,
    AnswerFile,
    Checklist,
    ChecklistRef,
    NumberAnswer,
    Question,
    Respondent,
    Unconfirmed,
)
from carecheck.fs import FileLock, take_lock
from carecheck.scoring.score import answer_status

if TYPE_CHECKING:
    from carecheck.catalog.loading import Catalog
    from carecheck.format.resolved import ResolvedChecklist


NO_TERMINAL = (
    "`carecheck audit` asks its questions in a terminal, and there is none here (input or output is "
    "redirected).\nTo answer without one, write the answers in a file (the answer-file format: "
    "`carecheck schema --answers`) and run:\n  carecheck audit [CHECKLIST] --answers FILE\n"
    "Questions the file leaves out are listed, and the incomplete audit is saved."
)

# Menu keys: an answer is "=<option value>", a question to revisit "q:<id>"; the rest are actions.
TYPE = "type"
NOTE = "note"
SKIP = "skip"
BACK = "back"
SECTIONS = "sections"
REVIEW = "review"
FINISH = "finish"
RETURN = "return"


# ---------------------------------------------------------------------------------------------------
# The interface to a person


@dataclass(frozen=True)
class Item:
    """One entry of a menu: what the person sees, and the key the program gets back."""

    label: str
    key: str
    done: str | None = None
    """What to show once chosen when the choice is not an answer ("(skipped for now)"; "" for the
    question alone); None shows the label as the answer."""


class TypingInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, SIGHUP) in a prompt: what had been typed so far goes with it."""

    def __init__(self, typed: str, hung_up: bool = False) -> None:
        super().__init__(typed)
        self.typed = typed
        self.hung_up = hung_up  # the terminal went, not a key: the audit ends as on SIGHUP


TERMINAL_GONE = {errno.EIO, errno.ENXIO, errno.EBADF}
"""How reading or drawing fails once the terminal has gone (a closed window, a dropped ssh session)."""
_HANG_UP = 1
"""SIGHUP's number on every POSIX system: the terminal gone ends the audit with 128 + 1."""


def _terminal_went(stop: BaseException) -> bool:
    """Whether a prompt stopped because the terminal went (EIO: a closed window, a dropped ssh session),
    not because of a key: a hang-up, whether or not the SIGHUP that comes with it has arrived yet."""
    return isinstance(stop, OSError) or (isinstance(stop, TypingInterrupted) and stop.hung_up)


Commit = Callable[[str], None]
"""Called by a prompt with what was chosen or typed, before it is shown as given: it saves."""


class Prompter(Protocol):
    """What the walk-through needs from a user interface."""

    def say(self, text: str, style: str = "") -> None:
        """Show a line of text; style is "", "heading", "position", "help", "note" or "warning"."""

    def select(
        self, message: str, items: Sequence[Item | None], default: str | None = None, commit: Commit | None = None
    ) -> str:
        """Let the person pick one item (None draws a separator); return its key.

        `commit` gets the key before the choice is shown as made.
        """

    def text(
        self,
        message: str,
        default: str = "",
        validate: Callable[[str], str | None] | None = None,
        instruction: str = "",
        commit: Commit | None = None,
    ) -> str:
        """Let the person type a line; `validate` returns why a line is refused, or None.

        `commit` gets the line before it is shown as given. Ctrl-C raises TypingInterrupted
        with the text typed so far.
        """

    def confirm(self, message: str, default: bool = False) -> bool:
        """Ask a yes/no question."""

    def stop(self) -> bool:
        """End the prompt being shown as Ctrl-C would (from a signal handler); False if none is shown."""


# ---------------------------------------------------------------------------------------------------
# The audit being answered


def utc_now() -> datetime:
    """The current time in UTC, to the second (the precision of the answer file)."""
    return clock.now(os.environ).replace(microsecond=0)


@dataclass
class Audit:
    """One answer file being filled in: its header, its answers, and where it is saved."""

    checklist: Checklist
    path: Path
    header: AnswerFile
    answers: dict[str, Answer] = field(default_factory=dict)
    amending: bool = False
    """A completed audit being amended: each changed answer keeps its earlier value (`amended:`)."""

    lock: FileLock | None = None

    def take_lock(self, now: datetime) -> None:
        """Make this process the file's one writer (fs.take_lock): a second audit of it is refused."""
        if self.lock is None:
            self.lock = take_lock(self.path, now)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def snapshot(self) -> AnswerFile:
        """The answer file as it stands."""
        return self.header.model_copy(update={"answers": dict(self.answers)})

    def save(self) -> None:
        """Write the file atomically; a failure is reported, never ignored."""
        try:
            save_answers(self.path, self.snapshot())
        except OSError as exc:
            raise InputError(f"cannot save the answers: {exc.strerror or exc}", path=self.path) from exc

    def value(self, qid: str) -> str | None:
        answer = self.answers.get(qid)
        return answer.value if answer else None

    def is_visible(self, question: Question) -> bool:
        """Whether a question is asked of this respondent, given the answers so far (format.answers.is_asked)."""
        return is_asked(
            self.checklist, question, self.value, self.header.respondent.role, scope=asked_scope(self.header)
        )

    def visible(self) -> list[Question]:
        """The questions asked, given the answers so far, in checklist order."""
        return [q for q in self.checklist.questions.values() if self.is_visible(q)]

    def stale(self, question: Question) -> str | None:
        """Why an existing answer must be given again (reworded, or no longer valid), or None."""
        answer = self.answers.get(question.id)
        if answer is None or answer.value is None:
            return None
        if answer.asked is not None and answer.asked != question.text_hash:
            return "This question was reworded since you answered it: please check your answer."
        problem = answer_problem(self.checklist, question, answer.value)
        if problem is not None:
            return f"Your earlier answer '{answer.value}' no longer fits this question: please answer again."
        return None

    def is_open(self, question: Question) -> bool:
        """Whether a question still needs an answer now (skipped questions wait for the review).

        Something typed and not confirmed when the audit stopped is offered back first.
        """
        answer = self.answers.get(question.id)
        if answer is not None and answer.unconfirmed is not None:
            return True
        if answer is None or answer.value is None:
            return answer is None or not answer.skipped
        return self.stale(question) is not None

    def missing(self) -> list[Question]:
        """Asked questions without a valid answer (unanswered, skipped, reworded)."""
        return [q for q in self.visible() if self.value(q.id) is None or self.stale(q) is not None]


@dataclass(frozen=True)
class Counts:
    """How the asked questions of an audit stand, counted as the report counts them."""

    total: int
    answered: int
    not_applicable: int
    unknown: int
    skipped: int
    unanswered: int

    @property
    def to_answer(self) -> int:
        """Skipped or unanswered: what the report lists as "to answer" (and marks DRAFT for)."""
        return self.skipped + self.unanswered


def count(audit: Audit) -> Counts:
    """Count the asked questions by the report's `answer_status`; an answer to give again is unanswered."""
    statuses = [
        "unanswered" if audit.stale(q) is not None else answer_status(audit.answers.get(q.id)) for q in audit.visible()
    ]
    tally = {status: statuses.count(status) for status in ("answered", "na", "unknown", "skipped", "unanswered")}
    return Counts(len(statuses), *tally.values())


@dataclass(frozen=True)
class AuditResult:
    """What an audit run ended with."""

    path: Path
    completed: bool
    counts: Counts
    missing: tuple[Question, ...]
    report_command: str
    checklist: Checklist
    answers: AnswerFile  # as saved: what a summary scores


# ---------------------------------------------------------------------------------------------------
# The walk-through


class Interview:
    """Walks a person through the questions of an audit, saving every answer as it is given."""

    def __init__(
        self,
        audit: Audit,
        prompter: Prompter,
        now: Callable[[], datetime] = utc_now,
        resume_hint: str = "",
    ) -> None:
        self.audit = audit
        self.prompter = prompter
        self.now = now
        self.resume_hint = resume_hint

    # -- the loop ----------------------------------------------------------------------------------

    def run(self) -> None:
        """Ask until the person finishes; on Ctrl-C, SIGTERM or SIGHUP save and raise Interrupted."""
        received: list[int] = []
        # the handlers stay in place until what was typed is saved: a second signal (the terminal's
        # SIGHUP, then the sender's) must not end the process with the default action mid-save
        with _signals_stop(self.prompter, received):
            try:
                self._loop()
            except (KeyboardInterrupt, EOFError, OSError) as exc:
                if isinstance(exc, OSError) and not received and exc.errno not in TERMINAL_GONE:
                    raise
                if not received and _terminal_went(exc):
                    received.append(_HANG_UP)
                received.append(0)  # stopping: from here on a signal changes nothing
                self._save_on_the_way_out([s for s in received if s])

    def _save_on_the_way_out(self, signals: list[int]) -> None:
        """Save after a stop and raise Interrupted: 130 for Ctrl-C, 128 + the signal for SIGTERM (143), SIGHUP (129)."""
        code = 128 + signals[0] if signals else EXIT_INTERRUPTED
        try:
            self.audit.save()
        except InputError as exc:
            raise Interrupted(
                f"Stopped. Your latest answers could NOT be saved: {exc}\n"
                f"What was saved before is in {self.audit.path}\n{self.resume_hint}",
                exit_code=code,
            ) from None
        kept = self.kept_unconfirmed
        typed = "; what you were typing is kept, unconfirmed, and offered back" if kept else ""
        raise Interrupted(
            f"Stopped. Your answers are saved in {self.audit.path}{typed}\n{self.resume_hint}", exit_code=code
        ) from None

    def save(self) -> None:
        """Save the audit; if that fails, keep the answers in memory, say why, and offer to retry or stop."""
        while True:
            try:
                self.audit.save()
                return
            except InputError as exc:
                problem = exc
            self.prompter.say(f"Your answers could not be saved: {problem}", "warning")
            self.prompter.say("They are kept in memory: free some space or fix the permissions, then retry.", "warning")
            key = self.prompter.select(
                "Retry saving, or stop?",
                [Item("Retry saving", "retry"), Item("Stop (the answers not saved are lost)", "stop")],
                "retry",
            )
            if key == "stop":
                raise InputError(
                    f"not saved: {problem.message}. What was saved before is in {self.audit.path}\n{self.resume_hint}",
                    path=self.audit.path,
                )

    kept_unconfirmed = False
    """Whether the stop kept something typed and not confirmed."""

    def _keep_unconfirmed(self, question: Question, value: str | None = None, note: str | None = None) -> None:
        """Keep what was being typed when the audit stopped, marked unconfirmed (saved on the way out)."""
        answer = self.audit.answers.get(question.id)
        confirmed = (answer.value if value is not None else answer.note) if answer else None
        typed = (value if value is not None else note or "").strip()
        if not typed or typed == confirmed:
            return
        before = answer.unconfirmed if answer and answer.unconfirmed else Unconfirmed()
        pending = before.model_copy(update={"value": typed} if value is not None else {"note": typed})
        self.audit.answers[question.id] = (answer or Answer(asked=None)).model_copy(update={"unconfirmed": pending})
        self.kept_unconfirmed = True

    def _loop(self) -> None:
        first_open = next((q for q in self.audit.visible() if self.audit.is_open(q)), None)
        screen, qid, from_review = ("question", first_open.id, False) if first_open else ("review", "", False)
        while True:
            if screen == "question":
                screen, qid, from_review = self._after(qid, from_review)
            elif screen == "sections":
                screen, qid = self._sections(qid)
                from_review = False
            else:
                choice = self._review()
                if choice == FINISH:
                    self.finish()
                    return
                if choice == SECTIONS:
                    screen, qid = "sections", qid
                else:
                    screen, qid, from_review = "question", choice, True

    def _after(self, qid: str, from_review: bool) -> tuple[str, str, bool]:
        """Ask one question, then decide where to go: the next screen, question and mode."""
        question = self.audit.checklist.questions[qid]
        settled = self.audit.value(qid) is not None and self.audit.stale(question) is None
        outcome = self.ask(question)
        if outcome == SECTIONS:
            return "sections", qid, False
        visible = self.audit.visible()
        index = next((i for i, q in enumerate(visible) if q.id == qid), -1)
        if outcome == BACK:
            if index > 0:
                return "question", visible[index - 1].id, False
            return "question", qid, from_review
        if from_review:
            return "review", qid, False
        later = visible[index + 1 :]
        if settled:
            # revisiting an answered question (after Back or a jump): step forward in order
            return ("question", later[0].id, False) if later else ("review", qid, False)
        nxt = next((q for q in later if self.audit.is_open(q)), None)
        return ("question", nxt.id, False) if nxt else ("review", qid, False)

    # -- one question ------------------------------------------------------------------------------

    def ask(self, question: Question) -> str:
        """Ask one question until it is answered, skipped, or left (back, sections)."""
        while True:
            index = self._header(question)
            answer = self.audit.answers.get(question.id)
            value = answer.value if answer else None
            items, default = self._choices(question, index, answer)

            def commit(key: str, question: Question = question, value: str | None = value) -> None:
                # saved before the menu shows it as the answer
                if key.startswith("="):
                    self.set_value(question, key[1:])
                elif key in (NA, UNKNOWN):
                    self.set_value(question, key)
                elif key == SKIP and value is None:
                    self.mark_skipped(question)

            key = self.prompter.select(question.text, items, default, commit)
            if key.startswith("="):
                self._ask_evidence(question)
                return "answered"
            if key in (NA, UNKNOWN):
                return "answered"
            if key == TYPE:
                if not self._type_value(question, value):
                    continue
                return "answered"
            if key == SKIP:
                return SKIP
            if key == NOTE:
                self._edit_note(question)
                continue
            return key  # BACK or SECTIONS

    def _choices(self, question: Question, index: int, answer: Answer | None) -> tuple[list[Item | None], str | None]:
        """The menu of one question (its answers, then the actions) and the choice preselected."""
        value = answer.value if answer else None
        options = self.audit.checklist.options(question)
        items: list[Item | None] = []
        default: str | None = None
        if options is not None:
            items += [Item(o.label, "=" + o.value) for o in options]
            if value is not None and value not in (NA, UNKNOWN):
                default = "=" + value
        else:
            items.append(Item(self._type_label(question, value), TYPE, ""))
            if value is not None and value not in (NA, UNKNOWN):
                default = TYPE
        items.append(None)
        if question.allow_na:
            items.append(Item("Not applicable", NA, "(not applicable)"))
        items.append(Item("Don't know / not measured", UNKNOWN, "(don't know / not measured)"))
        items.append(Item("Skip for now", SKIP, "(skipped for now)"))
        items.append(Item("Edit the note…" if answer and answer.note else "Add a note…", NOTE, ""))
        if index > 0:
            items.append(Item("Back to the previous question", BACK, "(back to the previous question)"))
        items.append(Item("Go to the section list…", SECTIONS, "(to the section list)"))
        if value in (NA, UNKNOWN) and (value != NA or question.allow_na):
            default = value
        pending = answer.unconfirmed if answer else None
        if pending is not None:  # offer back what was typed when the audit stopped
            default = TYPE if pending.value is not None and options is None else NOTE if pending.note else default
        if default is not None and not any(i is not None and i.key == default for i in items):
            default = None  # an earlier answer that is no longer a choice: nothing preselected
        return items, default

    def _header(self, question: Question) -> int:
        """Show where the person is, the help and the current answer; return the question's index."""
        order = [q.id for q in self.audit.visible()]
        visible = set(order)
        sections = [s.id for s in self.audit.checklist.sections if any(q.id in visible for q in s.questions)]
        section = self.audit.checklist.section_of[question.id]
        in_section = [q.id for q in section.questions if q.id in visible]
        counts = count(self.audit)
        say = self.prompter.say
        say("")
        say(
            f"{section.title}  ·  section {sections.index(section.id) + 1} of {len(sections)}"
            f"  ·  question {in_section.index(question.id) + 1} of {len(in_section)}"
            f"  ·  {counts.to_answer} to answer",
            "position",
        )
        stale = self.audit.stale(question)
        if stale:
            say(stale, "warning")
        if question.help:
            say(question.help, "help")
        answer = self.audit.answers.get(question.id)
        if answer is not None and answer.value is not None:
            say(f"Current answer: {self._shown(question, answer.value)}", "note")
        if answer is not None and answer.note:
            say(f"Note: {answer.note}", "note")
        pending = answer.unconfirmed if answer is not None else None
        if pending is not None and pending.value is not None:
            say(f"Typed when the audit stopped, not confirmed: {pending.value}  (Enter to confirm it)", "warning")
        if pending is not None and pending.note is not None:
            say(f"Note typed when the audit stopped, not confirmed: {pending.note}", "warning")
        return order.index(question.id)

    def _shown(self, question: Question, value: str) -> str:
        """An answer as the person saw it: the option's label, the number with its unit."""
        if value == NA:
            return "Not applicable"
        if value == UNKNOWN:
            return "Don't know / not measured"
        options = self.audit.checklist.options(question) or ()
        label = next((o.label for o in options if o.value == value), None)
        if label is not None:
            return label
        spec = question.answers
        return f"{value} {spec.unit}" if isinstance(spec, NumberAnswer) and spec.unit else value

    def _type_label(self, question: Question, value: str | None) -> str:
        spec = question.answers
        if value is not None and value not in (NA, UNKNOWN):
            unit = f" {spec.unit}" if isinstance(spec, NumberAnswer) and spec.unit else ""
            shown = value if len(value) <= 40 else value[:39] + "…"
            return f"Change the answer ({shown}{unit})…"
        if isinstance(spec, NumberAnswer):
            return f"Enter a number{f' ({spec.unit})' if spec.unit else ''}…"
        return "Type the answer…"

    def _type_value(self, question: Question, current: str | None) -> bool:
        """Ask for a number or a text, saved before it is shown; False when left empty (back to the menu)."""
        spec = question.answers
        answer = self.audit.answers.get(question.id)
        pending = answer.unconfirmed.value if answer and answer.unconfirmed else None
        default = current if current is not None and current not in (NA, UNKNOWN) else ""
        default = pending if pending is not None else default
        given = False

        def commit(text: str) -> None:
            nonlocal given
            typed = text.strip()
            if typed and isinstance(spec, NumberAnswer):
                typed = _number_value(spec, typed) or typed
            if typed:
                self.set_value(question, typed)
                given = True
            elif pending is not None:  # emptied on purpose: what was typed before the stop is dropped
                self._settle(question, "value")

        try:
            if isinstance(spec, NumberAnswer):
                bounds = _bounds(spec)
                message = f"Number ({spec.unit})" if spec.unit else "Number"

                def check(text: str) -> str | None:
                    return _number_problem(spec, text.strip())

                self.prompter.text(message, default, check, f"({bounds}leave empty to go back to the choices)", commit)
            else:
                self.prompter.text("Answer", default, None, "(leave empty to go back to the choices)", commit)
        except TypingInterrupted as stop:
            self._keep_unconfirmed(question, value=stop.typed)
            raise
        return given

    def _ask_evidence(self, question: Question) -> None:
        """A top answer to a question with `evidence: required` asks for a note, saying why."""
        answer = self.audit.answers.get(question.id)
        if answer is None or answer.note or not needs_evidence(self.audit.checklist, question, answer.value):
            return
        self.prompter.say(
            "This answer is one of the two best, so the report asks what shows it: a document, a figure, "
            "a record. Write where the evidence is (leave empty to go on without it; the report lists "
            "top answers given without evidence).",
            "help",
        )
        self._edit_note(question)

    def _edit_note(self, question: Question) -> None:
        answer = self.audit.answers.get(question.id) or Answer(asked=None)
        pending = answer.unconfirmed.note if answer.unconfirmed else None

        def commit(text: str) -> None:
            current = self.audit.answers.get(question.id) or answer
            unconfirmed = _without(current.unconfirmed, "note")
            update = {"note": text.strip() or None, "at": self.now(), "unconfirmed": unconfirmed}
            self.audit.answers[question.id] = current.model_copy(update=update)
            self.save()

        try:
            self.prompter.text(
                "Note",
                pending if pending is not None else answer.note or "",
                None,
                "(evidence: where is this written down? Leave empty for no note)",
                commit,
            )
        except TypingInterrupted as stop:
            # stopped while typing: keep the half-typed note, marked as not confirmed, then stop as usual
            self._keep_unconfirmed(question, note=stop.typed)
            raise

    def _settle(self, question: Question, part: str) -> None:
        """Drop one part of what was typed before a stop (the person emptied it), and save."""
        answer = self.audit.answers.get(question.id)
        if answer is not None:
            self.audit.answers[question.id] = answer.model_copy(
                update={"unconfirmed": _without(answer.unconfirmed, part)}
            )
            self.save()

    # -- changing answers (each change is saved at once) --------------------------------------------

    def set_value(self, question: Question, value: str) -> None:
        """Record an answer and save."""
        previous = self.audit.answers.get(question.id)
        self.audit.answers[question.id] = Answer(
            value=value,
            note=previous.note if previous else None,
            at=self.now(),
            asked=question.text_hash,
            unconfirmed=_without(previous.unconfirmed if previous else None, "value"),
        )
        self.save()

    def mark_skipped(self, question: Question) -> None:
        """Record that a question was skipped for now, and save."""
        previous = self.audit.answers.get(question.id)
        self.audit.answers[question.id] = Answer(
            note=previous.note if previous else None,
            at=self.now(),
            skipped=True,
            asked=question.text_hash,
            unconfirmed=_without(previous.unconfirmed if previous else None, "value"),
        )
        self.save()

    def finish(self) -> None:
        """Mark the audit completed and save."""
        self.audit.header = self.audit.header.model_copy(update={"completed": self.now()})
        self.save()

    # -- overview screens --------------------------------------------------------------------------

    def _sections(self, qid: str) -> tuple[str, str]:
        """The section list: go to a section, to the review, or back to the question."""
        visible = {q.id for q in self.audit.visible()}
        missing = {q.id for q in self.audit.missing()}
        current = self.audit.checklist.section_of[qid] if qid else None
        items: list[Item | None] = []
        for n, section in enumerate(self.audit.checklist.sections, 1):
            shown = [q for q in section.questions if q.id in visible]
            if not shown:
                continue
            left = sum(1 for q in shown if q.id in missing)
            items.append(Item(f"{n}. {section.title}  ({left} of {len(shown)} to answer)", "s:" + section.id))
        items += [None, Item("Review and finish…", REVIEW)]
        if qid:
            items.append(Item("Back to the question", RETURN))
        self.prompter.say("")
        key = self.prompter.select("Go to a section", items, "s:" + current.id if current else None)
        if key == REVIEW:
            return "review", qid
        if key == RETURN:
            return "question", qid
        section = next(s for s in self.audit.checklist.sections if s.id == key[2:])
        first = next(q for q in section.questions if q.id in visible)
        return "question", first.id

    def _review(self) -> str:
        """The review: list what is open; return FINISH, SECTIONS or a question id to revisit."""
        while True:
            counts = count(self.audit)
            missing = self.audit.missing()
            say = self.prompter.say
            say("")
            say("Review", "heading")
            say(counts_text(counts, "  ·  "))
            items: list[Item | None] = []
            for q in missing:
                answer = self.audit.answers.get(q.id)
                if self.audit.stale(q):
                    state = "Changed"
                elif answer is not None and answer.skipped:
                    state = "Skipped"
                else:
                    state = "Not answered"
                items.append(Item(f"{state}: {_short(q.text)}", "q:" + q.id))
            if items:
                items.append(None)
            items += [Item("Finish the audit", FINISH), Item("Go to the section list…", SECTIONS)]
            default = items[0].key if items[0] is not None else None
            message = "Revisit a question, or finish" if missing else "Nothing left to answer"
            key = self.prompter.select(message, items, default)
            if key.startswith("q:"):
                return key[2:]
            if key == FINISH and missing:
                n = len(missing)
                if not self.prompter.confirm(
                    f"{n} question{'s are' if n != 1 else ' is'} still open and will be listed as to answer "
                    "in the report. Finish anyway?",
                    default=False,
                ):
                    continue
            return key


def _without(pending: Unconfirmed | None, part: str) -> Unconfirmed | None:
    """What was typed before a stop, less one part (confirmed now); None when nothing is left."""
    if pending is None:
        return None
    rest = pending.model_copy(update={part: None})
    return rest if rest.value is not None or rest.note is not None else None


@contextmanager
def _signals_stop(prompter: Prompter, received: list[int]) -> Iterator[None]:
    """SIGTERM and SIGHUP stop the audit as Ctrl-C does: the prompt ends keeping what was typed, all is saved.

    In a prompt, the prompter ends it (TypingInterrupted with the text so far); between prompts
    the handler raises KeyboardInterrupt at once. Only the main thread can handle signals.
    """
    import signal
    import threading

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        stopping = bool(received)  # a stop is under way (an earlier signal, Ctrl-C, the terminal gone)
        received.append(signum)
        if not stopping and not prompter.stop():
            raise KeyboardInterrupt

    previous = {signum: signal.signal(signum, stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _bounds(spec: NumberAnswer) -> str:
    if spec.min is not None and spec.max is not None:
        return f"from {spec.min:g} to {spec.max:g}; "
    if spec.min is not None:
        return f"at least {spec.min:g}; "
    if spec.max is not None:
        return f"at most {spec.max:g}; "
    return ""


def _number_problem(spec: NumberAnswer, text: str) -> str | None:
    """Why a typed number is refused, in the words of the prompt (empty is fine: back to the menu)."""
    if not text:
        return None
    value = _number_value(spec, text)
    if value is None:
        return "Please type a number, such as 4 or 6.5."
    fault = number_fault(spec, float(value))
    if fault == "finite":
        return "Please type a finite number."
    if fault == "min":
        return f"The smallest value allowed is {spec.min:g}."
    if fault == "max":
        return f"The largest value allowed is {spec.max:g}."
    return None


def _number_value(spec: NumberAnswer, text: str) -> str | None:
    """A typed number as stored, read as the import reads a cell: "78%", "6 hours" and "+6" are numbers."""
    from carecheck.format.answers import number_value

    return number_value(text, spec)


def _short(text: str, width: int = 72) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def counts_text(counts: Counts, separator: str = ", ") -> str:
    """How an audit stands, in the report's words: answered, not applicable, don't know, to answer."""
    skipped = f" ({counts.skipped} skipped)" if counts.skipped else ""
    parts = [
        f"{counts.answered} answered",
        f"{counts.not_applicable} not applicable",
        f"{counts.unknown} don't know",
        f"{counts.to_answer} to answer{skipped}",
    ]
    return f"{counts.total} question{'s' * (counts.total != 1)} asked: " + separator.join(parts)


def summary_lines(result: AuditResult, width: int | None = None) -> list[str]:
    """The short summary printed at the end of an audit: counts, score, rating, the top three actions.

    With `width`, long lines are broken between words, each continuation under its line's text;
    the last three (the file, the heading and the report command) stay whole, to be copied.
    """
    import re
    import textwrap

    lines = _summary(result)
    if width is None:
        return lines
    wrapped: list[str] = []
    for line in lines[:-3]:
        lead = re.match(r" *(?:\d+\. )?", line)
        indent = " " * (lead.end() if lead else 0)
        parts = textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)
        wrapped += parts or [line]
    return wrapped + lines[-3:]


def _summary(result: AuditResult) -> list[str]:
    from carecheck.scoring.score import score, shown

    first = "Audit complete." if result.completed else "Audit saved, not complete."
    lines = [
        first,
        f"  {counts_text(result.counts)}.",
    ]
    card = score(result.checklist, [result.answers])
    if card.overall is None or card.rating is None:
        lines.append("  No score yet: nothing scored has been answered.")
    else:
        rating = card.rating.label
        if card.rating.capped:
            bar = f"{result.checklist.critical_below:g}"
            rating += f" (capped: {card.rating.band} by score, but a critical question scores below {bar})"
        if card.rating.provisional:
            rating += " (provisional: a critical question is still open)"
        lines.append(f"  Overall score {shown(card.overall):.1f} of 100: {rating}.")
    if card.actions:
        lines.append("  The most valuable actions for their effort:")
        for n, action in enumerate(card.actions[:3], 1):
            gain = f"+{shown(action.gain):.1f} points, " if action.gain is not None else ""
            critical = "critical, " if action.critical else ""
            lines.append(f"    {n}. {action.text} ({critical}{gain}effort {action.effort})")
    lines += [f"  Saved in {result.path}", "The full report:", f"  {result.report_command}"]
    return lines


# ---------------------------------------------------------------------------------------------------
# Starting, resuming, and answering from a file


@dataclass(frozen=True)
class AuditRequest:
    """What `carecheck audit` was asked to do (the command line, parsed)."""

    folder: Path = Path("audits")
    checklist: str | None = None
    organisation: str | None = None
    respondent: str | None = None
    role: str | None = None
    audit: str | None = None
    resume: Path | None = None
    new: bool = False
    answers: Path | None = None
    amend: bool = False
    """With `answers`: amend the completed audit of the same organisation, respondent and label."""


def run_audit(
    request: AuditRequest,
    catalog: Catalog,
    prompter: Prompter | None,
    now: Callable[[], datetime] = utc_now,
) -> AuditResult:
    """Run `carecheck audit`: start, resume, or fill from a file, then walk through what is open.

    `prompter` is None when there is no terminal: only `--answers` can work then.
    """
    if request.answers is not None:
        audit = _from_answers(request, catalog, now)
    elif prompter is None:
        raise UsageError(NO_TERMINAL)
    else:
        try:
            if request.resume is not None:
                audit = _resume_file(request.resume, request, catalog, prompter, now)
            else:
                checklist = catalog.load(request.checklist or DEFAULT_CHECKLIST, near=Path.cwd()).checklist
                audit = _start(request, checklist, prompter, now)
        except (KeyboardInterrupt, EOFError, OSError) as exc:
            # only the questions before the first save (who is answering, resume or not) get here
            if isinstance(exc, OSError) and exc.errno not in TERMINAL_GONE:
                raise
            code = 128 + _HANG_UP if _terminal_went(exc) else EXIT_INTERRUPTED  # as in the audit
            raise Interrupted("Stopped before the audit began; nothing was saved.", exit_code=code) from None
    try:
        if request.answers is not None:
            if prompter is None or not audit.missing():
                if not audit.missing() and audit.header.completed is None:
                    audit.header = audit.header.model_copy(update={"completed": now()})
                audit.save()
                return _result(audit, request)
            missing = len(audit.missing())
            prompter.say(f"Answers taken from {request.answers}; {missing} question{'s' * (missing != 1)} to answer.")
            prompter.say(f"Saving to {audit.path}", "help")
        elif audit.header.completed is not None and not audit.amending:
            return _result(audit, request)  # a completed audit the person chose not to amend: left as it was
        assert prompter is not None  # None with --answers only, which returned above
        interview = AmendingInterview if audit.amending else Interview
        interview(audit, prompter, now, _resume_hint(request, audit)).run()
        return _result(audit, request)
    finally:
        audit.release()


def _result(audit: Audit, request: AuditRequest) -> AuditResult:
    command = ["carecheck", "report", str(audit.path)]
    if request.checklist is not None and _is_path(request.checklist):
        command += ["--checklist", request.checklist]
    return AuditResult(
        audit.path,
        audit.header.completed is not None,
        count(audit),
        tuple(audit.missing()),
        shlex.join(command),
        audit.checklist,
        audit.snapshot(),
    )


def _resume_hint(request: AuditRequest, audit: Audit) -> str:
    command = ["carecheck", "audit"]
    if request.checklist is not None and _is_path(request.checklist):
        command.append(request.checklist)
    command += ["--resume", str(audit.path)]
    return "To carry on where you stopped:\n  " + shlex.join(command)


def _is_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or len(Path(ref).parts) > 1


def _header(
    checklist: Checklist, organisation: str, respondent: Respondent, audit: str | None, started: datetime
) -> AnswerFile:
    return AnswerFile.model_validate(
        {
            "carecheck-answers": 1,
            "checklist": ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256),
            "organisation": organisation,
            "audit": audit or quarter_label(started),
            "respondent": respondent,
            "started": started,
            "completed": None,
            "answers": {},
        }
    )


def _start(request: AuditRequest, checklist: Checklist, prompter: Prompter, now: Callable[[], datetime]) -> Audit:
    """A new audit (or, when one is waiting and the person agrees, an unfinished one)."""
    audits = AuditsFolder(request.folder)  # looked at twice: before the first question and once named
    if not request.new:
        waiting = audits.unfinished(checklist.id, request.organisation, request.respondent)
        if waiting:
            chosen = _offer_resume(waiting, checklist, prompter)
            if chosen is not None:
                return _resume(chosen.path, chosen.answers, checklist, prompter, request.folder, now)
    prompter.say(f"{checklist.title}  ({checklist.id} {checklist.version})", "heading")
    n, s = len(checklist.questions), len(checklist.sections)
    prompter.say(f"{n} question{'s' * (n != 1)} in {s} section{'s' * (s != 1)}.")
    prompter.say("Each answer is saved as soon as you give it.")
    prompter.say("Press Ctrl-C at any time to stop; run the same command again to carry on.")
    organisation = request.organisation or prompter.text("Organisation", validate=_required("the organisation"))
    name = request.respondent or prompter.text("Your name", validate=_required("your name"))
    role = request.role or prompter.select(
        "Your role", [Item(ROLE_LABELS.get(r, r), r) for r in ROLES], default="management"
    )
    header = _header(checklist, organisation.strip(), Respondent(name=name.strip(), role=role), request.audit, now())
    done = _completed_by(audits, checklist, header)
    if done is not None:  # a second file would be one person answering twice, which `report` refuses (CC206)
        prompter.say(f"{header.respondent.name} completed audit {header.audit} of {header.organisation} already.")
        if not _amend_consent(done.path, done.answers, prompter):
            prompter.say("Left as it was. For another audit, give --audit LABEL (e.g. the next quarter).", "help")
            return _as_it_stands(checklist, done.path, done.answers)
        audit = _resume(done.path, done.answers, checklist, prompter, request.folder, now)
        audit.amending = True
        return audit
    path = create_answer_file(request.folder, header, checklist)
    prompter.say(f"Saving to {path}", "help")
    audit = Audit(checklist, path, header)
    audit.take_lock(now())
    return audit


def _completed_by(audits: AuditsFolder, checklist: Checklist, header: AnswerFile) -> Unfinished | None:
    """The audit of this checklist, organisation and label that this (named) respondent completed already."""
    if not header.respondent.name.strip():
        return None  # anonymous answers cannot be told apart
    found = audits.completed(checklist.id, header.organisation, header.respondent.name)
    return next((done for done in found if audit_label(done.answers) == header.audit), None)


def _required(what: str) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return None if text.strip() else f"Please enter {what}."

    return check


def _offer_resume(waiting: list[Unfinished], checklist: Checklist, prompter: Prompter) -> Unfinished | None:
    items: list[Item | None] = []
    for n, u in enumerate(waiting[:9]):
        af = u.answers
        left = count(Audit(checklist, u.path, af, dict(af.answers)))
        started = af.started.strftime("%d %b %Y") if af.started else "an earlier date"
        items.append(
            Item(
                f"Resume: {af.organisation}, {af.respondent.name or 'no name'} ({af.respondent.role}), "
                f"{af.audit or 'audit'}, started {started}, {left.to_answer} of {left.total} to answer",
                str(n),
            )
        )
    items += [None, Item("Start a new audit", "new")]
    what = "is an unfinished audit" if len(waiting) == 1 else f"are {len(waiting)} unfinished audits"
    prompter.say(f"There {what} of {checklist.title}.")
    key = prompter.select("Resume or start again?", items, "0")
    if key == "new":
        return None
    return waiting[int(key)]


def _resume_file(
    path: Path, request: AuditRequest, catalog: Catalog, prompter: Prompter, now: Callable[[], datetime]
) -> Audit:
    _, answers = load_answer_file(path)
    resolved = _checklist_for(answers, path, request, catalog)
    if answers.completed is not None and not _amend_consent(path, answers, prompter):
        return _as_it_stands(resolved.checklist, path, answers)
    audit = _resume(path, answers, resolved.checklist, prompter, request.folder, now)
    audit.amending = answers.completed is not None
    return audit


def _as_it_stands(checklist: Checklist, path: Path, answers: AnswerFile) -> Audit:
    """A completed audit the person chose not to amend: shown, never written."""
    return Audit(checklist, path, answers.model_copy(update={"answers": {}}), dict(answers.answers))


def _checklist_for(answers: AnswerFile, path: Path, request: AuditRequest, catalog: Catalog) -> ResolvedChecklist:
    ref = request.checklist or answers.checklist.id
    near = Path.cwd() if request.checklist else path.parent
    resolved = catalog.load(ref, near=near)
    if resolved.checklist.id != answers.checklist.id:
        raise UsageError(
            f"{path} answers checklist '{answers.checklist.id}', not '{resolved.checklist.id}'",
        )
    return resolved


def _resume(
    path: Path,
    answers: AnswerFile,
    checklist: Checklist,
    prompter: Prompter,
    folder: Path,
    now: Callable[[], datetime],
) -> Audit:
    """Continue an audit; if the checklist changed, say what changed and keep only what still fits.

    The file is locked first, then read again: another carecheck may have saved it since it was offered.
    """
    audit = Audit(checklist, path, answers.model_copy(update={"answers": {}}))
    audit.take_lock(now())
    try:
        answers = load_answer_file(path)[1]
        keep_checklist(records_folder(path, folder), checklist)  # the file will record this checklist
    except BaseException:
        audit.release()
        raise
    audit.header = answers.model_copy(update={"answers": {}})
    audit.answers = dict(answers.answers)
    prompter.say(f"Resuming {checklist.title} for {answers.organisation}, {answers.respondent.name}.", "heading")
    prompter.say(f"Saving to {path}", "help")
    pending = sum(1 for a in audit.answers.values() if a.unconfirmed is not None)
    if pending:
        prompter.say(
            f"{pending} answer{'s' * (pending != 1)} or note{'s' * (pending != 1)} typed when the audit stopped "
            "and never confirmed: offered back first.",
            "warning",
        )
    if answers.checklist.sha256 and answers.checklist.sha256 != checklist.sha256:
        for line in describe_changes(audit):
            prompter.say(line, "warning" if line.startswith("The checklist") else "")
        for qid in [qid for qid in audit.answers if qid not in checklist.questions]:
            del audit.answers[qid]
    audit.header = audit.header.model_copy(
        update={"checklist": ChecklistRef(id=checklist.id, version=checklist.version, sha256=checklist.sha256)}
    )
    audit.save()
    return audit


def describe_changes(audit: Audit) -> list[str]:
    """What changed in the checklist since an audit's answers were given, as lines to show."""
    questions = audit.checklist.questions
    order = list(questions)
    removed = [qid for qid in audit.answers if qid not in questions]
    reworded = [q for q in questions.values() if audit.stale(q) is not None]
    # Questions without an entry are either new or simply not reached yet; those placed
    # before the furthest question reached are the ones added since.
    reached = max((order.index(qid) for qid in audit.answers if qid in questions), default=-1)
    candidates = order if audit.header.completed is not None else order[: reached + 1]
    added = [questions[qid] for qid in candidates if qid not in audit.answers and audit.is_visible(questions[qid])]
    lines = ["The checklist changed since these answers were given."]
    for title, changed in (("New questions", added), ("Reworded or changed", reworded)):
        if changed:
            lines.append(f"{title} ({len(changed)}):")
            lines += [f"  - {_short(q.text, 100)}" for q in changed[:10]]
            lines += [f"  … and {len(changed) - 10} more"] if len(changed) > 10 else []
    if removed:
        lines.append(f"Removed ({len(removed)}), their answers are dropped: " + ", ".join(removed))
    if added or reworded:
        lines.append("Only the new and changed questions are asked; your other answers are kept.")
    else:
        lines.append("None of your answers is affected.")
    return lines


def _from_answers(request: AuditRequest, catalog: Catalog, now: Callable[[], datetime]) -> Audit:
    """An audit filled from an answer file given with --answers: validated, then saved in the audits folder."""
    from carecheck.lint.rules import AnswersContext, run_rules

    assert request.answers is not None
    doc, given = load_answer_file(request.answers)
    resolved = _checklist_for(given, request.answers, request, catalog)
    checklist = resolved.checklist
    # an answer naming no question is a warning in an old audit record, but a typo in answers given now
    findings = run_rules("answers", AnswersContext(doc, given, resolved))
    errors = [replace(f, severity="error") for f in findings if f.severity == "error" or f.code == "CC202"]
    if errors:
        raise FindingsError(errors)
    organisation = request.organisation or given.organisation
    respondent = Respondent(
        name=request.respondent or given.respondent.name, role=request.role or given.respondent.role
    )
    started = given.started or now()
    header = _header(checklist, organisation, respondent, request.audit or given.audit, started)
    header = header.model_copy(update={"questions": given.questions})  # a short survey asks only those
    answers = {
        qid: answer.model_copy(
            update={"at": answer.at or now(), "asked": answer.asked or checklist.questions[qid].text_hash}
        )
        for qid, answer in given.answers.items()
    }
    if request.amend:
        return _amend_from_answers(request, checklist, header, answers, now)
    # The same audit already under way (an earlier --answers run, or one begun interactively):
    # carry on in that file, the given answers taking precedence.
    audits = AuditsFolder(request.folder)  # looked at twice: an audit under way, then one completed
    for waiting in audits.unfinished(checklist.id, organisation, respondent.name):
        if audit_label(waiting.answers) == header.audit:
            audit = Audit(checklist, waiting.path, waiting.answers.model_copy(update={"answers": {}}))
            audit.take_lock(now())
            current = load_answer_file(waiting.path)[1]  # as saved now that it is ours
            audit.answers = {**current.answers, **answers}
            audit.header = audit.header.model_copy(
                update={
                    "checklist": header.checklist,
                    "questions": current.questions if given.questions is None else given.questions,
                }
            )
            keep_checklist(records_folder(waiting.path, request.folder), checklist)
            audit.save()
            return audit
    done = _completed_already(audits, checklist, header, answers, now)
    if done is not None:
        return done
    path = create_answer_file(request.folder, header.model_copy(update={"answers": answers}), checklist)
    audit = Audit(checklist, path, header, answers)
    audit.take_lock(now())
    return audit


def _completed_already(
    audits: AuditsFolder,
    checklist: Checklist,
    header: AnswerFile,
    given: dict[str, Answer],
    now: Callable[[], datetime],
) -> Audit | None:
    """`--answers` for an audit this person completed already: the same answers are saved there already
    (nothing written, as `import` skips them), others are refused (not a second file that `report` refuses
    as one person answering twice, CC206): --amend says to change it."""
    done = _completed_by(audits, checklist, header)
    if done is not None:
        kept = {qid: (a.value, a.note) for qid, a in done.answers.answers.items()}
        if kept == {qid: (a.value, a.note) for qid, a in given.items()}:
            audit = Audit(checklist, done.path, done.answers.model_copy(update={"answers": {}}))
            audit.take_lock(now())  # the caller saves it again, as it stands
            audit.answers = dict(load_answer_file(done.path)[1].answers)
            return audit
        raise UsageError(
            f"{header.respondent.name} completed audit {header.audit} of '{header.organisation}' already, "
            f"with other answers: {done.path}. Give --amend to amend it (each changed answer keeps its "
            "earlier value), or another --audit for a new audit"
        )
    return None


# ---------------------------------------------------------------------------------------------------
# Amending a completed audit


def _amend_consent(path: Path, answers: AnswerFile, prompter: Prompter) -> bool:
    """Resuming a completed audit: amend it only if the person says so."""
    assert answers.completed is not None
    when = answers.completed.strftime("%d %b %Y")
    prompter.say(f"{path} is a completed audit (completed {when}).", "heading")
    prompter.say("Amending it keeps each changed answer's earlier value and time in the file, and the report says so.")
    return prompter.confirm("Amend this completed audit?", default=False)


def amended(previous: Answer | None, answer: Answer) -> Answer:
    """`answer` replacing `previous` in a completed audit: the earlier value, note and time kept in `amended`.

    An unchanged value keeps the history as it was; a question not answered before has an
    earlier value of none.
    """
    before = previous.value if previous is not None else None
    history = previous.amended if previous is not None else ()
    if before == answer.value:
        return answer.model_copy(update={"amended": history})
    earlier = Amendment(value=before, note=previous.note, at=previous.at) if previous is not None else Amendment()
    return answer.model_copy(update={"amended": (*history, earlier)})


class AmendingInterview(Interview):
    """The walk-through of a completed audit being amended: each changed answer keeps its earlier one,
    and finishing keeps the audit's completion time (the amendments carry their own)."""

    def set_value(self, question: Question, value: str) -> None:
        previous = self.audit.answers.get(question.id)
        answer = Answer(
            value=value,
            note=previous.note if previous else None,
            at=self.now(),
            asked=question.text_hash,
            unconfirmed=_without(previous.unconfirmed if previous else None, "value"),
        )
        self.audit.answers[question.id] = amended(previous, answer)
        self.save()

    def finish(self) -> None:
        self.save()


def _amend_from_answers(
    request: AuditRequest,
    checklist: Checklist,
    header: AnswerFile,
    given: dict[str, Answer],
    now: Callable[[], datetime],
) -> Audit:
    """`--answers FILE --amend`: the completed audit of this organisation, respondent and label, amended."""
    found = [
        c
        for c in AuditsFolder(request.folder).completed(checklist.id, header.organisation, header.respondent.name)
        if audit_label(c.answers) == header.audit
    ]
    if not found:
        raise UsageError(
            f"no completed audit {header.audit} of '{header.organisation}' by "
            f"'{header.respondent.name or 'anonymous'}' in {request.folder} to amend: "
            "leave out --amend to save these answers as a new audit"
        )
    target = found[0]
    audit = Audit(checklist, target.path, target.answers.model_copy(update={"answers": {}}), amending=True)
    audit.take_lock(now())
    current = load_answer_file(target.path)[1]  # as saved now that it is ours
    audit.header = current.model_copy(update={"answers": {}})
    audit.answers = dict(current.answers)
    for qid, answer in given.items():
        previous = audit.answers.get(qid)
        if previous is None or previous.value != answer.value:
            audit.answers[qid] = amended(previous, answer)
    audit.header = audit.header.model_copy(update={"checklist": header.checklist})
    keep_checklist(records_folder(target.path, request.folder), checklist)
    audit.save()
    return audit


# ---------------------------------------------------------------------------------------------------
# The terminal UI


class QuestionaryPrompter:
    """The Prompter of a real terminal, built on questionary (prompt_toolkit).

    Prompts use the current prompt_toolkit app session, so tests can run this very
    UI with `create_app_session(input=create_pipe_input(), output=DummyOutput())`.
    `unsafe_ask` lets Ctrl-C reach the walk-through, which saves and stops.
    """

    STYLES = {  # noqa: RUF012 - read only
        "heading": "bold",
        "position": "fg:ansicyan",
        "help": "italic",
        "note": "fg:ansiyellow",
        "warning": "fg:ansiyellow bold",
        "qmark": "fg:ansicyan bold",
        "question": "bold",
        "answer": "fg:ansigreen bold",
        "pointer": "fg:ansicyan bold",
        "highlighted": "fg:ansicyan bold",
        "separator": "fg:ansibrightblack",
        "instruction": "fg:ansibrightblack",
    }

    def __init__(self) -> None:
        import questionary
        from prompt_toolkit.styles import Style

        self._q = questionary
        self._style = Style.from_dict(self.STYLES)
        self._stopped = False

    def say(self, text: str, style: str = "") -> None:
        self._print([(f"class:{style}" if style else "", _wrap(printable(text)))])

    def select(
        self, message: str, items: Sequence[Item | None], default: str | None = None, commit: Commit | None = None
    ) -> str:
        # long entries wrap under themselves: prompt_toolkit would cut them at the terminal's edge
        choices = [
            self._q.Separator("  ─────")
            if item is None
            else self._q.Choice("\n   ".join(_lines(printable(item.label), _width() - 3)), value=item.key)
            for item in items
        ]
        instruction = "(arrow keys, Enter)"
        with _shared_default_bindings():
            question = self._q.select(
                _fit(message, len(instruction) + 1),
                choices,
                default=default,
                style=self._style,
                instruction=instruction,
            )
        # questionary would leave "? question  <label>" behind, even for an action such as
        # "Skip for now": erase the menu and say what was chosen, in words that fit the choice
        question.application.erase_when_done = True
        key: str = self._ask(question)
        if commit is not None:
            commit(key)  # saved before it is shown as the answer
        chosen = next(item for item in items if item is not None and item.key == key)
        shown = _lines(chosen.label if chosen.done is None else chosen.done, _width() - 4)
        self._print(
            [
                ("class:qmark", "?"),
                ("class:question", " " + _fit(message, len(shown[0]) + 2) + " "),
                ("class:answer" if chosen.done is None else "class:instruction", " " + "\n    ".join(shown)),
            ]
        )
        return key

    def text(
        self,
        message: str,
        default: str = "",
        validate: Callable[[str], str | None] | None = None,
        instruction: str = "",
        commit: Commit | None = None,
    ) -> str:
        from prompt_toolkit.key_binding import KeyBindings

        def check(value: str) -> bool | str:
            problem = validate(value) if validate else None
            return True if problem is None else problem

        keep = KeyBindings()

        @keep.add("c-c", eager=True)
        def _interrupt(event: Any) -> None:
            # prompt_toolkit's own Ctrl-C drops the line; a half-typed note is worth keeping
            event.app.exit(exception=TypingInterrupted(event.app.current_buffer.text), style="class:aborting")

        tail = len(instruction) + 3 if instruction else 1
        with _shared_default_bindings():
            question = self._q.text(
                _fit(message, tail),
                default=default,
                validate=check,
                instruction=instruction,
                style=self._style,
                key_bindings=keep,
            )
        # as for menus: the line typed is shown as given only once `commit` has saved it
        question.application.erase_when_done = True
        try:
            typed: str = self._ask(question)
        except (EOFError, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno not in TERMINAL_GONE:
                raise
            # Ctrl-D (EOF) or the terminal gone (EIO, with or before SIGHUP): keep the line as Ctrl-C does
            raise TypingInterrupted(question.application.current_buffer.text, isinstance(exc, OSError)) from None
        if commit is not None:
            commit(typed)
        shown = _fit(message, len(typed) + 2)
        self._print([("class:qmark", "?"), ("class:question", f" {shown} "), ("class:answer", f" {typed}")])
        return typed

    def confirm(self, message: str, default: bool = False) -> bool:
        with _shared_default_bindings():
            question = self._q.confirm(_fit(message, 12), default=default, style=self._style)
        answer: bool = self._ask(question)
        return answer

    def stop(self) -> bool:
        """End the prompt being shown, keeping what was typed (TypingInterrupted), or the next one as it starts.

        Called from a signal handler: the prompt's event loop is told through call_soon_threadsafe,
        the one asyncio call that is safe there.
        """
        from prompt_toolkit.application import get_app_or_none

        self._stopped = True  # a prompt about to start ends at once (see _ask): no prompt is left waiting
        app = get_app_or_none()
        loop = getattr(app, "loop", None)
        if app is None or loop is None or not app.is_running:
            return True

        def end() -> None:
            with suppress(Exception):  # the prompt was ending anyway (its result already set)
                app.exit(exception=TypingInterrupted(app.current_buffer.text), style="class:aborting")

        loop.call_soon_threadsafe(end)
        return True

    def _ask(self, question: Any) -> Any:
        """Run one prompt; Ctrl-C raises KeyboardInterrupt (the walk-through saves and stops).

        A signal received between prompts (`stop` found none running) ends the next one as it starts,
        so the stop never interrupts the walk-through's own code (keeping what was typed, saving).
        """
        app = question.application

        def stopped_already() -> None:
            if self._stopped:
                app.exit(exception=KeyboardInterrupt(), style="class:aborting")

        app.pre_run_callables.append(stopped_already)
        return question.unsafe_ask()

    def _print(self, fragments: list[tuple[str, str]]) -> None:
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        # checklist text (questions, help, labels, titles) reaches the terminal only made printable
        shown = [(style, printable(text)) for style, text in fragments]
        print_formatted_text(FormattedText(shown), style=self._style)


def _width() -> int:
    """The columns text is wrapped to: the terminal's (as prompt_toolkit sees it), less a margin, 40 to 100."""
    from prompt_toolkit.application import get_app_session

    return max(40, min(get_app_session().output.get_size().columns - 2, 100))


def _lines(text: str, width: int) -> list[str]:
    """One line of text as lines of at most `width` columns, broken between words, indented as it is."""
    import textwrap

    indent = text[: len(text) - len(text.lstrip())]
    return textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False) or [text]


def _wrap(text: str) -> str:
    """Text to say, each of its lines wrapped at word boundaries to the terminal (which would break mid-word)."""
    width = _width()
    return "\n".join("\n".join(_lines(line, width)) if len(line) > width else line for line in text.splitlines())


def _fit(message: str, tail: int) -> str:
    """A prompt's message wrapped under itself after "? ", its last line leaving `tail` columns for what follows."""
    width = _width()
    lines = _lines(printable(message), width - 2)
    if len(lines[-1]) + 2 + tail > width:
        lines.append("")  # what follows (the instruction, the answer) gets a line of its own
    return "\n  ".join(lines)


@cache
def _default_bindings() -> Any:
    from prompt_toolkit.key_binding.defaults import load_key_bindings

    return load_key_bindings()


@contextmanager
def _shared_default_bindings() -> Iterator[None]:
    """Build prompts with one shared set of prompt_toolkit's default key bindings.

    Every prompt_toolkit Application builds its ~700 default bindings afresh (about
    13 ms), and a questionary menu makes three Applications: most of the time between
    an answer and the next question. The bindings keep no state of their own (their
    handlers act on `event.app`), so one set serves every prompt.
    """
    import prompt_toolkit.application.application as application

    hook = "load_key_bindings"  # the name Application.__init__ calls
    original = getattr(application, hook, None)
    if original is None:  # pragma: no cover - a prompt_toolkit without this hook: build as usual
        yield
        return
    setattr(application, hook, _default_bindings)
    try:
        yield
    finally:
        setattr(application, hook, original)
