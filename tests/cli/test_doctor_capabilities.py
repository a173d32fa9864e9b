"""`doctor` says what each do-not-disturb detector does from the quiet port's capabilities, not
from `sys.platform`: the same words as before on each system."""

from __future__ import annotations

import sys
import types

import pytest

from tray.adapters import quiet
from tray.cli import doctor, doctor_detectors

WINDOWS_CALLS = "watched (Windows' privacy indicator, asked once a minute)"


@pytest.mark.parametrize(("platform", "expected"), [
    ("win32", ["watched (a fullscreen app or presentation mode, asked once a minute)",
               "not detected: this system offers no public API for its own do not disturb",
               WINDOWS_CALLS, WINDOWS_CALLS]),
    ("darwin", ["not detected: macOS offers no public API for it",
                "not detected: this system offers no public API for its own do not disturb",
                "not detected on this system", "not detected on this system"]),
    ("freebsd14", ["watched (X11)",
                   "not detected: this system offers no public API for its own do not disturb",
                   "not detected on this system", "not detected on this system"]),
], ids=["windows", "macos", "other"])
def test_the_detectors_doctor_names_follow_the_capabilities(platform, expected,
                                                             monkeypatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    can = quiet.capabilities(platform)
    said = [doctor_detectors.fullscreen_detector(can), doctor_detectors.system_detector(can),
            doctor_detectors.microphone_detector(can), doctor_detectors.camera_detector(can)]
    assert said == expected


def test_on_linux_the_x11_watch_needs_a_display(monkeypatch) -> None:
    can = quiet.capabilities("linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    assert doctor_detectors.fullscreen_detector(can) == "watched (X11)"
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")  # XWayland: X apps only
    assert doctor_detectors.fullscreen_detector(can) == (
        "watched for X11 apps only (XWayland; Wayland offers no way to see other apps' windows)")
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.delenv("DISPLAY")
    assert doctor_detectors.fullscreen_detector(can).startswith("not detected: needs X11")
    assert doctor_detectors.camera_detector(can).startswith("watched (")


def test_doctors_report_asks_the_port(monkeypatch, profile) -> None:
    """The whole do-not-disturb section, with the port answering as it would on a Mac."""
    on_a_mac = quiet.capabilities("darwin")
    monkeypatch.setattr(quiet, "capabilities", lambda: on_a_mac)
    report = doctor.Report()
    doctor_detectors.do_not_disturb(report)
    assert dict(report.facts) == {
        "Do not disturb: fullscreen": "not detected: macOS offers no public API for it",
        "Do not disturb: desktop setting":
            "not detected: this system offers no public API for its own do not disturb",
        "Do not disturb: microphone": "not detected on this system",
        "Do not disturb: camera": "not detected on this system"}


def test_doctor_suggests_a_status_notifier_host_only_where_the_icon_port_says_it_helps(
        monkeypatch) -> None:
    from tray.adapters import choosing, icon

    # Linux with an XEmbed tray (trayer, say): the XEmbed icon, which has no menu.
    monkeypatch.setattr(icon, "find_host", lambda: icon.Host("xembed"))
    report = doctor.Report()
    doctor._tray_backend(report)
    assert report.facts == [("Tray host", "XEmbed (a system tray on the X display)"),
                            ("Tray backend", "xembed (menu: no)")]
    [(what, fix)] = report.problems
    assert "no menu" in what and "hosts status notifier items" in fix

    # macOS: pystray's menu-bar icon, which has its menu: nothing to suggest.
    class Bare:  # pystray as doctor imports it there, with its darwin backend's flags
        __module__ = "pystray._darwin"
        HAS_MENU, HAS_DEFAULT_ACTION, HAS_NOTIFICATION = True, True, True

    monkeypatch.setitem(sys.modules, "pystray", types.SimpleNamespace(Icon=Bare))
    monkeypatch.setattr(choosing, "system_of", lambda platform=sys.platform: "macos")
    monkeypatch.setattr(icon, "capabilities", lambda cls, real=icon.capabilities: real(
        cls, "darwin"))
    report = doctor.Report()
    doctor._tray_backend(report)
    assert report.facts == [("Tray backend", "darwin (menu: yes)")]
    assert report.problems == []
    monkeypatch.undo()

    # Where no tray host runs at all, that is the one problem told.
    monkeypatch.setattr(icon, "find_host", lambda: icon.Host("none", reason="none here"))
    report = doctor.Report()
    doctor._tray_backend(report)
    assert [what for what, _ in report.problems] == [
        "No tray host here: no StatusNotifierWatcher on the session bus and no XEmbed system "
        "tray on the display, so no icon shows (prompts still come; `pointbreak` opens the "
        "control window)."]


def test_doctor_says_which_idle_reader_and_why_none_on_wayland_without_one(monkeypatch, profile,
                                                                         tmp_path) -> None:
    """A Wayland session whose compositor is not there: each candidate tried, in its order,
    with its reason, and no XWayland reading in their place."""
    monkeypatch.setenv("WAYLAND_DISPLAY", str(tmp_path / "no-compositor"))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    monkeypatch.delenv("POINTBREAK_IDLE", raising=False)
    report = doctor.Report()
    doctor_detectors.idle_time(report)
    said = dict(report.facts)["Idle time"]
    assert said.startswith("none (a Wayland session: the compositor's idle protocol first; "
                           "never XWayland's X11 idle time (it sees only X apps' input); "
                           "wayland not usable: no Wayland compositor at "), said
    assert said.index("; mutter not usable") < said.index("; screensaver not usable")
    assert "x11" not in said
    assert "ext_idle_notifier_v1 or org_kde_kwin_idle" in report.problems[0][1]
