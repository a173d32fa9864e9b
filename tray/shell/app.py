"""The tray process: the composition root.

Start-up order keeps the icon fast: take the per-user lock (never two trays), show the icon, and
only then load the store, the engine, the scheduler, the control channel and notifications (in
pystray's setup thread).

Threads: main (pystray's loop), `pointbreak-engine` (the engine and the store; see
tray.shell.runner), APScheduler's, `pointbreak-control` (+ one per peer), one supervisor per window.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import logging.handlers
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from tray import APP_NAME, __version__
from tray.adapters.icon import Actions, TrayIcon, View
from tray.base import testhooks
from tray.base.lockfile import InstanceLock
from tray.config.paths import Folders, folders
from tray.core import engine
from tray.core.engine import Decision
from tray.core.model import (
    ClosePrompt,
    PauseRequested,
    Refuse,
    ResumeRequested,
    Rules,
    ShowPrompt,
    SkipRequested,
    SnoozeRequested,
    StartRequested,
    StartRoutine,
    State,
    TrayStarted,
)
from tray.ipc import control
from tray.ipc.control import Reply, Request
from tray.shell.runner import mark_alive
from tray.store import StoreWriteError

log = logging.getLogger("tray")

TYPING_PAUSE_S = 10.0  # no input this long is a pause in typing (not being away)
PAUSE_WAIT_S = 120.0   # wait this long at most for one before showing a prompt
TRIM_EVERY_MINUTES = 10  # hand freed C-heap memory back to the system this often
QUIT_GRACE_SECONDS = 3.0  # a quit that the icon loop has not honoured by then is forced
SETTLE_S = 1.0  # a settings file that cannot be read is read again this much later

SAFETY = ("Pointbreak is not medical advice. If your back pain is significant, see a doctor "
          "soon.")


def run_tray(*, show_welcome: bool = True) -> int:
    where = folders()
    _setup_logging(where.log)
    control.prepare_runtime(where.runtime)
    lock = InstanceLock(control.instance_lock(where.runtime))
    if not lock.acquire():
        return _show_the_running_one(where.runtime)
    _one_heap()
    try:
        return TrayApp(where, show_welcome=show_welcome).run()
    except Exception as error:  # the process's edge: never a silent crash
        return _crashed(where, "start-up", error, None)
    finally:
        lock.release()


EXIT_CRASHED = 70  # EX_SOFTWARE: an unexpected error ended the tray


def _crashed(where: Folders, what: str, error: BaseException, notifier: Any) -> int:
    """Log the traceback, keep a record for the next start and `doctor`, tell the person
    (a notification, and stderr when there is one)."""
    from tray.shell import crash

    log_file = where.log / "pointbreak.log"
    log.error("%s crashed in %s", APP_NAME, what, exc_info=error)
    record = crash.record(where.data, what, error, log_file)
    text = record.sentence()
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(text, file=sys.stderr)
    try:
        if notifier is None:
            from tray.adapters import notify

            notifier = notify.SafeNotifier(notify.select(None))
        notifier.notify(0, APP_NAME, text, {}, lambda _a: None)
    except Exception:  # telling is best effort here: the log and the record have it
        log.exception("the crash could not be told by a notification")
    return EXIT_CRASHED


def _show_the_running_one(runtime: Path) -> int:
    """A second start: ask the first to show itself, and leave."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if control.send(runtime, "show", timeout=3).get("ok"):
                print(f"{APP_NAME} is already running; its control window is open.")
                return 0
        except control.TrayNotRunning:
            pass
        time.sleep(0.1)  # the first one is still starting up
    print(f"{APP_NAME} is already starting.")
    return 0


def _setup_logging(folder: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    path = folder / "pointbreak.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path) and not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a file")  # a FIFO would block the open
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    except OSError as error:
        print(f"cannot write the log in {folder}: {error}; logging to the terminal",
              file=sys.stderr)
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job is noise


