"""Rendering a portfolio (`carecheck portfolio`): a format registry, as report.py and history.py have.

Text, Markdown and HTML are Jinja templates (`portfolio.txt.j2`, `portfolio.md.j2`,
`portfolio.html.j2`) of the one report environment; JSON and CSV are written here. The HTML table
sorts by any column with a small inline script (`portfolio.sort.js.j2`, allowed by its sha256 in
the page's CSP); without it the table reads the same, in name order. Every number comes from
scoring.portfolio.Portfolio.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from carecheck.errors import UsageError
from carecheck.render.report import DEFAULT_ACCENT, _cell, _date, _round, _signed, accent_palette, environment
from carecheck.render.style import styler
from carecheck.scoring.portfolio import Portfolio, PortfolioRow

PORTFOLIO_FORMAT_VERSION = 1
FORMAT_NAMES = ("txt", "md", "html", "json", "csv")
EXTENSIONS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}
TEMPLATES = {"txt": "portfolio.txt.j2", "md": "portfolio.md.j2", "html": "portfolio.html.j2"}
SCRIPT = "portfolio.sort.js.j2"
CSV_COLUMNS = (
    "organisation",
    "checklist",
    "audit",
    "date",
    "audits",
    "respondents",
    "overall",
    "rating",
    "change",
    "widest_gap",
    "widest_gap_question",
    "critical_below",
    "top_action",
)


@dataclass(frozen=True)
class PortfolioOptions:
    generated: datetime
    width: int = 80
    """Text: the line length to fit."""
    color: bool = False
    """Text: ANSI colours (only for a terminal that wants them)."""
    generator: str | None = None
    title: str = "Portfolio"


def portfolio_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for: `--format`, else from the output's extension, else txt."""
    from carecheck.render.report import format_for

    return format_for(fmt, output, FORMAT_NAMES, EXTENSIONS)


def _generator_name() -> str:
    from carecheck import __version__

    return f"carecheck {__version__}"


def _row_data(r: PortfolioRow) -> dict[str, Any]:
    gap = r.widest_gap
    return {
        "organisation": r.organisation,
        "checklist": {"id": r.checklist_id, "title": r.checklist_title},
        "audit": r.audit,
        "date": _date(r.date, "iso") or None,
        "audits": r.audits,
        "respondents": r.respondents,
        "overall": _round(r.overall, 1),
        "rating": r.rating,
        "draft": r.draft,
        "change": r.change,
        "widest_gap": None if gap is None else {"question": gap.id, "text": gap.title, "gap": _round(gap.gap, 1)},
        "critical_below": r.critical_below,
        "top_action": r.top_action,
    }


def portfolio_data(portfolio: Portfolio, options: PortfolioOptions) -> dict[str, Any]:
    """The JSON portfolio: `carecheck-portfolio: 1` (docs/report-format.md)."""
    return {
        "carecheck-portfolio": PORTFOLIO_FORMAT_VERSION,
        "generated": _date(options.generated, "iso"),
        "generator": options.generator or _generator_name(),
        "folder": portfolio.folder,
        "summary": {
            "organisations": len(portfolio.rows),
            "respondents": portfolio.respondents,
            "mean_overall": _round(portfolio.mean, 1),
            "improved": portfolio.improved,
            "declined": portfolio.declined,
            "with_critical_below": portfolio.with_critical,
            "ratings": dict(portfolio.ratings()),
        },
        "organisations": [_row_data(r) for r in portfolio.rows],
    }


def _json(portfolio: Portfolio, options: PortfolioOptions) -> str:
    return json.dumps(portfolio_data(portfolio, options), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _csv(portfolio: Portfolio, options: PortfolioOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in portfolio.rows:
        gap = r.widest_gap
        writer.writerow(
            [
                _cell(r.organisation),
                r.checklist_id,
                _cell(r.audit or ""),
                _date(r.date, "iso"),
                str(r.audits),
                str(r.respondents),
                "" if r.overall is None else f"{r.overall:.1f}",
                _cell(r.rating or ""),
                _signed(r.change),
                "" if gap is None else f"{gap.gap:.1f}",
                "" if gap is None else gap.id,
                str(r.critical_below),
                _cell(r.top_action or ""),
            ]
        )
    return buffer.getvalue()


def _template(fmt: str) -> Callable[[Portfolio, PortfolioOptions], str]:
    def render(portfolio: Portfolio, options: PortfolioOptions) -> str:
        env = environment(None)
        script = env.get_template(SCRIPT).render() if fmt == "html" else ""
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        return env.get_template(TEMPLATES[fmt]).render(
            portfolio=portfolio,
            title=options.title,
            generated=options.generated,
            generator=options.generator or _generator_name(),
            width=options.width,
            style=styler(options.color),
            script=script,
            script_hash=f"sha256-{digest}",
            # the report's stylesheet (report.css.j2) and what its printed page's footer names
            card={"organisation": portfolio.folder, "draft": False},
            colours=accent_palette(DEFAULT_ACCENT),
        )

    return render


FORMATS: dict[str, Callable[[Portfolio, PortfolioOptions], str]] = {
    "txt": _template("txt"),
    "md": _template("md"),
    "html": _template("html"),
    "json": _json,
    "csv": _csv,
}


def render_portfolio(portfolio: Portfolio, fmt: str, options: PortfolioOptions) -> str:
    """The portfolio in a format of FORMATS."""
    try:
        return FORMATS[fmt](portfolio, options)
    except (jinja2.TemplateError, KeyError) as exc:  # pragma: no cover - the built-in templates are tested
        raise UsageError(f"template error: {exc}") from None


__all__ = ["FORMATS", "PortfolioOptions", "portfolio_data", "portfolio_format", "render_portfolio"]
