"""`pointbreak doctor`: what a person (or a bug report) needs when something does not work.

Reads only: it never moves, fixes or writes anything. Each problem comes with a one-line fix.
Exit status 0 when nothing is wrong, 1 otherwise.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
from typing import TYPE_CHECKING

from tray import APP_NAME as APP
from tray import __version__
from tray.base.i18n import _, ngettext
from tray.cli.doctor_detectors import do_not_disturb, idle_time, sound_and_voice
from tray.cli.doctor_report import Report, unknown_choice, yes_or_no

if TYPE_CHECKING:
    from tray.adapters.icon.hosts import Host


def examine() -> Report:
    report = Report()
    report.fact("Pointbreak", __version__)
    report.fact("Python", f"{platform.python_version()} ({sys.executable})")
    report.fact(_("System"), platform.platform())
    _session(report)
    _tray_backend(report)
    _notifications(report)
    sound_and_voice(report)
    idle_time(report)
    do_not_disturb(report)
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
        report.fact(_("Last crash"), _("none recorded"))
        return
    report.fact(_("Last crash"), _("{time}, in {where}: {error} (the traceback is in {log}, at "
                                   "that time)").format(
        time=f"{last.at.astimezone():%Y-%m-%d %H:%M}", where=last.where, error=last.error,
        log=last.log))


def _session(report: Report) -> None:
    if sys.platform != "linux":
        return
    kind = os.environ.get("XDG_SESSION_TYPE") or ("wayland" if os.environ.get(
        "WAYLAND_DISPLAY") else "x11" if os.environ.get("DISPLAY") else "none")
    desktop = os.environ.get("XDG_CURRENT_DESKTOP", "")
    report.fact(_("Desktop session"), _("{kind}, {desktop} ({variables})").format(
        # TRANSLATORS: "none": there is none here (no desktop session, no notifications).
        kind=_("none") if kind == "none" else kind, desktop=desktop or _("unknown"),
        variables=f"DISPLAY={os.environ.get('DISPLAY', '')}, "
                  f"WAYLAND_DISPLAY={os.environ.get('WAYLAND_DISPLAY', '')}"))
    if kind == "none":
        report.problem(_("No desktop session: neither DISPLAY nor WAYLAND_DISPLAY is set."),
                       _("run Pointbreak from a desktop session"))
    if "GNOME" in desktop.upper():
        report.problem(_("GNOME shows no tray icons without the AppIndicator extension (prompts "
                         "still come; `pointbreak` opens the control window)."),
                       _("install and enable the AppIndicator and KStatusNotifierItem Support "
                         "extension (Debian/Ubuntu: gnome-shell-extension-appindicator)"))


def _tray_backend(report: Report) -> None:
    from tray.adapters import icon
    from tray.adapters.choosing import system_of

    host = None
    if system_of() == "linux":
        host = icon.find_host()
        report.fact(_("Tray host"), _host_text(host))
        if host.protocol == "sni":
            report.fact(_("Tray backend"), _("{backend} (menu: {answer})").format(
                backend="sni", answer=yes_or_no(True)))
            return
        if host.protocol == "none":
            report.problem(_("No tray host here: no StatusNotifierWatcher on the session bus and "
                             "no XEmbed system tray on the display, so no icon shows (prompts "
                             "still come; `pointbreak` opens the control window)."),
                           _("add a tray to the panel (XFCE, KDE, LXQt, MATE: the system tray "
                             "or status notifier plugin; GNOME: the AppIndicator extension)"))
    if system_of() == "linux":
        from tray.adapters.icon.xembed import CAPABILITIES as can
    else:
        try:
            from tray.adapters.icon.pystray_backend import load_pystray

            pystray = load_pystray()
        except Exception as error:
            report.fact(_("Tray backend"), _("none ({error})").format(
                error=f"{error.__class__.__name__}: {error}"))
            report.problem(_("pystray cannot load a tray backend here."),
                           _("run Pointbreak inside a desktop session"))
            return
        can = icon.capabilities(pystray.Icon)
    report.fact(_("Tray backend"), _("{backend} (menu: {answer})").format(
        backend=can.backend, answer=yes_or_no(can.has_menu)))
    if can.menu_with_sni_host and host is not None and host.protocol == "xembed":
        report.problem(_("The tray icon has no menu (an XEmbed tray shows only the icon): a "
                         "click opens the control window instead."),
                       _("a panel that hosts status notifier items gives the icon its whole "
                         "menu, and Pointbreak moves there by itself as it starts (KDE, XFCE's "
                         "Status Tray plugin, LXQt, MATE, Cinnamon, waybar, GNOME with the "
                         "AppIndicator extension)"))


def _host_text(host: Host) -> str:
    """Which tray host runs here (tray.adapters.icon.hosts.Host), in words."""
    if host.protocol == "sni":
        who = (_("{process}, pid {pid}").format(process=host.process or _("unknown"),
                                                pid=host.pid) if host.pid else _("unknown"))
        if host.shows_menus:
            return _("StatusNotifierItem (watcher: {who}; menus: yes)").format(who=who)
        return _("StatusNotifierItem (watcher: {who}; menus: no, a click opens the control "
                 "window)").format(who=who)
    if host.protocol == "xembed":
        return _("XEmbed (a system tray on the X display)")
    return _("none ({reason})").format(reason=host.reason)

def _notifications(report: Report) -> None:
    from tray.adapters import notify
    from tray.adapters.choosing import AUTO, UnknownChoice

    try:
        chosen = notify.select()
    except UnknownChoice as error:
        unknown_choice(report, error)
        chosen = notify.select(None, AUTO)
    if chosen.name == "none":
        report.fact(_("Notifications"), _("none"))
        report.problem(_("No way to show desktop notifications (prompts still come as the "
                         "card)."),
                       _("install a notification daemon (Debian/Ubuntu: dunst or your "
                         "desktop's) and libnotify-bin for notify-send"))
    else:
        report.fact(_("Notifications"), _("{name} (buttons: {answer})").format(
            name=chosen.name, answer=yes_or_no(chosen.has_actions)))

def _autostart(report: Report) -> None:
    from tray.adapters import autostart

    try:
        entry = autostart.backend()
        is_on = entry.is_enabled()
        command = entry.command()
    except Exception as error:
        report.fact(_("Start at login"), _("unknown ({error})").format(error=error))
        return
    if not is_on:
        report.fact(_("Start at login"),
                    # TRANSLATORS: "pointbreak autostart on" is the command, typed as it is.
                    _("off (turn on: pointbreak autostart on)"))
        return
    report.fact(_("Start at login"), _("on: {command}").format(command=" ".join(command or [])))
    program = (command or [""])[0]
    if not program or not (os.path.isfile(program) or shutil.which(program)):
        report.problem(_("Start at login runs {program}, which does not exist (moved or "
                         "uninstalled?).").format(program=repr(program)),
                       _("pointbreak autostart on (writes this install's command)"))


def _folders_and_store(report: Report) -> None:
    from tray.config.paths import folders
    from tray.config.profile import load_profile
    from tray.store.survey import survey

    where = folders()
    report.fact(_("Settings"), str(where.settings))
    report.fact(_("Data"), str(where.data))
    report.fact(_("Log"), str(where.log / "pointbreak.log"))
    for problem in load_profile().problems:  # the settings and the routine they name
        report.problem(problem, _("edit {path}").format(path=where.settings))
    try:
        found = survey(where.store, where.data / "history.json")
    except OSError as error:
        report.fact(_("History"), _("cannot be read ({error})").format(error=error.strerror))
        report.problem(_("The history file {path} cannot be read.").format(path=where.store),
                       _("check its permissions"))
        return
    for path, reason in found.unreadable:
        report.problem(_("The history file {path} cannot be read: {reason}.").format(
            path=path, reason=reason),
                       _("start Pointbreak: it keeps the file aside as {name}.unreadable-<time> "
                         "and goes on without it (or restore a backup of it)").format(
                             name=path.name))
    if found.legacy_pending:
        report.fact(_("History"), _("{path} is taken over when Pointbreak next starts").format(
            path=where.data / "history.json"))
    elif not found.size and not found.unreadable:
        report.fact(_("History"), _("none yet"))
    else:
        kib = f"{found.size / 1024:.0f}"
        records = ngettext("{n} record", "{n} records", found.records).format(n=found.records)
        spread = ngettext("{n} month", "{n} months", found.months).format(n=found.months)
        report.fact(_("History"), _("{size} KiB, {records} in {months}, healthy").format(
            size=kib, records=records, months=spread) if not found.unreadable else
            _("{size} KiB, unreadable").format(size=kib))


def _tray_problem(line: str) -> str | None:
    """What stopped working in the running tray, from a line of its status: "Problem: ..."
    (a tray that speaks English, or this language)."""
    head, _mark, tail = _("Problem: {problem}").partition("{problem}")
    for start, end in {("Problem: ", ""), (head, tail)}:
        if start and line.startswith(start) and line.endswith(end):
            return line[len(start):len(line) - len(end)]
    return None


def _running(report: Report) -> None:
    from tray.config.paths import folders
    from tray.ipc import client, protocol
    from tray.ipc.commands import Command, Request

    try:
        reply = client.ask(folders().runtime, Request(Command.STATUS), timeout=5.0)
        report.fact(_("Tray"), _("running"))
        for problem in filter(None, map(_tray_problem, reply.text.splitlines())):
            report.problem(problem, _("see the log; quitting and starting {app} again retries "
                                      "it").format(app=APP))
    except protocol.TrayNotAnswering as error:
        report.fact(_("Tray"), _("running, but not answering"))
        report.problem(_("The tray runs but its control channel did not answer: {error}")
                       .format(error=error),
                       _("wait a moment and try again; if it stays so, quit it from its menu "
                         "or end its process, then start `pointbreak`"))
    except protocol.TrayNotRunning:
        report.fact(_("Tray"),
                    # TRANSLATORS: "pointbreak" is the command that starts it, typed as it is.
                    _("not running (start it: pointbreak)"))
