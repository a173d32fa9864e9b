"""A real GNOME Shell 43 for end-to-end tests: headless, Wayland with Xwayland (so Tk windows
show), the AppIndicator extension (a StatusNotifierItem watcher and host), on a private session
bus and a private "system" bus, run as a non-root user (GNOME refuses root). Clicks go through
Mutter's RemoteDesktop D-Bus API, screenshots through org.gnome.Shell.Screenshot.

The app under test runs as the same user (a session bus admits only its owner, and this
harness's own connection, allowed by the bus's configuration), from a venv made from Debian's
/usr/bin/python3 outside /root (the default python3 here lives under /root, mode 0700), with
Pointbreak installed into it non-editable.

Traps met here, each handled below: GNOME opens the Activities overview at start (Escape closes
it); a RemoteDesktop session adds a "screen is being shared" button to the top bar, which moves
the tray icon left (so one session is opened at start and kept, and positions are read from
screenshots taken while it is open); the top-left hot corner's pressure barrier eats pointer
motion (so the pointer is homed at the bottom-right corner and moved from there); dconf-service,
started by the bus, takes the bus's environment (so HOME and the XDG folders are set before
the bus starts)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import wait_for

USER = "pointbreak-test"
ROOT = Path("/var/tmp/pointbreak-gnome")  # the user's venv: readable by that user
EXTENSION = "ubuntu-appindicators@ubuntu.com"
WIDTH, HEIGHT = 1024, 768
NEEDED = ("gnome-shell", "Xwayland", "gjs", "dbus-daemon", "gsettings", "xdotool", "xwininfo")
BTN = {1: 0x110, 2: 0x112, 3: 0x111}  # evdev BTN_LEFT, BTN_MIDDLE, BTN_RIGHT
KEYSYM_ESCAPE = 0xFF1B
SOURCE = Path(__file__).resolve().parents[1]
WHO_OWNS = {"org.kde.StatusNotifierWatcher": f"the extension {EXTENSION} serves it",
            "org.freedesktop.Notifications": "gjs runs the Shell's notification service",
            "org.gnome.Shell.Screenshot": "the Shell serves it"}


class GnomeError(AssertionError):
    """GNOME Shell could not be started or driven; the message says why."""


def missing() -> list[str]:
    """What this machine lacks to run GNOME here (packages come from tests/run.sh)."""
    gone = [tool for tool in NEEDED if shutil.which(tool) is None]
    if not Path(f"/usr/share/gnome-shell/extensions/{EXTENSION}").is_dir():
        gone.append("gnome-shell-extension-appindicator")
    if not Path("/usr/bin/python3").exists():
        gone.append("/usr/bin/python3")
    return gone


# --- the user and the venv ----------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int

    def popen_args(self) -> dict[str, Any]:
        """Popen's arguments that run a child as this user (none when we are that user)."""
        if os.geteuid() == self.uid:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, *paths: Path) -> None:
        if os.geteuid() == 0:
            for path in paths:
                os.chown(path, self.uid, self.gid)


def the_user() -> User:
    """The non-root user the session runs as: ourselves when we are not root; as root, the
    system user `pointbreak-test`, created here when missing (idempotent)."""
    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
        return User(entry.pw_name, entry.pw_uid, entry.pw_gid)
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        made = subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                               "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                               USER], capture_output=True, text=True, check=False)
        try:
            entry = pwd.getpwnam(USER)  # another run may have made it meanwhile
        except KeyError:
            raise GnomeError(f"cannot create the user {USER}: {made.stderr.strip()}") from None
    return User(entry.pw_name, entry.pw_uid, entry.pw_gid)


