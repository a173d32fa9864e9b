"""A voice that guides, through the system's own speech, and whether a screen reader runs.

Speaking never blocks the caller (the routine's countdown never waits for it) and never talks
over itself: one worker thread runs the speech commands in order, a newer text replaces one not
yet spoken, and each system's speech stops the old text before the new one starts.

- Linux: speech-dispatcher's `spd-say` (its Python client is a Debian package, not on PyPI).
  Each text is a message of speech-dispatcher's "text" priority, which a newer message replaces
  as it arrives; `spd-say -S` stops the one being spoken (speech-dispatcher offers a separate
  client no narrower stop). A screen reader's own messages keep their order.
- macOS: `say`, one process a text; stopping it ends its speech.
- Windows: SAPI through PowerShell's System.Speech, the text on its standard input (no
  quoting, no new Python dependency); stopping the process ends its speech.

The voice speaks the language shown (English, German or Spanish; the tests' pseudo-language is
spoken as English): spd-say is told it (`-l de`); `say` gets a voice of it (`-v`), chosen once
from what `say -v ?` lists, a natural one before the novelty voices, or its default voice when
none speaks the language; the PowerShell script keeps the default voice when it speaks the
language and otherwise selects an installed one that does (SelectVoiceByHints with that
voice's culture), or keeps the default.

`screen_reader()` says which screen reader runs, if one does: on Linux an `orca` process of
this user or GNOME's `screen-reader-enabled` setting; on Windows SystemParametersInfo's
SPI_GETSCREENREADER (set by Narrator, NVDA, JAWS); on macOS VoiceOver's setting.
`POINTBREAK_SPEECH=spd-say|say|powershell|none` forces a way to speak.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tray.adapters import choosing
from tray.base import testhooks
from tray.base.i18n import _

log = logging.getLogger(__name__)

VARIABLE = "POINTBREAK_SPEECH"
APP_NAME = "pointbreak"  # speech-dispatcher's name for our messages
RUN_TIMEOUT = 10.0  # an spd-say that takes longer than this is stuck: dropped
CLOSE_WAIT = 2.0  # how long a closing window waits for its voice to stop
SPI_GETSCREENREADER = 0x0046
CREATE_NO_WINDOW = 0x08000000
SPOKEN = ("en", "de", "es")  # what the voice can be asked to speak; anything else is English
# SelectVoiceByHints with a culture no voice has picks the first voice of any language
# (System.Speech's InstalledVoice.FirstEnabled), not the default: so the script looks for a
# voice of the language itself (by the two-letter language of each voice's culture, "de" for
# de-DE and de-AT alike), keeps the default voice when it already speaks the language or when
# none does, and hints with the voice it found. The language is written into the script (one
# of SPOKEN, never anything else): PowerShell takes every argument after -Command's string as
# more of the command, so an argument after it would end the script in a syntax error.
POWERSHELL_SCRIPT = (
    "$ErrorActionPreference = 'Stop'; "
    "[Console]::InputEncoding = [Text.Encoding]::UTF8; "
    "Add-Type -AssemblyName System.Speech; "
    "$voice = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "try { $want = 'LANGUAGE'; "
    "if ($voice.Voice.Culture.TwoLetterISOLanguageName -ne $want) { "
    "$found = @($voice.GetInstalledVoices() | Where-Object { $_.Enabled -and "
    "$_.VoiceInfo.Culture.TwoLetterISOLanguageName -eq $want }); "
    "if ($found.Count -gt 0) { $voice.SelectVoiceByHints($found[0].VoiceInfo.Gender, "
    "$found[0].VoiceInfo.Age, 0, $found[0].VoiceInfo.Culture) } } } catch { }; "
    "$voice.Speak([Console]::In.ReadToEnd())"
)
# macOS voices: the natural ones first, by language; the novelty voices never.
MAC_VOICES = {"en": ("Samantha", "Alex", "Daniel", "Karen", "Moira", "Tessa"),
              "de": ("Anna", "Petra", "Markus", "Yannick", "Helena", "Martin"),
              "es": ("Mónica", "Paulina", "Jorge", "Juan", "Marisol", "Diego")}
MAC_NOVELTY = frozenset((
    "Albert", "Bad News", "Bahh", "Bells", "Boing", "Bubbles", "Cellos", "Deranged", "Fred",
    "Good News", "Hysterical", "Jester", "Junior", "Kathy", "Organ", "Pipe Organ", "Princess",
    "Ralph", "Superstar", "Trinoids", "Whisper", "Wobble", "Zarvox"))


@dataclass(frozen=True)
class Found:
    """How this system speaks, and why (for `doctor`); `name` "none" when it cannot."""

    name: str
    reason: str


def find(system: str | None = None, env: Mapping[str, str] | None = None,
         which: Callable[[str], str | None] = shutil.which) -> Found:
    system = system or choosing.system_of()
    env = os.environ if env is None else env
    forced = choosing.asked_for(VARIABLE, ("spd-say", "say", "powershell", choosing.NONE), env)
    if forced is not None:
        return Found(forced, f"{VARIABLE}={forced}")
    wanted = {"linux": "spd-say", "macos": "say", "windows": "powershell"}.get(system)
    if wanted is None:
        return Found(choosing.NONE, _("no speech on this system"))
    if which(wanted) is None:
        package = {"spd-say": _("{package} (with {voice})").format(
            package="speech-dispatcher", voice="espeak-ng")}.get(wanted, wanted)
        return Found(choosing.NONE, _("{program} is missing: install {package}").format(
            program=wanted, package=package))
    return Found(wanted, {"spd-say": _("{package}'s {program}").format(
                              package="speech-dispatcher", program="spd-say"),
                          "say": _("macOS's {program}").format(program="say"),
                          "powershell": _("Windows' speech (SAPI) through {program}").format(
                              program="PowerShell")}[wanted])


def spoken_language(language: str) -> str:
    """The language to speak for the one shown: "en", "de" or "es"."""
    return language if language in SPOKEN else "en"


def command(name: str, text: str | None, language: str, voice: str | None = None) -> list[str]:
    """The command line that says `text` (None: that stops the speech) in `language`, with
    macOS' `voice` (None: its default)."""
    language = spoken_language(language)
    if name == "spd-say":
        if text is None:
            return ["spd-say", "-N", APP_NAME, "-S"]
        return ["spd-say", "-N", APP_NAME, "-P", "text", "-l", language, "--", text]
    if name == "say":
        assert text is not None
        return ["say", *(["-v", voice] if voice else []), "--", text]
    return ["powershell", "-NoProfile", "-NonInteractive", "-Command",
            POWERSHELL_SCRIPT.replace("LANGUAGE", language)]  # the last argument: see there


