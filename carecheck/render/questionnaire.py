"""A checklist as a questionnaire for people without carecheck: the offline form (one HTML file), and
paper (print-ready HTML, Markdown, PDF). Data in, text or bytes out."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from markupsafe import Markup

from carecheck import __version__
from carecheck.errors import UsageError
from carecheck.format.model import ROLE_LABELS, ROLES, Checklist, NumberAnswer, Question, Section
from carecheck.format.names import SLUG_MAX, slug, slug_table
from carecheck.render.report import environment

EXPORT_FORMATS = ("form", "html", "md", "pdf", "csv")


@dataclass(frozen=True)
class ExportOptions:
    """What the exporter fixes: the organisation and audit label (None: the respondent is asked)."""

    organisation: str | None = None
    audit: str | None = None
    generator: str = f"carecheck {__version__}"


def _roles(part: Question | Section) -> list[str] | None:
    # who is asked (None: everyone); a question's own roles win over its section's (answers.asked_roles)
    return list(part.roles) if part.roles is not None else None


def _when(checklist: Checklist, q: Question) -> dict[str, Any] | None:
    if q.when is None:
        return None
    controller = checklist.questions.get(q.when.question)
    labels = {o.value: o.label for o in (checklist.options(controller) or ())} if controller is not None else {}
    values = list(q.when.values)
    return {"question": q.when.question, "values": values, "labels": [labels.get(v, v) for v in values]}


def _question(checklist: Checklist, q: Question) -> dict[str, Any]:
    options = checklist.options(q)
    spec = q.answers
    data: dict[str, Any] = {
        "id": q.id,
        "text": q.text,
        "help": q.help,
        "hash": q.text_hash,
        "kind": "options" if options is not None else "number" if isinstance(spec, NumberAnswer) else "text",
        "allow_na": q.allow_na,
        "when": _when(checklist, q),
        "roles": _roles(q),
        "evidence": q.evidence == "required",
    }
    if options is not None:
        data["options"] = [{"value": o.value, "label": o.label} for o in options]
    if isinstance(spec, NumberAnswer):
        data.update(unit=spec.unit, min=spec.min, max=spec.max)
    return data


def form_data(checklist: Checklist, options: ExportOptions) -> dict[str, Any]:
    """What the form's script reads: the checklist as asked (no scores), who is fixed, the roles."""
    return {
        "checklist": {"id": checklist.id, "version": checklist.version, "sha256": checklist.sha256},
        "file": slug(checklist.id),  # the download's name begins as `carecheck audit` names the file
        "slugs": slug_table(),  # and the script spells the respondent's name with format.names.slug's rules
        "slugMax": SLUG_MAX,
        "organisation": options.organisation or "",
        "audit": options.audit or "",
        "fixed": {"organisation": options.organisation is not None, "audit": options.audit is not None},
        "roles": [{"value": r, "label": ROLE_LABELS[r]} for r in ROLES],
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "roles": _roles(s),
                "questions": [_question(checklist, q) for q in s.questions],
            }
            for s in checklist.sections
        ],
    }


def _asset(name: str) -> str:
    return files("carecheck.templates").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _embedded_json(data: Any) -> str:
    # inside <script type="application/json"> nothing may close the element or open a comment
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_form(checklist: Checklist, options: ExportOptions) -> str:
    """The offline questionnaire: one self-contained HTML file whose CSP allows its own script and style only."""
    script = _asset("form.js")
    style = _asset("form.css")
    csp = (
        f"default-src 'none'; script-src {_sha256(script)}; style-src {_sha256(style)}; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    template = environment().get_template("form.html.j2")
    return template.render(
        checklist=checklist,
        organisation=options.organisation,
        audit=options.audit,
        generator=options.generator,
        csp=csp,
        style=Markup(style),
        script=Markup(script),
        data=Markup(_embedded_json(form_data(checklist, options))),
    )


def _paper_context(checklist: Checklist, options: ExportOptions) -> dict[str, Any]:
    return {
        "checklist": checklist,
        "data": form_data(checklist, options),
        "organisation": options.organisation,
        "audit": options.audit,
        "generator": options.generator,
        "questions": checklist.questions,
        "style": Markup(_asset("questionnaire.css")),
    }


def _paper(name: str) -> Callable[[Checklist, ExportOptions], str]:
    def render(checklist: Checklist, options: ExportOptions) -> str:
        return environment().get_template(name).render(**_paper_context(checklist, options))

    return render


def _pdf(checklist: Checklist, options: ExportOptions) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"PDF output needs the optional PDF extra, which is not installed here ({exc}); "
            "install it with: pip install 'carecheck[pdf]'"
        ) from None
    pdf: bytes = HTML(string=_paper("questionnaire.html.j2")(checklist, options)).write_pdf()
    return pdf


QUESTIONNAIRE_FORMATS: dict[str, Callable[[Checklist, ExportOptions], str | bytes]] = {
    "form": render_form,
    "html": _paper("questionnaire.html.j2"),
    "md": _paper("questionnaire.md.j2"),
    "pdf": _pdf,
}


def render_questionnaire(checklist: Checklist, fmt: str, options: ExportOptions) -> str | bytes:
    """A checklist as a questionnaire in one of QUESTIONNAIRE_FORMATS."""
    return QUESTIONNAIRE_FORMATS[fmt](checklist, options)
