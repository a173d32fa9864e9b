"""End to end, for real: the `pointbreak` tray under Xvfb with trayer, clicked with xdotool,
notifications on a private D-Bus session, screenshots saved under tests/artifacts/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import wayland_peers
from desktop import (
    ALL_DAY,
    CARD,
    ROUTINE_WINDOW,
    TRAY_TINT,
    NotificationBus,
    pixels_unlike,
    wait_for,
)
from helpers import stored_files, stored_records

from tray.core.model import State
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Request
from tray.store import Store

BIN = Path(sys.executable).parent
TESTS = Path(__file__).resolve().parents[1]  # the helpers beside the test folders

pytestmark = pytest.mark.e2e


def all_day(profile) -> None:
    profile.write_settings(ALL_DAY)


def stored_state(profile) -> dict:
    return stored_files(profile.store)["state.json"]["state"]["1"]


def records(profile) -> list[dict]:
    return stored_records(profile.store)


def shown_before(profile, instant: datetime) -> list[dict]:
    return [r for r in records(profile) if datetime.fromisoformat(r["shown_at"]) < instant]


def work_from(profile) -> datetime:
    return datetime.fromisoformat(stored_state(profile)["work_from"])


# --- events to wait for instead of a delay: a test means the same on a slow machine ------------

STARTED = "do not disturb: watching"  # the tray's last start-up step logs this


def started(tray, starts: int = 1) -> str:
    """The tray's log once its start-up is over: the welcome, the idle reader, the lock/sleep
    watch and, last, the do-not-disturb detectors (each detector has looked once by then)."""
    return wait_for(lambda: (text := tray.log()).count(STARTED) >= starts and text,
                    what="the end of the tray's start-up")


def paused_from_the_start(profile) -> None:
    """Store a state paused until resumed, as a tray that quit while paused leaves it: the tray
    counts no work until `resume`, so no break falls due while it is still starting, however
    slowly this machine starts it."""
    store = Store(profile.store)
    store.save(State(is_paused=True))
    store.close()


def resume(profile, interval_seconds: float) -> datetime:
    """Resume the tray; returns when the next break falls due (the work count starts now)."""
    result = profile.run("resume")
    assert result.returncode == 0, result.stderr
    return work_from(profile) + timedelta(seconds=interval_seconds)


def past(instant: datetime) -> bool:
    return datetime.now(UTC) > instant


def look_again(profile) -> None:
    """Have the engine decide at this instant: a reload ends in a tick the engine handles before
    it answers, so whatever fell due by now has been acted on, however late its own timer."""
    reply = client.ask(profile.home / "run" / "pointbreak", Request(Command.RELOAD))
    assert reply.is_ok, reply


class Typist:
    """Someone typing, in a thread: an input every 0.3 s, far inside the tray's 2-second pause,
    until the `with` block ends."""

    def __init__(self, desktop) -> None:
        self.desktop = desktop
        self.strokes = 0
        self.last_started = 0.0  # the monotonic time the last input was sent (or after)
        self.longest_gap = 0.0
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._type, daemon=True)

    def __enter__(self) -> Typist:
        self._thread.start()
        wait_for(lambda: self.strokes or self.error, what="the first keystroke")
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _type(self) -> None:
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                if self.strokes:
                    self.longest_gap = max(self.longest_gap, now - self.last_started)
                self.last_started = now
                self.desktop.run("xdotool", "mousemove_relative", "--", "1", "0")
                self.strokes += 1
                self._stop.wait(0.3)
        except BaseException as error:  # the thread's edge: the test reads it
            self.error = error


def test_the_tray_on_the_xorg_backend(desktop, start_tray, profile) -> None:
    all_day(profile)
    shots = profile.artifacts("xorg-tray")
    tray = start_tray()

    # The icon is in the tray, and it is not the tray's own background.
    shot = desktop.screenshot(shots / "1-icon-in-tray.png")
    x, y, w, h = desktop.icon_geometry(tray.icon)
    assert w >= 16 and h >= 16
    assert pixels_unlike(shot, (x, y, x + w, y + h), TRAY_TINT) > 0.3

    # status answers through the channel, and the commands change it and the store.
    assert "Next break at" in tray.status() and "Today: 0 of 5" in tray.status()
    assert profile.run("snooze", "10").returncode == 0
    assert stored_state(profile)["deferred_to"] is not None
    assert profile.run("skip").returncode == 0
    before = stored_state(profile)["deferred_to"]
    assert profile.run("pause", "1h").returncode == 0
    assert "Paused until" in tray.status()
    assert stored_state(profile)["is_paused"] is True and before is not None
    desktop.screenshot(shots / "2-paused-icon.png")
    assert profile.run("resume").returncode == 0
    assert "Next break at" in tray.status() and stored_state(profile)["is_paused"] is False
    refused = profile.run("resume")
    assert refused.returncode == 1 and "not paused" in refused.stderr

    # A second start asks the first to show itself, exits 0, and adds no icon.
    second = profile.run()
    assert second.returncode == 0 and "already running" in second.stdout
    assert desktop.tray_icons() == [tray.icon]
    wait_for(lambda: desktop.visible_windows("^Pointbreak$"), what="the control window")
    desktop.screenshot(shots / "3-second-start-shows-the-window.png")

    def escape_closes() -> bool:
        # Escape again while it is still there: a window just mapped was seen (once, in CI)
        # to miss a key sent before Tk had drawn it.
        for window in desktop.visible_windows("^Pointbreak$"):
            desktop.keys(window, "Escape")
            time.sleep(0.5)
        return not desktop.visible_windows("^Pointbreak$")

    wait_for(escape_closes, what="the window to close")

    # A click on the icon (xorg has no menu) opens the control window; a click there acts.
    # First change the icon a few times: pystray re-docked it at each change, and trayer then
    # put it in a slot that took no clicks (fixed in tray.icon).
    for _ in range(3):
        assert profile.run("pause").returncode == 0
        assert profile.run("resume").returncode == 0
    shot = desktop.screenshot(shots / "3b-before-the-click.png")
    assert desktop.icon_geometry(tray.icon) == (x, y, w, h)  # still in its place
    assert pixels_unlike(shot, (x, y, x + w, y + h), TRAY_TINT) > 0.3  # and drawn
    desktop.click(tray.icon, w // 2, h // 2)
    panel = wait_for(lambda: desktop.visible_windows("^Pointbreak$"), what="the control window")[0]
    desktop.screenshot(shots / "4-control-window.png")
    desktop.screenshot(shots / "4-control-window-alone.png", window=panel)
    desktop.keys(panel, "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")  # to Pause: 1 hour
    desktop.keys(panel, "Return")
    wait_for(lambda: "Paused until" in tray.status(), what="the pause clicked in the window")
    desktop.screenshot(shots / "5-paused-from-the-window.png", window=panel)

    # quit ends it cleanly: the process exits 0, the socket is gone, the icon too.
    assert profile.run("quit").returncode == 0
    assert tray.process.wait(10) == 0
    assert not os.path.exists(protocol.address(profile.home / "run" / "pointbreak"))
    wait_for(lambda: tray.icon not in desktop.tray_icons(), what="the icon to go")


def test_a_prompt_brings_a_card_and_a_notification(desktop, start_tray, profile) -> None:
    all_day(profile)
    shots = profile.artifacts("prompt")
    bus = NotificationBus(desktop)  # listening before anything is sent
    try:
        start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="2")
        wait_for(lambda: "Break on screen now" in profile.run("status").stdout, timeout=15,
                 what="the prompt")
        card = wait_for(lambda: desktop.visible_windows(CARD), timeout=15,
                        what="the prompt card")[0]
        desktop.screenshot(shots / "1-prompt-card.png")
        desktop.screenshot(shots / "1-prompt-card-alone.png", window=card)
        assert "Break on screen now" in profile.run("status").stdout
        desktop.keys(card, "Escape")  # Escape snoozes 10 minutes
        wait_for(lambda: "Snoozed until" in profile.run("status").stdout, what="the snooze")
        (record,) = records(profile)
        assert record["snoozes"] == 1 and record["outcome"] is None
        # The notification goes out from a thread of its own: wait to see all of it.
        bus.wait_for("Time for a back break", '"snooze"', what="the prompt's notification")
    finally:
        seen = bus.stop()
    (shots / "dbus-monitor.txt").write_text(seen)
    assert "member=Notify" in seen and "Time for a back break" in seen
    # dunst supports actions: the whole choice of the card offered as buttons.
    assert '"start"' in seen and '"snooze"' in seen and '"skip"' in seen


def test_a_window_that_crashes_ends_its_prompt_as_failed(desktop, start_tray, profile) -> None:
    all_day(profile)
    tray = start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="2")
    wait_for(lambda: "Break on screen now" in tray.status(), timeout=15, what="the prompt")
    card_pid = int(subprocess.run(["pgrep", "-P", str(tray.process.pid), "-f", "routines card"],
                                  capture_output=True, text=True, check=True).stdout.split()[0])
    os.kill(card_pid, signal.SIGKILL)
    wait_for(lambda: any(r["outcome"] == "failed" for r in records(profile)),
             what="the prompt to end as failed")
    assert "Next break at" in tray.status()  # and the tray goes on
    log = (profile.home / ".local" / "state" / "pointbreak" / "log" / "pointbreak.log")
    assert "ended without an outcome" in log.read_text()


def test_a_killed_tray_leaves_a_stale_socket_that_the_next_start_cleans(
        desktop, start_tray, profile) -> None:
    all_day(profile)
    tray = start_tray()
    socket_path = protocol.address(profile.home / "run" / "pointbreak")
    os.killpg(tray.process.pid, signal.SIGKILL)
    tray.process.wait(5)
    assert os.path.exists(socket_path)  # left behind by the crash
    result = profile.run("status")
    assert "is not running" in result.stdout  # the stale socket answers nothing
    again = start_tray()
    assert "Next break at" in again.status()
    assert len([i for i in desktop.tray_icons() if i == again.icon]) == 1


def test_the_log_names_the_backend_and_what_it_can_do(desktop, start_tray, profile) -> None:
    all_day(profile)
    start_tray()
    log = (profile.home / ".local" / "state" / "pointbreak" / "log" / "pointbreak.log")
    text = log.read_text()
    assert "backend=xembed HAS_MENU=False HAS_DEFAULT_ACTION=True HAS_NOTIFICATION=False" in text
    assert "the icon is drawn in its tray" in text
    assert "notifications: using dbus" in text


def test_an_edited_settings_file_is_picked_up_and_a_bad_value_named(
        desktop, start_tray, profile) -> None:
    all_day(profile)
    told = "daily_cap must be a whole number from 1 to 5, got 9"
    bus = NotificationBus(desktop)
    try:
        tray = start_tray(POINTBREAK_TEST_TICK_SECONDS="0.5")
        assert "Today: 0 of 5" in tray.status()
        profile.settings.write_text(ALL_DAY + "[breaks]\ndaily_cap = 3\n")
        wait_for(lambda: "Today: 0 of 3" in tray.status(), what="the new cap")
        profile.settings.write_text(ALL_DAY + "[breaks]\ndaily_cap = 9\n")
        wait_for(lambda: "Today: 0 of 5" in tray.status(), what="the default for a bad cap")
        wait_for(lambda: "daily_cap" in tray.log(), what="the bad value in the log")
        bus.wait_for(told, what="the bad value told")
        # Another edit that keeps the bad value and adds an unknown key: the bad value is
        # logged again but not told again (no nag); the new problem is told. The tells go out
        # in the order found, the unknown keys last, one after the other: once the new one is
        # seen, a repeat of the old one would have been seen already.
        reloads = tray.log().count("settings reloaded")
        profile.settings.write_text(ALL_DAY + '[breaks]\ndaily_cap = 9\n[routine]\nrounds = 3\n'
                                    'colour = "blue"\n')
        wait_for(lambda: tray.log().count("settings reloaded") > reloads, what="the reload")
        bus.wait_for("Unknown setting colour ignored", what="the new problem told")
    finally:
        seen = bus.stop()
    assert seen.count(told) == 1  # told, by key, once


def test_start_at_login_for_real_with_an_xdg_autostart_runner(desktop, profile) -> None:
    import desktop as desk

    all_day(profile)
    shots = profile.artifacts("autostart")
    env = {**profile.env, **desktop.env}
    on = subprocess.run([str(BIN / "pointbreak"), "autostart", "on"], env=env,
                        capture_output=True, text=True)
    assert on.returncode == 0, on.stderr
    entry = profile.home / ".config" / "autostart" / "pointbreak.desktop"
    assert entry.is_file() and not entry.is_symlink()
    status = subprocess.run([str(BIN / "pointbreak"), "autostart", "status"], env=env,
                            capture_output=True, text=True).stdout
    assert status.startswith("Start at login is on: ") and str(BIN / "pointbreak") in status
    # A desktop session starts its autostart entries at login: dex does what it would.
    before = set(desktop.tray_icons())
    session = subprocess.Popen(["dex", "--autostart", "--environment", "Openbox",
                                "--search-paths", str(entry.parent)], env=env,
                               start_new_session=True)
    try:
        wait_for(lambda: set(desktop.tray_icons()) - before, what="the icon started by dex")
        desktop.screenshot(shots / "started-at-login.png")
        wait_for(lambda: "Next break at" in profile.run("status").stdout, what="the tray")
    finally:
        profile.run("quit")
        session.wait(10)
        desk._signal(session.pid, 9)
    off = subprocess.run([str(BIN / "pointbreak"), "autostart", "off"], env=env,
                         capture_output=True, text=True)
    assert off.returncode == 0 and not entry.exists()
    assert list(entry.parent.iterdir()) == []  # nothing left behind


def test_the_first_run_welcomes_once_and_asks_about_start_at_login(
        desktop, start_tray, profile) -> None:
    all_day(profile)
    shots = profile.artifacts("welcome")
    tray = start_tray(welcome=True)
    window = wait_for(lambda: desktop.visible_windows("^Welcome to Pointbreak$"),
                      what="the welcome window")[0]
    desktop.screenshot(shots / "welcome.png", window=window)
    desktop.keys(window, "Return")  # Yes is preselected
    wait_for(lambda: not desktop.visible_windows("^Welcome to Pointbreak$"), what="it to close")
    entry = profile.home / ".config" / "autostart" / "pointbreak.desktop"
    assert entry.is_file()
    assert (profile.home / ".config" / "pointbreak" / "welcomed").read_text() == (
        "start at login: yes\n")
    tray.stop()
    again = start_tray(welcome=True)  # a second run: no welcome
    started(again, starts=2)  # past the welcome step (the first run's lines are in the log too)
    welcome = subprocess.run(["pgrep", "-P", str(again.process.pid), "-f",
                              "tray.ui.panel --welcome"],
                             capture_output=True, text=True)
    assert welcome.returncode == 1, welcome.stdout  # no welcome window was started
    assert not desktop.visible_windows("^Welcome to Pointbreak$")


def test_no_welcome_for_scripted_installs(desktop, start_tray, profile) -> None:
    all_day(profile)
    start_tray()  # the fixture passes --no-welcome
    marker = profile.home / ".config" / "pointbreak" / "welcomed"
    wait_for(marker.exists, what="the welcome marked as skipped")
    assert marker.read_text() == "start at login: skipped\n"
    assert not desktop.visible_windows("^Welcome to Pointbreak$")


def test_idle_at_the_desk_is_seen_and_a_return_too(desktop, start_tray, profile) -> None:
    all_day(profile)
    tray = start_tray(POINTBREAK_IDLE="x11", POINTBREAK_TEST_AWAY_SECONDS="1.5",
                      POINTBREAK_TEST_POLL_SECONDS="0.3")
    assert "idle time: using x11" in started(tray)
    wait_for(lambda: "Away: no prompt is shown" in tray.status(), what="away after 1.5 s idle")
    desktop.run("xdotool", "mousemove", "300", "300", "mousemove", "310", "305")
    wait_for(lambda: "Away" not in tray.status(), what="the return seen")


def on_kwin(kwin) -> dict[str, str]:
    """A tray in a KDE Wayland session on `kwin`, choosing its idle reader by itself; DISPLAY
    stays the desktop's Xvfb (the icon's), so XWayland's kind of reading would work: it must
    not be the one chosen."""
    return {"POINTBREAK_IDLE": "", "WAYLAND_DISPLAY": kwin.socket, "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "KDE"}


def test_away_on_kwin_is_seen_through_its_idle_protocol_and_is_a_natural_break(
        desktop, start_tray, profile) -> None:
    all_day(profile)
    paused_from_the_start(profile)
    shots = profile.artifacts("wayland-idle")
    with wayland_peers.kwin() as kwin:
        before = datetime.now(UTC)
        tray = start_tray(**on_kwin(kwin), POINTBREAK_TEST_INTERVAL_SECONDS="4",
                          POINTBREAK_TEST_AWAY_SECONDS="1.5")
        log = started(tray)
        assert "idle time: using wayland" in log and "using x11" not in log
        wait_for(lambda: "Away: no prompt is shown" in tray.status(),
                 what="away after 1.5 s without input on KWin")
        seen_away = datetime.now(UTC)
        since = datetime.fromisoformat(stored_state(profile)["away_since"])
        assert before <= since <= seen_away - timedelta(seconds=1.5)  # the threshold before
        desktop.screenshot(shots / "1-away.png")
        due = resume(profile, 4)  # the break falls due while away
        wait_for(lambda: past(due), what="the due time, while away")
        look_again(profile)
        assert records(profile) == []
        back = datetime.now(UTC)
        kwin.move_pointer()  # real input: KWin says "resumed"
        wait_for(lambda: "Away" not in tray.status(), what="back after the pointer moved")
        restarted = work_from(profile)  # a natural break: the work count started again
        assert restarted >= back
        assert shown_before(profile, restarted + timedelta(seconds=4)) == []
        desktop.screenshot(shots / "2-back.png")
        said = dict(line.split("  ", 1) for line in profile.run("doctor").stdout.splitlines()
                    if "  " in line and not line.startswith(" "))
        assert said["Idle time"].strip() == (
            "wayland (ext_idle_notifier_v1 v1, events): a Wayland session: the compositor's "
            "idle protocol first; never XWayland's X11 idle time (it sees only X apps' input)")
        assert said["Do not disturb: fullscreen"].strip().startswith("watched for X11 apps only")
        tray.stop()  # before KWin goes: its going would be a detector stopping
    assert "stopped" not in tray.log()


def test_on_kwin_a_prompt_waits_for_a_pause_in_typing(desktop, start_tray, profile) -> None:
    all_day(profile)
    wait_for(lambda: not desktop.visible_windows(ROUTINE_WINDOW), what="earlier cards gone")
    paused_from_the_start(profile)
    with wayland_peers.kwin() as kwin:
        tray = start_tray(**on_kwin(kwin), POINTBREAK_TEST_INTERVAL_SECONDS="1",
                          POINTBREAK_TEST_PAUSE_SECONDS="2",
                          POINTBREAK_TEST_PAUSE_WAIT_SECONDS="60")
        assert "idle time: using wayland" in started(tray)
        strokes, stop = [0], threading.Event()
        last_input = [time.monotonic()]

        def type_on_kwin() -> None:  # an input every 0.3 s, far inside the 2-second pause
            while not stop.is_set():
                last_input[0] = time.monotonic()
                kwin.move_pointer()
                strokes[0] += 1
                stop.wait(0.3)

        typist = threading.Thread(target=type_on_kwin, daemon=True)
        typist.start()
        try:
            resume(profile, 1)
            wait_for(lambda: "Break on screen now" in tray.status(), what="the break due")
            due_at = strokes[0]

            def typed_on() -> bool:
                assert not desktop.visible_windows(ROUTINE_WINDOW), "the card landed mid-typing"
                return strokes[0] >= due_at + 8

            wait_for(typed_on, timeout=30, what="eight more inputs")
        finally:
            stop.set()
            typist.join(10)
        wait_for(lambda: desktop.visible_windows(CARD), what="the card at the pause")
        assert time.monotonic() - last_input[0] >= 1.5  # after two quiet seconds, not before
        desktop.screenshot(profile.artifacts("wayland-idle") / "3-card-at-the-pause.png")
        tray.stop()


@pytest.fixture
def system_bus():
    """A private bus standing in for the system bus, with a fake logind on it."""
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True)
    address, pid = out.stdout.split()[0], int(out.stdout.split()[1])
    logind = subprocess.Popen([sys.executable, str(TESTS / "fake_logind.py"),
                               address], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, bufsize=1)
    assert logind.stdout is not None and logind.stdout.readline().strip() == "ready"

    def send(command: str) -> None:
        assert logind.stdin is not None and logind.stdout is not None
        logind.stdin.write(command + "\n")
        assert logind.stdout.readline().strip() == f"sent {command}"

    try:
        yield address, send
    finally:
        logind.kill()
        logind.wait()
        os.kill(pid, signal.SIGTERM)


@pytest.mark.parametrize(("after_sleep", "prompts_after_wake"), [("break", 0), ("continue", 1)])
def test_a_sleep_over_the_due_time_through_logind(desktop, start_tray, profile, system_bus,
                                                  after_sleep: str,
                                                  prompts_after_wake: int) -> None:
    address, send = system_bus
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(ALL_DAY + f'[behaviour]\nafter_sleep = "{after_sleep}"\n')
    paused_from_the_start(profile)
    tray = start_tray(DBUS_SYSTEM_BUS_ADDRESS=address,
                      POINTBREAK_TEST_INTERVAL_SECONDS="4", POINTBREAK_TEST_AWAY_SECONDS="1")
    assert "lock/sleep: watching logind" in started(tray)
    send("sleep")
    wait_for(lambda: "Away: no prompt is shown" in tray.status(), what="the sleep seen")
    # "Lunch": the work count starts in the sleep, so the break falls due while it lasts.
    due = resume(profile, 4)
    wait_for(lambda: past(due), what="the due time, in the sleep")
    look_again(profile)
    assert "Break on screen" not in tray.status() and records(profile) == []  # an empty chair
    woke = datetime.now(UTC)
    send("wake")
    if prompts_after_wake:
        wait_for(lambda: "Break on screen now" in tray.status(), what="one prompt after return")
        # Never a burst: the one prompt stays open (its card is up) until it is answered.
        assert len(records(profile)) == 1
    else:
        wait_for(lambda: "Away" not in tray.status(), what="the return seen")
        # Nothing on return, and the work count started again: a prompt can only come a whole
        # interval after the return.
        restarted = work_from(profile)
        assert restarted >= woke
        assert shown_before(profile, restarted + timedelta(seconds=4)) == []


def test_a_screen_lock_through_logind_is_a_natural_break(desktop, start_tray, profile,
                                                        system_bus) -> None:
    address, send = system_bus
    all_day(profile)
    paused_from_the_start(profile)
    tray = start_tray(DBUS_SYSTEM_BUS_ADDRESS=address,
                      POINTBREAK_TEST_INTERVAL_SECONDS="4", POINTBREAK_TEST_AWAY_SECONDS="1")
    assert "lock/sleep: watching logind" in started(tray)
    send("lock")
    wait_for(lambda: "Away: no prompt" in tray.status(), what="away while locked")
    due = resume(profile, 4)  # the break falls due while the screen is locked
    wait_for(lambda: past(due), what="the due time, while locked")
    look_again(profile)
    assert records(profile) == []
    unlocked = datetime.now(UTC)
    send("unlock")
    wait_for(lambda: "Away" not in tray.status(), what="back after unlock")
    restarted = work_from(profile)  # a natural break: the work count started again
    assert restarted >= unlocked
    assert shown_before(profile, restarted + timedelta(seconds=4)) == []


def test_a_fullscreen_window_holds_a_due_prompt_until_it_leaves_fullscreen(
        desktop, start_tray, profile) -> None:
    all_day(profile)
    shots = profile.artifacts("fullscreen")
    env = {**os.environ, **desktop.env}
    presenter = subprocess.Popen([sys.executable, str(TESTS / "fullscreen_window.py")],
                                 env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, bufsize=1)
    try:
        assert presenter.stdout is not None and presenter.stdout.readline().strip() == "shown"
        window = wait_for(lambda: desktop.visible_windows("^Fullscreen test$"),
                          what="the fullscreen window")[0]
        desktop.run("xdotool", "windowactivate", "--sync", window)
        wait_for(lambda: "_NET_WM_STATE_FULLSCREEN" in desktop.run(
            "xprop", "-id", window, "_NET_WM_STATE", check=False), what="it to be fullscreen")
        paused_from_the_start(profile)
        tray = start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="3")
        # The detector looked once before it said so: the engine knows, before the resume.
        assert "do not disturb: watching fullscreen (X11)" in started(tray)
        resume(profile, 3)
        wait_for(lambda: "Break held: a window is fullscreen" in tray.status(), timeout=15,
                 what="the due prompt held")
        assert records(profile) == []
        desktop.screenshot(shots / "held-while-fullscreen.png")
        assert presenter.stdin is not None
        presenter.stdin.write("leave\n")
        wait_for(lambda: "Break on screen now" in tray.status(), what="the prompt after it")
        assert len(records(profile)) == 1
        wait_for(lambda: desktop.visible_windows(CARD), what="the prompt card")
        desktop.screenshot(shots / "prompt-after-fullscreen.png")
    finally:
        presenter.kill()
        presenter.wait()


def test_a_prompt_waits_for_a_pause_in_typing(desktop, start_tray, profile) -> None:
    all_day(profile)
    # A card an earlier test's tray left may still be closing: only this tray's card counts.
    wait_for(lambda: not desktop.visible_windows(ROUTINE_WINDOW), what="earlier cards gone")
    paused_from_the_start(profile)
    tray = start_tray(POINTBREAK_IDLE="x11", POINTBREAK_TEST_INTERVAL_SECONDS="1",
                      POINTBREAK_TEST_PAUSE_SECONDS="2", POINTBREAK_TEST_PAUSE_WAIT_SECONDS="60")
    assert "idle time: using x11" in started(tray)
    with Typist(desktop) as typist:
        resume(profile, 1)
        wait_for(lambda: "Break on screen now" in tray.status(), what="the break due")
        due_at = typist.strokes  # due, and waiting for a pause in the typing

        def typed_on() -> bool:
            assert typist.error is None, typist.error
            assert not desktop.visible_windows(ROUTINE_WINDOW), (
                f"the card landed mid-sentence (inputs at most {typist.longest_gap:.2f} s apart)")
            return typist.strokes >= due_at + 8

        wait_for(typed_on, timeout=30, what="eight more keystrokes")
    last_input = typist.last_started
    wait_for(lambda: desktop.visible_windows(CARD), what="the card at the pause")
    assert time.monotonic() - last_input >= 1.5  # it came after two quiet seconds, not before


def in_a_call(pulse: dict[str, str]) -> None:
    """Wait until the sound server has the recording stream: a detector starting now sees it."""
    wait_for(lambda: subprocess.run(["pactl", "list", "short", "source-outputs"], env=pulse,
                                    capture_output=True, text=True).stdout.strip(),
             what="the call's recording stream")


def test_a_call_holds_a_due_prompt_until_it_ends(desktop, start_tray, profile, pulse) -> None:
    all_day(profile)
    shots = profile.artifacts("call")
    call = subprocess.Popen(["parecord", "-d", "mic", os.devnull], env=pulse)
    try:
        in_a_call(pulse)
        paused_from_the_start(profile)
        tray = start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="3",
                          PULSE_SERVER=pulse["PULSE_SERVER"])
        assert "microphone (PulseAudio/PipeWire)" in started(tray)
        resume(profile, 3)  # the detector has seen the call: the break falls due during it
        wait_for(lambda: "Break held: the microphone is in use" in tray.status(), timeout=15,
                 what="the due prompt held")
        assert records(profile) == []
        desktop.screenshot(shots / "held-during-a-call.png")
    finally:
        call.send_signal(signal.SIGINT)
        call.wait(10)
    wait_for(lambda: "Break on screen now" in tray.status(), what="the prompt after the call")
    assert len(records(profile)) == 1
    wait_for(lambda: desktop.visible_windows(CARD), what="the prompt card")
    desktop.screenshot(shots / "prompt-after-the-call.png")


def test_turning_a_detector_off_releases_the_prompt_it_holds(desktop, start_tray, profile,
                                                             pulse) -> None:
    all_day(profile)
    call = subprocess.Popen(["parecord", "-d", "mic", os.devnull], env=pulse)
    try:
        in_a_call(pulse)
        paused_from_the_start(profile)
        tray = start_tray(POINTBREAK_TEST_INTERVAL_SECONDS="3",
                          PULSE_SERVER=pulse["PULSE_SERVER"])
        assert "microphone (PulseAudio/PipeWire)" in started(tray)
        resume(profile, 3)
        wait_for(lambda: "Break held: the microphone is in use" in tray.status(), timeout=15,
                 what="the due prompt held")
        with profile.settings.open("a") as file:
            file.write("\n[do_not_disturb]\ncalls = false\n")
        reply = client.ask(profile.home / "run" / "pointbreak", Request(Command.RELOAD))
        assert reply.is_ok, reply
        wait_for(lambda: "Break on screen now" in tray.status(), what="the prompt released")
        assert "microphone" not in tray.status()
        assert len(records(profile)) == 1
    finally:
        call.kill()
        call.wait()
