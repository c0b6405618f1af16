"""The task as a Tree that updates in place.

Nodes are keyed by JSON path: an update changes only labels that changed and
adds or removes only children that came or went, so expansion and the cursor
survive every refresh and nothing else is repainted. Folded branches (10,000
streams) are filled in only when opened.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from snaptui.present import ACTIVE, FAILED, MUTED, OK, RUNNING, UNKNOWN, WAITING, Node

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


def node_label(node: Node, changed: bool = False) -> Text:
    label = Text(node.label, style=Style(bold=True, dim=node.tone == MUTED))
    if node.value:
        label.append(": ")
        label.append(node.value, style=TONE_STYLES.get(node.tone, Style()))
    if changed:
        label.stylize(CHANGED, len(node.label) + 2 if node.value else 0)
    return label


class TaskTree(Tree[str]):
    """Shows a present.Node tree; `show(root)` reconciles it with what is on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_node", "Fold", show=False, tooltip="Open or fold this branch"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__("SnapshotTask", data="SnapshotTask", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 3
        self._model: dict[str, Node] = {}
        self._by_key: dict[str, TreeNode[str]] = {}
        self._marked: set[str] = set()
        self._filled: set[str] = set()

    @property
    def model(self) -> dict[str, Node]:
        return self._model

    def value_at_cursor(self) -> str | None:
        node = self.cursor_node
        if node is None or node.data is None:
            return None
        shown = self._model.get(node.data)
        return shown.value if shown is not None and shown.value else None

    def show(self, root: Node, changed: set[str] | None = None) -> None:
        """Reconcile with `root`, marking the `changed` keys until the next call."""
        previous = self._model
        first = not previous
        self._model = {n.key: n for n in root.walk()}
        changed = changed or set()
        # Values marked last cycle lose their mark now.
        for key in self._marked - changed:
            if key in self._by_key and key in self._model:
                self._by_key[key].set_label(node_label(self._model[key]))
        self._marked = changed
        self._by_key.setdefault(root.key, self.root)
        self._filled.add(root.key)
        self._reconcile(self.root, root, previous, first)

    def _reconcile(
        self, tree_node: TreeNode[str], node: Node, previous: dict[str, Node], first: bool
    ) -> None:
        old_keys = [c.key for c in previous[node.key].children] if node.key in previous else []
        new_keys = [c.key for c in node.children]
        if old_keys != new_keys or first:
            self._replace_children(tree_node, node, first)
        for child in node.children:
            child_tree = self._by_key.get(child.key)
            if child_tree is None:
                continue
            old = previous.get(child.key)
            if old is not None and (old.text() != child.text() or old.tone != child.tone):
                child_tree.set_label(node_label(child, child.key in self._marked))
            elif child.key in self._marked:
                child_tree.set_label(node_label(child, True))
            if child.key in self._filled and child.children:
                self._reconcile(child_tree, child, previous, first=False)

    def _replace_children(self, tree_node: TreeNode[str], node: Node, first: bool) -> None:
        wanted = {c.key for c in node.children}
        for existing in list(tree_node.children):
            if existing.data not in wanted:
                self._forget(existing)
                existing.remove()
        have = {c.data for c in tree_node.children}
        for index, child in enumerate(node.children):
            if child.key in have:
                continue
            added = tree_node.add(
                node_label(child),
                child.key,
                before=index if index < len(tree_node.children) else None,
                allow_expand=bool(child.children),
            )
            self._by_key[child.key] = added
            if child.children and child.expanded:
                self._fill(added, child)
                added.expand()

    def _fill(self, tree_node: TreeNode[str], node: Node) -> None:
        self._filled.add(node.key)
        for child in node.children:
            added = tree_node.add(node_label(child), child.key, allow_expand=bool(child.children))
            self._by_key[child.key] = added
            if child.children and child.expanded:
                self._fill(added, child)
                added.expand()

    def _forget(self, tree_node: TreeNode[str]) -> None:
        for child in tree_node.children:
            self._forget(child)
        if tree_node.data is not None:
            self._by_key.pop(tree_node.data, None)
            self._filled.discard(tree_node.data)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        key = event.node.data
        if key is None or key in self._filled or key not in self._model:
            return
        self._fill(event.node, self._model[key])
