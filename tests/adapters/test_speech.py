"""The voice's port: how each system speaks (the command lines of spd-say, say and PowerShell,
checked as those programs take them), never over itself and never blocking, and how a running
screen reader is found (a real /proc, the real gsettings on a private bus; Windows' and macOS'
questions through faithful fakes)."""

from __future__ import annotations

import json
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
    # -Command's string is the last argument: PowerShell would take any after it as more of
    # the script (a syntax error that says nothing at all). The language is written into it.
    assert windows[-2] == "-Command" and "[Console]::In.ReadToEnd()" in windows[-1]
    assert "$want = 'es';" in windows[-1]


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
    voice = Voice("en", found=Found("say", "test"), spawn=Speaking, mac_voices=lambda: "")
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
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines[:3] == [
        {"say": "Sit comfortably.", "language": "en", "command": ["say", "--", "Sit comfortably."]},
        {"say": "Find the spot.", "language": "en", "command": ["say", "--", "Find the spot."]},
        {"cancel": True}]


def test_powershell_gets_the_text_on_standard_input_in_utf8() -> None:
    Speaking.started = []
    voice = Voice("de", found=Found("powershell", "test"), spawn=Speaking)
    voice.say("Drücke die Stelle fest.")
    voice.close()
    (process,) = Speaking.started
    assert process.given.decode("utf-8") == "Drücke die Stelle fest."
    assert "$want = 'de';" in process.args[-1] and process.args[-2] == "-Command"


def test_each_system_speaks_the_language_shown() -> None:
    assert speech.command("spd-say", "Drücken Sie.", "de")[5:7] == ["-l", "de"]
    assert speech.command("spd-say", "Presiona.", "es")[5:7] == ["-l", "es"]
    assert speech.command("spd-say", "\u27e6Press.\u27e7", "qps")[5:7] == ["-l", "en"]
    assert speech.command("say", "Drücken Sie.", "de", "Anna") == [
        "say", "-v", "Anna", "--", "Drücken Sie."]
    assert "$want = 'en';" in speech.command("powershell", "x", "qps")[-1]  # pseudo: English
    assert "$want = 'en';" in speech.command("powershell", "x", "'; rm -r ~; '")[-1]
    assert Voice("qps", found=Found("none", "test")).language == "en"


# What `say -v ?` prints on macOS 14 (a part of it): name (which may hold spaces and brackets),
# locale, "#", a sample sentence in the voice's language.
MAC_LISTING = """\
Albert              en_US    # Hello! My name is Albert.
Alice               it_IT    # Ciao! Mi chiamo Alice.
Anna                de_DE    # Hallo! Ich heiße Anna.
Bad News            en_US    # Hello! My name is Bad News.
Bahh                en_US    # Hello! My name is Bahh.
Daniel              en_GB    # Hello! My name is Daniel.
Eddy (German (Germany)) de_DE    # Hallo! Ich heiße Eddy.
Eddy (Spanish (Mexico)) es_MX    # ¡Hola! Me llamo Eddy.
Eddy (Spanish (Spain)) es_ES    # ¡Hola! Me llamo Eddy.
Grandma (German (Germany)) de_DE    # Hallo! Ich heiße Grandma.
Jorge               es_ES    # ¡Hola! Me llamo Jorge.
Mónica              es_ES    # ¡Hola! Me llamo Mónica.
Paulina             es_MX    # ¡Hola! Me llamo Paulina.
Samantha            en_US    # Hello! My name is Samantha.
Thomas              fr_FR    # Bonjour, je m’appelle Thomas.
Zarvox              en_US    # Hello! My name is Zarvox.
"""


@pytest.mark.parametrize(("language", "listing", "expected"), [
    ("de", MAC_LISTING, "Anna"),
    ("es", MAC_LISTING, "Mónica"),
    ("en", MAC_LISTING, "Samantha"),
    ("qps", MAC_LISTING, "Samantha"),
    ("de", MAC_LISTING.replace("Anna ", "Xenia "), "Xenia"),  # not a known one, but German
    ("de", "\n".join(line for line in MAC_LISTING.splitlines() if "Anna" not in line),
     "Eddy (German (Germany))"),
    ("en", "Albert              en_US    # Hello!\nZarvox              en_US    # Hi.\n",
     None),  # only novelty voices: the default voice
    ("es", "Anna                de_DE    # Hallo!\n", None),  # none speaks it
    ("de", "", None),  # `say -v ?` failed or listed nothing
    ("de", "garbage without a locale\n#\n  \n", None),
], ids=["german", "spanish", "english", "pseudo-as-english", "any-german", "eddy",
        "novelty-only", "no-spanish-voice", "nothing-listed", "garbage"])
def test_macos_say_gets_a_voice_of_the_language(language, listing, expected) -> None:
    assert speech.mac_voice(language, listing) == expected


def test_macos_voice_is_chosen_once_and_said_with(monkeypatch, tmp_path: Path) -> None:
    log = tmp_path / "said.jsonl"
    monkeypatch.setenv("POINTBREAK_TEST_SPEECH_LOG", str(log))
    Speaking.started = []
    asked = []

    def listing() -> str:
        asked.append(True)
        return MAC_LISTING

    voice = Voice("de", found=Found("say", "test"), spawn=Speaking, mac_voices=listing)
    voice.say("Setzen Sie sich bequem hin.")
    wait_for(lambda: Speaking.started, what="the first text spoken")
    voice.say("Lassen Sie los.")
    wait_for(lambda: len(Speaking.started) == 2, what="the second text spoken")
    voice.close()
    assert [p.args for p in Speaking.started] == [
        ["say", "-v", "Anna", "--", "Setzen Sie sich bequem hin."],
        ["say", "-v", "Anna", "--", "Lassen Sie los."]]
    assert asked == [True]
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert logged[0] == {"say": "Setzen Sie sich bequem hin.", "language": "de",
                         "command": ["say", "-v", "Anna", "--", "Setzen Sie sich bequem hin."]}


def test_without_a_voice_of_the_language_say_speaks_with_its_default() -> None:
    Speaking.started = []
    voice = Voice("es", found=Found("say", "test"), spawn=Speaking,
                  mac_voices=lambda: "Anna                de_DE    # Hallo!\n")
    voice.say("Suelta y descansa.")
    wait_for(lambda: Speaking.started, what="the text spoken")
    voice.close()
    assert Speaking.started[0].args == ["say", "--", "Suelta y descansa."]


def test_the_powershell_script_picks_a_voice_by_culture_and_keeps_the_default_otherwise() -> None:
    script = speech.command("powershell", "x", "de")[-1]
    # The default voice stays when it speaks the language already ...
    assert "if ($voice.Voice.Culture.TwoLetterISOLanguageName -ne $want)" in script
    # ... else an enabled installed voice of that language is selected by its culture ...
    assert "$_.Enabled -and $_.VoiceInfo.Culture.TwoLetterISOLanguageName -eq $want" in script
    assert "SelectVoiceByHints($found[0].VoiceInfo.Gender, $found[0].VoiceInfo.Age, 0, " \
           "$found[0].VoiceInfo.Culture)" in script
    # ... only if there is one, and a failure there never stops the speech.
    assert "if ($found.Count -gt 0)" in script
    assert script.index("catch { }") < script.index("$voice.Speak(")
    assert script.count("{") == script.count("}") and script.count("(") == script.count(")")


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
