"""Answer files: names that never collide, readable YAML that reads back exactly, atomic saves, discovery."""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml_readers import assert_read_alike
from yaml_readers import texts as tricky_texts

from carecheck import fs
from carecheck.audits.store import AuditsFolder, create_answer_file, default_answer_path, save_answers
from carecheck.catalog.loading import load_answer_file
from carecheck.errors import InputError
from carecheck.format.answers import quarter_label
from carecheck.format.model import AnswerFile
from carecheck.format.names import SLUG_MAX, audit_folder_name, path_part, safe_name, slug
from carecheck.format.reader import parse_document
from carecheck.format.writer import answers_data, answers_yaml, dump_yaml


def answer_file(**changes: Any) -> AnswerFile:
    data: dict[str, Any] = {
        "carecheck-answers": 1,
        "checklist": {"id": "care-essentials", "version": "2026.1", "sha256": "9f2c" * 16},
        "organisation": "Acme Ltd",
        "audit": "2026-Q3",
        "respondent": {"name": "Jo Smith", "role": "front-line"},
        "started": "2026-08-03T09:00:00Z",
        "completed": None,
        "answers": {},
    }
    data.update(changes)
    return AnswerFile.model_validate(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme Ltd", "acme-ltd"),
        ("  Zeta & Co. ", "zeta-co"),
        ("Ana Núñez", "ana-nunez"),
        ("Øre/..", "ore"),
        ("!!", "x"),
        ("Łódź Café", "lodz-cafe"),
        ("Ørsted", "orsted"),
        ("Ромашка", "romashka"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text, "x") == expected


def test_names_in_other_scripts_stay_distinct_and_readable() -> None:
    names = ["東京商事", "大阪商事", "Ромашка", "Василёк", "Ελληνικά"]
    slugs = [slug(name) for name in names]
    assert len(set(slugs)) == len(names) and "unnamed" not in slugs
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "CON_"),
        ("con", "con_"),
        ("Nul.txt", "Nul_.txt"),
        ("aux.tar.gz", "aux_.tar.gz"),
        ("COM1", "COM1_"),
        ("lpt9.yaml", "lpt9_.yaml"),
        ("com10", "com10"),
        ("console", "console"),
        ("prn-care", "prn-care"),
        ("2026-Q3. ", "2026-Q3"),
        ("name...", "name"),
        ("...", "_"),
    ],
)
def test_safe_name_avoids_windows_device_names_and_trailing_dots(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_path_parts_of_reserved_organisations_and_labels(tmp_path: Path) -> None:
    assert path_part("Con") == "con_" and path_part("N.U.L.") == "n-u-l" and path_part("Nul") == "nul_"
    path = default_answer_path(tmp_path, answer_file(organisation="AUX", audit="com3"))
    assert path.relative_to(tmp_path).parts == ("aux_", "com3_", "care-essentials--jo-smith.yaml")
    assert audit_folder_name("2026 Q3 . ") == "2026-Q3" and audit_folder_name("..") == "audit"


def test_long_names_are_capped_and_stay_distinct(tmp_path: Path) -> None:
    first, second = "Amalgamated Customer Services " * 4 + "North", "Amalgamated Customer Services " * 4 + "South"
    a, b = slug(first), slug(second)
    assert len(a) <= SLUG_MAX and len(b) <= SLUG_MAX and a != b
    assert a.startswith("amalgamated-customer-services-") and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a)
    assert slug(first) == a  # the same name gives the same slug on every run
    long = answer_file(organisation=first, audit="Q" * 200, respondent={"name": second, "role": "other"})
    path = default_answer_path(tmp_path, long)
    assert len(str(path.relative_to(tmp_path))) <= 190
    assert audit_folder_name("Q" * 200) != audit_folder_name("Q" * 199)


@pytest.mark.parametrize(
    ("month", "label"), [(1, "2026-Q1"), (3, "2026-Q1"), (4, "2026-Q2"), (9, "2026-Q3"), (12, "2026-Q4")]
)
def test_quarter_label(month: int, label: str) -> None:
    assert quarter_label(datetime(2026, month, 15, tzinfo=timezone.utc)) == label


