"""The routine followed by ear, for real: the routine window in its own process on Xvfb plays
into a real PulseAudio server whose only output is a null sink, recorded from its monitor; the
voice is speech-dispatcher with espeak-ng speaking into the same sink; a real Orca makes the
voice come on by itself. The recordings are saved beside the screenshots
(tests/artifacts/routine-by-ear/*.wav)."""

from __future__ import annotations

import codecs
import json
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest
from audio import HEARD, missing_speech_tools, rms, sound_server, sounds
from desktop import ROUTINE_WINDOW, wait_for

from routines import chimes
from tray.adapters import sound as sound_port
from tray.ipc import children, reports

pytestmark = pytest.mark.e2e
ROUND_TRIP = 20

SHORT = """id = "short"
title = "A short routine"
description = "Three short steps, for the tests."
area = "upper back"
safety = "Not medical advice."

[[steps]]
kind = "settle"
text = "Sit comfortably."
seconds = {settle}

[[steps]]
kind = "press"
text = "Press the spot firmly."
cue = "Keep pressing."
cue_at = {cue_at}
seconds = {press}

[[steps]]
kind = "finish"
text = "Well done."
seconds = {finish}
"""


def write_profile(profile, *, sound: bool = True, volume: int = 70, voice: str = "off",
                  routine: str = "short", language: str = "auto", **seconds: int) -> None:
    times = {"settle": 2, "press": 4, "cue_at": 2, "finish": 2, **seconds}
    folder = profile.settings.parent / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "short.toml").write_text(SHORT.format(**times))
    profile.settings.write_text(
        f'[routine]\nname = "{routine}"\nsound = {str(sound).lower()}\nvolume = {volume}\n'
        f'voice = "{voice}"\nlanguage = "{language}"\n')


class Window:
    """The routine window as the tray starts it, its reports read as they come."""

    def __init__(self, desktop, env: dict[str, str], *args: str,
                 name: str = ROUTINE_WINDOW) -> None:
        self.desktop = desktop
        before = set(desktop.visible_windows(name))
        self.child = children.start("routines", list(args), env={
            **env, "POINTBREAK_TEST_KEY_GUARD_SECONDS": "0"})
        self.reports: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.id = wait_for(lambda: sorted(set(desktop.visible_windows(name)) - before),
                           what="the routine window")[0]

    def _read(self) -> None:
        for report in self.child.read_reports():
            line = reports.report_json(report)
            if line.get("event") != "tick":
                self.reports.put((time.monotonic(), line))

    def next(self, wanted: dict) -> float:
        """Wait for the report `wanted` (others before it pass); when it came."""
        deadline = time.monotonic() + ROUND_TRIP
        while True:
            try:
                at, line = self.reports.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no report {wanted}") from None
            if line == wanted:
                return at

    def keys(self, *keys: str) -> None:
        self.desktop.keys(self.id, *keys)

    def title(self) -> str:
        done = subprocess.run(["xprop", "-id", self.id, "_NET_WM_NAME"], env=self.desktop.env,
                              capture_output=True, text=True, timeout=10)
        quoted = done.stdout.split("=", 1)[1].strip()[1:-1]  # xprop writes bytes as \\ooo
        return codecs.escape_decode(quoted.encode())[0].decode("utf-8")

    def exit_code(self) -> int:
        return self.child.process.wait(ROUND_TRIP)


@pytest.fixture
def speaker(profile, desktop):
    with sound_server(profile.home / "pulse", {**profile.env, **desktop.env}) as server:
        yield server


def spoken(log: Path) -> list[dict]:
    """What the voice did, as the speech log has it: each text with its command line."""
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def said(log: Path) -> list[dict]:
    """What the voice said (or that it stopped), without the command lines."""
    return [{key: value for key, value in entry.items() if key != "command"}
            for entry in spoken(log)]


def test_each_chime_is_heard_at_its_own_pitch(desktop, profile, speaker) -> None:
    write_profile(profile)
    assert sound_port.find(env=speaker.env).name == "paplay"  # what this machine offers
    path = profile.artifacts("routine-by-ear") / "chimes.wav"
    with speaker.recording(path) as recording:
        window = Window(desktop, speaker.env, "session")
        window.next({"event": "cue", "cue": "done"})
        window.next({"outcome": "completed"})
        recording.wait_silent(time.monotonic(), 0.3, "the end chime to end")
        heard = sounds(recording.samples())
    window.keys("Return")
    assert window.exit_code() == 0
    from audio import loudest_frequency

    found = [(round(loudest_frequency(s)), round(rms(s), 3)) for s in heard]
    print("chimes heard (Hz, RMS):", found)
    wanted = ["step", "step", "keep_going", "step", "done"]  # settle, press, 2 s in, finish, end
    assert [f for f, _ in found] == pytest.approx(
        [chimes.FREQUENCIES[name] for name in wanted], rel=0.03), found
    assert all(level > HEARD for _, level in found)


