"""`carecheck portfolio`: one row per organisation across an audits folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from carecheck.cli.base import (
    JOBS,
    _catalog,
    _progress,
    _refuse_replacing,
    _terminal_width,
    _use_color,
    _write,
    cli,
    settings,
)


@cli.command()
@click.argument("folder", required=False, metavar="[DIR]", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "text", "md", "html", "json", "csv"], case_sensitive=False),
    help="Default: from the extension of -o, else txt to the terminal.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE (atomically).")
@click.option("--title", default="Portfolio", show_default=True, help="The document's title.")
@click.option(
    "--rescore",
    type=click.Choice(["stored", "current"]),
    default="stored",
    show_default=True,
    help="stored: score each audit against the checklist it answered (kept in DIR/.checklists); current: "
    "against the checklist as it is now.",
)
@JOBS
def portfolio(
    folder: Path | None, fmt: str | None, output: Path | None, title: str, rescore: str, jobs: int | None
) -> None:
    """Every organisation in the audits folder, one row each: its latest audit, respondents, overall
    score, rating, change since its previous audit, widest perception gap, critical questions below
    their bar and top action; then a summary line across them.

    DIR is the audits folder (default: the `audits` setting, ./audits). Each organisation is scored
    on its own checklist. The HTML table sorts by any column.
    """
    from carecheck.audits.portfolio import build_portfolio
    from carecheck.render.portfolio import PortfolioOptions, portfolio_format, render_portfolio
    from carecheck.render.report import report_date

    name = portfolio_format(fmt, output)
    _refuse_replacing([output])
    where = folder if folder is not None else settings().audits
    found, notices = build_portfolio(
        where, _catalog(), rescore=rescore, progress=lambda paths: _progress(paths, "Reading audits"), jobs=jobs
    )
    for notice in notices:
        click.echo(f"carecheck: {notice}", err=True)
    terminal = output is None and sys.stdout.isatty()
    options = PortfolioOptions(
        generated=report_date(os.environ),
        width=_terminal_width(120) if terminal else 80,
        color=terminal and _use_color(sys.stdout),
        title=title,
    )
    document = render_portfolio(found, name, options)
    if output is not None:
        _write(output, document)
    else:
        click.echo(document, nl=False, color=options.color)
