"""Messages in the user's language: English (the source) or Simplified Chinese.

Catalogs are gettext `.po` files in `snaptui/locale/<locale>/`, one per part of the
program (cli, tui, present, simulator...), read as they are: no compile step, so
translators' tools and the repository hold the same files, and an English run reads no
catalog at all. `_()` marks a message and looks it up when called, so a
message is translated in the language chosen when it is shown; `N_()` marks one kept in
a table, and `translate()` looks it up where it is shown.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENGLISH, CHINESE = "en", "zh"
LANGUAGES = (ENGLISH, CHINESE)
_CATALOG_DIRS = {CHINESE: "zh_CN"}
LOCALE_DIR = Path(__file__).with_name("locale")

_language = ENGLISH
_catalog: dict[str, str] = {}


def language_from(
    cli: str | None = None,
    env: Mapping[str, str] | None = None,
    remembered: str | None = None,
) -> str:
    """`--lang`, then SNAPTUI_LANG, then the language last chosen in the app
    (`remembered`), then LC_ALL / LC_MESSAGES / LANG; English by default. Any Simplified
    Chinese locale (zh_CN, zh_SG, zh_Hans...) reads as Chinese."""
    env = os.environ if env is None else env
    for value in (cli, env.get("SNAPTUI_LANG"), remembered):
        if value:
            return CHINESE if _is_chinese(value) else ENGLISH
    # POSIX order: the first of these that is set decides, even if it is not Chinese.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return CHINESE if _is_chinese(value) else ENGLISH
    return ENGLISH


def _is_chinese(value: str) -> bool:
    """zh, zh_CN, zh-CN, zh_SG, zh_Hans, zh_CN.UTF-8... but not Traditional (zh_TW,
    zh_HK, zh_Hant): a Simplified catalog would be the wrong script for them."""
    tag = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    if tag != "zh" and not tag.startswith("zh_"):
        return False
    return not any(part in ("tw", "hk", "mo", "hant") for part in tag.split("_")[1:])


def set_language(language: str) -> None:
    global _language, _catalog
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    _language = language
    _catalog = load_catalog(language) if language != ENGLISH else {}


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """The message in the current language (the English text when untranslated)."""
    return _catalog.get(message, message) if _catalog else message


def N_(message: str) -> str:
    """Marks a message kept in a table (`{RUNNING: N_("Running")}`) for the catalog; it is
    translated where it is shown, with `translate(value)`."""
    return message


def translate(message: str) -> str:
    """A message marked with N_, in the current language."""
    return _catalog.get(message, message) if _catalog else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """`ngettext("{n} stream", "{n} streams", n)`: Chinese has one form for every count."""
    english = singular if count == 1 else plural
    if not _catalog:
        return english
    return _catalog.get(_plural_key(singular, plural), english)


def _plural_key(singular: str, plural: str) -> str:
    return f"{singular}\x00{plural}"


def load_catalog(language: str) -> dict[str, str]:
    """msgid -> msgstr of all of a language's `.po` files; fuzzy and empty entries are
    left out, as gettext's tools do."""
    return {
        _plural_key(e.msgid, e.msgid_plural) if e.msgid_plural else e.msgid: e.msgstr
        for path in catalog_files(language)
        for e in parse_po(path.read_text(encoding="utf-8"))
        if e.msgid and e.msgstr and not e.fuzzy
    }


def catalog_files(language: str) -> list[Path]:
    return sorted((LOCALE_DIR / _CATALOG_DIRS[language]).glob("*.po"))


class PoEntry:
    __slots__ = ("fuzzy", "msgid", "msgid_plural", "msgstr")

    def __init__(self) -> None:
        self.msgid = ""
        self.msgid_plural = ""
        self.msgstr = ""
        self.fuzzy = False


def parse_po(text: str) -> list[PoEntry]:
    """The entries of a `.po` file: msgid, msgid_plural, msgstr (or msgstr[0]), the fuzzy
    flag; multi-line strings joined, C escapes decoded. Obsolete (#~) entries are skipped."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    field = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("#,")):
            continue
        if line.startswith("#,"):
            if field:  # a new entry begins with its comments
                entries.append(entry)
                entry, field = PoEntry(), ""
            entry.fuzzy = "fuzzy" in line
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword.startswith('"'):
            rest, keyword = line, field
        elif keyword in ("msgid", "msgctxt") and field.startswith("msgstr"):
            entries.append(entry)
            entry = PoEntry()
        if keyword in ("msgstr[0]", "msgstr"):
            keyword = "msgstr"
        elif keyword.startswith("msgstr["):
            field = "skip"  # Chinese has one plural form: further forms are not used
            continue
        if keyword not in ("msgid", "msgid_plural", "msgstr", "msgctxt", "skip"):
            raise ValueError(f"line {number}: cannot read {raw!r}")
        field = keyword
        if keyword in ("skip", "msgctxt"):
            continue
        setattr(entry, keyword, getattr(entry, keyword) + _unquote(rest, number))
    if field:
        entries.append(entry)
    return entries


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"line {number}: expected a quoted string, got {text!r}")
    out: list[str] = []
    chars = iter(text[1:-1])
    for char in chars:
        if char == "\\":
            following = next(chars, "\\")
            out.append(_ESCAPES.get(following, following))
        else:
            out.append(char)
    return "".join(out)
