"""Rendering a Scorecard: one Jinja environment, a lookup chain for templates, a format registry.

Templates are looked up in the user's `--template-dir` first, then in the built-ins shipped
in the package (`carecheck.templates`). Undefined variables are errors (StrictUndefined) and
HTML is autoescaped. Templates only present: every number they show is in the Scorecard; the
helpers here format numbers and lay out charts, they compute no score.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import markupsafe

from carecheck import clock
from carecheck.catalog.plans import Acceptance, AppliedPlan, Assignment
from carecheck.errors import InputError, Position, UsageError, printable
from carecheck.fs import is_dir, read_bounded
from carecheck.render import advice
from carecheck.render.style import Styled, styler
from carecheck.scoring.score import Band, PerceptionGap, QuestionScore, RoleDataGaps, RoleMean, Scorecard, SectionScore
from carecheck.scoring.trends import AuditPoint, Comparison, LikeForLike, ScoreChange

REPORT_FORMAT_VERSION = 1
DEFAULT_ACCENT = "#1f4e79"
DEFAULT_TITLE = "Customer care audit"
NOTES_SHOWN = 2
"""How many notes per question the HTML, Markdown and text reports show (CSV and JSON hold all)."""

RESPONDENTS_LISTED = 30
"""Up to this many respondents the HTML appendix lists each; beyond, it counts them by role."""
GAPS_SUMMARISED = 3
"""How many perception gaps the executive summary names."""
MOVERS_SHOWN = 4
"""How many most-improved and most-declined questions the documents list (the JSON holds every change)."""
GAPS_SHOWN = 4
"""How many section and question perception gaps the documents chart (the JSON and CSV hold all)."""

FORMAT_NAMES = ("html", "md", "txt", "json", "csv", "pdf")
FORMAT_ALIASES = {"text": "txt", "markdown": "md", "htm": "html"}
EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".json": "json",
    ".csv": "csv",
    ".pdf": "pdf",
}
TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2", "txt": "report.txt.j2"}
"""The built-in templates by format; `report.css.j2` is included by the HTML one (and the PDF)."""

LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Branding:
    """A consultancy's look: its name, a logo (a data: URI) and an accent colour (#rrggbb)."""

    name: str | None = None
    logo: str | None = None
    accent: str = DEFAULT_ACCENT


@dataclass(frozen=True)
class ReportOptions:
    """How to render: everything that is not a score."""

    generated: datetime
    title: str | None = None
    top: int | None = None
    branding: Branding = field(default_factory=Branding)
    template_dir: Path | None = None
    width: int = 80
    """Text report: the line length to fit (the terminal's width)."""
    color: bool = False
    """Text report: ANSI colours (only for a terminal that wants them)."""
    generator: str | None = None
    """What the report says made it; default "carecheck <version>"."""
    plan: AppliedPlan = field(default_factory=AppliedPlan)
    """Waivers (accepted gaps) and action owners from `--plan`; none by default."""
    comparison: Comparison | None = None
    """What changed since a baseline audit (`--baseline`); none by default."""


# ---------------------------------------------------------------------------------------------------
# Inputs from the edge: formats, dates, branding


def format_for(
    fmt: str | None,
    output: Path | None,
    names: Sequence[str] = FORMAT_NAMES,
    extensions: Mapping[str, str] = EXTENSIONS,
) -> str:
    """The format asked for: `--format`, else from the output's extension, else txt."""
    if fmt is not None:
        name = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if name not in names:
            raise UsageError(f"unknown format '{fmt}'; use one of {', '.join(names)}")
        return name
    if output is None:
        return "txt"
    suffix = output.suffix.lower()
    if suffix not in extensions:
        known = ", ".join(dict.fromkeys(f".{n}" for n in names))
        raise UsageError(f"cannot tell the format from '{output.name}'; name it {known}, or give --format")
    return extensions[suffix]


def report_date(environ: Mapping[str, str], now: Callable[[], datetime] | None = None) -> datetime:
    """When the report is made: the one clock (SOURCE_DATE_EPOCH when set, else now, in UTC)."""
    if now is not None and not environ.get("SOURCE_DATE_EPOCH", "").strip():
        return now()
    return clock.now(environ)


def parse_accent(text: str) -> str:
    """An accent colour as #rrggbb, from #rgb or #rrggbb (with or without the #)."""
    value = text.strip().lstrip("#").lower()
    if re.fullmatch(r"[0-9a-f]{3}", value):
        value = "".join(c * 2 for c in value)
    if not re.fullmatch(r"[0-9a-f]{6}", value):
        raise UsageError(f"--accent takes a colour such as #1f4e79, not '{text}'")
    return "#" + value


def logo_data_uri(data: bytes, filename: str) -> str:
    """A logo file's bytes as a data: URI, so the report stays one self-contained file."""
    suffix = Path(filename).suffix.lower()
    if suffix not in LOGO_TYPES:
        raise UsageError(f"the logo must be a {', '.join(sorted(LOGO_TYPES))} file, not '{filename}'")
    return f"data:{LOGO_TYPES[suffix]};base64,{base64.b64encode(data).decode('ascii')}"


