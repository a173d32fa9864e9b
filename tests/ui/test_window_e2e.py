"""The routine window for real: its own process on Xvfb, driven with xdotool keys, its reports
read from the pipe the tray would hand it, its exit code checked, screenshots saved. In the
tests' pseudo-language, German and Spanish too: every text it shows, as Tk has it (the
POINTBREAK_TEST_TEXTS seam)."""

from __future__ import annotations

import codecs
import contextlib
import gettext
import json
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from desktop import ROUTINE_WINDOW, wait_for
from helpers import stored_records

from tray.ipc import children, reports

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.e2e
ROUND_TRIP = 15



def pixels(png: Path) -> bytes:
    from PIL import Image

    with Image.open(png) as image:
        return image.convert("RGB").tobytes()

class Window:
    def __init__(self, desktop, profile, *args: str, guard: float = 0.0,
                 name: str = ROUTINE_WINDOW, **env: str) -> None:
        self.desktop = desktop
        environment = {**profile.env, **desktop.env,
                       "POINTBREAK_TEST_KEY_GUARD_SECONDS": str(guard), **env}
        before = set(desktop.visible_windows(name))
        self.started_at = time.monotonic()
        self.child = children.start("routines", list(args), env=environment)
        self.reports: queue.Queue = queue.Queue()
        self.ticks: queue.Queue = queue.Queue()  # the countdown as drawn, apart: they come often
        threading.Thread(target=self._read, daemon=True).start()
        self.id = wait_for(lambda: sorted(set(desktop.visible_windows(name)) - before),
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

    def title(self) -> str:
        """The title as window managers show it (_NET_WM_NAME, UTF-8)."""
        done = subprocess.run(["xprop", "-id", self.id, "_NET_WM_NAME"], env=self.desktop.env,
                              capture_output=True, text=True, timeout=10)
        quoted = done.stdout.split("=", 1)[1].strip()[1:-1]  # xprop writes bytes as \\ooo
        return codecs.escape_decode(quoted.encode())[0].decode("utf-8")


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
    # Return closes the end card: wait for it (a Return while it is still being built is lost).
    wait_for(lambda: window in desktop.visible_windows("^Well done"), what="the end card")
    desktop.keys(window, "Return")
    assert process.wait(ROUND_TRIP) == 0
    (record,) = stored_records(profile.store)
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
    (record,) = stored_records(profile.store)
    assert (record["kind"], record["outcome"], record["step"]) == ("session", "stopped_early", 3)


# --- in the person's language ---------------------------------------------------------------

QPS_NAME = "Pointbreak"  # the title is ⟦… — Pointbreak⟧ in the pseudo-language: no "Pointbreak$"
BRACKETED = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")  # one ⟦…⟧ with none inside it


def unwrapped(text: str) -> str:
    """`text` without its ⟦…⟧ segments, the innermost first, again until none is left."""
    while (shorter := BRACKETED.sub("", text)) != text:
        text = shorter
    return text


class Texts:
    """What the window has shown, as the POINTBREAK_TEST_TEXTS seam gathered it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        return {"POINTBREAK_TEST_TEXTS": str(self.folder)}

    def all(self) -> list[str]:
        files = list(self.folder.glob("routine-*.json"))
        assert len(files) <= 1, files
        return json.loads(files[0].read_text()) if files else []

    def wait(self, wanted, what: str) -> None:
        wait_for(lambda: any(wanted(text) for text in self.all()), timeout=ROUND_TRIP,
                 what=f"the window to show {what}")


def write_settings(profile, text: str) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(text)


def test_in_the_pseudo_language_every_text_the_window_shows_is_translated(desktop,
                                                                        profile) -> None:
    """LANGUAGE=qps wraps every catalog text in ⟦…⟧, and the routine file's texts too: a letter
    left outside the brackets is a text nobody translates."""
    shots = profile.artifacts("routine-window-qps")
    texts = Texts(profile.home / "texts")
    window = Window(desktop, profile, "card", "--today", "4", "--cap", "5", name=QPS_NAME,
                    LANGUAGE="qps", **texts.env)
    texts.wait(lambda t: "Time for a back break" in t, "the card")
    titles = [window.title()]  # as window managers have it (the seam gathers no title of a
    window.shot(shots / "1-card.png")  # Tk whose class is not "Tk": Pointbreak's is its own)
    window.keys("Return")
    assert window.next_non_cue() == {"event": "started"}
    window.keys("Right", "Right")  # to the first press
    window.tick_where(lambda t: t["step"] == 3, "the press step drawn")
    while (report := window.report(timeout=13)) != {"event": "cue", "cue": "keep_going"}:
        assert report == {"event": "cue", "cue": "step"}  # the steps passed on the way
    texts.wait(lambda t: "Keep pressing" in t, "the press step's cue")
    titles.append(window.title())
    window.shot(shots / "2-press-and-cue.png")
    window.keys("space")
    window.tick_where(lambda t: t["paused"], "the pause drawn")
    texts.wait(lambda t: re.search(r"\d:\d\d  paused", t), "the paused countdown")
    titles.append(window.title())
    window.shot(shots / "3-paused.png")
    window.keys("space")
    window.tick_where(lambda t: not t["paused"], "the resume drawn")
    window.keys(*["Right"] * 9)  # the rounds, the last step, the end
    assert window.next_non_cue() == {"outcome": "completed"}
    texts.wait(lambda t: "The guidance is up to 5 sessions a day" in t, "the end card")
    titles.append(window.title())
    window.shot(shots / "4-end-card.png")
    window.keys("Return")
    assert window.exit_code() == 0
    shown = [*texts.all(), *titles]
    print(f"{len(shown)} texts shown:", *shown, sep="\n  ")
    assert [t for t in shown if any(c.isalpha() for c in unwrapped(t))] == []
    # It saw what it should have: the catalog's, the routine file's, the menu's and the title.
    for english in ("Snooze", "Skip", "10 min", "Resume", "Round 1 of 4", "Step 3 of 11",
                    "index finger", "not medical advice", "Upper back, hands only",
                    "(paused) — Pointbreak", "Well done — Pointbreak", "Close"):
        assert any(english in text for text in shown), english


def catalog(language: str) -> gettext.NullTranslations:
    """The installed catalog of `language`, as the window reads it."""
    from tray.base import i18n

    return gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[language])


def routine_in(language: str):
    from routines.routine import bundled_folder, load_file

    return load_file(bundled_folder() / "upper-back-hands-only.toml", language)


def run_to_the_press(desktop, profile, language: str, texts: Texts, shots: Path) -> Window:
    write_settings(profile, f'[routine]\nlanguage = "{language}"\n')
    routine = routine_in(language)
    window = Window(desktop, profile, "card", **texts.env)
    texts.wait(lambda t: t == routine.description, "the routine's description")
    window.settled_shot(shots / f"1-card-{language}.png")
    window.keys("Return")
    assert window.next_non_cue() == {"event": "started"}
    window.keys("Right", "Right")
    window.tick_where(lambda t: t["step"] == 3, "the press step drawn")
    texts.wait(lambda t: t == routine.steps[2].text, "the press step")
    window.settled_shot(shots / f"2-press-{language}.png")
    return window


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_routine_is_shown_in_german_and_spanish(desktop, profile, language) -> None:
    """The routine file's own texts, in the language the settings ask for."""
    shots = profile.artifacts(f"routine-window-{language}")
    texts = Texts(profile.home / "texts")
    window = run_to_the_press(desktop, profile, language, texts, shots)
    window.keys("Escape")
    assert window.next_non_cue() == {"outcome": "stopped_early", "step": 3}
    assert window.exit_code() == 3
    shown, routine, english = texts.all(), routine_in(language), routine_in("en")
    for ours, theirs in ((routine.description, english.description),
                         (routine.safety, english.safety),
                         (routine.steps[2].text, english.steps[2].text)):
        assert ours in shown and theirs not in shown, ours
    assert not any(s.text in shown for s in english.steps)  # none in English, the quick ones too
    assert any(routine.title in text for text in shown)  # "Oberer Rücken… · about 6 minutes"


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_window_title_and_buttons_are_german_and_spanish(desktop, profile, language) -> None:
    """The window's own words, from the catalog: they need its translations (installer/
    catalogs.py update, then the .po files translated and compiled)."""
    words = catalog(language)
    wanted = {"title": words.gettext("Step {n} of {total}: {name} — Pointbreak").format(
                  n=3, total=11, name=words.gettext("Press")),
              "pause": words.pgettext("routine", "Pause"), "stop": words.gettext("Stop"),
              "next": words.gettext("Next ▶"), "back": words.gettext("◀ Back"),
              "round": words.gettext("Round {round} of {rounds}").format(round=1, rounds=4)}
    untranslated = [key for key, text in wanted.items()
                    if text in ("Step 3 of 11: Press — Pointbreak", "Pause", "Stop", "Next ▶",
                                "◀ Back", "Round 1 of 4")]
    assert not untranslated, (f"the {language} catalog has no translation of the routine "
                              f"window's {', '.join(untranslated)} yet")
    shots = profile.artifacts(f"routine-window-{language}")
    texts = Texts(profile.home / "texts")
    window = run_to_the_press(desktop, profile, language, texts, shots)
    assert window.title() == wanted.pop("title")
    window.keys("space")  # paused: the title says so
    wait_for(lambda: window.title() == words.gettext(
        "Step {n} of {total}: {name} (paused) — Pointbreak").format(
            n=3, total=11, name=words.gettext("Press")), what="the paused title")
    wanted["resume"] = words.pgettext("routine", "Resume")
    texts.wait(lambda t: t == wanted["resume"], "Resume")
    window.keys("space", *["Right"] * 9)  # on to the end card
    assert window.next_non_cue() == {"outcome": "completed"}
    wait_for(lambda: window.title() == words.gettext("Well done — Pointbreak"),
             what="the end card's title")
    wanted["close"] = words.gettext("Close")
    texts.wait(lambda t: t == wanted["close"], "Close")
    window.settled_shot(shots / f"3-end-card-{language}.png")
    shown = texts.all()
    for key, text in wanted.items():
        assert text in shown, key
    window.keys("Return")
    assert window.exit_code() == 0
