"""The chimes and their players: the shipped sounds are the synthesis script's, distinct and soft;
the player is chosen by what answers here, a failing one gives way to the next and at last to
the bell; the volume scales the samples; Windows' winsound and macOS' afplay are called as
those systems take them (faithful fakes: they cannot run here)."""

from __future__ import annotations

import socket
import sys
import wave
from array import array
from pathlib import Path

import pytest
from audio import loudest_frequency, rms
from helpers import tracked_data

from routines import chimes
from routines.routine import CHIMES, chime_sources
from tray.adapters import sound
from tray.adapters.sound import SND_ASYNC, SND_FILENAME, SND_NODEFAULT, Chimes, Found


def read(path: Path) -> tuple[int, list[float]]:
    with wave.open(str(path)) as inp:
        assert (inp.getnchannels(), inp.getsampwidth()) == (1, 2)
        data = array("h", inp.readframes(inp.getnframes()))
        if sys.byteorder == "big":
            data.byteswap()
        return inp.getframerate(), [v / 32768 for v in data]


# --- the sounds themselves ---------------------------------------------------------------------

def test_the_shipped_chimes_are_what_the_script_makes(tmp_path: Path) -> None:
    made = {p.stem: p for p in chimes.main(tmp_path)}
    assert set(made) == set(CHIMES)
    for name, shipped in chime_sources().items():
        rate, ours = read(shipped)
        assert rate == chimes.RATE
        _, fresh = read(made[name])
        assert len(ours) == len(fresh)
        assert max(abs(a - b) for a, b in zip(ours, fresh, strict=True)) <= 1 / 32768, name


