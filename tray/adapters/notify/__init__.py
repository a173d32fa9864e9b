"""Desktop notifications: one path per system, chosen once, with an env-var override.

A notification goes with every prompt; the prompt card is what a person acts on, so a failure
to notify is logged once and never stops a prompt.

- Linux: org.freedesktop.Notifications over D-Bus with jeepney (pure Python), with Start and
  Snooze buttons where the server supports actions; else `notify-send`; else plyer (which needs
  dbus-python or notify-send itself); else nothing, said once in the log and by `doctor`.
- Windows: pystray's own `Icon.notify` (plyer's balloon adds a second, temporary tray icon).
- macOS: `osascript` (plyer needs pyobjus and an app bundle there).

`POINTBREAK_NOTIFY=dbus|notify-send|plyer|pystray|osascript|none` forces a path.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from tray.adapters import choosing
from tray.base.i18n import _

log = logging.getLogger(__name__)

APP = "Pointbreak"
OnAction = Callable[[str], None]


class NotifyError(Exception):
    pass


class NotificationPath(Protocol):
    """The port: one way to show desktop notifications. Made by `select` on `pointbreak-start`
    (making one may block up to 5 s: a D-Bus path asks the server what it can do). The tray
    calls it only through `SafeNotifier`, so `notify` and `close` run on
    `pointbreak-notify-send`, one at a time, and may block up to 5 s each."""

    name: str  # the name POINTBREAK_NOTIFY takes for it
    has_actions: bool  # whether its notifications can carry buttons

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        """Show one notification; a second with the same `key` replaces the first where the
        path can. `actions` maps an action's name to its button's text (shown only when
        `has_actions`); `on_action(name)` is called on `pointbreak-notify` when one is
        pressed (as the notification server says, never another client), and must only
        post. A server that fails or has gone away raises (NotifyError, OSError,
        SubprocessError) where the path can tell (plyer and pystray cannot): SafeNotifier
        logs it once."""
        ...

    def close(self, key: int) -> None:
        """Withdraw the notification of `key` if it is still up. Idempotent: an unknown or
        withdrawn key does nothing; a server gone away is logged, not raised."""
        ...


class Notifier:
    """The silent path, and the base of the others: shows nothing, withdraws nothing."""

    name = "none"
    has_actions = False

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        """Show nothing."""

    def close(self, key: int) -> None:
        """Nothing to withdraw: a path that cannot withdraw leaves it to the server's timeout."""


