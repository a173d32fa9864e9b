"""The XEmbed icon (tray/adapters/icon/xembed.py) on a real X server with a real tray host
(trayer): it docks in a host that starts after it, leaves no stray window when the host goes,
docks again in the next; it draws the shipped pixels over the panel; a view from another thread
redraws it; a left and a right click open the control window; stop from any thread ends its
loop; a host that destroys its window gets a new one. Run in this process on a thread of its
own: python-xlib needs no main thread."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

import pytest
from desktop import ARTIFACTS, missing_tools, start_desktop, wait_for

import icons
from tray.adapters.icon.menu import MARKER_OF_MODE, Actions, View
from tray.adapters.icon.xembed import XembedIcon
from tray.adapters.icon.xpixels import blend, side_for
from tray.core.modes import Mode
from tray.core.records import fields_of

TRAYER = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height",
          "32", "--SetDockType", "true", "--transparent", "false"]


def test_blend_puts_opaque_pixels_over_and_leaves_transparent_ones() -> None:
    under = bytes([10, 20, 30, 0]) * 3  # BGRA: blue 10, green 20, red 30
    pixels = bytes([200, 100, 50, 255,  # opaque: its own colour
                    200, 100, 50, 0,  # transparent: what was under
                    200, 100, 50, 128])  # half: between the two, premultiplied alpha 128
    out = blend(pixels, under, "BGRA")
    assert out[0:4] == bytes([50, 100, 200, 255])
    assert out[4:8] == bytes([10, 20, 30, 0])
    assert out[8:12] == bytes([(50 * 128 + 10 * 127 + 127) // 255,
                               (100 * 128 + 20 * 127 + 127) // 255,
                               (200 * 128 + 30 * 127 + 127) // 255, 128])


def test_blend_in_the_other_byte_order() -> None:
    assert blend(bytes([1, 2, 3, 255]), bytes(4), "ARGB") == bytes([255, 1, 2, 3])


@pytest.mark.parametrize(("width", "height", "side"), [
    (32, 32, 32), (30, 30, 24), (24, 40, 24), (10, 10, 16), (100, 100, 64), (22, 22, 22)])
def test_the_largest_shipped_size_that_fits_the_slot(width, height, side) -> None:
    assert side_for(width, height) == side


class Host:
    """A desktop without a tray, where trayer is started and killed by the test."""

    def __init__(self) -> None:
        self.desktop = start_desktop(with_trayer=False)
        self.trayer: subprocess.Popen[bytes] | None = None

    def start_trayer(self) -> None:
        self.trayer = subprocess.Popen(TRAYER, env={**os.environ, **self.desktop.env},
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)

    def kill_trayer(self) -> None:
        assert self.trayer is not None
        os.killpg(self.trayer.pid, signal.SIGKILL)
        self.trayer.wait(10)
        self.trayer = None


@pytest.fixture
def host(monkeypatch):
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())} (tests/run.sh installs them)")
    made = Host()
    monkeypatch.setenv("DISPLAY", made.desktop.display)
    yield made
    if made.trayer is not None:
        made.kill_trayer()
    made.desktop.stop()


def nothing(*_: object) -> None:
    pass


class Running:
    """An icon whose loop runs on a thread; the clicks it took and whether `setup` ran."""

    def __init__(self, view: View | None = None) -> None:
        self.clicks = threading.Semaphore(0)
        self.set_up = threading.Event()
        actions = Actions(**{name: self.clicks.release if name == "open_panel" else nothing
                             for name in fields_of(Actions)})
        self.icon = XembedIcon(actions, view)
        self.loop = threading.Thread(target=self.icon.run, args=(self.set_up.set,), daemon=True)
        self.loop.start()

    def end(self) -> None:
        self.icon.stop()
        self.loop.join(10)
        assert not self.loop.is_alive(), "the icon's loop did not end after stop"


def window_of(icon: XembedIcon) -> str:
    return hex(icon._window.id)


def drawn(host: Host, icon: XembedIcon, mode: Mode) -> bool:
    """Whether the icon's window shows `mode`'s shipped pixels where they are opaque."""
    from Xlib import X, display

    viewer = display.Display(host.desktop.display)
    try:
        window = viewer.create_resource_object("window", icon._window.id)
        size = window.get_geometry()
        side = side_for(size.width, size.height)
        left, top = (size.width - side) // 2, (size.height - side) // 2
        shown = window.get_image(left, top, side, side, X.ZPixmap, 0xFFFFFFFF).data
    except Exception:  # not viewable (yet)
        return False
    finally:
        viewer.close()
    pixels = icons.rgba(MARKER_OF_MODE[mode], side)
    opaque = [at for at in range(0, len(pixels), 4) if pixels[at + 3] == 255]
    assert opaque, "the icon has opaque pixels to compare"
    return all(shown[at:at + 3] == bytes(reversed(pixels[at:at + 3])) for at in opaque)


def state_of(host: Host, icon: XembedIcon) -> tuple[bool, int]:
    """Whether the window is on the root window, and its map state."""
    from Xlib import display

    viewer = display.Display(host.desktop.display)
    try:
        window = viewer.create_resource_object("window", icon._window.id)
        on_root = window.query_tree().parent.id == viewer.screen().root.id
        return on_root, window.get_attributes().map_state
    finally:
        viewer.close()


def test_it_docks_in_a_host_that_starts_later_and_again_after_the_host_restarts(host) -> None:
    from Xlib import X

    running = Running()
    try:
        running.set_up.wait(10)  # the rest of the tray starts with no host (after a second)
        assert running.set_up.is_set()
        assert state_of(host, running.icon) == (True, X.IsUnmapped)  # nothing on the desktop
        host.start_trayer()
        window = window_of(running.icon)
        wait_for(lambda: window in host.desktop.tray_icons(), 15, "the icon docked in trayer")
        wait_for(lambda: drawn(host, running.icon, Mode.NORMAL), 10, "the icon drawn")
        host.desktop.screenshot(ARTIFACTS / "xembed-icon" / "1-docked-in-a-later-tray.png")

        host.kill_trayer()  # the host goes: the window given back to the root is replaced
        wait_for(lambda: window_of(running.icon) != window, 10, "a new window for the icon")
        assert not exists(host, window), "the window given back is destroyed (no stray one)"
        wait_for(lambda: state_of(host, running.icon) == (True, X.IsUnmapped), 10,
                 "the new window on the root window, unmapped")
        host.start_trayer()
        window = window_of(running.icon)
        wait_for(lambda: window in host.desktop.tray_icons(), 15, "the icon docked again")
        wait_for(lambda: drawn(host, running.icon, Mode.NORMAL), 10, "the icon drawn again")
    finally:
        running.end()


def exists(host: Host, window: str) -> bool:
    from Xlib import display
    from Xlib.error import BadWindow

    viewer = display.Display(host.desktop.display)
    try:
        viewer.create_resource_object("window", int(window, 16)).get_attributes()
        return True
    except BadWindow:
        return False
    finally:
        viewer.close()


def docked_in_trayer(host: Host, view: View | None = None) -> Running:
    """An icon started once trayer runs, and docked there."""
    host.start_trayer()
    wait_for(lambda: host.desktop.run("xdotool", "search", "--class", "trayer", check=False),
             15, "trayer's window")
    running = Running(view)
    window = window_of(running.icon)
    try:
        wait_for(lambda: window in host.desktop.tray_icons(), 15, "the icon docked in trayer")
    except AssertionError:
        running.end()
        raise
    return running


def test_a_host_that_destroys_the_icons_window_gets_a_new_one(host) -> None:
    running = docked_in_trayer(host)
    try:
        window = window_of(running.icon)
        from Xlib import display

        other = display.Display(host.desktop.display)  # as a host would, from its connection
        other.create_resource_object("window", int(window, 16)).destroy()
        other.sync()
        assert not exists(host, window)
        other.close()
        wait_for(lambda: window_of(running.icon) != window, 10, "a new window for the icon")
        again = window_of(running.icon)
        wait_for(lambda: again in host.desktop.tray_icons(), 15, "the new window docked")
        wait_for(lambda: drawn(host, running.icon, Mode.NORMAL), 10, "the new window drawn")
    finally:
        running.end()


def test_a_view_from_another_thread_redraws_and_clicks_open_the_window(host) -> None:
    running = docked_in_trayer(host, View(mode=Mode.PAUSED))
    try:
        window = window_of(running.icon)
        wait_for(lambda: drawn(host, running.icon, Mode.PAUSED), 10, "the paused icon drawn")
        assert running.set_up.wait(10)
        running.icon.show(View(mode=Mode.DUE, tooltip="Pointbreak — a break is due"))
        wait_for(lambda: drawn(host, running.icon, Mode.DUE), 10, "the due icon drawn")
        host.desktop.screenshot(ARTIFACTS / "xembed-icon" / "2-due-after-a-view.png")
        for button in (1, 3):
            host.desktop.click(window, 8, 8, button)
            assert running.clicks.acquire(timeout=10), f"button {button} opened no window"
        host.desktop.click(window, 8, 8, 2)  # the middle button does nothing
        host.desktop.click(window, 8, 8, 1)
        assert running.clicks.acquire(timeout=10)
        assert not running.clicks.acquire(blocking=False)  # exactly the three clicks
    finally:
        running.end()


def test_a_stop_before_the_loop_starts_ends_it_at_once(host) -> None:
    icon = XembedIcon(Actions(*[nothing] * len(fields_of(Actions))))
    icon.stop()
    set_up = threading.Event()
    loop = threading.Thread(target=icon.run, args=(set_up.set,), daemon=True)
    loop.start()
    loop.join(10)
    assert not loop.is_alive()
    icon.stop()  # idempotent, after the end too
    icon.show(View(mode=Mode.DUE))  # and a late view is no error


def test_no_display_is_an_error_that_says_so_and_leaves_no_open_file(monkeypatch) -> None:
    monkeypatch.setenv("DISPLAY", ":4711")
    before = set(os.listdir("/proc/self/fd"))
    for _ in range(3):
        with pytest.raises(Exception, match="4711"):
            XembedIcon(Actions(*[nothing] * len(fields_of(Actions))))
    assert set(os.listdir("/proc/self/fd")) <= before
