"""Keys in the order a binding lists them: "h,left" shows "h ←", not "← h"."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding


def in_declared_order(
    owner: object, keys: Iterable[str], picks: Callable[[Binding], bool]
) -> list[str]:
    """`keys` sorted as the bindings `picks` chooses among the owner's class's (and its
    bases') BINDINGS list them; a key none of them lists goes last. Textual's active
    bindings come in another order, that of each key's first binding anywhere."""
    declared = [
        key
        for cls in type(owner).__mro__
        for binding in getattr(cls, "BINDINGS", ())
        if isinstance(binding, Binding) and picks(binding)
        for key in binding.key.split(",")
    ]
    return sorted(keys, key=lambda k: declared.index(k) if k in declared else len(declared))