class DBusNotifier(Notifier):
    name = "dbus"

    def __init__(self) -> None:
        from jeepney import DBusAddress, HeaderFields, MatchRule, message_bus
        from jeepney.io.threading import Proxy

        from tray.adapters.bus import Router

        self._address = DBusAddress("/org/freedesktop/Notifications",
                                    bus_name="org.freedesktop.Notifications",
                                    interface="org.freedesktop.Notifications")
        # Thread-safe: `notify` and `close` send on pointbreak-notify-send while the router's
        # own thread receives and pointbreak-notify reads the signals it hands over.
        self._router = Router("SESSION")
        self._lock = threading.Lock()
        self._ids: dict[int, int] = {}  # our key -> the server's id
        self._callbacks: dict[int, OnAction] = {}  # the server's id -> callback
        reply = self._send("GetCapabilities", "", ())
        self.has_actions = "actions" in reply.body[0]
        # Only the notification server's own signals (its unique name on the bus): any other
        # client of the session bus could otherwise press our buttons.
        server = reply.header.fields.get(HeaderFields.sender)
        rule = MatchRule(type="signal", interface=self._address.interface,
                         path=self._address.object_path, sender=server)
        Proxy(message_bus, self._router, timeout=5).AddMatch(rule)
        self._signals = self._router.filter(rule, bufsize=64).queue
        threading.Thread(target=self._listen, name="pointbreak-notify", daemon=True).start()

    def _send(self, method: str, signature: str, body: tuple[Any, ...]) -> Any:
        from jeepney import MessageType, new_method_call

        try:
            reply = self._router.send_and_get_reply(
                new_method_call(self._address, method, signature or None, body), timeout=5)
        except Exception as error:  # no reply in time, or the bus went away
            raise NotifyError(_("{method}: the notification server does not answer "
                                "({error})").format(method=method, error=repr(error))) from error
        if reply.header.message_type is MessageType.error:
            raise NotifyError(f"{method}: {reply.body}")
        return reply

    def _call(self, method: str, signature: str, body: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(self._send(method, signature, body).body)

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        flat = [part for pair in actions.items() for part in pair] if self.has_actions else []
        with self._lock:
            replaces = self._ids.get(key, 0)
        server_id = self._call("Notify", "susssasa{sv}i",
                               (APP, replaces, "", title, message, flat,
                                {"urgency": ("y", 1)}, 0))[0]
        with self._lock:
            self._ids[key] = server_id
            self._callbacks[server_id] = on_action

    def close(self, key: int) -> None:
        with self._lock:
            server_id = self._ids.pop(key, None)
        if server_id is not None:
            try:
                self._call("CloseNotification", "u", (server_id,))
            except Exception as error:
                log.info("could not withdraw a notification: %s", error)

    def _listen(self) -> None:
        from jeepney import HeaderFields

        from tray.adapters.bus import LOST, Ended

        while True:
            signal = self._signals.get()
            if isinstance(signal, Ended):
                if signal is LOST:
                    log.warning("notifications: the session bus went away (%s); their buttons "
                                "no longer answer", self._router.lost)
                return
            try:
                member = signal.header.fields.get(HeaderFields.member)
                server_id = signal.body[0]
                with self._lock:
                    callback = self._callbacks.get(server_id)
                    if member == "NotificationClosed":
                        self._callbacks.pop(server_id, None)
                if member == "ActionInvoked" and callback is not None:
                    callback(str(signal.body[1]))
            except Exception:  # the thread's edge: a malformed signal or a failed action
                log.exception("a notification signal could not be handled")


class NotifySendNotifier(Notifier):
    name = "notify-send"

    def __init__(self) -> None:
        self._path = shutil.which("notify-send")
        if self._path is None:
            raise NotifyError(_("{program} is not installed").format(program="notify-send"))

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        assert self._path is not None
        subprocess.run([self._path, "--app-name", APP, title, message], check=True, timeout=5,
                       stdin=subprocess.DEVNULL, capture_output=True)


class PlyerNotifier(Notifier):
    name = "plyer"

    def __init__(self) -> None:
        if sys.platform.startswith("linux"):
            # plyer needs dbus-python or notify-send there, and says so only when it fails.
            try:
                import dbus  # noqa: F401
            except ImportError:
                if shutil.which("notify-send") is None:
                    raise NotifyError(_("plyer has neither dbus-python nor notify-send")) from None
        from plyer import notification

        self._notification = notification

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        self._notification.notify(title=title, message=message, app_name=APP, timeout=10)


class OsascriptNotifier(Notifier):
    name = "osascript"

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        script = f"display notification {_quoted(message)} with title {_quoted(title)}"
        subprocess.run(["osascript", "-e", script], check=True, timeout=5, capture_output=True)


class PystrayNotifier(Notifier):
    name = "pystray"

    def __init__(self, icon: Any) -> None:
        if not getattr(icon, "HAS_NOTIFICATION", False):
            raise NotifyError(_("this tray backend cannot notify"))
        self._icon = icon

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        self._icon.notify(message, title)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _paths(icon: Any) -> dict[str, Callable[[], NotificationPath]]:
    """Every path by name (`icon`: pystray's, for its own notifications)."""
    return {"dbus": DBusNotifier, "notify-send": NotifySendNotifier, "plyer": PlyerNotifier,
            "osascript": OsascriptNotifier, "pystray": lambda: PystrayNotifier(icon)}


@dataclass(frozen=True)
class Capabilities:
    """The paths a system has, best first (whether each works is found by trying it)."""

    paths: tuple[str, ...]


def capabilities(platform: str = sys.platform) -> Capabilities:
    """This system's (`platform`: a `sys.platform` value); pure."""
    return Capabilities({"windows": ("pystray",), "macos": ("osascript",)}.get(
        choosing.system_of(platform), ("dbus", "notify-send", "plyer")))


def select(icon: Any = None, choice: str | None = None) -> NotificationPath:
    """The first path that works here, or the one `choice` (else POINTBREAK_NOTIFY) names;
    a silent Notifier where none works or `none` is asked. Raises UnknownChoice for an unknown
    name."""
    paths = _paths(icon)
    name = choosing.forced("POINTBREAK_NOTIFY", [*paths, choosing.NONE], choice)
    if name == choosing.NONE:
        return Notifier()
    notifier = choosing.first_that_works(
        "notifications", [(n, paths[n]) for n in ([name] if name else capabilities().paths)])
    if notifier is None:
        log.warning("notifications: no path works here; prompts still come as the prompt card")
        return Notifier()
    log.info("notifications: %s has buttons: %s", notifier.name,
             "yes" if notifier.has_actions else "no")
    return notifier


class SafeNotifier:
    """Wraps a path: calls return at once (a thread of its own talks to the notification
    server, so a slow D-Bus never holds up the engine), and a failure is logged once."""

    def __init__(self, inner: NotificationPath) -> None:
        self.inner = inner
        self._has_failed = False
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def notify(self, key: int, title: str, message: str, actions: dict[str, str],
               on_action: OnAction) -> None:
        self._submit(lambda: self.inner.notify(key, title, message, actions, on_action))

    def close(self, key: int) -> None:
        self._submit(lambda: self.inner.close(key))

    def _submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True,
                                                name="pointbreak-notify-send")
                self._worker.start()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception as error:  # a notification is never worth a crash
                if not self._has_failed:
                    log.warning("notifications via %s failed (said once): %s",
                                self.inner.name, error)
                self._has_failed = True
