"""Rendering the history of audits (`carecheck history`): a format registry, as report.py has.

Text and Markdown are Jinja templates (`history.txt.j2`, `history.md.j2`) of the one report
environment; JSON and CSV are written here. Every number comes from trends.History.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from carecheck.errors import UsageError
from carecheck.render.report import _cell, _date, _round, _signed, environment
from carecheck.render.style import styler
from carecheck.scoring.trends import History

HISTORY_FORMAT_VERSION = 1
FORMAT_NAMES = ("txt", "md", "json", "csv")
EXTENSIONS = {".txt": "txt", ".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv"}
TEMPLATES = {"txt": "history.txt.j2", "md": "history.md.j2"}
CSV_COLUMNS = (
    "organisation",
    "checklist",
    "audit",
    "date",
    "respondents",
    "completed",
    "section",
    "title",
    "score",
    "change",
    "rating",
)
OVERALL = "overall"
"""The `section` of the CSV rows that hold the overall score."""


@dataclass(frozen=True)
class HistoryOptions:
    generated: datetime
    width: int = 80
    """Text: the line length to fit."""
    color: bool = False
    """Text: ANSI colours (only for a terminal that wants them)."""
    generator: str | None = None


def history_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for: `--format`, else from the output's extension, else txt."""
    from carecheck.render.report import format_for

    return format_for(fmt, output, FORMAT_NAMES, EXTENSIONS)


def history_data(history: History, options: HistoryOptions) -> dict[str, Any]:
    """The JSON history: `carecheck-history: 1` (docs/report-format.md)."""
    return {
        "carecheck-history": HISTORY_FORMAT_VERSION,
        "generated": _date(options.generated, "iso"),
        "generator": options.generator or _generator_name(),
        "folder": history.folder,
        "series": [
            {
                "organisation": s.organisation,
                "checklist": {"id": s.checklist_id, "title": s.checklist_title, "version": s.checklist_version},
                "sections": [{"id": t.id, "title": t.title} for t in s.sections],
                "audits": [
                    {
                        "audit": e.point.audit,
                        "date": _date(e.point.date, "iso") or None,
                        "respondents": e.point.respondents,
                        "completed": e.point.completed,
                        "overall": _round(e.point.overall, 1),
                        "change": e.change,
                        "rating": e.point.rating,
                        "draft": e.point.draft,
                        "sections": [
                            {"id": t.id, "score": _round(t.scores[i], 1), "change": t.changes[i]} for t in s.sections
                        ],
                    }
                    for i, e in enumerate(s.entries)
                ],
                "notes": list(s.notes),
            }
            for s in history.series
        ],
    }


def _generator_name() -> str:
    from carecheck import __version__

    return f"carecheck {__version__}"


def _json(history: History, options: HistoryOptions) -> str:
    return json.dumps(history_data(history, options), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _csv(history: History, options: HistoryOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in history.series:
        for i, e in enumerate(s.entries):
            p = e.point
            head = [_cell(s.organisation), s.checklist_id, _cell(p.audit or ""), _date(p.date, "iso")]
            head += [str(p.respondents), str(p.completed)]
            writer.writerow([*head, OVERALL, "Overall", _num(p.overall), _signed(e.change), _cell(p.rating or "")])
            for t in s.sections:
                writer.writerow([*head, t.id, _cell(t.title), _num(t.scores[i]), _signed(t.changes[i]), ""])
    return buffer.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _template(fmt: str) -> Callable[[History, HistoryOptions], str]:
    def render(history: History, options: HistoryOptions) -> str:
        env = environment(None)
        return env.get_template(TEMPLATES[fmt]).render(
            history=history,
            generated=options.generated,
            generator=options.generator or _generator_name(),
            width=options.width,
            style=styler(options.color),
        )

    return render


FORMATS: dict[str, Callable[[History, HistoryOptions], str]] = {
    "txt": _template("txt"),
    "md": _template("md"),
    "json": _json,
    "csv": _csv,
}


def render_history(history: History, fmt: str, options: HistoryOptions) -> str:
    """The history in a format of FORMATS; UsageError when there is no audit to show."""
    if not history.series:
        raise UsageError(
            f"no audits in {history.folder} (an answer file starts with `carecheck-answers: 1`; "
            "`carecheck audit` saves them there)"
        )
    try:
        return FORMATS[fmt](history, options)
    except (jinja2.TemplateError, KeyError) as exc:  # pragma: no cover - the built-in templates are tested
        raise UsageError(f"template error: {exc}") from None


__all__ = ["FORMATS", "HistoryOptions", "history_data", "history_format", "render_history"]
