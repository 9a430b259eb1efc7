"""The command line's shared parts: the group and its error boundary (exit codes, crash log), settings,
the catalog, colour and progress, and the helpers every command uses.

Only click is imported at start-up; each command imports the core it needs, so
`carecheck --version` and `--help` stay fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from carecheck import __version__
from carecheck.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, CarecheckError, printable

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from carecheck.catalog.config import Settings
    from carecheck.catalog.loading import Catalog


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FINDINGS_FORMATS = ["text", "txt", "json", "github", "junit", "sarif"]
GATE_FORMATS = ["json", "github", "junit", "sarif"]  # = gates.GATE_FORMATS, kept light
PROGRESS_MIN_FILES = 20  # fewer files than this finish before a bar would be worth drawing
_SETTINGS = "carecheck.settings"
_BROKEN_SETTINGS = "carecheck.broken-settings"
# validate reports a broken configuration as findings; rules and schema never read it
_SETTINGS_NOT_NEEDED = {"validate", "rules", "schema"}


class Command(click.Command):
    """Every subcommand: a configuration that cannot be used stops the command, not its --help."""

    def invoke(self, ctx: click.Context) -> Any:
        broken: CarecheckError | None = ctx.meta.get(_BROKEN_SETTINGS)
        if broken is not None:
            raise broken
        return super().invoke(ctx)


class DefaultChecklistCommand(Command):
    """A command whose CHECKLIST defaults to the configured one: its --help says which that is now."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        from carecheck.catalog.config import DEFAULT_CHECKLIST

        try:
            current = settings(ctx)
        except CarecheckError:
            in_effect = "unknown: the configuration has errors (`carecheck config` names them)"
        else:
            if current.checklist is not None:
                in_effect = f"{current.checklist} (from {current.origin('checklist')})"
            elif self.name == "audit":
                in_effect = f"{DEFAULT_CHECKLIST} (the built-in default)"
            else:
                in_effect = "none configured"
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(f"Checklist in effect: {in_effect}.")


AUDITS_DIR = click.option(
    "--dir",
    "folder",
    metavar="DIR",
    default="audits",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The audits folder: answers go to DIR/<organisation>/<audit>/<checklist>--<name>.yaml.",
)
"""`--dir`: where `audit` and `import` save answer files."""

JOBS = click.option(
    "--jobs",
    "-j",
    metavar="N",
    type=click.IntRange(min=1),
    help="Processes that share the files [default: every core; 1: this process only]. "
    "Used from 400 files on; the output is the same either way.",
)
"""`--jobs`: the processes `validate`, `report`, `history` and `portfolio` spread their files over, and
`import` and `collect` the answer files already in the audits folder."""


class Text(click.types.StringParamType):
    """A text option: bytes that are not UTF-8 on the command line (Python hands them over as lone
    surrogates, which no file can hold) are a usage error, not a crash when the text is written."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = super().convert(value, param, ctx)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogateescape")
            self.fail(f"{raw!r} is not UTF-8 text (is the terminal set to UTF-8?)", param, ctx)
        return text


TEXT = Text()


class FiniteRange(click.FloatRange):
    """A FloatRange that refuses nan and inf (a comparison with nan is always false, so FloatRange lets it by)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


_SYSTEM_REFUSED = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}
"""OSErrors that are the system's refusal, not our bug: exit 2 (any other reaching the boundary is exit 3)."""


COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "Walk through a checklist and save every answer."),
    "collect": ("export", "File returned answer files into the audits folder."),
    "config": ("checklists", "Show the settings in effect and where each comes from."),
    "export": ("export", "Write a checklist as an offline form or a paper copy."),
    "history": ("report", "Audits over time, per organisation and checklist."),
    "import": ("audit", "Turn a survey export (CSV) into answer files."),
    "init": ("checklists", "Start your own folder: configuration, audits, a checklist."),
    "list": ("checklists", "List the built-in and local checklists."),
    "portfolio": ("portfolio", "Every organisation in the audits folder, one row each."),
    "report": ("report", "Score answer files and render the improvement report."),
    "rules": ("validate", "List the lint rules and the report's gate codes."),
    "schema": ("validate", "Print the JSON Schema of a file format, for editors."),
    "show": ("checklists", "Show a checklist, resolved."),
    "validate": ("validate", "Lint checklists, answer files, plans and configuration files."),
}
"""Each command: the module of carecheck.cli that defines it (imported only when the command is run, so
start-up pays for one command, not all) and the line `carecheck --help` shows for it."""


