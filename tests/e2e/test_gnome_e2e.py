"""End to end on a real GNOME Shell 43 (headless, Wayland with Xwayland, the AppIndicator
extension), as a non-root user, with the app from that user's venv: the prompt card (Tk through
Xwayland) comes on top of another app's window, where the person sees it, and takes the keys.
Screenshots are saved under tests/artifacts/gnome/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from desktop import ALL_DAY, CARD, colourful_share, midday_zone, pixels_unlike, wait_for
from gnome import HEIGHT, KEYSYM_ESCAPE, WIDTH, changed_box, cover_window
from helpers import stored_records

pytestmark = pytest.mark.e2e

CARD_BACKGROUND = (0xF7, 0xF7, 0xF4)  # tray.ui.look's light theme
COVER = (0xC0, 0x00, 0xC0)  # the other app's window


def share_like(shot: Path, box: tuple[int, int, int, int], colour: tuple[int, int, int]) -> float:
    return 1 - pixels_unlike(shot, box, colour, tolerance=24)


def working_in_another_app(gnome, shots: Path) -> None:
    """The person works in another (Wayland) app: a click in it gives it the focus and a recent
    user time, which is what focus-stealing prevention weighs a new window against."""
    centre = (WIDTH // 2 - 50, HEIGHT // 3, WIDTH // 2 + 50, HEIGHT // 3 + 50)
    wait_for(lambda: share_like(gnome.screenshot(shots / "1-another-app.png"), centre, COVER)
             > 0.9, timeout=15, what="the other app's window on the screen")
    gnome.click(WIDTH // 2, HEIGHT // 2)


def seen_in_front(gnome, window: str, shot: Path) -> Path:
    """Wait until `window` (an Xwayland window of ours) is drawn in front of the other app,
    on the screen and centred; the screenshot that shows it."""
    where: list[tuple[int, int, int, int]] = []

    def drawn() -> Path | None:  # where it is now (Tk moves it once mapped), in its colours
        x, y, w, h = gnome.geometry(window)
        where[:] = [(x, y, w, h)]
        taken = gnome.screenshot(shot)
        box = (x + 4, y + 4, x + w - 4, y + h - 4)
        return taken if w > 100 and share_like(taken, box, CARD_BACKGROUND) > 0.5 else None

    taken = wait_for(drawn, timeout=15, what=f"the window drawn in front of the other app "
                                              f"(last at {where})")
    x, y, w, h = where[0]
    assert share_like(taken, (x + 4, y + 4, x + w - 4, y + h - 4), COVER) < 0.02, \
        "the other app shows through the window"
    assert x > 0 and x + w < WIDTH and y >= 32 and y + h < HEIGHT  # on the screen
    assert abs((x + w / 2) - WIDTH / 2) < 40  # centred
    return taken


def our_windows(gnome) -> list[str]:
    """Pointbreak's visible windows (by class: the routine window's title names the step)."""
    return gnome.x("xdotool", "search", "--onlyvisible", "--class", "Pointbreak",
                   check=False).split()


def records(profile) -> list[dict]:
    return stored_records(profile.home / ".local/share/pointbreak/history")


def test_the_prompt_card_comes_on_top_of_another_app_and_takes_the_keys(
        gnome, start_gnome_tray, gnome_profile) -> None:
    gnome_profile.write_settings(ALL_DAY)
    shots = gnome_profile.artifacts("gnome")
    with cover_window(gnome):
        working_in_another_app(gnome, shots)
        tray = start_gnome_tray(POINTBREAK_TEST_INTERVAL_SECONDS="2")
        wait_for(lambda: "Break on screen now" in tray.status(), timeout=20, what="the prompt")
        card = wait_for(lambda: gnome.visible_windows(CARD), timeout=20,
                        what="the prompt card on Xwayland")[0]
        seen_in_front(gnome, card, shots / "2-prompt-card.png")

        # It has the keyboard: Escape typed now (at the seat, not sent to a window) snoozes it.
        gnome.key(KEYSYM_ESCAPE)
        wait_for(lambda: "Snoozed until" in tray.status(), what="Escape on the card to snooze")
        wait_for(lambda: not gnome.visible_windows(CARD), what="the card to close")
        gnome.screenshot(shots / "3-card-gone.png")


def test_the_routine_window_comes_on_top_of_another_app_and_takes_the_keys(
        gnome, start_gnome_tray, gnome_profile) -> None:
    shots = gnome_profile.artifacts("gnome-routine")
    with cover_window(gnome):
        working_in_another_app(gnome, shots)
        tray = start_gnome_tray()
        assert tray.profile.run("now").returncode == 0  # "Start a session now"
        window = wait_for(lambda: our_windows(gnome), timeout=20,
                          what="the routine window on Xwayland")[0]
        seen_in_front(gnome, window, shots / "2-routine-window.png")
        gnome.key(KEYSYM_ESCAPE)  # at the seat: Escape stops the routine
        wait_for(lambda: [r for r in records(gnome_profile)
                          if r["outcome"] == "stopped_early"], what="the routine stopped early")
        gnome.screenshot(shots / "3-after-escape.png")


# --- the StatusNotifierItem tray in GNOME's top bar (the AppIndicator extension) ---------------

TOP_BAR = (WIDTH // 2 + 80, 0, 900, 32)  # right of the clock, left of the sharing indicator
BELOW_BAR = (WIDTH // 2, 32, WIDTH, HEIGHT)  # where the menu opens


def listed(gnome, owner: str) -> bool:
    from tray.adapters.icon.registration import parse_item

    return any(parse_item(entry)[0] == owner for entry in gnome.registered_items())


def menu_state(gnome, owner: str) -> int:
    """The toggle-state of "Start at login" as the host reads it (GetGroupProperties)."""
    from tray.adapters.icon.menu import AUTOSTART

    body = gnome.bus.call("/MenuBar", "com.canonical.dbusmenu", "GetGroupProperties", "aias",
                          ([AUTOSTART], ["toggle-state"]), destination=owner)
    return int(body[0][0][1]["toggle-state"][1])


def next_break_minutes(status: str) -> int:
    found = re.search(r"Next break at .*?(\d{1,2}):(\d\d)", status)
    assert found, status
    return int(found.group(1)) * 60 + int(found.group(2))


def bar_colour(shot: Path, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The commonest colour of `box` in a screenshot: the bar's own, where nothing is drawn."""
    from PIL import Image

    with Image.open(shot) as image:
        counts = image.convert("RGB").crop(box).getcolors(1 << 16)
    return max(counts)[1]