MAX_LOGO_BYTES = 2 * 1024 * 1024

_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_ACTIVE = {"script", "foreignObject", "iframe", "embed", "object", "handler"}


def read_logo(path: Path) -> str:
    """A logo file as a data: URI; InputError when it cannot be read, is not a file, is too large, is a
    symlink to somewhere outside the project, or its bytes are not an image of the type its name says.

    A logo can come from a folder someone sent (`branding: logo:` in carecheck.yaml): `logo.png` linked
    to /etc/shadow or /proc/self/environ must not end up in a report as base64.
    """
    logo_data_uri(b"", path.name)  # the type first: nothing is read for a wrong one
    _check_logo_place(path)
    try:
        data = read_bounded(path, MAX_LOGO_BYTES, "logo file")
    except InputError as exc:
        raise InputError(f"cannot read the logo: {exc.message}", path=path) from None
    problem = logo_problem(data, LOGO_TYPES[path.suffix.lower()])
    if problem:
        raise InputError(f"the logo is not a usable image: {problem}", path=path)
    return logo_data_uri(data, path.name)


def _check_logo_place(path: Path) -> None:
    """A symlinked logo must stay inside the project: the working folder or the folder of the link."""
    try:
        linked = any(p.is_symlink() for p in (path, *path.parents) if p != p.parent and str(p) != ".")
        target = Path(os.path.realpath(path))
        homes = {Path(os.path.realpath(Path.cwd())), Path(os.path.realpath(path.parent))}
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the logo: {exc}", path=path) from None
    if linked and not any(target.is_relative_to(home) for home in homes):
        raise InputError(f"the logo is a link to {target}, outside the project folder", path=path)


def logo_problem(data: bytes, mime: str) -> str | None:
    """Why `data` is not an image of type `mime` (checked by its first bytes; SVG parsed, no script), or None."""
    if mime == "image/svg+xml":
        return _svg_problem(data)
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ok = webp if mime == "image/webp" else data.startswith(_MAGIC[mime])
    return None if ok else f"its bytes are not a {mime.split('/')[1].upper()} image"


def _svg_problem(data: bytes) -> str | None:
    import xml.etree.ElementTree as ET

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "an SVG file must be UTF-8 text"
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return "an SVG logo may not declare a DOCTYPE or entities"
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return f"not well-formed SVG ({exc})"
    if root.tag not in ("svg", _SVG_NS + "svg"):
        return "its root element is not <svg>"
    for element in root.iter():
        name = str(element.tag).rpartition("}")[2]
        if name in _SVG_ACTIVE:
            return f"an SVG logo may not hold <{name}>"
        for attr, value in element.attrib.items():
            if attr.rpartition("}")[2].lower().startswith("on") or "javascript:" in value.lower().replace(" ", ""):
                return f"an SVG logo may not hold scripts (attribute {attr.rpartition('}')[2]})"
    return None


