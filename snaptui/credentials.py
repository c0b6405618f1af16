"""Where keys come from, in order: the environment, the OS keyring, this session only.

No Textual import; keyring is imported only when the environment has no keys.
Every keyring call runs in a worker thread with a timeout, so a backend that
hangs (a locked keyring waiting for a dialog on a screen nobody sees) cannot
freeze the app.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Mapping

from snaptui.i18n import N_, _, translate
from snaptui.volc.errors import CredentialsError
from snaptui.volc.record import Record
from snaptui.volc.safe_text import clean
from snaptui.volc.secret import Credentials, Secret

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

ENV_PAIRS = (
    ("VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"),
    ("VOLC_ACCESSKEY", "VOLC_SECRETKEY"),
)
ENV_TOKEN = "VOLCENGINE_SESSION_TOKEN"
# A table entry: shown with translate(ENV_HELP).
ENV_HELP = N_(
    "set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (plus VOLCENGINE_SESSION_TOKEN for "
    "temporary keys), or VOLC_ACCESSKEY and VOLC_SECRETKEY"
)
KEYRING_SERVICE = "snaptui"
KEYRING_TIMEOUT = 5.0
# The only backends trusted with keys: the OS's own stores, which keep a secret encrypted
# and never prompt on the terminal (Secret Service, through D-Bus or libsecret; macOS
# Keychain; Windows Credential Locker; KWallet). Anything else is refused by name.
ALLOWED_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)
CHAINER = "keyring.backends.chainer.ChainerBackend"


class KeyringUnavailable(CredentialsError):
    """No keyring that keeps secrets safely here; the message says what to do instead.

    With `session_hint`, str() also offers the app's own way out, keys for this session
    only; `plain` leaves that off for commands that have no session to keep keys in.
    """

    def __init__(self, plain: str, *, session_hint: bool = False) -> None:
        tail = _(", or use the keys for this session only") if session_hint else ""
        super().__init__(plain + tail)
        self.plain = plain
        self.session_hint = session_hint


class Found(Record):
    """Credentials and where they came from, for display ('environment (VOLC_ACCESSKEY)')."""

    credentials: Credentials
    source: str
    # A warning to show with the keys: a variable that is set but not used with them.
    note: str = ""


def from_environment(env: Mapping[str, str] | None = None) -> Found | None:
    """The keys of the first pair of variables that is set. As in the official SDKs, a
    session token goes only with the VOLCENGINE_* pair (volcengine-python-sdk reads
    the three together; the older SDKs read VOLC_ACCESSKEY/VOLC_SECRETKEY and no token):
    a token beside VOLC_* keys may belong to other keys, so it is not guessed at, but
    said."""
    env = os.environ if env is None else env
    token = env.get(ENV_TOKEN, "").strip()
    for ak_name, sk_name in ENV_PAIRS:
        access_key = env.get(ak_name, "").strip()
        secret_key = env.get(sk_name, "").strip()
        if not (access_key and secret_key):
            continue
        source = _("environment ({name})").format(name=ak_name)
        if ak_name.startswith("VOLCENGINE"):
            creds = Credentials(access_key, Secret(secret_key), Secret(token) if token else None)
            return Found(creds, source)
        note = ""
        if token:
            note = _(
                "{token} is not used with {ak} and {sk}, as in the official SDKs; for "
                "temporary keys set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY with it"
            ).format(token=ENV_TOKEN, ak=ak_name, sk=sk_name)
        return Found(Credentials(access_key, Secret(secret_key)), source, note)
    return None


# --- the keyring ----------------------------------------------------------------------


def _with_timeout(call: Callable[[], T], what: str, timeout: float | None = None) -> T:
    """Run one keyring call in its own daemon thread: one that hangs is abandoned, and
    cannot hold up the next call or the exit of the program."""
    timeout = KEYRING_TIMEOUT if timeout is None else timeout
    # Importing is local work that cannot hang on a locked keyring; on a busy machine it
    # can take seconds, which must not count against the keyring's time to answer.
    import keyring
    import keyring.backend  # noqa: F401

    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the caller's thread below
            outcome.append((False, exc))

    worker = threading.Thread(target=target, name="keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise KeyringUnavailable(
            _(
                "the keyring did not answer within {seconds} s while trying to {what}; it may "
                "be locked and waiting for a password dialog. Unlock it, or {env_help}"
            ).format(seconds=f"{timeout:g}", what=translate(what), env_help=translate(ENV_HELP)),
            session_hint=True,
        )
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    if isinstance(value, CredentialsError):
        raise value
    # Any backend error becomes one clear sentence. Its text is not repeated: a backend
    # may quote the value it was handed.
    failed = _("the keyring failed to {what} ({name})")
    raise KeyringUnavailable(failed.format(what=translate(what), name=type(value).__name__))


def backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _backend() -> Any:
    """The keyring backend in use, refused unless it really keeps secrets."""
    import keyring
    import keyring.backend

    backend = keyring.get_keyring()
    name = backend_name(backend)
    members = list(getattr(backend, "backends", ())) if name == CHAINER else [backend]
    allowed = [b for b in members if backend_name(b) in ALLOWED_BACKENDS]
    if not allowed:
        raise KeyringUnavailable(
            _no_safe_keyring([backend_name(b) for b in members]), session_hint=True
        )
    if len(allowed) < len(members):
        # A chain that also holds untrusted backends: only its best trusted one is used,
        # so keys are never written to, or read from, the others.
        backend, members = allowed[0], allowed[:1]
    if any("SecretService" in backend_name(b) for b in members):
        _refuse_locked_collection()
    return backend


def _no_safe_keyring(names: list[str]) -> str:
    """What is wrong and what to do, in three lines at 80 columns: the backends' class
    names mean nothing to most people, so they are said as what they are."""
    if not names or all(
        n.startswith(("keyring.backends.fail.", "keyring.backends.null.")) for n in names
    ):
        found = _("none found")
    elif all(n.startswith("keyrings.alt.") for n in names):
        found = _("only keyrings.alt's files")
    else:
        packages = sorted({n.rsplit(".", 1)[0] for n in names})
        found = _("only {names}").format(names=clean(", ".join(packages))[:60])
    return _(
        "no safe keyring here ({found}). Set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY, "
        "or install and unlock {keyring}"
    ).format(
        found=found, keyring=translate(_SAFE_KEYRING.get(sys.platform, _SAFE_KEYRING["linux"]))
    )


# The keyring to offer, by platform.
_SAFE_KEYRING = {
    "linux": N_("a Secret Service keyring"),
    "darwin": N_("the macOS Keychain"),
    "win32": N_("the Windows Credential Locker"),
}


def _refuse_locked_collection() -> None:
    """A locked Secret Service collection with a display around pops a dialog on a screen
    the user over SSH cannot see, and the call blocks forever: check first."""
    if sys.platform != "linux":
        return
    try:
        import secretstorage
    except ImportError:
        return
    try:
        connection = secretstorage.dbus_init()
        try:
            locked = secretstorage.get_default_collection(connection).is_locked()
        finally:
            connection.close()
    except Exception as exc:
        raise KeyringUnavailable(
            _("the Secret Service keyring is not reachable ({name}); {env_help}").format(
                name=type(exc).__name__, env_help=translate(ENV_HELP)
            ),
            session_hint=True,
        ) from None
    if locked:
        raise KeyringUnavailable(
            _(
                "the keyring (Secret Service) is locked. Unlock it (for example log in to the "
                "desktop, or run `gnome-keyring-daemon --unlock`), or {env_help}"
            ).format(env_help=translate(ENV_HELP)),
            session_hint=True,
        )


def keyring_backend_name() -> str:
    """The usable backend's name, or KeyringUnavailable saying why there is none."""
    return _with_timeout(lambda: backend_name(_backend()), "find a keyring backend")


