"""Settings: one TOML file in the per-user config folder, every key validated.

The file is created with commented defaults on first run and is never rewritten by the app when
it cannot be read. A bad value costs only that key: it is reported with the file, the key, the
value and what is allowed, and its default is used. Unknown keys are reported and ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from tray.base import guard
from tray.core.hours import DAY_NAMES, ActiveHours, format_offset
from tray.core.model import AfterSleep


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Settings:
    interval: timedelta = timedelta(minutes=90)
    daily_cap: int = 5
    hours: ActiveHours = field(default_factory=ActiveHours)
    routine: str = "upper-back-hands-only"
    rounds: int = 4
    sound: bool = True
    font_scale: float = 1.0
    theme: Theme = Theme.LIGHT
    after_sleep: AfterSleep = AfterSleep.BREAK
    hold_when_fullscreen: bool = True
    hold_when_system_quiet: bool = True
    hold_during_calls: bool = True
    hold_minutes: int = 30


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the settings file, said so a person can fix it."""

    path: Path
    where: str  # "[breaks] daily_cap", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        place = f"{self.path}, {self.where}" if self.where else str(self.path)
        return f"{self.message} (in {place})"


DEFAULT_TEXT = """\
# Pointbreak settings. Edit and save: the tray picks changes up within a minute.
# A value that is not allowed is reported and its default used; this file is never overwritten.

[breaks]
# Minutes of work inside active hours before a break is offered (15 to 240).
interval_minutes = 90
# Prompts a day at most, 1 to 5. The routine's guidance is up to 5 sessions a day.
daily_cap = 5

[active_hours]
# Prompts come only inside these hours, on these days. "24:00" is allowed as an end.
start = "09:00"
end = "18:00"
days = ["mon", "tue", "wed", "thu", "fri"]

[routine]
# Which routine the prompt offers (a file name from the routines folder, without .toml).
name = "upper-back-hands-only"
# Rounds of pressure: 3 or 4.
rounds = 4
# A soft sound at each step change.
sound = true
# Text size in the routine window: 0.75 to 3.0 (2.0 is twice the normal size).
font_scale = 1.0
# "light" or "dark".
theme = "light"

[behaviour]
# What a sleep of the computer means: "break" (a natural break: the work count starts again)
# or "continue" (it counts as work time; a break that fell due comes once, after you are back).
after_sleep = "break"

[do_not_disturb]
# Hold a prompt while a window is fullscreen (a presentation, a film, a game).
fullscreen = true
# Hold a prompt while the desktop's own "do not disturb" is on (GNOME; Windows and macOS
# offer no way for an app to read theirs).
system = true
# Hold a prompt while the microphone or the camera is in use (a call, a recording).
calls = true
# How long a held prompt waits (1 to 120 minutes) before it comes as a notification only.
hold_minutes = 30
"""


class Invalid(ValueError):
    """A value that is not allowed; the message says what is."""


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"must be a whole number from {low} to {high}")
        return value
    return parse


