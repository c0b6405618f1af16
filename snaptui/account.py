"""`snaptui login`, `logout` and `whoami`: keys in the OS keyring, never in argv or a file.

Errors are raised as SnaptuiError; the command line reports them and maps exit codes.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from snaptui import credentials
from snaptui.exits import EXIT_CREDENTIALS, EXIT_OK
from snaptui.i18n import _
from snaptui.safe_text import clean
from snaptui.settings import ensure_config_dir, load_existing_profile, load_profile, save_profile
from snaptui.volc.endpoints import resolve_endpoint
from snaptui.volc.errors import CredentialsError
from snaptui.volc.secret import Credentials, Secret, mask_access_key

# What --secret-stdin reads at most: a SecretKey and a session token fit many times over.
STDIN_MOST = 65536


def _say(text: str) -> None:
    print(clean(text, keep_newlines=True), file=sys.stderr)


def _command_line_text(exc: CredentialsError) -> str:
    """Without the app's way out (keys for this session only): no command has a session."""
    return exc.plain if isinstance(exc, credentials.KeyringUnavailable) else str(exc)


def _line(label: str, value: str) -> str:
    """`label  value`, the values in one column whatever the labels' language."""
    import unicodedata

    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    return label + " " * max(1, 11 - width) + value


def login(ns: argparse.Namespace) -> int:
    # Everything that can be refused is checked before the keyring is written: a login
    # that fails leaves nothing behind.
    ensure_config_dir()
    profile = load_profile(ns.profile)
    if ns.endpoint or ns.region:  # a bad option is a usage error, whatever the keyring
        resolve_endpoint(ns.endpoint or profile.endpoint, ns.region or profile.region)
    backend = credentials.keyring_backend_name()
    access_key = (ns.access_key or "").strip()
    if ns.secret_stdin:
        # Two lines of keys: a few KB at most, never all of a /dev/zero.
        lines = sys.stdin.read(STDIN_MOST).splitlines()
        secret_key = lines[0].strip() if lines else ""
        token = lines[1].strip() if len(lines) > 1 else ""
        if not access_key:
            raise CredentialsError(_("--access-key is required with --secret-stdin"))
    else:
        if not sys.stdin.isatty():
            raise CredentialsError(_("no terminal to prompt on: use --secret-stdin"))
        access_key = access_key or input(_("AccessKey ID: ")).strip()
        secret_key = getpass.getpass(_("SecretKey (not shown): ")).strip()
        token = getpass.getpass(_("Session token (optional, not shown; Enter to skip): "))
        token = token.strip()
    if not access_key or not secret_key:
        raise CredentialsError(_("both an AccessKey ID and a SecretKey are needed"))
    creds = Credentials(access_key, Secret(secret_key), Secret(token) if token else None)
    problem = creds.problem()
    if problem is not None:
        raise CredentialsError(problem)
    if ns.endpoint:
        profile.endpoint = ns.endpoint
    if ns.region:
        profile.region = ns.region
    credentials.save_to_keyring(ns.profile, creds)
    save_profile(profile)
    saved = _("saved AccessKey {key} for profile {profile} in the keyring ({backend})")
    _say(saved.format(key=mask_access_key(access_key), profile=repr(ns.profile), backend=backend))
    return EXIT_OK


def logout(ns: argparse.Namespace) -> int:
    deleted = credentials.delete_from_keyring(ns.profile)
    said = (
        _("deleted the keys of profile {profile} from the keyring")
        if deleted
        else _("profile {profile} had no keys in the keyring")
    )
    _say(said.format(profile=repr(ns.profile)))
    return EXIT_OK


def whoami(ns: argparse.Namespace) -> int:
    profile = load_existing_profile(ns.profile)
    endpoint = resolve_endpoint(profile.endpoint, profile.region)
    out = [
        _line(_("profile:"), ns.profile),
        _line(_("endpoint:"), f"{endpoint.url} ({endpoint.name})"),
        _line(_("region:"), endpoint.region),
    ]
    try:
        found = credentials.resolve(ns.profile)
    except CredentialsError as exc:
        print(clean("\n".join([*out, _line(_("keys:"), _("none"))]), keep_newlines=True))
        _say(_("error: {message}").format(message=_command_line_text(exc)))
        return EXIT_CREDENTIALS
    token = _(" + session token") if found.credentials.session_token else ""
    out.append(_line(_("source:"), found.source))
    out.append(_line("AccessKey:", found.credentials.masked_access_key + token))
    print(clean("\n".join(out), keep_newlines=True))
    if found.note:
        _say(_("warning: {text}").format(text=found.note))
    return EXIT_OK
