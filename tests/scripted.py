"""A Prompter that plays a script: the walk-through logic tested without a terminal.

Each step answers the next prompt: a label (or the unique start of one) for a menu,
a line of text for a text prompt, a bool for a yes/no question, or KeyboardInterrupt
for Ctrl-C. A step may be a pair `(where, response)`: `where` must then appear in the
prompt's message, so a test fails loudly when the walk-through is somewhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from carecheck.interview.walk import Item


@dataclass
class Prompt:
    """One prompt as the person saw it."""

    kind: str
    message: str
    labels: list[str] = field(default_factory=list)
    default: str | None = None


class ScriptedPrompter:
    def __init__(self, *steps: Any, before_prompt: Callable[[Prompt], None] | None = None) -> None:
        self.steps = list(steps)
        self.said: list[tuple[str, str]] = []
        self.prompts: list[Prompt] = []
        self.refused: list[tuple[str, str]] = []
        self.before_prompt = before_prompt

    # -- what the tests read -----------------------------------------------------------------------

    @property
    def questions(self) -> list[str]:
        """The messages of the menus shown, in order."""
        return [p.message for p in self.prompts if p.kind == "select"]

    def text_said(self) -> str:
        return "\n".join(text for text, _ in self.said)

    def assert_done(self) -> None:
        assert not self.steps, f"script not finished, left: {self.steps}"

    # -- the Prompter interface --------------------------------------------------------------------

    def say(self, text: str, style: str = "") -> None:
        self.said.append((text, style))

    def select(self, message: str, items: Sequence[Item | None], default: str | None = None, commit: Any = None) -> str:
        real = [i for i in items if i is not None]
        default_label = next((i.label for i in real if i.key == default), None)
        assert default is None or default_label is not None, f"default {default!r} is not an item"
        response = self._next(Prompt("select", message, [i.label for i in real], default_label))
        exact = [i for i in real if i.label == response]
        matches = exact or [i for i in real if i.label.startswith(response)]
        assert len(matches) == 1, f"{response!r} is not one item of {message!r}: {[i.label for i in real]}"
        if commit is not None:
            commit(matches[0].key)
        return matches[0].key

    def text(
        self,
        message: str,
        default: str = "",
        validate: Callable[[str], str | None] | None = None,
        instruction: str = "",
        commit: Any = None,
    ) -> str:
        while True:
            response = self._next(Prompt("text", message, default=default))
            assert isinstance(response, str), f"text prompt {message!r} got {response!r}"
            problem = validate(response) if validate else None
            if problem is None:
                if commit is not None:
                    commit(response)
                return response
            self.refused.append((response, problem))  # the real prompt keeps asking

    def confirm(self, message: str, default: bool = False) -> bool:
        response = self._next(Prompt("confirm", message))
        assert isinstance(response, bool), f"yes/no prompt {message!r} got {response!r}"
        return response

    def stop(self) -> bool:
        return False  # no prompt runs between steps: a signal stops the walk-through at once

    def _next(self, prompt: Prompt) -> Any:
        self.prompts.append(prompt)
        if self.before_prompt is not None:
            self.before_prompt(prompt)
        assert self.steps, f"script ran out at {prompt.kind} {prompt.message!r}"
        step = self.steps.pop(0)
        if isinstance(step, tuple):
            where, step = step
            assert where in prompt.message, f"expected a prompt about {where!r}, got {prompt.message!r}"
        if step is KeyboardInterrupt or step is EOFError:
            raise step()
        if isinstance(step, BaseException):  # e.g. TypingInterrupted("half typed")
            raise step
        return step
