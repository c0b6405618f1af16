"""Record: a frozen value class declared like a dataclass, stored as a tuple.

The one-shot CLI pays for every class it creates at import: `dataclasses` (which pulls in
`inspect`) and thirteen generated model classes cost a fresh process ~15 ms, more than
the request itself. A Record class is made by a small metaclass instead, and an instance
is one `tuple.__new__` call, so 100,000 streams build fast too. mypy still checks every
constructor call (`dataclass_transform`).
"""

from __future__ import annotations

from operator import itemgetter

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
        # A default is a class attribute; the field's accessor takes its place.
        namespace["_defaults"] = {n: namespace.pop(n) for n in names if n in namespace}
        for index, field in enumerate(names):
            namespace[field] = property(itemgetter(index), doc=field)
        namespace["__slots__"] = ()
        namespace["__match_args__"] = names
        return super().__new__(mcs, name, bases, namespace)


@dataclass_transform(frozen_default=True)
class Record(tuple, metaclass=_RecordMeta):  # type: ignore[type-arg]
    """Fields are the class's annotations, in order; one with a value has that default.
    Immutable and hashable; equal only to a record of the same type and values."""

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, object]] = {}

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        names = cls.__match_args__
        if len(args) == len(names) and not kwargs:  # the common, fast case
            return tuple.__new__(cls, args)
        values = dict(zip(names, args, strict=False))
        if len(args) > len(names) or not kwargs.keys() <= set(names) - values.keys():
            raise TypeError(f"{cls.__name__}: wrong or repeated fields")
        values.update(kwargs)
        for name, default in cls._defaults.items():
            values.setdefault(name, default)
        missing = [name for name in names if name not in values]
        if missing:
            raise TypeError(f"{cls.__name__}: missing {', '.join(missing)}")
        return tuple.__new__(cls, [values[name] for name in names])

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(self.__match_args__, self, strict=True)
        )
        return f"{type(self).__name__}({shown})"

    def __getnewargs__(self) -> tuple[object, ...]:
        return tuple(self)