def user_venv() -> Path:
    """ROOT/venv made from /usr/bin/python3 with this checkout installed (non-editable, from a
    copy), its bin folder returned. Reused between runs; the package is reinstalled each time."""
    ROOT.mkdir(parents=True, exist_ok=True)
    ROOT.chmod(0o755)
    venv = ROOT / "venv"
    with open(ROOT / "install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time (two suites may start)
        check = subprocess.run([str(venv / "bin" / "python"), "-c", "import tkinter"],
                               capture_output=True, check=False) if venv.exists() else None
        if check is None or check.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            _run(["/usr/bin/python3", "-m", "venv", str(venv)],
                 "making the venv (Debian: python3-venv python3-tk)")
        copy = Path(tempfile.mkdtemp(prefix="src-", dir=ROOT))
        try:
            shutil.copytree(SOURCE, copy / "pointbreak", symlinks=True,
                            ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info",
                                                          "artifacts", "__pycache__"))
            pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
            _run([*pip, str(copy / "pointbreak")], "installing Pointbreak's dependencies")
            _run([*pip, "--no-deps", "--force-reinstall", str(copy / "pointbreak")],
                 "installing Pointbreak")
            _run(["chmod", "-R", "a+rX", str(venv)], "opening the venv to its user")
        finally:
            shutil.rmtree(copy, ignore_errors=True)
    return venv / "bin"


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise GnomeError(f"{what} failed ({done.returncode}): {done.stderr[-1500:]}")


# --- D-Bus, from this (the test's) process ----------------------------------------------------

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={path}</listen>
  <auth>EXTERNAL</auth>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="{user}"/>
    <allow user="root"/>
  </policy>
</busconfig>
"""


class Bus:
    """A blocking jeepney connection to one of the session's buses."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.connection = open_dbus_connection(address)

    def call(self, path: str, interface: str, member: str, signature: str | None = None,
             body: tuple[Any, ...] = (), destination: str = "org.freedesktop.DBus",
             timeout: float = 20) -> tuple[Any, ...]:
        from jeepney import DBusAddress, MessageType, new_method_call

        address = DBusAddress(path, destination, interface)
        reply = self.connection.send_and_get_reply(
            new_method_call(address, member, signature, body), timeout=timeout)
        if reply.header.message_type == MessageType.error:
            raise GnomeError(f"{destination} {member}: {reply.body}")
        return tuple(reply.body)

    def has_owner(self, name: str) -> bool:
        return bool(self.call("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
                              "s", (name,))[0])

    def wait_for_name(self, name: str, timeout: float, alive: Any = None) -> None:
        """Until `name` has an owner: its NameOwnerChanged, not a poll of the clock."""
        from jeepney import MatchRule

        rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                         interface="org.freedesktop.DBus", member="NameOwnerChanged",
                         path="/org/freedesktop/DBus")
        rule.add_arg_condition(0, name)
        self.call("/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch", "s",
                  (rule.serialise(),))
        deadline = time.monotonic() + timeout
        with self.connection.filter(rule) as queue:
            while not self.has_owner(name):
                if alive is not None:
                    alive()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise GnomeError(f"{name} did not appear on the bus in {timeout:g} s")
                with contextlib.suppress(TimeoutError):
                    # Woken by the signal; at most 1 s, to notice a shell that died.
                    self.connection.recv_until_filtered(queue, timeout=min(left, 1.0))

    def get(self, destination: str, path: str, interface: str, name: str) -> Any:
        (value,) = self.call(path, "org.freedesktop.DBus.Properties", "Get", "ss",
                             (interface, name), destination=destination)
        return value[1]

    def close(self) -> None:
        self.connection.close()


# --- the session ------------------------------------------------------------------------------


