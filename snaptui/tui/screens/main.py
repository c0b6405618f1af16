"""The main screen: the query form and one tab per watched task."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tab, TabbedContent, TabPane

from snaptui.connection import Connection
from snaptui.i18n import N_, _, translate
from snaptui.settings import SettingsFileError, add_recent, load_recent
from snaptui.tui.background import in_background
from snaptui.tui.language import localized
from snaptui.tui.widgets.query_form import Ids, QueryForm
from snaptui.tui.wording import sentence, source_words

if TYPE_CHECKING:
    from snaptui import credentials
    from snaptui.tui.widgets.task_view import TaskView

QUERY_TAB = "query"
DEMO_HINT = N_(
    "Demo tasks (App ID demo, Room ID room-1): task-live, task-ended, task-failed, "
    "task-pending, task-many, user-7, task-tos, task-vod, task-s3, task-imagex."
)
# Tab ids must be CSS identifiers ([A-Za-z0-9_-]); task ids also hold @ and '.'. "_"
# escapes, so that two different tasks can never share a tab (a.b and a-d-b did).
_TAB_ESCAPES = str.maketrans({"_": "__", "@": "_a", ".": "_d"})


def task_title(ids: Ids, most: int = 60) -> str:
    """`app / room / task`, each part cut in the middle to fit `most` cells in all."""
    title = " / ".join(ids)
    if len(title) <= most:
        return title
    room = (most - 6) // 3
    return " / ".join(
        p if len(p) <= room else p[: room // 2] + "…" + p[-(room - room // 2 - 1) :] for p in ids
    )


def tab_id(ids: Ids) -> str:
    return "task-" + "_s".join(part.translate(_TAB_ESCAPES) for part in ids)


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "f2",
                "credentials",
                N_("Credentials"),
                id="credentials",
                # On the second key line: the footer has no room for it at 80 columns.
                show=False,
                tooltip=N_("Credentials: test, save to the keyring, use for this session"),
            ),
            Binding(
                "ctrl+n",
                "new_query",
                N_("New"),
                id="new-query",
                tooltip=N_("Go to the query form (App ID) to open another task"),
            ),
            Binding(
                "ctrl+w",
                "close_task",
                N_("Close"),
                id="close-task",
                tooltip=N_("Stop watching this task and close its tab (the form stays)"),
            ),
            # Priority: the form's fields and the JSON view would take them for word moves.
            Binding(
                "ctrl+right,ctrl+pagedown",
                "next_tab",
                N_("Next tab"),
                id="next-tab",
                key_display="^→",
                show=False,
                priority=True,
                tooltip=N_("Show the next tab"),
            ),
            Binding(
                "ctrl+left,ctrl+pageup",
                "previous_tab",
                N_("Previous tab"),
                id="previous-tab",
                key_display="^←",
                show=False,
                priority=True,
                tooltip=N_("Show the previous tab"),
            ),
        ]
    )
    HELP_TITLE = N_("Tabs and tasks")
    # Opened on a task, the tree has focus from the first frame: left to Textual, the tab
    # bar took it until a later turn, and a key typed as the first answer showed was lost.
    # (Without a task nothing matches and on_mount puts focus on App ID.)
    AUTO_FOCUS = "#task-tree"
    # Under 30 rows the form drops its blank lines (snaptui.tcss), so that with the tab
    # bar at 80x24 the recent queries still show below it. (No ClassVar: Screen declares
    # it as an instance variable.)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        connection: Connection,
        tasks: list[Ids] | None = None,
        notes: list[str] | None = None,
        *,
        shown: str | None = None,
    ) -> None:
        """`shown`: the tab (its id) to show once the tasks are open, as it was before the
        app started again in another language."""
        super().__init__()
        self.connection = connection
        self._tasks = tasks or []
        self._notes = notes or []
        self._shown = shown
        # Started again in another language: their ends were said already.
        self._said_ends: set[Ids] = set(self._tasks) if shown else set()
        self._saved: set[Ids] = set()
        # Every task opened, its tab closed or not: Ctrl+N clears the form of these.
        self._opened: set[Ids] = set(self._tasks)
        self._recent_refused = False
        self._form_built: asyncio.Task[QueryForm | None] | None = None

    def _form(self, ids: Ids | None = None) -> QueryForm:
        hint = translate(DEMO_HINT) if self.connection.profile == "demo" else ""
        return QueryForm(self._recent(), hint, ids, open_task=self.open_task, id="query-form")

    def _recent(self) -> list[Ids]:
        """The recent queries; none, said once, when recent.json cannot be read (the
        app goes on without them and leaves the file as it is)."""
        try:
            return load_recent(self.connection.profile)
        except SettingsFileError as exc:
            if not self._recent_refused:
                self._recent_refused = True
                self.notify(str(exc), title=_("No recent queries"), severity="warning")
            return []

    def compose(self) -> ComposeResult:
        yield Header(icon="◉")
        if self._tasks:
            # Opened on a task: the tab bar at once, not the form first and then again.
            # The form, on a tab not shown yet, is built after the first frame: its
            # fields and list would cost the task a visible part of start-up.
            yield self._tab_bar(self._task_pane(self._tasks[0]), None)
        else:
            # Just the form: the tab bar costs a visible part of start-up, and is built
            # when the first task opens (see _open_tabs).
            yield self._form()
        yield Static("", id="more-keys")
        # The footer is mounted last, see on_mount.

    def on_mount(self) -> None:
        self.refresh_connection()
        self.show_more_keys()
        if self.connection.credentials is None:
            self._find_keys()
        if self._tasks:
            # Now, not after a refresh: the first frame shows the tree's keys.
            self._focus_tree()
            self._show_title()
            if len(self._tasks) > 1 or self._shown:
                self.call_after_refresh(self._open_all)
        else:
            self.query_one(QueryForm).focus_first()
        for note in self._notes:
            self.notify(note, severity="warning", timeout=15)
        # Now that focus is where it starts, so that the first frame has it with the keys
        # of the focused widget. Left alone, it draws nothing until a bindings update,
        # and then draws a refresh later. The palette has its entry on the line above:
        # docked right, the footer's own entry left a stray letter at 80 columns.
        footer = Footer(compact=True, show_command_palette=False)
        footer.bindings_changed(self)
        self.mount(footer)

    async def _build_form(self) -> QueryForm | None:
        """The form: there from the start, or built on the Query tab when first needed
        (see compose), filled with the task the app opened with. Every caller gets the one
        form, mounted; None once the app is closing."""
        if self._form_built is None:
            found = self.query(QueryForm)
            if found:
                return found.first()
            self._form_built = asyncio.create_task(self._mount_form())
        return await self._form_built

    async def _mount_form(self) -> QueryForm | None:
        form = self._form(self._tasks[0] if self._tasks else None)
        form.show_connection(self._connection_text())
        panes = self.query(f"#{QUERY_TAB}")
        if panes:
            await panes.first().mount(form)
        return form if form.is_mounted else None  # not when the app is closing

    async def _open_all(self) -> None:
        for ids in self._tasks[1:]:
            await self.open_task(ids)
        # The tab on show before a language switch, else the first task (a watch list
        # opens on its first line); after the refresh that shows the last tab opened.
        self.call_after_refresh(self._activate, self._shown or tab_id(self._tasks[0]))

    def shown_tab(self) -> str | None:
        """The id of the tab on show."""
        tabs = self._tabs_if_any()
        return tabs.active if tabs is not None else None

    def _find_keys(self) -> None:
        """No keys in the environment: look in the keyring, off the UI thread (and on a
        thread that a hanging keyring cannot use to hold up Ctrl+Q)."""
        in_background(self.connection.keys_found, self._keys_found)

    def _keys_found(self, found: credentials.Found | Exception | None) -> None:
        from snaptui import credentials
        from snaptui.volc.errors import CredentialsError

        if isinstance(found, Exception):
            # Only our own errors' text is shown: a library's may quote a stored value.
            text = str(found) if isinstance(found, CredentialsError) else type(found).__name__
            if not isinstance(found, credentials.KeyringUnavailable):  # it says what is wrong
                text = _("Could not read the keyring: {text}").format(text=text)
            self.action_credentials(sentence(text))
        elif found is None:
            self.action_credentials(
                _(
                    "No keys for profile {profile} in the environment or the keyring. "
                    "{help} Or enter them here."
                ).format(profile=repr(self.connection.profile), help=sentence(credentials.ENV_HELP))
            )
        else:
            if self.connection.credentials is None:  # keys entered meanwhile win
                self.connection.credentials = found.credentials
                self.connection.source = found.source
            self.refresh_connection()

    def action_credentials(self, reason: str = "") -> None:
        from snaptui.tui.screens.credentials import CredentialsScreen

        self.app.push_screen(
            CredentialsScreen(self.connection, reason), lambda _: self.refresh_connection()
        )

    def show_more_keys(self) -> None:
        """The keys the footer has no room for, in the footer's style, from the bindings
        themselves: the task's hidden ones (C, i, e), F2 and the palette."""
        shown: list[str] = []
        hidden = []
        view = self.active_view()
        for node in (view, self, self.app):
            if node is None:
                continue
            for binding in node.BINDINGS:
                if not isinstance(binding, Binding) or binding.id is None:
                    continue
                key = self.app.get_key_display(Binding(binding.key.split(",")[0], ""))
                if binding.show:
                    shown.append(binding.key_display or key)
                elif binding.priority or binding.id == "quit-q":
                    continue  # tab moves are on the tab bar, q is Ctrl+Q's twin
                else:
                    hidden.append((binding.key_display or key, binding.description))
        words = [
            Text.assemble((key, "bold"), " ", text)
            for key, text in hidden
            if not any(key in other.split("/") for other in shown)  # "-" is in "+/-"
        ]
        # Whole entries only: one cut at the edge leaves a key without its meaning (a lone
        # "t"), and Chinese words are two cells wide. The padding takes 2 cells.
        room = self.app.size.width - 2
        line = Text()
        for word in words:
            wider = Text("  ").join([line, word]) if line else word
            if wider.cell_len > room:
                break
            line = wider
        self.query_one("#more-keys", Static).update(line)

    def on_resize(self) -> None:
        self.show_more_keys()

    def refresh_connection(self) -> None:
        c = self.connection
        for form in self.query(QueryForm):  # none while it is not built yet
            form.show_connection(self._connection_text())
        self.sub_title = f"{c.profile} · {c.endpoint.name}"

    def _connection_text(self) -> str:
        c = self.connection
        keys = (
            f"{source_words(c.source)} {c.masked_access_key}"
            if c.credentials
            else _("no keys (F2 to add)")
        )
        return _("Profile {profile} · {url} ({region}) · {keys}").format(
            profile=c.profile, url=c.endpoint.url, region=c.endpoint.region, keys=keys
        )

    def _tabs_if_any(self) -> TabbedContent | None:
        found = self.query(TabbedContent)
        return found.first() if found else None

    async def _open_tabs(self, first: TabPane) -> None:
        """Build the tab bar around the first task: the form moves into a 'Query' tab."""
        old = self.query_one(QueryForm)
        form = self._form(old.values())
        form.show_connection(self._connection_text())
        # Not awaited: this may run inside the old form's own Enter, which its removal
        # would wait for.
        old.remove()
        await self.mount(self._tab_bar(first, form), after=self.query_one(Header))

    @staticmethod
    def _tab_bar(first: TabPane, form: QueryForm | None) -> TabbedContent:
        tabs = TabbedContent(id="tabs", initial=first.id or "")
        tabs.compose_add_child(TabPane(_("Query"), *([form] if form else []), id=QUERY_TAB))
        tabs.compose_add_child(first)
        return tabs

    def _task_pane(self, ids: Ids) -> TabPane:
        # Imported on first use: the tree and its models are not needed for the form.
        from snaptui.tui.widgets.task_view import TaskView

        return TabPane(ids[2], TaskView(ids, self.connection), id=tab_id(ids))

    def open_tasks(self) -> list[Ids]:
        """The tasks of the open tabs, in their order."""
        tabs = self._tabs_if_any()
        if tabs is None:
            return []
        return [view.ids for view in tabs.query("TaskView")]  # type: ignore[attr-defined]

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

    def on_task_view_answered(self, event: TaskView.Answered) -> None:
        """Kept in recent queries once it has answered: a typo that fails is not."""
        view = event.view
        if view.ids not in self._saved:
            self._saved.add(view.ids)
            recent = add_recent(view.ids, self.connection.profile)
            for form in self.query(QueryForm):  # a form built later reads the file
                form.set_recent(recent)

    def on_task_view_labelled(self, event: TaskView.Labelled) -> None:
        """Each tab says its task's status, and ✗ when it failed to load."""
        tabs = self._tabs_if_any()
        if tabs is None:
            return
        tab = tabs.get_tab(tab_id(event.view.ids))
        if tab is not None and str(tab.label) != event.label:
            tab.label = event.label
            # The tab bar redraws its underline on a relabel, before the wider tab
            # is laid out; tell it again once it is.
            self.call_after_refresh(tab.post_message, Tab.Relabelled(tab))

    async def open_task(self, ids: Ids) -> None:
        self._opened.add(ids)
        pane_id = tab_id(ids)
        tabs = self._tabs_if_any()
        if tabs is not None and tabs.query(f"#{pane_id}"):
            self._activate(pane_id)
            return
        pane = self._task_pane(ids)
        # Shown and focused at once, so that keys typed behind Enter go to the task.
        if tabs is None:
            await self._open_tabs(pane)
        else:
            await tabs.add_pane(pane)
            tabs.active = pane_id
            # Activated in the refresh that added it, the tab's underline is drawn at
            # 0 width: draw it again once the tab is laid out.
            tab = tabs.get_tab(pane_id)
            self.call_after_refresh(tab.post_message, Tab.Relabelled(tab))
        self._focus_tree()
        self.call_after_refresh(self._focus_tree)  # if it was not focusable yet

    def _activate(self, pane_id: str) -> None:
        tabs = self._tabs_if_any()
        if tabs is not None:
            tabs.active = pane_id
        self.call_after_refresh(self._focus_tree)

    def _focus_tree(self) -> None:
        self.show_more_keys()
        view = self.active_view()
        # Not when focus is in the task already: a key handled meanwhile (j, /) put it
        # where the user wants it.
        if view is not None and not view.has_focus_within:
            self.set_focus(view.query_one("#task-tree"))

    def on_task_view_finished(self, event: TaskView.Finished) -> None:
        if event.view.ids in self._said_ends:
            self._said_ends.discard(event.view.ids)
            return
        self.notify(
            event.outcome,
            title=event.view.title,
            severity="error" if event.failed else "information",
            timeout=8,
        )

    @on(TabbedContent.TabActivated)
    async def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self.show_more_keys)
        self._show_title()
        if self._has_focus_in(event.pane):
            return
        if event.pane.id == QUERY_TAB:
            form = await self._build_form()
            if form is not None and not self._has_focus_in(event.pane):
                form.focus_first()
        else:
            self.call_after_refresh(self._focus_tree)

    def _show_title(self) -> None:
        """The header names the task on show, App and Room too: a tab says only its TaskId
        (often a UserId), and the same one can run in two rooms."""
        view = self.active_view()
        self.title = task_title(view.ids) if view is not None else None

    def _has_focus_in(self, pane: TabPane) -> bool:
        """Ctrl+N (or a tab key) put focus in the pane at once, and the keys typed behind
        it may have moved it on since (App ID, Tab, Room ID): TabActivated comes later, and
        must not move it back."""
        return self.focused is not None and pane in self.focused.ancestors

    async def action_new_query(self) -> None:
        tabs = self._tabs_if_any()
        on_form = tabs is None or tabs.active == QUERY_TAB
        if tabs is not None:
            tabs.active = QUERY_TAB
        # At once: the ids typed behind Ctrl+N must land in the form, App ID first. From a
        # task, a new query starts empty; on the form, what is being typed stays (only the
        # ids of a task opened are cleared).
        if form := await self._build_form():
            form.start_new(self._opened if on_form else None)

    async def action_close_task(self) -> None:
        tabs = self._tabs_if_any()
        pane = tabs.active_pane if tabs is not None else None
        if tabs is None or pane is None or pane.id == QUERY_TAB:
            self.notify(
                _(
                    "The query form cannot be closed: Ctrl+W closes a task's tab. In a field, "
                    "Ctrl+U clears before the cursor and Ctrl+K after it."
                ),
                severity="warning",
            )
            return
        # The tab shown next (the one after, else the one before) is shown and focused
        # before this one goes: the keys typed behind Ctrl+W go there, not to the tab bar
        # that focus would fall back to.
        ids = [p.id or "" for p in tabs.query(TabPane)]
        at = ids.index(pane.id or "")
        tabs.active = ids[at + 1] if at + 1 < len(ids) else ids[at - 1]
        if tabs.active == QUERY_TAB:
            if form := await self._build_form():
                form.start_new(self._opened)
        else:
            self._focus_tree()
        # Not awaited: this runs in a key handler of the tab's own tree.
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
