"""Names as carecheck files things: the slugs of organisations, audits and respondents, safe as parts of a
path on every OS. The one place of these rules: the answer-file store names files with them, and the
offline form's script follows them (`slug_table` is what it transliterates with)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from anyascii import anyascii

SLUG_MAX = 48
LABEL_MAX = 32
"""Caps on the parts of `<org>/<audit>/<checklist>--<name>--NN.yaml` (at most 190 characters), so an answer
file's path stays within Windows' 260 with room for the audits folder."""
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10))})
"""Names Windows reserves for devices, with or without an extension (`nul.yaml` is the device too)."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "unnamed") -> str:
    """A lower-case, hyphenated, ASCII form of a name, for folder and file names.

    Non-Latin names are transliterated ("Ромашка" -> "romashka", "Łódź" -> "lodz"), not dropped,
    so that two organisations named in Cyrillic or Japanese do not both become the fallback. A long
    name is cut to SLUG_MAX characters, ending in a short hash of the whole name, so two long names
    that begin alike stay apart.
    """
    kebab = _NOT_SLUG.sub("-", anyascii(text).lower()).strip("-")
    if len(kebab) > SLUG_MAX:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        kebab = f"{kebab[: SLUG_MAX - 9].rstrip('-')}-{digest}"
    return kebab or fallback


def safe_name(name: str) -> str:
    """A folder or file name every OS accepts: no Windows device name (CON, NUL, COM1, ... with or
    without an extension, any case), no trailing dot or space. The device names get a `_`, which a
    slug never holds, so the result stays unique."""
    name = name.rstrip(". ")
    if name.split(".")[0].rstrip(" ").casefold() in RESERVED:
        stem, dot, rest = name.partition(".")
        name = f"{stem}_{dot}{rest}"
    return name or "_"


def path_part(text: str, fallback: str = "unnamed") -> str:
    """The slug of a name, safe as one part of a path on every OS."""
    return safe_name(slug(text, fallback))


def audit_folder_name(label: str) -> str:
    """An audit label as its folder is named: as written (2026-Q3), in the characters every OS takes."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.")
    if len(name) > LABEL_MAX:
        name = f"{name[: LABEL_MAX - 9].rstrip('-.')}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"
    return safe_name(name) if name else "audit"


SLUG_TABLE_RANGES = ((0x00A0, 0x0530), (0x1E00, 0x2000))
"""The code points the offline form transliterates exactly as `slug` does: Latin (with Vietnamese), Greek
and Cyrillic. Other scripts are left out of its download name (`carecheck collect` files by the fields)."""


@lru_cache(maxsize=1)
def slug_table() -> list[dict[str, object]]:
    """For the offline form: each code point of SLUG_TABLE_RANGES as `slug` spells it before the cap, lower
    case with `-` for what is not a letter or digit, `|`-separated per range (`from` is the first)."""
    return [
        {"from": start, "to": "|".join(_NOT_SLUG.sub("-", anyascii(chr(c)).lower()) for c in range(start, end))}
        for start, end in SLUG_TABLE_RANGES
    ]