def _choice(*allowed: Any) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
            raise Invalid("must be " + " or ".join(_show(a) for a in allowed))
        return value
    return parse


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def _scale(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.75 <= value <= 3.0:
        raise Invalid("must be a number from 0.75 to 3.0")
    return float(value)


_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def clock_offset(value: Any) -> timedelta:
    """'HH:MM' (00:00 to 24:00) as an offset from midnight."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise Invalid('must be a time "HH:MM" from "00:00" to "24:00"')
    return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))


_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_index(name: Any) -> int | None:
    if not isinstance(name, str):
        return None
    name = name.strip().lower()
    for names in (DAY_NAMES, _FULL_DAY_NAMES):
        if name in names:
            return names.index(name)
    return None


def _days(value: Any) -> frozenset[int]:
    indexes = [_day_index(d) for d in value] if isinstance(value, list) else []
    if not indexes or None in indexes:
        raise Invalid('must be a non-empty list of days such as ["mon", "tue", "wed"]')
    return frozenset(i for i in indexes if i is not None)


def _routine_name(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", value):
        raise Invalid("must be a routine name such as \"upper-back-hands-only\"")
    return value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{guard.shorten(value)}"'
    if isinstance(value, list):
        return guard.shorten("[" + ", ".join(_show(v) for v in value[:10]) + "]")
    if isinstance(value, dict):
        return "a table"
    return guard.shorten(repr(value))


@dataclass(frozen=True)
class _Key:
    section: str
    name: str
    attribute: str
    parse: Callable[[Any], Any]


_KEYS = (
    _Key("breaks", "interval_minutes", "interval", _whole(15, 240)),
    _Key("breaks", "daily_cap", "daily_cap", _whole(1, 5)),
    _Key("active_hours", "start", "start", clock_offset),
    _Key("active_hours", "end", "end", clock_offset),
    _Key("active_hours", "days", "days", _days),
    _Key("routine", "name", "routine", _routine_name),
    _Key("routine", "rounds", "rounds", _choice(3, 4)),
    _Key("routine", "sound", "sound", _boolean),
    _Key("routine", "font_scale", "font_scale", _scale),
    _Key("routine", "theme", "theme", _choice("light", "dark")),
    _Key("behaviour", "after_sleep", "after_sleep", _choice("break", "continue")),
    _Key("do_not_disturb", "fullscreen", "hold_when_fullscreen", _boolean),
    _Key("do_not_disturb", "system", "hold_when_system_quiet", _boolean),
    _Key("do_not_disturb", "calls", "hold_during_calls", _boolean),
    _Key("do_not_disturb", "hold_minutes", "hold_minutes", _whole(1, 120)),
)
_SECTIONS = {key.section for key in _KEYS}


MAX_BYTES = 1 << 20  # a settings file is a few KB; a bigger one is not a settings file


def read(path: Path) -> dict[str, Any] | None:
    """The file's TOML (None when there is no file). Raises guard.Refused saying why not."""
    raw = guard.read_file(path, limit=MAX_BYTES)
    return None if raw is None else guard.parse_toml(guard.text_of(raw))


def load(path: Path) -> tuple[Settings, list[Problem]]:
    """Read and validate the settings file. Never raises for what is in the file."""
    problems: list[Problem] = []
    try:
        data = read(path)
    except guard.Refused as error:
        return Settings(), [Problem(path, "", f"The settings file cannot be read: it {error}. "
                                               "Every setting uses its default until it is fixed")]
    if data is None:
        return Settings(), []
    return _validate(data, path, problems), problems


def _validate(data: dict[str, Any], path: Path, problems: list[Problem]) -> Settings:
    values: dict[str, Any] = {}
    for section, content in data.items():
        if section not in _SECTIONS:
            problems.append(Problem(path, f"[{guard.shorten(section)}]",
                                    f"Unknown section [{guard.shorten(section)}] ignored"))
        elif not isinstance(content, dict):
            problems.append(Problem(path, section, f"{section} must be a [{section}] table, got "
                                                   f"{_show(content)}; its defaults are used"))
    for key in _KEYS:
        table = data.get(key.section)
        if not isinstance(table, dict) or key.name not in table:
            continue
        raw = table[key.name]
        try:
            values[key.attribute] = key.parse(raw)
        except Invalid as error:
            problems.append(Problem(path, f"[{key.section}] {key.name}",
                                    f"{key.name} {error}, got {_show(raw)}; using the default"))
    for section, content in data.items():
        if isinstance(content, dict) and section in _SECTIONS:
            known = {k.name for k in _KEYS if k.section == section}
            for name in content:
                if name not in known:
                    shown = guard.shorten(name)
                    problems.append(Problem(path, f"[{section}] {shown}",
                                            f"Unknown setting {shown} ignored"))
    defaults = ActiveHours()
    start = values.pop("start", defaults.start)
    end = values.pop("end", defaults.end)
    days = values.pop("days", defaults.days)
    if start >= end:
        problems.append(Problem(path, "[active_hours] end",
                                f"end {format_offset(end)} must be after start "
                                f"{format_offset(start)}; using "
                                f"{format_offset(defaults.start)}-{format_offset(defaults.end)}"))
        start, end = defaults.start, defaults.end
    if "interval" in values:
        values["interval"] = timedelta(minutes=values["interval"])
    interval = values.get("interval", Settings.interval)
    if interval >= end - start:
        problems.append(Problem(path, "[breaks] interval_minutes",
                                f"interval_minutes {int(interval.total_seconds() // 60)} is not "
                                f"shorter than the active hours {format_offset(start)}-"
                                f"{format_offset(end)}, so no break would ever come"))
    if "theme" in values:
        values["theme"] = Theme(values["theme"])
    if "after_sleep" in values:
        values["after_sleep"] = AfterSleep(values["after_sleep"])
    return Settings(hours=ActiveHours(start, end, days), **values)


def ensure_file(path: Path) -> Problem | None:
    """Write the commented defaults if there is no settings file yet."""
    if os.path.lexists(path):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as file:
            file.write(DEFAULT_TEXT)
    except FileExistsError:
        return None
    except OSError as error:
        return Problem(path, "", f"The settings file cannot be created: {error.strerror}; "
                                 "the defaults are used")
    return None