def test_each_chime_is_a_soft_tone_of_its_own_pitch() -> None:
    pitches = {}
    for name, path in chime_sources().items():
        rate, samples = read(path)
        pitches[name] = loudest_frequency(samples, rate)
        assert pitches[name] == pytest.approx(chimes.FREQUENCIES[name], rel=0.02), name
        peak = max(abs(v) for v in samples)
        assert 0.7 < peak <= 0.81  # room for the volume; never clipped
        onset = max(abs(v) for v in samples[: rate // 500])  # the first 2 ms: a soft attack
        assert onset < peak / 4, name
        tail = samples[-rate // 200:]  # the last 5 ms: faded out, no click
        assert max(abs(v) for v in tail) < 0.01, name
        # It decays: the last quarter is much quieter than the first.
        quarter = len(samples) // 4
        assert rms(samples[-quarter:]) < rms(samples[:quarter]) / 3, name
    assert len({round(p, -1) for p in pitches.values()}) == 3  # three pitches told apart


def test_the_chimes_are_data_files_the_wheel_and_the_build_carry() -> None:
    # tests/project/test_packaging.py and tests/e2e/test_build.py prove every tracked data file
    # is carried; here: the chimes are such files.
    root = Path(__file__).parents[2]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    chimes = {f"routines/sounds/{n}.wav" for n in ("step", "keep_going", "done")}
    assert chimes <= tracked_data(root)


# --- the volume ---------------------------------------------------------------------------------

def test_the_volume_scales_the_samples_by_its_square(tmp_path: Path) -> None:
    source = chime_sources()["step"]
    _, full = read(source)
    for volume in (0, 40, 70, 100):
        target = tmp_path / f"step-{volume}.wav"
        sound.scale(source, target, sound.level(volume))
        _, scaled = read(target)
        assert rms(scaled) == pytest.approx(rms(full) * (volume / 100) ** 2, abs=2e-4)
    assert sound.level(-5) == 0 and sound.level(500) == 1


# --- choosing the player ----------------------------------------------------------------------

def listening(path: Path) -> socket.socket:
    path.parent.mkdir(parents=True, exist_ok=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()
    return server


def on_path(*names: str):
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_linux_takes_the_first_player_whose_server_answers(tmp_path: Path) -> None:
    run = tmp_path / "run"
    everything = on_path(*sound.LINUX_PLAYERS)
    env = {"XDG_RUNTIME_DIR": str(run)}
    none = sound.find("linux", env, everything)
    assert none.name == "bell" and "no sound server answers" in none.reason
    with listening(run / "pulse" / "native"):
        found = sound.find("linux", env, everything)
        assert (found.name, found.players) == ("paplay", ("paplay",))
        with listening(run / "pipewire-0"):
            found = sound.find("linux", env, everything)
            assert found.players == ("pw-play", "paplay")
        assert sound.find("linux", env, on_path("aplay")).name == "bell"
    assert sound.find("linux", {"PULSE_SERVER": "tcp:host"}, everything).name == "paplay"
    display = sound.find("linux", {"DISPLAY": ":0"}, everything)
    assert display.name == "canberra-gtk-play"
    nothing = sound.find("linux", env, on_path())
    assert nothing.name == "bell" and "none of pw-play" in nothing.reason
    assert sound.find("windows", {}, on_path()).name == "winsound"
    assert sound.find("macos", {}, on_path("afplay")).name == "afplay"
    assert sound.find("linux", {"POINTBREAK_SOUND": "none"}, everything).name == "none"
    wrong = sound.find("linux", {"POINTBREAK_SOUND": "loud", "DISPLAY": ":0"}, everything)
    assert wrong.name == "canberra-gtk-play"  # an unknown name: chosen by itself


class Later:
    """Tk's `after`, driven by the test: the callbacks wait until run."""

    def __init__(self) -> None:
        self.due: list = []

    def __call__(self, _ms: int, callback) -> None:
        self.due.append(callback)

    def run(self, chimes_: Chimes) -> None:
        while self.due:
            for process, _, _ in chimes_.playing:
                process.wait(30)  # the real player's own end, not a delay
            self.due.pop(0)()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the real Linux players")
def test_players_that_fail_for_real_give_way_to_the_next_and_then_to_the_bell(
        tmp_path: Path, monkeypatch) -> None:
    import shutil

    real = [p for p in ("pw-play", "paplay") if shutil.which(p)]
    assert real, "tests/run.sh installs pulseaudio-utils (paplay)"
    # No server anywhere: each real player starts, fails, and the next gets the same sound.
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'nobody'}")
    rings: list[str] = []
    later = Later()
    player = Chimes(chime_sources(), 70, lambda: rings.append("bell"), later,
                    found=Found(real[0], "test", tuple(real)))
    player.play("step")
    later.run(player)
    assert player.players == [] and rings == ["bell"]
    player.play("done")  # none left: the bell at once, no process
    assert rings == ["bell", "bell"] and player.playing == []
    player.close()
    assert not any(tmp_path.glob("pointbreak-sounds-*"))


def test_a_volume_of_zero_plays_nothing() -> None:
    spawned: list = []
    player = Chimes(chime_sources(), 0, lambda: spawned.append("bell"), Later(),
                    found=Found("paplay", "test", ("paplay",)), spawn=spawned.append)
    player.play("step")
    assert spawned == []


# --- Windows and macOS, through faithful fakes ---------------------------------------------------

class FakeWinsound:
    """winsound's PlaySound as Windows behaves: SND_ASYNC returns at once; a file it cannot
    play raises RuntimeError ("Failed to play sound") unless SND_NODEFAULT is missing, when it
    plays the default sound instead."""

    SND_ASYNC, SND_NODEFAULT, SND_FILENAME = 0x0001, 0x0002, 0x00020000

    def __init__(self) -> None:
        self.played: list[tuple[str, int, float]] = []

    def PlaySound(self, sound_: str | None, flags: int) -> None:
        assert flags & self.SND_FILENAME and flags & self.SND_ASYNC
        assert flags & self.SND_NODEFAULT  # else a missing file beeps the system's sound
        try:
            _, samples = read(Path(sound_ or ""))
        except (OSError, wave.Error, EOFError):
            raise RuntimeError("Failed to play sound") from None
        self.played.append((sound_ or "", flags, rms(samples)))


def test_windows_plays_the_file_asynchronously_at_the_volume() -> None:
    fake = FakeWinsound()
    assert (SND_ASYNC, SND_NODEFAULT, SND_FILENAME) == (fake.SND_ASYNC, fake.SND_NODEFAULT,
                                                        fake.SND_FILENAME)
    rings: list[str] = []
    player = Chimes(chime_sources(), 50, lambda: rings.append("bell"), Later(),
                    found=sound.find("windows", {}), winsound=lambda: fake)
    player.play("keep_going")
    ((path, _, level),) = fake.played
    _, full = read(chime_sources()["keep_going"])
    assert level == pytest.approx(rms(full) * 0.25, rel=0.01)
    assert Path(path).name == "keep_going.wav" and rings == []
    player.close()
    player.play("step")  # its file gone with the folder: prepared again
    assert len(fake.played) == 2


def test_windows_falls_back_to_the_bell_when_playsound_fails(tmp_path: Path) -> None:
    fake = FakeWinsound()
    rings: list[str] = []
    broken = tmp_path / "step.wav"
    broken.write_bytes(b"RIFF but not a wave")
    player = Chimes({"step": broken}, 70, lambda: rings.append("bell"), Later(),
                    found=sound.find("windows", {}), winsound=lambda: fake)
    player.play("step")  # cannot be prepared: the bell
    assert rings == ["bell"] and fake.played == []


def test_macos_runs_afplay_with_the_scaled_file() -> None:
    lines: list[list[str]] = []

    class Process:
        def __init__(self, args: list[str], **_options) -> None:
            lines.append(args)
            _, self.samples = read(Path(args[1]))  # afplay reads the file it is given

        def poll(self) -> int:
            return 0

    later = Later()
    player = Chimes(chime_sources(), 100, lambda: None, later,
                    found=sound.find("macos", {}, on_path("afplay")), spawn=Process)
    player.play("done")
    assert lines[0][0] == "afplay" and Path(lines[0][1]).name == "done.wav"
    later.due.pop()()
    assert player.playing == []