class Boundary(click.Group):
    """The one error boundary: every command runs inside `invoke`.

    Project errors print their message and exit with their code; Ctrl-C exits 130
    (whoever holds unsaved answers saves them on the way out); anything else is a
    bug: one line asking to report it, exit 3, and the traceback with --debug.

    Commands are loaded when first named (COMMANDS says from where); `--help` lists them without loading any.
    """

    command_class = Command

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        listed = COMMANDS.get(name or cmd.name or "")
        if listed is not None:
            cmd.short_help = listed[1]
        super().add_command(cmd, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS.keys() | self.commands.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            importlib.import_module(f"carecheck.cli.{COMMANDS[cmd_name][0]}")
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug")) or os.environ.get("CARECHECK_DEBUG", "") not in ("", "0", "false")
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted", EXIT_INTERRUPTED)
        except CarecheckError as exc:
            if debug:
                raise
            _say_last(str(exc))
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            # the reader went away (`carecheck ... | head`): not an error of ours
            _detach_output()
            sys.exit(0)
        except Exception as exc:
            if debug:
                raise
            if isinstance(exc, OSError) and exc.errno in _SYSTEM_REFUSED:
                # not a bug of ours: the system refused (a full disk or quota under `> file`, a failing device)
                where = f" ({exc.filename})" if exc.filename else ""
                _fail(f"cannot go on{where}: {exc.strerror or exc}", EXIT_USAGE)
            log = _crash_log(exc)
            _fail(
                f"internal error ({type(exc).__name__}), please report it; rerun with --debug for details"
                + (f"\ncarecheck: the version, command line and traceback are in {log}" if log else ""),
                EXIT_INTERNAL,
            )


def _detach_output() -> None:
    """Point stdout and stderr at the null device, so that flushing them on exit cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):  # no real file (a test's capture): nothing to flush into a dead terminal
            continue


@click.group(cls=Boundary, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="carecheck")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="CARECHECK_CONFIG",
    help="Configuration file (default: ./carecheck.yaml if present).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, config: Path | None) -> None:
    """Audit your own customer care: checklists, a guided self-audit, improvement reports.

    \b
    Settings, highest first: the command line, CARECHECK_* environment variables,
    the configuration file, defaults (`carecheck config` shows them).
    Exit codes: 0 success, 1 findings or a failed gate, 2 usage or unreadable input,
    3 internal error (rerun with --debug), 130 interrupted, 143/129 SIGTERM/SIGHUP (answers are saved first).
    """
    if ctx.invoked_subcommand not in _SETTINGS_NOT_NEEDED:
        try:
            configured = settings().default_map()
        except CarecheckError as exc:
            # raised when the command runs (see Command), so that `SUBCOMMAND --help` still works
            ctx.meta[_BROKEN_SETTINGS] = exc
            configured = {}
        ctx.default_map = {**configured, **(ctx.default_map or {})}


def settings(ctx: click.Context | None = None) -> Settings:
    """The settings of this invocation (configuration file + CARECHECK_* variables), loaded once.

    Commands use it for what options do not cover (branding, the audits folder, the plan);
    options named in `Settings.default_map` already default to it. See carecheck/config.py.
    """
    from carecheck.catalog.config import load_settings

    root = (ctx or click.get_current_context()).find_root()
    loaded: Settings | None = root.meta.get(_SETTINGS)
    if loaded is None:
        loaded = load_settings(root.params.get("config"), os.environ)
        root.meta[_SETTINGS] = loaded
    return loaded


def _catalog(ctx: click.Context | None = None) -> Catalog:
    from carecheck.catalog.loading import Catalog

    configured = settings(ctx)
    return Catalog(folders=configured.catalog_folders(), levels=configured.lint)


def _use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and stream.isatty()


def _progress(items: list[Any], label: str = "Validating") -> Iterable[Any]:
    """A progress bar on stderr while many files are read, on a terminal only."""
    if len(items) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return items
    return _bar(items, sys.stderr, label)


def _bar(items: list[Any], stream: TextIO, label: str = "Validating") -> Iterator[Any]:
    with click.progressbar(items, label=label, file=stream, show_pos=True, width=30) as bar:
        yield from bar


def complete_checklist(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a checklist id (an argument or --checklist): the ids the catalog knows."""
    try:
        return [cid for cid in _catalog(ctx).ids(Path.cwd()) if cid.startswith(incomplete)]
    except Exception:  # completion runs outside the error boundary and must never break the shell
        return []


def _terminal_width(widest: int) -> int:
    """The terminal's width for a text document, kept between 40 columns and `widest`."""
    import shutil

    return min(max(shutil.get_terminal_size((80, 24)).columns, 40), widest)


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """A message or a line to the terminal, made printable (errors.printable): what carecheck says often
    quotes a file (a band label, an unknown key, a waiver owner), whose escape sequences must not reach
    the terminal. Documents styled by carecheck itself go out through `_output`."""
    click.echo(printable(text), err=err, nl=nl)


def _output(document: str | bytes, target: Path | None, *, color: bool, say: bool) -> None:
    """A document to its file (atomically; named on stderr when `say`), else to stdout."""
    if target is not None:
        _write(target, document)
        if say:
            click.echo(f"wrote {target}", err=True)
    elif isinstance(document, bytes):
        sys.stdout.buffer.write(document)
    else:
        click.echo(document, nl=False, color=color)


def _refuse_replacing(outputs: list[Path | None], *reads: Path | None) -> None:
    """fs.refuse_replacing for a command's outputs, carecheck.yaml (when one is read) added to what it reads."""
    from carecheck.fs import refuse_replacing

    source = None
    with contextlib.suppress(CarecheckError):  # a broken configuration is reported where it is used
        source = settings().source
    refuse_replacing(outputs, [*reads, source])


def _write(path: Path, content: str | bytes) -> None:
    """Write an output file atomically (what cannot be written is an InputError, exit 2)."""
    from carecheck.fs import write_atomic

    write_atomic(path, content)


def _crash_log(exc: BaseException) -> Path | None:
    """Write the evidence of an internal error where pre-commit writes its own: the user's cache folder
    (`$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`), `carecheck/carecheck.log`. None if it cannot."""
    import platform
    import traceback

    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or os.path.expanduser("~/.cache")
    log = Path(base) / "carecheck" / "carecheck.log"
    text = (
        "### carecheck internal error\n\n"
        f"version: {__version__}\npython: {platform.python_version()} on {platform.platform()}\n"
        f"command: {' '.join(sys.argv)}\n\n```\n{''.join(traceback.format_exception(exc)).rstrip()}\n```\n"
    )
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(text, encoding="utf-8")
    except (OSError, ValueError):
        return None
    return log


def _fail(message: str, code: int) -> NoReturn:
    _say_last(f"carecheck: {message}")
    sys.exit(code)


def _say_last(message: str) -> None:
    """The last words of a run, on stderr; when the terminal has gone (a hang-up) the exit code still tells."""
    try:
        say(message, err=True)
    except OSError:
        _detach_output()