# ---------------------------------------------------------------------------------------------------
# Colours: keep text readable whatever accent a consultant picks


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _darken(colour: str, factor: float) -> str:
    return "#" + "".join(f"{round(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def accent_palette(accent: str) -> dict[str, str]:
    """The accent as given, a shade of it readable as text on white, and the text colour to use on it."""
    ink = accent
    factor = 1.0
    while contrast(ink, "#ffffff") < 4.5 and factor > 0:
        factor -= 0.05
        ink = _darken(accent, max(factor, 0.0))
    # white or black: whichever it is, one of them reaches at least 4.58:1 on any colour
    on_accent = "#ffffff" if contrast(accent, "#ffffff") >= contrast(accent, "#000000") else "#000000"
    return {"accent": accent, "accent_ink": ink, "on_accent": on_accent}


# ---------------------------------------------------------------------------------------------------
# The Jinja environment


class _PackageTemplates(jinja2.BaseLoader):
    """The built-in templates, read through importlib.resources (works from a wheel or a zip)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        resource = files("carecheck.templates").joinpath(template)
        if "/" in template or "\\" in template or not resource.is_file():
            raise jinja2.TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), None, lambda: True


class _Compiled(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates, in its safe per-user folder (owned by the user, mode 0700;
    atomic writes), keyed by template name and the SHA-1 of its source, so a changed template is compiled
    again. A cache file that cannot be read or written is a miss: the template is compiled, as with no
    cache, and the report never fails for it."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file, an unreadable folder: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(Exception):  # a full disk, a folder gone or read-only: compile next time
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for the built-in templates, or None (compile every run) when jinja2 finds no safe folder.

    The file names carry carecheck's version and a digest of the environment's settings: the compiled
    code depends on them too (`trim_blocks`, `finalize`...), and the template's source does not show them."""
    from carecheck import __version__

    settings = sorted((k, getattr(v, "__qualname__", v)) for k, v in {**_SETTINGS, "finalize": _finalize}.items())
    # jinja2's installed copy too (its file's modification time: an upgrade rewrites it): its own check covers
    # only its bytecode format, and another release may compile the same source differently
    try:
        versions = (__version__, jinja2.__file__, os.stat(jinja2.__file__ or "").st_mtime_ns)
        digest = hashlib.sha1(repr((versions, settings)).encode(), usedforsecurity=False).hexdigest()[:12]
        return _Compiled(pattern=f"carecheck-{digest}-%s.cache")
    except Exception:  # the folder is not the user's own, or cannot be made; jinja2 not a file to stat
        return None


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".htm", ".svg.j2", ".xml.j2"))


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment: the user's templates first, then the built-ins. Built once per template
    folder and kept, so that its compiled templates serve every document of a run (`--by organisation`)."""
    if template_dir is not None and not is_dir(template_dir):
        raise UsageError(f"--template-dir {template_dir} is not a folder")
    return _environment(template_dir.resolve() if template_dir is not None else None)


_SETTINGS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": _autoescape,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@functools.cache
def _environment(template_dir: Path | None) -> jinja2.Environment:
    env: jinja2.Environment
    if template_dir is None:
        # only the built-ins, which ship in the package and are trusted code: plain Jinja, which renders
        # them about twice as fast as the sandbox (its check of every attribute was 60% of a render), and
        # their compiled code kept between runs (compiling them was ~150 ms of every report)
        env = jinja2.Environment(
            loader=_PackageTemplates(), finalize=_finalize, bytecode_cache=_bytecode_cache(), **_SETTINGS
        )
    else:
        # sandboxed: a template folder may come from a folder someone sent (`templates:` in carecheck.yaml),
        # and its templates must not reach Python (`cycler.__init__.__globals__.os`); the built-ins they
        # extend or include are sandboxed with them. No cache of compiled code: always compiled from source.
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(template_dir)), _PackageTemplates()])
        env = jinja2.sandbox.ImmutableSandboxedEnvironment(loader=loader, finalize=_finalize, **_SETTINGS)
    env.filters.update(
        score=_score,
        number=_number,
        plain=_plain,
        gap=_gap_words,
        md=_markdown_text,
        md_code=_markdown_code,
        wrap=_wrap,
        fit=_fit,
        bar=_bar,
        date=_date,
        plural=_plural,
        css_string=_css_string,
        names=_names,
        signed=_signed,
        arrow=_arrow,
        who_sees=_who_sees,
        sees=_sees,
        status=_status,
        role_data_gaps=_role_data_gaps,
        like_for_like=_like_for_like_words,
        questions_differ=_questions_differ_words,
    )
    return env


def _score(value: float | None, none: str = "no score") -> str:
    """A score as shown everywhere: one decimal, or the words for "no score"."""
    return none if value is None else f"{value:.1f}"


def _number(value: float | None, digits: int = 1, none: str = "") -> str:
    if value is None:
        return none
    text = f"{value:.{digits}f}"
    return "0" if digits == 0 and text == "-0" else text


def _plain(value: float) -> str:
    """A number as written in a checklist: 60, 62.5."""
    return f"{value:g}"


def _gap_words(gap: float | None) -> str:
    """A gap to target in words: "12.5 below target" or "target met"."""
    if gap is None:
        return ""
    if round(gap, 1) <= 0:
        return "target met"
    return f"{gap:.1f} below target"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _markdown_text(value: object) -> str:
    """User text made inert in Markdown, where it always sits mid-line: HTML and inline syntax escaped."""
    text = " ".join(_printable(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


_PLAIN_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _markdown_code(value: object) -> str:
    """An id as inline code in Markdown. A code span cannot escape a backtick, so text that is not a plain
    id (a removed question id from someone's file holding `` ` `` and `<img onerror=...>`) is escaped text."""
    text = _printable(value)
    return f"`{text}`" if _PLAIN_CODE.fullmatch(text) else _markdown_text(text)


def _css_string(value: object) -> str:
    """User text as a quoted CSS string: everything but letters, digits and spaces escaped,
    so nothing in it can end the string or the <style> element it sits in."""
    escaped = "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} " for c in str(value))
    return f'"{escaped}"'


def _printable(value: object) -> str:
    """User text safe for a terminal (errors.printable): control and bidi characters removed, tabs as spaces."""
    return printable(value)


def _finalize(value: Any) -> Any:
    """Every value a template prints goes through errors.printable, except what carecheck itself made (HTML
    markup, terminal styling): so no template, built-in or not, can pass an escape sequence through."""
    if isinstance(value, str) and not isinstance(value, (markupsafe.Markup, Styled)):
        return printable(value)
    return value


def _wrap(value: object, width: int, indent: int = 0, first: int = 0) -> str:
    """Text wrapped to `width` columns: the first line indented by `first` spaces, the others by `indent`."""
    lead = " " * first
    return textwrap.fill(
        _printable(value),
        width=max(width, indent + 20),
        initial_indent=lead,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )


def _fit(value: object, width: int, align: str = "left") -> str:
    """Text padded or shortened (with an ellipsis) to exactly `width` columns."""
    text = " ".join(_printable(value).split())
    if len(text) > width:
        text = text[: max(width - 1, 0)] + "\u2026"
    return text.rjust(width) if align == "right" else text.ljust(width)


