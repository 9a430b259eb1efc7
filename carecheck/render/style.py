"""The one styler of terminal text: click's styling, switched on or off by the caller.

Whether a stream gets colour (a terminal, no NO_COLOR) is decided once, in the CLI; the text
renderers (reports, history, findings) take that bool and style through `styler`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from carecheck.errors import printable

Style = Callable[..., str]
"""`style(text, *names)`: the text in the named styles (bold, dim, red, green, yellow, cyan, accent)."""

STYLES: dict[str, dict[str, Any]] = {
    "bold": {"bold": True},
    "dim": {"dim": True},
    "red": {"fg": "red"},
    "green": {"fg": "green"},
    "yellow": {"fg": "yellow"},
    "cyan": {"fg": "cyan"},
    "accent": {"fg": "cyan"},
}


class Styled(str):
    """Text carecheck styled itself: its escape sequences are its own (the text inside is made printable)."""


def styler(enabled: bool) -> Style:
    """A `style(text, *names)` function: click's styling when `enabled`, else the text as it is
    (made printable either way: what is styled is often read from a file)."""

    def style(text: object, *names: str) -> str:
        if not enabled or not names:
            return Styled(printable(text))
        return Styled(click.style(printable(text), **{k: v for name in names for k, v in STYLES[name].items()}))

    return style