def test_default_path(tmp_path: Path) -> None:
    path = default_answer_path(tmp_path, answer_file())
    assert path == tmp_path / "acme-ltd" / "2026-Q3" / "care-essentials--jo-smith.yaml"
    unlabelled = default_answer_path(tmp_path, answer_file(audit=None, started="2026-11-22T10:02:11Z"))
    assert unlabelled.parent.name == "2026-Q4"
    odd = default_answer_path(tmp_path, answer_file(audit="../../etc", respondent={"name": "", "role": "other"}))
    assert odd.parent.parent.parent == tmp_path and odd.name == "care-essentials--anonymous.yaml"


def test_a_new_audit_never_takes_an_existing_file(tmp_path: Path) -> None:
    first = create_answer_file(tmp_path, answer_file(answers={"a": {"value": "yes"}}))
    second = create_answer_file(tmp_path, answer_file(answers={"a": {"value": "no"}}))
    third = create_answer_file(tmp_path, answer_file())
    assert [p.name for p in (first, second, third)] == [
        "care-essentials--jo-smith.yaml",
        "care-essentials--jo-smith--2.yaml",
        "care-essentials--jo-smith--3.yaml",
    ]
    assert load_answer_file(first)[1].answers["a"].value == "yes"
    assert load_answer_file(second)[1].answers["a"].value == "no"
    assert sorted(p.name for p in first.parent.iterdir()) == sorted(p.name for p in (first, second, third))


def test_the_file_keeps_the_documented_key_order_one_line_per_answer() -> None:
    text = answers_yaml(
        answer_file(
            answers={
                "published-standards": {
                    "value": "partial",
                    "note": "Only on the website",
                    "at": "2026-08-03T09:03:40Z",
                    "asked": "1a2b3c4d",
                },
                "email-first-reply-hours": {"value": "6.5"},
                "trained": {"value": "2"},
                "has-email": {"value": "yes"},
                "later": {"skipped": True, "note": "ask IT"},
            }
        )
    )
    assert text == (
        "carecheck-answers: 1\n"
        f"checklist: {{id: care-essentials, version: '2026.1', sha256: {'9f2c' * 16}}}\n"
        "organisation: Acme Ltd\n"
        "audit: 2026-Q3\n"
        "respondent: {name: Jo Smith, role: front-line}\n"
        "started: '2026-08-03T09:00:00Z'\n"
        "completed: null\n"
        "answers:\n"
        "  published-standards: {value: partial, note: Only on the website, at: '2026-08-03T09:03:40Z', "
        "asked: 1a2b3c4d}\n"
        "  email-first-reply-hours: {value: 6.5}\n"
        "  trained: {value: 2}\n"
        "  has-email: {value: 'yes'}\n"
        "  later: {skipped: true, note: ask IT}\n"
    )


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@settings(deadline=None, max_examples=300)
@given(
    organisation=texts.filter(str.strip),
    name=texts,
    value=st.one_of(texts, st.from_regex(r"-?[0-9]{1,5}(\.[0-9]{1,3})?", fullmatch=True)),
    note=st.one_of(st.none(), texts),
)
def test_every_answer_reads_back_exactly_as_saved(organisation: str, name: str, value: str, note: str | None) -> None:
    original = answer_file(
        organisation=organisation,
        respondent={"name": name, "role": "other"},
        answers={"q": {"value": value, "note": note, "at": "2026-08-03T09:03:40Z", "asked": "abcdef12"}},
    )
    text = answers_yaml(original)
    assert AnswerFile.model_validate(parse_document(text.encode(), Path("x.yaml")).data) == original


@settings(deadline=None, max_examples=300)
@given(
    words=st.lists(tricky_texts, min_size=7, max_size=7),
    number=st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3))),
)
def test_a_saved_answer_file_reads_the_same_in_yaml_1_1(
    tmp_path_factory: pytest.TempPathFactory, words: list[str], number: float
) -> None:
    organisation, audit, name, qid, value, note, version = words
    answers = answer_file(
        organisation=organisation or "Acme",
        audit=audit,
        checklist={"id": "care-essentials", "version": version},
        respondent={"name": name, "role": "other"},
        answers={
            qid: {"value": value, "note": note, "at": "2026-08-03T09:03:40Z"},
            "figure": {"value": str(number)},
            "yes": {"value": "no", "note": "on"},
        },
    )
    path = tmp_path_factory.mktemp("save") / "answers.yaml"
    save_answers(path, answers)
    text = path.read_text(encoding="utf-8")
    assert_read_alike(text)
    assert yaml.safe_load(text)["answers"]["figure"]["value"] == number  # a number answer stays a number


