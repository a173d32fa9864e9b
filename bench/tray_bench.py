"""The tray's figures, beside the floors, measured the same way in one run: bench/floor.py (a
bare pystray XEmbed icon) on trayer, bench/floor_sni.py (a bare jeepney StatusNotifierItem) on
xfce4-panel, each importing its whole stack (APScheduler, TinyDB, plyer, Pillow) first.

- start-up: from Popen to the icon window docked in the tray host (trayer's panel holds a new
  window with a class: polled every 10 ms with python-xlib, in this process), or for the
  StatusNotifierItem (`sni`, on xfce4-panel's systray) to the item listed by the watcher,
  median of N starts, per program and backend, the programs started in turn;
- idle: resident memory (VmRSS, VmHWM) after 1 and 5 minutes; CPU (utime+stime) and wake-ups
  (voluntary context switches summed over threads, per second) over a 10-minute idle window;
  the programs idle side by side on one Xvfb + trayer desktop (the sni one on an Xvfb +
  xfce4-panel desktop beside it), Pointbreak on XEmbed twice: with an empty profile and with a
  year of history (3,650 records up to yesterday, written by the real store);
- one save (the engine's change: the state and a record) with a day of history and with a
  year, in child processes (bench/store_bench.py's measurement);
- sessions: resident memory before and after 100 sessions started with `pointbreak now` and
  answered with xdotool (Start, then Stop; the key guard off), counted from after a first
  session (which loads what only sessions need).

Prints figures and the machine; asserts nothing. Needs what tests/run.sh installs.
Goals (issue 16): start to icon at most 0.65 times its backend's floor; a year adds at most
0.5 MiB to the idle tray; a year's save at most 1.2 times a day's; wake-ups at most 0.1/s.
Run: .venv/bin/python bench/tray_bench.py [--idle-minutes 10] [--rss-minutes 5] [--sessions 100]
     [--settle-seconds 30] [--saves 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import desktop as desk  # noqa: E402  (tests/desktop.py: Xvfb, trayer, D-Bus, dunst)
import store_bench  # noqa: E402  (bench/: one save with a day and a year)

from bench import year_of_history  # noqa: E402

BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")
ALL_DAY = ('[active_hours]\nstart = "00:00"\nend = "24:00"\n'
           'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n')


@dataclass
class Program:
    name: str
    command: list[str]
    backend: str  # pystray's, or "sni" for the StatusNotifierItem on xfce4-panel
    with_a_year: bool = False  # its profile holds a year of history

    def desktop(self, desktops: dict[str, desk.Desktop]) -> desk.Desktop:
        return desktops["xfce" if self.backend == "sni" else "trayer"]


def icon_shown(desktops: dict[str, desk.Desktop], program: Program,
               process: subprocess.Popen[bytes], before: set[str]) -> bool:
    """The icon is in its host: a new window in trayer, or the item in the watcher's list."""
    host = program.desktop(desktops)
    if isinstance(host, desk.PanelDesktop):
        name = f"org.kde.StatusNotifierItem-{process.pid}-1"
        return any(item.split("/")[0] == name for item in host.registered_items())
    return bool(set(host.tray_icons()) - before)


def seed_a_year(home: Path) -> int:
    """A year of history (up to yesterday: today's count stays 0, as in the empty profile)
    in the profile's store, written by the real store; the records written."""
    from tray.core.model import State
    from tray.store import Store

    records = year_of_history(dt.date.today() - dt.timedelta(days=1))
    store = Store(home / ".local" / "share" / "pointbreak" / "history")
    store.save(State(seq=max(r.seq for r in records)), records)
    store.close()
    return len(records)


def profile_env(desktop: desk.Desktop, backend: str, with_a_year: bool = False) -> dict[str, str]:
    home = Path(tempfile.mkdtemp(prefix="pb-bench-", dir="/tmp"))
    if with_a_year:
        seed_a_year(home)
    (home / "run").mkdir(mode=0o700)
    config = home / ".config" / "pointbreak"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(ALL_DAY)
    return dict(os.environ, **desktop.env, HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"),
                XDG_CONFIG_HOME=str(home / ".config"),
                XDG_DATA_HOME=str(home / ".local" / "share"),
                XDG_STATE_HOME=str(home / ".local" / "state"),
                XDG_CACHE_HOME=str(home / ".cache"),
                PYSTRAY_BACKEND="xorg",  # the XEmbed floor's (Pointbreak uses no pystray on Linux)
                POINTBREAK_TRAY="sni" if backend == "sni" else "xembed")


