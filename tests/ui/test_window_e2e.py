"""The routine window for real: its own process on Xvfb, driven with xdotool keys, its reports
read from the pipe the tray would hand it, its exit code checked, screenshots saved."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from desktop import ROUTINE_WINDOW, wait_for

from tray.ipc import children, reports

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.e2e
ROUND_TRIP = 15



def pixels(png: Path) -> bytes:
    from PIL import Image

    with Image.open(png) as image:
        return image.convert("RGB").tobytes()

class Window:
    def __init__(self, desktop, profile, *args: str, guard: float = 0.0, **env: str) -> None:
        self.desktop = desktop
        environment = {**profile.env, **desktop.env,
                       "POINTBREAK_TEST_KEY_GUARD_SECONDS": str(guard), **env}
        before = set(desktop.visible_windows(ROUTINE_WINDOW))
        self.started_at = time.monotonic()
        self.child = children.start("routines", list(args), env=environment)
        self.reports: queue.Queue = queue.Queue()
        self.ticks: queue.Queue = queue.Queue()  # the countdown as drawn, apart: they come often
        threading.Thread(target=self._read, daemon=True).start()
        self.id = wait_for(lambda: sorted(set(desktop.visible_windows(ROUTINE_WINDOW)) - before),
                           what="the routine window")[0]

    def _read(self) -> None:
        for report in self.child.read_reports():  # as the pipe said it: the wire is checked
            line = reports.report_json(report)
            (self.ticks if line.get("event") == "tick" else self.reports).put(line)

    def keys(self, *keys: str) -> None:
        self.desktop.keys(self.id, *keys)

    def report(self, timeout: float = ROUND_TRIP) -> dict:
        return self.reports.get(timeout=timeout)

    def tick(self, timeout: float = ROUND_TRIP) -> dict:
        return self.ticks.get(timeout=timeout)

    def tick_where(self, wanted, what: str) -> dict:
        """The next countdown report that is `wanted` (those before it are passed over)."""
        deadline = time.monotonic() + ROUND_TRIP
        while True:
            try:
                tick = self.tick(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no countdown report came for {what}") from None
            if wanted(tick):
                return tick

    def next_non_cue(self) -> dict:
        while True:
            report = self.report()
            if report.get("event") != "cue":
                return report

    def shot(self, path: Path) -> Path:
        return self.desktop.screenshot(path, window=self.id)

    def settled_shot(self, path: Path) -> bytes:
        """A screenshot once the X server has drawn all of it: the pixels of two shots in a
        row agree (a region not yet painted differs from one shot to the next)."""
        previous = pixels(self.shot(path))
        for _ in range(50):
            current = pixels(self.shot(path))
            if current == previous:
                return current
            previous = current
        raise AssertionError(f"the window never settled on screen ({path})")

    def exit_code(self) -> int:
        return self.child.process.wait(ROUND_TRIP)


def test_a_whole_routine_with_start_pause_next_and_the_end_card(desktop, profile) -> None:
    shots = profile.artifacts("routine-window")
    window = Window(desktop, profile, "card", "--today", "2", "--cap", "5")
    window.shot(shots / "1-prompt-card.png")
    window.keys("Return")  # Start has the focus
    assert window.report() == {"event": "started"}
    assert window.report() == {"event": "cue", "cue": "step"}  # the cue at the first step
    window.keys("Right", "Right")  # settle -> locate -> the first press
    for _ in range(2):
        assert window.report() == {"event": "cue", "cue": "step"}
    window.tick_where(lambda t: t["step"] == 3 and not t["paused"], "the press step drawn")
    window.shot(shots / "2-press-step.png")
    window.keys("space")  # pause: the countdown stops
    stopped = window.tick_where(lambda t: t["paused"], "the pause drawn")
    paused = window.settled_shot(shots / "3-paused.png")
    # Let more than a second of the clock pass: a countdown still running would move on. The
    # count is worked out from the clock, so it shows below however late its timers run.
    time.sleep(1.5)
    # Settled too: a window of an earlier test closing above this one exposes a region that is
    # black until this one repaints it (seen under load), which is no change of the countdown.
    assert window.settled_shot(shots / "3-paused-later.png") == paused
    window.keys("space")  # resume: it runs again, on from where it stopped
    assert window.tick() == {**stopped, "paused": False}  # none while paused
    assert window.tick() == {**stopped, "paused": False, "remaining": stopped["remaining"] - 1}
    assert pixels(window.shot(shots / "4-running.png")) != paused
    window.keys(*["Right"] * 8)  # on through the rounds to the last step
    for _ in range(8):
        assert window.report() == {"event": "cue", "cue": "step"}
    window.keys("Right")
    assert window.report() == {"event": "cue", "cue": "done"}
    assert window.report() == {"outcome": "completed"}
    window.shot(shots / "5-end-card.png")
    window.keys("Return")  # Close
    assert window.exit_code() == 0


def test_the_keep_going_cue_comes_ten_seconds_into_a_press(desktop, profile) -> None:
    window = Window(desktop, profile, "session")
    assert window.report() == {"event": "started"}
    window.keys("Right", "Right")
    for _ in range(3):
        assert window.report()["cue"] == "step"
    assert window.report(timeout=13) == {"event": "cue", "cue": "keep_going"}
    window.keys("Escape")
    assert window.next_non_cue() == {"outcome": "stopped_early", "step": 3}
    assert window.exit_code() == 3


@pytest.mark.parametrize(("args", "keys", "expected", "code"), [
    (["card"], ["Escape"], {"snooze": 10}, 6),
    (["card", "--no-snooze"], ["Escape"], {"outcome": "skipped"}, 4),
    (["card"], ["Tab", "Tab", "Return"], {"outcome": "skipped"}, 4),
    (["card", "--timeout-seconds", "1"], [], {"outcome": "ignored"}, 5),
    (["session"], ["Right", "Escape"], {"outcome": "stopped_early", "step": 2}, 3),
], ids=["escape-snoozes", "escape-skips-without-snooze", "skip-button", "ignored-after-its-time",
        "stopped-early"])
def test_each_outcome_is_reported_with_its_exit_code(desktop, profile, args, keys, expected,
                                                     code) -> None:
    window = Window(desktop, profile, *args)
    if keys:
        window.keys(*keys)
    if args[0] == "session":
        assert window.next_non_cue() == {"event": "started"}
    assert window.next_non_cue() == expected
    assert window.exit_code() == code


def test_keys_are_ignored_for_two_seconds_after_the_window_takes_the_focus(
        desktop, profile) -> None:
    window = Window(desktop, profile, "card", guard=2.0)
    window.keys("Escape")  # typed by someone busy elsewhere: ignored
    with pytest.raises(queue.Empty):
        window.report(timeout=1.0)

    def escape_acts() -> dict | None:
        # Again until it acts: the two seconds run from when the window saw its focus, and a
        # busy machine may show it late. A window already gone acted on the one before.
        with contextlib.suppress(subprocess.CalledProcessError):
            window.keys("Escape")
        with contextlib.suppress(queue.Empty):
            return window.report(timeout=0.5)
        return None

    assert wait_for(escape_acts, timeout=ROUND_TRIP, what="Escape to act") == {"snooze": 10}
    assert time.monotonic() - window.started_at >= 2.0  # not inside the two seconds
    assert window.exit_code() == 6


def test_dark_theme_at_twice_the_text_size_fits_on_the_screen(desktop, profile) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text('[routine]\ntheme = "dark"\nfont_scale = 2.0\n')
    shots = profile.artifacts("routine-window-dark-200")
    window = Window(desktop, profile, "session")
    window.keys("Right", "Right")
    for _ in range(4):  # started, and a step cue for each of the three steps shown
        window.report()
    window.tick_where(lambda t: t["step"] == 3, "the press step drawn")
    window.shot(shots / "press-step-dark-200.png")
    x, y, w, h = desktop.icon_geometry(window.id)
    assert x >= 0 and y >= 0 and x + w <= 1280 and y + h <= 800, (x, y, w, h)
    window.keys("Escape")
    assert window.exit_code() == 3


def test_run_alone_a_session_is_recorded_in_the_store(desktop, profile) -> None:
    env = {**profile.env, **desktop.env, "POINTBREAK_TEST_KEY_GUARD_SECONDS": "0"}
    before = set(desktop.visible_windows(ROUTINE_WINDOW))
    process = subprocess.Popen(children.command("routines", ["--demo"]), env=env)
    window = wait_for(lambda: sorted(set(desktop.visible_windows(ROUTINE_WINDOW)) - before),
                      what="the window")[0]
    desktop.keys(window, *["Right"] * 11)
    desktop.keys(window, "Return")
    assert process.wait(ROUND_TRIP) == 0
    data = json.loads(profile.store.read_text())
    (record,) = [doc for name, table in data.items() if name.startswith("records-")
                 for doc in table.values()]
    assert record["kind"] == "session" and record["outcome"] == "completed"
    assert "Today: 1 of 5" in profile.run("status").stdout


def test_pointbreak_now_without_a_tray_runs_the_routine_and_records_it(desktop, profile) -> None:
    env = {**profile.env, **desktop.env, "POINTBREAK_TEST_KEY_GUARD_SECONDS": "0"}
    before = set(desktop.visible_windows(ROUTINE_WINDOW))
    process = subprocess.Popen([str(BIN / "pointbreak"), "now"], env=env)
    window = wait_for(lambda: sorted(set(desktop.visible_windows(ROUTINE_WINDOW)) - before),
                      what="the window")[0]
    desktop.keys(window, "Right", "Right", "Escape")  # stop at the first press
    assert process.wait(ROUND_TRIP) == 0
    data = json.loads(profile.store.read_text())
    (record,) = [doc for name, table in data.items() if name.startswith("records-")
                 for doc in table.values()]
    assert (record["kind"], record["outcome"], record["step"]) == ("session", "stopped_early", 3)
