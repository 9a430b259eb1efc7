"""Safe YAML reading that keeps every value's source position.

Files are composed (never constructed) with the SafeLoader family, the C one when
libyaml is there, then turned into plain values here: scalars are read as the
author wrote them (YAML 1.2 core rules, so `no` stays "no" and `3.10` keeps its
text), duplicate keys are refused, and hostile input (huge files, deep nesting,
alias bombs) is refused before any value is built.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from carecheck.errors import UNREADABLE, CarecheckError, InputError, InvalidInputError, Position
from carecheck.fs import decode_utf8, read_bounded

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000  # after alias expansion


def _remembering(base: type) -> type:
    """`base` whose resolver works out a plain scalar's tag once per text: the loader calls it for every
    scalar, and a file's texts (`yes`, `value`, question ids) repeat. The tags are PyYAML's own."""
    tags: dict[str, str] = {}
    scalar, text_tag = yaml.ScalarNode, str(yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG)

    class Loader(base):  # type: ignore[misc]
        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is not scalar or self.yaml_path_resolvers:
                return str(super().resolve(kind, value, implicit))
            if not implicit[0]:  # quoted or block (or tagged `!`): text
                return text_tag
            tag: str | None = tags.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))
                if len(value) <= 64 and len(tags) < 10_000:
                    tags[value] = tag
            return tag

    Loader.__name__ = Loader.__qualname__ = base.__name__
    return Loader


_CLoader: type | None = _remembering(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else None
_Loader: type = _CLoader or _remembering(yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_RESOLVED_TAGS = {_TAG + t for t in ("bool", "int", "float", "null", "timestamp", "str")}
_COLLECTION_TAGS = {_TAG + "map", _TAG + "seq"}
_STR = _TAG + "str"
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class SourceInt(int):
    """An int that remembers how it was written."""

    text: str


class SourceFloat(float):
    """A float that remembers how it was written (`3.10` stays "3.10" where text is wanted)."""

    text: str


def real_path(path: Path | str) -> Path:
    """The absolute path with symlinks resolved; never raises on a symlink loop (unlike Path.resolve)."""
    return Path(os.path.realpath(path))


def as_written(value: Any) -> Any:
    """The author's text for a scalar read from YAML; other values unchanged."""
    if type(value) is str:  # the most common by far: every text field of every file read
        return value
    if isinstance(value, (SourceInt, SourceFloat)):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _mark(node: yaml.Node | yaml.Event) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


class Document:
    """A YAML file read into plain values, able to say where any value came from."""

    def __init__(self, path: Path, root: yaml.Node, data: Any) -> None:
        self.path = path
        self.root = root
        self.data = data
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's keys indexed once, so that locating any number of findings stays linear."""
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._keys[id(node)] = index
        return index

    def locate(self, loc: Sequence[str | int], *, key: bool = False) -> Position:
        """The position of the value at `loc` (or of its key), or of the nearest parent that exists.

        Parts of `loc` that name nothing in the file (a pydantic union tag, a
        missing key) are skipped, so a model error always lands on a real node.
        """
        node = self.root
        key_node: yaml.Node | None = None
        for part in loc:
            key_node = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                found = self._entries(node).get(part)
                if found is not None:
                    key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
        if key and key_node is not None:
            return _mark(key_node)
        return _mark(node)


def read_document(path: Path) -> Document:
    """Read and safely compose a YAML file; raise InputError with a position on any trouble."""
    return parse_document(read_bounded(path, MAX_BYTES), path)


