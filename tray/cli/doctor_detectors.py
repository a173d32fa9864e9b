"""`pointbreak doctor`'s lines on what Pointbreak senses and says here: the sound and the voice,
the idle time, and each do-not-disturb detector."""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from tray.base.i18n import N_, _, ngettext
from tray.cli.doctor_report import Report, unknown_choice

if TYPE_CHECKING:
    from tray.adapters.quiet import Capabilities, Detection
    from tray.config.schema import Voice


def sound_and_voice(report: Report) -> None:
    from tray.adapters import sound, speech
    from tray.config import paths
    from tray.config import settings as settings_file
    from tray.config.schema import Voice

    settings, _problems = settings_file.load(paths.folders().settings)
    player = sound.find()
    if not settings.sound:
        report.fact(_("Sound"), _("off in the settings"))
    elif player.name == "bell":
        report.fact(_("Sound"), _("the window's bell only: {reason}").format(
            reason=player.reason))
        if sys.platform.startswith("linux"):
            report.problem(_("The routine's chimes cannot be played here (the bell is silent "
                             "on most Linux desktops)."),
                           _("install pulseaudio-utils (paplay), pipewire-bin (pw-play) or "
                             "alsa-utils (aplay), with a sound server"))
    else:
        report.fact(_("Sound"), _("{player}, through {reason}, at {volume} %").format(
            player=player.name, reason=player.reason, volume=settings.volume))
    reader = speech.screen_reader()
    voice = speech.find()
    is_on = settings.voice is Voice.ON or (settings.voice is Voice.AUTO and reader is not None)
    report.fact(_("Voice"), _voice_text(settings.voice, is_on).format(
        value=settings.voice.value, speech=voice.name, reason=voice.reason))
    if is_on and voice.name == "none":
        report.problem(_("The voice is on but nothing here can speak."),
                       _("install speech-dispatcher and espeak-ng (Debian/Ubuntu)")
                       if sys.platform.startswith("linux") else
                       # TRANSLATORS: voice = "off" is a line of the settings file, as written.
                       _('set voice = "off"'))
    report.fact(_("Screen reader"), (
        _("{reader}. {reads}").format(reader=reader, reads=_(SCREEN_READER_READS)) if reader
        else _("none running. {reads}").format(reads=_(SCREEN_READER_READS))))


def _voice_text(voice: Voice, is_on: bool) -> str:
    """Whether the voice speaks, each case a sentence of its own (voice = "..." is the
    setting's line as written in the file)."""
    from tray.config.schema import Voice

    return {(Voice.AUTO, True): _('on while a screen reader runs (voice = "{value}"), so on '
                                  'now; speech: {speech} ({reason})'),
            (Voice.AUTO, False): _('on while a screen reader runs (voice = "{value}"), so off '
                                   'now; speech: {speech} ({reason})'),
            (Voice.ON, True): _('on (voice = "{value}"), so on now; speech: {speech} '
                                '({reason})'),
            (Voice.OFF, False): _('off (voice = "{value}"), so off now; speech: {speech} '
                                  '({reason})')}[(voice, is_on)]


# TRANSLATORS: the window title and the buttons (Start, Snooze, Skip) as the windows and the
# notification say them in this language.
SCREEN_READER_READS = N_(
    "It can read the window titles (the routine's names the step: \"Step 3 of 11: Press\") and "
    "the prompt's notification with its Start, Snooze and Skip (where the notification server "
    "is accessible: GNOME Shell, notification-daemon; not dunst); it cannot read the text and "
    "buttons inside Pointbreak's windows (Tk has no accessibility interface), which the voice "
    "speaks instead, and every control there is reached by keyboard")


def idle_time(report: Report) -> None:
    """Which idle reader runs, and why it (and not another). (What Wayland cannot show, other
    apps' fullscreen windows, is said on the fullscreen detector's line.)"""
    from tray.adapters import idle
    from tray.adapters.choosing import AUTO, UnknownChoice

    failures: list[tuple[str, str]] = []
    try:
        reader = idle.select(failures=failures)
        why = _("forced by POINTBREAK_IDLE") if os.environ.get("POINTBREAK_IDLE", "").strip() \
            .lower() not in ("", AUTO) else idle.candidates()[1]
    except UnknownChoice as error:
        unknown_choice(report, error)
        reader, why = idle.select(AUTO, failures=failures), idle.candidates()[1]
    # TRANSLATORS: {name} is an idle reader's name (mutter, screensaver, x11, wayland).
    why = "; ".join([why, *(_("{name} not usable: {reason}").format(name=name, reason=reason)
                            for name, reason in failures)])
    if reader is None:
        report.fact(_("Idle time"), _("none ({reason})").format(reason=why))
        report.problem(_("Pointbreak cannot tell when you are away from the keyboard: breaks "
                         "still come, but a long absence does not count as a break."),
                       _("on X11 the server needs the MIT-SCREEN-SAVER extension; on Wayland, "
                         "GNOME's Mutter, or a compositor with ext_idle_notifier_v1 or "
                         "org_kde_kwin_idle (KWin, sway)"))
    else:
        detail = getattr(reader, "detail", "")
        report.fact(_("Idle time"),
                    # TRANSLATORS: {detail} names how the idle time is read; "events": it is
                    # told of each change rather than asking.
                    _("{reader} ({detail}, events): {why}").format(
                        reader=reader.name, detail=detail, why=why) if detail
                    else f"{reader.name}: {why}")
        reader.close()


