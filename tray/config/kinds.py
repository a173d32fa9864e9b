"""The kinds of value a settings key may hold: what is allowed (a range, a few choices, a clock
time, days), how the file's value becomes the `Settings` value and back, and how the settings
window's form writes and reads it. The keys themselves are in `schema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from tray.base import guard
from tray.core.hours import DAY_NAMES, format_offset


class Invalid(ValueError):
    """A value that is not allowed; the message says what is."""


def show(value: Any) -> str:
    """A value from the file as a message quotes it, cut short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{guard.shorten(value)}"'
    if isinstance(value, list):
        return guard.shorten("[" + ", ".join(show(v) for v in value[:10]) + "]")
    if isinstance(value, dict):
        return "a table"
    return guard.shorten(repr(value))


class Kind:
    """The base of the kinds: by itself the file holds a value as Settings does."""

    @property
    def allowed(self) -> str:
        """What may be given, as a message and `settings show` say it."""
        return ""

    def parse(self, value: Any) -> Any:
        """The file's value as the Settings value; Invalid says what is allowed."""
        raise NotImplementedError

    def to_file(self, value: Any) -> Any:
        """The Settings value as the file holds it."""
        return value

    def from_text(self, text: str) -> Any:
        """What a person typed in the form, as the file's value (a bad text stays text)."""
        return text.strip()

    def as_text(self, value: Any) -> str:
        """The file's value as the form shows it."""
        return str(value)


@dataclass(frozen=True)
class Whole(Kind):
    low: int
    high: int
    step: int = 1  # of the form's spin box

    @property
    def allowed(self) -> str:
        return f"{self.low} to {self.high}"

    def parse(self, value: Any) -> Any:
        if not guard.is_whole(value, self.low, self.high):
            raise Invalid(f"must be a whole number from {self.low} to {self.high}")
        return value

    def from_text(self, text: str) -> Any:
        try:
            return int(text.strip())
        except ValueError:
            return text.strip()


@dataclass(frozen=True)
class Minutes(Whole):
    """Whole minutes in the file, a timedelta in Settings."""

    def parse(self, value: Any) -> Any:
        return timedelta(minutes=super().parse(value))

    def to_file(self, value: Any) -> Any:
        return value // timedelta(minutes=1)


@dataclass(frozen=True)
class Number(Kind):
    low: float
    high: float
    step: float

    @property
    def allowed(self) -> str:
        return f"{self.low} to {self.high}"

    def parse(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                self.low <= value <= self.high):
            raise Invalid(f"must be a number from {self.low} to {self.high}")
        return float(value)

    def from_text(self, text: str) -> Any:
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            return text.strip()

    def as_text(self, value: Any) -> str:
        return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"


@dataclass(frozen=True)
class Choice(Kind):
    """One of a few values, each with the words the form shows for it."""

    options: tuple[tuple[Any, str], ...]  # (the Settings value, its label in the form)

    @property
    def values(self) -> tuple[Any, ...]:
        """The file's values, in order."""
        return tuple(self.to_file(value) for value, _ in self.options)

    @property
    def allowed(self) -> str:
        return " or ".join(show(value) for value in self.values)

    def parse(self, value: Any) -> Any:
        for option, _ in self.options:
            written = self.to_file(option)
            if value == written and isinstance(value, bool) == isinstance(written, bool):
                return option
        raise Invalid(f"must be {self.allowed}")

    def to_file(self, value: Any) -> Any:
        return value.value if isinstance(value, Enum) else value


class Boolean(Kind):
    @property
    def allowed(self) -> str:
        return "true or false"

    def parse(self, value: Any) -> Any:
        if not isinstance(value, bool):
            raise Invalid("must be true or false")
        return value


_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Clock(Kind):
    """"HH:MM" (00:00 to 24:00) in the file, an offset from midnight in Settings."""

    @property
    def allowed(self) -> str:
        return '"00:00" to "24:00"'

    def parse(self, value: Any) -> Any:
        match = _CLOCK.match(value) if isinstance(value, str) else None
        if match is None or (match.group(1) == "24" and match.group(2) != "00"):
            raise Invalid(f'must be a time "HH:MM" from {self.allowed}')
        return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))

    def to_file(self, value: Any) -> Any:
        return format_offset(value)


_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Days(Kind):
    """Day names in the file ("mon" or "monday", any case), weekday numbers in Settings."""

    @property
    def allowed(self) -> str:
        return 'a non-empty list of days such as ["mon", "tue", "wed"]'

    def parse(self, value: Any) -> Any:
        indexes = [self._index(d) for d in value] if isinstance(value, list) else []
        if not indexes or None in indexes:
            raise Invalid(f"must be {self.allowed}")
        return frozenset(i for i in indexes if i is not None)

    @staticmethod
    def _index(name: Any) -> int | None:
        if not isinstance(name, str):
            return None
        name = name.strip().lower()
        for names in (DAY_NAMES, _FULL_DAY_NAMES):
            if name in names:
                return names.index(name)
        return None

    def to_file(self, value: Any) -> Any:
        return [DAY_NAMES[d] for d in sorted(value)]


class RoutineName(Kind):
    @property
    def allowed(self) -> str:
        return 'a routine name such as "upper-back-hands-only"'

    def parse(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", value):
            raise Invalid(f"must be {self.allowed}")
        return value
