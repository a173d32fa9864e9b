"""The tray's start after its icon shows (the icon's setup thread, `pointbreak-start`): the
settings, the store, notifications, the engine and its scheduler, the control channel, the
welcome and the detectors, in that order.

Everything here is imported only once the icon shows (app.py imports this module then), so
nothing of it delays the icon: a test asserts what is loaded when it shows.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from tray import APP_NAME
from tray.adapters import notify
from tray.adapters.choosing import AUTO, UnknownChoice
from tray.base import testhooks
from tray.base.i18n import N_, _
from tray.config.profile import load_profile
from tray.config.welcome import is_welcomed, mark_welcomed
from tray.core.events import TrayStarted
from tray.core.model import State
from tray.ipc import protocol
from tray.ipc.children import open_window
from tray.ipc.server import ControlServer
from tray.shell import crash
from tray.shell.detectors import Detectors
from tray.shell.memory import give_back_memory
from tray.shell.opening import PANEL
from tray.shell.runner import EngineRunner
from tray.shell.window_processes import Windows
from tray.store import Store, StoreWriteError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tray.adapters.icon import Icon
    from tray.config.paths import Folders
    from tray.core.model import Rules
    from tray.shell.answers import Answers
    from tray.shell.effects import Effects
    from tray.shell.troubles import Troubles

log = logging.getLogger("tray")


class TrayApp(Protocol):
    """What the start needs of the tray (tray.shell.app.TrayApp), and what it sets."""

    where: Folders
    show_welcome: bool
    icon: Icon | None
    icon_problem: str | None
    troubles: Troubles
    told: set[str]
    profile: Any
    rules: Rules | None
    store: Any
    notifier: Any
    runner: Any
    windows: Any
    server: Any
    detectors: Any

    @property
    def effects(self) -> Effects: ...

    @property
    def answers(self) -> Answers: ...

    def check_stopping(self) -> None: ...

    def note_settings_read(self) -> None: ...

    def last_alive(self) -> datetime | None: ...

    def every_minute(self) -> None: ...

    def crash(self, what: str, error: BaseException) -> None: ...

    def tell(self, message: str) -> None: ...

    def tell_all(self, messages: Sequence[str]) -> None: ...


def start_rest(app: TrayApp) -> None:
    """All of the tray but its icon; raises app's _Stopping when a quit comes meanwhile."""
    app.troubles.watch_threads()
    testhooks.fail_at("start")
    problems: list[str] = [app.icon_problem] if app.icon_problem else []
    # A new file is in the system's language; load_profile then switches to the file's.
    profile = load_profile(create_settings=True)
    app.profile = profile
    app.rules = rules = testhooks.shorter_times(profile.rules)
    app.note_settings_read()
    store = Store(app.where.store)
    app.store = store
    state = store.load_state() or State()
    today = datetime.now(UTC).astimezone(rules.zone).date()
    try:
        dropped = store.prune(today) if store.is_writable else 0
    except StoreWriteError as error:
        log.warning("cannot prune old history now: %s", error)
        dropped = 0
    if dropped:
        log.info("pruned %s months of history older than 400 days", dropped)
    app.check_stopping()
    recorded = tuple(store.day_count(today - timedelta(days=n)) for n in (0, 1))
    toolkit_icon = app.icon.icon if app.icon else None  # None but for pystray's
    try:
        chosen = notify.select(toolkit_icon)
    except UnknownChoice as error:
        problems.append(str(error))
        chosen = notify.select(toolkit_icon, AUTO)
    app.notifier = notify.SafeNotifier(chosen)
    tick = testhooks.seconds("TICK")  # tests only: a faster minute
    app.runner = runner = EngineRunner(
        rules, state, store, app.effects.on_decision, alive_path=app.where.alive,
        on_minute=app.every_minute, watchdog_period=tick or 60.0,
        on_failure=partial(app.crash, N_("the break engine")),
        on_save_problem=app.troubles.on_save_problem)
    app.windows = Windows(runner.post, rules.card_timeout, rules.routine_length)
    app.told.update(str(problem) for problem in profile.problems)
    crashed = crash.take_untold(app.where.data)
    app.tell_all([*([crashed.sentence()] if crashed else []), *profile.problems,
                  *store.notices, *problems])
    app.check_stopping()
    runner.start(TrayStarted(app.last_alive(), recorded))
    app.check_stopping()
    server = ControlServer(app.where.runtime, app.answers.handle)
    try:
        server.start()
        app.server = server
    except (protocol.AlreadyRunning, OSError) as error:
        # The tray goes on without commands: prompts still come, the menu still works.
        log.error("the control channel cannot start (%s: %s); `pointbreak` commands will "
                  "not reach this tray", error.__class__.__name__, error)
        app.tell(_("{app} commands cannot reach the tray: {error}").format(app=APP_NAME,
                                                                          error=error))
    log.info("started: engine, store %s, notifications via %s", app.where.store,
             app.notifier.name)
    _welcome(app)
    app.detectors = Detectors(runner, app.tell)
    app.detectors.start(rules, profile.settings)
    give_back_memory()
    # Each thread by name and native id: what the bench's wake-ups per thread are told by.
    log.info("threads: %s", ", ".join(f"{t.name}={t.native_id}" for t in threading.enumerate()))


def _welcome(app: TrayApp) -> None:
    """The first run shows a welcome (and asks about start at login), once."""
    if is_welcomed(app.where.config):
        return
    if not app.show_welcome:
        mark_welcomed(app.where.config, None)  # a scripted install: never ask
        return
    open_window(PANEL, ["--welcome"])
