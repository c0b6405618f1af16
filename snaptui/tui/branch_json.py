"""A branch of the answer as JSON, for `c` on an object or an array.

Two ways in, one result: the tree names a branch by its key (`SnapshotTask.ImageConfig`,
`...StreamList[3]`, a group `...StreamList[1000:2000]`) and its value is looked up in
the answer as received and scrubbed, then printed by `dump_json` as `C` prints the whole;
the JSON view already shows `dump_json`'s lines, and a branch is cut out of them. Either
way the text has passed the one boundary that makes outside text safe.
"""

from __future__ import annotations

import re

from snaptui.output import dump_json

_SEGMENT = re.compile(r"\.?(?P<name>[^.\[\]]+)|\[(?P<low>\d+)(?::(?P<high>\d+))?\]")
_KEY_PREFIX = re.compile(r'^\s*(?P<key>"(?:[^"\\]|\\.)*")\s*:\s*')


class _Missing:
    pass


MISSING = _Missing()


def value_at(data: object, key: str) -> object:
    """The value at a tree key in a decoded answer (`SnapshotTask...` is under Result),
    or MISSING when the answer has nothing there."""
    value: object = data.get("Result") if isinstance(data, dict) else MISSING
    for match in _SEGMENT.finditer(key):
        name, low, high = match.group("name", "low", "high")
        if name is not None:
            if not isinstance(value, dict) or name not in value:
                return MISSING
            value = value[name]
        elif not isinstance(value, list) or int(low) >= len(value):
            return MISSING
        else:
            value = value[int(low) : int(high)] if high is not None else value[int(low)]
    return value


def is_branch(data: object, key: str) -> bool:
    """Whether the answer holds an object or an array at `key`."""
    return isinstance(value_at(data, key), dict | list)


def branch_text(data: object, key: str) -> str | None:
    """The object or array at `key`, pretty as `C` prints the whole; None for a plain
    value (a leaf) or nothing there."""
    value = value_at(data, key)
    if not isinstance(value, dict | list):
        return None
    return dump_json(value)


def name_of(key: str) -> str:
    """What a person calls the branch: its last step (`ImageConfig`, `StreamList[3]`)."""
    return key.rsplit(".", 1)[-1]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _opening(line: str) -> str:
    return _KEY_PREFIX.sub("", line).strip().removesuffix(",")


def opens_block(line: str) -> bool:
    """Whether a line of indented JSON opens an object or an array (`"A": {`, `[]`)."""
    return _opening(line) in ("{", "[", "{}", "[]")


def block_at(lines: list[str], at: int) -> tuple[int, int] | None:
    """The lines (first, last) of the object or array that line `at` opens, in JSON
    printed with an indent; None when the line opens none."""
    if not 0 <= at < len(lines):
        return None
    text = _opening(lines[at])
    if text in ("{}", "[]"):
        return at, at
    if text not in ("{", "["):
        return None
    # Everything inside is indented deeper; the first line that is not closes it.
    deeper = " " * (_indent(lines[at]) + 1)
    end = at + 1
    while end < len(lines) and lines[end].startswith(deeper):
        end += 1
    return (at, end) if end < len(lines) else None


def block_text(lines: list[str], first: int, last: int) -> str:
    """Lines first..last as a document of their own: no key before it, no comma after
    it, indented from the left edge."""
    margin = _indent(lines[first])
    block = [line[margin:] for line in lines[first : last + 1]]
    block[0] = _KEY_PREFIX.sub("", block[0])
    block[-1] = block[-1].rstrip().removesuffix(",")
    return "\n".join(block)


def block_name(lines: list[str], at: int) -> str:
    """The key on line `at` (`ImageConfig`), or its parent's key and its index in that
    array (`StreamList[3]`); '' for the whole document."""
    key = _KEY_PREFIX.match(lines[at])
    if key is not None:
        # As printed (escapes kept): a key from the server is shown, never decoded.
        return key.group("key")[1:-1]
    indent = _indent(lines[at])
    index = 0
    for above in range(at - 1, -1, -1):
        line = lines[above]
        depth = _indent(line)
        if depth < indent:  # the array that holds it
            return f"{block_name(lines, above)}[{index}]"
        if depth == indent and line.strip()[:1] not in ("}", "]"):
            index += 1
    return ""


def branch_of_lines(lines: list[str], at: int) -> tuple[str, str] | None:
    """(name, JSON) of the object or array line `at` opens; the name is '' for the
    whole document. None on any other line."""
    block = block_at(lines, at)
    if block is None:
        return None
    return block_name(lines, at), block_text(lines, *block)