def do_not_disturb(report: Report) -> None:
    """One line per detector: what holds prompts here, what is off, what cannot work."""
    from tray.adapters import quiet
    from tray.config import paths
    from tray.config import settings as settings_file

    settings, _problems = settings_file.load(paths.folders().settings)
    can = quiet.capabilities()
    for name, is_on, works in (
            (_("Do not disturb: fullscreen"), settings.hold_when_fullscreen,
             fullscreen_detector),
            (_("Do not disturb: desktop setting"), settings.hold_when_system_quiet,
             system_detector),
            (_("Do not disturb: microphone"), settings.hold_during_calls, microphone_detector),
            (_("Do not disturb: camera"), settings.hold_during_calls, camera_detector)):
        report.fact(name, works(can) if is_on else _("off in the settings"))


def _not_detected(detection: Detection) -> str:
    return (_("not detected: {reason}").format(reason=detection.why_not) if detection.why_not
            else _("not detected on this system"))


def fullscreen_detector(can: Capabilities) -> str:
    if can.fullscreen.how == "windows":
        return _("watched (a fullscreen app or presentation mode, asked once a minute)")
    if can.fullscreen.how != "x11":
        return _not_detected(can.fullscreen)
    if os.environ.get("DISPLAY"):
        from tray.adapters.idle import is_wayland_session

        if is_wayland_session():  # XWayland: X apps' windows only
            return _("watched for X11 apps only (XWayland; Wayland offers no way to see other "
                     "apps' windows)")
        return _("watched (X11)")
    return _("not detected: needs X11 (Wayland offers no way to see other apps' windows)")


def system_detector(can: Capabilities) -> str:
    if can.system.how != "gnome":
        return _not_detected(can.system)
    from tray.adapters.quiet import GnomeBannersWatcher

    try:
        watcher = GnomeBannersWatcher(lambda _event: None)
    except Exception as error:
        return _("not detected: {error} (GNOME's show-banners setting is what is read)").format(
            error=error)
    try:
        from jeepney.io.blocking import open_dbus_connection

        open_dbus_connection(bus="SESSION").close()
    except Exception as error:  # changes come as D-Bus signals
        why = (_("DBUS_SESSION_BUS_ADDRESS is not set") if isinstance(error, KeyError)
               else str(error))
        if watcher.is_quiet:
            return _("not watched: no D-Bus session bus ({reason}); GNOME's do not disturb is "
                     "on").format(reason=why)
        return _("not watched: no D-Bus session bus ({reason}); GNOME's do not disturb is "
                 "off").format(reason=why)
    if watcher.is_quiet:
        return _("watched (GNOME's do not disturb, now on)")
    return _("watched (GNOME's do not disturb, now off)")


def microphone_detector(can: Capabilities) -> str:
    if can.calls.how == "windows":
        return _("watched (Windows' privacy indicator, asked once a minute)")
    if can.calls.how != "linux":
        return _not_detected(can.calls)
    import subprocess

    pactl = shutil.which("pactl")
    if pactl is None:
        return _("not detected: needs pactl (Debian: pulseaudio-utils) and PulseAudio or "
                 "PipeWire")
    try:
        subprocess.run([pactl, "info"], capture_output=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return _("not detected: no PulseAudio or PipeWire sound server answers")
    return _("watched (PulseAudio/PipeWire recording streams)")


def camera_detector(can: Capabilities) -> str:
    if can.calls.how == "windows":
        return _("watched (Windows' privacy indicator, asked once a minute)")
    if can.calls.how != "linux":
        return _not_detected(can.calls)
    from pathlib import Path

    count = len(list(Path("/dev").glob("video*")))
    return ngettext("watched ({n} camera device in /dev)", "watched ({n} camera devices in /dev)",
                    count).format(n=count)
