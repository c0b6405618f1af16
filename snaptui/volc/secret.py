"""Secret values and the credentials that hold them.

A secret's repr and str never show it, so a traceback that prints local
variables (Textual's crash screen does) or a stray log line cannot leak it.
"""

from __future__ import annotations

import hashlib
import hmac

from snaptui.volc.record import Record

MASK = "****"


class Secret:
    """A string that refuses to show itself. Use `reveal()` at the last moment."""

    __slots__ = ("__value",)

    def __init__(self, value: str) -> None:
        self.__value = value

    def reveal(self) -> str:
        return self.__value

    def hmac_sha256(self, msg: str) -> bytes:
        # Keeps the raw key out of the caller's frame.
        return hmac.new(self.__value.encode(), msg.encode(), hashlib.sha256).digest()

    def __bool__(self) -> bool:
        return bool(self.__value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self.__value.encode(), other.__value.encode())

    def __hash__(self) -> int:
        return hash(self.__value)

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


def mask_access_key(access_key: str) -> str:
    """Show only the last 4 characters of an AccessKey ID."""
    if len(access_key) <= 4:
        return MASK
    return MASK + access_key[-4:]


class Credentials(Record):
    access_key: str
    secret_key: Secret
    session_token: Secret | None = None

    @property
    def masked_access_key(self) -> str:
        return mask_access_key(self.access_key)

    def __repr__(self) -> str:
        token = ", session_token=Secret(****)" if self.session_token else ""
        return f"Credentials(access_key={self.masked_access_key!r}, secret_key=Secret(****){token})"

    def secret_texts(self) -> tuple[str, ...]:
        """The values to remove from anything shown: SK, token, and the AK itself."""
        values = [s.reveal() for s in (self.secret_key, self.session_token) if s]
        if len(self.access_key) > 4:
            values.append(self.access_key)
        return tuple(v for v in values if v)

    def problem(self) -> str | None:
        """Why these keys cannot be sent in HTTP headers, or None. An AccessKey or token
        outside printable ASCII would fail deep in the HTTP library; say it plainly."""
        named = [("AccessKey", self.access_key), ("SecretKey", self.secret_key.reveal())]
        if self.session_token:
            named.append(("session token", self.session_token.reveal()))
        for name, value in named:
            if not (value.isascii() and value.isprintable()):
                return (
                    f"the {name} holds a character that is not printable ASCII; "
                    "check it for stray characters"
                )
        return None

    def redact(self, text: str) -> str:
        """Remove every credential value from text that came from elsewhere (a server, an error)."""
        for secret in (self.secret_key, self.session_token):
            if secret and secret.reveal() in text:
                text = text.replace(secret.reveal(), MASK)
        if len(self.access_key) > 4 and self.access_key in text:
            text = text.replace(self.access_key, self.masked_access_key)
        return text
