"""F2: keys for a profile. Test them, save them to the keyring, use them for this session
only, or delete them. The SecretKey is a password field; nothing typed is lost on error."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from snaptui import credentials
from snaptui.connection import Connection
from snaptui.i18n import N_, _, translate
from snaptui.settings import Profile, SettingsFileError, load_profile, save_profile
from snaptui.tui.background import in_background
from snaptui.tui.language import localized
from snaptui.tui.widgets.field import Field
from snaptui.tui.widgets.focused_keys import FocusedKeys
from snaptui.tui.widgets.scroll import Scroll
from snaptui.tui.wording import sentence, source_words
from snaptui.volc.endpoints import Endpoint, resolve_endpoint
from snaptui.volc.errors import ApiError, SnaptuiError
from snaptui.volc.secret import Credentials, Secret

REJECTED = (
    "InvalidAccessKey",
    "SignatureDoesNotMatch",
    "InvalidSecretToken",
    "MissingAuthenticationToken",
    "InvalidCredential",
)
FIELDS = (
    ("profile", N_("Profile"), False),
    ("endpoint", N_("Endpoint"), False),
    ("region", N_("Region"), False),
    ("access-key", "AccessKey", False),
    ("secret-key", "SecretKey", True),
    ("token", N_("Token"), True),
)


def _failure(what: str, error: Exception) -> str:
    """Our own errors say what happened; another's text may quote a value, so only its
    type is shown (a config dir under a file: NotADirectoryError)."""
    if isinstance(error, SnaptuiError):
        return str(error)
    return f"{what}: {type(error).__name__}"


def _check_key(name: str, value: str) -> None:
    """Keys travel in HTTP headers: ASCII without spaces or controls, or the request
    cannot even be built (a pasted curly quote once crashed the app)."""
    if value and not all(33 <= ord(ch) <= 126 for ch in value):
        raise SnaptuiError(
            _(
                "the {name} holds a character that is not an ASCII letter, digit or mark "
                "(a space, an accent or a curly quote?); check what was pasted"
            ).format(name=name)
        )


class CredentialsScreen(FocusedKeys, Screen[None]):
    AUTO_FOCUS = "#access-key"
    DEFAULT_CSS = """
    #credentials {
        padding: 1 2;
    }
    #cred-current {
        margin-bottom: 1;
        text-style: bold;
    }
    #credentials .field-row {
        margin-top: 0;
    }
    #cred-hint {
        color: $text-muted;
        margin-top: 1;
    }
    #cred-message {
        margin-top: 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "ctrl+t",
                "test",
                N_("Test"),
                id="cred-test",
                tooltip=N_("Make a signed request: are these keys accepted?"),
            ),
            Binding(
                "ctrl+s",
                "save",
                N_("Save to keyring"),
                id="cred-save",
                tooltip=N_("Keep the keys in the OS keyring for this profile"),
            ),
            Binding(
                "ctrl+o",
                "use",
                N_("Use for session"),
                id="cred-use",
                tooltip=N_("Use the keys until snaptui exits; nothing is stored"),
            ),
            Binding(
                "f8",
                "delete",
                N_("Delete"),
                id="cred-delete",
                tooltip=N_("Delete this profile's keys from the keyring"),
            ),
            Binding(
                "ctrl+r",
                "reveal",
                N_("Show key"),
                id="cred-reveal",
                tooltip=N_("Show or hide the SecretKey and token as you type"),
            ),
            Binding(
                "escape", "close", N_("Back"), id="cred-close", tooltip=N_("Back to the tasks")
            ),
            # Never quit from here, where unsaved keys would be lost: Esc goes back.
            Binding("q", "nothing", show=False),
            Binding(
                "ctrl+n",
                "new_query",
                N_("New"),
                id="cred-new-query",
                show=False,  # the footer is full; F1 lists it
                tooltip=N_("Back to the query form (App ID) to open a task"),
            ),
        ]
    )
    HELP_TITLE = N_("Credentials")

    def __init__(self, connection: Connection, reason: str = "") -> None:
        super().__init__()
        self.connection = connection
        self._reason = reason
        self.title = _("Credentials")
        self.sub_title = _("Esc: back to the tasks")

    def compose(self) -> ComposeResult:
        yield Header(icon="◉")
        # Not a focus stop of its own: it would show nothing, and keys typed there (an
        # AccessKey typed ahead) would vanish. Each field scrolls itself into view.
        with Scroll(id="credentials", can_focus=False):
            yield Static("", id="cred-current")
            for field_id, label, secret in FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(translate(label), classes="field-label")
                    yield Field(id=field_id, password=secret, compact=True)
            yield Static("", id="cred-message")
            yield Static(
                Text(
                    _(
                        "Endpoint: volcengine, volcengine-intl, byteplus or a URL. Keys stay in "
                        "the OS keyring (one item per profile) or in memory for this session; "
                        "never in a file. With the key fields empty, Ctrl+T and Ctrl+O keep the "
                        "keys in use."
                    )
                ),
                id="cred-hint",
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        c = self.connection
        try:
            profile = load_profile(c.profile) if c.profile != "demo" else Profile("demo")
        except SettingsFileError as exc:  # broken since the app started: say so, no crash
            profile, self._reason = Profile(c.profile), str(exc)
        values = {
            "profile": c.profile,
            "endpoint": c.endpoint.url
            if c.endpoint.name in ("custom", "simulator")
            else c.endpoint.name,
            "region": c.endpoint.region,
        }
        if profile.region:
            values["region"] = profile.region
        # The AccessKey is never shown whole: the line above shows its last 4 characters.
        for field_id, value in values.items():
            self.query_one(f"#{field_id}", Input).value = value
        self._show_current()
        self._say(self._reason, error=bool(self._reason))
        self._remember()

    def _remember(self) -> None:
        """What the fields hold now counts as kept: leaving drops nothing."""
        self._kept = {field_id: self._value(field_id) for field_id, _, _ in FIELDS}

    def _unsaved(self) -> list[str]:
        """The names (never the values) of the fields edited since they were kept."""
        kept = getattr(self, "_kept", {})
        return [label for fid, label, _ in FIELDS if self._value(fid) != kept.get(fid, "")]

    def _show_current(self) -> None:
        c = self.connection
        keys = (
            f"{source_words(c.source)} · AccessKey {c.masked_access_key}"
            if c.credentials
            else _("none")
        )
        self.query_one("#cred-current", Static).update(
            Text(_("Keys in use: {keys}").format(keys=keys))
        )

    def _say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#cred-message", Static)
        message.update(Text(sentence(text), style="bold red" if error else "green"))

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    def _entered(self, keep_current: bool = False) -> tuple[str, Endpoint, Credentials]:
        """What the fields say. With `keep_current` and no key typed, the keys in use
        (from the environment, say) go with a new endpoint: nobody retypes them."""
        profile = self._value("profile") or "default"
        endpoint = resolve_endpoint(self._value("endpoint") or None, self._value("region") or None)
        access_key, secret_key = self._value("access-key"), self._value("secret-key")
        token = self._value("token")
        current = self.connection.credentials
        if keep_current and current is not None and not (access_key or secret_key or token):
            return profile, endpoint, current
        if not access_key or not secret_key:
            raise SnaptuiError(_("enter both the AccessKey and the SecretKey"))
        for name, value in (("AccessKey", access_key), ("SecretKey", secret_key)):
            _check_key(name, value)
        _check_key(_("session token"), token)
        return (
            profile,
            endpoint,
            Credentials(access_key, Secret(secret_key), Secret(token) if token else None),
        )

    def action_nothing(self) -> None:
        pass

    def action_reveal(self) -> None:
        for field_id in ("secret-key", "token"):
            field = self.query_one(f"#{field_id}", Input)
            field.password = not field.password

    def action_close(self) -> None:
        unsaved = self._unsaved()
        if unsaved:
            # Said where the user will be looking next, so an edit is never lost unseen.
            self.app.notify(
                _("Unsaved credential edits discarded: {fields}.").format(
                    fields=", ".join(unsaved)
                ),
                severity="warning",
                markup=False,
            )
        self.dismiss(None)

    async def action_new_query(self) -> None:
        # Ids typed behind Ctrl+N belong in the query form, never in a credential field.
        self.action_close()
        await self.app.run_action("screen.new_query")

    # -- actions that talk to the keyring or the API run off the UI thread ------------

    def action_test(self) -> None:
        try:
            _profile, endpoint, creds = self._entered(keep_current=True)
        except SnaptuiError as exc:
            self._say(str(exc), error=True)
            return
        self._say(_("Testing…"))
        self._test(endpoint, creds)

    @work(exclusive=True, group="credentials")
    async def _test(self, endpoint: Endpoint, creds: Credentials) -> None:
        async with self.connection.new_client(creds, endpoint) as client:
            try:
                await client.get_snapshot_task("snaptui-check", "snaptui-check", "snaptui-check")
            except ApiError as exc:
                if exc.code in REJECTED:
                    rejected = _("Rejected: {code}. {hint}").format(code=exc.code, hint=exc.hint)
                    self._say(creds.redact(rejected), error=True)
                elif exc.code.startswith("InvalidParameter"):
                    self._say(
                        _(
                            "Keys accepted (the check asked for a task that does not exist: "
                            "{code})."
                        ).format(code=exc.code)
                    )
                else:
                    text = _("Inconclusive: {code}: {message}")
                    self._say(
                        creds.redact(text.format(code=exc.code, message=exc.message)), error=True
                    )
                return
            except SnaptuiError as exc:
                failed = _("Could not test: {reason}").format(reason=exc)
                self._say(creds.redact(failed), error=True)
                return
            except Exception as exc:  # a key the HTTP stack cannot send; never a crash
                failed = _("Could not test: {reason}").format(reason=type(exc).__name__)
                self._say(failed, error=True)
                return
        self._say(_("Keys accepted."))

    def action_save(self) -> None:
        try:
            profile, endpoint, creds = self._entered()
        except SnaptuiError as exc:
            self._say(str(exc), error=True)
            return
        self._say(_("Saving to the keyring…"))
        self._save(profile, endpoint, creds)

    def _save(self, profile: str, endpoint: Endpoint, creds: Credentials) -> None:
        # Read on the UI thread; the keyring and the file are written off it, on a thread
        # that a hanging keyring cannot use to hold up Ctrl+Q.
        settings = Profile(
            profile, self._value("endpoint") or "volcengine", self._value("region") or None
        )

        def work() -> str:
            save_profile(settings)  # first: a config dir that cannot be written keeps no keys
            return credentials.save_to_keyring(profile, creds)

        def done(result: str | Exception) -> None:
            if not self.is_attached:
                return
            if isinstance(result, Exception):
                self._say(_failure(_("Could not save"), result), error=True)
                return
            self._apply(
                creds,
                f"keyring ({result})",
                endpoint,
                profile,
                _("Saved to the keyring ({backend}) and in use.").format(backend=result),
            )

        in_background(work, done)

    def action_use(self) -> None:
        try:
            profile, endpoint, creds = self._entered(keep_current=True)
        except SnaptuiError as exc:
            self._say(str(exc), error=True)
            return
        kept = creds is self.connection.credentials
        self._apply(
            creds,
            self.connection.source if kept else "this session only",
            endpoint,
            profile,
            _("In use until snaptui exits; nothing was stored."),
        )

    def action_delete(self) -> None:
        from snaptui.tui.screens.confirm import ConfirmScreen

        profile = self._value("profile") or "default"

        def answered(yes: bool | None) -> None:
            if yes:
                self._say(_("Deleting from the keyring…"))
                self._delete(profile)
            else:
                self._say(_("Nothing was deleted."))

        question = _("Delete the keys of profile {profile} from the OS keyring?")
        self.app.push_screen(
            ConfirmScreen(question.format(profile=repr(profile))),
            answered,
        )

    def _delete(self, profile: str) -> None:
        def done(result: bool | Exception) -> None:
            if not self.is_attached:
                return
            if isinstance(result, Exception):
                self._say(_failure(_("Could not delete"), result), error=True)
                return
            text = (
                _("Deleted the keys of profile {profile} from the keyring.")
                if result
                else _("Profile {profile} had no keys in the keyring.")
            ).format(profile=repr(profile))
            self._deleted(profile, text)

        in_background(lambda: credentials.delete_from_keyring(profile), done)

    def _deleted(self, profile: str, text: str) -> None:
        c = self.connection
        if c.profile == profile and c.source.startswith("keyring"):
            # The keys in use were those: they are gone, and the header must say so.
            self.run_worker(self._forget(text))
        else:
            self._say(text)

    async def _forget(self, text: str) -> None:
        await self.connection.replace(None, "none")
        self._show_current()
        self._say(text + _(" No keys are in use now."))

    def _apply(
        self, creds: Credentials, source: str, endpoint: Endpoint, profile: str, message: str
    ) -> None:
        self.run_worker(self._replace(creds, source, endpoint, profile, message))

    async def _replace(
        self, creds: Credentials, source: str, endpoint: Endpoint, profile: str, message: str
    ) -> None:
        await self.connection.replace(creds, source, endpoint)
        self.connection.profile = profile
        self._show_current()
        self._say(message)
        self.query_one("#secret-key", Input).value = ""
        self.query_one("#token", Input).value = ""
        self._remember()