def _bar(score: float | None, width: int) -> str:
    """A text bar of `width` cells filled in proportion to a 0..100 score."""
    if score is None:
        return "\u00b7" * width
    filled = round(score / 100 * width)
    return "\u2588" * filled + "\u2591" * (width - filled)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date(value: datetime | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"  # never the locale's month names


def _names(names: Sequence[str], limit: int = 5) -> str:
    """Names in a sentence, the first `limit` of them: "Ann, Bo and 12 more"."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


# ---------------------------------------------------------------------------------------------------
# What the templates receive


@dataclass(frozen=True)
class ChartBar:
    """One section in the chart: its full title on a line above its bar, the bar, its target mark (px)."""

    title: str
    score: float | None
    target: float | None
    status: str
    """The score against its target: met, near, far or none (advice.status)."""
    y: float
    width: float
    target_x: float | None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    """Where the plot starts (the labels sit above the bars, so it is a small margin)."""
    plot_width: int
    bar_height: int
    bars: tuple[ChartBar, ...]
    ticks: tuple[tuple[int, float], ...]
    description: str


def section_chart(sections: tuple[SectionScore, ...]) -> Chart:
    """The layout of the sections-against-targets chart (an SVG drawn by the HTML template). Each title
    sits whole on its own line above its bar, so no label is ever cut."""
    left, plot_width, bar_height, step, top = 4, 560, 14, 36, 34
    bars = []
    for i, section in enumerate(sections):
        y = top + i * step
        bars.append(
            ChartBar(
                title=section.title,
                score=section.score,
                target=section.target,
                status=advice.status(section.score, section.target),
                y=y,
                width=0.0 if section.score is None else round(section.score / 100 * plot_width, 2),
                target_x=None if section.target is None else round(left + section.target / 100 * plot_width, 2),
            )
        )
    parts = []
    for s in sections:
        target = f", target {s.target:g}, {advice.STATUS_WORDS[advice.status(s.score, s.target)]}" if s.target else ""
        parts.append(f"{s.title}: {_score(s.score)}{target}")
    ticks = tuple((t, left + t / 100 * plot_width) for t in (0, 25, 50, 75, 100))
    height = top + len(sections) * step
    return Chart(
        width=left + plot_width + 120,
        height=height,
        label_width=left,
        plot_width=plot_width,
        bar_height=bar_height,
        bars=tuple(bars),
        ticks=ticks,
        description="Section scores out of 100. " + "; ".join(parts) + ".",
    )


@dataclass(frozen=True)
class HeatCell:
    role: str
    score: float | None
    status: str
    x: float


@dataclass(frozen=True)
class HeatRow:
    section: str
    """The section's title."""
    title: tuple[str, ...]
    """The section title in lines that fit the label column (never cut)."""
    y: float
    height: float
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    label_width: int
    cell_width: int
    roles: tuple[tuple[str, float], ...]
    """Each role's column header and its x (the centre of its column)."""
    rows: tuple[HeatRow, ...]
    description: str


def heatmap(card: Scorecard) -> Heatmap | None:
    """The role x section heatmap's layout: each section's mean as each role sees it, coloured against the
    section's target; None with fewer than two roles."""
    roles = [m.role for m in card.role_means]
    if len(roles) < 2:
        return None
    label_width, cell_width, line, top = 250, 96, 15, 30
    rows, y, parts = [], float(top), []
    for s in card.sections:
        title = tuple(textwrap.wrap(s.title, 34)) or ("",)
        height = max(28.0, len(title) * line + 10)
        means = {m.role: m.score for m in s.role_means}
        cells = tuple(
            HeatCell(role, means.get(role), advice.status(means.get(role), s.target), label_width + i * cell_width)
            for i, role in enumerate(roles)
        )
        rows.append(HeatRow(s.title, title, y, height, cells))
        y += height + 3
        parts.append(f"{s.title}: " + ", ".join(f"{c.role} {_score(c.score)}" for c in cells))
    return Heatmap(
        width=label_width + cell_width * len(roles) + 4,
        height=round(y) + 2,
        label_width=label_width,
        cell_width=cell_width,
        roles=tuple((role, label_width + (i + 0.5) * cell_width) for i, role in enumerate(roles)),
        rows=tuple(rows),
        description="Each section's score as each role sees it, out of 100. " + "; ".join(parts) + ".",
    )


@dataclass(frozen=True)
class PartsChart:
    """Practices against results: what the organisation does, and what it achieves (two bars, px)."""

    width: int
    height: int
    label_width: int
    plot_width: int
    bars: tuple[tuple[str, float | None, float, float], ...]
    """(label, score, y, bar width) for the practice score, then the results score."""
    description: str


def parts_chart(card: Scorecard) -> PartsChart | None:
    """The practices-vs-results chart, when the scorer gives both part scores (`measures:` questions);
    None when it gives neither."""
    practice = getattr(card, "practice_score", None)
    results = getattr(card, "results_score", None)
    if practice is None and results is None:
        return None
    label_width, plot_width, step, top = 150, 420, 30, 8
    parts = (("Practices", practice), ("Results", results))
    bars = tuple(
        (label, score, top + i * step, 0.0 if score is None else round(score / 100 * plot_width, 2))
        for i, (label, score) in enumerate(parts)
    )
    words = "; ".join(f"{label} {_score(score, 'not measured')}" for label, score in parts)
    return PartsChart(
        width=label_width + plot_width + 90,
        height=top + len(parts) * step,
        label_width=label_width,
        plot_width=plot_width,
        bars=bars,
        description=f"Scores out of 100 of what is done (practices) and what it achieves (results): {words}.",
    )


@dataclass(frozen=True)
class TrendPoint:
    """One audit on the trend chart: where its dot and its labels go (px)."""

    label: str
    date: datetime | None
    score: float | None
    x: float
    y: float | None
    current: bool


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: tuple[TrendPoint, ...]
    path: str
    """The SVG path through the scored points ("" with fewer than two)."""
    grid: tuple[tuple[int, float], ...]
    bands: tuple[tuple[str, float, float], ...]
    """(label, y of its floor, y of its ceiling) for each rating band, shaded alternately."""
    description: str


def trend_chart(points: Sequence[AuditPoint], bands: Sequence[Band]) -> TrendChart:
    """The layout of the overall-score-over-audits chart (an SVG drawn by the HTML template)."""
    width, height, left, right, top, bottom = 640, 230, 44, 120, 18, 48
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(score: float) -> float:
        return round(top + (100 - score) / 100 * plot_h, 2)

    step = plot_w / len(points) if points else plot_w
    laid = tuple(
        TrendPoint(
            label=p.label,
            date=p.date,
            score=p.overall,
            x=round(left + step * (i + 0.5), 2),
            y=None if p.overall is None else y_of(p.overall),
            current=i == len(points) - 1,
        )
        for i, p in enumerate(points)
    )
    scored = [pt for pt in laid if pt.y is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'}{pt.x},{pt.y}" for i, pt in enumerate(scored)) if len(scored) > 1 else ""
    floors = sorted(bands, key=lambda b: b.min)
    shaded = tuple(
        (b.label, y_of(max(b.min, 0.0)), y_of(floors[i + 1].min if i + 1 < len(floors) else 100.0))
        for i, b in enumerate(floors)
    )
    description = "Overall score out of 100 at each audit: " + "; ".join(f"{p.label} {_score(p.score)}" for p in laid)
    return TrendChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=laid,
        path=path,
        grid=tuple((v, y_of(v)) for v in (0, 25, 50, 75, 100)),
        bands=shaded,
        description=description + ".",
    )


def _status(score: float | None, target: float | None) -> str:
    """A score against a target: met, near, far or none (the class and the words the templates show)."""
    return advice.status(score, target)


def _sees(mean: RoleMean) -> str:
    """A role's mean in words: "front-line sees 30.0"."""
    return f"{mean.role} sees {_score(mean.score)}"


def _who_sees(gap: PerceptionGap) -> str:
    """A perception gap in words: "front-line sees 30.0, leadership sees 85.0"."""
    return f"{_sees(gap.low)}, {_sees(gap.high)}"


def _role_data_gaps(gaps: Sequence[RoleDataGaps]) -> str:
    """Each role's data gaps in words: "back-office 11 answers on 11 questions (1 respondent)"."""
    return "; ".join(
        f"{g.role} {_plural(g.unknown, 'answer')} on {_plural(g.questions, 'question')}"
        f" ({_plural(g.respondents, 'respondent')})"
        for g in gaps
    )


def _questions_differ_words(c: Comparison, total: int) -> str:
    """When the two audits asked different numbers of questions, that in words ("" when they did not)."""
    if not c.questions_differ:
        return ""
    now, then = c.asked_after or total, c.asked_before or total
    return (
        f"The questions asked differ: {now} of {total} in {c.current.label}, {then} of {total} in "
        f"{c.baseline.label}; the overall scores rest on different questions, so compare section by section."
    )


def _like_for_like_words(c: Comparison) -> str:
    """When the respondents differ, what that means for the change, in words ("" when they are the same)."""
    people = c.like_for_like
    if people is None:
        return ""
    moves = [
        f"{_plural(people.joined, 'respondent')} answered only {c.current.label}" if people.joined else "",
        f"{_plural(people.left, 'respondent')} answered only {c.baseline.label}" if people.left else "",
    ]
    differ = f"The respondents differ: {' and '.join(m for m in moves if m)}."
    if not people.respondents:
        return f"{differ} Nobody answered both audits, so there is no like-for-like change."
    who = "the one respondent" if people.respondents == 1 else f"the {people.respondents} respondents"
    return (
        f"{differ} Like for like, {who} who answered both went from {_score(people.before)} to "
        f"{_score(people.after)} ({_signed(people.change, 'no change')})."
    )


def _signed(value: float | None, none: str = "") -> str:
    """A change in points with its sign: +12.5, -3.0, 0.0."""
    if value is None:
        return none
    if round(value, 1) == 0:
        return "0.0"
    return f"{value:+.1f}"


def _arrow(value: float | None) -> str:
    """Up, down or level, for a change."""
    if value is None:
        return ""
    if round(value, 1) > 0:
        return "\u25b2"
    if round(value, 1) < 0:
        return "\u25bc"
    return "="


def context(card: Scorecard, options: ReportOptions) -> dict[str, Any]:
    """The variables every template receives (documented in docs/report-format.md)."""
    actions = card.actions if options.top is None else card.actions[: options.top]
    plan = advice.roadmap(card, options.top)
    asked = {s.id: tuple(q for q in s.questions if q.counts.off < q.counts.total) for s in card.sections}
    return {
        "card": card,
        "asked": asked,
        "unasked": sum(len(s.questions) - len(asked[s.id]) for s in card.sections),
        "roadmap": plan,
        "do_now": plan.steps[: advice.DO_NOW],
        "summary": advice.summary(card, options.comparison),
        "strengths": advice.strengths(card),
        "heatmap": heatmap(card),
        "parts_chart": parts_chart(card),
        "horizons": advice.HORIZONS,
        "status_words": advice.STATUS_WORDS,
        "marks": advice.STATUS_MARKS,
        "near": advice.NEAR,
        "rating_step": advice.band_step(card.rating.label if card.rating else None, card.checklist.bands),
        "comparison": options.comparison,
        "title": options.title or DEFAULT_TITLE,
        "generated": options.generated,
        "branding": options.branding,
        "colours": accent_palette(options.branding.accent),
        "actions": actions,
        "actions_hidden": len(card.actions) - len(actions),
        "notes_shown": NOTES_SHOWN,
        "respondents_listed": RESPONDENTS_LISTED,
        "chart": section_chart(card.sections),
        "trend_chart": trend_chart(options.comparison.trend, card.checklist.bands) if options.comparison else None,
        "changes_shown": MOVERS_SHOWN,
        "gaps_shown": GAPS_SHOWN,
        "summary_gaps": (card.section_gaps + card.question_gaps)[:GAPS_SUMMARISED],
        "width": options.width,
        "style": styler(options.color),
        "generator": _generator(options),
        "plan": options.plan,
        "accepted": options.plan.accepted,
        "assigned": options.plan.assigned,
    }


def _generator(options: ReportOptions) -> str:
    from carecheck import __version__

    return options.generator or f"carecheck {__version__}"


# ---------------------------------------------------------------------------------------------------
# The formats


_BLANK_LINES = re.compile(r"\n{3,}")


def _template(fmt: str) -> Callable[[Scorecard, ReportOptions], str]:
    def render(card: Scorecard, options: ReportOptions) -> str:
        env = environment(options.template_dir)
        text = env.get_template(TEMPLATES[fmt]).render(context(card, options))
        # parts included one after another may each bring a blank line: one is enough between parts
        return _BLANK_LINES.sub("\n\n", text) if fmt in ("txt", "md") else text

    return render


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _question_data(q: QuestionScore) -> dict[str, Any]:
    data = asdict(q)
    for key in ("score", "gap", "spread", "target", "low", "high", "stdev", "perception_gap"):
        data[key] = _round(data[key], 1)
    for key in ("gain", "priority"):
        data[key] = _round(data[key], 2)
    data["role_means"] = _role_means(q.role_means)
    data["unknown_roles"] = dict(q.unknown_roles)
    del data["section_title"], data["critical_below"]  # the checklist's, under scoring
    return data


def _role_means(means: Sequence[RoleMean]) -> list[dict[str, Any]]:
    return [{"role": m.role, "score": round(m.score, 1), "respondents": m.respondents} for m in means]


def _perception_gap_data(g: PerceptionGap) -> dict[str, Any]:
    return {
        "kind": g.kind,
        "id": g.id,
        "title": g.title,
        "section": g.section,
        "critical": g.critical,
        "gap": round(g.gap, 1),
        "low": _role_means([g.low])[0],
        "high": _role_means([g.high])[0],
        "role_means": _role_means(g.role_means),
    }


def _point_data(p: AuditPoint) -> dict[str, Any]:
    return {
        "audit": p.audit,
        "date": _date(p.date, "iso") or None,
        "respondents": p.respondents,
        "completed": p.completed,
        "overall": _round(p.overall, 1),
        "rating": p.rating,
        "draft": p.draft,
        "sections": [{"id": s.id, "score": _round(s.score, 1)} for s in p.sections],
    }


def _change_data(c: ScoreChange) -> dict[str, Any]:
    data: dict[str, Any] = {"id": c.id, "title": c.title}
    if c.kind == "question":
        data["section"] = c.section
        data["critical"] = c.critical
    data.update(
        before=_round(c.before, 1),
        after=_round(c.after, 1),
        change=c.change,
        target=_round(c.target, 1),
        gap=c.gap,
    )
    if c.kind == "question":
        data["critical_change"] = c.critical_change
        data["reworded"] = c.reworded
    return data


def _like_for_like_data(people: LikeForLike | None) -> dict[str, Any] | None:
    if people is None:
        return None
    return {**asdict(people), "before": _round(people.before, 1), "after": _round(people.after, 1)}


def comparison_data(c: Comparison) -> dict[str, Any]:
    """The JSON of what changed since the baseline (docs/report-format.md)."""
    return {
        "baseline": {k: v for k, v in _point_data(c.baseline).items() if k != "sections"},
        "overall": {
            "before": _round(c.overall_before, 1),
            "after": _round(c.overall_after, 1),
            "change": c.overall_change,
        },
        "rating": {"before": c.rating_before, "after": c.rating_after},
        "respondents_differ": c.respondents_differ,
        "asked": {"before": c.asked_before, "after": c.asked_after},
        "like_for_like": _like_for_like_data(c.like_for_like),
        "sections": [_change_data(s) for s in c.sections],
        "questions": [_change_data(q) for q in c.questions],
        "gaps_closed": [x.id for x in c.gaps_closed],
        "gaps_opened": [x.id for x in c.gaps_opened],
        "critical_recovered": [x.id for x in c.critical_recovered],
        "critical_fell": [x.id for x in c.critical_fell],
        "added": [{"id": a.id, "text": a.text} for a in c.added],
        "removed": list(c.removed),
        "reworded": [x.id for x in c.reworded],
        "misfits": [m.id for m in c.misfits],
        "trend": [_point_data(p) for p in c.trend],
    }


def report_data(card: Scorecard, options: ReportOptions) -> dict[str, Any]:
    """The JSON report: the Scorecard under a versioned top-level shape (docs/report-format.md)."""
    actions = card.actions if options.top is None else card.actions[: options.top]
    return {
        "carecheck-report": REPORT_FORMAT_VERSION,
        "title": options.title or DEFAULT_TITLE,
        "generated": _date(options.generated, "iso"),
        "generator": _generator(options),
        "organisation": card.organisation,
        "audit": card.audit,
        "checklist": {
            "id": card.checklist.id,
            "title": card.checklist.title,
            "version": card.checklist.version,
            "questions": card.checklist.questions,
        },
        "respondents": [
            {
                "name": r.name,
                "role": r.role,
                "started": _date(r.started, "iso") or None,
                "completed": _date(r.completed, "iso") or None,
                "source": r.source,
                **({"amended": _date(r.amended, "iso") or None, "changed": list(r.changed)} if r.changed else {}),
            }
            for r in card.respondents
        ],
        "draft": card.draft,
        "asked_questions": card.asked_questions,
        "overall": _round(card.overall, 1),
        "practice_score": _round(card.practice_score, 1),
        "results_score": _round(card.results_score, 1),
        "rating": asdict(card.rating) if card.rating is not None else None,
        "counts": asdict(card.counts),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "weight": s.weight,
                "target": _round(s.target, 1),
                "score": _round(s.score, 1),
                "gap": _round(s.gap, 1),
                "counts": asdict(s.counts),
                "role_means": _role_means(s.role_means),
                "perception_gap": _round(s.perception_gap, 1),
                "questions": [_question_data(q) for q in s.questions],
            }
            for s in card.sections
        ],
        "actions": [
            {
                "rank": rank,
                "question": q.id,
                "section": q.section,
                "score": _round(q.score, 1),
                "gain": _round(q.gain, 2),
                "priority": _round(q.priority, 2),
                "effort": q.effort,
                "critical": q.critical,
                "recommendation": q.recommendation,
                **_assignment_data(options.plan.assigned.get(q.id)),
                "waiver": _waiver_data(options.plan.accepted.get(q.id)),
            }
            for rank, q in enumerate(actions, 1)
        ],
        "actions_total": len(card.actions),
        "roadmap": _roadmap_data(advice.roadmap(card, options.top), options),
        "critical_failures": [q.id for q in card.critical_failures],
        "to_answer": [q.id for q in card.to_answer],
        "data_gaps": [q.id for q in card.data_gaps],
        "claims": [asdict(c) for c in card.claims],
        "unevidenced": [asdict(e) for e in card.unevidenced],
        "notes": list(card.notes),
        "scoring": {
            "bands": [asdict(b) for b in card.checklist.bands],
            "critical_cap": card.checklist.critical_cap,
            "critical_below": card.checklist.critical_below,
        },
        "plan": options.plan.source,
        "waivers": [_waiver_data(w) for w in options.plan.waivers],
        "anonymous": card.anonymous,
        "role_means": _role_means(card.role_means),
        "role_data_gaps": [asdict(g) for g in card.role_data_gaps],
        "perception_gaps": {
            "threshold": card.gap_threshold,
            "items": [_perception_gap_data(g) for g in card.perception_gaps],
        },
        "comparison": comparison_data(options.comparison) if options.comparison is not None else None,
    }