def test_with_sound_off_nothing_is_played(desktop, profile, speaker) -> None:
    write_profile(profile, sound=False)
    with speaker.watching_streams() as streams, speaker.recording() as recording:
        window = Window(desktop, speaker.env, "session")
        window.next({"event": "cue", "cue": "done"})
        window.keys("Return")
        assert window.exit_code() == 0
        samples = recording.samples()
    assert streams == [] and speaker.playing() == []
    assert max(map(abs, samples)) == 0.0  # the null sink's monitor: exact silence


def test_the_volume_changes_the_level(desktop, profile, speaker) -> None:
    peaks = {}
    for volume in (100, 40):
        write_profile(profile, volume=volume, settle=2, press=2, cue_at=1, finish=1)
        with speaker.recording() as recording:
            window = Window(desktop, speaker.env, "session")
            start = window.next({"event": "cue", "cue": "step"})
            press = window.next({"event": "cue", "cue": "step"})  # the settle chime is over
            peaks[volume] = max(map(abs, recording.samples(since=start - 0.2, until=press)))
            window.keys("Escape")
            assert window.exit_code() == 3
            # The press chime plays on after the window: not into the next run's recording.
            wait_for(lambda: not speaker.playing(), what="the last chime to end")
    print("the step chime's peak at 100 % and 40 %:", peaks)
    assert peaks[100] > 0.5
    assert peaks[40] / peaks[100] == pytest.approx(sound_port.level(40), rel=0.1)


@pytest.fixture
def speech(speaker, profile):
    missing = missing_speech_tools()
    assert not missing, f"tests/run.sh installs speech-dispatcher and espeak-ng ({missing})"
    log = profile.home / "speech.jsonl"
    speaker.env["POINTBREAK_TEST_SPEECH_LOG"] = str(log)
    return log


def test_the_voice_says_each_step_and_is_silent_while_paused(desktop, profile, speaker,
                                                             speech) -> None:
    from routines.routine import load_all

    steps = load_all()[0]["upper-back-hands-only"].steps
    write_profile(profile, sound=False, voice="on", routine="upper-back-hands-only")
    path = profile.artifacts("routine-by-ear") / "voice-steps-and-pause.wav"
    with speaker.recording(path) as recording:
        window = Window(desktop, speaker.env, "session")
        started = window.next({"event": "started"})
        wait_for(lambda: said(speech), what="the first step said")
        assert said(speech)[0] == {"say": steps[0].say, "language": "en"}
        recording.wait_heard(started, "the first step spoken")
        window.keys("Right")
        moved = window.next({"event": "cue", "cue": "step"})
        wait_for(lambda: len(said(speech)) >= 2, what="the second step said")
        assert said(speech)[1] == {"say": steps[1].say, "language": "en"}
        recording.wait_heard(moved + 0.05, "the second step spoken")
        window.keys("space")
        wait_for(lambda: len(said(speech)) >= 3, what="the pause to stop the voice")
        assert said(speech)[2] == {"cancel": True}
        paused = time.monotonic()
        quiet = recording.wait_silent(paused, 2.0, "silence while paused")
        assert quiet - paused < 1.0  # the voice stopped at once, not at the end of its text
        window.keys("space")
        wait_for(lambda: len(said(speech)) >= 4, what="the resume")
        assert said(speech)[3] == {"say": steps[1].say, "language": "en"}  # the step again
        recording.wait_heard(time.monotonic() - 0.5, "the step spoken again")
        window.keys("Escape")
        assert window.exit_code() == 3
    assert said(speech)[-1] == {"cancel": True}  # Stop: nothing is left speaking


def test_the_whole_routine_can_be_followed_by_ear(desktop, profile, speaker, speech) -> None:
    write_profile(profile, voice="on", settle=4, press=7, cue_at=3, finish=4)
    path = profile.artifacts("routine-by-ear") / "whole-routine.wav"
    with speaker.recording(path) as recording:
        window = Window(desktop, speaker.env, "session")
        moments = [window.next({"event": "cue", "cue": "step"})]
        moments.append(window.next({"event": "cue", "cue": "step"}))
        moments.append(window.next({"event": "cue", "cue": "keep_going"}))
        moments.append(window.next({"event": "cue", "cue": "step"}))
        moments.append(window.next({"event": "cue", "cue": "done"}))
        for moment in moments:
            recording.wait_heard(moment - 0.05, "a cue heard")
        recording.wait_silent(moments[-1] + 0.5, 0.5, "the end said")
        levels = [round(rms(recording.samples(m, m + 1.5)), 3) for m in moments]
    window.keys("Return")
    assert window.exit_code() == 0
    print("level in the 1.5 s after each cue:", levels)
    texts = [entry.get("say") for entry in said(speech)]
    assert texts[:5] == ["Sit comfortably.", "Press the spot firmly.", "Keep pressing.",
                         "Well done.", "The routine is over. Today: 1 of 5."]
    assert all(level > HEARD for level in levels)