def crop(shot: Path, box: tuple[int, int, int, int]) -> bytes:
    from PIL import Image

    with Image.open(shot) as image:
        return image.convert("RGB").crop(box).tobytes()


def test_the_tray_as_a_status_notifier_item_on_gnome(gnome, start_gnome_tray,
                                                      gnome_profile) -> None:
    shots = gnome_profile.artifacts("gnome-sni")
    wait_for(lambda: not gnome.registered_items(), what="no item of an earlier test")
    empty = gnome.screenshot(shots / "0-top-bar-before.png")
    gnome_profile.write_settings(ALL_DAY)  # the snooze below is then the same at any hour
    tray = start_gnome_tray(TZ=midday_zone())

    # It registers (the tray chose SNI by itself: GNOME's watcher runs) and shows in the bar.
    wait_for(lambda: listed(gnome, tray.icon), timeout=20, what="the item in the watcher's list")
    assert "tray icon: using sni" in tray.log()
    box = wait_for(lambda: changed_box(empty, gnome.screenshot(shots / "1-icon-in-top-bar.png"),
                                       TOP_BAR), what="the icon in the top bar")
    left, top, right, bottom = box
    assert 10 <= right - left <= 32 and 10 <= bottom - top <= 32, box
    centre = ((left + right) // 2, (top + bottom) // 2)
    # The symbolic icon, in the top bar's own text colour (light on the dark bar).
    bar = gnome.screenshot(shots / "1-icon-symbolic.png")
    assert colourful_share(bar, box, bar_colour(empty, box)) < 0.05

    # Each single click lands 6 px from the one before (GNOME's double-click distance is 5):
    # the test clicks faster than a person, and two clicks at one spot within the double-click
    # time are a double click, which the AppIndicator extension answers with Activate.
    spots = iter([centre[0] - 6, centre[0] + 6] * 3)

    def open_menu(name: str) -> Path:
        closed = gnome.screenshot(shots / f"{name}-closed.png")
        gnome.click(next(spots), centre[1])  # a single left click opens the menu on GNOME
        shot = shots / f"{name}.png"
        menu = wait_for(lambda: (b := changed_box(closed, gnome.screenshot(shot), BELOW_BAR))
                        and b[3] - b[1] > 200 and b, what="the menu to open")
        assert menu[0] < centre[0] < menu[2], "the menu opens under the icon"
        return shot

    def menu_closed() -> bool:
        return changed_box(empty, gnome.screenshot(shots / "menu-closed.png"), BELOW_BAR) is None

    # The menu opens; Snooze ▸ 10 min (GNOME shows the submenu inline) moves the next break.
    # (Clicked once the Shell has read the menu: a click before it opens none.)
    wait_for(lambda: "the tray host has read the menu" in tray.log(), what="the menu read")
    before = next_break_minutes(tray.status())
    opened = open_menu("2-menu")
    for key in ("Down", "Down", "Return"):  # past the disabled lines, to Snooze, open it
        gnome.key(key)
    wait_for(lambda: changed_box(opened, gnome.screenshot(shots / "3-snooze-submenu.png"),
                                 BELOW_BAR), what="the Snooze submenu to open")
    for key in ("Down", "Down", "Return"):  # 5 min, 10 min, pick it
        gnome.key(key)
    wait_for(lambda: (next_break_minutes(tray.status()) - before) % (24 * 60) == 10,
             what="the next break 10 minutes later")
    wait_for(menu_closed, what="the menu to close")

    # `pointbreak autostart on`: the check mark follows, for the host and on the screen.
    unchecked = open_menu("4-menu-before-autostart")
    gnome.key("Escape")
    wait_for(menu_closed, what="the menu to close")
    assert menu_state(gnome, tray.icon) == 0
    assert gnome_profile.run("autostart", "on").returncode == 0
    wait_for(lambda: menu_state(gnome, tray.icon) == 1, what="the check mark")
    checked = open_menu("5-menu-start-at-login-checked")
    mark = changed_box(unchecked, checked, BELOW_BAR)
    assert mark is not None and mark[3] - mark[1] < 30, f"one row changed, not {mark}"
    gnome.key("Escape")
    wait_for(menu_closed, what="the menu to close")

    # A state change (paused) redraws the icon.
    calm = crop(gnome.screenshot(shots / "6-before-pause.png"), box)
    assert gnome_profile.run("pause", "30m").returncode == 0
    wait_for(lambda: crop(gnome.screenshot(shots / "7-paused.png"), box) != calm,
             what="the icon to change")

    # A double click (GNOME's single click opens the menu) calls Activate: the menu's default
    # entry, a session, starts in its window. (Before the watcher restarts: each new indicator
    # reads the menu anew, see above.)
    gnome.click(*centre)
    gnome.click(*centre)
    window = wait_for(lambda: our_windows(gnome), timeout=20,
                      what="the routine window after a double click")[0]
    assert "tray menu: Start a session now" in tray.log()
    seen_in_front(gnome, window, shots / "9-double-click-session.png")
    gnome.key(KEYSYM_ESCAPE)  # stop it
    wait_for(lambda: not our_windows(gnome), what="the routine window to close")

    # The watcher restarting (the extension off and on) gets the item back, each time (GNOME's
    # has been seen to drop an item on some restarts: the tray registers again).
    for restart in (1, 2, 3):
        gnome.restart_watcher()
        assert tray.process.poll() is None
        wait_for(lambda: listed(gnome, tray.icon), timeout=60,
                 what=f"the item registered with the new watcher ({restart})")
        shot = shots / f"8-after-watcher-restart-{restart}.png"
        wait_for(lambda shot=shot: changed_box(empty, gnome.screenshot(shot), TOP_BAR),
                 what="the icon back in the top bar")

    # Quit: the process ends, the item leaves the watcher's list and the bar.
    assert gnome_profile.run("quit").returncode == 0
    assert tray.process.wait(15) == 0
    wait_for(lambda: not listed(gnome, tray.icon), what="the item to go")
    wait_for(lambda: changed_box(empty, gnome.screenshot(shots / "10-after-quit.png"), TOP_BAR)
             is None, what="the icon to leave the top bar")


def test_doctor_on_gnome_names_the_shell_as_the_tray_host_and_mutter_for_idle(
        gnome, gnome_profile) -> None:
    result = gnome_profile.run("doctor", timeout=60)
    report = result.stdout

    def fact(name: str) -> str:
        found = re.search(rf"^{name}\s+(.*)$", report, re.MULTILINE)
        assert found, report
        return found.group(1)

    (pid,) = gnome.bus.call("/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "GetConnectionUnixProcessID", "s",
                            ("org.kde.StatusNotifierWatcher",))
    assert fact("Tray host") == f"StatusNotifierItem (watcher: gnome-shell, pid {pid}; menus: yes)"
    assert fact("Tray backend") == "sni (menu: yes)"
    assert fact("Idle time").startswith("mutter: a GNOME Wayland session"), report  # and why
