"""What stops working while the tray runs is told once and listed: a full disk under the store
(a real tmpfs of 64 KB), a thread that dies, a detector that logs an error at its edge."""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_rules

from tray.config.paths import Folders
from tray.core.events import StartRequested, TrayStarted
from tray.core.model import State
from tray.shell.app import TrayApp
from tray.shell.runner import EngineRunner
from tray.shell.troubles import DETECTOR_LOGGERS
from tray.store import Store


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A real file system of 64 KB (tmpfs), to be filled up: ENOSPC as a full disk gives it."""
    folder = Path(tempfile.mkdtemp(prefix="pb-disk-", dir="/tmp"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.fail(f"a tmpfs is needed (the tests run as root): {mounted.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as file:
        try:
            while True:
                file.write(b"x" * 512)
        except OSError as error:
            assert error.errno == 28  # ENOSPC
    return filler


def test_a_full_disk_is_told_once_the_count_holds_and_it_saves_when_there_is_room(
        tiny_disk: Path) -> None:
    store = Store(tiny_disk / "history")
    store.save(State(seq=1))
    told: list[str | None] = []
    runner = EngineRunner(make_rules(), State(seq=1), store, on_save_problem=told.append)
    runner.start(TrayStarted(None))
    runner.call(lambda: None)  # its first save is done
    before = Store(store.folder).load_state()
    assert before is not None and before.seq == 1
    filler = fill(tiny_disk)
    for _ in range(3):  # three changes that cannot be saved: one word about it
        runner.ask(StartRequested())
    assert len(told) == 1 and told[0] is not None and "No space left on device" in told[0]
    assert runner.call(lambda: runner.state.seq) > 1  # kept in memory meanwhile
    assert Store(store.folder).load_state() == before  # the old file is whole
    assert [p.name for p in tiny_disk.iterdir() if p.name.endswith(".tmp")] == []
    filler.unlink()
    runner.save_again()  # what the minute tick does
    runner.call(lambda: None)  # after the retry on the engine thread
    assert told[-1] is None  # said again: it works
    saved = Store(store.folder).load_state()
    assert saved is not None and saved.seq == runner.call(lambda: runner.state.seq)
    runner.stop()
    store.close()


@pytest.fixture
def app(profile) -> Iterator[tuple[TrayApp, list[str]]]:
    home = profile.home
    where = Folders(config=home / "c", data=home / "d", log=home / "l", runtime=home / "run")
    tray = TrayApp(where)
    told: list[str] = []

    class Recorder:
        def notify(self, key, title, message, actions, on_action) -> None:
            told.append(message)

    tray.notifier = Recorder()
    saved_hook = threading.excepthook
    tray.troubles.watch_threads()
    try:
        yield tray, told
    finally:
        threading.excepthook = saved_hook
        for name in DETECTOR_LOGGERS:
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)


def test_a_thread_that_dies_is_told_once_and_listed(app) -> None:
    tray, told = app

    def broken() -> None:
        raise ValueError("a detector met something it did not expect")

    for _ in range(2):
        thread = threading.Thread(target=broken, name="pointbreak-camera")
        thread.start()
        thread.join()
    assert told == ["Pointbreak's pointbreak-camera stopped after an error (ValueError); "
                    "see the log."]
    assert tray.troubles.listed() == told


def test_a_detector_that_logs_an_error_and_stops_is_told_once(app) -> None:
    tray, told = app
    calls = logging.getLogger("tray.adapters.quiet.calls")
    for _ in range(2):
        calls.error("microphone watch ended: pactl vanished")
    calls.warning("a warning is not a stop")
    assert told == ["A detector stopped (tray.adapters.quiet.calls: microphone watch ended: "
                    "pactl vanished); prompts still come."]
    tray.troubles.on_save_problem("disk full")
    tray.troubles.on_save_problem("disk full")
    assert len(told) == 2 and "History is not being saved: disk full" in told[1]
    tray.troubles.on_save_problem(None)
    assert "store" not in tray.troubles


def test_status_lists_what_stopped(app) -> None:
    tray, _ = app
    tray.troubles.report("x", "The camera detector stopped.")
    tray.rules = make_rules()
    tray.store = Store(tray.where.data / "history")
    tray.runner = type("R", (), {"state": State()})()
    text = tray.answers.status_text()
    assert text.splitlines()[-1] == "Problem: The camera detector stopped."
    assert text.startswith("Next break at") or "Today: 0 of 5" in text, text


def test_each_message_told_is_a_notification_of_its_own(profile) -> None:
    home = profile.home
    tray = TrayApp(Folders(config=home / "c", data=home / "d", log=home / "l",
                           runtime=home / "run"))
    keys: list[int] = []

    class Recorder:
        def notify(self, key, title, message, actions, on_action) -> None:
            keys.append(key)

    tray.notifier = Recorder()
    tray.tell_all(["one", "two"])  # the summary of start-up problems
    tray.tell("History is not being saved")  # the next: must not replace the summary
    assert len(set(keys)) == len(keys) == 2 and all(key < 1 for key in keys)  # prompts: 1 up


@pytest.mark.parametrize("text, expected", [("2.5", 2.5), ("0", 0.0), ("", None), ("x", None),
                                            ("-1", None), ("nan", None), ("inf", None)])
def test_a_test_knob_that_is_not_a_number_is_ignored(monkeypatch: pytest.MonkeyPatch,
                                                      text: str, expected) -> None:
    from tray.base import testhooks

    monkeypatch.setenv("POINTBREAK_TEST_INTERVAL_SECONDS", text)
    assert testhooks.seconds("INTERVAL") == expected
    assert testhooks.seconds_or("INTERVAL", 7.0) == (7.0 if expected is None else expected)