@dataclass
class Gnome:
    user: User
    folder: Path
    env: dict[str, str]  # what a client of this session needs (the app's base environment)
    bus: Bus
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    remote: str = ""  # the RemoteDesktop session's object path
    x_display: str = ""
    xauthority: str = ""

    # --- looking ---------------------------------------------------------------------------

    def screenshot(self, path: Path, include_cursor: bool = False) -> Path:
        """The whole screen as the Shell draws it (what a person sees), saved as PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        target = self.folder / "shots" / path.name  # the shell, as the user, writes it here
        ok, written = self.bus.call("/org/gnome/Shell/Screenshot", "org.gnome.Shell.Screenshot",
                                    "Screenshot", "bbs", (include_cursor, False, str(target)),
                                    destination="org.gnome.Shell.Screenshot")
        if not ok:
            raise GnomeError(f"the Shell took no screenshot ({written!r})")
        shutil.move(written, path)
        print(f"screenshot: {path}")
        return path

    def registered_items(self) -> list[str]:
        return list(self.bus.get("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                                 "org.kde.StatusNotifierWatcher",
                                 "RegisteredStatusNotifierItems"))

    def x(self, *args: str, check: bool = True) -> str:
        """An X tool (xdotool, xwininfo) on the session's Xwayland."""
        env = dict(os.environ, DISPLAY=self.x_display, XAUTHORITY=self.xauthority)
        return subprocess.run(args, env=env, capture_output=True, text=True, check=check,
                              timeout=30).stdout

    def visible_windows(self, name: str) -> list[str]:
        return self.x("xdotool", "search", "--onlyvisible", "--name", name, check=False).split()

    def active_window(self) -> str | None:
        found = self.x("xdotool", "getactivewindow", check=False).strip()
        return hex(int(found)) if found.isdigit() else None

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        info = self.x("xwininfo", "-id", window)

        def number(label: str) -> int:
            return int(re.search(rf"{label}:\s+(-?\d+)", info).group(1))  # type: ignore[union-attr]

        return (number("Absolute upper-left X"), number("Absolute upper-left Y"),
                number("Width"), number("Height"))

    def overview_active(self) -> bool:
        return bool(self.bus.get("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell",
                                 "OverviewActive"))

    def close_overview(self, timeout: float = 30) -> None:
        """GNOME opens the Activities overview once it has started: wait for it, press Escape
        until it is closed (a key during its opening animation may be lost)."""

        wait_for(self.overview_active, timeout, "the overview GNOME opens at start")

        def closed() -> bool:
            if self.overview_active():
                self.key(KEYSYM_ESCAPE)
                with contextlib.suppress(AssertionError):
                    wait_for(lambda: not self.overview_active(), 2.0, "the overview to close")
            return not self.overview_active()

        wait_for(closed, timeout, "the overview to close")

    # --- acting (RemoteDesktop) ------------------------------------------------------------

    def _remote(self, member: str, signature: str, body: tuple[Any, ...]) -> None:
        self.bus.call(self.remote, "org.gnome.Mutter.RemoteDesktop.Session", member, signature,
                      body, destination="org.gnome.Mutter.RemoteDesktop")

    def key(self, keysym: int | str) -> None:
        keysym = KEYSYM[keysym] if isinstance(keysym, str) else keysym
        self._remote("NotifyKeyboardKeysym", "ub", (keysym, True))
        self._remote("NotifyKeyboardKeysym", "ub", (keysym, False))

    def move(self, x: int, y: int) -> None:
        """The pointer to (x, y): relative motion only (absolute needs a screencast stream),
        from the bottom-right corner (the top-left one is the hot corner)."""
        self._remote("NotifyPointerMotionRelative", "dd", (5000.0, 5000.0))
        self._remote("NotifyPointerMotionRelative", "dd",
                     (float(x - (WIDTH - 1)), float(y - (HEIGHT - 1))))

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.move(x, y)
        self._remote("NotifyPointerButton", "ib", (BTN[button], True))
        self._remote("NotifyPointerButton", "ib", (BTN[button], False))

    def gsettings(self, *args: str) -> str:
        """gsettings as the session's user, on its bus (its dconf database)."""
        done = subprocess.run(["gsettings", *args], env=self.env, cwd=self.env["HOME"],
                              capture_output=True, text=True, timeout=30, check=False,
                              **self.user.popen_args())
        if done.returncode != 0:
            raise GnomeError(f"gsettings {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def restart_watcher(self) -> None:
        """The AppIndicator extension off and on again: its StatusNotifierWatcher goes and a
        new one comes (as after a Shell restart)."""
        owner = self.bus.call("/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner",
                              "s", ("org.kde.StatusNotifierWatcher",))[0]
        self.gsettings("set", "org.gnome.shell", "enabled-extensions", "[]")
        wait_for(lambda: not self.bus.has_owner("org.kde.StatusNotifierWatcher"), 20,
                 f"the watcher {owner} to go")
        self.gsettings("set", "org.gnome.shell", "enabled-extensions", f"['{EXTENSION}']")
        self.bus.wait_for_name("org.kde.StatusNotifierWatcher", 30)

    # --- the end ---------------------------------------------------------------------------

    def log(self) -> str:
        path = self.folder / "gnome-shell.log"
        return path.read_text(errors="replace") if path.exists() else "(no log)"

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.bus.close()
        _end(self.processes, self.user, self.folder)


def _end(processes: list[subprocess.Popen[bytes]], user: User, folder: Path) -> None:
    """End what a session started, by process group, then what its buses started (they
    leave their group: dconf-service and the like), and remove its folder."""
    for process in reversed(processes):
        _signal(process.pid, signal.SIGTERM)
    for process in reversed(processes):
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            _signal(process.pid, signal.SIGKILL)
            process.wait(5)
    for pid in _processes_of(user.uid, folder):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def _signal(pid: int, number: int) -> None:
    """Signal a process group we started (each child leads its own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, number)


def _processes_of(uid: int, folder: Path) -> list[int]:
    """Processes of `uid` whose environment names `folder` (started by this session's buses)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            if str(folder).encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def start_gnome(user: User, timeout: float = 90) -> Gnome:
    """GNOME Shell headless with Xwayland and the AppIndicator extension, up and ready: the
    Shell and the StatusNotifierWatcher are on the bus, Xwayland answers, the overview is
    closed and one RemoteDesktop session is open for the whole run."""
    folder = Path(tempfile.mkdtemp(prefix="pbg-", dir="/tmp"))  # short: socket paths
    folder.chmod(0o755)
    home, runtime = folder / "home", folder / "run"
    for path in (home, runtime, folder / "shots"):
        path.mkdir()
    runtime.chmod(0o700)
    user.own(home, runtime, folder / "shots")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(home),
           "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_STATE_HOME": str(home / ".local/state"), "XDG_SESSION_TYPE": "wayland",
           "XDG_CURRENT_DESKTOP": "GNOME", "USER": user.name, "LOGNAME": user.name}
    processes: list[subprocess.Popen[bytes]] = []

    def spawn(args: list[str], log: str, extra: dict[str, str] | None = None,
              **options: Any) -> subprocess.Popen[bytes]:
        with open(folder / log, "wb") as out:
            process = subprocess.Popen(args, env=dict(env, **(extra or {})), cwd=home,
                                       stdin=subprocess.DEVNULL, stderr=out,
                                       stdout=options.pop("stdout", out), start_new_session=True,
                                       **user.popen_args(), **options)
        processes.append(process)
        return process

    def start_bus(name: str) -> str:
        path = runtime / name
        config = folder / f"{name}.conf"
        config.write_text(BUS_CONFIG.format(path=path, user=user.name))
        daemon = spawn(["dbus-daemon", f"--config-file={config}", "--nofork",
                        "--print-address=1"], f"{name}.log", stdout=subprocess.PIPE)
        assert daemon.stdout is not None
        address = daemon.stdout.readline().decode().strip()  # printed once it listens
        if not address:
            raise GnomeError(f"dbus-daemon for the {name} did not start: "
                             f"{(folder / f'{name}.log').read_text()[-500:]}")
        return address

    try:
        env["DBUS_SYSTEM_BUS_ADDRESS"] = start_bus("system_bus")  # no logind there: it copes
        env["DBUS_SESSION_BUS_ADDRESS"] = start_bus("bus")
        for schema, key, value in (
                ("org.gnome.shell", "enabled-extensions", f"['{EXTENSION}']"),
                ("org.gnome.shell", "disable-user-extensions", "false"),
                ("org.gnome.desktop.interface", "enable-animations", "false")):  # drawn at once
            done = subprocess.run(["gsettings", "set", schema, key, value], env=env,
                                  capture_output=True, text=True, timeout=30, check=False,
                                  cwd=home, **user.popen_args())
            if done.returncode != 0:
                raise GnomeError(f"gsettings set {schema} {key}: {done.stderr.strip()}")
        bus = Bus(env["DBUS_SESSION_BUS_ADDRESS"])
        gnome = Gnome(user, folder, env, bus, processes)
        shell = spawn(["gnome-shell", "--headless", "--wayland", "--wayland-display=wl-pb",
                       f"--virtual-monitor={WIDTH}x{HEIGHT}"], "gnome-shell.log")

        def alive() -> None:
            if shell.poll() is not None:
                raise GnomeError(f"gnome-shell exited with {shell.returncode}: "
                                 f"{gnome.log()[-2000:]}")

        for name in ("org.gnome.Shell", "org.gnome.Mutter.RemoteDesktop",
                     "org.kde.StatusNotifierWatcher", "org.gnome.Shell.Screenshot",
                     "org.freedesktop.Notifications"):  # its banners (through gjs)
            try:
                bus.wait_for_name(name, timeout, alive)
            except GnomeError as error:
                if shell.poll() is not None:
                    raise
                raise GnomeError(f"{error} (gnome-shell runs; {WHO_OWNS.get(name, name)}); "
                                 f"its log ends: {gnome.log()[-1500:]}") from None
        gnome.x_display, gnome.xauthority = _xwayland(shell.pid, runtime, alive, timeout)
        env.update(WAYLAND_DISPLAY="wl-pb", DISPLAY=gnome.x_display,
                   XAUTHORITY=gnome.xauthority)
        bus.call("/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName", "su",
                 ("org.gnome.Screenshot", 4))  # a sender the Shell lets take screenshots
        (gnome.remote,) = bus.call("/org/gnome/Mutter/RemoteDesktop",
                                   "org.gnome.Mutter.RemoteDesktop", "CreateSession",
                                   destination="org.gnome.Mutter.RemoteDesktop")
        gnome._remote("Start", "", ())
        gnome.close_overview(timeout)
        gnome.move(WIDTH // 2, HEIGHT // 2)
    except BaseException:
        _end(processes, user, folder)
        raise
    return gnome


def _xwayland(shell_pid: int, runtime: Path, alive: Any, timeout: float) -> tuple[str, str]:
    """The Xwayland display Mutter started for X clients (its child's `:N` argument) and its
    authority file (`-auth FILE`), once the X server answers."""
    deadline = time.monotonic() + timeout
    while True:
        alive()
        for child in _children(shell_pid):
            args = _cmdline(child)
            if args and Path(args[0]).name == "Xwayland":
                display = next((a for a in args[1:] if re.fullmatch(r":\d+", a)), "")
                auth = args[args.index("-auth") + 1] if "-auth" in args else ""
                if display:
                    env = dict(os.environ, DISPLAY=display, XAUTHORITY=auth)
                    if subprocess.run(["xwininfo", "-root"], env=env, capture_output=True,
                                      check=False).returncode == 0:
                        return display, auth
        if time.monotonic() > deadline:
            raise GnomeError(f"no Xwayland answered in {timeout:g} s: gnome-shell must start "
                             "one (package xwayland; not --no-x11)")
        time.sleep(0.1)  # Xwayland says nothing when it is ready but answering


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [int(p) for p in path.read_text().split()]
    return []


def _cmdline(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    return []


@contextlib.contextmanager
def gnome_session() -> Iterator[Gnome]:
    gnome = start_gnome(the_user())
    try:
        yield gnome
    finally:
        gnome.stop()


# --- the app under test, as the session's user --------------------------------------------------


@dataclass
class UserProfile:
    """A private profile (HOME and XDG folders) owned by the session's user, with the session's
    buses and displays; `run` is that user's `pointbreak` (from the user's venv). It has what
    conftest's Tray asks of a profile (`home`, `env`, `run`)."""

    home: Path
    env: dict[str, str]
    user: User
    bin: Path

    @property
    def settings(self) -> Path:
        return self.home / ".config" / "pointbreak" / "settings.toml"

    def write_settings(self, text: str) -> None:
        self.settings.parent.mkdir(parents=True, exist_ok=True)
        self.settings.write_text(text)
        self.user.own(*_up_to(self.settings, self.home))

    def popen(self, *args: str, **options: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(self.bin / "pointbreak"), *args], env=self.env,
                                cwd=self.home, stdin=subprocess.DEVNULL, start_new_session=True,
                                **self.user.popen_args(), **options)

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "pointbreak"), *args], env=self.env,
                              cwd=self.home, text=True, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, **self.user.popen_args())

    def artifacts(self, name: str) -> Path:
        folder = SOURCE / "tests" / "artifacts" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def _up_to(path: Path, top: Path) -> list[Path]:
    """`path` and its parents up to `top`, inclusive."""
    found = [path]
    while found[-1] != top:
        found.append(found[-1].parent)
    return found


