"""Record: a frozen, slotted value class declared like a dataclass.

The one-shot CLI pays for every class it creates at import: `dataclasses` (which pulls in
`inspect`) and thirteen generated model classes cost a fresh process ~15 ms, more than
the request itself. A Record class is made by a small metaclass instead; mypy still
checks every constructor call (`dataclass_transform`).
"""

from __future__ import annotations

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, dataclass_transform
else:

    def dataclass_transform(**_: object) -> object:
        """Only type checkers read what this decorator says."""
        return lambda cls: cls


class _RecordMeta(type):
    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
        # Names starting with _ are the class's own machinery, not fields.
        names = tuple(n for n in namespace.get("__annotations__", {}) if not n.startswith("_"))
        # A default is a class attribute; a slot cannot have one, so it is kept aside.
        namespace["_defaults"] = {n: namespace.pop(n) for n in names if n in namespace}
        namespace["__slots__"] = names
        namespace["__match_args__"] = names
        return super().__new__(mcs, name, bases, namespace)


@dataclass_transform(frozen_default=True)
class Record(metaclass=_RecordMeta):
    """Fields are the class's annotations, in order; one with a value has that default.
    Equal when the type and every field are equal; hashable; immutable."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, object]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__match_args__
        if len(args) == len(names) and not kwargs:  # the common, fast case
            for name, value in zip(names, args, strict=True):
                object.__setattr__(self, name, value)
            return
        values = dict(zip(names, args, strict=False))
        if len(args) > len(names) or not kwargs.keys() <= set(names) - values.keys():
            raise TypeError(f"{type(self).__name__}: wrong or repeated fields")
        values.update(kwargs)
        for name, default in self._defaults.items():
            values.setdefault(name, default)
        missing = [name for name in names if name not in values]
        if missing:
            raise TypeError(f"{type(self).__name__}: missing {', '.join(missing)}")
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__match_args__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__match_args__)
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self._values())
