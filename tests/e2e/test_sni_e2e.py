"""The real `pointbreak` tray as a StatusNotifierItem on a real host: xfce4-panel's systray under
Xvfb, on a private session bus. The item registers by itself (the tray chooses SNI because a
watcher runs), shows in the panel, its menu opens on a right click and works (Snooze ▸ 10 min
moves the next break), the check mark follows `pointbreak autostart on`, a state change
redraws the icon, a restarted panel gets the item back, and quit takes it away. A tray started
where only an XEmbed tray runs moves to SNI when a watcher appears. Screenshots are saved
under tests/artifacts/sni/."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import BIN
from desktop import (
    ALL_DAY,
    colourful_share,
    midday_zone,
    pixels_unlike,
    start_panel_desktop,
    wait_for,
)

pytestmark = pytest.mark.e2e

PANEL_HEIGHT = 32
PANEL_COLOUR = (246, 245, 244)  # the default GTK theme's panel, as drawn here


def icon_box(shot: Path) -> tuple[int, int, int, int] | None:
    """The box of what the panel shows beside its own background (our icon: the only item),
    or None while it shows nothing."""
    from PIL import Image

    with Image.open(shot) as image:
        strip = image.convert("RGB").crop((0, 0, image.width, PANEL_HEIGHT))
        unlike = [(x, y) for x in range(strip.width) for y in range(strip.height)
                  if sum(abs(a - b) for a, b in zip(strip.getpixel((x, y)), PANEL_COLOUR,
                                                    strict=True)) > 60]
    if not unlike:
        return None
    xs, ys = [x for x, _ in unlike], [y for _, y in unlike]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def icon_pixels(shot: Path, box: tuple[int, int, int, int]) -> bytes:
    from PIL import Image

    with Image.open(shot) as image:
        return image.convert("RGB").crop(box).tobytes()


def menu_window(desktop) -> tuple[int, int, int, int] | None:
    """The open menu's (x, y, width, height): a visible popup of the systray plugin."""
    for window in desktop.run("xdotool", "search", "--onlyvisible", "--class", "wrapper-2.0",
                              check=False).split():
        try:
            x, y, w, h = desktop.icon_geometry(window)
        except subprocess.CalledProcessError:
            continue
        if h > 100:
            return x, y, w, h
    return None


def next_break_minutes(status: str) -> int:
    found = re.search(r"Next break at .*?(\d{1,2}):(\d\d)", status)
    assert found, status
    return int(found.group(1)) * 60 + int(found.group(2))


