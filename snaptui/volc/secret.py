"""Secret values and the credentials that hold them.

A secret's repr and str never show it, so a traceback that prints local
variables (Textual's crash screen does) or a stray log line cannot leak it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from snaptui.i18n import _
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
        named = [
            (_("the AccessKey"), self.access_key),
            (_("the SecretKey"), self.secret_key.reveal()),
        ]
        if self.session_token:
            named.append((_("the session token"), self.session_token.reveal()))
        for name, value in named:
            if not (value.isascii() and value.isprintable()):
                return _(
                    "{name} holds a character that is not printable ASCII; "
                    "check it for stray characters"
                ).format(name=name)
        return None

    def spellings(self) -> tuple[str, ...]:
        """Every form in which a server might echo a key back, lower-cased: as is,
        URL-encoded, base64. Matched without regard to case."""
        return tuple(form.lower() for value in self.secret_texts() for form in _forms(value))

    def appears_in(self, text: str) -> bool:
        lowered = text.lower()
        return any(form in lowered for form in self.spellings())

    def redact(self, text: str) -> str:
        """Remove every credential value from text that came from elsewhere (a server, an
        error), in any case and in the encodings a server might use."""
        if not self.appears_in(text):
            return text
        secrets = [s.reveal() for s in (self.secret_key, self.session_token) if s]
        text = _pattern(tuple(secrets)).sub(MASK, text) if secrets else text
        if len(self.access_key) > 4:
            text = _pattern((self.access_key,)).sub(self.masked_access_key, text)
        return text


def _forms(value: str) -> set[str]:
    import base64
    from urllib.parse import quote

    # A byte that is not UTF-8 in an environment variable arrives as a lone surrogate:
    # kept as that byte, so the key is still found (and the error about it still said).
    raw = value.encode("utf-8", "surrogateescape")
    standard = base64.b64encode(raw).decode()
    urlsafe = base64.urlsafe_b64encode(raw).decode()
    quoted = quote(raw, safe="")
    forms = {value, quoted, standard, standard.rstrip("="), urlsafe.rstrip("=")}
    # Inside a longer base64 text the value starts 0, 1 or 2 bytes into a 3-byte group,
    # and what follows it changes its last characters: the part of each encoding that
    # only the value decides.
    if len(raw) >= 12:
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.add(encode(raw).decode()[:-4])
            for shift in (1, 2):
                forms.add(encode(b"\0" * shift + raw).decode()[4:-4])
    return forms


@lru_cache(maxsize=8)
def _pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    forms = sorted({f for v in values if v for f in _forms(v)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)
