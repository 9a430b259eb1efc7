"""Output formats for findings (`validate --format`): a registry from name to function."""

from __future__ import annotations

import json
from collections.abc import Callable

from carecheck.errors import Finding


def format_finding(f: Finding) -> str:
    """`file:line:col: CODE message` (warnings say so after the code)."""
    where = f.path if f.position is None else f"{f.path}:{f.position.line}:{f.position.col}"
    label = " warning:" if f.severity == "warning" else ""
    return f"{where}: {f.code}{label} {f.message}"


def _text(findings: list[Finding], files: int) -> str:
    return "".join(format_finding(f) + "\n" for f in findings)


def _json(findings: list[Finding], files: int) -> str:
    items = [
        {
            "path": f.path,
            "line": f.position.line if f.position else None,
            "column": f.position.col if f.position else None,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
        }
        for f in findings
    ]
    doc = {"carecheck-findings": 1, "files": files, "findings": items}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[list[Finding], int], str]] = {"text": _text, "json": _json}
FORMAT_ALIASES = {"txt": "text"}
