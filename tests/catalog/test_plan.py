"""Plans (`carecheck-plan: 1`): waivers with expiry on the SOURCE_DATE_EPOCH clock, action owners."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from carecheck.catalog.loading import Catalog, load_plan
from carecheck.catalog.validation import validate_file
from carecheck.clock import now, today
from carecheck.errors import FindingsError, InvalidInputError, UsageError

PLANS = Path(__file__).parents[1] / "fixtures" / "plans"


def epoch(day: str) -> str:
    return str(int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp()))


def test_the_clock_honours_source_date_epoch() -> None:
    assert now({"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert today({"SOURCE_DATE_EPOCH": epoch("2026-06-30T23:59:59")}) == date(2026, 6, 30)
    assert abs((now({}) - datetime.now(timezone.utc)).total_seconds()) < 60
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        now({"SOURCE_DATE_EPOCH": "yesterday"})


def test_load_plan_gives_waivers_and_actions() -> None:
    _, plan = load_plan(PLANS / "good.yaml")
    waiver = plan.waiver("trained", date(2026, 1, 1))
    assert waiver is not None and waiver.owner == "Jo Smith" and waiver.expires == date(2099, 12, 31)
    assert plan.waiver("trained", date(2100, 1, 1)) is None  # expired waivers do not hold
    assert plan.waiver("rating", date(2026, 1, 1)) is None
    action = plan.action("has-email")
    assert action is not None and action.owner == "Sam Lee" and action.due == date(2027, 3, 31)
    assert plan.action("evidence") is None


def test_load_plan_errors_carry_positions() -> None:
    with pytest.raises(FindingsError) as caught:
        load_plan(PLANS / "unknown-key.yaml")
    assert str(caught.value).splitlines() == [
        f"{PLANS / 'unknown-key.yaml'}:3:5: CC008 missing required key 'expires'",
        f"{PLANS / 'unknown-key.yaml'}:6:5: CC008 unknown key 'expiry' (did you mean 'expires'?)",
    ]
    with pytest.raises(InvalidInputError, match="not a plan file"):
        load_plan(PLANS.parent / "minimal.yaml")


def test_a_waiver_holds_through_its_expiry_day() -> None:
    path = PLANS / "expired.yaml"
    assert validate_file(path, Catalog(), today=date(2026, 6, 30)) == []
    (finding,) = validate_file(path, Catalog(), today=date(2026, 7, 1)) or []
    assert (finding.code, finding.position and finding.position.line, finding.position and finding.position.col) == (
        "CC301",
        7,
        14,
    )
    assert finding.message == "the waiver of 'trained' (owner Jo Smith) expired on 2026-06-30"


def test_an_expired_waiver_fails_validate_on_the_source_date_epoch_clock(run) -> None:
    path = str(PLANS / "expired.yaml")
    before = run("validate", path, env={"SOURCE_DATE_EPOCH": epoch("2026-06-30T12:00:00")})
    assert before.exit_code == 0 and before.stdout == ""
    after = run("validate", path, env={"SOURCE_DATE_EPOCH": epoch("2026-07-01T00:00:00")})
    assert after.exit_code == 1
    assert after.stdout.startswith(f"{path}:7:14: CC301 the waiver of 'trained'")
    bad_clock = run("validate", path, env={"SOURCE_DATE_EPOCH": "soon"})
    assert bad_clock.exit_code == 2 and "SOURCE_DATE_EPOCH" in bad_clock.stderr


def test_plan_questions_are_checked_against_its_checklist() -> None:
    findings = validate_file(PLANS / "unknown-question.yaml", Catalog(), today=date(2026, 1, 1)) or []
    assert [(f.code, f.position.line if f.position else 0) for f in findings] == [("CC303", 4), ("CC304", 7)]
    assert findings[0].message == "no question 'trainde' in checklist 'minimal'"


def test_a_plan_whose_checklist_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("carecheck-plan: 1\nchecklist: no-such-checklist\nwaivers: []\n", encoding="utf-8")
    (finding,) = validate_file(path, Catalog(), today=date(2026, 1, 1)) or []
    assert finding.code == "CC302" and "no checklist 'no-such-checklist'" in finding.message


def test_a_plan_without_checklist_is_checked_for_expiry_only(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "carecheck-plan: 1\nwaivers:\n  - {question: any-id, reason: r, owner: o, expires: 2026-01-01}\n",
        encoding="utf-8",
    )
    assert validate_file(path, Catalog(), today=date(2026, 1, 1)) == []
    assert [f.code for f in validate_file(path, Catalog(), today=date(2026, 1, 2)) or []] == ["CC301"]


def test_a_bad_date_is_a_schema_error_with_position(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "carecheck-plan: 1\nwaivers:\n  - {question: q, reason: r, owner: o, expires: 2026-02-30}\n",
        encoding="utf-8",
    )
    (finding,) = validate_file(path, Catalog()) or []
    assert finding.code == "CC008" and finding.position is not None
    assert (finding.position.line, finding.position.col) == (3, 49)
    assert finding.message.startswith("expires:")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "expires: '0' is not a date: write it as YYYY-MM-DD"),
        ("20270101", "expires: '20270101' is not a date: write it as YYYY-MM-DD"),
        ("next-year", "expires: 'next-year' is not a date: write it as YYYY-MM-DD"),
        ("2027-02-30", "expires: day is out of range for month"),
    ],
)
def test_dates_are_iso_dates_only(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(
        f"carecheck-plan: 1\nwaivers:\n  - {{question: q, reason: r, owner: o, expires: {value}}}\n", encoding="utf-8"
    )
    (finding,) = validate_file(path, Catalog()) or []
    assert (finding.code, finding.message) == ("CC008", message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("waivers: {}\n", "waivers: expected a list (- item lines, or [a, b])"),
        ("waivers:\n  - trained\n", "waivers: expected a mapping of keys to values"),
    ],
)
def test_wrong_shapes_are_named_in_yaml_words(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("carecheck-plan: 1\n" + body, encoding="utf-8")
    (finding,) = validate_file(path, Catalog()) or []
    assert finding.message == message
