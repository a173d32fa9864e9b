"""Changing the settings file from the settings window: validate, then save keeping the person's
comments, layout and unknown keys (tomlkit round-trips the file), atomically.

The file stays the single source of truth: the window reads it, shows it, writes it back;
nothing else is stored. Validation is settings.py's own, so the window can never accept a value
the tray would refuse; the keys, their defaults and how a typed text is read are the schema's.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tray.base import guard
from tray.base.atomic import write_atomically
from tray.base.i18n import _
from tray.config.kinds import Invalid
from tray.config.schema import BY_FIELD, Field, Settings, values_of
from tray.config.settings import MAX_BYTES, _validate, default_text

__all__ = ["DEFAULTS", "Field", "Saved", "check", "from_text", "read_document", "save",
           "values_of"]

DEFAULTS = values_of(Settings())


def from_text(field: Field, text: str) -> Any:
    """What a person typed, as the value the file would hold (a bad text stays text, so that
    `check` reports it with the allowed range)."""
    return BY_FIELD[field].kind.from_text(text)


def check(values: Mapping[Field, Any]) -> dict[Field, str]:
    """Every problem with these values, by field, in words for the form ("" = none), in the
    language shown."""
    problems: dict[Field, str] = {}
    for field, value in values.items():
        try:
            BY_FIELD[field].kind.parse(value)
        except Invalid as error:
            problems[field] = _sentence(str(error))
    found: list[Any] = []
    _validate(_tables(values), Path("settings.toml"), found)
    start, end = values.get(("active_hours", "start")), values.get(("active_hours", "end"))
    for problem in found:
        section, _sep, key = problem.where.strip("[").partition("] ")
        if (section, key) in problems:
            continue  # its own value is wrong: that is what it says
        if (section, key) == ("active_hours", "end"):
            problems[(section, key)] = _("Must be after the start ({start})").format(start=start)
        elif (section, key) == ("breaks", "interval_minutes"):
            problems[(section, key)] = _("Must be shorter than the active hours ({start}-{end}), "
                                         "or no break would ever come").format(start=start,
                                                                               end=end)
        elif (section, key) in BY_FIELD:
            problems[(section, key)] = _sentence(problem.message)
    return problems


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tables(values: Mapping[Field, Any]) -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for (section, key), value in values.items():
        tables.setdefault(section, {})[key] = value
    return tables


@dataclass(frozen=True)
class Saved:
    path: Path
    kept_broken_as: Path | None = None  # an unreadable file was kept aside under this name


def read_document(path: Path) -> tuple[Any, str | None]:
    """The file as a tomlkit document, or the commented defaults and why the file could not
    be used (None when it could)."""
    import tomlkit

    try:
        raw = guard.read_file(path, limit=MAX_BYTES)
        if raw is None:
            return tomlkit.parse(default_text()), None
        guard.parse_toml(text := guard.text_of(raw))  # the limits first: depth, numbers
        return tomlkit.parse(text), None
    except guard.Refused as error:
        return tomlkit.parse(default_text()), str(error)
    except Exception as error:  # tomlkit's ParseError and friends
        return tomlkit.parse(default_text()), str(error)


def save(path: Path, values: Mapping[Field, Any],
         shown: Mapping[Field, Any] | None = None) -> Saved:
    """Write these values into the file, changing only what changed: against `shown` (what the
    form was showing, so an edit made meanwhile in a text editor to another key survives) or,
    without it, against the file. Raises ValueError for values `check` refuses and OSError when
    the file cannot be written (then nothing changed on disk)."""
    import tomlkit

    problems = check(values)
    if problems:
        raise ValueError("; ".join(f"[{s}] {k}: {m}" for (s, k), m in problems.items()))
    path = path.resolve()  # a settings file linked from a dotfiles folder stays linked
    document, broken = read_document(path)
    kept: Path | None = None
    if broken is not None and path.exists():
        kept = path.with_name(f"{path.name}.broken-{datetime.now():%Y%m%dT%H%M%S}")
        try:
            raw = guard.read_file(path, limit=MAX_BYTES)
        except guard.Refused as error:  # a FIFO or a device: nothing to keep, nothing to do
            # TRANSLATORS: {why} says what the file is: "is a named pipe (FIFO), not a file".
            raise OSError(errno.EINVAL, _("it {why}").format(why=error)) from None
        write_atomically(kept, raw or b"")  # a copy first: the person's text is kept
    if shown is not None:
        values = {f: v for f, v in values.items() if shown.get(f) != v}
    for (section, key), value in values.items():
        table = document.get(section)
        if not isinstance(table, dict):
            if value == DEFAULTS[(section, key)]:
                continue  # nothing to say that the default does not already say
            table = tomlkit.table()
            document[section] = table
        if key in table:
            if table[key] != value:
                table[key] = value
        elif value != DEFAULTS[(section, key)]:
            table[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_atomically(path, tomlkit.dumps(document).encode("utf-8"))
    except OSError:
        if kept is not None:
            kept.unlink(missing_ok=True)  # the broken file itself is still there
        raise
    return Saved(path, kept)