@contextlib.contextmanager
def user_profile(gnome: Gnome, bin_folder: Path) -> Iterator[UserProfile]:
    home = Path(tempfile.mkdtemp(prefix="pbu-", dir="/tmp"))
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    gnome.user.own(home, runtime)
    env = dict(gnome.env, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_STATE_HOME=str(home / ".local" / "state"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_RUNTIME_DIR=str(runtime),
               WAYLAND_DISPLAY=str(Path(gnome.env["XDG_RUNTIME_DIR"]) / "wl-pb"),
               TZ="Europe/Berlin", LC_ALL="C.UTF-8")
    try:
        yield UserProfile(home, env, gnome.user, bin_folder)
    finally:
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def cover_window(gnome: Gnome, colour: str = "c000c0") -> Iterator[subprocess.Popen[str]]:
    """Another app's window, native Wayland, maximized and focused, in one flat colour."""
    env = {k: v for k, v in gnome.env.items() if k not in ("DISPLAY", "XAUTHORITY")}
    process = subprocess.Popen(["/usr/bin/python3", str(SOURCE / "tests" / "gnome_window.py"),
                                "Another app", colour], env=dict(env, GDK_BACKEND="wayland"),
                               cwd=env["HOME"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, **gnome.user.popen_args())
    try:
        assert process.stdout is not None and process.stderr is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""  # "shown": its first frame is drawn
        if line.strip() != "shown":
            raise GnomeError(f"the other window did not show: {process.stderr.read()[-800:]}")
        yield process
    finally:
        _signal(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            _signal(process.pid, signal.SIGKILL)
            process.wait(5)


KEYSYM = {"Escape": KEYSYM_ESCAPE, "Return": 0xFF0D, "Down": 0xFF54, "Up": 0xFF52,
          "Right": 0xFF53, "Left": 0xFF51, "space": 0x20}


def changed_box(before: Path, after: Path, region: tuple[int, int, int, int],
                threshold: int = 60) -> tuple[int, int, int, int] | None:
    """The box of the pixels in `region` that differ between two screenshots, or None."""
    from PIL import Image, ImageChops

    with Image.open(before) as first, Image.open(after) as second:
        diff = ImageChops.difference(first.convert("RGB").crop(region),
                                     second.convert("RGB").crop(region)).convert("L")
        box = diff.point(lambda v: 255 if v > threshold else 0).getbbox()
    if box is None:
        return None
    left, top = region[:2]
    return box[0] + left, box[1] + top, box[2] + left, box[3] + top
