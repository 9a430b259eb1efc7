"""The built-in checklists, profiles and examples: valid, complete, traceable to the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog, builtin_dir
from carecheck.catalog.validation import validate_paths
from carecheck.format.answers import asked_roles
from carecheck.format.model import ROLES
from carecheck.format.references import builtin_references

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
    assert 90 <= len(load("care-full").questions) <= 125
    assert 25 <= len(load("care-essentials").questions) <= 35


def test_essentials_is_a_tailoring_of_full() -> None:
    essentials = Catalog().load("care-essentials")
    assert essentials.raw.extends == "care-full" and not essentials.raw.sections
    full = load("care-full")
    for qid, question in essentials.checklist.questions.items():
        assert full.questions[qid].text == question.text


def framework_items(framework: str) -> list[str]:
    (found,) = [f for f in builtin_references().frameworks if f.id == framework]
    return [i.id for i in found.items]


def cited(cid: str) -> set[str]:
    return {ref for q in load(cid).questions.values() for ref in q.refs}


def test_every_seed_point_is_covered_by_the_full_checklist() -> None:
    points = [p.id for p in builtin_references().points]
    assert len(points) >= 28
    assert [p for p in points if p not in cited("care-full")] == []


def test_every_cse_sub_criterion_is_covered_by_the_full_checklist() -> None:
    items = framework_items("cse")
    assert items == [f"cse-{c}.{s}" for c, n in enumerate([3, 2, 4, 3, 3], 1) for s in range(1, n + 1)]
    assert [i for i in items if i not in cited("care-full")] == []


def test_every_iso10002_step_principle_and_improvement_item_is_covered_by_the_full_checklist() -> None:
    items = framework_items("iso10002")
    steps = ["receive", "track", "acknowledge", "assess", "investigate", "respond", "communicate", "close"]
    assert [f"iso10002-{s}" for s in steps] == items[:8]
    assert {"iso10002-policy", "iso10002-competence", "iso10002-analyse", "iso10002-review"} <= set(items)
    assert [i for i in items if i not in cited("care-full")] == []


def test_essentials_covers_receive_acknowledge_respond_and_analyse_of_complaints() -> None:
    steps = ["receive", "acknowledge", "respond", "analyse"]
    assert [s for s in steps if f"iso10002-{s}" not in cited("care-essentials")] == []


@pytest.mark.parametrize("cid", ["care-full", "care-essentials", *PROFILES])
def test_every_ref_is_a_known_id_and_complaint_refs_name_their_step(cid: str) -> None:
    known = builtin_references().known
    assert sorted(cited(cid) - known) == []
    assert "iso10002" not in cited(cid), "cite the ISO 10002 step or principle, not the whole standard"


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
    points = len(builtin_references().points)
    assert f"Seed points: {points} of {points} covered" in result.stdout
    assert "Customer Service Excellence (UK government standard): 15 of 15 covered" in result.stdout
    iso = len(framework_items("iso10002"))
    assert f"ISO 10002 (complaints handling): {iso} of {iso} covered" in result.stdout
    assert " process steps (8 of 8)" in result.stdout


def test_show_refs_names_what_is_not_covered(run, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "carecheck: 1\nid: mine\ntitle: M\nversion: '1'\nsections:\n  - id: s\n    title: S\n    questions:\n"
        "      - {id: q, text: Q?, answers: yes-no, recommendation: Do it., refs: [cse-4.3, policy-7]}\n"
    )
    result = run("show", "--refs", str(tmp_path / "mine.yaml"))
    assert result.exit_code == 0
    assert "Customer Service Excellence (UK government standard): 1 of 15 covered" in result.stdout
    lines = result.stdout.splitlines()
    assert any(line.split() == ["cse-4.3", "q"] for line in lines)
    assert any(line.split() == ["cse-1.1", "NOT", "COVERED"] for line in lines)
    assert lines[-2] == "Other references:" and lines[-1].split() == ["policy-7", "q"]


@pytest.mark.parametrize("cid", ["care-full", *PROFILES])
def test_questions_are_worded_for_their_scale(cid: str) -> None:
    """A maturity or frequency question asks "how"; a yes/no question can be answered yes or no."""
    checklist = load(cid)
    for q in checklist.questions.values():
        if q.answers in ("maturity", "frequency"):
            assert q.text.startswith("How") or ", how " in q.text, f"{q.id} is worded yes/no: {q.text}"
        if q.answers in ("yes-no", "yes-partial-no"):
            assert not q.text.startswith(("How", "What")), f"{q.id} is not a yes/no question: {q.text}"


def test_no_internal_phrases_in_help_texts() -> None:
    for cid in ["care-full", *PROFILES]:
        for q in load(cid).questions.values():
            assert "DOMAIN" not in (q.help or ""), q.id


def test_every_number_says_where_its_marks_come_from() -> None:
    """Marks name their source, or say they are a default the organisation should set."""
    sourced_only = {"hosp-food-hygiene-rating": "Food Standards Agency", "pub-foi-on-time": "Information Commissioner"}
    for cid in ["care-full", *PROFILES]:
        for q in load(cid).questions.values():
            if getattr(q.answers, "type", None) == "number":
                help_text = q.help or ""
                assert "Marks:" in help_text, f"{cid}: {q.id}"
                assert "default" in help_text or sourced_only.get(q.id, "\0") in help_text, f"{cid}: {q.id}"


def role_counts(cid: str) -> dict[str, int]:
    """How many questions each respondent role is asked (before any `when`)."""
    checklist = load(cid)
    return {
        role: sum(
            1 for q in checklist.questions.values() if (roles := asked_roles(checklist, q)) is None or role in roles
        )
        for role in ROLES
    }


@pytest.mark.parametrize("cid", ["care-full", "care-essentials", *PROFILES])
def test_roles_keep_each_persons_share_reasonable(cid: str) -> None:
    checklist = load(cid)
    counts = role_counts(cid)
    key_questions = {q.id for q in load("care-full").questions.values() if q.critical}
    # care-full: nobody answers more than 80 of its questions; a profile adds its sector's few.
    cap = 80 if cid == "care-full" else 85
    assert max(counts.values()) <= cap, counts
    assert min(counts.values()) >= 20, counts
    for q in checklist.questions.values():
        roles = asked_roles(checklist, q)
        assert roles is None or roles, f"'{q.id}' is asked of nobody"
        if q.id in key_questions:
            # The six key questions are asked of every role that deals with customers or runs the service.
            assert roles is None or {"leadership", "management", "front-line", "back-office"} <= set(roles), q.id
