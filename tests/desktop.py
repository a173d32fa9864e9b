"""A real desktop for end-to-end tests: Xvfb, a window manager, a tray host, a D-Bus session with
a notification daemon, and helpers to look at it and click on it (xdotool, ImageMagick)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TRAY_TINT = (0x33, 0x66, 0x99)
NEEDED = ("Xvfb", "trayer", "xdotool", "xwininfo", "import", "dbus-daemon", "dunst",
          "dbus-monitor", "openbox")


# Window titles, as xdotool's --name patterns: the routine window's title says what it shows,
# then " — Pointbreak". xdotool matches WM_NAME, where Tk writes the dash as bytes, not UTF-8
# (_NET_WM_NAME, which window managers show, has it right): the patterns leave it out.
ROUTINE_WINDOW = ". Pointbreak$"  # the card, a step or the end card
CARD = "^Time for a back break .+ Pointbreak$"

# Settings under which a break may come at any hour of any day.
ALL_DAY = ('[active_hours]\nstart = "00:00"\nend = "24:00"\n'
           'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n')


def midday_zone() -> str:
    """A zone (TZ) in which it is now between 12:00 and 13:00. A test that reads the next
    break's clock time runs there with ALL_DAY: a snooze or an interval then lands hours
    from the end of the active hours and of the day, whenever the suite runs. (Under the
    default 09:00-18:00, "snooze 10 min" at 17:05 rightly moves a 17:55 break to tomorrow.)"""
    offset = 12 - datetime.now(UTC).hour  # local = UTC + offset, from -11 to +12 hours
    # Etc/GMT's names have POSIX's sign: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def missing_tools() -> list[str]:
    return [tool for tool in NEEDED if shutil.which(tool) is None]


def wait_for(check: Callable[[], Any], timeout: float = 10.0, what: str = "it") -> Any:
    """Poll `check` until it returns something truthy (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Desktop:
    display: str
    bus: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {"DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.bus}

    def run(self, *args: str, check: bool = True) -> str:
        env = dict(os.environ, **self.env)
        return subprocess.run(args, env=env, capture_output=True, text=True, check=check,
                              timeout=30).stdout

    # --- the tray host ---------------------------------------------------------------------

    def tray_icons(self) -> list[str]:
        """The client windows docked in trayer (each tray icon is one): the windows with a
        class below trayer's panel."""
        panels = self.run("xdotool", "search", "--class", "trayer", check=False).split()
        icons: set[str] = set()
        for panel in panels:
            tree = self.run("xwininfo", "-tree", "-id", panel, check=False)
            lines = tree.splitlines()
            for line in lines[1:]:
                match = re.match(r"\s+(0x[0-9a-f]+) .*: \(\"[^\"]+\" \"[^\"]+\"\)", line)
                if match and "trayer" not in line and "panel" not in line.split(":")[0]:
                    icons.add(match.group(1))
        return sorted(icons)

    def icon_geometry(self, window: str) -> tuple[int, int, int, int]:
        info = self.run("xwininfo", "-id", window)
        x = int(re.search(r"Absolute upper-left X:\s+(-?\d+)", info).group(1))  # type: ignore[union-attr]
        y = int(re.search(r"Absolute upper-left Y:\s+(-?\d+)", info).group(1))  # type: ignore[union-attr]
        w = int(re.search(r"Width:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        h = int(re.search(r"Height:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
        return x, y, w, h

    def visible_windows(self, name: str) -> list[str]:
        return self.run("xdotool", "search", "--onlyvisible", "--name", name,
                        check=False).split()

    def click(self, window: str, x: int, y: int, button: int = 1) -> None:
        self.run("xdotool", "mousemove", "--window", window, str(x), str(y), "click",
                 str(button))

    def keys(self, window: str, *keys: str) -> None:
        """Focus the window, then type (XTEST: Tk ignores keys sent with XSendEvent)."""
        self.run("xdotool", "windowactivate", "--sync", window)
        self.run("xdotool", "key", "--delay", "30", *keys)

    def type(self, window: str, text: str) -> None:
        """Focus the window, then type `text` as keystrokes."""
        self.run("xdotool", "windowactivate", "--sync", window)
        self.run("xdotool", "type", "--delay", "30", text)

    def screenshot(self, path: Path, window: str | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run("import", "-window", window or "root", str(path))
        print(f"screenshot: {path}")
        return path

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                _signal(process.pid, signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(5)
            except (subprocess.TimeoutExpired, AssertionError):
                _signal(process.pid, signal.SIGKILL)


def _signal(pid: int, number: int) -> None:
    """Signal a process group we started, or the lone process when it leads none."""
    try:
        os.killpg(pid, number)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)


def start_desktop(*, with_trayer: bool = True) -> Desktop:
    """Xvfb on a free display, openbox, trayer (unless not `with_trayer`) and a private D-Bus
    session with dunst."""
    processes: list[subprocess.Popen[bytes]] = []

    logs = Path(tempfile.mkdtemp(prefix="pb-desktop-"))

    def spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with open(logs / f"{Path(args[0]).name}.log", "wb") as log:
            process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        processes.append(process)
        return process

    def said(name: str) -> str:
        path = logs / f"{name}.log"
        return path.read_text(errors="replace")[-500:] if path.exists() else ""

    read_fd, write_fd = os.pipe()
    # -noreset: without it the server resets whenever its last client leaves, and a client
    # connecting during the reset is refused ("cannot open display").
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0",
                             "1280x800x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    processes.append(xvfb)
    os.close(write_fd)
    with os.fdopen(read_fd) as reader:
        number = reader.readline().strip()
    display = f":{number}"
    base = dict(os.environ, DISPLAY=display)
    bus_out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                              "--print-pid=1"], capture_output=True, text=True, check=True,
                             env=base).stdout.split()
    bus, bus_pid = bus_out[0], int(bus_out[1])
    desktop = Desktop(display, bus, processes)
    env = dict(base, DBUS_SESSION_BUS_ADDRESS=bus)
    try:
        wait_for(lambda: subprocess.run(["xdpyinfo"], env=env, capture_output=True).returncode
                 == 0, what="the X display")
        spawn(["openbox", "--sm-disable"], env)

        def spawn_trayer() -> subprocess.Popen[bytes]:
            return spawn(["trayer", "--edge", "top", "--align", "right", "--widthtype",
                          "request", "--height", "32", "--SetDockType", "true",
                          "--transparent", "false", "--tint", "0x336699"], env)

        # trayer has been seen, rarely, to come up without a window
        for attempt in (1, 2) if with_trayer else ():
            trayer = spawn_trayer()
            try:
                wait_for(lambda: desktop.run("xdotool", "search", "--class", "trayer",
                                             check=False), timeout=5, what="trayer")
                break
            except AssertionError as error:
                _signal(trayer.pid, signal.SIGKILL)
                if attempt == 2:
                    raise AssertionError(f"{error}; trayer exited {trayer.poll()} and said: "
                                         f"{said('trayer')!r}") from None
        config = Path(tempfile.mkdtemp(prefix="pb-dunst-")) / "dunstrc"
        config.write_text("[global]\n    dmenu = /bin/true\n")
        spawn(["dunst", "-config", str(config)], env)
    except BaseException:
        desktop.stop()
        raise
    processes.append(_PidOnly(bus_pid))  # type: ignore[arg-type]
    return desktop


class _PidOnly:
    """A process we did not start with Popen (dbus-daemon forks itself)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        return None

    def wait(self, timeout: float | None = None) -> int:
        wait_for(lambda: self.poll() is not None, timeout or 5, "dbus-daemon to end")
        return 0


def dominant_colour(png: Path, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    from PIL import Image

    with Image.open(png) as image:
        region = image.convert("RGB").crop(box)
        colours = region.getcolors(region.width * region.height) or []
    return max(colours)[1]


def pixels_unlike(png: Path, box: tuple[int, int, int, int], colour: tuple[int, int, int],
                  tolerance: int = 40) -> float:
    """The share of pixels in `box` that are clearly not `colour`."""
    from PIL import Image

    with Image.open(png) as image:
        region = image.convert("RGB").crop(box)
        flat = getattr(region, "get_flattened_data", region.getdata)  # Pillow 12 renamed it
        data = list(flat())
    unlike = [p for p in data if sum(abs(a - b) for a, b in zip(p, colour, strict=True))
              > tolerance]
    return len(unlike) / max(1, len(data))


def colourful_share(png: Path, box: tuple[int, int, int, int],
                    background: tuple[int, int, int]) -> float:
    """Of the pixels in `box` clearly not `background` (the drawing), the share in colour: a
    channel 40 or more from another. A symbolic icon drawn in a panel's text colour has next to
    none; Pointbreak's colour icon (teal, orange, purple, green badges) has most."""
    from PIL import Image

    with Image.open(png) as image:
        region = image.convert("RGB").crop(box)
        flat = getattr(region, "get_flattened_data", region.getdata)
        ink = [p for p in flat() if sum(abs(a - b) for a, b in zip(p, background, strict=True))
               > 60]
    assert ink, f"nothing drawn in {box} of {png}"
    return sum(1 for p in ink if max(p) - min(p) >= 40) / len(ink)


def start_pulse(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A real PulseAudio server with a null microphone ("mic") and a null speaker ("speaker"),
    its socket in `folder`. Returns the process and the PULSE_SERVER value that reaches it."""
    for tool in ("pulseaudio", "pactl", "parecord"):
        assert shutil.which(tool), f"{tool} is missing: tests/run.sh installs pulseaudio-utils"
    server = f"unix:{folder / 'native'}"
    env = dict(os.environ, HOME=str(folder), XDG_RUNTIME_DIR=str(folder))
    process = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "-L", f"module-native-protocol-unix socket={folder / 'native'} auth-anonymous=1",
         "-L", "module-null-source source_name=mic", "-L", "module-null-sink sink_name=speaker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: subprocess.run(["pactl", "info"], env=dict(env, PULSE_SERVER=server),
                                        capture_output=True).returncode == 0,
                 what="the PulseAudio server")
    except BaseException:
        process.kill()
        raise
    return process, server


# --- xfce4-panel: a StatusNotifierItem host ---------------------------------------------------

PANEL_XML = """<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="size" type="uint" value="32"/>
      <property name="icon-size" type="uint" value="24"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="plugin-ids" type="array"><value type="int" value="1"/></property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
"""
WATCHER = "org.kde.StatusNotifierWatcher"


@dataclass
class PanelDesktop(Desktop):
    """Xvfb, a private session bus and xfce4-panel holding only its systray plugin, which is
    the StatusNotifierWatcher and a host (issue 13's memo, 3.4)."""

    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pb-xfce-")))
    panel: subprocess.Popen[bytes] | None = None

    @property
    def panel_env(self) -> dict[str, str]:
        return dict(os.environ, **self.env, HOME=str(self.home),
                    XDG_CONFIG_HOME=str(self.home / "config"),
                    XDG_RUNTIME_DIR=str(self.home / "run"),
                    XDG_CACHE_HOME=str(self.home / "cache"))

    def start_panel(self) -> None:
        """Start xfce4-panel and wait for its watcher to own its name on the bus."""
        config = self.home / "config" / "xfce4" / "xfconf" / "xfce-perchannel-xml"
        config.mkdir(parents=True, exist_ok=True)
        (config / "xfce4-panel.xml").write_text(PANEL_XML)
        (self.home / "run").mkdir(mode=0o700, exist_ok=True)
        env = self.panel_env
        # xfconfd is started by the bus, with the bus's environment: give it this config.
        subprocess.run(["dbus-update-activation-environment", "DISPLAY", "HOME",
                        "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME"], env=env,
                       check=True, capture_output=True, timeout=30)
        with open(self.home / "panel.log", "ab") as log:
            self.panel = subprocess.Popen(["xfce4-panel", "--disable-wm-check"], env=env,
                                          stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
        wait_for(lambda: self.watcher_pid() is not None, timeout=30,
                 what=f"xfce4-panel's StatusNotifierWatcher ({self.home / 'panel.log'})")

    def stop_panel(self) -> None:
        """End xfce4-panel (its plugin, the watcher, is a child process of its own) and wait
        for the watcher's name to go."""
        watcher = self.watcher_pid()
        if self.panel is not None and self.panel.poll() is None:
            _signal(self.panel.pid, signal.SIGTERM)
            try:
                self.panel.wait(10)
            except subprocess.TimeoutExpired:
                _signal(self.panel.pid, signal.SIGKILL)
        if watcher is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(watcher, signal.SIGTERM)
        wait_for(lambda: self.watcher_pid() is None, what="the watcher to leave the bus")

    def _bus_call(self, destination: str, path: str, interface: str, member: str,
                  signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(self.bus) as connection:
            reply = connection.send_and_get_reply(new_method_call(
                DBusAddress(path, bus_name=destination, interface=interface), member,
                signature, body), timeout=10)
        if reply.header.message_type is MessageType.error:
            return None
        return reply.body

    def watcher_pid(self) -> int | None:
        body = self._bus_call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s",
                              (WATCHER,))
        return None if body is None else int(body[0])

    def registered_items(self) -> list[str]:
        body = self._bus_call(WATCHER, "/StatusNotifierWatcher",
                              "org.freedesktop.DBus.Properties", "Get", "ss",
                              (WATCHER, "RegisteredStatusNotifierItems"))
        return [] if body is None else list(body[0][1])

    def item_property(self, owner: str, name: str) -> Any:
        body = self._bus_call(owner, "/StatusNotifierItem", "org.freedesktop.DBus.Properties",
                              "Get", "ss", ("org.kde.StatusNotifierItem", name))
        return None if body is None else body[0][1]

    def stop(self) -> None:
        self.stop_panel() if self.watcher_pid() is not None else None
        super().stop()
        # The bus started xfconfd and at-spi for the panel; they outlive it: end them by PID.
        for pid in _processes_on_bus(self.bus):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _processes_on_bus(bus: str) -> list[int]:
    """The processes whose environment names `bus` (those the bus started, left behind)."""
    found = []
    wanted = f"DBUS_SESSION_BUS_ADDRESS={bus}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def start_panel_desktop(*, with_trayer: bool = False) -> PanelDesktop:
    """A desktop whose tray is xfce4-panel's systray (an SNI host); with `with_trayer`, trayer
    too (an XEmbed host) and no panel yet: `start_panel` then makes a watcher appear."""
    plain = start_desktop(with_trayer=with_trayer)
    desktop = PanelDesktop(plain.display, plain.bus, plain.processes)
    if not with_trayer:
        try:
            desktop.start_panel()
        except BaseException:
            desktop.stop()
            raise
    return desktop


class NotificationBus:
    """dbus-monitor on the notification interface of the desktop's bus, read by a thread: a test
    waits for a message to be seen instead of sleeping before it looks."""

    def __init__(self, desktop) -> None:
        self.process = subprocess.Popen(
            ["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
            env={**os.environ, **desktop.env}, stdout=subprocess.PIPE, text=True,
            start_new_session=True)
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # It gives up its bus name once it is a monitor: from then on it sees every message.
        self.wait_for("member=NameLost", what="dbus-monitor to listen")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self._lines.append(line)

    @property
    def seen(self) -> str:
        with self._lock:
            return "".join(self._lines)

    def wait_for(self, *texts: str, what: str) -> None:
        wait_for(lambda: all(text in self.seen for text in texts), what=what)

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(5)
        self._reader.join(5)
        return self.seen