def parse_document(raw: bytes, path: Path) -> Document:
    """Compose YAML bytes (UTF-8, with or without BOM) into a Document."""
    text = decode_utf8(raw, path)
    # A big file is measured as events before it is composed (bounded memory); so is a deep one for
    # the pure-Python composer (it recurses). libyaml's composer refuses past ~1,000 levels itself, and
    # the converter refuses past MAX_DEPTH, so an ordinary file is parsed once.
    if len(text) > _FEW_NODES or (_Loader is not _CLoader and _depth_bound(text) > MAX_DEPTH):
        _check_events(text, path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        if _depth_bound(text) > MAX_DEPTH:  # too deep before the error (or libyaml's own limit): CC004
            _check_events(text, path)
        raise _syntax_error(exc, path, text) from None
    if root is None:
        raise InvalidInputError("the file is empty", path=path, position=Position(1, 1), code="CC007")
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise InvalidInputError(
            f"the file holds {kind}; a carecheck file is a mapping of keys to values",
            path=path,
            position=_mark(root),
            code="CC007",
        )
    aliased = "*" in text
    if aliased or len(text) >= MAX_NODES // 2:  # without an alias, no more nodes than characters
        _check_size(root, path)
    try:
        data = _Converter(path).value(root)
    except CarecheckError as exc:
        if exc.code != "CC004" and not aliased:
            _check_size(root, path)  # a file too deep is refused as such, whatever else is wrong with it
        raise
    return Document(path, root, data)


def _syntax_error(exc: yaml.YAMLError, path: Path, text: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        # a character YAML does not allow (a NUL, a control character): libyaml gives an offset
        offset = exc.position
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line_start = text.rfind("\n", 0, offset) + 1
        return InputError(
            f"YAML syntax error: the character U+{char:04X} is not allowed in YAML text",
            path=path,
            position=Position(text.count("\n", 0, offset) + 1, offset - line_start + 1),
            code="CC003",
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        return InputError(f"YAML syntax error: {exc}", path=path, code="CC003")
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "syntax error"
    lines = text.splitlines()
    at_tab = mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]
    if at_tab:
        problem = "a tab character; YAML indents with spaces only"
    elif exc.context:
        problem = f"{problem} ({exc.context})"
    if mark is not None and not at_tab and exc.problem and exc.problem.startswith(_INDENT_PROBLEMS):
        problem += f"; {_indentation_hint(lines, mark.line, mark.column)}"
    position = Position(mark.line + 1, mark.column + 1) if mark else None
    return InputError(f"YAML syntax error: {problem}", path=path, position=position, code="CC003")


# what libyaml and PyYAML say when a line is indented too much or too little
_INDENT_PROBLEMS = (
    "mapping values are not allowed",
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
)


def _indentation_hint(lines: list[str], line: int, column: int) -> str:
    """Which line's indentation to fix, in words: the parser's words name a token, not the line."""

    def content(n: int) -> bool:
        return n < len(lines) and lines[n].strip() != "" and not lines[n].lstrip().startswith("#")

    def indent(n: int) -> int:
        return len(lines[n]) - len(lines[n].lstrip(" "))

    def before(n: int) -> int | None:
        return next((m for m in range(n - 1, -1, -1) if content(m)), None)

    here = line if content(line) else before(line)  # the mark can sit after the line it is about
    if here is None:
        return f"check the indentation of line {line + 1}"
    text = lines[here]
    if here == line and ": " in text[indent(here) : column]:
        # `title: Contact: phone` is a colon in a value, not an indentation problem
        return "a value that holds ': ' needs quotes"
    above = before(here)
    opener = before(above) if above is not None else None
    if (
        above is not None
        and opener is not None
        and indent(above) > indent(opener)
        and lines[opener].rstrip().endswith((":", "-"))
        and lines[above].lstrip().startswith("- ") == text.lstrip().startswith("- ")
        and indent(above) != indent(here)
    ):
        # the first entry of a block and the next one do not line up: either can be the wrong one
        return f"check the indentation of lines {above + 1} and {here + 1}, which should line up"
    return f"check the indentation of line {here + 1}"


_BRACKETS = re.compile(r"[\[\]{}]")


def _depth_bound(text: str) -> int:
    """A cheap upper bound of the nesting depth: block nesting needs a column per level (the longest
    line), and every flow bracket counts, except on a line without quotes or comments whose brackets
    open and close within it (an answer file's `id: {value: yes, at: ...}`): such a line adds only its
    own deepest point, however many there are. A close on that line cannot end a collection opened on
    another (its running count never drops below zero), and in flow context every bracket is real."""
    longest = carried = within = 0
    for line in text.splitlines():
        longest = max(longest, len(line))
        opens = line.count("[") + line.count("{")
        closes = line.count("]") + line.count("}")
        if not opens and not closes:
            continue
        if opens != closes or "'" in line or '"' in line or "#" in line:
            carried += opens
            continue
        depth = peak = 0
        for b in _BRACKETS.findall(line):
            depth += 1 if b in "[{" else -1
            if depth < 0:
                carried += opens
                break
            peak = max(peak, depth)
        else:
            within = max(within, peak)
    return longest + carried + within


_FEW_NODES = MAX_NODES // 4
"""Below this many characters a document cannot hold MAX_NODES nodes (each takes a few characters)."""


def _check_events(text: str, path: Path) -> None:
    """Measure the real nesting depth and count the nodes from the event stream (no recursion, no values),
    so that a document too deep or too big is refused before it is composed (in bounded memory)."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise InputError(
                        f"holds more than {MAX_NODES:,} values, more than any carecheck file needs",
                        path=path,
                        position=_mark(event),
                        code="CC004",
                    )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(
                        f"nested more than {MAX_DEPTH} levels deep",
                        path=path,
                        position=_mark(event),
                        code="CC004",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        # A parser may give up on deep flow nesting before it emits the events we count (PyYAML 6.0.4 does
        # while scanning ahead): too deep is CC004 whatever the parser's own limit, so look for it here.
        deep = _deep_flow(text)
        if deep is not None:
            raise InputError(
                f"nested more than {MAX_DEPTH} levels deep", path=path, position=deep, code="CC004"
            ) from None
        raise _syntax_error(exc, path, text) from None


_FLOW_SIGNIFICANT = re.compile(r"[\[\]{}'\"#\n]")
_QUOTED_REST = {"'": re.compile(r"[^']*(?:''[^']*)*'?"), '"': re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)}


def _deep_flow(text: str) -> Position | None:
    """Where flow brackets (outside quotes and comments) first open more than MAX_DEPTH levels, if they do."""
    depth, line, line_start, pos = 0, 1, 0, 0
    while (match := _FLOW_SIGNIFICANT.search(text, pos)) is not None:
        i, ch = match.start(), match.group()
        pos = i + 1
        before = text[i - 1] if i else "\n"
        if ch == "\n":
            line, line_start = line + 1, pos
        elif ch == "#" and before in " \t\n":
            end = text.find("\n", i)
            pos = len(text) if end < 0 else end  # the newline itself still counts
        elif ch in "'\"" and before in " \t\n[{,:":
            rest = _QUOTED_REST[ch].match(text, pos)
            assert rest is not None  # both patterns match the empty string
            newlines = text.count("\n", pos, rest.end())
            if newlines:
                line, line_start = line + newlines, text.rindex("\n", pos, rest.end()) + 1
            pos = rest.end()
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return Position(line, i - line_start + 1)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return None


def _check_size(root: yaml.Node, path: Path) -> None:
    """Refuse documents whose aliases expand to too many nodes (billion laughs) or nest too deep through
    aliases (a chain of anchors, each a list holding the previous one: shallow text, deep values)."""
    sizes: dict[int, tuple[int, int]] = {}  # node -> (nodes, height) once measured

    def too_deep(node: yaml.Node, aliased: bool = True) -> InputError:
        return InputError(
            f"nested more than {MAX_DEPTH} levels deep" + " (counting what aliases bring in)" * aliased,
            path=path,
            position=_mark(node),
            code="CC004",
        )

    def measure(node: yaml.Node, above: int) -> tuple[int, int]:
        """(nodes, collection height) of `node`, which sits inside `above` collections."""
        known = sizes.get(id(node))
        if known is not None:
            if above + known[1] > MAX_DEPTH:
                raise too_deep(node)
            return known
        if isinstance(node, yaml.MappingNode):
            children = [c for pair in node.value for c in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            sizes[id(node)] = (1, 0)
            return 1, 0
        if above + 1 > MAX_DEPTH:  # met in the text itself, not through an alias
            raise too_deep(node, aliased=False)
        sizes[id(node)] = (1, 1)  # a recursive alias counts once and is refused when converted
        n, height = 1, 1
        for child in children:
            size, child_height = measure(child, above + 1)
            n += size
            height = max(height, child_height + 1)
        sizes[id(node)] = (n, height)
        if n > MAX_NODES:
            raise InputError(
                f"aliases expand to more than {MAX_NODES:,} values",
                path=path,
                position=_mark(node),
                code="CC004",
            )
        return n, height

    measure(root, 0)


class _Converter:
    """Turns composed nodes into plain values, as written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.active: set[int] = set()
        self.depth = 0

    def error(self, node: yaml.Node, code: str, message: str) -> CarecheckError:
        # CC003/CC004 say the file cannot be read at all: exit 2 wherever it is read, as validate exits
        cls = InputError if code in UNREADABLE else InvalidInputError
        return cls(message, path=self.path, position=_mark(node), code=code)

    def value(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            raise self.error(node, "CC006", f"the tag {_short(node.tag)} is not allowed here")
        if id(node) in self.active:
            raise self.error(node, "CC004", "an alias refers to a value that contains it")
        if self.depth >= MAX_DEPTH:
            raise self.error(node, "CC004", f"nested more than {MAX_DEPTH} levels deep")
        self.active.add(id(node))
        self.depth += 1
        try:
            if isinstance(node, yaml.SequenceNode):
                scalar, value = yaml.ScalarNode, self.value
                return [self.scalar(v) if type(v) is scalar else value(v) for v in node.value]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node)
        finally:
            self.depth -= 1
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        scalar, value = yaml.ScalarNode, self.value
        for key_node, value_node in node.value:
            if not isinstance(key_node, scalar):
                raise self.error(key_node, "CC003", "a key must be plain text, not a list or mapping")
            key = key_node.value
            if key in out:
                first = _mark(next(k for k, _ in node.value if k.value == key))
                raise self.error(
                    key_node,
                    "CC005",
                    f"duplicate key '{key}' (first at line {first.line}, column {first.col})",
                )
            out[key] = self.scalar(value_node) if type(value_node) is scalar else value(value_node)
        return out

    def scalar(self, node: yaml.ScalarNode) -> Any:
        text, tag = node.value, node.tag
        if tag == _STR:  # quoted, block, or plain that reads as nothing else: text
            return text
        if node.style or tag not in _RESOLVED_TAGS:  # quoted or block (plain style is None or ""): text only
            raise self.error(node, "CC006", f"the tag {_short(tag)} is not allowed here")
        if text in _NULL:
            return None
        if text in _BOOL:
            return _BOOL[text]
        number: SourceInt | SourceFloat
        if _INT.fullmatch(text):
            number = SourceInt(text)
        elif _FLOAT.fullmatch(text):
            number = SourceFloat(text)
        else:
            return text
        number.text = text
        return number


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
