"""The voice's port: how each system speaks (the command lines of spd-say, say and PowerShell,
checked as those programs take them), never over itself and never blocking, and how a running
screen reader is found (a real /proc, the real gsettings on a private bus; Windows' and macOS'
questions through faithful fakes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from desktop import wait_for

from tray.adapters import speech
from tray.adapters.speech import Found, Voice, screen_reader


def on_path(*names: str):
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_each_system_speaks_its_own_way() -> None:
    assert speech.find("linux", {}, on_path("spd-say")).name == "spd-say"
    missing = speech.find("linux", {}, on_path())
    assert missing.name == "none" and "speech-dispatcher" in missing.reason
    assert speech.find("macos", {}, on_path("say")).name == "say"
    assert speech.find("windows", {}, on_path("powershell")).name == "powershell"
    assert speech.find("linux", {"POINTBREAK_SPEECH": "none"}, on_path("spd-say")).name == "none"
    assert speech.find("linux", {"POINTBREAK_SPEECH": "loud"}, on_path("spd-say")).name == \
        "spd-say"  # an unknown name: chosen by itself


def test_the_command_lines_say_the_text_as_data() -> None:
    tricky = "-S --cancel; $(rm -rf ~) 'quoted' \"too\""
    line = speech.command("spd-say", tricky, "de")
    assert line[:2] == ["spd-say", "-N"] and line[-2:] == ["--", tricky]
    assert line[3:5] == ["-P", "text"] and line[5:7] == ["-l", "de"]
    assert speech.command("spd-say", None, "en") == ["spd-say", "-N", "pointbreak", "-S"]
    assert speech.command("say", tricky, "en") == ["say", "--", tricky]
    windows = speech.command("powershell", tricky, "es")
    assert tricky not in " ".join(windows)  # the text goes on standard input, never the line
    assert windows[-1] == "es" and "[Console]::In.ReadToEnd()" in windows[-2]


@pytest.mark.skipif(shutil.which("spd-say") is None, reason="spd-say not installed")
def test_spd_say_takes_the_options_as_written() -> None:
    done = subprocess.run(["spd-say", "--help"], capture_output=True, text=True, timeout=10)
    for option in ("-N", "-P", "-l", "-S"):
        assert f"  {option}," in done.stdout + done.stderr


class Speaking:
    """A `say` or PowerShell process as those systems run it: it speaks until it ends or is
    stopped; what it was given on standard input is kept."""

    started: ClassVar[list[Speaking]] = []

    def __init__(self, args: list[str], **options) -> None:
        self.args, self.options = args, options
        self.stopped = threading.Event()
        self.given = b""
        self.stdin = self if options.get("stdin") == subprocess.PIPE else None
        overlapping = [p for p in Speaking.started if p.poll() is None]
        assert not overlapping, "a new text began while an old one was still spoken"
        Speaking.started.append(self)

    def write(self, data: bytes) -> None:
        self.given += data

    def close(self) -> None:
        pass

    def poll(self) -> int | None:
        return -15 if self.stopped.is_set() else None

    def terminate(self) -> None:
        self.stopped.set()

    def wait(self, _timeout: float | None = None) -> int:
        self.stopped.wait()
        return -15


def test_a_new_text_stops_the_old_one_and_cancel_stops_it(monkeypatch, tmp_path: Path) -> None:
    log = tmp_path / "said.jsonl"
    monkeypatch.setenv("POINTBREAK_TEST_SPEECH_LOG", str(log))
    Speaking.started = []
    voice = Voice("en", found=Found("say", "test"), spawn=Speaking)
    voice.say("Sit comfortably.")
    first = wait_for(lambda: Speaking.started, what="the first text spoken")[0]
    voice.say("Find the spot.")  # Speaking asserts that the first has stopped by then
    wait_for(lambda: len(Speaking.started) == 2, what="the second text spoken")
    assert first.stopped.is_set()
    second = Speaking.started[1]
    assert second.args == ["say", "--", "Find the spot."] and second.poll() is None
    voice.cancel()
    wait_for(second.stopped.is_set, what="the cancel to stop it")
    voice.say("One.")
    voice.say("Two.")  # asked before the thread got to "One.": at most one of them is spoken
    voice.cancel()
    voice.close()
    assert all(p.stopped.is_set() for p in Speaking.started) and len(Speaking.started) <= 4
    lines = log.read_text().splitlines()
    assert lines[:3] == ['{"say": "Sit comfortably.", "language": "en"}',
                         '{"say": "Find the spot.", "language": "en"}', '{"cancel": true}']


def test_powershell_gets_the_text_on_standard_input_in_utf8() -> None:
    Speaking.started = []
    voice = Voice("de", found=Found("powershell", "test"), spawn=Speaking)
    voice.say("Drücke die Stelle fest.")
    voice.close()
    (process,) = Speaking.started
    assert process.given.decode("utf-8") == "Drücke die Stelle fest."
    assert process.args[-1] == "de"


def test_a_failing_spd_say_turns_the_voice_off_without_raising() -> None:
    class Failing:
        def __init__(self, args, **_options) -> None:
            self.returncode = 1

        def communicate(self, timeout=None):
            return b"", b"Failed to connect to Speech Dispatcher"

    voice = Voice("en", found=Found("spd-say", "test"), spawn=Failing)
    voice.say("Hello.")
    voice.close()
    assert voice.is_broken
    voice.say("Ignored.")  # no thread, no error


# --- a screen reader --------------------------------------------------------------------------

def test_a_real_orca_process_of_this_user_is_found(tmp_path: Path) -> None:
    fake_proc = tmp_path / "proc"
    (fake_proc / "4242").mkdir(parents=True)
    (fake_proc / "4242" / "comm").write_text("bash\n")
    (fake_proc / "self").mkdir()
    assert screen_reader("linux", proc=fake_proc, gsettings=lambda: "false") is None
    (fake_proc / "4243").mkdir()
    (fake_proc / "4243" / "comm").write_text("orca\n")
    assert screen_reader("linux", proc=fake_proc, gsettings=lambda: None) == "Orca"


def test_gnomes_setting_read_by_the_real_gsettings_on_a_private_bus(tmp_path: Path,
                                                                      monkeypatch) -> None:
    for tool in ("dbus-daemon", "gsettings"):
        assert shutil.which(tool), f"tests/run.sh installs {tool}"
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("GSETTINGS_BACKEND", "dconf")
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                           stdout=subprocess.PIPE, text=True)
    try:
        assert bus.stdout is not None
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.stdout.readline().strip())
        empty = tmp_path / "noproc"
        empty.mkdir()
        assert screen_reader("linux", proc=empty) is None
        subprocess.run(["gsettings", "set", "org.gnome.desktop.a11y.applications",
                        "screen-reader-enabled", "true"], check=True, timeout=20)
        assert screen_reader("linux", proc=empty) == "the screen reader (GNOME's setting is on)"
    finally:
        subprocess.run(["pkill", "-f", f"dconf-service.*{os.getpid()}"], check=False)
        bus.terminate()
        bus.wait(10)


def test_windows_asks_spi_getscreenreader_and_macos_voiceovers_setting() -> None:
    assert screen_reader("windows", windows_flag=lambda: True) is not None
    assert screen_reader("windows", windows_flag=lambda: False) is None
    assert screen_reader("macos", defaults=lambda: "1\n") == "VoiceOver"
    assert screen_reader("macos", defaults=lambda: "0\n") is None
    assert screen_reader("macos", defaults=lambda: None) is None  # never set


def test_spi_getscreenreader_is_called_as_windows_takes_it(monkeypatch) -> None:
    import ctypes

    calls = []

    class User32:
        def SystemParametersInfoW(self, action, param, pointer, flags):
            calls.append((action, param, flags))
            pointer._obj.value = 1  # what byref() points at
            return 1

    class WinDLL:
        user32 = User32()

    monkeypatch.setattr(ctypes, "windll", WinDLL(), raising=False)
    assert speech._spi() is True
    assert calls == [(0x0046, 0, 0)]