def _roadmap_data(plan: advice.Roadmap, options: ReportOptions) -> dict[str, Any]:
    """The roadmap as the documents show it: its horizons, each action's owner and due date."""
    return {
        "stages": [
            {
                "horizon": stage.key,
                "title": stage.title,
                "when": stage.when,
                "actions": [
                    {
                        "rank": step.rank,
                        "question": step.question.id,
                        "recommendation": step.question.recommendation,
                        "status": step.status,
                        "score": _round(step.question.score, 1),
                        "target": _round(step.target, 1),
                        **_assignment_data(options.plan.assigned.get(step.question.id)),
                    }
                    for step in stage.steps
                ],
            }
            for stage in plan.stages
        ],
        "left_out": plan.left_out,
        "at_target": plan.at_target,
    }


def _waiver_data(waiver: Acceptance | None) -> dict[str, Any] | None:
    if waiver is None:
        return None
    return {
        "question": waiver.question,
        "status": waiver.status,
        "reason": waiver.reason,
        "owner": waiver.owner,
        "expires": waiver.expires.isoformat(),
    }


def _assignment_data(action: Assignment | None) -> dict[str, Any]:
    return {
        "owner": action.owner if action else None,
        "due": action.due.isoformat() if action and action.due else None,
        "plan_note": action.note if action else None,
    }


