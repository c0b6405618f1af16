"""Non-secret settings (profiles: endpoint and region) and recent queries, in the
platform's config dir.

Never holds a key: secrets live in the OS keyring or the environment. What is read is
outside text (anyone may have edited the file): values that are not what they should be
are dropped, never shown raw. A file that exists but cannot be read as one is an error
naming it, never read as empty or written over: a profile lost to a stray comma would
send signed requests to the default endpoint. Writes are serialised and atomic: an
exclusive lock on a lock file, then read, change, write a temporary file, fsync,
rename, so concurrent `snaptui login`s to different profiles keep every one.

Every file of ours in the config dir (settings.json, recent.json, ui.json) is read with
`read_json` and written with `update_json`: one reader, one writer, the same care.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator

from snaptui.i18n import _
from snaptui.volc.errors import InvalidSettingError, SnaptuiError
from snaptui.volc.ids import is_valid_id
from snaptui.volc.safe_text import clean

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_PROFILE = "default"
MAX_SETTINGS_BYTES = 1024 * 1024
MAX_NAMES_SHOWN = 20
# A write's temporary file, `.NAME.PID.tmp` (`.ui.PID.tmp`: ui.json's, from before it was
# written here). One whose process is gone was left by a write killed half way.
_OUR_TMP = re.compile(r"\.(?:settings\.json|recent\.json|ui\.json|ui)\.([0-9]{1,10})\.tmp")


class UnknownProfileError(InvalidSettingError):
    """A profile named on the command line that no one has created."""


class SettingsFileError(InvalidSettingError):
    """A settings file that exists but cannot be read as one (broken JSON, a FIFO...).
    Nothing falls back to defaults over it and nothing writes over it."""


class SettingsWriteError(SnaptuiError):
    """A settings file that could not be written (a full disk...): it is as it was."""


class ConfigDirError(InvalidSettingError):
    """The config dir cannot be used (a regular file in its path, no permission, ...)."""


def config_dir() -> Path:
    """$SNAPTUI_CONFIG_DIR, else the platform's per-user config dir."""
    from pathlib import Path

    return Path(_config_dir())


def _config_dir() -> str:
    # A string: pathlib costs the one-shot CLI a few ms it does not need.
    override = os.environ.get("SNAPTUI_CONFIG_DIR")
    if override:
        return override
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Application Support")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    return os.path.join(base, "snaptui")


class Profile:
    """A profile's settings; changed in place before `save_profile`."""

    def __init__(
        self,
        name: str = DEFAULT_PROFILE,
        endpoint: str = "volcengine",  # a preset name or a URL
        region: str | None = None,  # None: the preset's region
    ) -> None:
        self.name = name
        self.endpoint = endpoint
        self.region = region

    def __repr__(self) -> str:
        return f"Profile({self.name!r}, {self.endpoint!r}, {self.region!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.name, self.endpoint, self.region) == (other.name, other.endpoint, other.region)


def settings_path() -> Path:
    from pathlib import Path

    return Path(_settings_file())


def _settings_file() -> str:
    return os.path.join(_config_dir(), "settings.json")


def ensure_config_dir() -> str:
    """The config dir, created if needed, with a lock file that can be used; ConfigDirError
    or SettingsFileError saying why not. Called before anything is saved anywhere, so a
    login never stores keys it cannot describe."""
    path = _make_config_dir()
    if os.path.lexists(os.path.join(path, ".lock")):  # not made here: a refused login
        os.close(_open_lock(path))  # leaves nothing behind
    return path


def _make_config_dir() -> str:
    path = _config_dir()
    try:
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError
    except FileExistsError:
        raise ConfigDirError(
            _(
                "cannot use the config dir {path}: a file is in the way "
                "(set SNAPTUI_CONFIG_DIR to a directory)"
            ).format(path=clean(path))
        ) from None
    except (NotADirectoryError, PermissionError, OSError) as exc:
        reason = {
            NotADirectoryError: _("part of its path is a file, not a directory"),
            PermissionError: _("no permission to write there"),
        }.get(type(exc), clean(exc.strerror or type(exc).__name__))
        raise ConfigDirError(
            _(
                "cannot use the config dir {path}: {reason} "
                "(set SNAPTUI_CONFIG_DIR to a directory you can write)"
            ).format(path=clean(path), reason=reason)
        ) from None
    return path


