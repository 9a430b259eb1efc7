"""A file carecheck writes must read the same in a YAML 1.1 reader (PyYAML's safe_load) and in ours."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import strategies as st

from carecheck.format.reader import parse_document

# what a YAML 1.1 or 1.2 reader could take for a bool, null, number, date, merge key or value key
TRICKY = [
    *("yes", "No", "YES", "on", "Off", "y", "N", "true", "False", "TRUE", "yEs"),
    *("null", "Null", "~", "", "0", "08", "-7", "+1", "1_000", "0x1F", "0o7", "0b101", "1:20", "-1:20:30.5"),
    *("6.5", "1e5", "1.0e+16", ".5", "+.inf", ".Inf", ".nan", "NaN", "2026-09-14", "2026-9-1 10:02:11"),
    *("2001-12-14t21:59:43.10-05:00", "2026-08-03T09:00:00Z", "=", "<<", "2026-Q3", "1.0.0", "-", ":"),
]
texts = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=20), st.sampled_from(TRICKY))


def assert_read_alike(text: str) -> None:
    """`yaml.safe_load` gives the same plain data as carecheck's reader."""
    ours = parse_document(text.encode("utf-8"), Path("written.yaml")).data
    assert yaml.safe_load(text) == ours, text
