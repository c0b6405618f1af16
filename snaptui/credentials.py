"""Where keys come from: the environment, the OS keyring, or this session only.

No Textual import; keyring is imported only when the environment has no keys.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from snaptui.volc.errors import CredentialsError
from snaptui.volc.secret import Credentials, Secret

ENV_PAIRS = (
    ("VOLCENGINE_ACCESS_KEY", "VOLCENGINE_SECRET_KEY"),
    ("VOLC_ACCESSKEY", "VOLC_SECRETKEY"),
)
ENV_TOKEN = "VOLCENGINE_SESSION_TOKEN"
ENV_HELP = (
    "set VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY (plus VOLCENGINE_SESSION_TOKEN for "
    "temporary keys), or VOLC_ACCESSKEY and VOLC_SECRETKEY"
)


@dataclass(frozen=True)
class Found:
    """Credentials and where they came from, for display ('environment (VOLC_ACCESSKEY)')."""

    credentials: Credentials
    source: str


def from_environment(env: Mapping[str, str] | None = None) -> Found | None:
    env = os.environ if env is None else env
    for ak_name, sk_name in ENV_PAIRS:
        access_key = env.get(ak_name, "").strip()
        secret_key = env.get(sk_name, "").strip()
        if access_key and secret_key:
            token = env.get(ENV_TOKEN, "").strip() if ak_name.startswith("VOLCENGINE") else ""
            creds = Credentials(access_key, Secret(secret_key), Secret(token) if token else None)
            return Found(creds, f"environment ({ak_name})")
    return None


def resolve(profile: str = "default", env: Mapping[str, str] | None = None) -> Found:
    """The first source that has keys, or CredentialsError saying what to do."""
    found = from_environment(env)
    if found is not None:
        return found
    raise CredentialsError(f"no credentials found for profile {profile!r}: {ENV_HELP}")
