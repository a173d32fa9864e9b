"""The kinds of value a settings key may hold: what is allowed (a range, a few choices, a clock
time, days), how the file's value becomes the `Settings` value and back, and how the settings
window's form writes and reads it. The keys themselves are in `schema`.

What is allowed and what is wrong are said in the language shown when they are read: `allowed`
each time it is asked, a refusal (`Invalid`) as a `Said`, whose str() translates it then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from tray.base import guard
from tray.base.i18n import N_, _
from tray.core.hours import DAY_NAMES, format_offset


@dataclass(frozen=True)
class Said:
    """A sentence for a person, kept as its N_()-marked English and the values of its
    placeholders (texts, or Said themselves), and translated each time it is read (str): a
    message can be made before the language to say it in is known, as the settings file's
    problems are (the file names its own language)."""

    text: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return _(self.text).format(**{name: str(value) for name, value in self.values})


def said(text: str, **values: object) -> Said:
    return Said(text, tuple(values.items()))


class Invalid(ValueError):
    """A value that is not allowed; the message (a Said, args[0]) says what is."""

    def __init__(self, message: Said) -> None:
        super().__init__(message)
        self.said = message

    def __str__(self) -> str:
        return str(self.said)


def either(values: list[str]) -> str:
    """Values a person may give, as a message says them: '"light" or "dark"'."""
    text = values[0]
    for value in values[1:]:
        # TRANSLATORS: values of a setting, as written in the file ('"auto" or "on"'); said
        # again for each further value ('"auto" or "on" or "off"').
        text = _("{choices} or {choice}").format(choices=text, choice=value)
    return text


def span(low: object, high: object) -> str:
    # TRANSLATORS: what a setting allows, "15 to 240" (minutes, prompts a day...).
    return _("{low} to {high}").format(low=low, high=high)


def show(value: Any) -> str:
    """A value from the file as a message quotes it, cut short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{guard.shorten(value)}"'
    if isinstance(value, list):
        return guard.shorten("[" + ", ".join(show(v) for v in value[:10]) + "]")
    if isinstance(value, dict):
        return _("a table")
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
        return span(self.low, self.high)

    def parse(self, value: Any) -> Any:
        if not guard.is_whole(value, self.low, self.high):
            raise Invalid(said(N_("must be a whole number from {low} to {high}"), low=self.low,
                               high=self.high))
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
        return span(self.low, self.high)

    def parse(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                self.low <= value <= self.high):
            raise Invalid(said(N_("must be a number from {low} to {high}"), low=self.low,
                               high=self.high))
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

    # (the Settings value, its label in the form: N_()-marked English, or a Name)
    options: tuple[tuple[Any, str], ...]

    @property
    def values(self) -> tuple[Any, ...]:
        """The file's values, in order."""
        return tuple(self.to_file(value) for value, _label in self.options)

    @property
    def labels(self) -> list[str]:
        """The options' words in the form, in the language shown."""
        return [label if isinstance(label, Name) else _(label) for _value, label in self.options]

    @property
    def allowed(self) -> str:
        return either([show(value) for value in self.values])

    def parse(self, value: Any) -> Any:
        for option, _label in self.options:
            written = self.to_file(option)
            if value == written and isinstance(value, bool) == isinstance(written, bool):
                return option
        raise Invalid(said(N_("must be {allowed}"), allowed=Allowed(self)))

    def to_file(self, value: Any) -> Any:
        return value.value if isinstance(value, Enum) else value


class Name(str):
    """An option's label that is a name, the same in every language (each language is offered
    by its own name, "Deutsch", as a person looks for it in a list of languages)."""

    __slots__ = ()


@dataclass(frozen=True)
class Allowed:
    """What a kind allows, said when read (in the language shown then)."""

    kind: Kind

    def __str__(self) -> str:
        return self.kind.allowed


@dataclass(frozen=True)
class Quoted:
    """A value from the file as a message quotes it (see show), said when read."""

    value: Any

    def __str__(self) -> str:
        return show(self.value)


class Boolean(Kind):
    @property
    def allowed(self) -> str:
        return either(["true", "false"])

    def parse(self, value: Any) -> Any:
        if not isinstance(value, bool):
            raise Invalid(said(N_("must be {allowed}"), allowed=Allowed(self)))
        return value


_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Clock(Kind):
    """"HH:MM" (00:00 to 24:00) in the file, an offset from midnight in Settings."""

    @property
    def allowed(self) -> str:
        return span('"00:00"', '"24:00"')

    def parse(self, value: Any) -> Any:
        match = _CLOCK.match(value) if isinstance(value, str) else None
        if match is None or (match.group(1) == "24" and match.group(2) != "00"):
            raise Invalid(said(N_('must be a time "HH:MM" from {allowed}'),
                               allowed=Allowed(self)))
        return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))

    def to_file(self, value: Any) -> Any:
        return format_offset(value)


_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Days(Kind):
    """Day names in the file ("mon" or "monday", any case), weekday numbers in Settings."""

    @property
    def allowed(self) -> str:
        # TRANSLATORS: the list is written as in the settings file: keep it as it is.
        return _("a non-empty list of days such as {example}").format(
            example='["mon", "tue", "wed"]')

    def parse(self, value: Any) -> Any:
        indexes = [self._index(d) for d in value] if isinstance(value, list) else []
        if not indexes or None in indexes:
            raise Invalid(said(N_("must be {allowed}"), allowed=Allowed(self)))
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
        return _("a routine name such as {example}").format(example='"upper-back-hands-only"')

    def parse(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", value):
            raise Invalid(said(N_("must be {allowed}"), allowed=Allowed(self)))
        return value
