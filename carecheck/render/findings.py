"""Output formats for findings (`validate --format`, and the report's gates): a registry from name to function.

Each format takes the findings and every file (or other subject) that was checked, and returns the
whole text to print. Adding a format is one function and one line in `FORMATS`.

The report's gates (`--gate-format`) use the same registry (see gates.py): a failed gate is a `Finding`
(path = the answer file or checklist it is about, `subject` = the gate) whose code is registered in
`rules.RULES`, so that SARIF can describe its rule; the gates checked are passed as `files` with
`checked="gates"`, so that JUnit gives each gate a test case and JSON counts gates, not files. A gate
that a waiver accepts is a finding of severity "note" (a GitHub notice, a SARIF note, never a failure).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from carecheck import __version__
from carecheck.errors import Finding, format_finding
from carecheck.render.style import styler

if TYPE_CHECKING:
    from typing import Protocol

    class FindingsFormat(Protocol):
        def __call__(
            self, findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files"
        ) -> str: ...


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summarise(findings: Sequence[Finding], *, verbose: bool = False, color: bool = False) -> list[str]:
    """The lines of findings said to a person: those that say the same (code and message) about many
    files are said once, the first with how many more there are; `verbose` lists every one."""
    if verbose:
        return [format_finding(f, styler(color)) for f in findings]
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.code, f.severity, f.message), []).append(f)
    lines = []
    for first, *more in groups.values():
        line = format_finding(first, styler(color))
        if more:
            line += f" (and {len(more):,} more file{'s' * (len(more) != 1)}; -v lists them)"
        lines.append(line)
    return lines


def _text(findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files") -> str:
    return "".join(format_finding(f, styler(color)) + "\n" for f in findings)


def _json(findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files") -> str:
    items = []
    for f in findings:
        item: dict[str, Any] = {
            "path": f.path,
            "line": f.position.line if f.position else None,
            "column": f.position.col if f.position else None,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
        }
        if f.subject is not None:
            item["subject"] = f.subject
        items.append(item)
    doc = {"carecheck-findings": 1, checked: len(files), "findings": items}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------------
# GitHub Actions workflow commands: one annotation per finding, shown on the file and line.


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


_GH_COMMANDS = {"warning": "warning", "note": "notice"}


def _github(findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files") -> str:
    lines = []
    for f in findings:
        props = [f"file={_gh_property(f.path)}"]
        if f.position is not None:
            props += [f"line={f.position.line}", f"col={f.position.col}"]
        props.append(f"title={_gh_property(f.code)}")
        lines.append(f"::{_GH_COMMANDS.get(f.severity, 'error')} {','.join(props)}::{_gh_data(f.message)}\n")
    return "".join(lines)


# ---------------------------------------------------------------------------------------------------
# JUnit XML: one test case per file (or gate) checked; its errors are one failure, the rest its output.

_XML_INVALID = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # compiled on first use: 5 ms


def _xml_text(text: str) -> str:
    return re.sub(_XML_INVALID, "\ufffd", text)


def _junit(findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files") -> str:
    import xml.etree.ElementTree as ET

    by_case: dict[str, list[Finding]] = {name: [] for name in files}
    for f in findings:
        by_case.setdefault(f.subject or f.path, []).append(f)
    failed = sum(any(f.severity == "error" for f in found) for found in by_case.values())
    counts = {"tests": str(len(by_case)), "failures": str(failed), "errors": "0", "skipped": "0"}
    title = "carecheck" if checked == "files" else f"carecheck {checked}"
    root = ET.Element("testsuites", {"name": title, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": title, **counts})
    for name, found in by_case.items():
        attributes = {"classname": title, "name": _xml_text(name)}
        # a gate's test case names the file its first finding is about; a passing gate has none
        where = found[0].path if found else (name if checked == "files" else None)
        if where is not None:
            attributes["file"] = _xml_text(where)
        case = ET.SubElement(suite, "testcase", attributes)
        errors = [f for f in found if f.severity == "error"]
        others = [f for f in found if f.severity != "error"]
        if errors:
            summary = errors[0].message if len(errors) == 1 else f"{len(errors)} errors"
            failure = ET.SubElement(case, "failure", {"type": errors[0].code, "message": _xml_text(summary)})
            failure.text = _xml_text("\n".join(format_finding(f) for f in errors))
        if others:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(format_finding(f) for f in others))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# ---------------------------------------------------------------------------------------------------
# SARIF 2.1.0: rules from the lint registry, one result per finding with its physical location.


def _artifact(path: str) -> dict[str, str]:
    from urllib.parse import quote

    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix()), "uriBaseId": "%SRCROOT%"}


def _sarif_rule(code: str) -> dict[str, Any]:
    from carecheck.lint.rules import RULES

    rule = RULES.get(code)
    if rule is None:
        return {"id": code, "shortDescription": {"text": code}}
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.documentation},
        "help": {"text": rule.documentation},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": [rule.applies_to]},
    }


_SARIF_LEVELS = {"warning": "warning", "note": "note"}


def _sarif(findings: Sequence[Finding], files: Sequence[str], *, color: bool = False, checked: str = "files") -> str:
    from carecheck.lint.rules import RULES

    codes = sorted(set(RULES) | {f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        location: dict[str, Any] = {"artifactLocation": _artifact(f.path)}
        if f.position is not None:
            location["region"] = {"startLine": f.position.line, "startColumn": f.position.col}
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVELS.get(f.severity, "error"),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "carecheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_sarif_rule(code) for code in codes],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


FORMATS: dict[str, FindingsFormat] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "junit": _junit,
    "sarif": _sarif,
}
FORMAT_ALIASES = {"txt": "text"}
