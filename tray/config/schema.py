"""The settings, once: the `Settings` the tray runs with and every key of the settings file.

Each `Key` says where it lives in the file (section and name), which attribute of `Settings` it
sets, its kind (which holds the range or the choices and turns the file's value into the
Settings value and back), its unit, and its words: the label, access letter and help of its row
in the settings window, and the comment above it in the commented file. The defaults are those
of `Settings()`. Built from `KEYS`: the loader and its check (`settings`), the commented file
written on first use, saving from the window (`settings_edit`), the window's rows
(tray/ui/settings_window) and `pointbreak settings show`.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from tray.config.kinds import (
    Boolean,
    Choice,
    Clock,
    Days,
    Kind,
    Minutes,
    Number,
    RoutineName,
    Whole,
)
from tray.core.hours import ActiveHours
from tray.core.model import AfterSleep, Rules


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class Language(StrEnum):
    AUTO = "auto"  # the system's (tray.base.i18n.choose)
    EN = "en"
    DE = "de"
    ES = "es"


class Voice(StrEnum):
    AUTO = "auto"  # on while a screen reader runs
    ON = "on"
    OFF = "off"


@dataclass(frozen=True)
class Settings:
    interval: timedelta = timedelta(minutes=90)
    daily_cap: int = 5
    hours: ActiveHours = field(default_factory=ActiveHours)
    routine: str = "upper-back-hands-only"
    rounds: int = 4
    sound: bool = True
    volume: int = 70
    voice: Voice = Voice.AUTO
    font_scale: float = 1.0
    theme: Theme = Theme.LIGHT
    language: Language = Language.AUTO
    after_sleep: AfterSleep = AfterSleep.BREAK
    hold_when_fullscreen: bool = True
    hold_when_system_quiet: bool = True
    hold_during_calls: bool = True
    hold_minutes: int = 30


Field = tuple[str, str]  # (section, key) as in the file


@dataclass(frozen=True)
class Key:
    section: str
    name: str
    attribute: str  # of Settings; "hours.start" is the start of Settings.hours
    kind: Kind
    unit: str = ""  # what a number counts, as a person says it after the number
    label: str = ""  # the window's row label; "" = on the row of the key before it
    access: str = ""  # the letter of the label that Alt goes to the field with
    help: str = ""  # beside the field in the window; {allowed} is the kind's range
    comment: str = ""  # above the key in the commented file; {allowed} as in help

    @property
    def field(self) -> Field:
        return (self.section, self.name)

    @property
    def help_text(self) -> str:
        return self.help.format(allowed=self.kind.allowed)

    @property
    def comment_text(self) -> str:
        return self.comment.format(allowed=self.kind.allowed)

    @property
    def described(self) -> str:
        """What may be given, with the unit: "15 to 240 minutes"."""
        return f"{self.kind.allowed} {self.unit}".strip()

    def get(self, settings: Settings) -> Any:
        value: Any = settings
        for part in self.attribute.split("."):
            value = getattr(value, part)
        return value

    def file_value(self, settings: Settings) -> Any:
        return self.kind.to_file(self.get(settings))


KEYS = (
    Key("breaks", "interval_minutes", "interval", Minutes(15, 240, step=5), unit="minutes",
        label="Break after", access="b", help="minutes of work ({allowed})",
        comment="Minutes of work inside active hours before a break is offered ({allowed})."),
    Key("breaks", "daily_cap", "daily_cap", Whole(1, Rules.guidance_per_day), unit="prompts a day",
        label="Prompts a day", access="p", help="at most ({allowed}: the routine's guidance)",
        comment="Prompts a day at most, {allowed}. The routine's guidance is up to 5 sessions "
                "a day."),
    Key("active_hours", "start", "hours.start", Clock(), label="Active hours", access="h"),
    Key("active_hours", "end", "hours.end", Clock(), help="HH:MM"),
    Key("active_hours", "days", "hours.days", Days(), label="Active days"),
    Key("routine", "name", "routine", RoutineName(), label="Routine", access="r",
        comment="Which routine the prompt offers (a file name from the routines folder, "
                "without .toml)."),
    Key("routine", "rounds", "rounds", Choice(((3, "3 rounds"), (4, "4 rounds"))),
        unit="rounds", label="Rounds", access="n", comment="Rounds of pressure: {allowed}."),
    Key("routine", "sound", "sound", Boolean(), label="Sound", access="o",
        help="A soft chime at each step, at the 10-second mark and at the end",
        comment="A soft chime at each step, a different one at the 10-second mark of a press "
                "and at the end."),
    Key("routine", "volume", "volume", Whole(0, 100, step=5), unit="%", label="Volume",
        access="v", help="% ({allowed})", comment="How loud the chimes are: {allowed} %."),
    Key("routine", "voice", "voice",
        Choice(((Voice.AUTO, "when a screen reader runs"), (Voice.ON, "always"),
                (Voice.OFF, "never"))),
        label="Spoken steps", access="k",
        comment='A voice that says each step: "auto" (while a screen reader runs), "on" or '
                '"off".'),
    Key("routine", "font_scale", "font_scale", Number(0.75, 3.0, step=0.25),
        unit="times the normal size", label="Text size", access="x",
        help="{allowed} (2.0 is twice the size)",
        comment="Text size in the routine window: {allowed} (2.0 is twice the normal size)."),
    Key("routine", "theme", "theme", Choice(((Theme.LIGHT, "Light"), (Theme.DARK, "Dark"))),
        label="Theme", access="e", comment="{allowed}."),
    # Each language by its own name, as a person looks for it in a list of languages.
    Key("routine", "language", "language",
        Choice(((Language.AUTO, "the system's"), (Language.EN, "English"),
                (Language.DE, "Deutsch"), (Language.ES, "Español"))),
        label="Language", access="g",
        comment='The language of every window, menu and message, and of the voice: "auto" '
                '(the system\'s), "en", "de" or "es".'),
    Key("behaviour", "after_sleep", "after_sleep",
        Choice(((AfterSleep.BREAK, "it was a break"), (AfterSleep.CONTINUE, "work time goes on"))),
        label="After a sleep", access="a",
        comment='What a sleep of the computer means: "break" (a natural break: the work count '
                'starts again)\nor "continue" (it counts as work time; a break that fell due '
                "comes once, after you are back)."),
    Key("do_not_disturb", "fullscreen", "hold_when_fullscreen", Boolean(),
        label="Hold prompts while", access="w", help="a window is fullscreen",
        comment="Hold a prompt while a window is fullscreen (a presentation, a film, a game)."),
    Key("do_not_disturb", "system", "hold_when_system_quiet", Boolean(),
        help="the desktop's do not disturb is on",
        comment='Hold a prompt while the desktop\'s own "do not disturb" is on (GNOME; Windows '
                "and macOS\noffer no way for an app to read theirs)."),
    Key("do_not_disturb", "calls", "hold_during_calls", Boolean(),
        help="the microphone or camera is in use",
        comment="Hold a prompt while the microphone or the camera is in use (a call, a "
                "recording)."),
    Key("do_not_disturb", "hold_minutes", "hold_minutes", Whole(1, 120, step=5), unit="minutes",
        label="Hold at most", access="m", help="minutes, then a notification only ({allowed})",
        comment="How long a held prompt waits ({allowed} minutes) before it comes as a "
                "notification only."),
)
BY_FIELD = {key.field: key for key in KEYS}
SECTIONS = tuple(dict.fromkeys(key.section for key in KEYS))
SECTION_NOTES = {"active_hours": 'Prompts come only inside these hours, on these days. "24:00" '
                                 "is allowed as an end."}
HEADER = ("Pointbreak settings. Edit and save: the tray picks changes up within a minute.\n"
          "A value that is not allowed is reported and its default used; this file is never "
          "overwritten.")


def values_of(settings: Settings) -> dict[Field, Any]:
    """The file's values for these settings, as TOML would hold them, in the file's order."""
    return {key.field: key.file_value(settings) for key in KEYS}


def toml_value(value: Any) -> str:
    """A file's value (a boolean, number, string or list of them) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value).replace("\x7f", "\\u007f")  # JSON's escapes, and TOML's DEL
    return repr(value)


def _comment(text: str) -> list[str]:
    """A comment's lines: broken where the text says, and wherever a line would be too long."""
    return [line for part in text.split("\n")
            for line in textwrap.wrap(part, width=100, initial_indent="# ",
                                      subsequent_indent="# ")]


def commented_file(settings: Settings) -> str:
    """The settings file as written on first use: every key with its value and its comment."""
    lines = _comment(HEADER)
    for section in SECTIONS:
        lines += ["", f"[{section}]", *_comment(SECTION_NOTES.get(section, ""))]
        for key in KEYS:
            if key.section == section:
                lines += [*_comment(key.comment_text),
                          f"{key.name} = {toml_value(key.file_value(settings))}"]
    return "\n".join(lines) + "\n"


def listing(settings: Settings) -> list[str]:
    """These settings as TOML, by section, each key with what may be given beside it."""
    lines: list[str] = []
    for section in SECTIONS:
        lines += [*([""] if lines else []), f"[{section}]"]
        lines += [f"{key.name} = {toml_value(key.file_value(settings))}  # {key.described}"
                  for key in KEYS if key.section == section]
    return lines
