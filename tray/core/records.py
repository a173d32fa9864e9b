"""`@record`: a frozen dataclass for the classes the tray needs before its icon shows.

The standard dataclasses module costs some 5 ms to import (it loads inspect, and with it ast,
dis and tokenize) and half a millisecond for each class it makes (it writes their methods as
source and compiles them): about 9 ms of a 70 ms start to icon, for the eight small value
classes the icon and its menu need (tray/adapters/icon, tray/core/choices.py,
tray/config/paths.py). A record is what `@dataclass(frozen=True)` makes of such a class, built
without compiling anything: its fields are its annotations in order, with the class's values as
defaults; keyword or positional construction, `__post_init__`, equality and hashing by value
and class, a repr, and no attribute changes. `dataclass_transform` tells type checkers so.
Everything after the icon uses dataclasses as usual. In the core, the lowest layer, so that
every layer may use it; it is pure (no clock, files or threads), as the core's contract asks.
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_NO_DEFAULT = object()


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    names = tuple(cls.__annotations__)  # records do not inherit from one another
    defaults = {name: getattr(cls, name) for name in names if hasattr(cls, name)}
    post_init = getattr(cls, "__post_init__", None)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, {len(args)} given")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"{cls.__name__}() has no field {name!r}")
            if name in values:
                raise TypeError(f"{cls.__name__}() got {name!r} twice")
            values[name] = value
        for name in names:
            value = values.get(name, defaults.get(name, _NO_DEFAULT))
            if value is _NO_DEFAULT:
                raise TypeError(f"{cls.__name__}() needs {name!r}")
            object.__setattr__(self, name, value)
        if post_init is not None:
            post_init(self)

    def values(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__qualname__}({shown})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a {cls.__name__}")

    def __delattr__(self: Any, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a {cls.__name__}")

    for method in (__init__, __eq__, __hash__, __repr__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    cls.__match_args__ = names  # type: ignore[misc, attr-defined]  # `case Snooze(minutes)`
    cls.__record_fields__ = names  # type: ignore[attr-defined]
    return cls


def fields_of(cls: type) -> tuple[str, ...]:
    """A record's field names, in order."""
    names: tuple[str, ...] = cls.__record_fields__  # type: ignore[attr-defined]
    return names