@settings(deadline=None, max_examples=200)
@given(
    qids=st.lists(tricky_texts.filter(bool), min_size=1, max_size=4, unique=True),
    words=st.lists(tricky_texts),
    header=st.lists(tricky_texts, min_size=4, max_size=4),
    offset=st.integers(min_value=-14, max_value=14),
)
def test_an_answer_file_is_written_line_by_line_as_dumped_whole(
    qids: list[str], words: list[str], header: list[str], offset: int
) -> None:
    """answers_yaml writes (and remembers) each line alone, the header's too: the text is dump_yaml's of the
    whole file."""
    values = [*words, "yes", "a note\nover two lines", "x" * 300]
    organisation, audit, name, version = header
    answers = answer_file(
        checklist={"id": "care-essentials", "version": version, "sha256": None},
        organisation=organisation or "Acme",
        audit=audit,
        respondent={"name": name, "role": "front-line"},
        questions=[f"q{i}" for i in range(len(qids))],
        started=f"2026-08-03T09:00:00{offset:+03d}:00",
        answers={
            qid: {
                "value": values[i % len(values)],
                "note": values[-i % len(values)] or None,
                "asked": "abcdef12",
                "at": f"2026-08-03T09:0{i}:00{offset:+03d}:00",
                "skipped": i % 2 == 1,
            }
            for i, qid in enumerate(qids)
        },
    )
    for _ in range(2):  # the second time from the lines remembered
        assert answers_yaml(answers) == dump_yaml(answers_data(answers))


def test_a_save_that_fails_leaves_the_previous_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = create_answer_file(tmp_path, answer_file(answers={"a": {"value": "yes"}}))
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fs.os, "replace", crash)
    with pytest.raises(InputError, match="cannot write: No space left on device"):
        save_answers(path, answer_file(answers={"a": {"value": "yes"}, "b": {"value": "no"}}))
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_save_replaces_the_file(tmp_path: Path) -> None:
    path = create_answer_file(tmp_path, answer_file())
    save_answers(path, answer_file(answers={"b": {"value": "no"}}))
    assert load_answer_file(path)[1].answers["b"].value == "no"


def test_find_unfinished_matches_checklist_organisation_and_respondent(tmp_path: Path) -> None:
    wanted = create_answer_file(tmp_path, answer_file())
    older = create_answer_file(tmp_path, answer_file(started="2026-07-01T09:00:00Z", audit="2026-Q3"))
    create_answer_file(tmp_path, answer_file(completed="2026-08-04T09:00:00Z"))
    create_answer_file(tmp_path, answer_file(checklist={"id": "care-full", "version": "1"}))
    create_answer_file(tmp_path, answer_file(organisation="Zeta"))
    create_answer_file(tmp_path, answer_file(respondent={"name": "Sam", "role": "management"}))
    (tmp_path / "notes.yaml").write_text("just: yaml\n")
    (tmp_path / "broken.yaml").write_text("carecheck-answers: 1\n  - [\n")
    hidden = tmp_path / ".trash"
    hidden.mkdir()
    create_answer_file(hidden, answer_file())

    found = AuditsFolder(tmp_path).unfinished("care-essentials", "acme  LTD", "jo smith")
    assert [u.path for u in found] == [wanted, older]
    everyone = AuditsFolder(tmp_path).unfinished("care-essentials")
    assert len(everyone) == 4
    assert AuditsFolder(tmp_path / "missing").unfinished("care-essentials") == []


def test_find_unfinished_walks_as_validate_does(tmp_path: Path) -> None:
    # the one walker (fs.walk_yaml): .yml files are found; virtual environments and node_modules are not entered
    kept = create_answer_file(tmp_path, answer_file())
    yml = kept.with_name("kept.yml")
    kept.rename(yml)
    for folder in ("node_modules", "env"):
        (tmp_path / folder).mkdir()
        create_answer_file(tmp_path / folder, answer_file())
    (tmp_path / "env" / "pyvenv.cfg").write_text("")
    assert [u.path for u in AuditsFolder(tmp_path).unfinished("care-essentials")] == [yml]


