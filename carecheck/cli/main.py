"""The command line: click commands only (options in, one core call, output, exit code), one module per
command group; this module gathers them into the `carecheck` group and holds the console script.
"""

from __future__ import annotations

import sys

from carecheck.cli import audit, checklists, export, portfolio, report, validate
from carecheck.cli.base import cli

COMMAND_GROUPS = (validate, checklists, audit, export, report, portfolio)
"""Imported for their commands, which register themselves on `cli`."""


def main() -> None:
    """The console script."""
    # a file name that is not valid UTF-8 must not stop the output: show it escaped instead
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    cli(prog_name="carecheck")


__all__ = ["cli", "main"]
