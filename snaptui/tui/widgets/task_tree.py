"""The task as a Tree that updates in place, with search and vim-style folding.

Nodes are keyed by JSON path: an update changes only labels that changed and
adds or removes only children that came or went, so expansion and the cursor
survive every refresh and nothing else is repainted. Folded branches are not
built: a lazy branch (present's `Node.load`) is described and added when it opens,
and a search looks in the model, never in the widgets.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from snaptui.i18n import N_
from snaptui.present import (
    ACTIVE,
    FAILED,
    MUTED,
    OK,
    RUNNING,
    UNKNOWN,
    WAITING,
    Node,
    stream_key,
    stream_matches,
)
from snaptui.tui.language import localized
from snaptui.tui.widgets.focused_keys import FocusedKeys
from snaptui.volc.models import Stream

TONE_STYLES = {
    OK: Style(color="green", bold=True),
    RUNNING: Style(color="cyan", bold=True),
    WAITING: Style(color="yellow"),
    FAILED: Style(color="red", bold=True),
    UNKNOWN: Style(color="magenta", italic=True),
    MUTED: Style(dim=True),
    ACTIVE: Style(color="green"),
}
CHANGED = Style(reverse=True)
STREAM_LIST = "SnapshotTask.TargetStreams.StreamList"


def node_label(node: Node, changed: bool = False) -> Text:
    label = Text(node.label, style=Style(bold=True, dim=node.tone == MUTED))
    if node.value:
        label.append(": ")
        label.append(node.value, style=TONE_STYLES.get(node.tone, Style()))
    if changed:
        label.stylize(CHANGED, len(node.label) + 2 if node.value else 0)
    return label


class TaskTree(FocusedKeys, Tree[str]):
    """Shows a present.Node tree; `show(root)` reconciles it with what is on screen."""

    BINDINGS: ClassVar[list[BindingType]] = localized(
        [
            Binding(
                "space",
                "toggle_node",
                N_("Fold"),
                show=False,
                id="tree-toggle",
                tooltip=N_("Open or fold this branch"),
            ),
            Binding(
                "l,right",
                "unfold",
                N_("Unfold"),
                show=False,
                id="tree-unfold",
                tooltip=N_("Open this branch"),
            ),
            Binding(
                "h,left",
                "fold",
                N_("Fold"),
                show=False,
                id="tree-fold",
                tooltip=N_("Fold this branch (or go up)"),
            ),
            Binding(
                "L",
                "unfold_all",
                N_("Unfold all"),
                show=False,
                id="tree-unfold-all",
                tooltip=N_("Open every branch"),
            ),
            Binding(
                "H",
                "fold_all",
                N_("Fold all"),
                show=False,
                id="tree-fold-all",
                tooltip=N_("Fold every branch"),
            ),
            Binding(
                "g,home",
                "scroll_home",
                N_("Top"),
                show=False,
                id="tree-top",
                tooltip=N_("The first line"),
            ),
            Binding(
                "G,end",
                "scroll_end",
                N_("Bottom"),
                show=False,
                id="tree-bottom",
                tooltip=N_("The last line"),
            ),
        ]
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__("SnapshotTask", data="SnapshotTask", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 3
        self._model: dict[str, Node] = {}
        self._kids: dict[str, tuple[Node, ...]] = {}
        self._by_key: dict[str, TreeNode[str]] = {}
        self._marked: set[str] = set()
        self._filled: set[str] = set()
        self._streams: tuple[Stream, ...] = ()

    @property
    def model(self) -> dict[str, Node]:
        """Every node built so far, by key (folded lazy branches are not in it)."""
        return self._model

    def key_at_cursor(self) -> str | None:
        """The JSON path of the line under the cursor (`SnapshotTask.ImageConfig`)."""
        node = self.cursor_node
        return node.data if node is not None else None

    def value_at_cursor(self) -> str | None:
        """The value under the cursor as the JSON has it (`3`, not `Ended (3)`)."""
        node = self.cursor_node
        if node is None or node.data is None:
            return None
        shown = self._model.get(node.data)
        if shown is None:
            return None
        return shown.raw or shown.value or None

    def show(
        self, root: Node, changed: set[str] | None = None, streams: tuple[Stream, ...] = ()
    ) -> None:
        """Reconcile with `root`, marking the `changed` keys until the next call."""
        previous, previous_kids = self._model, self._kids
        first = not previous
        self._streams = streams
        self._model, self._kids = {}, {}
        self._collect(root)
        changed = changed or set()
        # Values marked last cycle lose their mark now.
        self.clear_marks(keep=changed)
        self._marked = changed
        self._by_key.setdefault(root.key, self.root)
        self._filled.add(root.key)
        self._reconcile(self.root, root, previous, previous_kids, first)

    def clear_marks(self, keep: set[str] | None = None) -> None:
        for key in self._marked - (keep or set()):
            if key in self._by_key and key in self._model:
                self._by_key[key].set_label(node_label(self._model[key]))
        self._marked = set(keep or ())

    def _collect(self, node: Node) -> None:
        """The model: built nodes, and lazy branches that are open on screen."""
        self._model[node.key] = node
        kids = node.children
        if node.load is not None and node.key in self._filled:
            kids = node.load()
        self._kids[node.key] = kids
        for child in kids:
            self._collect(child)

    def _reconcile(
        self,
        tree_node: TreeNode[str],
        node: Node,
        previous: dict[str, Node],
        previous_kids: dict[str, tuple[Node, ...]],
        first: bool,
    ) -> None:
        kids = self._kids[node.key]
        old_keys = [c.key for c in previous_kids.get(node.key, ())]
        new_keys = [c.key for c in kids]
        if old_keys != new_keys or first:
            self._replace_children(tree_node, kids, first)
        for child in kids:
            child_tree = self._by_key.get(child.key)
            if child_tree is None:
                continue
            old = previous.get(child.key)
            if old is not None and (old.text() != child.text() or old.tone != child.tone):
                child_tree.set_label(node_label(child, child.key in self._marked))
            elif child.key in self._marked:
                child_tree.set_label(node_label(child, True))
            if child.key in self._filled and child.branch:
                self._reconcile(child_tree, child, previous, previous_kids, first=False)

    def _replace_children(
        self, tree_node: TreeNode[str], kids: tuple[Node, ...], first: bool
    ) -> None:
        wanted = {c.key for c in kids}
        for existing in list(tree_node.children):
            if existing.data not in wanted:
                self._forget(existing)
                existing.remove()
        have = {c.data for c in tree_node.children}
        for index, child in enumerate(kids):
            if child.key in have:
                continue
            added = tree_node.add(
                node_label(child),
                child.key,
                before=index if index < len(tree_node.children) else None,
                allow_expand=child.branch,
            )
            self._by_key[child.key] = added
            if child.branch and child.expanded:
                self._fill(added, child)
                added.expand()

    def _fill(self, tree_node: TreeNode[str], node: Node) -> None:
        self._filled.add(node.key)
        kids = self._kids.get(node.key) or node.kids()
        self._kids[node.key] = kids
        for child in kids:
            self._model[child.key] = child
            self._kids.setdefault(child.key, child.children)
            added = tree_node.add(node_label(child), child.key, allow_expand=child.branch)
            self._by_key[child.key] = added
            if child.branch and child.expanded:
                self._fill(added, child)
                added.expand()

    def _forget(self, tree_node: TreeNode[str]) -> None:
        for child in tree_node.children:
            self._forget(child)
        if tree_node.data is not None:
            self._by_key.pop(tree_node.data, None)
            self._filled.discard(tree_node.data)

    def _open(self, key: str) -> TreeNode[str] | None:
        """Builds (if need be) and opens the branch at `key`."""
        tree_node = self._by_key.get(key)
        node = self._model.get(key)
        if tree_node is None or node is None:
            return None
        if key not in self._filled and node.branch:
            self._fill(tree_node, node)
        tree_node.expand()
        return tree_node

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        key = event.node.data
        if key is None or key in self._filled or key not in self._model:
            return
        self._fill(event.node, self._model[key])

    # -- moving and folding ------------------------------------------------------------

    def action_unfold(self) -> None:
        node = self.cursor_node
        if node is not None and node.data is not None:
            if node.allow_expand and not node.is_expanded:
                self._open(node.data)
            elif node.children:
                self.move_cursor(node.children[0])

    def action_fold(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_unfold_all(self) -> None:
        """Every branch that is built or small; a long stream list stays as it is (opening
        10,000 streams at once helps nobody: open it, or search in it)."""
        opened = True
        while opened:  # opening a branch shows folded branches under it: open those too
            opened = False
            for key, tree_node in list(self._by_key.items()):
                node = self._model.get(key)
                if node is None or not node.branch or node.load is not None:
                    continue
                if not tree_node.is_expanded:
                    self._open(key)
                    opened = True

    def action_fold_all(self) -> None:
        for tree_node in self._by_key.values():
            if tree_node is not self.root and tree_node.is_expanded:
                tree_node.collapse()
        self.cursor_line = 0

    def go_to(self, key: str) -> bool:
        """Moves the cursor to `key`, opening (and building) every branch on the way."""
        path = self._path_to(key)
        if path is None:
            return False
        for parent in path[:-1]:
            self._open(parent)
        target = self._by_key.get(path[-1])
        if target is None:
            return False
        # Once the rows just built have line numbers: the match, in the middle.
        self.call_after_refresh(self._move_to, target)
        return True

    def _move_to(self, target: TreeNode[str]) -> None:
        self.move_cursor(target)
        top = max(0, self.cursor_line - self.scrollable_content_region.height // 2)
        self.scroll_to(y=top, animate=False)

    def _path_to(self, key: str) -> list[str] | None:
        if key.startswith(STREAM_LIST + "[") and self._streams:
            # Streams sit in groups that may not be built yet: the path comes from the index.
            inside = key[len(STREAM_LIST) + 1 :].split("]", 1)[0]
            if ":" in inside:  # a group
                return [*self._ancestors(STREAM_LIST), STREAM_LIST, key]
            keys = stream_key(STREAM_LIST, int(inside), len(self._streams))
            deeper = [key] if key != keys[-1] else []
            return [*self._ancestors(STREAM_LIST), *keys, *deeper]
        if key not in self._model:
            return None
        return [*self._ancestors(key), key]

    def _ancestors(self, key: str) -> list[str]:
        """The keys above `key` that are shown in the tree (the root is hidden)."""
        out = [
            candidate
            for candidate in self._model
            if candidate != self.root.data and key.startswith((candidate + ".", candidate + "["))
        ]
        return sorted(out, key=len)

    # -- search ------------------------------------------------------------------------

    def matches(self, needle: str) -> list[str]:
        """Keys whose line mentions `needle`, in the order shown; the streams of the list
        are searched in the model (index, user, type), built or not."""
        needle = needle.casefold()
        found: list[str] = []
        if not needle:
            return found

        def visit(key: str) -> None:
            if key == STREAM_LIST and self._streams:
                node = self._model[key]
                if needle in node.text().casefold():
                    found.append(key)
                found.extend(f"{key}[{i}]" for i in stream_matches(self._streams, needle))
                return
            node = self._model[key]
            if node.key != self.root.data and needle in node.text().casefold():
                found.append(key)
            for child in self._kids.get(key, ()):
                visit(child.key)

        if self.root.data in self._model:
            visit(self.root.data)
        return found