def _test_overrides(rules: Rules) -> Rules:
    """Shorter times for the end-to-end tests only (never set by a person)."""
    interval, card, away = (testhooks.seconds(name) for name in ("INTERVAL", "CARD", "AWAY"))
    if interval:
        rules = replace(rules, interval=timedelta(seconds=interval))
    if card:
        rules = replace(rules, card_timeout=timedelta(seconds=card))
    if away:
        rules = replace(rules, away_after=timedelta(seconds=away))
    return rules


class TrayApp:
    def __init__(self, where: Folders, show_welcome: bool = True) -> None:
        self.where = where
        self.show_welcome = show_welcome
        self.icon: TrayIcon | None = None
        self.runner: Any = None
        self.windows: Any = None
        self.notifier: Any = None
        self.server: control.ControlServer | None = None
        self.rules: Rules | None = None
        self.store: Any = None
        self._settings_stamp: float | None = None
        self._stopping = threading.Event()
        self._shut_down_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._told: set[str] = set()  # settings problems already told, this run
        self._minutes = 0
        self._shut_down_done = threading.Event()
        self.presence: Any = None
        self.session_watch: Any = None
        self.quiet_watchers: Any = None
        self._quiet_switches: tuple[bool, bool, bool] | None = None
        self.minute_checks: list[Callable[[], None]] = []
        self.exit_code = 0
        self.troubles: dict[str, str] = {}  # what stopped working while running, told once
        self._troubles_lock = threading.Lock()  # detector threads write, status reads
        self._tell_keys = itertools.count(-1, -1)  # prompts use their seq, 1 and up

    def run(self) -> int:
        log.info("%s %s starting (Python %s, %s)", APP_NAME, __version__,
                 sys.version.split()[0], sys.platform)
        try:
            self.icon = TrayIcon(self._actions())
        except Exception as error:  # no display, no backend: say it and stop
            log.exception("cannot create the tray icon")
            print(f"{APP_NAME} cannot create its tray icon: {error}", file=sys.stderr)
            return 1
        log.info("tray icon: %s", self.icon.capabilities())
        try:
            self.icon.run(self._start_rest)
        except Exception as error:  # the icon loop's edge
            self._crash("the tray icon's loop", error)
        finally:
            self._shut_down()
        return self.exit_code

    def _trouble(self, key: str, message: str | None) -> None:
        """Something stopped working (a detector, saving history): told once, listed by
        `status` and `doctor` until it works again (`message` None)."""
        with self._troubles_lock:
            is_new = message is not None and key not in self.troubles
            if message is None:
                self.troubles.pop(key, None)
            elif is_new:
                self.troubles[key] = message
        if is_new:
            log.error("%s", message)
            if self.notifier is not None:
                self._tell(str(message))

    def _on_save_problem(self, problem: str | None) -> None:
        self._trouble("store", None if problem is None else (
            f"History is not being saved: {problem}. Today's count is kept while {APP_NAME} "
            "runs, and it tries again every minute."))

    def _watch_threads(self) -> None:
        """An error that ends a thread of the tray (a detector's, say) is logged with its
        traceback and told once; the tray goes on without that thread."""
        def hook(args: threading.ExceptHookArgs) -> None:
            name = args.thread.name if args.thread is not None else "a thread"
            log.error("%s stopped", name, exc_info=args.exc_value or True)
            self._trouble(f"thread:{name}", f"{APP_NAME}'s {name} stopped after an error "
                                            f"({args.exc_type.__name__}); see the log.")

        threading.excepthook = hook
        detectors = _DetectorErrors(self._trouble)
        for name in DETECTOR_LOGGERS:
            logging.getLogger(name).addHandler(detectors)

    def _crash(self, what: str, error: BaseException) -> None:
        """An unexpected error: say it, and end the tray with a non-zero status."""
        if self.exit_code == 0:
            self.exit_code = _crashed(self.where, what, error, self.notifier)
        self._quit()

    # --- start-up after the icon shows -----------------------------------------------------

    def _start_rest(self) -> None:
        try:
            self._start_engine()
        except _Stopping:
            log.info("quit during start-up")
        except Exception as error:  # the setup thread's edge: without an engine, end, saying so
            self._crash("start-up", error)

    def _check_stopping(self) -> None:
        if self._stopping.is_set():
            raise _Stopping

    def _start_engine(self) -> None:
        from tray.adapters import notify

        self._watch_threads()
        testhooks.fail_at("start")
        from tray.config.profile import load_profile
        from tray.shell.runner import EngineRunner
        from tray.shell.window_processes import Windows
        from tray.store import Store

        profile = load_profile(create_settings=True)
        self.profile = profile
        self.rules = _test_overrides(profile.rules)
        self._settings_stamp = _mtime(self.where.settings)
        store = Store(self.where.store)
        self.store = store
        state = store.load_state() or State()
        now = datetime.now(UTC)
        today = now.astimezone(self.rules.zone).date()
        try:
            dropped = store.prune(today) if store.is_writable else 0
        except StoreWriteError as error:
            log.warning("cannot prune old history now: %s", error)
            dropped = 0
        if dropped:
            log.info("pruned %s history records older than 400 days", dropped)
        self._check_stopping()
        recorded = tuple(store.day_count(today - timedelta(days=n)) for n in (0, 1))
        self.notifier = notify.SafeNotifier(notify.select(self.icon.icon if self.icon else None))
        tick = testhooks.seconds("TICK")  # tests only: a faster minute
        self.runner = EngineRunner(self.rules, state, store, self._on_decision,
                                   alive_path=self.where.alive, on_minute=self._every_minute,
                                   watchdog_period=tick or 60.0,
                                   on_failure=partial(self._crash, "the break engine"),
                                   on_save_problem=self._on_save_problem)
        self.windows = Windows(self.runner.post, self.rules.card_timeout,
                               self.rules.routine_length)
        self._told.update(str(problem) for problem in profile.problems)
        from tray.shell import crash

        crashed = crash.take_untold(self.where.data)
        self._tell_all([*([crashed.sentence()] if crashed else []), *profile.problems,
                        *store.notices])
        self._check_stopping()
        self.runner.start(TrayStarted(_last_alive(self.where.alive), recorded))
        self._check_stopping()
        server = control.ControlServer(self.where.runtime, self._handle)
        try:
            server.start()
            self.server = server
        except (control.AlreadyRunning, OSError) as error:
            # The tray goes on without commands: prompts still come, the menu still works.
            log.error("the control channel cannot start (%s: %s); `pointbreak` commands will "
                      "not reach this tray", error.__class__.__name__, error)
            self._tell(f"{APP_NAME} commands cannot reach the tray: {error}")
        log.info("started: engine, store %s, notifications via %s", self.where.store,
                 self.notifier.name)
        self._welcome()
        self._watch_presence()
        if sys.platform.startswith("linux"):
            from tray.adapters.session import SessionWatcher

            self.session_watch = SessionWatcher(self.runner.post)
            self.session_watch.start()

        self._watch_quiet()
        _give_back_memory()

    def _watch_quiet(self) -> None:
        """Start the do-not-disturb detectors the settings ask for (again after a change: the
        old ones stop, and what they held is released before the new ones look)."""
        from tray.adapters.quiet import start_watchers
        from tray.core.model import QuietEnded

        assert self.profile is not None and self.runner is not None
        settings = self.profile.settings
        switches = (settings.hold_when_fullscreen, settings.hold_when_system_quiet,
                    settings.hold_during_calls)
        if self.quiet_watchers is not None:
            if switches == self._quiet_switches:
                return
            old, self.quiet_watchers = self.quiet_watchers, None
            old.stop()
            # Released before the new detectors start, so their events come after these.
            for reason in self.runner.call(lambda: sorted(self.runner.state.quiet)):
                self.runner.post(QuietEnded(reason))
        self._quiet_switches = switches
        self.quiet_watchers = start_watchers(
            self.runner.post, fullscreen=switches[0], system=switches[1], calls=switches[2])
        self.minute_checks = self.quiet_watchers.minute_checks

    def _watch_presence(self) -> None:
        """Idle time -> natural breaks (a reader per system; none: the engine goes without)."""
        from tray.adapters import idle
        from tray.adapters.idle.presence import Polling, PresenceWatcher

        reader = idle.select()
        if reader is None or self.runner is None:
            return
        assert self.rules is not None
        polling = Polling(away_after=self.rules.away_after.total_seconds())
        quick = testhooks.seconds("POLL")  # tests only
        if quick:
            polling = Polling(polling.away_after, quick, quick)
        self.presence = PresenceWatcher(reader, self.runner.post, polling)
        self.presence.start()

    def _welcome(self) -> None:
        """The first run shows a welcome (and asks about start at login), once."""
        from tray.config.welcome import is_welcomed, mark_welcomed
        from tray.ipc import children

        if is_welcomed(self.where.config):
            return
        if not self.show_welcome:
            mark_welcomed(self.where.config, None)  # a scripted install: never ask
            return
        try:
            subprocess.Popen(children.command("tray.ui.panel", ["--welcome"]),
                             stdin=subprocess.DEVNULL)
        except OSError as error:
            log.error("cannot open the welcome window: %s", error)

    def _tell(self, message: str) -> None:
        """A notification of its own (each its own key: one would replace the one before,
        and only the last would ever be seen)."""
        log.info("told the person: %s", message)
        self.notifier.notify(next(self._tell_keys), APP_NAME, message, {}, lambda _a: None)

    def _tell_all(self, messages: Sequence[str]) -> None:
        """Problems found together (at start) in one notification: they share one slot, so
        one each would leave only the last one seen."""
        for message in messages:
            log.warning("%s", message)
        if len(messages) == 1:
            self._tell(messages[0])
        elif messages:
            log_file = self.where.log / "pointbreak.log"
            self._tell(f"{len(messages)} problems at start. The first: {messages[0]} "
                       f"All of them: `pointbreak doctor`, or the log {log_file}.")

    # --- the engine's decisions (engine thread) --------------------------------------------

    def _on_decision(self, decision: Decision) -> None:
        assert self.rules is not None
        testhooks.fail_at("engine")
        today = decision.state.count_for(datetime.now(UTC).astimezone(self.rules.zone).date())
        for effect in decision.effects:
            if isinstance(effect, ShowPrompt):
                self._at_a_pause_in_typing(partial(self._prompt, effect, today.completed))
            elif isinstance(effect, StartRoutine):
                self.notifier.close(effect.seq)
                self.windows.start_routine(effect.seq, today.completed, self.rules.daily_cap)
            elif isinstance(effect, ClosePrompt):
                self.notifier.close(effect.seq)
                self.windows.close(effect.seq)
        self._show(decision.state)

    def _prompt(self, effect: ShowPrompt, completed_today: int) -> None:
        assert self.rules is not None
        if not effect.is_quiet:  # held too long: a notification only, no card
            self.windows.show_prompt(effect.seq, effect.can_snooze, completed_today,
                                     self.rules.daily_cap)
        actions = {"start": "Start"}
        if effect.can_snooze:
            actions["snooze"] = "Snooze 10 min"
        self.notifier.notify(effect.seq, "Time for a back break",
                             f"A {round(self.rules.routine_length.total_seconds() / 60)}"
                             "-minute hands-only routine for your upper back.",
                             actions, self._notification_action(effect.seq))

    def _at_a_pause_in_typing(self, show: Callable[[], None]) -> None:
        """Show a prompt at a pause in typing (no input for 10 s), waiting at most 2 minutes,
        so it does not land mid-sentence. Without an idle reader: at once."""
        reader = self.presence.reader if self.presence is not None else None
        if reader is None:
            show()
            return
        pause = testhooks.seconds_or("PAUSE", TYPING_PAUSE_S)
        longest = testhooks.seconds_or("PAUSE_WAIT", PAUSE_WAIT_S)

        def wait_then_show() -> None:
            deadline = time.monotonic() + longest
            while time.monotonic() < deadline and not self._stopping.is_set():
                try:
                    if reader.idle_seconds() >= pause:
                        break
                except Exception:  # no reading: do not hold the prompt for it
                    break
                time.sleep(1.0)
            if not self._stopping.is_set():
                show()

        threading.Thread(target=wait_then_show, name="pointbreak-typing-pause",
                         daemon=True).start()

    def _notification_action(self, seq: int) -> Any:
        def act(action: str) -> None:
            if action == "start":
                self.runner.post(StartRequested())
            elif action == "snooze":
                self.runner.post(SnoozeRequested(timedelta(minutes=10), seq))
        return act

    def _show(self, state: State) -> None:
        from tray.adapters import autostart
        from tray.shell.texts import next_break_line, today_line, tooltip

        assert self.rules is not None and self.icon is not None
        now = datetime.now(UTC)
        status = engine.status(state, now, self.rules)
        zone = self.rules.zone
        self.icon.show(View(mode=status.mode, tooltip=tooltip(status, now, zone),
                            next_line=next_break_line(status, now, zone),
                            today_line=today_line(status), is_paused=status.is_paused,
                            is_autostart_on=autostart.is_on()))

    def _every_minute(self) -> None:
        """On the watchdog's tick: notice an edited settings file; keep the times fresh."""
        self._reload_settings(only_if_edited=True)
        if self.runner is not None:
            self.runner.save_again()
        for check in self.minute_checks:
            check()
        if self.runner is not None:
            self.runner.call(lambda: self._show(self.runner.state))
        self._minutes += 1
        if self._minutes % TRIM_EVERY_MINUTES == 1:  # a millisecond's work, every so often
            _give_back_memory()

    def _reload_settings(self, *, only_if_edited: bool = False) -> None:
        with self._reload_lock:  # the minute tick and a `reload` command may come at once
            stamp = _mtime(self.where.settings)
            is_edited = stamp != self._settings_stamp
            self._settings_stamp = stamp
            if is_edited or not only_if_edited:
                self._reload_settings_now()

    def _reload_settings_now(self) -> None:
        from tray.config.profile import load_profile

        profile = load_profile()
        if profile.is_settings_unreadable:  # an editor may be half-way through its save
            settle = testhooks.seconds_or("SETTLE", SETTLE_S)
            log.info("the settings file cannot be read; reading it again in %s s", settle)
            time.sleep(settle)
            profile = load_profile()
        for problem in profile.problems:
            log.warning("%s", problem)
            if str(problem) not in self._told:  # said once: a kept unknown key is no nag
                self._told.add(str(problem))
                self._tell(f"Settings: {problem}")
        self.profile = profile
        self.rules = _test_overrides(profile.rules)
        self.runner.set_rules(self.rules)
        self._watch_quiet()
        log.info("settings reloaded from %s", self.where.settings)

    # --- commands (control channel threads) ------------------------------------------------

    def _handle(self, request: Request) -> Reply:
        if request.command == "ping":
            return {"ok": True, "message": "pong"}
        if self.runner is None:
            return {"ok": False, "error": f"{APP_NAME} is still starting; try again."}
        answer = self.answers().get(request.command)
        if answer is None:  # the channel takes it but this tray has no answer: never another's
            return {"ok": False, "error": f"{request.command}: this tray cannot do that"}
        return answer(request.args)

    def answers(self) -> dict[str, Callable[[dict[str, Any]], Reply]]:
        """The answer to each command of the control channel (control.COMMANDS), but ping,
        which is answered even while the tray starts. A test holds the two to the same names."""
        def decide(event: Any) -> Reply:
            try:
                decision = self.runner.ask(event)
            except TimeoutError:
                return {"ok": True, "message": f"{APP_NAME} is busy; it will do that in a moment."}
            refused = decision.of_type(Refuse)
            if refused:
                return {"ok": False, "error": refused[0].reason}
            return {"ok": True, "message": self._summary(decision.state)}

        return {
            "status": lambda _: {"ok": True, "message": self.runner.call(self._status_text)},
            "show": lambda _: self._answer_show(),
            "quit": lambda _: self._answer_quit(),
            "forget": lambda _: {"ok": True, "message": f"{self.runner.call(self._forget)} "
                                                        "history records before today deleted."},
            "reload": lambda _: self._answer_reload(),
            "now": lambda _: decide(StartRequested()),
            "snooze": lambda args: decide(SnoozeRequested(
                timedelta(minutes=args.get("minutes", 10)))),
            "skip": lambda _: decide(SkipRequested()),
            "pause": lambda args: decide(_pause_event(args)),
            "resume": lambda _: decide(ResumeRequested()),
        }

    def _answer_show(self) -> Reply:
        self.windows.open_panel()
        return {"ok": True, "message": f"{APP_NAME} is running; its window is open."}

    def _answer_quit(self) -> Reply:
        self._quit()
        return {"ok": True, "message": f"{APP_NAME} quits."}

    def _answer_reload(self) -> Reply:
        self._reload_settings()
        self.runner.call(lambda: self._show(self.runner.state))
        return {"ok": True, "message": "Settings reloaded."}

    def _summary(self, state: State) -> str:
        from tray.shell.texts import next_break_line

        assert self.rules is not None
        now = datetime.now(UTC)
        return next_break_line(engine.status(state, now, self.rules), now, self.rules.zone) + "."

    def _status_text(self) -> str:
        """Runs on the engine thread: the state and the store are read safely there."""
        from tray.shell.texts import status_lines

        assert self.rules is not None
        now = datetime.now(UTC)
        state = self.runner.state
        today = now.astimezone(self.rules.zone).date()
        records = self.store.records(today, today)
        lines = status_lines(engine.status(state, now, self.rules), records, now,
                             self.rules.zone)
        with self._troubles_lock:
            troubles = list(self.troubles.values())
        return "\n".join([*lines, *(f"Problem: {t}" for t in troubles)])

    def _forget(self) -> int:
        """Runs on the engine thread: delete the history before today (the history window's
        "Delete history"); today's records and count stay, so the daily cap still holds."""
        assert self.rules is not None and self.store is not None
        today = datetime.now(UTC).astimezone(self.rules.zone).date()
        state = self.runner.state
        state = replace(state, counts=tuple(c for c in state.counts if c.day >= today))
        dropped: int = self.store.forget_before(today, state)
        self.runner.state = state
        log.info("history before %s deleted at the person's request: %s records", today,
                 dropped)
        return dropped

    # --- menu actions (pystray's thread) ---------------------------------------------------

    def _actions(self) -> Actions:
        def post(event: Any) -> None:
            if self.runner is not None:
                self.runner.post(event)

        return Actions(
            start_now=lambda: post(StartRequested()),
            snooze=lambda minutes: post(SnoozeRequested(timedelta(minutes=minutes))),
            skip=lambda: post(SkipRequested()),
            pause=lambda args: post(_pause_event(args)),
            resume=lambda: post(ResumeRequested()),
            settings=self._open_settings,
            history=self._open_history,
            about=self._about,
            open_panel=self._open_panel,
            quit=self._quit,
            toggle_autostart=self._toggle_autostart,
        )

    def _toggle_autostart(self) -> None:
        from tray.adapters import autostart

        entry = autostart.backend()
        try:
            if entry.is_enabled():
                entry.disable()
            else:
                entry.enable(autostart.launch_command())
        except OSError as error:
            log.error("cannot change start at login: %s", error)
            self._tell(f"Start at login could not be changed: {error}")
        if self.runner is not None:
            self.runner.post_call(lambda: self._show(self.runner.state))

    def _open_panel(self) -> None:
        if self.windows is not None:
            self.windows.open_panel()

    def _quit(self) -> None:
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

    def _open_settings(self) -> None:
        import importlib.util

        if importlib.util.find_spec("tkinter") is None or not self._open_window(
                "tray.ui.settings_window"):
            self._open_settings_file()

    def _open_settings_file(self) -> None:
        """Without a settings window (no Tk), the file in the person's text editor."""
        path = self.where.settings
        opener = {"win32": None, "darwin": ["open", "-t"]}.get(sys.platform, ["xdg-open"])
        try:
            if opener is None:
                os.startfile(path)  # type: ignore[attr-defined]
            else:
                subprocess.Popen([*opener, str(path)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as error:
            log.error("cannot open %s: %s", path, error)
            self._tell(f"Open {path} in a text editor to change the settings.")

    def _open_history(self) -> None:
        self._open_window("tray.ui.history_window")

    def _about(self) -> None:
        self._open_window("tray.ui.panel", ["--about"])

    def _open_window(self, module: str, args: Sequence[str] = ()) -> bool:
        """A window of its own process (settings, history, About; each keeps itself to one
        at a time); reaped by a thread so no zombie is left. False if it cannot start."""
        from tray.ipc import children

        try:
            process = subprocess.Popen(children.command(module, list(args)),
                                       stdin=subprocess.DEVNULL)
        except OSError as error:
            log.error("cannot open the window %s: %s", module, error)
            return False
        threading.Thread(target=process.wait, daemon=True, name=f"pointbreak-{module}").start()
        return True

    # --- the end ---------------------------------------------------------------------------

    def _shut_down(self) -> None:
        with self._shut_down_lock:
            if self._shut_down_done.is_set():
                return
            self._shut_down_steps()
            self._shut_down_done.set()

    def _shut_down_steps(self) -> None:
        log.info("quitting")
        self._stopping.set()
        if self.server is not None:
            self.server.stop()
        if self.presence is not None:
            self.presence.stop()
        if self.session_watch is not None:
            self.session_watch.stop()
        if self.quiet_watchers is not None:
            self.quiet_watchers.stop()
        if self.runner is not None:
            self.runner.stop()  # first: no new window may open once the windows are closed
        if self.windows is not None:
            self.windows.stop_all()
        if self.store is not None:
            self.store.close()
        mark_alive(self.where.alive)


M_ARENA_MAX = -8  # glibc's mallopt parameter


def _one_heap() -> None:
    """The tray's dozen threads mostly sleep: one C heap shared by all of them, not a heap per
    thread each holding its own spare pages (glibc; before any thread starts)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def _give_back_memory() -> None:
    """Start-up leaves freed memory in the C heap (imports, the first store read): hand it back
    to the system once (glibc's malloc_trim; elsewhere nothing to do)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


DETECTOR_LOGGERS = ("tray.adapters.idle", "tray.adapters.quiet",
                    "tray.adapters.session")  # their modules' loggers propagate here: an ERROR
# from one of them means that detector stopped


class _DetectorErrors(logging.Handler):
    """A detector that logs an error at its thread's edge has stopped watching: tell once."""

    def __init__(self, trouble: Callable[[str, str | None], None]) -> None:
        super().__init__(logging.ERROR)
        self._trouble = trouble

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._trouble(f"log:{record.name}", f"A detector stopped ({record.name}: "
                                                 f"{record.getMessage()}); prompts still come.")
        except Exception:
            self.handleError(record)


class _Stopping(Exception):
    """Quit was asked while the tray was still starting."""


def _pause_event(args: dict[str, Any]) -> PauseRequested:
    if args.get("until") == "tomorrow":
        return PauseRequested(until_next_period=True)
    minutes = args.get("minutes")
    return PauseRequested(None if minutes is None else timedelta(minutes=minutes))


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _last_alive(path: Path) -> datetime | None:
    stamp = _mtime(path)
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC)


