"""The person's profile, loaded together: folders, settings, the chosen routine and the rules.

Everything here reports problems instead of raising: a bad settings file or routine costs only
what is bad, and the messages are collected in `problems` for the caller to show. Loading the
profile also chooses the language every text is shown in from then on (its `language`
setting, tray.base.i18n.use), so those messages and all that follows are in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from pathlib import Path

from routines.routine import DEFAULT_ROUTINE, Routine, load_all
from tray.base import i18n
from tray.base.i18n import _
from tray.config import settings as settings_file
from tray.config.localtime import local_zone
from tray.config.paths import Folders, folders
from tray.config.settings import Settings
from tray.core.model import Rules


@dataclass
class Profile:
    folders: Folders
    settings: Settings
    routine: Routine
    zone: tzinfo
    problems: list[str] = field(default_factory=list)
    is_settings_unreadable: bool = False  # the file as a whole, not one key

    @property
    def rules(self) -> Rules:
        return rules_for(self.settings, self.routine.length(self.settings.rounds), self.zone)


def routines_folder(where: Folders) -> Path:
    """The person's own routine files, beside the settings file."""
    return where.config / "routines"


def rules_for(settings: Settings, routine_length: timedelta, zone: tzinfo) -> Rules:
    return Rules(zone=zone, interval=settings.interval, hours=settings.hours,
                 daily_cap=settings.daily_cap, routine_length=routine_length,
                 hold_limit=timedelta(minutes=settings.hold_minutes),
                 after_sleep=settings.after_sleep)


def load_profile(*, create_settings: bool = False) -> Profile:
    where = folders()
    created = settings_file.ensure_file(where.settings) if create_settings else None
    settings, setting_problems = settings_file.load(where.settings)
    i18n.use(settings.language.value)
    problems = [str(p) for p in ([created] if created else []) + setting_problems]
    routines, routine_problems = load_all(routines_folder(where))
    problems.extend(_("A routine file was skipped: {problem}").format(problem=p)
                    for p in routine_problems)
    routine = routines.get(settings.routine)
    if routine is None:
        problems.append(_('There is no routine named "{name}" (in {path}, [routine] name); '
                          'using "{default}"').format(name=settings.routine, path=where.settings,
                                                      default=DEFAULT_ROUTINE))
        routine = routines[DEFAULT_ROUTINE]
    return Profile(where, settings, routine, local_zone(), problems,
                   is_settings_unreadable=any(not p.where for p in setting_problems))