def mac_voice(language: str, listing: str) -> str | None:
    """The voice `say` should speak `language` with, from `say -v ?`'s listing (lines of name,
    locale, "#" and a sample: "Eddy (German (Germany)) de_DE    # Hallo! Ich heiße Eddy.");
    None: none speaks it, the default voice it is."""
    language = spoken_language(language)
    voices = []
    for line in listing.splitlines():
        head = line.split("#", 1)[0].rstrip()
        parts = head.rsplit(None, 1)
        if len(parts) == 2 and parts[1].replace("-", "_").split("_")[0].lower() == language:
            voices.append(parts[0].strip())
    for name in MAC_VOICES.get(language, ()):
        if name in voices:
            return name
    return next((name for name in voices if name not in MAC_NOVELTY
                 and name.split(" (")[0] not in MAC_NOVELTY), None)


def _mac_voices() -> str:
    try:
        done = subprocess.run(["say", "-v", "?"], capture_output=True, text=True, timeout=5,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


class Voice:
    """Says texts one after another on its own thread (`pointbreak-voice`). `say` and `cancel`
    return at once."""

    def __init__(self, language: str = "en", *, found: Found | None = None,
                 spawn: Callable[..., Any] = subprocess.Popen,
                 mac_voices: Callable[[], str] = _mac_voices) -> None:
        self.language = spoken_language(language)
        self.found = found or find()
        self.spawn = spawn
        self._mac_voices = mac_voices
        self._voice: str | None = None  # macOS' voice for the language, asked for once
        self._is_voice_chosen = False
        self._queue: deque[str | None] = deque()  # a text to say, or None: stop
        self._wake = threading.Condition()
        self._speaking: Any = None  # the process that speaks now (say, PowerShell)
        self._may_speak_until = 0.0  # spd-say: until when the last text may still be heard
        self._is_closed = False
        self._thread: threading.Thread | None = None
        self.is_broken = self.found.name == choosing.NONE
        log.info("voice: %s (%s)", self.found.name, self.found.reason)

    def say(self, text: str) -> None:
        self._put(text)

    def cancel(self) -> None:
        self._put(None)

    def _put(self, item: str | None) -> None:
        if self.is_broken:
            return
        with self._wake:
            if item is None:
                self._queue.clear()
            else:  # only the newest text is worth saying; a stop asked before it still runs
                while self._queue and self._queue[-1] is not None:
                    self._queue.pop()
            self._queue.append(item)
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pointbreak-voice",
                                            daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop speaking and end the thread (the window has closed)."""
        if self._thread is None:
            return
        self.cancel()
        with self._wake:
            self._is_closed = True
            self._wake.notify()
        self._thread.join(CLOSE_WAIT)  # the stop, if spd-say answers; never long after

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._is_closed:
                    self._wake.wait()
                if not self._queue:
                    return
                item = self._queue.popleft()
            try:
                self._do(item)
            except (OSError, subprocess.SubprocessError) as error:
                log.warning("voice: %s failed (%s); the voice is off", self.found.name, error)
                self.is_broken = True
                return

    def _mac_voice(self) -> str | None:
        if not self._is_voice_chosen:  # on the voice's thread: `say -v ?` may take a moment
            self._is_voice_chosen = True
            self._voice = mac_voice(self.language, self._mac_voices())
            log.info("voice: macOS' %s for %s", self._voice or "default voice", self.language)
        return self._voice

    def _do(self, text: str | None) -> None:
        name = self.found.name
        self._stop_speaking()
        if name == "spd-say" and text is None and time.monotonic() > self._may_speak_until:
            return  # ours is over: a stop now would only cut into a screen reader's words
        line: list[str] | None = None
        if name == "spd-say":  # spd-say hands the text over and ends: wait, to keep the order
            line = command(name, text, self.language)
            process = self.spawn(line, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
            try:
                _, error = process.communicate(timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise subprocess.SubprocessError("spd-say did not finish") from None
            if process.returncode != 0:
                said = (error or b"").decode(errors="replace").strip().splitlines()
                raise subprocess.SubprocessError(said[-1] if said else
                                                 f"exit status {process.returncode}")
            # Speech runs at about 15 characters a second: after that, and a margin, it is over.
            self._may_speak_until = (time.monotonic() + len(text) / 12 + 3) if text else 0.0
        elif text is not None:  # say, PowerShell: the process speaks until it ends
            options: dict[str, Any] = {"stdout": subprocess.DEVNULL,
                                       "stderr": subprocess.DEVNULL}
            if name == "powershell":
                options["stdin"] = subprocess.PIPE
                if sys.platform == "win32":
                    options["creationflags"] = CREATE_NO_WINDOW
            else:
                options["stdin"] = subprocess.DEVNULL
            line = command(name, text, self.language,
                           self._mac_voice() if name == "say" else None)
            self._speaking = self.spawn(line, **options)
            if name == "powershell":
                self._speaking.stdin.write(text.encode("utf-8"))
                self._speaking.stdin.close()
        testhooks.speech_log({"cancel": True} if text is None
                             else {"say": text, "language": self.language, "command": line})

    def _stop_speaking(self) -> None:
        process, self._speaking = self._speaking, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()


# --- is a screen reader running? ------------------------------------------------------------

def screen_reader(system: str | None = None, *, proc: Path = Path("/proc"),
                  gsettings: Callable[[], str | None] | None = None,
                  windows_flag: Callable[[], bool] | None = None,
                  defaults: Callable[[], str | None] | None = None) -> str | None:
    """The screen reader that runs for this person, named, or None. Each system's question is
    a parameter, for the tests."""
    system = system or choosing.system_of()
    if system == "linux":
        if _orca_runs(proc):
            return "Orca"
        value = (gsettings or _gsettings)()
        return "the screen reader (GNOME's setting is on)" if value == "true" else None
    if system == "windows":
        return "a screen reader (Windows says one runs)" if (windows_flag or _spi)() else None
    if system == "macos":
        return "VoiceOver" if ((defaults or _voiceover)() or "").strip() == "1" else None
    return None


def _orca_runs(proc: Path) -> bool:
    me = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = list(proc.iterdir())
    except OSError:
        return False
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "orca":
                continue
            if me is None or entry.stat().st_uid == me:
                return True
        except OSError:
            continue  # gone, or not ours to read
    return False


def _gsettings() -> str | None:
    if shutil.which("gsettings") is None:
        return None
    try:
        done = subprocess.run(["gsettings", "get", "org.gnome.desktop.a11y.applications",
                               "screen-reader-enabled"], capture_output=True, text=True,
                              timeout=3, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _spi() -> bool:
    import ctypes

    flag = ctypes.c_int(0)
    user32 = ctypes.windll.user32  # type: ignore[attr-defined,unused-ignore]
    if not user32.SystemParametersInfoW(SPI_GETSCREENREADER, 0, ctypes.byref(flag), 0):
        return False
    return bool(flag.value)


def _voiceover() -> str | None:
    try:
        done = subprocess.run(["defaults", "read", "com.apple.universalaccess",
                               "voiceOverOnOffKey"], capture_output=True, text=True, timeout=3,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