def _json(card: Scorecard, options: ReportOptions) -> str:
    return json.dumps(report_data(card, options), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


CSV_COLUMNS = (
    "section",
    "question",
    "text",
    "score",
    "gain",
    "priority",
    "effort",
    "critical",
    "recommendation",
    "note",
    "owner",
    "due",
    "waiver",
    "waiver_owner",
    "waiver_expires",
    "waiver_reason",
    "baseline_score",
    "change",
    "perception_gap",
    "measures",
    "horizon",
    "roadmap",
)


def _cell(text: str | None) -> str:
    """User text for a spreadsheet: a leading = + - @ (or tab, CR) would be run as a formula, so it is
    quoted. The one CSV-cell escaper: the report's and the history's CSV."""
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


def _csv(card: Scorecard, options: ReportOptions) -> str:
    actions = card.actions if options.top is None else card.actions[: options.top]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    several = len(card.respondents) > 1
    changes = {c.id: c for c in options.comparison.questions} if options.comparison else {}
    on_roadmap = {step.question.id: step.rank for step in advice.roadmap(card, options.top).steps}
    for q in actions:
        notes = "\n".join(f"{n.respondent}: {n.text}" if several and n.respondent else n.text for n in q.notes)
        action, waiver = options.plan.assigned.get(q.id), options.plan.accepted.get(q.id)
        change = changes.get(q.id)
        writer.writerow(
            [
                q.section,
                q.id,
                _cell(q.text),
                _number(q.score, 1),
                _number(q.gain, 2),
                _number(q.priority, 2),
                q.effort,
                "yes" if q.critical else "no",
                _cell(q.recommendation),
                _cell(notes),
                _cell(action.owner) if action else "",
                action.due.isoformat() if action and action.due else "",
                waiver.status if waiver else "",
                _cell(waiver.owner) if waiver else "",
                waiver.expires.isoformat() if waiver else "",
                _cell(waiver.reason) if waiver else "",
                _number(change.before, 1) if change else "",
                _signed(change.change) if change else "",
                _number(q.perception_gap, 1),
                q.measures,
                advice.horizon(q),
                on_roadmap.get(q.id, ""),
            ]
        )
    return buffer.getvalue()


def _pdf(card: Scorecard, options: ReportOptions) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"PDF output needs the optional PDF extra, which is not installed here ({exc}); "
            "install it with: pip install 'carecheck[pdf]'"
        ) from None
    html = _template("html")(card, replace(options, width=80, color=False))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