def test_the_tray_as_a_status_notifier_item_on_xfce(panel_desktop, start_sni_tray,
                                                     profile) -> None:
    desktop = panel_desktop
    shots = profile.artifacts("sni")
    profile.write_settings(ALL_DAY)  # the snooze below is then the same at any hour
    tray = start_sni_tray(POINTBREAK_TEST_TICK_SECONDS="0.5", POINTBREAK_TRAY="tray",
                          TZ=midday_zone())
    # An unknown name is told, and the tray chooses by itself: SNI, as a watcher runs.
    assert "POINTBREAK_TRAY=tray is not one of sni, xembed; choosing by itself" in tray.log()
    assert "tray icon: using sni" in tray.log()
    assert desktop.item_property(tray.icon, "Status") == "Active"

    # The icon is in the panel.
    first = desktop.screenshot(shots / "1-icon-in-panel.png")
    box = wait_for(lambda: icon_box(desktop.screenshot(first)), what="the icon in the panel")
    left, top, right, bottom = box
    assert 12 <= right - left <= 32 and 12 <= bottom - top <= 32, box
    centre = ((left + right) // 2, (top + bottom) // 2)
    # The panel found the symbolic icon (IconName under IconThemePath) and drew it in its own
    # text colour, not the colour pixmap.
    assert desktop.item_property(tray.icon, "IconName") == "pointbreak-normal-symbolic"
    assert colourful_share(first, box, PANEL_COLOUR) < 0.05

    # A right click opens the whole menu; Snooze ▸ 10 min moves the next break.
    before = next_break_minutes(tray.status())
    desktop.run("xdotool", "mousemove", str(centre[0]), str(centre[1]), "click", "3")
    menu = wait_for(lambda: menu_window(desktop), what="the menu to open")
    shot = desktop.screenshot(shots / "2-menu.png")
    x, y, w, h = menu
    assert pixels_unlike(shot, (x + 5, y + 5, x + w - 5, y + h - 5), (255, 255, 255)) > 0.02
    desktop.run("xdotool", "key", "--delay", "100", "Down", "Down", "Right")
    desktop.screenshot(shots / "3-snooze-submenu.png")
    desktop.run("xdotool", "key", "--delay", "100", "Down", "Return")
    wait_for(lambda: (next_break_minutes(tray.status()) - before) % (24 * 60) == 10,
             what="the next break 10 minutes later")
    wait_for(lambda: menu_window(desktop) is None, what="the menu to close")

    # `pointbreak autostart on`: the tray's next look shows the check mark to the host.
    assert menu_state(desktop, tray.icon) == 0
    assert profile.run("autostart", "on").returncode == 0
    wait_for(lambda: menu_state(desktop, tray.icon) == 1, what="the check mark")
    desktop.run("xdotool", "mousemove", str(centre[0]), str(centre[1]), "click", "3")
    wait_for(lambda: menu_window(desktop), what="the menu to open again")
    desktop.screenshot(shots / "4-menu-start-at-login-checked.png")
    desktop.run("xdotool", "key", "Escape")
    wait_for(lambda: menu_window(desktop) is None, what="the menu to close")

    # A state change (paused) redraws the icon.
    calm = icon_pixels(desktop.screenshot(shots / "5-before-pause.png"), box)
    assert profile.run("pause", "30m").returncode == 0
    wait_for(lambda: icon_pixels(desktop.screenshot(shots / "6-paused.png"), box) != calm,
             what="the icon to change")
    assert desktop.item_property(tray.icon, "IconName") == "pointbreak-paused-symbolic"

    # The watcher restarting (the panel ended and started again) gets the item back, each
    # time (a watcher has been seen to drop an item on some restarts).
    for restart in (1, 2):
        desktop.stop_panel()
        assert tray.process.poll() is None
        desktop.start_panel()
        wait_for(lambda: any(item.split("/")[0] == tray.icon
                             for item in desktop.registered_items()), timeout=30,
                 what=f"the item registered with the new watcher ({restart})")
        shot = shots / f"7-after-panel-restart-{restart}.png"
        wait_for(lambda shot=shot: icon_box(desktop.screenshot(shot)),
                 what="the icon back in the panel")

    # A left click (Activate) does the menu's default entry: a session starts, in its window.
    before_click = set(desktop.visible_windows(""))
    desktop.run("xdotool", "mousemove", str(centre[0]), str(centre[1]), "click", "1")
    wait_for(lambda: set(desktop.visible_windows("")) - before_click, timeout=20,
             what="the routine window")
    assert "tray menu: Start a session now" in tray.log()
    desktop.screenshot(shots / "8-left-click-session.png")

    # Quit: the process ends and the item is gone from the watcher.
    assert profile.run("quit").returncode == 0
    assert tray.process.wait(15) == 0
    wait_for(lambda: not any(item.split("/")[0] == tray.icon
                             for item in desktop.registered_items()), what="the item to go")


def test_the_menus_items_take_effect_and_the_check_mark_shows_the_login_entry(
        panel_desktop, start_sni_tray, profile) -> None:
    """The menu driven as a person does, by the keyboard once it is open: Skip next break
    defers the break; Start at login writes the login entry, and the menu the host draws shows
    the check mark then, in a small box at the left of one row, and not after it is off."""
    from PIL import Image, ImageChops

    desktop = panel_desktop
    shots = profile.artifacts("sni-menu-items")
    tray = start_sni_tray()
    centre = wait_for(lambda: icon_centre(desktop, shots / "1-icon.png"), what="the icon")
    entry = profile.home / ".config" / "autostart" / "pointbreak.desktop"

    def choose(*keys: str, shot: str) -> None:
        desktop.run("xdotool", "mousemove", str(centre[0]), str(centre[1]), "click", "3")
        wait_for(lambda: menu_window(desktop), what="the menu to open")
        desktop.screenshot(shots / shot)
        desktop.run("xdotool", "key", "--delay", "100", *keys)
        wait_for(lambda: menu_window(desktop) is None, what="the menu to close")

    # Start a session now, Snooze, Skip next break, Pause, Start at login
    before = tray.status()
    choose("Down", "Down", "Down", "Return", shot="2-menu-skip.png")
    wait_for(lambda: tray.status() != before, what="the skip to take effect")
    assert "tray menu: Skip next break" in tray.log()

    choose("Down", "Down", "Down", "Down", "Down", "Return", shot="3-menu-start-at-login.png")
    wait_for(entry.exists, what="the login entry written from the menu")
    wait_for(lambda: menu_state(desktop, tray.icon) == 1, what="the check mark to the host")

    looks = {}
    for state in ("on", "off"):
        assert profile.run("autostart", state).returncode == 0  # and tells the tray
        wait_for(lambda state=state: menu_state(desktop, tray.icon) == (state == "on"),
                 what=f"the check mark {state}")
        desktop.run("xdotool", "mousemove", str(centre[0]), str(centre[1]), "click", "3")
        x, y, w, h = wait_for(lambda: menu_window(desktop), what="the menu to open")
        shot = desktop.screenshot(shots / f"4-start-at-login-{state}.png")
        with Image.open(shot) as image:
            looks[state] = image.convert("RGB").crop((x, y, x + w, y + h))
        desktop.run("xdotool", "key", "Escape")
        wait_for(lambda: menu_window(desktop) is None, what="the menu to close")
    assert not entry.exists()
    box = ImageChops.difference(looks["off"], looks["on"]).getbbox()
    assert box is not None, "the check mark did not follow the login entry"
    _left, top, right, bottom = box
    assert right < 60 and bottom - top < 30, box  # one small box at the left of one row


def icon_centre(desktop, shot: Path) -> tuple[int, int] | None:
    box = icon_box(desktop.screenshot(shot))
    return None if box is None else ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)