class Tree:
    """Windows under the tray host, read with python-xlib (fast enough to poll every 10 ms, and
    in this process: no subprocess per poll, which a busy machine would make late)."""

    def __init__(self, display: str) -> None:
        from Xlib import display as xdisplay

        self.display = xdisplay.Display(display)

    def docked(self, panels: list[int]) -> set[int]:
        """The icon windows docked in trayer's panels: the windows below them with a class of
        their own (what desktop.tray_icons lists, read without xdotool and xwininfo)."""
        found: set[int] = set()
        stack = [self.display.create_resource_object("window", panel) for panel in panels]
        while stack:
            window = stack.pop()
            try:
                children = window.query_tree().children
            except Exception:
                continue
            for child in children:
                try:
                    names = child.get_wm_class()
                except Exception:
                    names = None
                if names and not any("trayer" in name for name in names):
                    found.add(child.id)
                stack.append(child)
        return found



def start_up(desktops: dict[str, desk.Desktop], program: Program, runs: int) -> list[float]:
    desktop = program.desktop(desktops)
    times = []
    for _ in range(runs):
        env = profile_env(desktop, program.backend)
        before = set(desktop.tray_icons())
        tree = Tree(desktop.display)
        panels = [int(w) for w in desktop.run("xdotool", "search", "--class", "trayer",
                                              check=False).split()]
        seen = tree.docked(panels)
        started = time.perf_counter()
        process = subprocess.Popen(program.command, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        icon_at = None
        deadline = started + 20
        while time.perf_counter() < deadline:
            if program.backend == "sni":
                shown = icon_shown(desktops, program, process, before)
            else:
                shown = bool(tree.docked(panels) - seen)
            if shown:
                icon_at = time.perf_counter()
                break
            time.sleep(0.01)
        stop(process, env)
        if icon_at is not None:
            times.append(icon_at - started)
    return times


def stop(process: subprocess.Popen[bytes], env: dict[str, str]) -> None:
    if "pointbreak" in process.args[0]:
        subprocess.run([str(BIN / "pointbreak"), "quit"], env=env, capture_output=True)
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        desk._signal(process.pid, 9)
        process.wait(5)
    desk._signal(process.pid, 9)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def wakeups(pid: int) -> dict[int, int]:
    """Voluntary context switches (a thread going to sleep, then woken) of each thread."""
    counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                counts[int(task.name)] = int(line.split()[1])
    return counts


def woken(before: dict[int, int], after: dict[int, int]) -> int:
    """Wake-ups between two readings: a thread that ended meanwhile is not counted (its
    count is gone with it), a thread that started is counted whole."""
    return sum(count - before.get(tid, 0) for tid, count in after.items())


def memory(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values["VmRSS"], values["VmHWM"]


def idle(desktops: dict[str, desk.Desktop], programs: list[Program], rss_after: float,
         window: float, settle: float = 30.0) -> None:
    running = []
    for program in programs:
        desktop = program.desktop(desktops)
        env = profile_env(desktop, program.backend, program.with_a_year)
        before = set(desktop.tray_icons())
        process = subprocess.Popen(program.command, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            desk.wait_for(lambda p=program, pr=process, b=before: icon_shown(desktops, p, pr, b),
                          30, f"{program.name}'s icon")
        except AssertionError:  # as start_up does: said, and the others are still measured
            print(f"{program.name:<28} no icon seen in 30 s: left out of the idle figures")
            stop(process, env)
            continue
        running.append((program, process, env))
    def present_for(seconds: float) -> None:
        """A person at the desk: the pointer moves once a minute (idle detection is on)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for desktop in desktops.values():
                desktop.run("xdotool", "mousemove_relative", "--", "1", "1", check=False)
            time.sleep(min(60.0, max(0.0, end - time.monotonic())))

    present_for(settle)  # let start-up settle
    for program, _, env in running:
        log = Path(env["XDG_STATE_HOME"]) / "pointbreak" / "log" / "pointbreak.log"
        if log.exists():
            watching = [line.split(": ", 1)[1] for line in log.read_text().splitlines()
                        if "idle time: using" in line or ": watching" in line]
            print(f"{program.name}: " + "; ".join(w.split(" - ")[-1] for w in watching))
    start = {p.pid: (cpu_seconds(p.pid), wakeups(p.pid), time.monotonic())
             for _, p, _ in running}
    # Resident memory after a minute (the figure) and after rss_after (settled).
    moments = sorted({min(60.0, rss_after), rss_after})
    rss: dict[float, dict[int, tuple[float, float]]] = {}
    elapsed = settle
    for moment in moments:
        present_for(max(0.0, moment - elapsed))
        elapsed = max(elapsed, moment)
        rss[moment] = {process.pid: memory(process.pid) for _, process, _ in running}
    present_for(max(0.0, settle + window - elapsed))
    after = " and ".join(f"{m / 60:g} min" for m in moments)
    print(f"\nIdle, side by side: RSS after {after}; CPU and wake-ups over "
          f"{window / 60:g} min (from {settle:g} s after start)")
    columns = "".join(f"{f'RSS {m / 60:g} min':>12}" for m in moments)
    print(f"{'program':<28}{columns} {'peak MiB':>9} {'CPU s/10 min':>13} {'wake-ups/s':>11}")
    resident_of: dict[tuple[str, float], float] = {}
    for program, process, env in running:
        cpu0, wake0, t0 = start[process.pid]
        seconds = time.monotonic() - t0
        cpu = (cpu_seconds(process.pid) - cpu0) * 600 / seconds
        rate = woken(wake0, wakeups(process.pid)) / seconds
        for moment in moments:
            resident_of[program.name, moment] = rss[moment][process.pid][0]
        residents = "".join(f"{rss[m][process.pid][0]:12.1f}" for m in moments)
        peak = max(rss[m][process.pid][1] for m in moments)
        goal = "   (goal <= 0.1/s)" if program.name.startswith("pointbreak") else ""
        print(f"{program.name:<28}{residents} {peak:9.1f} {cpu:13.2f} {rate:11.3f}{goal}")
        stop(process, env)
    for moment in moments:
        empty = resident_of.get(("pointbreak (xorg)", moment))
        year = resident_of.get(("pointbreak (xorg, a year)", moment))
        if empty is not None and year is not None:
            print(f"after {moment / 60:g} min, a year of history adds {year - empty:+.2f} MiB "
                  f"to the idle tray (goal <= 0.5)")


def sessions(desktop: desk.Desktop, count: int) -> None:
    env = dict(profile_env(desktop, "xorg"), POINTBREAK_TEST_KEY_GUARD_SECONDS="0")
    command = str(BIN / "pointbreak")
    before = set(desktop.tray_icons())
    process = subprocess.Popen([command, "--no-welcome"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    desk.wait_for(lambda: set(desktop.tray_icons()) - before, 30, "the icon")
    desk.wait_for(lambda: "not running" not in subprocess.run(
        [command, "status"], env=env, capture_output=True, text=True).stdout, 30, "the tray")
    time.sleep(2)
    at_start = memory(process.pid)[0]

    def one_session() -> None:
        subprocess.run([command, "now"], env=env, capture_output=True, check=True)
        window = desk.wait_for(lambda: desktop.visible_windows(desk.ROUTINE_WINDOW), 20,
                               "the session window")[0]
        desktop.keys(window, "Return", "Escape")  # Start (it has the focus), then Stop
        desk.wait_for(lambda: "Break on screen" not in subprocess.run(
            [command, "status"], env=env, capture_output=True, text=True).stdout, 20,
            "the session to end")

    # The first session loads what only a session needs (the tray loads it when first used,
    # not at start): growth is counted from after it.
    one_session()
    time.sleep(2)
    rss_before = memory(process.pid)[0]
    for _ in range(count):
        one_session()
    time.sleep(2)
    rss_after = memory(process.pid)[0]
    print(f"\n{count} sessions started with `pointbreak now` and answered, after a first one: "
          f"resident {at_start:.1f} MiB at start, {rss_before:.1f} MiB after the first, "
          f"{rss_after:.1f} MiB after the rest, growth {rss_after - rss_before:+.2f} MiB "
          "(target <= 2 MiB)")
    stop(process, env)


def saves(count: int, runs: int = 3) -> None:
    """One save with a day of history and with a year (bench/store_bench.py's children)."""
    from tray.core.model import State
    from tray.store import Store

    today = dt.datetime.now(dt.UTC).date()
    base = Path(tempfile.mkdtemp(prefix="pb-bench-saves-", dir="/tmp"))
    year = year_of_history(today)
    histories = {"a day": [r for r in year if r.day == today - dt.timedelta(days=1)],
                 "a year": year}
    for name, records in histories.items():
        store = Store(base / name.replace(" ", "-"))
        store.save(State(seq=max(r.seq for r in records)), records)
        store.close()
    times: dict[str, list[float]] = {name: [] for name in histories}
    for _ in range(runs):  # alternate, so a busy moment of the machine hits both
        for name in histories:
            times[name].append(store_bench.measure(base / name.replace(" ", "-"), count,
                                                   today)[1])
    day, whole = (statistics.median(times[name]) for name in histories)
    print(f"\nOne save (the state and a record, median of {count} in each of {runs} children): "
          f"a day {day * 1e3:.3f} ms, a year {whole * 1e3:.3f} ms, {whole / day:.2f}x "
          "(goal <= 1.2)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--rss-minutes", type=float, default=5)
    parser.add_argument("--idle-minutes", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--settle-seconds", type=float, default=30.0,
                        help="how long the trays settle before the idle window starts")
    parser.add_argument("--saves", type=int, default=200, help="saves timed in each child")
    args = parser.parse_args()
    print("Pointbreak tray benchmark")
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python "
          f"{platform.python_version()}")
    print("versions: " + ", ".join(f"{n} {metadata.version(n)}" for n in (
        "pointbreak", "pystray", "APScheduler", "tinydb", "Pillow", "plyer")))
    programs = [Program("floor (xorg)", [sys.executable, str(HERE / "floor.py")], "xorg"),
                Program("pointbreak (xorg)", [str(BIN / "pointbreak"), "--no-welcome"],
                        "xorg")]
    desktop = desk.start_desktop()
    desktops: dict[str, desk.Desktop] = {"trayer": desktop}
    if shutil.which("xfce4-panel"):
        desktops["xfce"] = desk.start_panel_desktop()
        programs += [Program("floor (sni)", [sys.executable, str(HERE / "floor_sni.py")], "sni"),
                     Program("pointbreak (sni)", [str(BIN / "pointbreak"), "--no-welcome"],
                             "sni")]
    pulse = None
    if shutil.which("pulseaudio"):  # a sound server, so the microphone watch runs too
        pulse, os.environ["PULSE_SERVER"] = desk.start_pulse(
            Path(tempfile.mkdtemp(prefix="pb-bench-pulse-", dir="/tmp")))
    try:
        print(f"\nStart to icon in the tray, {args.starts} starts each (poll every 10 ms)")
        floors: dict[str, float] = {}
        starts: dict[str, list[float]] = {program.name: [] for program in programs}
        for _ in range(args.starts):  # in turn, so a busy moment of the machine hits all alike
            for program in programs:
                starts[program.name] += start_up(desktops, program, 1)
        for program in programs:
            times = starts[program.name]
            if not times:
                print(f"{program.name:<28} no icon seen")
                continue
            median = statistics.median(times)
            if program.name.startswith("floor"):
                floors[program.backend] = median
            floor = floors.get(program.backend)
            versus = (f", {median / floor:.2f}x its floor (goal <= 0.65)"
                      if floor and not program.name.startswith("floor") else "")
            print(f"{program.name:<28} median {median:.3f} s (min {min(times):.3f}, max "
                  f"{max(times):.3f}, n={len(times)}){versus}")
        if args.saves:
            saves(args.saves)
        if args.sessions:
            sessions(desktop, args.sessions)
        if args.idle_minutes:
            year = Program("pointbreak (xorg, a year)", [str(BIN / "pointbreak"), "--no-welcome"],
                           "xorg", with_a_year=True)
            idle(desktops, [*programs[:2], year, *programs[2:]], args.rss_minutes * 60,
                 args.idle_minutes * 60, args.settle_seconds)
    finally:
        for each in desktops.values():
            each.stop()
        if pulse is not None:
            pulse.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
