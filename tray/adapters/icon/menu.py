"""What the tray icon shows and does, free of any toolkit: the `View` the shell hands the icon,
the `Actions` it calls back, and the menu as one tree of `Entry`s that every backend renders
(pystray's menu, the dbusmenu served beside the StatusNotifierItem), so the two never differ.

The tree has the same shape and ids for every view (ids are stable: dbusmenu hosts keep a
widget per id); a view changes only an entry's label, enabled, visible and checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from icons import Marker
from tray.base.durations import duration, pause_label
from tray.base.i18n import _
from tray.core.choices import PAUSE_CHOICES, SNOOZE_MINUTES, Pause, Snooze
from tray.core.modes import Mode
from tray.core.records import record


@record
class View:
    """What the icon and menu show; made by the shell from the engine's status."""

    mode: Mode = Mode.NORMAL
    tooltip: str = "Pointbreak"
    next_line: str = ""  # empty: "Starting…", in the language shown
    today_line: str = ""
    is_paused: bool = False
    is_autostart_on: bool = False


@record
class Actions:
    start_now: Callable[[], None]
    snooze: Callable[[Snooze], None]
    skip: Callable[[], None]
    pause: Callable[[Pause], None]
    resume: Callable[[], None]
    settings: Callable[[], None]
    history: Callable[[], None]
    about: Callable[[], None]
    open_panel: Callable[[], None]
    quit: Callable[[], None]
    toggle_autostart: Callable[[], None]


MARKER_OF_MODE = {Mode.NORMAL: Marker.NORMAL, Mode.DUE: Marker.DUE,
                  Mode.SNOOZED: Marker.SNOOZED, Mode.PAUSED: Marker.PAUSED,
                  Mode.DONE: Marker.DONE}


@record
class Entry:
    """One menu entry. `action` None with no children: an information line (or a separator);
    `checked` None: no check mark; `is_default`: what a click on the icon itself does where
    the backend has such a click."""

    id: int
    label: str = ""
    action: Callable[[], None] | None = None
    enabled: bool = True
    visible: bool = True
    checked: bool | None = None
    is_default: bool = False
    is_separator: bool = False
    children: tuple[Entry, ...] = ()


# The ids, fixed: a host keeps its widgets by id. Children of an entry are its id + 1, + 2...
START, NEXT_LINE, TODAY_LINE, SEPARATOR_1 = 1, 2, 3, 4
SNOOZE, SKIP, PAUSE, RESUME = 10, 20, 30, 40
SEPARATOR_2, AUTOSTART, SETTINGS, HISTORY, ABOUT, QUIT = 50, 60, 70, 80, 90, 100


def entries(view: View, actions: Actions) -> tuple[Entry, ...]:
    """The whole menu for `view` (DESIGN.md's order), top level first."""

    def snooze(minutes: int) -> Callable[[], None]:
        return lambda: actions.snooze(Snooze(minutes))

    def pause(choice: Pause) -> Callable[[], None]:
        return lambda: actions.pause(choice)

    return (
        Entry(START, _("Start a session now"), actions.start_now, is_default=True),
        Entry(NEXT_LINE, view.next_line or _("Starting…"), enabled=False),
        Entry(TODAY_LINE, view.today_line, enabled=False),
        Entry(SEPARATOR_1, is_separator=True),
        Entry(SNOOZE, _("Snooze"), children=tuple(
            Entry(SNOOZE + n, duration(m), snooze(m))
            for n, m in enumerate(SNOOZE_MINUTES, 1))),
        Entry(SKIP, _("Skip next break"), actions.skip),
        Entry(PAUSE, _("Pause"), visible=not view.is_paused, children=tuple(
            Entry(PAUSE + n, pause_label(c), pause(c)) for n, c in enumerate(PAUSE_CHOICES, 1))),
        Entry(RESUME, _("Resume"), actions.resume, visible=view.is_paused),
        Entry(SEPARATOR_2, is_separator=True),
        Entry(AUTOSTART, _("Start at login"), actions.toggle_autostart,
              checked=view.is_autostart_on),
        Entry(SETTINGS, _("Settings…"), actions.settings),
        Entry(HISTORY, _("History…"), actions.history),
        Entry(ABOUT, _("About Pointbreak"), actions.about),
        Entry(QUIT, _("Quit"), actions.quit),
    )


def walk(tree: tuple[Entry, ...]) -> Iterator[Entry]:
    """Every entry of `tree`, parents before their children."""
    for entry in tree:
        yield entry
        yield from walk(entry.children)


def by_id(tree: tuple[Entry, ...]) -> dict[int, Entry]:
    return {entry.id: entry for entry in walk(tree)}


def default_entry(tree: tuple[Entry, ...]) -> Entry | None:
    return next((entry for entry in walk(tree) if entry.is_default), None)