def _encode(credentials: Credentials) -> str:
    token = credentials.session_token.reveal() if credentials.session_token else None
    return json.dumps(
        {
            "access_key": credentials.access_key,
            "secret_key": credentials.secret_key.reveal(),
            "session_token": token,
        }
    )


def _decode(value: str, profile: str) -> Credentials:
    try:
        data = json.loads(value)
        access_key, secret_key = data["access_key"], data["secret_key"]
        token = data.get("session_token")
        if not (
            isinstance(access_key, str)
            and isinstance(secret_key, str)
            and access_key
            and secret_key
        ) or not isinstance(token, str | None):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise KeyringUnavailable(
            _(
                "the keyring item of profile {profile} is not in snaptui's format; delete it "
                "(snaptui logout) and log in again"
            ).format(profile=repr(profile))
        ) from None
    return Credentials(access_key, Secret(secret_key), Secret(token) if token else None)


def load_from_keyring(profile: str) -> Found | None:
    def read() -> Found | None:
        backend = _backend()
        value = backend.get_password(KEYRING_SERVICE, profile)
        if value is None:
            return None
        source = _("keyring ({name})").format(name=backend_name(backend))
        return Found(_decode(value, profile), source)

    return _with_timeout(read, N_("read the keys"))


def save_to_keyring(profile: str, credentials: Credentials) -> str:
    """Store AK, SK and token as one item (one write, so a save is all or nothing).
    Returns the backend's name. Reads the item back: some backends drop writes silently."""

    def write() -> str:
        backend = _backend()
        value = _encode(credentials)
        backend.set_password(KEYRING_SERVICE, profile, value)
        if backend.get_password(KEYRING_SERVICE, profile) != value:
            raise KeyringUnavailable(
                _(
                    "the keyring ({name}) accepted the keys but did not keep them; {env_help}"
                ).format(name=backend_name(backend), env_help=translate(ENV_HELP)),
                session_hint=True,
            )
        return backend_name(backend)

    return _with_timeout(write, N_("save the keys"))


def delete_from_keyring(profile: str) -> bool:
    """True if an item was deleted, False if there was none."""

    def delete() -> bool:
        import keyring.errors

        backend = _backend()
        if backend.get_password(KEYRING_SERVICE, profile) is None:
            return False
        try:
            backend.delete_password(KEYRING_SERVICE, profile)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _with_timeout(delete, N_("delete the keys"))


def resolve(profile: str = "default", env: Mapping[str, str] | None = None) -> Found:
    """The first source that has keys, or CredentialsError saying what to do."""
    found = from_environment(env)
    if found is not None:
        return found
    try:
        found = load_from_keyring(profile)
    except KeyringUnavailable as exc:
        none = _("no credentials for profile {profile}: {reason}")
        reason = none.format(profile=repr(profile), reason=exc.plain)
        raise KeyringUnavailable(reason, session_hint=exc.session_hint) from None
    if found is not None:
        return found
    raise CredentialsError(
        _(
            "no credentials for profile {quoted}: run `snaptui login --profile {profile}`, "
            "or {env_help}"
        ).format(quoted=repr(profile), profile=profile, env_help=translate(ENV_HELP))
    )
