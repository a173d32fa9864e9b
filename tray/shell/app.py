"""The tray process: the composition root.

Start-up order keeps the icon fast: take the per-user lock (never two trays), show the icon, and
only then load the store, the engine, the scheduler, the control channel and notifications (in
the icon's setup thread, `pointbreak-start`).

Every thread of the tray, its owner and what it may touch: the table in docs/architecture.md.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tray import APP_NAME, __version__
from tray.adapters import icon as tray_icon
from tray.adapters.choosing import AUTO, UnknownChoice
from tray.adapters.icon import Actions, Icon, View
from tray.base import i18n
from tray.base.exits import Exit
from tray.base.i18n import N_, _, ngettext
from tray.base.lockfile import InstanceLock
from tray.config.paths import Folders, folders
from tray.ipc import protocol
from tray.shell.glance import first_mode
from tray.shell.logs import LOG_NAME, setup_logging
from tray.shell.memory import give_back_memory, one_heap
from tray.shell.troubles import Troubles

if TYPE_CHECKING:  # what the icon does not need comes after it shows (startup.py)
    from tray.core.model import Rules
    from tray.ipc.server import ControlServer
    from tray.shell.answers import Answers
    from tray.shell.detectors import Detectors
    from tray.shell.effects import Effects

log = logging.getLogger("tray")

TRIM_EVERY_MINUTES = 10  # hand freed C-heap memory back to the system this often
QUIT_GRACE_SECONDS = 3.0  # a quit that the icon loop has not honoured by then is forced
SETTLE_SECONDS = 1.0  # a settings file that cannot be read is read again this much later


def run_tray(*, show_welcome: bool = True) -> int:
    where = folders()
    setup_logging(where.log)
    i18n.use()  # the system's language until the settings are read (they may name another)
    protocol.prepare_runtime(where.runtime)
    lock = InstanceLock(protocol.instance_lock(where.runtime))
    if not lock.acquire():
        from tray.shell.opening import show_the_running_one

        return show_the_running_one(where.runtime)
    one_heap()
    try:
        return TrayApp(where, show_welcome=show_welcome).run()
    except Exception as error:  # the process's edge: never a silent crash
        from tray.shell.crash import tell_crash

        return tell_crash(where, N_("start-up"), error, None)
    finally:
        lock.release()


class TrayApp:
    def __init__(self, where: Folders, show_welcome: bool = True) -> None:
        self.where = where
        self.show_welcome = show_welcome
        self.icon: Icon | None = None
        self.runner: Any = None
        self.windows: Any = None
        self.notifier: Any = None
        self.server: ControlServer | None = None
        self.rules: Rules | None = None
        self.store: Any = None
        self._settings_stamp: float | None = None
        self.stopping = threading.Event()
        self._shut_down_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self.told: set[str] = set()  # settings problems already told, this run
        self._minutes = 0
        self._shut_down_done = threading.Event()
        self.detectors: Detectors | None = None
        self.exit_code = 0
        self.troubles = Troubles(self._tell_if_ready)  # what stopped working, told once
        self._tell_keys = itertools.count(-1, -1)  # prompts use their seq, 1 and up
        self.icon_problem: str | None = None  # an unknown POINTBREAK_TRAY, told at start

    def run(self) -> int:
        log.info("%s %s starting (Python %s, %s)", APP_NAME, __version__,
                 sys.version.split()[0], sys.platform)
        first = View(mode=first_mode(self.where.store, self.where.settings))
        try:
            try:
                self.icon = tray_icon.select(self._actions(), view=first)
            except UnknownChoice as error:
                self.icon_problem = str(error)
                self.icon = tray_icon.select(self._actions(), AUTO, view=first)
        except Exception as error:  # no display, no backend: say it and stop
            log.exception("cannot create the tray icon")
            print(_("{app} cannot create its tray icon: {error}").format(app=APP_NAME, error=error),
                  file=sys.stderr)
            return Exit.REFUSED
        log.info("tray icon: %s; first shown %s (the saved state at a glance)",
                 self.icon.capabilities(), first.mode)
        try:
            self.icon.run(self._start_rest)
        except Exception as error:  # the icon loop's edge
            self.crash(N_("the tray icon's loop"), error)
        finally:
            self._shut_down()
        return self.exit_code

    @cached_property
    def effects(self) -> Effects:
        """What the engine's decisions do on screen (made when first needed: after the icon)."""
        from tray.shell.effects import Effects

        return Effects(self)

    @cached_property
    def answers(self) -> Answers:
        """The answers to `pointbreak` commands (made when first needed: after the icon)."""
        from tray.shell.answers import Answers

        return Answers(self)

    def _tell_if_ready(self, message: str) -> None:
        if self.notifier is not None:
            self.tell(message)

    def crash(self, what: str, error: BaseException) -> None:
        """An unexpected error: say it, and end the tray with a non-zero status."""
        from tray.shell.crash import tell_crash

        if self.exit_code == 0:
            self.exit_code = tell_crash(self.where, what, error, self.notifier)
        self.quit()

    # --- start-up after the icon shows -----------------------------------------------------

    def _start_rest(self) -> None:
        _list_modules_at_icon()
        try:
            from tray.shell import startup

            startup.start_rest(self)
        except _Stopping:
            log.info("quit during start-up")
        except Exception as error:  # the setup thread's edge: without an engine, end, saying so
            self.crash(N_("start-up"), error)

    def check_stopping(self) -> None:
        if self.stopping.is_set():
            raise _Stopping

    def note_settings_read(self) -> None:
        """The settings file's stamp as last read: an edit after it is read again."""
        self._settings_stamp = _mtime(self.where.settings)

    def last_alive(self) -> datetime | None:
        """When the tray last said it was alive: the end of its last run, after a crash too."""
        stamp = _mtime(self.where.alive)
        return None if stamp is None else datetime.fromtimestamp(stamp, UTC)

    def tell(self, message: str) -> None:
        """A notification of its own (each its own key: one would replace the one before,
        and only the last would ever be seen)."""
        log.info("told the person: %s", message)
        self.notifier.notify(next(self._tell_keys), APP_NAME, message, {}, lambda _a: None)

    def tell_all(self, messages: Sequence[str]) -> None:
        """Problems found together (at start) in one notification: they share one slot, so
        one each would leave only the last one seen."""
        for message in messages:
            log.warning("%s", message)
        if len(messages) == 1:
            self.tell(messages[0])
        elif messages:
            log_file = self.where.log / LOG_NAME
            self.tell(ngettext("{n} problem at start. The first: {first} All of them: "
                                "`pointbreak doctor`, or the log {log}.",
                                "{n} problems at start. The first: {first} All of them: "
                                "`pointbreak doctor`, or the log {log}.", len(messages)).format(
                n=len(messages), first=messages[0], log=log_file))

    def every_minute(self) -> None:
        """On the watchdog's tick: notice an edited settings file; keep the times fresh."""
        self.reload_settings(only_if_edited=True)
        if self.runner is not None:
            self.runner.save_again()
        for check in self.detectors.minute_checks if self.detectors is not None else []:
            check()
        if self.runner is not None:  # not waited for: a wake-up less for the tick's thread
            self.runner.post_call(lambda: self.effects.show(self.runner.state))
        self._minutes += 1
        if self._minutes % TRIM_EVERY_MINUTES == 1:  # a millisecond's work, every so often
            give_back_memory()

    def reload_settings(self, *, only_if_edited: bool = False) -> None:
        with self._reload_lock:  # the minute tick and a `reload` command may come at once
            stamp = _mtime(self.where.settings)
            is_edited = stamp != self._settings_stamp
            self._settings_stamp = stamp
            if is_edited or not only_if_edited:
                self._reload_settings_now()

    def _reload_settings_now(self) -> None:
        from tray.base import testhooks
        from tray.config.profile import load_profile

        before = i18n.language()  # load_profile switches to the file's; it shows at the next view
        profile = load_profile()
        if profile.is_settings_unreadable:  # an editor may be half-way through its save
            settle = testhooks.seconds_or("SETTLE", SETTLE_SECONDS)
            log.info("the settings file cannot be read; reading it again in %s s", settle)
            time.sleep(settle)
            profile = load_profile()
        for problem in profile.problems:
            log.warning("%s", problem)
            if str(problem) not in self.told:  # said once: a kept unknown key is no nag
                self.told.add(str(problem))
                self.tell(_("Settings: {problem}").format(problem=problem))
        self.profile = profile
        if i18n.language() != before:
            log.info("the language is %s now", i18n.language())
        self.rules = testhooks.shorter_times(profile.rules)
        self.runner.set_rules(self.rules)
        if self.detectors is not None:
            self.detectors.watch_quiet(profile.settings)
        log.info("settings reloaded from %s", self.where.settings)

    # --- menu actions (the icon's thread) ---------------------------------------------------

    def _actions(self) -> Actions:
        """What the menu does. The modules each needs are imported when it is first chosen
        (by then the engine's are loaded anyway), not before the icon shows."""
        def post(event: Any) -> None:
            if self.runner is not None:
                self.runner.post(event)

        def start_now() -> None:
            from tray.core.events import StartRequested

            post(StartRequested())

        def skip() -> None:
            from tray.core.events import SkipRequested

            post(SkipRequested())

        def resume() -> None:
            from tray.core.events import ResumeRequested

            post(ResumeRequested())

        def settings() -> None:
            from tray.shell.opening import open_settings

            open_settings(self.where.settings, self.tell)

        def history() -> None:
            from tray.shell.opening import open_history

            open_history()

        def about() -> None:
            from tray.shell.opening import open_about

            open_about()

        return Actions(
            start_now=start_now,
            snooze=lambda snooze: post(snooze.event()),
            skip=skip,
            pause=lambda pause: post(pause.event()),
            resume=resume,
            settings=settings,
            history=history,
            about=about,
            open_panel=self._open_panel,
            quit=self.quit,
            toggle_autostart=self._toggle_autostart,
        )

    def _toggle_autostart(self) -> None:
        from tray.shell.opening import toggle_autostart

        toggle_autostart(self.tell)
        if self.runner is not None:
            self.runner.post_call(lambda: self.effects.show(self.runner.state))

    def _open_panel(self) -> None:
        if self.windows is not None:
            self.windows.open_panel()

    def quit(self) -> None:
        if self.icon is not None:
            self.icon.stop()
        # pystray's X11 loop has been seen, about once in 20 quits, to miss the destruction of
        # its own window and wait for ever (python-xlib's threads): quit without it then.
        threading.Thread(target=self._quit_anyway, args=(QUIT_GRACE_SECONDS,), daemon=True,
                         name="pointbreak-quit").start()

    def _quit_anyway(self, grace: float) -> None:
        if self._shut_down_done.wait(grace):
            return
        log.warning("the tray icon did not stop within %s s; quitting without it", grace)
        self._shut_down()
        logging.shutdown()
        os._exit(self.exit_code)

    # --- the end ---------------------------------------------------------------------------

    def _shut_down(self) -> None:
        with self._shut_down_lock:
            if self._shut_down_done.is_set():
                return
            self._shut_down_steps()
            self._shut_down_done.set()

    def _shut_down_steps(self) -> None:
        log.info("quitting")
        self.stopping.set()
        if self.server is not None:
            self.server.stop()
        if self.detectors is not None:
            self.detectors.stop()
        if self.runner is not None:
            self.runner.stop()  # first: no new window may open once the windows are closed
        if self.windows is not None:
            self.windows.stop_all()
        if self.store is not None:
            self.store.close()
        from tray.shell.runner import mark_alive

        mark_alive(self.where.alive)


def _list_modules_at_icon() -> None:
    """Tests only: the modules loaded when the icon shows, to the file this names (the
    testhooks module would load the break rules: it is not imported here)."""
    listing = os.environ.get("POINTBREAK_TEST_MODULES_AT_ICON")
    if listing:
        Path(listing).write_text("\n".join(sorted(sys.modules)) + "\n", encoding="utf-8")


class _Stopping(Exception):
    """Quit was asked while the tray was still starting."""


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


