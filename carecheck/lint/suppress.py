"""Findings the user silenced: rules switched off or re-levelled in carecheck.yaml (`lint:`), and
lines that carry `# carecheck: ignore[CC112]` (or `# carecheck: ignore` for every code).

PyYAML drops comments, so the markers are found in the raw text: only in a comment, that is after
a `#` that starts a comment (at the start of a line or after a space, outside a quoted string). A
`#` inside a block scalar (`|`, `>`) is text to YAML but is read as a comment here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from carecheck.errors import CarecheckError, Finding
from carecheck.format.reader import MAX_BYTES
from carecheck.fs import read_bounded
from carecheck.lint.registry import find_rule

_MARKER = re.compile(r"\s*carecheck:\s*ignore(?:\[([^\]]*)\])?(?=\s|#|$)")
_OPENERS = " \t[{,:-?"


def _comment(line: str) -> str | None:
    """The text after the `#` that starts the line's comment, or None when it has none."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote is not None:
            if c == "\\" and quote == '"':
                i += 1  # an escaped character, such as \"
            elif c == quote and quote == "'" and line[i + 1 : i + 2] == "'":
                i += 1  # '' is a quote inside a single-quoted string
            elif c == quote:
                quote = None
        elif c in "'\"" and (i == 0 or line[i - 1] in _OPENERS):
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1 :]
        i += 1
    return None


def inline_ignores(text: str) -> dict[int, frozenset[str] | None]:
    """Line number (1-based) to the codes ignored on it; None means every code."""
    ignores: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        comment = _comment(line) if "carecheck" in line else None
        match = _MARKER.match(comment) if comment is not None else None
        if match is None:
            continue
        if match.group(1) is None:
            ignores[number] = None
            continue
        refs = [ref.strip() for ref in match.group(1).split(",") if ref.strip()]
        ignores[number] = frozenset((r.code if (r := find_rule(ref)) else ref.upper()) for ref in refs)
    return ignores


def drop_ignored(findings: Iterable[Finding], path: str, text: str) -> list[Finding]:
    """The findings of `path` not silenced by a marker on their line (findings of other files kept)."""
    ignores = inline_ignores(text)
    kept = []
    for f in findings:
        line = f.position.line if f.position is not None and f.path == path else None
        if line in ignores and (ignores[line] is None or f.code in (ignores[line] or ())):
            continue
        kept.append(f)
    return kept


def apply_levels(findings: Iterable[Finding], levels: Mapping[str, str]) -> list[Finding]:
    """The findings with the levels of carecheck.yaml's `lint:` (code to off, error or warning) applied."""
    kept = []
    for f in findings:
        level = levels.get(f.code)
        if level == "off":
            continue
        kept.append(dataclasses.replace(f, severity=level) if level is not None else f)
    return kept


def silenced(findings: list[Finding], path: Path, levels: Mapping[str, str]) -> list[Finding]:
    """The findings of the file at `path` as the user asked to see them: `lint:` levels applied, and those
    a `# carecheck: ignore` marker silences on their line dropped (the file is read again only then)."""
    findings = apply_levels(findings, levels)
    if not findings or all(f.position is None for f in findings):
        return findings
    try:
        text = read_bounded(path, MAX_BYTES).decode("utf-8-sig", errors="replace")
    except (CarecheckError, OSError):
        return findings
    return drop_ignored(findings, str(path), text)