def menu_state(desktop, owner: str) -> int:
    """The toggle-state of "Start at login" as a host reads it (GetGroupProperties)."""
    from tray.adapters.icon.menu import AUTOSTART

    body = desktop._bus_call(owner, "/MenuBar", "com.canonical.dbusmenu",
                             "GetGroupProperties", "aias", ([AUTOSTART], ["toggle-state"]))
    return int(body[0][0][1]["toggle-state"][1])


def test_an_xembed_tray_moves_to_sni_when_a_watcher_appears(profile) -> None:
    desktop = start_panel_desktop(with_trayer=True)
    try:
        profile.env.update(desktop.env, POINTBREAK_TEST_KEY_GUARD_SECONDS="0",
                           POINTBREAK_IDLE="none")
        process = subprocess.Popen([str(BIN / "pointbreak"), "--no-welcome"], env=profile.env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for(lambda: desktop.tray_icons(), what="the XEmbed icon in trayer")
            log = profile.home / ".local" / "state" / "pointbreak" / "log" / "pointbreak.log"
            wait_for(lambda: log.exists() and "tray icon: using xembed" in log.read_text(),
                     what="the XEmbed choice in the log")
            desktop.screenshot(profile.artifacts("sni") / "a-xembed-before-the-watcher.png")
            desktop.start_panel()
            name = f"org.kde.StatusNotifierItem-{process.pid}-1"
            wait_for(lambda: any(item.split("/")[0] == name
                                 for item in desktop.registered_items()), timeout=30,
                     what="the item registered after the move")
            wait_for(lambda: not desktop.tray_icons(), what="the XEmbed icon to go")
            moved = profile.artifacts("sni") / "b-moved-to-sni.png"
            wait_for(lambda: icon_box(desktop.screenshot(moved)), what="the icon in the panel")
            assert "tray icon: moved to backend=sni" in log.read_text()
            # It still works: the control channel answers, and quit leaves nothing.
            assert profile.run("status").returncode == 0
            assert profile.run("quit").returncode == 0
            assert process.wait(15) == 0
            wait_for(lambda: not any(item.split("/")[0] == name
                                     for item in desktop.registered_items()),
                     what="the item to go")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(5)
    finally:
        desktop.stop()


def test_doctor_names_the_tray_protocol_and_the_watchers_process(panel_desktop, desktop,
                                                                   profile) -> None:
    def doctor(env: dict[str, str]) -> str:
        result = subprocess.run([str(BIN / "pointbreak"), "doctor"], env=env, text=True,
                                capture_output=True, timeout=60)
        return result.stdout

    def fact(report: str, name: str) -> str:
        found = re.search(rf"^{name}\s+(.*)$", report, re.MULTILINE)
        assert found, report
        return found.group(1)

    on_xfce = doctor(dict(profile.env, **panel_desktop.env))
    pid = panel_desktop.watcher_pid()
    assert fact(on_xfce, "Tray host") == (f"StatusNotifierItem (watcher: panel-1-systray, pid "
                                          f"{pid}; menus: yes)")
    assert fact(on_xfce, "Tray backend") == "sni (menu: yes)"
    on_trayer = doctor(dict(profile.env, **desktop.env))
    assert fact(on_trayer, "Tray host") == "XEmbed (a system tray on the X display)"
    nowhere = doctor({k: v for k, v in profile.env.items() if k not in ("DISPLAY",)}
                     | {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent"})
    assert fact(nowhere, "Tray host").startswith("none (no session bus"), nowhere
    assert "No tray host here: no StatusNotifierWatcher on the session bus and no XEmbed" \
        in nowhere, nowhere
