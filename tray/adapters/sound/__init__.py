"""Sounds that are heard: the routine's chimes played by the system's own player, never blocking.

- Windows: `winsound.PlaySound(file, SND_FILENAME | SND_ASYNC | SND_NODEFAULT)` (it cannot
  play from memory asynchronously, so the sound is a file).
- macOS: `afplay FILE`.
- Linux: the first of `pw-play`, `paplay`, `aplay`, `canberra-gtk-play` that is installed and
  whose sound server answers here (a PipeWire or PulseAudio socket, an ALSA card, a display).
  A player that then fails (exits with an error) is dropped and the same sound is played by the
  next one.
- Where none works: the window's bell (silent on most Linux desktops, the system's alert sound
  on Windows and macOS), said by `doctor`.

The volume (0-100 %) scales the samples, so it works with every player: each sound is written
once, at the person's level, into a private temporary folder removed when the window closes.
`POINTBREAK_SOUND=<player>|bell|none` forces one (tests, or a person debugging).
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import wave
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tray.adapters import choosing
from tray.base.i18n import _

log = logging.getLogger(__name__)

VARIABLE = "POINTBREAK_SOUND"
LINUX_PLAYERS = ("pw-play", "paplay", "aplay", "canberra-gtk-play")
POLL_MS = 100  # how often a playing sound is looked at, to move on from a failed player

# winsound's own values (Windows' mmsystem.h), for the faithful fake in the tests too.
SND_ASYNC, SND_NODEFAULT, SND_FILENAME = 0x0001, 0x0002, 0x00020000


def level(volume: int) -> float:
    """The samples' factor for a volume of 0-100 %: its square, so that equal steps sound about
    equally far apart (70 %, the default, is 0.49: about 6 dB down)."""
    return (max(0, min(100, volume)) / 100) ** 2


@dataclass(frozen=True)
class Found:
    """Which player plays here, and why (for `doctor`); `name` "bell" when none does."""

    name: str
    reason: str
    players: tuple[str, ...] = ()  # every player that answers here, the chosen one first


def _is_socket(path: Path) -> bool:
    try:
        return stat.S_ISSOCK(path.stat().st_mode)
    except OSError:
        return False


def _runtime(env: Mapping[str, str]) -> Path | None:
    folder = env.get("XDG_RUNTIME_DIR")
    return Path(folder) if folder else None


def _linux_reason(player: str, env: Mapping[str, str],
                  which: Callable[[str], str | None]) -> str | None:
    """Why `player` can play here, or None when it cannot (not installed, no server)."""
    if which(player) is None:
        return None
    runtime = _runtime(env)
    if player == "pw-play":
        remote = env.get("PIPEWIRE_REMOTE", "pipewire-0")
        if remote.startswith("/"):
            socket = Path(remote)
        elif runtime is not None:
            socket = runtime / remote
        else:
            return None
        return _("a PipeWire server at {path}").format(path=socket) if _is_socket(socket) else None
    if player == "paplay":
        if env.get("PULSE_SERVER"):
            return _("the PulseAudio server {address}").format(address=env["PULSE_SERVER"])
        if runtime is None or not _is_socket(runtime / "pulse" / "native"):
            return None
        return _("a PulseAudio server at {path}").format(path=runtime / "pulse" / "native")
    if player == "aplay":
        try:
            cards = Path("/proc/asound/cards").read_text()
        except OSError:
            return None
        return _("an ALSA sound card") if cards.strip() and "no soundcards" not in cards else None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):  # canberra-gtk-play: a GTK display
        return _("libcanberra on this display")
    return None


def find(system: str | None = None, env: Mapping[str, str] | None = None,
         which: Callable[[str], str | None] = shutil.which) -> Found:
    """The player for this system and session, without playing anything."""
    system = system or choosing.system_of()
    env = os.environ if env is None else env
    names = ("winsound", "afplay", *LINUX_PLAYERS, "bell", choosing.NONE)
    forced = choosing.asked_for(VARIABLE, names, env)
    if forced is not None:
        return Found(forced, f"{VARIABLE}={forced}", () if forced in ("bell", "none")
                     else (forced,))
    if system == "windows":
        return Found("winsound", _("Windows plays sound files itself"), ("winsound",))
    if system == "macos":
        if which("afplay"):
            return Found("afplay", _("macOS's {program}").format(program="afplay"), ("afplay",))
        return Found("bell", _("{program} is missing").format(program="afplay"))
    found = [(p, r) for p in LINUX_PLAYERS if (r := _linux_reason(p, env, which)) is not None]
    if not found:
        installed = [p for p in LINUX_PLAYERS if which(p)]
        why = (_("{programs} installed, but no sound server answers").format(
                   programs=", ".join(installed)) if installed
               else _("none of {programs} is installed").format(programs=", ".join(LINUX_PLAYERS)))
        return Found("bell", why)
    return Found(found[0][0], found[0][1], tuple(p for p, _reason in found))


class WinSound(Protocol):
    def PlaySound(self, sound: str | None, flags: int) -> None: ...


def _winsound() -> WinSound:
    import winsound  # type: ignore[import-not-found,unused-ignore]

    return winsound  # type: ignore[no-any-return,return-value,unused-ignore]


class Chimes:
    """The routine window's sounds: `play(name)` returns at once. `after` is Tk's `after` (the
    window's own thread looks at a playing sound, so nothing here needs a thread); `bell` rings
    the window's bell."""

    def __init__(self, sources: Mapping[str, Path], volume: int, bell: Callable[[], None],
                 after: Callable[[int, Callable[[], None]], Any], *, found: Found | None = None,
                 spawn: Callable[..., Any] = subprocess.Popen,
                 winsound: Callable[[], WinSound] = _winsound) -> None:
        self.sources = dict(sources)
        self.factor = level(volume)
        self.bell, self.after, self.spawn, self._winsound = bell, after, spawn, winsound
        self.found = found or find()
        self.players = list(self.found.players)
        self.playing: list[tuple[Any, str, str]] = []  # (process, player, sound)
        self._folder: Path | None = None
        self._files: dict[str, Path] = {}
        self._is_polling = False
        log.info("sound: %s (%s)", self.found.name, self.found.reason)

    def play(self, name: str) -> None:
        if self.factor == 0 or self.found.name == choosing.NONE:
            return
        try:
            path = self._file(name)
        except (OSError, wave.Error, EOFError) as error:
            log.warning("sound: %s cannot be prepared (%s); the bell instead", name, error)
            path = None
        if path is None or not self.players:
            self.bell()
            return
        self._start(name, path)

    def _start(self, name: str, path: Path) -> None:
        while self.players:
            player = self.players[0]
            try:
                if player == "winsound":
                    self._winsound().PlaySound(str(path),
                                               SND_FILENAME | SND_ASYNC | SND_NODEFAULT)
                    return
                process = self.spawn(_command(player, path), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     close_fds=True)
            except (OSError, RuntimeError, subprocess.SubprocessError) as error:
                self._drop(player, str(error) or type(error).__name__)
                continue
            self.playing.append((process, player, name))
            self._poll_soon()
            return
        self.bell()

    def _drop(self, player: str, why: str) -> None:
        if player not in self.players:
            return  # dropped already, for another sound
        self.players.remove(player)
        log.warning("sound: %s failed (%s); %s", player, why,
                    f"{self.players[0]} instead" if self.players else "the bell instead")

    def _poll_soon(self) -> None:
        if not self._is_polling:
            self._is_polling = True
            self.after(POLL_MS, self.poll)

    def poll(self) -> None:
        """Reap the sounds that ended; play again, by the next player, one whose player failed."""
        self._is_polling = False
        for entry in list(self.playing):
            process, player, name = entry
            code = process.poll()
            if code is None:
                continue
            self.playing.remove(entry)
            if code != 0:
                self._drop(player, f"exit status {code}")
                self._start(name, self._files[name])
        if self.playing:
            self._poll_soon()

    def _file(self, name: str) -> Path:
        """The sound at the person's volume, written once into the private folder."""
        if name not in self._files:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="pointbreak-sounds-"))
            path = self._folder / f"{name}.wav"
            scale(self.sources[name], path, self.factor)
            self._files[name] = path
        return self._files[name]

    def close(self) -> None:
        """The window is closing: sounds already playing play to their end (the end chime);
        the folder goes (a player that has the file open still reads it on Linux and macOS;
        Windows keeps a file in use, which is then left to the system's temporary folder)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _command(player: str, path: Path) -> list[str]:
    if player == "aplay":
        return ["aplay", "-q", str(path)]
    if player == "canberra-gtk-play":
        return ["canberra-gtk-play", "-f", str(path)]
    return [player, str(path)]


def scale(source: Path, target: Path, factor: float) -> None:
    """Copy a 16-bit WAV with its samples times `factor`."""
    with wave.open(str(source), "rb") as inp:
        params = inp.getparams()
        if params.sampwidth != 2:
            raise wave.Error(f"{source} is not 16-bit")
        data = array("h", inp.readframes(params.nframes))
    if sys.byteorder == "big":
        data.byteswap()
    data = array("h", (max(-32768, min(32767, round(v * factor))) for v in data))
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(data.tobytes())