Renderer = Callable[[Scorecard, ReportOptions], "str | bytes"]

FORMATS: dict[str, Renderer] = {
    "html": _template("html"),
    "md": _template("md"),
    "txt": _template("txt"),
    "json": _json,
    "csv": _csv,
    "pdf": _pdf,
}


def render_report(card: Scorecard, fmt: str, options: ReportOptions) -> str | bytes:
    """The report in a format of FORMATS: text for all but PDF, which is bytes."""
    try:
        return FORMATS[fmt](card, options)
    except jinja2.TemplateSyntaxError as exc:
        where = Position(exc.lineno, 1) if exc.lineno else None
        raise UsageError(f"template error: {exc.message}", path=exc.filename or exc.name, position=where) from None
    except jinja2.TemplateNotFound as exc:
        raise UsageError(f"template not found: {exc.name}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"a template is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    except Exception as exc:
        # an error raised by template code (a user's template dividing by zero, recursing, naming
        # what the context lacks) is the template author's to fix; anything else is our bug
        place = _template_frame(exc)
        if place is None:
            raise
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise UsageError(f"template error: {message}", path=place[0], position=Position(place[1], 1)) from None


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback (Jinja maps template frames to them)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


__all__ = [
    "FORMATS",
    "Branding",
    "ReportOptions",
    "format_for",
    "logo_data_uri",
    "parse_accent",
    "render_report",
    "report_date",
]
