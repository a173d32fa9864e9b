"""`pointbreak doctor`: what a person (or a bug report) needs when something does not work.

Reads only: it never moves, fixes or writes anything. Each problem comes with a one-line fix.
Exit status 0 when nothing is wrong, 1 otherwise.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tray import APP_NAME as APP
from tray import __version__

if TYPE_CHECKING:
    from tray.adapters.quiet import Capabilities, Detection


@dataclass
class Report:
    facts: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (problem, fix)

    def fact(self, name: str, value: str) -> None:
        self.facts.append((name, value))

    def problem(self, what: str, fix: str) -> None:
        self.problems.append((what, fix))

    def text(self) -> str:
        width = max(len(name) for name, _ in self.facts)
        lines = [f"{name:<{width}}  {value}" for name, value in self.facts]
        if self.problems:
            lines.append("")
            lines.append(f"{len(self.problems)} problem{'s' if len(self.problems) > 1 else ''}:")
            for what, fix in self.problems:
                lines.append(f"- {what}")
                lines.append(f"  fix: {fix}")
        else:
            lines.append("")
            lines.append("No problems found.")
        return "\n".join(lines)


SNI_HOSTS = ("a panel that hosts status notifier items gives the icon its whole menu, and "
             "Pointbreak moves there by itself as it starts (KDE, XFCE's Status Tray plugin, "
             "LXQt, MATE, Cinnamon, waybar, GNOME with the AppIndicator extension)")


def examine() -> Report:
    report = Report()
    report.fact("Pointbreak", __version__)
    report.fact("Python", f"{platform.python_version()} ({sys.executable})")
    report.fact("System", platform.platform())
    _session(report)
    _tray_backend(report)
    _notifications(report)
    _sound_and_voice(report)
    _idle(report)
    _do_not_disturb(report)
    _autostart(report)
    _folders_and_store(report)
    _last_crash(report)
    _running(report)
    return report


def _last_crash(report: Report) -> None:
    from tray.config.paths import folders
    from tray.shell import crash

    last = crash.last(folders().data)
    if last is None:
        report.fact("Last crash", "none recorded")
        return
    report.fact("Last crash", f"{last.at.astimezone():%Y-%m-%d %H:%M}, in {last.where}: "
                              f"{last.error} (the traceback is in {last.log}, at that time)")


def _session(report: Report) -> None:
    if sys.platform != "linux":
        return
    kind = os.environ.get("XDG_SESSION_TYPE") or ("wayland" if os.environ.get(
        "WAYLAND_DISPLAY") else "x11" if os.environ.get("DISPLAY") else "none")
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "unknown")
    report.fact("Desktop session", f"{kind}, {desktop} (DISPLAY={os.environ.get('DISPLAY', '')}"
                                   f", WAYLAND_DISPLAY={os.environ.get('WAYLAND_DISPLAY', '')})")
    if kind == "none":
        report.problem("No desktop session: neither DISPLAY nor WAYLAND_DISPLAY is set.",
                       "run Pointbreak from a desktop session")
    if "GNOME" in desktop.upper():
        report.problem("GNOME shows no tray icons without the AppIndicator extension (prompts "
                       "still come; `pointbreak` opens the control window).",
                       "install and enable the AppIndicator and KStatusNotifierItem Support "
                       "extension (Debian/Ubuntu: gnome-shell-extension-appindicator)")


def _tray_backend(report: Report) -> None:
    from tray.adapters import icon
    from tray.adapters.choosing import system_of

    host = None
    if system_of() == "linux":
        host = icon.find_host()
        report.fact("Tray host", str(host))
        if host.protocol == "sni":
            report.fact("Tray backend", "sni (menu: yes)")
            return
        if host.protocol == "none":
            report.problem("No tray host here: no StatusNotifierWatcher on the session bus and "
                           "no XEmbed system tray on the display, so no icon shows (prompts "
                           "still come; `pointbreak` opens the control window).",
                           "add a tray to the panel (XFCE, KDE, LXQt, MATE: the system tray "
                           "or status notifier plugin; GNOME: the AppIndicator extension)")
    try:
        pystray = icon.load_pystray()
    except Exception as error:
        report.fact("Tray backend", f"none ({error.__class__.__name__}: {error})")
        report.problem("pystray cannot load a tray backend here.",
                       "run Pointbreak inside a desktop session")
        return
    can = icon.capabilities(pystray.Icon)
    report.fact("Tray backend", f"{can.backend} (menu: {'yes' if can.has_menu else 'no'})")
    if can.menu_with_sni_host and host is not None and host.protocol == "xembed":
        report.problem("The tray icon has no menu (an XEmbed tray shows only the icon): a click "
                       "opens the control window instead.", SNI_HOSTS)


def _notifications(report: Report) -> None:
    from tray.adapters import notify
    from tray.adapters.choosing import AUTO, UnknownChoice

    try:
        chosen = notify.select()
    except UnknownChoice as error:
        report.problem(str(error), f"unset {error.variable}, or set it to one of those")
        chosen = notify.select(None, AUTO)
    if chosen.name == "none":
        report.fact("Notifications", "none")
        report.problem("No way to show desktop notifications (prompts still come as the card).",
                       "install a notification daemon (Debian/Ubuntu: dunst or your desktop's) "
                       "and libnotify-bin for notify-send")
    else:
        report.fact("Notifications", f"{chosen.name} (buttons: "
                                     f"{'yes' if chosen.has_actions else 'no'})")


def _sound_and_voice(report: Report) -> None:
    from tray.adapters import sound, speech
    from tray.config import paths
    from tray.config import settings as settings_file
    from tray.config.schema import Voice

    settings, _ = settings_file.load(paths.folders().settings)
    player = sound.find()
    if not settings.sound:
        report.fact("Sound", "off in the settings")
    elif player.name == "bell":
        report.fact("Sound", f"the window's bell only: {player.reason}")
        if sys.platform.startswith("linux"):
            report.problem("The routine's chimes cannot be played here (the bell is silent on "
                           "most Linux desktops).", "install pulseaudio-utils (paplay), "
                           "pipewire-bin (pw-play) or alsa-utils (aplay), with a sound server")
    else:
        report.fact("Sound", f"{player.name}, through {player.reason}, at {settings.volume} %")
    reader = speech.screen_reader()
    voice = speech.find()
    is_on = settings.voice is Voice.ON or (settings.voice is Voice.AUTO and reader is not None)
    when = {Voice.AUTO: "on while a screen reader runs", Voice.ON: "on",
            Voice.OFF: "off"}[settings.voice]
    report.fact("Voice", f"{when} (voice = \"{settings.voice.value}\"), so "
                         f"{'on' if is_on else 'off'} now; speech: {voice.name} ({voice.reason})")
    if is_on and voice.name == "none":
        report.problem("The voice is on but nothing here can speak.",
                       "install speech-dispatcher and espeak-ng (Debian/Ubuntu)"
                       if sys.platform.startswith("linux") else "set voice = \"off\"")
    report.fact("Screen reader", f"{reader or 'none running'}. {SCREEN_READER_READS}")


SCREEN_READER_READS = (
    "It can read the window titles (the routine's names the step: \"Step 3 of 11: Press\") and "
    "the prompt's notification with its Start, Snooze and Skip (where the notification server "
    "is accessible: GNOME Shell, notification-daemon; not dunst); it cannot read the text and "
    "buttons inside Pointbreak's windows (Tk has no accessibility interface), which the voice "
    "speaks instead, and every control there is reached by keyboard")


def _idle(report: Report) -> None:
    """Which idle reader runs, and why it (and not another). (What Wayland cannot show, other
    apps' fullscreen windows, is said on the fullscreen detector's line.)"""
    from tray.adapters import idle
    from tray.adapters.choosing import AUTO, UnknownChoice

    failures: list[tuple[str, str]] = []
    try:
        reader = idle.select(failures=failures)
        why = "forced by POINTBREAK_IDLE" if os.environ.get("POINTBREAK_IDLE", "").strip() \
            .lower() not in ("", AUTO) else idle.candidates()[1]
    except UnknownChoice as error:
        report.problem(str(error), f"unset {error.variable}, or set it to one of those")
        reader, why = idle.select(AUTO, failures=failures), idle.candidates()[1]
    tried = "".join(f"; {name} not usable: {reason}" for name, reason in failures)
    if reader is None:
        report.fact("Idle time", f"none ({why}{tried})")
        report.problem("Pointbreak cannot tell when you are away from the keyboard: breaks "
                       "still come, but a long absence does not count as a break.",
                       "on X11 the server needs the MIT-SCREEN-SAVER extension; on Wayland, "
                       "GNOME's Mutter, or a compositor with ext_idle_notifier_v1 or "
                       "org_kde_kwin_idle (KWin, sway)")
    else:
        detail = getattr(reader, "detail", "")
        report.fact("Idle time", f"{reader.name}{f' ({detail}, events)' if detail else ''}: "
                                 f"{why}{tried}")
        reader.close()


def _do_not_disturb(report: Report) -> None:
    """One line per detector: what holds prompts here, what is off, what cannot work."""
    from tray.adapters import quiet
    from tray.config import paths
    from tray.config import settings as settings_file

    settings, _ = settings_file.load(paths.folders().settings)
    can = quiet.capabilities()
    for name, is_on, works in (
            ("fullscreen", settings.hold_when_fullscreen, _fullscreen_detector),
            ("desktop setting", settings.hold_when_system_quiet, _system_detector),
            ("microphone", settings.hold_during_calls, _microphone_detector),
            ("camera", settings.hold_during_calls, _camera_detector)):
        report.fact(f"Do not disturb: {name}", works(can) if is_on else "off in the settings")


def _not_detected(detection: Detection) -> str:
    return (f"not detected: {detection.why_not}" if detection.why_not
            else "not detected on this system")


def _fullscreen_detector(can: Capabilities) -> str:
    if can.fullscreen.how == "windows":
        return "watched (a fullscreen app or presentation mode, asked once a minute)"
    if can.fullscreen.how != "x11":
        return _not_detected(can.fullscreen)
    if os.environ.get("DISPLAY"):
        from tray.adapters.idle import is_wayland_session

        if is_wayland_session():  # XWayland: X apps' windows only
            return "watched for X11 apps only (XWayland; Wayland offers no way to see other " \
                   "apps' windows)"
        return "watched (X11)"
    return "not detected: needs X11 (Wayland offers no way to see other apps' windows)"


def _system_detector(can: Capabilities) -> str:
    if can.system.how != "gnome":
        return _not_detected(can.system)
    from tray.adapters.quiet import GnomeBannersWatcher

    try:
        watcher = GnomeBannersWatcher(lambda _event: None)
    except Exception as error:
        return f"not detected: {error} (GNOME's show-banners setting is what is read)"
    now = "on" if watcher.is_quiet else "off"
    try:
        from jeepney.io.blocking import open_dbus_connection

        open_dbus_connection(bus="SESSION").close()
    except Exception as error:  # changes come as D-Bus signals
        why = ("DBUS_SESSION_BUS_ADDRESS is not set" if isinstance(error, KeyError)
               else str(error))
        return f"not watched: no D-Bus session bus ({why}); GNOME's do not disturb is {now}"
    return f"watched (GNOME's do not disturb, now {now})"


def _microphone_detector(can: Capabilities) -> str:
    if can.calls.how == "windows":
        return "watched (Windows' privacy indicator, asked once a minute)"
    if can.calls.how != "linux":
        return _not_detected(can.calls)
    import subprocess

    pactl = shutil.which("pactl")
    if pactl is None:
        return "not detected: needs pactl (Debian: pulseaudio-utils) and PulseAudio or PipeWire"
    try:
        subprocess.run([pactl, "info"], capture_output=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return "not detected: no PulseAudio or PipeWire sound server answers"
    return "watched (PulseAudio/PipeWire recording streams)"


def _camera_detector(can: Capabilities) -> str:
    if can.calls.how == "windows":
        return "watched (Windows' privacy indicator, asked once a minute)"
    if can.calls.how != "linux":
        return _not_detected(can.calls)
    from pathlib import Path

    count = len(list(Path("/dev").glob("video*")))
    return f"watched ({count} camera device{'s' if count != 1 else ''} in /dev)"


def _autostart(report: Report) -> None:
    from tray.adapters import autostart

    try:
        entry = autostart.backend()
        is_on = entry.is_enabled()
        command = entry.command()
    except Exception as error:
        report.fact("Start at login", f"unknown ({error})")
        return
    if not is_on:
        report.fact("Start at login", "off (turn on: pointbreak autostart on)")
        return
    report.fact("Start at login", "on: " + " ".join(command or []))
    program = (command or [""])[0]
    if not program or not (os.path.isfile(program) or shutil.which(program)):
        report.problem(f"Start at login runs {program!r}, which does not exist (moved or "
                       "uninstalled?).", "pointbreak autostart on (writes this install's "
                                         "command)")


def _folders_and_store(report: Report) -> None:
    from tray.config.paths import folders
    from tray.config.profile import load_profile
    from tray.store import AtomicJSONStorage, Unreadable, _check

    where = folders()
    report.fact("Settings", str(where.settings))
    report.fact("Data", str(where.data))
    report.fact("Log", str(where.log / "pointbreak.log"))
    for problem in load_profile().problems:  # the settings and the routine they name
        report.problem(problem, f"edit {where.settings}")
    path = where.store
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        report.fact("History", "none yet")
        return
    except OSError as error:
        report.fact("History", f"cannot be read ({error.strerror})")
        report.problem(f"The history file {path} cannot be read.", "check its permissions")
        return
    try:
        data = AtomicJSONStorage(path).read()
        if data is not None:
            _check(data)
    except Unreadable as error:
        report.fact("History", f"{size / 1024:.0f} KiB, unreadable")
        report.problem(f"The history file {path} cannot be read: {error}.",
                       "start Pointbreak: it keeps the file aside as history.json.unreadable-"
                       "<time> and starts a fresh history (or restore a backup of it)")
        return
    tables = sum(1 for name in (data or {}) if name.startswith("records-"))
    records = sum(len(t) for n, t in (data or {}).items() if n.startswith("records-"))
    report.fact("History", f"{size / 1024:.0f} KiB, {records} records in {tables} months, "
                           "healthy")


def _running(report: Report) -> None:
    from tray.config.paths import folders
    from tray.ipc import client, protocol
    from tray.ipc.commands import Command, Request

    try:
        reply = client.ask(folders().runtime, Request(Command.STATUS), timeout=5.0)
        report.fact("Tray", "running")
        for line in reply.text.splitlines():
            if line.startswith("Problem: "):  # what stopped working in the running tray
                report.problem(line.removeprefix("Problem: "),
                               f"see the log; quitting and starting {APP} again retries it")
    except protocol.TrayNotAnswering as error:
        report.fact("Tray", "running, but not answering")
        report.problem(f"The tray runs but its control channel did not answer: {error}",
                       "wait a moment and try again; if it stays so, quit it from its menu "
                       "or end its process, then start `pointbreak`")
    except protocol.TrayNotRunning:
        report.fact("Tray", "not running (start it: pointbreak)")
