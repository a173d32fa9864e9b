"""Settings: one TOML file in the per-user config folder, every key validated.

The file is created with commented defaults on first run and is never rewritten by the app when
it cannot be read. A bad value costs only that key: it is reported with the file, the key, the
value and what is allowed, and its default is used. Unknown keys are reported and ignored. What
each key is, allows and means is in `schema`; this module reads the file by it.

A problem's message is said in the language shown when it is read (its str()): the file is read
before the language it names is known.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from tray.base import guard, i18n
from tray.base.i18n import N_, _
from tray.config import schema
from tray.config.kinds import Invalid, Quoted, Said, said
from tray.config.schema import Settings, Theme
from tray.core.hours import format_offset

__all__ = ["MAX_BYTES", "Invalid", "Problem", "Settings", "Theme", "default_text", "ensure_file",
           "load", "read"]

UNKNOWN_SECTION = N_("Unknown section {section} ignored")
UNKNOWN_KEY = N_("Unknown setting {key} ignored")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the settings file, said so a person can fix it."""

    path: Path
    where: str  # "[breaks] daily_cap", or "" for the file as a whole
    said: Said

    @property
    def message(self) -> str:
        return str(self.said)

    @property
    def is_unknown(self) -> bool:
        """A section or key Pointbreak does not know (ignored), not a value it refused."""
        return self.said.text in (UNKNOWN_SECTION, UNKNOWN_KEY)

    def __str__(self) -> str:
        if self.where:
            # TRANSLATORS: {where} is a place in the settings file: "[breaks] daily_cap".
            return _("{message} (in {path}, {where})").format(message=self.message,
                                                              path=self.path, where=self.where)
        return _("{message} (in {path})").format(message=self.message, path=self.path)


def default_text() -> str:
    """The commented defaults written on first use, in the language `language = "auto"` (the
    default, as there is no file yet) shows."""
    shown, wanted = i18n.language(), i18n.choose(Settings().language.value)
    if wanted == shown:
        return schema.commented_file(Settings())
    i18n.use(wanted)
    try:
        return schema.commented_file(Settings())
    finally:
        i18n.use(shown)


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
        return Settings(), [Problem(path, "", said(
            # TRANSLATORS: {why} says what is wrong with the file: "is a named pipe (FIFO),
            # not a file".
            N_("The settings file cannot be read: it {why}. Every setting uses its default "
               "until it is fixed"), why=error))]
    if data is None:
        return Settings(), []
    return _validate(data, path, problems), problems


def _validate(data: dict[str, Any], path: Path, problems: list[Problem]) -> Settings:
    values: dict[str, Any] = {}  # by Settings attribute, "hours.start" for the start of hours
    for section, content in data.items():
        if section not in _SECTIONS:
            shown = f"[{guard.shorten(section)}]"
            problems.append(Problem(path, shown, said(UNKNOWN_SECTION, section=shown)))
        elif not isinstance(content, dict):
            problems.append(Problem(path, section, said(
                N_("{section} must be a {table} table, got {value}; its defaults are used"),
                section=section, table=f"[{section}]", value=Quoted(content))))
    for key in schema.KEYS:
        table = data.get(key.section)
        if not isinstance(table, dict) or key.name not in table:
            continue
        raw = table[key.name]
        try:
            values[key.attribute] = key.kind.parse(raw)
        except Invalid as error:
            problems.append(Problem(path, f"[{key.section}] {key.name}", said(
                # TRANSLATORS: {problem} says what the value must be: "must be a whole number
                # from 1 to 5".
                N_("{key} {problem}, got {value}; using the default"), key=key.name,
                problem=error.said, value=Quoted(raw))))
    for section, content in data.items():
        if isinstance(content, dict) and section in _SECTIONS:
            for name in content:
                if (section, name) not in schema.BY_FIELD:
                    shown = guard.shorten(name)
                    problems.append(Problem(path, f"[{section}] {shown}",
                                            said(UNKNOWN_KEY, key=shown)))
    defaults = Settings()
    start = values.get("hours.start", defaults.hours.start)
    end = values.get("hours.end", defaults.hours.end)
    if start >= end:
        problems.append(Problem(path, "[active_hours] end", said(
            N_("end {end} must be after start {start}; using {default_start}-{default_end}"),
            end=format_offset(end), start=format_offset(start),
            default_start=format_offset(defaults.hours.start),
            default_end=format_offset(defaults.hours.end))))
        values.pop("hours.start", None)
        values.pop("hours.end", None)
        start, end = defaults.hours.start, defaults.hours.end
    interval = values.get("interval", defaults.interval)
    if interval >= end - start:
        problems.append(Problem(path, "[breaks] interval_minutes", said(
            N_("interval_minutes {minutes} is not shorter than the active hours {start}-{end}, "
               "so no break would ever come"), minutes=interval // timedelta(minutes=1),
            start=format_offset(start), end=format_offset(end))))
    return _settings(values)


def _settings(values: dict[str, Any]) -> Settings:
    """Settings with these attributes changed ("hours.start" changes the start of hours)."""
    flat: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for attribute, value in values.items():
        outer, _dot, inner = attribute.partition(".")
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
            file.write(default_text())
    except FileExistsError:
        return None
    except OSError as error:
        return Problem(path, "", said(N_("The settings file cannot be created: {why}; the "
                                         "defaults are used"), why=error.strerror or error))
    return None
