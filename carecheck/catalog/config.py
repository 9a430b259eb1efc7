"""Settings: the configuration file, CARECHECK_* environment variables and defaults, merged.

Precedence, highest first: the command line > CARECHECK_* environment variables > the configuration
file > built-in defaults. The file is `carecheck.yaml` in the working folder, or the one given with
`carecheck --config FILE` (or CARECHECK_CONFIG); its first key is `carecheck-config: 1` and its
format is `model.Config`. Paths in the file are relative to the file; paths in variables are
relative to the working folder. An unknown key, a wrong value or a bad variable is an error that
names its file:line:col or its variable (exit 2).

API for commands. cli.py loads the settings once per invocation (`cli.settings()`) and hands
`Settings.default_map()` to click, so options named below take their defaults from the settings
(the command line still wins):

    settings.audits       Path                    folder of answer files (default: audits)
    settings.templates    Path | None             report templates that override the built-ins
    settings.checklist    str | None              default checklist, an id or a path
    settings.checklists   tuple[Path, ...]        folders searched for checklists, before ./checklists
    settings.plan         Path | None             waivers and action owners (read with loading.load_plan)
    settings.brand_name / brand_logo / brand_accent   branding for reports (str, Path, "#rrggbb"; or None)
    settings.fail_under   tuple[Threshold, ...]   gates: Threshold(section=None) is the overall score
    settings.fail_on      str | None              "critical"
    settings.lint         Mapping[str, str]       rules switched off or re-levelled for validate (code: level)
    settings.roles        Mapping[str, str]       survey role labels to carecheck's roles (import --role-map)
    settings.source       Path | None             the configuration file read, if any
    settings.origin(name) -> str                  where a value came from ("CARECHECK_AUDITS",
                                                  "carecheck.yaml:4:9" or "default")
    settings.catalog_folders() -> list[Path]      checklist folders for loading.Catalog (checked to exist)
    settings.default_map() -> dict                click defaults: report --template-dir, --fail-under
                                                  (multiple), --fail-on, --plan; audit and import --dir;
                                                  audit and show CHECKLIST; import --checklist
    parse_threshold("60") / parse_threshold("contact=50") -> Threshold   the `--fail-under` syntax
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carecheck.errors import (
    EXIT_USAGE,
    CarecheckError,
    Finding,
    FindingsError,
    Position,
    UsageError,
    outcome_exit_code,
)
from carecheck.format.reader import Document, real_path
from carecheck.fs import is_dir, is_file

CONFIG_NAME = "carecheck.yaml"
DEFAULT_CHECKLIST = "care-essentials"  # what `audit` walks through when nothing names a checklist
DEFAULT_AUDITS = Path("audits")
LOCAL_CHECKLISTS = Path("checklists")

# Each setting and the variable that overrides it.
ENV = {
    "audits": "CARECHECK_AUDITS",
    "templates": "CARECHECK_TEMPLATES",
    "checklist": "CARECHECK_CHECKLIST",
    "checklists": "CARECHECK_CHECKLISTS",
    "plan": "CARECHECK_PLAN",
    "brand_name": "CARECHECK_BRAND_NAME",
    "brand_logo": "CARECHECK_BRAND_LOGO",
    "brand_accent": "CARECHECK_BRAND_ACCENT",
    "fail_under": "CARECHECK_FAIL_UNDER",
    "fail_on": "CARECHECK_FAIL_ON",
}

# Where each setting lives in the file, for error positions and origins.
_FILE_LOC: dict[str, tuple[str, ...]] = {
    "audits": ("audits",),
    "templates": ("templates",),
    "checklist": ("checklist",),
    "checklists": ("checklists",),
    "plan": ("plan",),
    "brand_name": ("branding", "name"),
    "brand_logo": ("branding", "logo"),
    "brand_accent": ("branding", "accent"),
    "fail_under": ("gates", "fail_under"),
    "fail_on": ("gates", "fail_on"),
}

_ACCENT = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class ConfigError(UsageError):
    """The configuration file cannot be used, with every finding (validate reports them as findings).

    It exits as `validate` does for the same file (errors.outcome_exit_code): 2 when the file cannot be
    read at all (missing, not UTF-8, not YAML), 1 when it was read and is wrong.
    """

    def __init__(self, findings: list[Finding]) -> None:
        findings = sorted(findings, key=lambda f: f.sort_key)
        first = findings[0]
        super().__init__(first.message, path=first.path, position=first.position, code=first.code)
        self.findings = findings
        self.exit_code = outcome_exit_code(findings) or EXIT_USAGE

    @classmethod
    def from_error(cls, exc: CarecheckError) -> ConfigError:
        if isinstance(exc, FindingsError):
            return cls(exc.findings)
        return cls([Finding(str(exc.path or ""), exc.position, exc.code or "CC001", exc.message)])

    def __str__(self) -> str:
        from carecheck.errors import format_finding

        return "\n".join(format_finding(f) for f in self.findings)


@dataclass(frozen=True)
class Threshold:
    """One `--fail-under` gate: the overall score (section None) or a section's must reach `score`."""

    section: str | None
    score: float

    def as_option(self) -> str:
        score = f"{self.score:g}"
        return score if self.section is None else f"{self.section}={score}"


