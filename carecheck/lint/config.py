"""Configuration rules (CC4xx): carecheck.yaml, and role maps (its `roles:`, or a `carecheck-roles: 1` file)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from carecheck.format.model import Config
from carecheck.format.reader import Document
from carecheck.fs import is_dir, is_file
from carecheck.lint.registry import Hit, did_you_mean, find_rule, rule


@dataclass
class ConfigContext:
    """What a config rule sees: the config and whether its default checklist can be found."""

    doc: Document
    config: Config
    checklist_found: bool = True

    def path(self, value: str) -> Path:
        """A path of the config, relative to the config file's folder."""
        return self.doc.path.parent / value


@rule("CC401", "config-path-missing", "config")
def config_path_missing(ctx: ConfigContext) -> Iterator[Hit]:
    """A folder or file the configuration names does not exist (paths are relative to the config file).

    Paths in carecheck.yaml (checklist folders, templates, the logo, the plan) are relative to the
    file's folder.

    Fails:

        templates: report-templates   # no such folder beside carecheck.yaml

    Passes:

        templates: templates   # a folder beside carecheck.yaml
    """
    cfg = ctx.config
    wanted: list[tuple[tuple[str | int, ...], str | None, bool]] = [
        *((("checklists", i), folder, True) for i, folder in enumerate(cfg.checklists)),
        (("templates",), cfg.templates, True),
        (("branding", "logo"), cfg.branding.logo, False),
        (("plan",), cfg.plan, False),
    ]
    for loc, value, folder in wanted:
        if value is None:
            continue
        target = ctx.path(value)
        if not (is_dir(target) if folder else is_file(target)):
            kind = "folder" if folder else "file"
            where = f" (looked for {target})" if Path(value) != target else ""
            yield Hit(f"no {kind} '{value}'{where}", loc)


@rule("CC402", "config-checklist-not-found", "config")
def config_checklist_not_found(ctx: ConfigContext) -> Iterator[Hit]:
    """The default `checklist` of the configuration cannot be found in its checklist folders or the built-ins.

    `checklist` is the default of `audit`, `show` and `import`: an id found in the configured
    folders, ./checklists or the built-ins, or a path.

    Fails:

        checklist: care-esentials

    Passes:

        checklist: care-essentials
    """
    if ctx.config.checklist is not None and not ctx.checklist_found:
        yield Hit(f"no checklist '{ctx.config.checklist}' in the configured folders or the built-ins", ("checklist",))


@rule("CC403", "unknown-lint-rule", "config")
def unknown_lint_rule(ctx: ConfigContext) -> Iterator[Hit]:
    """`lint` names a rule that does not exist: give a code (CC112) or a name (missing-recommendation).

    `lint` switches rules off or changes their level for `validate`: a mapping of a rule's code or
    name to `off`, `error` or `warning`. `carecheck rules` lists the codes and names.

    Fails:

        lint:
          CC1122: off

    Passes:

        lint:
          CC112: off
    """
    for ref in ctx.config.lint:
        if find_rule(ref) is None:
            yield Hit(f"no rule '{ref}'{did_you_mean(ref)}", ("lint", ref), key=True)


@dataclass
class RolesContext:
    """What a role-map rule sees: the `roles:` of a role map or of carecheck.yaml (both at the top level)."""

    doc: Document
    roles: Mapping[str, str]


def role_label_key(label: str) -> str:
    """A survey role label as import matches it: case, spacing, `_` and `-` ignored."""
    return re.sub(r"[\s_-]+", " ", label).strip().casefold()


@rule("CC404", "role-label-twice", "roles")
def role_label_twice(ctx: RolesContext) -> Iterator[Hit]:
    """A role map names one survey label twice (case and spacing ignored), so one of them never applies.

    `roles:` (in carecheck.yaml, or a `carecheck-roles: 1` file given to `import --role-map`) maps the
    role labels of a survey onto carecheck's roles; labels are matched with case, spacing, `_` and
    `-` ignored, so `Front desk` and `front-desk` are one label.

    Fails:

        roles:
          Front desk: front-line
          front-desk: back-office

    Passes:

        roles:
          Front desk: front-line
          Night porter: back-office
    """
    seen: dict[str, str] = {}
    for label in ctx.roles:
        key = role_label_key(label)
        if key in seen:
            yield Hit(
                f"'{label}' is the label '{seen[key]}' again (case and spacing ignored)", ("roles", label), key=True
            )
        else:
            seen[key] = label
