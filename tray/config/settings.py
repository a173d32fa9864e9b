"""Settings: one TOML file in the per-user config folder, every key validated.

The file is created with commented defaults on first run and is never rewritten by the app when
it cannot be read. A bad value costs only that key: it is reported with the file, the key, the
value and what is allowed, and its default is used. Unknown keys are reported and ignored. What
each key is, allows and means is in `schema`; this module reads the file by it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from tray.base import guard
from tray.config import schema
from tray.config.kinds import Invalid, show
from tray.config.schema import Settings, Theme
from tray.core.hours import format_offset

__all__ = ["DEFAULT_TEXT", "MAX_BYTES", "Invalid", "Problem", "Settings", "Theme", "ensure_file",
           "load", "read"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the settings file, said so a person can fix it."""

    path: Path
    where: str  # "[breaks] daily_cap", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        place = f"{self.path}, {self.where}" if self.where else str(self.path)
        return f"{self.message} (in {place})"


DEFAULT_TEXT = schema.commented_file(Settings())
_SECTIONS = set(schema.SECTIONS)


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
    values: dict[str, Any] = {}  # by Settings attribute, "hours.start" for the start of hours
    for section, content in data.items():
        if section not in _SECTIONS:
            problems.append(Problem(path, f"[{guard.shorten(section)}]",
                                    f"Unknown section [{guard.shorten(section)}] ignored"))
        elif not isinstance(content, dict):
            problems.append(Problem(path, section, f"{section} must be a [{section}] table, got "
                                                   f"{show(content)}; its defaults are "
                                                   "used"))
    for key in schema.KEYS:
        table = data.get(key.section)
        if not isinstance(table, dict) or key.name not in table:
            continue
        raw = table[key.name]
        try:
            values[key.attribute] = key.kind.parse(raw)
        except Invalid as error:
            problems.append(Problem(path, f"[{key.section}] {key.name}",
                                    f"{key.name} {error}, got {show(raw)}; using the "
                                    "default"))
    for section, content in data.items():
        if isinstance(content, dict) and section in _SECTIONS:
            for name in content:
                if (section, name) not in schema.BY_FIELD:
                    shown = guard.shorten(name)
                    problems.append(Problem(path, f"[{section}] {shown}",
                                            f"Unknown setting {shown} ignored"))
    defaults = Settings()
    start = values.get("hours.start", defaults.hours.start)
    end = values.get("hours.end", defaults.hours.end)
    if start >= end:
        problems.append(Problem(path, "[active_hours] end",
                                f"end {format_offset(end)} must be after start "
                                f"{format_offset(start)}; using "
                                f"{format_offset(defaults.hours.start)}-"
                                f"{format_offset(defaults.hours.end)}"))
        values.pop("hours.start", None)
        values.pop("hours.end", None)
        start, end = defaults.hours.start, defaults.hours.end
    interval = values.get("interval", defaults.interval)
    if interval >= end - start:
        problems.append(Problem(path, "[breaks] interval_minutes",
                                f"interval_minutes {interval // timedelta(minutes=1)} is not "
                                f"shorter than the active hours {format_offset(start)}-"
                                f"{format_offset(end)}, so no break would ever come"))
    return _settings(values)


def _settings(values: dict[str, Any]) -> Settings:
    """Settings with these attributes changed ("hours.start" changes the start of hours)."""
    flat: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for attribute, value in values.items():
        outer, _, inner = attribute.partition(".")
        if inner:
            nested.setdefault(outer, {})[inner] = value
        else:
            flat[outer] = value
    defaults = Settings()
    for outer, inner_values in nested.items():
        flat[outer] = replace(getattr(defaults, outer), **inner_values)
    return replace(defaults, **flat)


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
