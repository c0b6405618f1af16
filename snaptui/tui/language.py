"""Key descriptions and tooltips in the language of the moment.

Textual merges a class's BINDINGS once, when the class is created, and the footer, the
help and the palette read the description from there. So bindings are written with
`N_()` and wrapped in `localized()`, which translates them when the class is created
(after start-up chose the language) and keeps the English source, so that
`apply_language()` can translate every class again when the language is switched in
the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from snaptui import i18n


class LocalBindings(list[BindingType]):
    """The translated bindings of a class, with the English ones they came from."""

    def __init__(self, source: Iterable[BindingType]) -> None:
        self.source = list(source)
        super().__init__(_translated(b) for b in self.source)


def _translated(binding: BindingType) -> BindingType:
    if not isinstance(binding, Binding):
        return binding
    tooltip = i18n.translate(binding.tooltip) if binding.tooltip else ""
    return replace(binding, description=i18n.translate(binding.description), tooltip=tooltip)


def localized(bindings: Iterable[BindingType]) -> LocalBindings:
    return LocalBindings(bindings)


def _our_classes(base: type[DOMNode] = DOMNode) -> Iterator[type[DOMNode]]:
    for cls in base.__subclasses__():
        if cls.__module__.startswith("snaptui."):
            yield cls
        yield from _our_classes(cls)


def apply_language(language: str) -> None:
    """Set the language and translate the keys of every class already created; a
    widget created afterwards shows them in that language."""
    i18n.set_language(language)
    classes = list(dict.fromkeys(_our_classes()))
    for cls in classes:
        own = cls.__dict__.get("BINDINGS")
        if isinstance(own, LocalBindings):
            cls.BINDINGS = LocalBindings(own.source)
    for cls in classes:
        cls._merged_bindings = cls._merge_bindings()
