"""The JSON Schema of the file formats, exported from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from carecheck.format.model import KINDS

SCHEMA_FILE = "carecheck.schema.json"
# schema name -> the first key of the files it describes
SCHEMAS = {
    "checklist": "carecheck",
    "answers": "carecheck-answers",
    "plan": "carecheck-plan",
    "config": "carecheck-config",
    "roles": "carecheck-roles",
}
_TITLES = {
    "checklist": "checklist",
    "answers": "answer file",
    "plan": "plan file",
    "config": "configuration file",
    "roles": "role map",
}


def json_schema(kind: str = "checklist") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of carecheck file: checklist, answers, plan, config or roles."""
    model = KINDS[SCHEMAS[kind]]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://carecheck.invalid/schema/{kind}-1.json",
        **schema,
        "title": f"carecheck {_TITLES[kind]} (format version 1)",
    }


def schema_text(kind: str = "checklist") -> str:
    """The schema as the text `carecheck schema` prints and checklists/carecheck.schema.json holds."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