def _settled(*paths: Path) -> None:
    """Files last written an hour ago: their size and times are trusted at the next look (store.RACY_NS)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in paths:
        os.utime(path, ns=(hour_ago, hour_ago))


def _reading(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """The files each look reads, one list per look."""
    from carecheck.catalog import loading

    asked: list[list[Path]] = []
    real = loading.loadable_answers

    def counted(paths: Any, seen: Any = None, **kwargs: Any) -> Any:
        asked.append(list(paths))
        return real(asked[-1], seen, **kwargs)

    monkeypatch.setattr(loading, "loadable_answers", counted)
    return asked


def test_a_second_look_reads_only_what_changed_and_what_matched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `audit` looks twice (an unfinished audit to offer, then a completed one of the person named): the
    # second look must find what a first look would, without reading every file again
    mine = create_answer_file(tmp_path, answer_file())
    theirs = create_answer_file(tmp_path, answer_file(respondent={"name": "Sam", "role": "management"}))
    others = [create_answer_file(tmp_path, answer_file(organisation=f"Org {n}")) for n in range(3)]
    _settled(mine, theirs, *others)
    asked = _reading(monkeypatch)
    audits = AuditsFolder(tmp_path)
    assert [u.path for u in audits.unfinished("care-essentials", "Acme Ltd", "Jo Smith")] == [mine]
    assert sorted(asked[-1]) == sorted([mine, theirs, *others])
    assert audits.completed("care-essentials", "Acme Ltd", "Jo Smith") == []
    assert asked[-1] == []  # nothing written since, nothing matched: no file read
    assert {u.path for u in audits.unfinished("care-essentials", "Acme Ltd")} == {mine, theirs}
    assert asked[-1] == [mine, theirs]  # the files that match, read again as they stand now; nothing else

    jo = {"name": "Jo Smith", "role": "front-line"}
    save_answers(theirs, answer_file(respondent=jo, completed="2026-08-04T09:00:00Z"))
    others[0].unlink()
    save_answers(mine, answer_file(completed="2026-08-05T09:00:00Z"))
    _settled(mine, theirs)
    done = audits.completed("care-essentials", "Acme Ltd", "Jo Smith")
    assert {u.path for u in done} == {mine, theirs}
    assert sorted(asked[-1]) == sorted([mine, theirs])
    assert audits.unfinished("care-essentials", "Acme Ltd", "Jo Smith") == []
    assert asked[-1] == []

    # edited in place, the same size: its times tell
    with others[1].open("r+", encoding="utf-8") as f:
        text = f.read()
        f.seek(0)
        f.write(text.replace("Org 1", "Org 7"))
    assert [u.path for u in audits.unfinished("care-essentials", "Org 7")] == [others[1]]
    assert asked[-1] == [others[1]]


def test_a_file_written_just_before_a_look_is_read_again_at_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its next write may fall within the same timestamp (FAT keeps 2-second times), so that its size and
    # times stay the same: the next look cannot tell it was written and reads it again
    fresh = create_answer_file(tmp_path, answer_file())
    old = create_answer_file(tmp_path, answer_file(organisation="Zeta"))
    _settled(old)
    asked = _reading(monkeypatch)
    audits = AuditsFolder(tmp_path)
    assert [u.path for u in audits.unfinished("care-essentials", "Zeta")] == [old]
    assert sorted(asked[-1]) == sorted([fresh, old])
    assert audits.unfinished("care-essentials", "Nobody") == []
    assert asked[-1] == [fresh]  # the settled file, which does not match, is passed over


def test_a_second_look_finds_what_a_first_would_through_symlinks(tmp_path: Path) -> None:
    # the reader reads a file once, by the first path to it in walk order; when that path goes, the other counts
    done = create_answer_file(tmp_path, answer_file(completed="2026-08-04T09:00:00Z"))
    alias = tmp_path / "a.yaml"  # walked before the organisation's folder
    alias.symlink_to(done)
    _settled(done)
    audits = AuditsFolder(tmp_path)
    assert [u.path for u in audits.completed("care-essentials", "Acme Ltd", "Jo Smith")] == [alias]
    alias.unlink()
    assert [u.path for u in audits.completed("care-essentials", "Acme Ltd", "Jo Smith")] == [done]
    assert [u.path for u in AuditsFolder(tmp_path).completed("care-essentials")] == [done]


def test_the_walker_goes_depth_levels_down_in_a_stable_order(tmp_path: Path) -> None:
    for rel in ("b.yaml", "a.yml", "sub/c.yaml", "sub/deeper/d.yaml", ".hidden/e.yaml", "venv/f.yaml", "g.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x: 1\n")
    found = [p.relative_to(tmp_path).as_posix() for p in fs.walk_yaml(tmp_path)]
    assert found == ["a.yml", "b.yaml", "sub/c.yaml", "sub/deeper/d.yaml"]
    assert [p.name for p in fs.walk_yaml(tmp_path, depth=0)] == ["a.yml", "b.yaml"]
    assert [p.name for p in fs.walk_yaml(tmp_path, depth=1)] == ["a.yml", "b.yaml", "c.yaml"]


def test_create_answer_file_claims_the_name_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # another run creates the file between our check and our link: we must move on, not overwrite
    real_link = os.link
    target = default_answer_path(tmp_path, answer_file())

    def racing_link(src: str, dst: str) -> None:
        if Path(dst) == target and not target.exists():
            target.write_text("carecheck-answers: 1\n# the other run's file\n")
        real_link(src, dst)

    monkeypatch.setattr(fs.os, "link", racing_link)
    path = create_answer_file(tmp_path, answer_file())
    assert path.name == "care-essentials--jo-smith--2.yaml"
    assert "the other run's file" in target.read_text()


@pytest.mark.parametrize("text", ["=", "<<"])
def test_text_that_pyyaml_tags_is_quoted_and_reads_back(text: str) -> None:
    answers = AnswerFile.model_validate(
        {"carecheck-answers": 1, "checklist": {"id": "x"}, "organisation": text, "answers": {"q": {"note": text}}}
    )
    doc = parse_document(answers_yaml(answers).encode(), Path("x.yaml"))
    assert doc.data["organisation"] == text and doc.data["answers"]["q"] == {"note": text}


def test_the_audit_label_of_a_file_without_one_is_the_quarter_it_was_started() -> None:
    from carecheck.format.answers import audit_label

    def answers(**fields: Any) -> AnswerFile:
        base = {"carecheck-answers": 1, "checklist": {"id": "c"}, "organisation": "O"}
        return AnswerFile.model_validate({**base, **fields})

    started, completed = datetime(2026, 9, 30, 23, 0, tzinfo=timezone.utc), datetime(2026, 10, 2)
    assert audit_label(answers(audit="Spring review", started=started)) == "Spring review"
    assert audit_label(answers(started=started, completed=completed)) == "2026-Q3"
    # no start, no period: such files make one audit of their own, "(no audit label)"
    assert audit_label(answers(completed=completed)) is None and audit_label(answers()) is None


def test_one_instant_at_two_offsets_is_written_as_each_was_given() -> None:
    """The writer caches how a time is written; 12:00Z and 13:00+01:00 are equal datetimes, written differently."""
    from datetime import timedelta

    from carecheck.format.writer import answers_yaml

    utc = datetime(2026, 9, 1, 12, 0, tzinfo=timezone.utc)
    plus_one = utc.astimezone(timezone(timedelta(hours=1)))
    assert utc == plus_one
    answers = AnswerFile.model_validate(
        {
            "carecheck-answers": 1,
            "checklist": {"id": "minimal"},
            "organisation": "Acme Ltd",
            "started": utc,
            "answers": {"a": {"value": "yes", "at": plus_one}, "b": {"value": "yes", "at": utc}},
        }
    )
    lines = answers_yaml(answers).splitlines()
    assert "started: '2026-09-01T12:00:00Z'" in lines
    assert lines[-2:] == [
        "  a: {value: 'yes', at: '2026-09-01T13:00:00+01:00'}",
        "  b: {value: 'yes', at: '2026-09-01T12:00:00Z'}",
    ]


def test_zero_and_minus_zero_are_written_each_as_given() -> None:
    """The writer reuses lines it wrote; 0.0 and -0.0 are equal floats, but different answers as typed."""
    for value in ("0.0", "-0.0", "0.0"):
        original = answer_file(answers={"q": {"value": value}})
        assert answers_yaml(original).endswith(f"  q: {{value: {value}}}\n")
