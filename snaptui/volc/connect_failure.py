"""What a failed connection says: the address tried (scheme, host and port) and the
reason in a few words, as curl does; never the exception's own text, which may be long,
in another language, or carry what a server or resolver sent."""

from __future__ import annotations

import errno
import socket

from snaptui.i18n import N_, _, translate
from snaptui.volc.endpoints import Endpoint
from snaptui.volc.safe_text import clean

_REASONS = {
    errno.ECONNREFUSED: N_("connection refused"),
    errno.ENETUNREACH: N_("network unreachable"),
    errno.EHOSTUNREACH: N_("host unreachable"),
    errno.ECONNRESET: N_("connection reset"),
    errno.ETIMEDOUT: N_("timed out"),
}
# getaddrinfo's "no such name" answers; any other (a resolver that did not answer) is
# said in its own words.
_NO_SUCH_HOST = {
    getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)
}


def address(endpoint: Endpoint) -> str:
    """`https://rtc.volcengineapi.com:443`: where a connection was tried, port included."""
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint.url)
    host = parts.hostname or ""
    shown = f"[{host}]" if ":" in host else host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{shown}:{port}"


def reason(exc: BaseException) -> str:
    """The cause in a few words, from the first error of the chain with an errno
    (libraries wrap the socket's error, sometimes twice)."""
    seen: BaseException | None = exc
    while seen is not None:
        code = getattr(seen, "errno", None)
        if isinstance(seen, socket.gaierror):
            if code in _NO_SUCH_HOST:
                return _("host not found")
            return _words(seen)
        if isinstance(seen, OSError) and code is not None:
            return translate(_REASONS[code]) if code in _REASONS else _words(seen)
        seen = seen.__cause__ or seen.__context__
    return type(exc).__name__


def _words(exc: OSError) -> str:
    text = clean(str(exc.strerror or type(exc).__name__)).strip()[:100]
    return text[:1].lower() + text[1:]


def message(endpoint: Endpoint, exc: BaseException) -> str:
    """`could not connect to http://127.0.0.1:9 (connection refused)`."""
    return _("could not connect to {address} ({reason})").format(
        address=address(endpoint), reason=reason(exc)
    )
