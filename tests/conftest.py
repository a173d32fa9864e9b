"""Fixtures: a private profile (HOME and XDG folders) per test, and the real `pointbreak`."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@dataclass
class Profile:
    home: Path
    env: dict[str, str]

    @property
    def settings(self) -> Path:
        return self.home / ".config" / "pointbreak" / "settings.toml"

    def write_settings(self, text: str) -> None:
        self.settings.parent.mkdir(parents=True, exist_ok=True)
        self.settings.write_text(text)

    @property
    def store(self) -> Path:
        return self.home / ".local" / "share" / "pointbreak" / "history"

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        """The installed `pointbreak` command in a subprocess, in this profile."""
        return subprocess.run([str(BIN / "pointbreak"), *args], env=self.env, text=True,
                              capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def artifacts(self, name: str) -> Path:
        folder = Path(__file__).resolve().parent / "artifacts" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder


@pytest.fixture
def profile() -> Iterator[Profile]:
    home = Path(tempfile.mkdtemp(prefix="pb-", dir="/tmp"))
    # English unless a test asks for another language: the developer's own LANGUAGE or LANG
    # would otherwise reach every tray and command the tests start.
    language = ("LANGUAGE", "LANG", "LC_MESSAGES")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "DISPLAY", "WAYLAND_", "DBUS_")) and k not in language}
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_STATE_HOME=str(home / ".local" / "state"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_RUNTIME_DIR=str(runtime),
               TZ="Europe/Berlin", LC_ALL="C.UTF-8")
    saved = {k: os.environ.get(k) for k in (*env, *language)}
    for key in language:
        os.environ.pop(key, None)
    os.environ.update(env)  # in-process code under test sees the same profile
    try:
        yield Profile(home, env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(home, ignore_errors=True)


# --- a real desktop, for end-to-end tests ------------------------------------------------------


@pytest.fixture(scope="session")
def desktop():
    """Xvfb + openbox + trayer + a D-Bus session with dunst, shared by the end-to-end tests."""
    import desktop as desk

    yield from _desktop_session(desk.start_desktop)


def _desktop_session(start, tools: tuple[str, ...] = ()):
    import desktop as desk

    if not sys.platform.startswith("linux"):
        pytest.skip("the end-to-end tests need Xvfb, a tray host and D-Bus: Linux only")
    missing = [tool for tool in tools if shutil.which(tool) is None] + desk.missing_tools()
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: `bash tests/run.sh` installs them")
    session = start()
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="session")
def panel_desktop():
    """Xvfb + a D-Bus session + xfce4-panel with only its systray (a StatusNotifierItem
    watcher and host), shared by the tests of the SNI tray; `start_panel`/`stop_panel` restart
    its watcher."""
    import desktop as desk

    yield from _desktop_session(desk.start_panel_desktop,
                                ("xfce4-panel", "dbus-update-activation-environment"))


@dataclass
class Tray:
    process: subprocess.Popen[bytes]
    profile: Profile
    icon: str | None

    def status(self) -> str:
        result = self.profile.run("status")
        assert result.returncode == 0, result.stderr
        return result.stdout

    def log(self) -> str:
        path = self.profile.home / ".local" / "state" / "pointbreak" / "log" / "pointbreak.log"
        return path.read_text() if path.exists() else "(no log)"

    def stop(self) -> None:
        print(f"--- the tray's log ---\n{self.log()}")
        if self.process.poll() is None:
            self.profile.run("quit")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, 9)  # any window it left behind


@pytest.fixture
def start_tray(desktop, profile):
    """Start the real `pointbreak` tray in this test's profile on the shared desktop."""
    import desktop as desk

    started: list[Tray] = []

    def start(wait_icon: bool = True, welcome: bool = False, prefix: tuple[str, ...] = (),
              **env: str) -> Tray:
        profile.env.update(desktop.env)
        profile.env["POINTBREAK_TEST_KEY_GUARD_SECONDS"] = "0"
        # The display's idle time is shared by every test: a tray must not find the chair
        # empty because an earlier test left the pointer alone. The idle test asks for x11.
        profile.env["POINTBREAK_IDLE"] = "none"
        profile.env.update(env)
        before = set(desktop.tray_icons())
        args = [] if welcome else ["--no-welcome"]
        process = subprocess.Popen([*prefix, str(BIN / "pointbreak"), *args], env=profile.env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        tray = Tray(process, profile, None)
        started.append(tray)
        if wait_icon:
            def shown_icon() -> str | None:
                # The icon window, not a short-lived helper: it exists and has a real size.
                for window in sorted(set(desktop.tray_icons()) - before):
                    try:
                        _, _, width, height = desktop.icon_geometry(window)
                    except subprocess.CalledProcessError:
                        continue  # gone already
                    if width >= 16 and height >= 16:
                        return window
                return None

            tray.icon = desk.wait_for(shown_icon, what="the tray icon")
        desk.wait_for(lambda: _answers(profile), what="the control channel")
        return tray

    yield start
    for tray in started:
        tray.stop()


def _answers(profile: Profile) -> bool:
    """Whether the tray answers `status` (one still starting says so, with status 1)."""
    result = profile.run("status")
    return result.returncode == 0 and "not running" not in result.stdout


@pytest.fixture
def start_sni_tray(panel_desktop, profile):
    """Start the real `pointbreak` tray on the xfce4-panel desktop: it must choose the
    StatusNotifierItem by itself, and register it (`Tray.icon` is its bus name)."""
    import desktop as desk

    started: list[Tray] = []

    def start(desktop=None, **env: str) -> Tray:
        host = desktop or panel_desktop
        profile.env.update(host.env)
        profile.env.update(POINTBREAK_TEST_KEY_GUARD_SECONDS="0", POINTBREAK_IDLE="none",
                           **env)
        process = subprocess.Popen([str(BIN / "pointbreak"), "--no-welcome"], env=profile.env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        name = f"org.kde.StatusNotifierItem-{process.pid}-1"
        tray = Tray(process, profile, name)
        started.append(tray)
        desk.wait_for(lambda: any(item.split("/")[0] == name
                                  for item in host.registered_items()),
                      timeout=30, what=f"{name} in the watcher's list")
        desk.wait_for(lambda: _answers(profile), what="the control channel")
        return tray

    yield start
    for tray in started:
        tray.stop()


# --- a real GNOME Shell, as a non-root user -----------------------------------------------------


@pytest.fixture(scope="session")
def gnome():
    """GNOME Shell 43 headless (Wayland, Xwayland, the AppIndicator extension) on private
    buses, as the non-root user of tests/gnome.py; shared by the GNOME tests. It fails, saying
    why, where it cannot start."""
    import gnome as gn

    if not sys.platform.startswith("linux"):
        pytest.skip("GNOME Shell runs on Linux only")
    missing = gn.missing()
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: `bash tests/run.sh` installs them")
    with gn.gnome_session() as session:
        yield session


@pytest.fixture(scope="session")
def gnome_venv():
    """The bin folder of the GNOME user's venv (Debian's python3, Pointbreak installed)."""
    import gnome as gn

    return gn.user_venv()


@pytest.fixture
def gnome_profile(gnome, gnome_venv):
    import gnome as gn

    with gn.user_profile(gnome, gnome_venv) as profile:
        yield profile


@pytest.fixture
def start_gnome_tray(gnome, gnome_profile):
    """Start the real `pointbreak` tray as the GNOME user, in its profile, in the session."""
    import desktop as desk

    started: list[Tray] = []

    def start(**env: str) -> Tray:
        gnome_profile.env.update(POINTBREAK_TEST_KEY_GUARD_SECONDS="0", POINTBREAK_IDLE="none",
                                 **env)
        process = gnome_profile.popen("--no-welcome")
        tray = Tray(process, gnome_profile, f"org.kde.StatusNotifierItem-{process.pid}-1")
        started.append(tray)
        desk.wait_for(lambda: _answers(gnome_profile) or process.poll() is not None,
                      timeout=30, what="the control channel")
        assert process.poll() is None, f"the tray exited {process.returncode}: {tray.log()}"
        return tray

    yield start
    for tray in started:
        tray.stop()


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A real PulseAudio server with a null microphone ("mic") and a null speaker; yields the
    environment that reaches it (PULSE_SERVER is also set for in-process code)."""
    from desktop import start_pulse

    server, address = start_pulse(tmp_path)
    monkeypatch.setenv("PULSE_SERVER", address)
    try:
        yield dict(os.environ, PULSE_SERVER=address)
    finally:
        server.terminate()
        server.wait(10)


@dataclass
class SessionBus:
    env: dict[str, str]  # the profile's, with the bus
    bus: object  # buses.Peer: its `vanish()` ends it under whoever uses it


@pytest.fixture
def session_bus(profile):
    """A private session bus in this profile: dconf-service, started by it on demand, writes
    the profile's dconf database, which gsettings (the watcher's and the test's) reads."""
    from buses import private_bus

    with private_bus(profile.env) as bus:
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        try:
            yield SessionBus(dict(profile.env, DBUS_SESSION_BUS_ADDRESS=bus.address), bus)
        finally:
            del os.environ["DBUS_SESSION_BUS_ADDRESS"]
