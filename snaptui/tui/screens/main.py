"""The main screen: the query form and one tab per watched task."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from snaptui.connection import Connection
from snaptui.settings import add_recent, load_recent
from snaptui.tui.widgets.query_form import Ids, QueryForm

if TYPE_CHECKING:
    from snaptui.tui.widgets.task_view import TaskView

QUERY_TAB = "query"


def tab_id(ids: Ids) -> str:
    # Tab ids must be CSS identifiers; ids are [A-Za-z0-9@._-], so map the extra three.
    safe = "--".join(ids).replace("@", "-a-").replace(".", "-d-")
    return f"task-{safe}"


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f2",
            "credentials",
            "Credentials",
            id="credentials",
            tooltip="Credentials: test, save to the keyring, use for this session",
        ),
        Binding(
            "ctrl+n",
            "new_query",
            "New",
            id="new-query",
            tooltip="Go to the query form to open another task",
        ),
        Binding(
            "ctrl+w",
            "close_task",
            "Close",
            id="close-task",
            tooltip="Stop watching this task and close its tab",
        ),
        Binding(
            "ctrl+right,ctrl+pagedown",
            "next_tab",
            "Next tab",
            id="next-tab",
            show=False,
            tooltip="Show the next tab",
        ),
        Binding(
            "ctrl+left,ctrl+pageup",
            "previous_tab",
            "Previous tab",
            id="previous-tab",
            show=False,
            tooltip="Show the previous tab",
        ),
    ]

    def __init__(self, connection: Connection, open_ids: Ids | None = None) -> None:
        super().__init__()
        self.connection = connection
        self._open_ids = open_ids

    def compose(self) -> ComposeResult:
        yield Header(icon="◉")
        # Just the form at first: the tab bar costs a visible part of start-up, and is
        # built when the first task opens (see _tabs).
        yield QueryForm(load_recent(self.connection.profile), id="query-form")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_connection()
        if self.connection.credentials is None:
            self._find_keys()
        form = self.query_one(QueryForm)
        if self._open_ids is not None:
            form.fill(self._open_ids)
            self.call_after_refresh(self.open_task, self._open_ids)
        else:
            form.focus_first()

    @work(thread=True, exclusive=True, group="find-keys")
    def _find_keys(self) -> None:
        """No keys in the environment: look in the keyring, off the UI thread."""
        from snaptui import credentials
        from snaptui.volc.errors import CredentialsError

        try:
            found = credentials.load_from_keyring(self.connection.profile)
            reason = (
                ""
                if found
                else (
                    f"No keys for profile {self.connection.profile!r} in the environment or the "
                    f"keyring. {credentials.ENV_HELP[0].upper()}{credentials.ENV_HELP[1:]}, or "
                    "enter them here."
                )
            )
        except CredentialsError as exc:
            found, reason = None, f"{exc}."
        if found is not None:
            self.connection.credentials = found.credentials
            self.connection.source = found.source
            self.app.call_from_thread(self.refresh_connection)
        else:
            self.app.call_from_thread(self.action_credentials, reason)

    def action_credentials(self, reason: str = "") -> None:
        from snaptui.tui.screens.credentials import CredentialsScreen

        self.app.push_screen(
            CredentialsScreen(self.connection, reason), lambda _: self.refresh_connection()
        )

    def refresh_connection(self) -> None:
        c = self.connection
        keys = f"{c.source} {c.masked_access_key}" if c.credentials else "no keys (F2 to add)"
        self.query_one(QueryForm).show_connection(
            f"Profile {c.profile} · {c.endpoint.url} ({c.endpoint.region}) · {keys}"
        )
        self.sub_title = f"{c.profile} · {c.endpoint.name}"

    def _tabs_if_any(self) -> TabbedContent | None:
        found = self.query(TabbedContent)
        return found.first() if found else None

    async def _open_tabs(self, first: TabPane) -> None:
        """Build the tab bar around the first task: the form moves into a 'Query' tab."""
        old = self.query_one(QueryForm)
        values = old.values()
        await old.remove()
        form = QueryForm(load_recent(self.connection.profile), id="query-form")
        tabs = TabbedContent(id="tabs", initial=first.id or "")
        tabs.compose_add_child(TabPane("Query", form, id=QUERY_TAB))
        tabs.compose_add_child(first)
        await self.mount(tabs, after=self.query_one(Header))
        form.fill(values)
        self.refresh_connection()

    def active_view(self) -> TaskView | None:
        tabs = self._tabs_if_any()
        if tabs is None:
            return None
        pane = tabs.active_pane
        if pane is None or pane.id == QUERY_TAB:
            return None
        views = list(pane.query("TaskView"))
        return views[0] if views else None  # type: ignore[return-value]

    @on(QueryForm.Submitted)
    async def _submitted(self, event: QueryForm.Submitted) -> None:
        await self.open_task(event.ids)
        self.query_one(QueryForm).set_recent(add_recent(event.ids, self.connection.profile))

    async def open_task(self, ids: Ids) -> None:
        pane_id = tab_id(ids)
        tabs = self._tabs_if_any()
        if tabs is not None and tabs.query(f"#{pane_id}"):
            self._activate(pane_id)
            return
        # Imported on first use: the tree and its models are not needed for the form.
        from snaptui.tui.widgets.task_view import TaskView

        pane = TabPane(ids[2], TaskView(ids, self.connection), id=pane_id)
        if tabs is None:
            await self._open_tabs(pane)
            self.call_after_refresh(self._focus_tree)
        else:
            await tabs.add_pane(pane)
            # Activate once the new tab has been laid out, or its underline is drawn at 0 width.
            self.call_after_refresh(self._activate, pane_id)

    def _activate(self, pane_id: str) -> None:
        tabs = self._tabs_if_any()
        if tabs is not None:
            tabs.active = pane_id
        self.call_after_refresh(self._focus_tree)

    def _focus_tree(self) -> None:
        view = self.active_view()
        if view is not None:
            view.query_one("#task-tree").focus()

    def on_task_view_finished(self, event: TaskView.Finished) -> None:
        self.notify(
            event.outcome,
            title=event.view.title,
            severity="error" if event.failed else "information",
            timeout=8,
        )

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == QUERY_TAB:
            self.query_one(QueryForm).focus_first()
        else:
            self.call_after_refresh(self._focus_tree)

    def action_new_query(self) -> None:
        tabs = self._tabs_if_any()
        if tabs is None:
            self.query_one(QueryForm).focus_first()
        else:
            tabs.active = QUERY_TAB

    def action_close_task(self) -> None:
        tabs = self._tabs_if_any()
        pane = tabs.active_pane if tabs is not None else None
        if tabs is None or pane is None or pane.id == QUERY_TAB:
            self.notify("The query form cannot be closed.", severity="warning")
            return
        tabs.remove_pane(pane.id or "")

    def _cycle(self, step: int) -> None:
        tabs = self._tabs_if_any()
        if tabs is None:
            return
        ids = [pane.id for pane in tabs.query(TabPane)]
        if tabs.active in ids:
            tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)] or QUERY_TAB

    def action_next_tab(self) -> None:
        self._cycle(1)

    def action_previous_tab(self) -> None:
        self._cycle(-1)
