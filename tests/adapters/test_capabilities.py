"""Each port says what exists on a system (its capabilities, computed from the platform alone),
and the settings window, `doctor` and the detectors follow that instead of `sys.platform`. The
checkbox texts below are the ones a person read before the flags existed, system by system."""

from __future__ import annotations

import pytest

from tray.adapters import autostart, idle, notify, quiet, session

PLATFORMS = ["linux", "win32", "darwin", "freebsd14"]

FULLSCREEN = "a window is fullscreen"
SYSTEM = "the desktop's do not disturb is on"
CALLS = "the microphone or camera is in use"

# platform: what each do-not-disturb checkbox reads, and whether it can be ticked
SETTINGS_CHOICES = {
    "linux": {FULLSCREEN: (FULLSCREEN, True), SYSTEM: (f"{SYSTEM} (GNOME only)", True),
              CALLS: (CALLS, True)},
    "win32": {FULLSCREEN: (FULLSCREEN, True), SYSTEM: (f"{SYSTEM} (not on this system)", False),
              CALLS: (CALLS, True)},
    "darwin": {FULLSCREEN: (f"{FULLSCREEN} (not on macOS)", False),
               SYSTEM: (f"{SYSTEM} (not on this system)", False),
               CALLS: (f"{CALLS} (not on macOS)", False)},
    # Neither Linux nor Windows: only the X11 fullscreen watcher can run (as start_watchers
    # always had it); the checkboxes now say so instead of offering the other two.
    "freebsd14": {FULLSCREEN: (FULLSCREEN, True),
                  SYSTEM: (f"{SYSTEM} (not on this system)", False),
                  CALLS: (f"{CALLS} (not on this system)", False)},
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_settings_checkboxes_follow_the_quiet_capabilities(platform: str) -> None:
    can = quiet.capabilities(platform)
    shown = {text: (detection.label(text), detection.can_detect) for text, detection in (
        (FULLSCREEN, can.fullscreen), (SYSTEM, can.system), (CALLS, can.calls))}
    assert shown == SETTINGS_CHOICES[platform]


@pytest.mark.parametrize(("platform", "fullscreen", "system", "calls"), [
    ("linux", "x11", "gnome", "linux"), ("win32", "windows", None, "windows"),
    ("darwin", None, None, None), ("freebsd14", "x11", None, None)])
def test_which_detector_exists_where(platform, fullscreen, system, calls) -> None:
    can = quiet.capabilities(platform)
    assert (can.fullscreen.how, can.system.how, can.calls.how) == (fullscreen, system, calls)


@pytest.mark.parametrize(("platform", "readers", "paths", "login_entry", "lock_and_sleep"), [
    ("linux", ("x11", "mutter", "wayland", "screensaver"), ("dbus", "notify-send", "plyer"),
     "linux", True),
    ("win32", ("windows",), ("pystray",), "windows", False),
    ("darwin", ("macos",), ("osascript",), "macos", False),
    ("freebsd14", ("x11", "mutter", "wayland", "screensaver"), ("dbus", "notify-send",
                                                                 "plyer"), "linux", False)])
def test_each_ports_capabilities_per_system(platform, readers, paths, login_entry,
                                            lock_and_sleep) -> None:
    assert idle.capabilities(platform).readers == readers
    assert set(readers) <= set(idle.READERS)
    assert notify.capabilities(platform).paths == paths
    assert autostart.capabilities(platform).system == login_entry
    assert login_entry in autostart.SYSTEMS
    assert session.capabilities(platform).can_watch is lock_and_sleep


def test_the_icon_says_a_status_notifier_host_gives_a_menu_only_where_it_has_none_on_linux(
        ) -> None:
    from tray.adapters import icon

    class Bare:  # an Icon class's flags, as pystray's backends set them
        __module__ = "pystray._xorg"
        HAS_MENU, HAS_DEFAULT_ACTION, HAS_NOTIFICATION = False, True, False

    class MenuBar(Bare):
        __module__ = "pystray._darwin"
        HAS_MENU = True

    assert icon.capabilities(Bare, "linux").menu_with_sni_host
    assert not icon.capabilities(Bare, "darwin").menu_with_sni_host
    with_menu = icon.capabilities(MenuBar, "darwin")
    assert not with_menu.menu_with_sni_host and with_menu.has_menu
    assert str(with_menu) == ("backend=darwin HAS_MENU=True HAS_DEFAULT_ACTION=True "
                              "HAS_NOTIFICATION=False")
