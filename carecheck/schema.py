"""The JSON Schema of the file formats, exported from the models (never written by hand)."""

from __future__ import annotations

import json
from typing import Any

from carecheck.model import AnswerFile, Checklist

SCHEMA_FILE = "carecheck.schema.json"


def json_schema(answers: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of checklists, or of answer files."""
    model = AnswerFile if answers else Checklist
    schema = model.model_json_schema(by_alias=True, mode="validation")
    what = "answer file" if answers else "checklist"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://carecheck.invalid/schema/{'answers' if answers else 'checklist'}-1.json",
        **schema,
        "title": f"carecheck {what} (format version 1)",
    }


def schema_text(answers: bool = False) -> str:
    return json.dumps(json_schema(answers), indent=2, ensure_ascii=False) + "\n"