def read_json(path: str | os.PathLike[str]) -> dict[str, object]:
    """A JSON object from one of our files; a missing file reads as empty. One that exists
    but is not a JSON object in a regular file of at most 1 MiB raises SettingsFileError
    naming it: read as empty, it sent signed requests to the default endpoint, and a save
    then wrote over its profiles. A FIFO or a device is refused at once, never waited on
    or read without end."""
    path = os.fspath(path)
    try:
        # O_NONBLOCK: a FIFO named settings.json opens at once, to be refused below,
        # instead of waiting for a writer that never comes.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise _unusable(path, _reason(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _unusable(path, _("it is not a regular file"))
        with open(fd, "rb", closefd=False) as file:
            raw = file.read(MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        raise _unusable(path, _reason(exc)) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_SETTINGS_BYTES:
        raise _unusable(path, _("it is larger than 1 MiB"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _unusable(path, _("it is not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        # The position only: the parser's own words may quote the file, which may hold
        # anything (never show its content).
        where = _("it is not valid JSON (line {line}, column {column})")
        raise _unusable(path, where.format(line=exc.lineno, column=exc.colno)) from None
    except (ValueError, RecursionError):
        raise _unusable(path, _("it is not valid JSON")) from None
    if not isinstance(data, dict):
        raise _unusable(path, _("it is not a JSON object"))
    return data


def _unusable(path: str, reason: str) -> SettingsFileError:
    message = _("cannot use {file}: {reason}; fix or remove it (snaptui leaves it as it is)")
    return SettingsFileError(clean(message.format(file=path, reason=reason)))


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _write_json(path: str, data: dict[str, object]) -> None:
    """Through a temporary file, fsynced, then renamed: a crash never leaves half a file,
    and a failed write (a full disk) leaves no temporary file. Under the lock."""
    directory, name = os.path.split(path)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # ours (our PID, under the lock): left by a write that failed
        # O_EXCL and O_NOFOLLOW: a file or symlink planted under that name is never
        # written through; the write fails instead.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(tmp, flags, 0o666), "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        # Said as such, not as an internal error: a full disk is no bug to report.
        message = _("cannot write {file}: {reason}").format(file=path, reason=_reason(exc))
        raise SettingsWriteError(clean(message)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _remove_stale_tmp(directory: str) -> None:
    """Temporary files of ours whose process is gone: killed half way through a write
    (SIGKILL, a power cut), it had no chance to remove its own. Under the lock."""
    if sys.platform == "win32":
        return  # os.kill(pid, 0) there ends the process instead of asking about it
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            found = _OUR_TMP.fullmatch(entry.name)
            if found and not _running(int(found.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # ours: _write_json replaces it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a number too big: leave it
    return True


def _open_lock(directory: str) -> int:
    """The lock file's descriptor. Never followed through a symlink and never waited on
    (a FIFO), or a flock could take hold of any file the user can write, or the command
    hang at start; what is not a regular file is an error naming it."""
    path = os.path.join(directory, ".lock")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if os.path.islink(path):
            raise _unusable(path, _("it is a symbolic link")) from None
        reason = _("it is not a regular file") if exc.errno == errno.ENXIO else _reason(exc)
        raise _unusable(path, reason) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _unusable(path, _("it is not a regular file"))
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _locked() -> Iterator[str]:
    """The config dir, held under an exclusive lock for one read-modify-write."""
    directory = _make_config_dir()
    fd = _open_lock(directory)
    try:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield directory
    finally:
        os.close(fd)


def update_json(name: str, change: Callable[[dict[str, object]], None]) -> None:
    """Read, change and write one settings file (by name) under the lock."""
    with _locked() as directory:
        path = os.path.join(directory, name)
        data = read_json(path)
        change(data)
        _remove_stale_tmp(directory)
        _write_json(path, data)


def _text(value: object, valid: Callable[[str], bool]) -> str | None:
    return value if isinstance(value, str) and value and valid(value) else None


def _valid_endpoint(value: str) -> bool:
    return len(value) <= 2048 and value.isprintable() and value.isascii()


def _valid_region(value: str) -> bool:
    from snaptui.volc.endpoints import is_valid_region

    return is_valid_region(value)


def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The profile's settings; one never saved reads as the defaults."""
    return _profile(_saved_profiles(), name)


def load_existing_profile(name: str) -> Profile:
    """The profile's settings, or UnknownProfileError when it does not exist: a mistyped
    name must not quietly become the default endpoint. `default` always exists, and so does
    each profile saved (by `snaptui login` or the app's credentials screen)."""
    saved = _saved_profiles()
    if name == DEFAULT_PROFILE or name in saved:
        return _profile(saved, name)
    import shlex

    names = sorted({DEFAULT_PROFILE, *(n for n in saved if n)})
    login = shlex.join(["snaptui", "login", "--profile", name])
    shown = ", ".join(repr(n) for n in names[:MAX_NAMES_SHOWN])
    if len(names) > MAX_NAMES_SHOWN:
        shown += ", ..."
    raise UnknownProfileError(
        clean(
            _(
                "profile {profile} does not exist (profiles: {names}); create it with `{command}`"
            ).format(profile=repr(name), names=shown, command=login)
        )
    )


def _saved_profiles() -> dict[str, object]:
    path = _settings_file()
    profiles = read_json(path).get("profiles", {})
    if not isinstance(profiles, dict):
        raise _unusable(path, _("profiles is not an object"))
    return profiles


def _profile(saved: dict[str, object], name: str) -> Profile:
    """A field that is there but cannot be used is an error naming it: a pasted newline
    in an endpoint must not quietly mean the production endpoint. Absent (or null) means
    the default."""
    raw = saved.get(name)
    if raw is None:
        return Profile(name)
    if not isinstance(raw, dict):
        raise _unusable(
            _settings_file(), _("profile {name} is not an object").format(name=repr(name))
        )
    endpoint, region = raw.get("endpoint"), raw.get("region")
    for field, value, valid in (
        ("endpoint", endpoint, _valid_endpoint),
        ("region", region, _valid_region),
    ):
        if value is not None and _text(value, valid) is None:
            reason = _("profile {name} has an unusable {field}: {value}")
            shown = repr(clean(value)[:80] if isinstance(value, str) else value)[:100]
            raise _unusable(
                _settings_file(), reason.format(name=repr(name), field=field, value=shown)
            )
    return Profile(name, str(endpoint or "volcengine"), str(region) if region else None)


def save_profile(profile: Profile) -> None:
    fields = {"endpoint": profile.endpoint, "region": profile.region}

    def change(data: dict[str, object]) -> None:
        profiles = data.get("profiles")
        if not isinstance(profiles, dict):
            profiles = {}
        profiles[profile.name] = fields
        data["profiles"] = profiles

    update_json("settings.json", change)


# --- recent queries ---------------------------------------------------------------

MAX_RECENT = 50


def recent_path() -> Path:
    from pathlib import Path

    return Path(_recent_file())


def _recent_file() -> str:
    return os.path.join(_config_dir(), "recent.json")


def _ids(item: object) -> tuple[str, str, str] | None:
    """Three valid ids, or None: a bad one in the file is dropped, never shown or sent."""
    if not (isinstance(item, list) and len(item) == 3):
        return None
    if not all(isinstance(x, str) and is_valid_id(x) for x in item):
        return None
    return item[0], item[1], item[2]


def load_recent(profile: str = DEFAULT_PROFILE) -> list[tuple[str, str, str]]:
    """Last queries of a profile, newest first. Ids only: nothing secret is ever kept here.
    SettingsFileError when recent.json exists but cannot be read."""
    items = read_json(_recent_file()).get(profile)
    if not isinstance(items, list):
        return []
    found = (_ids(item) for item in items)
    return [ids for ids in found if ids is not None][:MAX_RECENT]


def add_recent(
    ids: tuple[str, str, str], profile: str = DEFAULT_PROFILE
) -> list[tuple[str, str, str]]:
    """`ids` first in the profile's recent queries, kept in recent.json when it can be:
    never over a file that cannot be read (the app said so when it started)."""
    try:
        before = load_recent(profile)
    except SettingsFileError:
        return []
    recent = ([ids] + [r for r in before if r != ids])[:MAX_RECENT]

    def change(data: dict[str, object]) -> None:
        # Merged with what is on disk now, under the lock: another process may have added.
        items = data.get(profile)
        found = [_ids(item) for item in items] if isinstance(items, list) else []
        merged = [ids] + [r for r in found if r is not None and r != ids]
        data[profile] = [list(r) for r in merged[:MAX_RECENT]]

    # A read-only home must not stop anyone from querying.
    with contextlib.suppress(OSError, InvalidSettingError, SettingsWriteError):
        update_json("recent.json", change)
    return recent