def parse_threshold(text: str) -> Threshold:
    """`60` (overall) or `section-id=60`; ValueError with a readable message otherwise."""
    section, equals, score = text.strip().rpartition("=")
    if equals and not section.strip():
        raise ValueError(f"'{text}': name the section before =, e.g. contact=60 (or give 60 for the overall score)")
    try:
        value = float(score)
    except ValueError:
        raise ValueError(f"'{text}' is not a score: use 60 (overall) or section-id=60") from None
    if not 0 <= value <= 100:
        raise ValueError(f"'{text}': a score is between 0 and 100")
    if section == "overall":
        section = ""
    return Threshold(section.strip() or None, value)


@dataclass(frozen=True)
class Settings:
    """The effective settings of one invocation (see the module docstring for the API)."""

    audits: Path = DEFAULT_AUDITS
    templates: Path | None = None
    checklist: str | None = None
    checklists: tuple[Path, ...] = ()
    plan: Path | None = None
    brand_name: str | None = None
    brand_logo: Path | None = None
    brand_accent: str | None = None
    fail_under: tuple[Threshold, ...] = ()
    fail_on: str | None = None
    lint: Mapping[str, str] = field(default_factory=dict)
    """Rules switched off or re-levelled for `validate`: code to off, error or warning."""
    roles: Mapping[str, str] = field(default_factory=dict)
    """`roles:`: survey role labels to carecheck's roles, the default of `import --role-map`."""
    source: Path | None = None
    origins: Mapping[str, str] = field(default_factory=dict)
    positions: Mapping[str, Position] = field(default_factory=dict)

    def origin(self, name: str) -> str:
        """Where a setting came from: a variable name, file:line:col, or "default"."""
        if name in self.positions:
            pos = self.positions[name]
            return f"{self.source}:{pos.line}:{pos.col}"
        return self.origins.get(name, "default")

    def catalog_folders(self) -> list[Path]:
        """The folders a Catalog searches before the built-ins: configured ones, then ./checklists."""
        for folder in self.checklists:
            if is_dir(folder):
                continue
            message = f"no folder '{folder}'"
            if "checklists" in self.positions:
                raise ConfigError([Finding(str(self.source), self.positions["checklists"], "CC401", message)])
            raise UsageError(f"{self.origin('checklists')}: {message}")
        folders = list(self.checklists)
        if is_dir(LOCAL_CHECKLISTS) and not any(_same(LOCAL_CHECKLISTS, f) for f in folders):
            folders.append(LOCAL_CHECKLISTS)
        return folders

    def default_map(self) -> dict[str, dict[str, Any]]:
        """Defaults for click options (`Context.default_map`): below the command line, above option defaults."""
        report: dict[str, Any] = {}
        if self.templates is not None:
            report["template_dir"] = str(self.templates)
        if self.fail_under:
            report["fail_under"] = tuple(t.as_option() for t in self.fail_under)
        if self.fail_on is not None:
            report["fail_on"] = self.fail_on
        if self.plan is not None:
            report["plan"] = str(self.plan)
        commands: dict[str, dict[str, Any]] = {
            "report": report,
            "audit": {"folder": str(self.audits)},
            "import": {"folder": str(self.audits)},
            "collect": {"folder": str(self.audits)},
        }
        if self.checklist is not None:
            commands["audit"]["checklist"] = self.checklist
            commands["import"]["checklist"] = self.checklist
            commands["show"] = {"checklist": self.checklist}
            commands["export"] = {"checklist": self.checklist}
            # not collect: returned answer files name their own checklist (a form of another checklist
            # is still filed, and refused only beside files of a different one)
        return {name: values for name, values in commands.items() if values}

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, value, origin) of every setting, for `carecheck config`."""
        rows = []
        for name in ENV:
            value = getattr(self, name)
            if name == "fail_under":
                shown = " ".join(t.as_option() for t in value) or "-"
            elif name == "checklists":
                shown = os.pathsep.join(str(p) for p in value) or "-"
            elif name == "checklist" and value is None:
                shown = DEFAULT_CHECKLIST  # what audit takes
            else:
                shown = "-" if value is None else str(value)
            rows.append((name, shown, self.origin(name)))
        return rows


def _same(a: Path, b: Path) -> bool:
    try:
        return real_path(a) == real_path(b)
    except OSError:
        return False


def config_path(given: Path | None) -> Path | None:
    """The configuration file to read: the one given, else ./carecheck.yaml if there is one."""
    if given is not None:
        return given
    default = Path(CONFIG_NAME)
    return default if is_file(default) else None


def load_settings(given: Path | None, environ: Mapping[str, str]) -> Settings:
    """The settings from the configuration file (given or ./carecheck.yaml), then the environment."""
    values: dict[str, Any] = {}
    positions: dict[str, Position] = {}
    origins: dict[str, str] = {}
    path = config_path(given)
    if path is not None:
        values, positions = _from_file(path)
    for name, var in ENV.items():
        text = environ.get(var, "").strip()
        if text:
            values[name] = _from_env(name, var, text)
            origins[name] = var
            positions.pop(name, None)
    return Settings(**values, source=path, origins=origins, positions=positions)


def _from_file(path: Path) -> tuple[dict[str, Any], dict[str, Position]]:
    from carecheck.catalog.loading import load_config

    try:
        doc, config = load_config(path)
    except CarecheckError as exc:
        raise ConfigError.from_error(exc) from None
    base = path.parent
    b, g = config.branding, config.gates
    values: dict[str, Any] = {
        "audits": base / config.audits if config.audits is not None else None,
        "templates": base / config.templates if config.templates is not None else None,
        "checklist": _checklist_ref(config.checklist, base),
        "checklists": tuple(base / folder for folder in config.checklists) or None,
        "plan": base / config.plan if config.plan is not None else None,
        "brand_name": b.name,
        "brand_logo": base / b.logo if b.logo is not None else None,
        "brand_accent": b.accent,
        "fail_under": _thresholds(g.fail_under) if g.fail_under is not None else None,
        "fail_on": g.fail_on,
    }
    values = {name: value for name, value in values.items() if value is not None}
    positions = {name: doc.locate(_FILE_LOC[name]) for name in values}
    if config.lint:
        values["lint"] = _lint_levels(doc, config.lint)
    if config.roles:
        values["roles"] = dict(config.roles)
        positions["roles"] = doc.locate(("roles",))
    return values, positions


def _lint_levels(doc: Document, levels: Mapping[str, str]) -> dict[str, str]:
    """`lint:` by code (a rule may be named by its name); ConfigError (CC403) for a rule that does not exist."""
    from carecheck.lint.registry import did_you_mean
    from carecheck.lint.rules import find_rule

    by_code, unknown = {}, []
    for ref, level in levels.items():
        found = find_rule(ref)
        if found is None:
            message = f"no rule '{ref}'{did_you_mean(ref)}"
            unknown.append(Finding(str(doc.path), doc.locate(("lint", ref), key=True), "CC403", message))
        else:
            by_code[found.code] = level
    if unknown:
        raise ConfigError(unknown)
    return by_code


def _checklist_ref(ref: str | None, base: Path) -> str | None:
    """A checklist id stays an id; a path is made relative to the config file."""
    if ref is None:
        return None
    if ref.endswith((".yaml", ".yml")) or len(Path(ref).parts) > 1:
        return str(base / ref)
    return ref


def _thresholds(value: dict[str, float]) -> tuple[Threshold, ...]:
    return tuple(Threshold(None if key == "overall" else key, score) for key, score in value.items())


def _from_env(name: str, var: str, text: str) -> Any:
    if name in ("audits", "templates", "plan", "brand_logo"):
        return Path(text)
    if name == "checklists":
        return tuple(Path(part) for part in text.split(os.pathsep) if part)
    if name == "fail_under":
        try:
            return tuple(parse_threshold(item) for item in re.split(r"[,\s]+", text) if item)
        except ValueError as exc:
            raise UsageError(f"{var}: {exc}") from None
    if name == "fail_on" and text != "critical":
        raise UsageError(f"{var}: '{text}' is not a gate; the one gate is 'critical'")
    if name == "brand_accent" and not _ACCENT.fullmatch(text):
        raise UsageError(f"{var}: '{text}' is not a colour; use #rrggbb")
    return text
