"""The panel that explains what went wrong, over the last good tree."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from snaptui.i18n import _
from snaptui.safe_text import clean
from snaptui.volc.errors import ApiError, InvalidIdError, MalformedResponseError, SnaptuiError


def describe_error(error: SnaptuiError) -> Text:
    """Code, message, hint and RequestId, in the order a person needs them."""
    text = Text()
    if isinstance(error, ApiError):
        code_n = f", CodeN {error.code_n}" if error.code_n is not None else ""
        text.append(f"{clean(error.code)}", style="bold")
        text.append(f" (HTTP {error.http_status}{code_n})\n")
        text.append(clean(error.message or error.code) + "\n")
        if error.hint:
            text.append(_("Hint: "), style="bold")
            text.append(clean(error.hint) + "\n")
        text.append(f"RequestId {clean(error.request_id or '—')}")
    elif isinstance(error, InvalidIdError):
        text.append(
            _("Invalid {field}: {reason}").format(field=error.field, reason=clean(error.reason))
        )
    else:
        text.append(clean(str(error)))
        request_id = getattr(error, "request_id", None)
        if isinstance(error, MalformedResponseError) and request_id:
            text.append(f"\nRequestId {clean(request_id)}")
    return text


class ErrorPanel(Static):
    """Hidden until there is an error; `retry_note` says when the next attempt comes,
    `stale` that the tree below is the last good answer."""

    def show_error(
        self,
        error: SnaptuiError,
        retry_note: str,
        *,
        stale: bool,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        text = describe_error(error)
        # A server may echo a key back in a message: scrub before it reaches the screen.
        if redact is not None and redact(text.plain) != text.plain:
            text = Text(redact(text.plain))
        if retry_note:
            text.append(f"\n{retry_note}", style="italic")
        self.update(text)
        self.border_title = _("Error · showing the last good data") if stale else _("Error")
        self.display = True

    def clear(self) -> None:
        self.display = False
