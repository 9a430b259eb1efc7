"""Reading YAML safely, as written, with positions; hostile and broken input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carecheck.errors import CarecheckError, Position
from carecheck.format.reader import MAX_DEPTH, parse_document, read_document

FIXTURES = Path(__file__).parents[1] / "fixtures"


def parse(text: str) -> object:
    return parse_document(text.encode(), Path("t.yaml")).data


def test_values_are_read_as_written() -> None:
    data = parse("a: no\nb: 3.10\nc: 08\nd: yes\ne: 2026-01-01\nf: ~\ng: true\nh: 12\ni: 1.5\n")
    assert data == {
        "a": "no",
        "b": 3.1,
        "c": "08",
        "d": "yes",
        "e": "2026-01-01",
        "f": None,
        "g": True,
        "h": 12,
        "i": 1.5,
    }
    assert data["b"].text == "3.10"  # type: ignore[index]


def test_quoted_and_tagged_strings_stay_strings() -> None:
    assert parse("a: \"3.10\"\nb: !!str 12\nc: 'no'\n") == {"a": "3.10", "b": "12", "c": "no"}


def test_locate_maps_a_model_path_to_its_node() -> None:
    doc = parse_document(b"a:\n  - x: 1\n    y: [1, 2]\n", Path("t.yaml"))
    assert doc.locate(("a", 0, "y", 1)) == Position(3, 12)
    assert doc.locate(("a", 0, "y"), key=True) == Position(3, 5)
    assert doc.locate(("a", 0, "missing", "union-tag")) == Position(2, 5)


@pytest.mark.parametrize(
    ("name", "code", "line", "col", "words"),
    [
        ("empty.yaml", "CC007", 1, 1, "empty"),
        ("list.yaml", "CC007", 1, 1, "a list"),
        ("scalar.yaml", "CC007", 1, 1, "a single value"),
        ("tabs.yaml", "CC003", 4, 1, "tab"),
        ("latin1.yaml", "CC002", 3, 11, "not UTF-8"),
        ("syntax.yaml", "CC003", 4, 8, "YAML syntax error"),
        ("python-tag.yaml", "CC006", 2, 5, "!!python/object/apply:os.system"),
        ("duplicate-key.yaml", "CC005", 3, 1, "duplicate key 'id' (first at line 2, column 1)"),
        ("alias-bomb.yaml", "CC004", 7, 4, "aliases expand"),
    ],
)
def test_bad_files_are_refused_with_a_position(name: str, code: str, line: int, col: int, words: str) -> None:
    with pytest.raises(CarecheckError) as info:
        read_document(FIXTURES / "bad" / name)
    err = info.value
    assert (err.code, err.position) == (code, Position(line, col))
    assert words in err.message
    assert str(err).startswith(f"{FIXTURES / 'bad' / name}:{line}:{col}: {code} ")


def test_missing_file() -> None:
    with pytest.raises(CarecheckError) as info:
        read_document(FIXTURES / "nope.yaml")
    assert info.value.code == "CC001" and info.value.exit_code == 2


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 900, 1_100, 5_000, 100_000])
@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_refused_before_composing(depth: int, opener: str, closer: str) -> None:
    # libyaml's composer recurses in C: 100k levels would crash the interpreter, not raise. Too deep is
    # CC004 at the bracket that goes too deep, whatever nesting limit the installed PyYAML has of its own.
    with pytest.raises(CarecheckError) as info:
        parse("# a [[[ comment\nb: '[[[ quoted'\na: " + opener * depth + "1" + closer * depth)
    assert info.value.code == "CC004"
    assert f"more than {MAX_DEPTH} levels" in info.value.message
    assert info.value.position is not None and info.value.position.line == 3
    assert 4 + len(opener) * (MAX_DEPTH - 2) <= info.value.position.col <= 4 + len(opener) * MAX_DEPTH


def test_brackets_in_quotes_and_comments_are_not_nesting() -> None:
    text = "a: '" + "[" * 2_000 + "'\nb: \"" + "{" * 2_000 + '"  # ' + "[" * 2_000 + "\nc: [[1]]\n"
    assert parse(text) == {"a": "[" * 2_000, "b": "{" * 2_000, "c": [[1]]}


def test_a_syntax_error_in_shallow_input_stays_a_syntax_error() -> None:
    with pytest.raises(CarecheckError) as info:
        parse("a: [[[1]]\nb: 2\n")
    assert info.value.code == "CC003"


def test_long_lines_that_are_not_deep_are_fine() -> None:
    assert parse("a: '" + "x" * 10_000 + "'\n") == {"a": "x" * 10_000}


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(CarecheckError) as info:
        parse("a: &x [*x]\n")
    assert info.value.code == "CC004"


def test_alias_bomb_is_refused_quickly_in_a_real_process() -> None:
    # A generous hang timeout, not a duration assertion: the limit must trip, not the clock.
    proc = subprocess.run(
        [sys.executable, "-m", "carecheck", "validate", str(FIXTURES / "bad" / "alias-bomb.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "CC004" in proc.stdout


def test_bom_and_crlf_are_normal_input() -> None:
    doc = read_document(FIXTURES / "valid" / "bom-crlf.yaml")
    assert doc.data["id"] == "bom-crlf"
    assert doc.data["title"] == "Written on Windows"


def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CarecheckError) as info:
        read_document(fifo)  # would block forever if it were opened
    assert info.value.code == "CC001" and "not a regular file" in info.value.message


def test_a_symlink_loop_is_an_unreadable_file(run, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    for command in ("validate", "report", "show"):
        result = run(command, str(tmp_path / "a.yaml"))
        assert result.exit_code == 2, (command, result.output)
        assert "CC001" in result.output


@pytest.mark.parametrize("padding", ["", "x" * 200])  # long lines take the event-stream depth check
def test_a_control_character_is_a_syntax_error_with_line_and_column(padding: str) -> None:
    with pytest.raises(CarecheckError) as info:
        parse(f"a: 1\nb: '{padding}\x01'\n")
    assert info.value.code == "CC003"
    assert info.value.position == Position(2, 5 + len(padding))
    assert "U+0001" in info.value.message


HEAD = 'carecheck: 1\nid: shop\ntitle: Shop\nversion: "1"\nsections:\n  - id: contact\n    title: Contact\n'
MISINDENTED = {
    # a key one space short of its siblings
    "short-key": (
        HEAD + "    questions:\n      - id: phone\n        text: Do you answer?\n       answers: yes-no\n",
        11,
        "line 11",
    ),
    # a key two spaces too deep: it reads as more of the value above
    "deep-key": (
        HEAD + "    questions:\n      - id: phone\n        text: Do you answer?\n          answers: yes-no\n",
        11,
        "line 11",
    ),
    # a question one space short, after a blank line and a comment
    "short-item": (
        HEAD + "    questions:\n      - id: phone\n        text: Q?\n\n    # email\n     - id: email\n",
        13,
        "line 13",
    ),
    # the first question deeper than the second: they should line up
    "first-item-deep": (HEAD + "    questions:\n        - id: phone\n      - id: email\n", 10, "lines 9 and 10"),
}


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize("name", sorted(MISINDENTED))
def test_an_indentation_error_names_the_line_to_fix(monkeypatch: pytest.MonkeyPatch, loader: str, name: str) -> None:
    import yaml

    if not hasattr(yaml, loader):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr("carecheck.format.reader._Loader", getattr(yaml, loader))
    text, line, lines = MISINDENTED[name]
    with pytest.raises(CarecheckError) as info:
        parse(text)
    assert info.value.code == "CC003" and info.value.position is not None
    assert info.value.position.line == line
    assert info.value.message.endswith(
        f"check the indentation of {lines}" + (", which should line up" * (" and " in lines))
    )


def test_a_colon_in_a_value_is_not_called_an_indentation_error() -> None:
    with pytest.raises(CarecheckError) as info:
        parse(HEAD.replace("title: Contact", "title: Contact: phone"))
    assert "indentation" not in info.value.message and "needs quotes" in info.value.message


def test_nesting_spread_over_lines_is_still_refused() -> None:
    text = "a: " + "[\n" * (MAX_DEPTH + 1) + "1" + "]" * (MAX_DEPTH + 1) + "\n"
    with pytest.raises(CarecheckError) as info:
        parse(text)
    assert info.value.code == "CC004"


def test_the_depth_bound_is_a_bound_and_answer_lines_add_only_their_own_depth() -> None:
    import random

    from carecheck.format.reader import _depth_bound

    # one flow mapping per line (what carecheck writes): the bound stays small however many lines
    assert _depth_bound("answers:\n" + "  q: {value: yes, at: 2026-09-01T10:00:00Z}\n" * 500) < MAX_DEPTH
    rng = random.Random(16)
    for _ in range(200):
        depth, deepest, parts = 0, 0, ["a: "]
        for _ in range(rng.randint(1, 60)):
            if depth and rng.random() < 0.45:
                parts.append("]")
                depth -= 1
            else:
                parts.append("[")
                depth += 1
                deepest = max(deepest, depth)
            if rng.random() < 0.3:
                parts.append("\n  ")
        text = "".join(parts) + "1" + "]" * depth + "\n"
        assert _depth_bound(text) >= deepest + 1, text


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_the_remembered_tags_are_pyyamls_own(loader: str) -> None:
    import yaml
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from carecheck.format import reader

    if not hasattr(yaml, loader):
        pytest.skip("PyYAML without libyaml")
    base = getattr(yaml, loader)
    ours = reader._remembering(base)
    plain = st.sampled_from(
        ["no", "yes", "1e3", "1.0e+3", "0x1F", "0o7", "1_000", ".inf", "~", "<<", "=", "2026-09-01"]
    )
    word = st.text(alphabet="abc019.-+_:eExo ", min_size=1, max_size=12).map(str.strip).filter(bool)

    @settings(max_examples=100, deadline=None)
    @given(st.lists(plain | word, min_size=1, max_size=6), st.booleans())
    def same(values: list[str], quoted: bool) -> None:
        text = "".join(f"k{i}: {repr(v) if quoted else v}\n" for i, v in enumerate(values))
        try:
            theirs = yaml.compose(text, Loader=base)
        except yaml.YAMLError:
            return
        for _ in range(2):  # the second time from what was remembered
            mine = yaml.compose(text, Loader=ours)
            assert [(k.tag, v.tag) for k, v in mine.value] == [(k.tag, v.tag) for k, v in theirs.value]

    same()
