"""`pointbreak doctor` on a healthy profile and on broken ones: it names the problem and the fix,
and changes nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def doctor(profile, desktop, **env: str):
    profile.env.update(desktop.env)
    profile.env.update(env)
    return profile.run("doctor")


def facts(result) -> list[str]:
    """Each line with its name column closed up: 'Tray backend  xorg' -> 'Tray backend xorg'."""
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def test_a_healthy_profile(panel_desktop, profile) -> None:
    """A panel that hosts status notifier items (xfce4-panel), a notification daemon, GNOME's
    settings, a sound server: nothing to fix."""
    from audio import sound_server

    with sound_server(profile.home / "pulse", profile.env) as sound:
        result = doctor(profile, panel_desktop, PULSE_SERVER=sound.env["PULSE_SERVER"])
    assert result.returncode == 0, result.stdout
    lines = facts(result)
    assert any(line.startswith("Desktop session x11,") for line in lines)
    assert any(line.startswith("Tray host StatusNotifierItem (watcher: panel-1-systray, pid ")
               and line.endswith("; menus: yes)") for line in lines), lines
    for fact in ("Tray backend sni (menu: yes)",
                 "Notifications dbus (buttons: yes)", "Start at login off",
                 "History none yet", "Tray not running (start it: pointbreak)",
                 "Do not disturb: fullscreen watched (X11)",
                 "Do not disturb: desktop setting watched (GNOME's do not disturb, now off)"):
        assert any(line.startswith(fact) for line in lines), fact
    assert any(line.startswith("Do not disturb: microphone ") for line in lines)
    assert any(line.startswith("Do not disturb: camera watched (") for line in lines)
    assert f"Sound paplay, through the PulseAudio server {sound.env['PULSE_SERVER']}, at 70 %" \
        in lines
    assert any(line.startswith('Voice on while a screen reader runs (voice = "auto"), so off now; '
                               "speech: spd-say") for line in lines), lines
    assert any(line.startswith("Screen reader none running. It can read the window titles")
               for line in lines)
    assert result.stdout.rstrip().endswith("No problems found.")


def test_no_sound_server_is_a_problem_with_its_fix(desktop, profile) -> None:
    result = doctor(profile, desktop)
    assert result.returncode == 1
    assert any(line.startswith("Sound the window's bell only:") for line in facts(result))
    assert "The routine's chimes cannot be played here" in result.stdout
    assert "fix: install pulseaudio-utils (paplay)" in result.stdout
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text("[routine]\nsound = false\n")
    quiet = doctor(profile, desktop)
    assert "Sound off in the settings" in facts(quiet)
    assert "chimes cannot be played" not in quiet.stdout


def test_a_corrupt_store_is_named_and_left_alone(desktop, profile) -> None:
    month = profile.store / "2026-10.json"
    profile.store.mkdir(parents=True)
    month.write_bytes(b"{ this is not json")
    result = doctor(profile, desktop)
    assert result.returncode == 1
    assert f"The history file {month} cannot be read: it is not valid JSON" in (
        result.stdout)
    assert "fix: start Pointbreak: it keeps the file aside as 2026-10.json.unreadable-" in (
        result.stdout)
    assert month.read_bytes() == b"{ this is not json"  # doctor only reads
    assert sorted(p.name for p in profile.store.iterdir()) == ["2026-10.json"]


def test_no_notification_path_is_named(desktop, profile) -> None:
    result = doctor(profile, desktop, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
                    PATH="/nonexistent")
    assert result.returncode == 1
    assert "Notifications none" in facts(result)
    assert "No way to show desktop notifications" in result.stdout
    assert "fix: install a notification daemon" in result.stdout


def test_start_at_login_pointing_at_a_removed_executable(desktop, profile) -> None:
    folder = profile.home / ".config" / "autostart"
    folder.mkdir(parents=True)
    (folder / "pointbreak.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Pointbreak\nExec=/opt/gone/bin/pointbreak\n")
    result = doctor(profile, desktop)
    assert result.returncode == 1
    assert "Start at login runs '/opt/gone/bin/pointbreak', which does not exist" in (
        result.stdout)
    assert "fix: pointbreak autostart on" in result.stdout


def test_an_xembed_tray_suggests_a_status_notifier_host(desktop, profile) -> None:
    """trayer only: the icon has no menu, and what gives one is said. A GTK backend asked of
    pystray changes nothing (pystray is not used on Linux, nor PyGObject)."""
    result = doctor(profile, desktop, PYSTRAY_BACKEND="appindicator")
    lines = facts(result)
    assert "Tray host XEmbed (a system tray on the X display)" in lines
    assert "Tray backend xembed (menu: no)" in lines
    assert "a panel that hosts status notifier items gives the icon its whole menu" in (
        " ".join(result.stdout.split())) and result.returncode == 1
    assert "pointbreak[gtk]" not in result.stdout


def test_detectors_turned_off_in_the_settings_are_said_to_be(desktop, profile) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text("[do_not_disturb]\nfullscreen = false\ncalls = false\n")
    lines = facts(doctor(profile, desktop))
    for name in ("fullscreen", "microphone", "camera"):
        assert f"Do not disturb: {name} off in the settings" in lines
    assert "Do not disturb: desktop setting off in the settings" not in lines


def test_gnome_do_not_disturb_needs_the_session_bus(desktop, profile) -> None:
    lines = facts(doctor(profile, desktop, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent"))
    assert any(line.startswith("Do not disturb: desktop setting not watched: no D-Bus session "
                               "bus") and line.endswith("GNOME's do not disturb is off")
               for line in lines), lines
