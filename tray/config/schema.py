"""The settings, once: the `Settings` the tray runs with and every key of the settings file.

Each `Key` says where it lives in the file (section and name), which attribute of `Settings` it
sets, its kind (which holds the range or the choices and turns the file's value into the
Settings value and back), its unit, and its words: the label (with "&" before its access letter)
and help of its row in the settings window, and the comment above it in the commented file;
marked for translation where they are written, translated where they are shown. The defaults
are those of `Settings()`. Built from `KEYS`: the loader and its check (`settings`), the
commented file written on first use, saving from the window (`settings_edit`), the window's rows
(tray/ui/settings_window) and `pointbreak settings show`.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from tray.base.i18n import N_, _, mnemonic
from tray.config.kinds import (
    Boolean,
    Choice,
    Clock,
    Days,
    Kind,
    Minutes,
    Name,
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
    # The words, N_()-marked English, translated where they are shown (the language can change
    # while a window runs): what a number counts, as a person says it after the number; the
    # window's row label with "&" before its access letter (Alt goes to the field), "" = on the
    # row of the key before it; the help beside the field ({allowed} is the kind's range); the
    # comment above the key in the commented file ({allowed} as in help).
    unit: str = ""
    label: str = ""
    help: str = ""
    comment: str = ""

    @property
    def field(self) -> Field:
        return (self.section, self.name)

    @property
    def label_text(self) -> tuple[str, int]:
        """The row's label in the language shown, and the index of its access letter (-1:
        none)."""
        return mnemonic(_(self.label)) if self.label else ("", -1)

    @property
    def help_text(self) -> str:
        return _(self.help).format(allowed=self.kind.allowed) if self.help else ""

    @property
    def comment_text(self) -> str:
        return _(self.comment).format(allowed=self.kind.allowed) if self.comment else ""

    @property
    def described(self) -> str:
        """What may be given, with the unit: "15 to 240 minutes"."""
        if not self.unit:
            return self.kind.allowed
        # TRANSLATORS: what a setting allows and its unit: "15 to 240" and "minutes".
        return _("{allowed} {unit}").format(allowed=self.kind.allowed, unit=_(self.unit))

    def get(self, settings: Settings) -> Any:
        value: Any = settings
        for part in self.attribute.split("."):
            value = getattr(value, part)
        return value

    def file_value(self, settings: Settings) -> Any:
        return self.kind.to_file(self.get(settings))


KEYS = (
    Key("breaks", "interval_minutes", "interval", Minutes(15, 240, step=5), unit=N_("minutes"),
        label=N_("&Break after"), help=N_("minutes of work ({allowed})"),
        comment=N_("Minutes of work inside active hours before a break is offered ({allowed}).")),
    Key("breaks", "daily_cap", "daily_cap", Whole(1, Rules.guidance_per_day),
        unit=N_("prompts a day"), label=N_("&Prompts a day"),
        help=N_("at most ({allowed}: the routine's guidance)"),
        comment=N_("Prompts a day at most, {allowed}. The routine's guidance is up to 5 sessions "
                   "a day.")),
    Key("active_hours", "start", "hours.start", Clock(), label=N_("Active &hours")),
    # TRANSLATORS: how a time is typed, beside the active hours' fields.
    Key("active_hours", "end", "hours.end", Clock(), help=N_("HH:MM")),
    Key("active_hours", "days", "hours.days", Days(), label=N_("Active days")),
    Key("routine", "name", "routine", RoutineName(), label=N_("&Routine"),
        comment=N_("Which routine the prompt offers (a file name from the routines folder, "
                   "without .toml).")),
    Key("routine", "rounds", "rounds", Choice(((3, N_("3 rounds")), (4, N_("4 rounds")))),
        unit=N_("rounds"), label=N_("Rou&nds"), comment=N_("Rounds of pressure: {allowed}.")),
    Key("routine", "sound", "sound", Boolean(), label=N_("S&ound"),
        help=N_("A soft chime at each step, at the 10-second mark and at the end"),
        comment=N_("A soft chime at each step, a different one at the 10-second mark of a press "
                   "and at the end.")),
    Key("routine", "volume", "volume", Whole(0, 100, step=5), unit="%", label=N_("&Volume"),
        help=N_("% ({allowed})"), comment=N_("How loud the chimes are: {allowed} %.")),
    Key("routine", "voice", "voice",
        Choice(((Voice.AUTO, N_("when a screen reader runs")), (Voice.ON, N_("always")),
                (Voice.OFF, N_("never")))),
        label=N_("Spo&ken steps"),
        comment=N_('A voice that says each step: "auto" (while a screen reader runs), "on" or '
                   '"off".')),
    Key("routine", "font_scale", "font_scale", Number(0.75, 3.0, step=0.25),
        unit=N_("times the normal size"), label=N_("Te&xt size"),
        help=N_("{allowed} (2.0 is twice the size)"),
        comment=N_("Text size in the routine window: {allowed} (2.0 is twice the normal size).")),
    Key("routine", "theme", "theme",
        Choice(((Theme.LIGHT, N_("Light")), (Theme.DARK, N_("Dark")))),
        label=N_("Th&eme"), comment=N_("{allowed}.")),
    # Each language by its own name (a Name: the same in every language), as a person looks for
    # it in a list of languages.
    Key("routine", "language", "language",
        # TRANSLATORS: the language setting's first choice: the language of the system.
        Choice(((Language.AUTO, N_("the system's")), (Language.EN, Name("English")),
                (Language.DE, Name("Deutsch")), (Language.ES, Name("Español")))),
        label=N_("Lan&guage"),
        comment=N_('The language of every window, menu and message, and of the voice: "auto" '
                   '(the system\'s), "en", "de" or "es".')),
    Key("behaviour", "after_sleep", "after_sleep",
        Choice(((AfterSleep.BREAK, N_("it was a break")),
                (AfterSleep.CONTINUE, N_("work time goes on")))),
        label=N_("&After a sleep"),
        comment=N_('What a sleep of the computer means: "break" (a natural break: the work count '
                   'starts again)\nor "continue" (it counts as work time; a break that fell due '
                   "comes once, after you are back).")),
    Key("do_not_disturb", "fullscreen", "hold_when_fullscreen", Boolean(),
        label=N_("Hold prompts &while"),
        # TRANSLATORS: a box beside "Hold prompts while"; the same words say why a break is
        # held ("Break held: a window is fullscreen"), so a short form that fits both is best.
        help=N_("a window is fullscreen"),
        comment=N_("Hold a prompt while a window is fullscreen (a presentation, a film, a "
                   "game).")),
    Key("do_not_disturb", "system", "hold_when_system_quiet", Boolean(),
        help=N_("the desktop's do not disturb is on"),
        comment=N_('Hold a prompt while the desktop\'s own "do not disturb" is on (GNOME; Windows '
                   "and macOS\noffer no way for an app to read theirs).")),
    Key("do_not_disturb", "calls", "hold_during_calls", Boolean(),
        help=N_("the microphone or camera is in use"),
        comment=N_("Hold a prompt while the microphone or the camera is in use (a call, a "
                   "recording).")),
    Key("do_not_disturb", "hold_minutes", "hold_minutes", Whole(1, 120, step=5),
        unit=N_("minutes"), label=N_("Hold at &most"),
        help=N_("minutes, then a notification only ({allowed})"),
        comment=N_("How long a held prompt waits ({allowed} minutes) before it comes as a "
                   "notification only.")),
)
BY_FIELD = {key.field: key for key in KEYS}
SECTIONS = tuple(dict.fromkeys(key.section for key in KEYS))
SECTION_NOTES = {"active_hours": N_('Prompts come only inside these hours, on these days. '
                                    '"24:00" is allowed as an end.')}
HEADER = N_("Pointbreak settings. Edit and save: the tray picks changes up within a minute.\n"
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
    """The settings file as written on first use: every key with its value and its comment, the
    comments in the language shown (the keys and values are the file's own)."""
    lines = _comment(_(HEADER))
    for section in SECTIONS:
        note = SECTION_NOTES.get(section)
        lines += ["", f"[{section}]", *_comment(_(note) if note else "")]
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
