"""The built-in checklists, profiles and examples: valid, complete, traceable to the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog, builtin_dir, seed_points
from carecheck.catalog.validation import validate_paths

ROOT = Path(__file__).parent.parent
PROFILES = [
    "contact-centre",
    "retail",
    "hospitality",
    "professional-services",
    "public-services",
    "internal-services",
]
KEY_POINTS = [
    p
    for p in (
        "expectations-known",
        "ask-expectations",
        "easy-contact",
        "staff-trained",
        "timely-replies",
        "customers-involved",
    )
]


def load(cid: str):  # type: ignore[no-untyped-def]
    return Catalog().load(cid).checklist


def test_builtins_and_examples_validate_strict() -> None:
    result = validate_paths([builtin_dir(), ROOT / "examples"], Catalog())
    assert [str(f) for f in result.findings] == []
    assert result.files >= 2 + len(PROFILES)


def test_question_counts() -> None:
    assert 60 <= len(load("care-full").questions) <= 90
    assert 15 <= len(load("care-essentials").questions) <= 25


def test_essentials_is_a_tailoring_of_full() -> None:
    essentials = Catalog().load("care-essentials")
    assert essentials.raw.extends == "care-full" and not essentials.raw.sections
    full = load("care-full")
    for qid, question in essentials.checklist.questions.items():
        assert full.questions[qid].text == question.text


def test_every_seed_point_is_covered_by_the_full_checklist() -> None:
    refs = {ref for q in load("care-full").questions.values() for ref in q.refs}
    points = seed_points()
    assert len(points) >= 28
    assert [p["id"] for p in points if p["id"] not in refs] == []


@pytest.mark.parametrize("cid", ["care-full", "care-essentials"])
def test_the_six_key_questions_are_there_and_critical(cid: str) -> None:
    questions = load(cid).questions.values()
    for point in KEY_POINTS:
        citing = [q for q in questions if f"s003-{point}" in q.refs]
        assert citing, f"{cid} does not cover s003-{point}"
        assert any(q.critical for q in citing), f"no critical question for s003-{point} in {cid}"


@pytest.mark.parametrize("profile", PROFILES)
def test_profiles_tailor_the_full_checklist(profile: str) -> None:
    resolved = Catalog().load(profile)
    assert resolved.raw.extends == "care-full"
    assert resolved.raw.exclude or resolved.raw.override, "a profile drops or re-weights something"
    assert resolved.raw.sections, "a profile adds what its sector needs"
    assert len(resolved.checklist.questions) >= 30


def test_every_scored_question_has_help_and_a_recommendation() -> None:
    for cid in ["care-full", *PROFILES]:
        for q in load(cid).questions.values():
            assert q.help, f"{cid}: {q.id} has no help"
            if getattr(q.answers, "type", None) != "text":
                assert q.recommendation, f"{cid}: {q.id} has no recommendation"


def test_show_refs_prints_the_traceability_table(run) -> None:
    result = run("show", "--refs", "care-full")
    assert result.exit_code == 0
    assert "NOT COVERED" not in result.stdout
    assert f"{len(seed_points())} of {len(seed_points())} seed points covered" in result.stdout
