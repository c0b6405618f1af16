"""Languages: how one is chosen, how catalogs are read, and that the catalog matches the code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from snaptui import i18n

ROOT = Path(__file__).parent.parent / "snaptui"


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language(i18n.ENGLISH)


@pytest.mark.parametrize(
    ("cli", "env", "expected"),
    [
        (None, {}, "en"),
        ("zh", {}, "zh"),
        ("en", {"SNAPTUI_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"SNAPTUI_LANG": "zh"}, "zh"),
        (None, {"SNAPTUI_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "zh_SG.UTF-8"}, "zh"),
        (None, {"LANG": "zh_Hans"}, "zh"),
        (None, {"LANG": "zh-CN"}, "zh"),
        (None, {"LANG": "zh_TW.UTF-8"}, "en"),
        (None, {"LANG": "zh_Hant_HK"}, "en"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        # The first of LC_ALL, LC_MESSAGES, LANG that is set decides, as POSIX says.
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_language_is_chosen_in_the_documented_order(
    cli: str | None, env: dict[str, str], expected: str
) -> None:
    assert i18n.language_from(cli, env) == expected


def test_a_language_chosen_in_the_app_comes_after_the_option_and_snaptui_lang() -> None:
    assert i18n.language_from(None, {"LANG": "en_US.UTF-8"}, remembered="zh") == "zh"
    assert i18n.language_from(None, {"SNAPTUI_LANG": "en"}, remembered="zh") == "en"
    assert i18n.language_from("en", {}, remembered="zh") == "en"
    assert i18n.language_from(None, {"LANG": "zh_CN.UTF-8"}, remembered="en") == "en"


def test_po_reader_handles_what_translators_tools_write() -> None:
    text = r"""
msgid ""
msgstr ""
"Language: zh_CN\n"

#: snaptui/present.py:10
msgid "Running"
msgstr "运行中"

#, fuzzy
msgid "Ended"
msgstr "结束了吗"

#, python-brace-format
msgid ""
"a long message "
"on two lines with \"quotes\"\n"
msgstr "两行的\t消息"

msgid "{n} stream"
msgid_plural "{n} streams"
msgstr[0] "{n} 路流"

msgid "untranslated"
msgstr ""

#~ msgid "old"
#~ msgstr "旧"
"""
    entries = {e.msgid: e for e in i18n.parse_po(text)}
    assert entries["Running"].msgstr == "运行中"
    assert entries["Ended"].fuzzy
    assert entries['a long message on two lines with "quotes"\n'].msgstr == "两行的\t消息"
    assert entries["{n} stream"].msgid_plural == "{n} streams"
    assert entries["{n} stream"].msgstr == "{n} 路流"
    assert "old" not in entries


def test_english_reads_no_catalog_and_chinese_translates() -> None:
    i18n.set_language(i18n.ENGLISH)
    assert i18n._("Ended") == "Ended"
    i18n.set_language(i18n.CHINESE)
    assert i18n.current_language() == "zh"
    catalog = i18n.load_catalog(i18n.CHINESE)
    for msgid, msgstr in catalog.items():
        if "\x00" not in msgid:
            assert i18n._(msgid) == msgstr
    assert i18n._("a message nobody translated") == "a message nobody translated"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


# -- the catalog against the code ----------------------------------------------------


def _messages_in_code() -> dict[str, str]:
    """Every message the code marks, with where: `_("...")`, `N_("...")` and
    `ngettext("...", "...", n)`.
    A call with anything but string literals cannot be extracted, and is reported."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            texts = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            ]
            if node.func.id in ("_", "N_"):
                if len(texts) != 1 or texts[0] is None:
                    problems.append(f"{where}: {node.func.id}() needs one string literal")
                    continue
                found.setdefault(texts[0], where)
            elif node.func.id == "ngettext":
                if len(texts) != 3 or texts[0] is None or texts[1] is None:
                    problems.append(f"{where}: ngettext() needs two string literals")
                    continue
                found.setdefault(f"{texts[0]}\x00{texts[1]}", where)
    assert not problems, "\n".join(problems)
    return found


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    catalog = i18n.load_catalog(i18n.CHINESE)
    missing = [
        f"{where}: {msg!r}" for msg, where in _messages_in_code().items() if msg not in catalog
    ]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_no_catalog_entry_is_unused() -> None:
    used = _messages_in_code()
    unused = [msg for msg in i18n.load_catalog(i18n.CHINESE) if msg not in used]
    assert not unused, "in the catalog but not in the code:\n" + "\n".join(map(repr, unused))


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_translations_keep_every_placeholder() -> None:
    for msgid, msgstr in i18n.load_catalog(i18n.CHINESE).items():
        source = msgid.split("\x00")[-1]
        assert sorted(_PLACEHOLDER.findall(source)) == sorted(_PLACEHOLDER.findall(msgstr)), msgid


def test_a_message_is_translated_in_one_catalog_file_only() -> None:
    seen: dict[str, str] = {}
    twice = []
    for path in i18n.catalog_files(i18n.CHINESE):
        for entry in i18n.parse_po(path.read_text(encoding="utf-8")):
            if entry.msgid:
                if entry.msgid in seen:
                    twice.append(f"{entry.msgid!r}: {seen[entry.msgid]} and {path.name}")
                seen[entry.msgid] = path.name
    assert not twice, "\n".join(twice)