def test_a_running_orca_turns_the_voice_on_and_the_title_follows_the_steps(
        desktop, profile, speaker, speech) -> None:
    write_profile(profile, sound=False, voice="auto", settle=20, press=20)
    orca = subprocess.Popen(["orca", "--debug-file", str(profile.home / "orca.debug")],
                            env=speaker.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        from tray.adapters.speech import screen_reader

        wait_for(lambda: screen_reader() == "Orca", what="Orca running")
        window = Window(desktop, speaker.env, "card")
        assert window.title() == "Time for a back break — Pointbreak"
        wait_for(lambda: said(speech), what="the card said")
        assert said(speech)[0]["say"].startswith("Time for a back break.")
        window.keys("Return")
        window.next({"event": "started"})
        wait_for(lambda: window.title() == "Step 1 of 3: Get comfortable — Pointbreak",
                 what="the step in the title")
        window.keys("space")
        wait_for(lambda: window.title() == "Step 1 of 3: Get comfortable (paused) — Pointbreak",
                 what="the pause in the title")
        window.keys("space", "Right")
        wait_for(lambda: window.title() == "Step 2 of 3: Press — Pointbreak",
                 what="the next step in the title")
        window.keys("Escape")
        assert window.exit_code() == 3
    finally:
        orca.terminate()
        try:
            orca.wait(10)
        except subprocess.TimeoutExpired:  # a loaded machine: Orca takes its time to quit
            orca.kill()
            orca.wait(10)
    assert "Sit comfortably." in [entry.get("say") for entry in said(speech)]


def test_the_voice_speaks_german_when_the_window_shows_german(desktop, profile, speaker,
                                                              speech) -> None:
    """speech-dispatcher is asked for German (-l de) and says the routine's German words, which
    espeak-ng speaks into the sink."""
    from routines.routine import bundled_folder, load_file

    german = load_file(bundled_folder() / "upper-back-hands-only.toml", "de").steps
    write_profile(profile, sound=False, voice="on", routine="upper-back-hands-only",
                  language="de")
    path = profile.artifacts("routine-by-ear") / "voice-in-german.wav"
    with speaker.recording(path) as recording:
        window = Window(desktop, speaker.env, "session")
        started = window.next({"event": "started"})
        wait_for(lambda: said(speech), what="the first step said")
        first = spoken(speech)[0]
        assert (first["say"], first["language"]) == (german[0].say, "de")
        assert first["command"][-2:] == ["--", german[0].say]
        assert first["command"][first["command"].index("-l") + 1] == "de"
        recording.wait_heard(started, "the first step spoken in German")
        window.keys("Right", "Right")  # the first press: its round, then its German words
        wait_for(lambda: any(entry.get("say", "").endswith(german[2].say)
                             for entry in said(speech)), what="the press said")
        window.keys("Escape")
        assert window.exit_code() == 3
    for entry in spoken(speech):
        if "say" in entry:
            assert entry["language"] == "de" and "-l" in entry["command"]
            assert entry["command"][entry["command"].index("-l") + 1] == "de"


def test_in_the_pseudo_language_every_spoken_text_is_translated(desktop, profile, speaker,
                                                                speech) -> None:
    import re

    write_profile(profile, sound=False, voice="on")  # the short routine: a person's own file
    window = Window(desktop, {**speaker.env, "LANGUAGE": "qps"}, "card",
                    name="Pointbreak")  # its title is ⟦… — Pointbreak⟧
    wait_for(lambda: said(speech), what="the card said")
    window.keys("Return")
    window.next({"event": "cue", "cue": "done"})
    wait_for(lambda: len(said(speech)) >= 5, what="the end said")
    window.keys("Return")
    assert window.exit_code() == 0
    texts = [entry["say"] for entry in said(speech) if "say" in entry]
    print("said:", *texts, sep="\n  ")
    bracketed = re.compile("\u27e6[^\u27e6\u27e7]*\u27e7")

    def unwrapped(text: str) -> str:
        while (shorter := bracketed.sub("", text)) != text:
            text = shorter
        return text

    assert [t for t in texts if any(c.isalpha() for c in unwrapped(t))] == []
    assert any("Escape snoozes it" in t for t in texts)  # the card
    assert any("Keep pressing." in t for t in texts)  # the file's cue, wrapped too
    assert any("The routine is over" in t for t in texts)  # the end
    assert all("-l" in e["command"] and e["command"][e["command"].index("-l") + 1] == "en"
               for e in spoken(speech) if "say" in e)  # the pseudo-language is spoken as English
