"""Lengths and pauses in words, in the language shown: "5 min", "2 hours", "Until tomorrow".
Kept apart from words.py (the rest of the rules' values in words) because the tray menu needs
them before its icon shows, and words.py brings the history and the engine's events with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tray.base.i18n import _, ngettext

if TYPE_CHECKING:
    from tray.core.choices import Pause


def duration(minutes: int) -> str:
    """"5 min", "90 min", "1 hour", "2 hours"."""
    if minutes % 60:
        return ngettext("{n} min", "{n} min", minutes).format(n=minutes)
    hours = minutes // 60
    return ngettext("{n} hour", "{n} hours", hours).format(n=hours)


def pause_label(pause: Pause) -> str:
    """A pause as the menus offer it: "30 min", "Until tomorrow", "Until resumed"."""
    if pause.until_tomorrow:
        return _("Until tomorrow")
    return _("Until resumed") if pause.minutes is None else duration(pause.minutes)
