"""The command line: click commands only (options in, one core call, output, exit code), one module per
command group; `cli` (cli/base.py) loads each command's module when the command is named
(base.COMMANDS). This module holds the console script.
"""

from __future__ import annotations

import sys

from carecheck.cli.base import cli


def main() -> None:
    """The console script."""
    # a file name that is not valid UTF-8 must not stop the output: show it escaped instead
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    cli(prog_name="carecheck")


__all__ = ["cli", "main"]
