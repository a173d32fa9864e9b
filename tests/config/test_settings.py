"""Settings files, good and bad: every problem names the file, the key, the value and the fix."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from tray.config import settings as settings_file
from tray.config.settings import Settings, Theme, default_text
from tray.core.model import AfterSleep


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "settings.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_the_default_file_is_created_commented_and_reads_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    assert settings_file.ensure_file(path) is None
    text = path.read_text()
    assert text == default_text() and text.count("#") > 10
    assert settings_file.load(path) == (Settings(), [])
    path.write_text("# mine\n")
    settings_file.ensure_file(path)
    assert path.read_text() == "# mine\n"  # never overwritten


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, """
[breaks]
interval_minutes = 45
daily_cap = 3
[active_hours]
start = "07:30"
end = "24:00"
days = ["Mon", "wed", "saturday"]
[routine]
name = "my-own"
rounds = 3
sound = false
font_scale = 2
theme = "dark"
[behaviour]
after_sleep = "continue"
[do_not_disturb]
fullscreen = false
system = false
calls = false
hold_minutes = 10
""")
    values, problems = settings_file.load(path)
    assert problems == []
    assert values.interval == timedelta(minutes=45) and values.daily_cap == 3
    assert values.hours.start == timedelta(hours=7, minutes=30)
    assert values.hours.end == timedelta(hours=24) and values.hours.days == {0, 2, 5}
    assert (values.routine, values.rounds, values.sound) == ("my-own", 3, False)
    assert (values.font_scale, values.theme) == (2.0, Theme.DARK)
    assert values.after_sleep is AfterSleep.CONTINUE
    assert not (values.hold_when_fullscreen or values.hold_when_system_quiet
                or values.hold_during_calls)
    assert values.hold_minutes == 10


BROKEN = {
    # name: (file text, where, words the message must hold, the attribute that fell back)
    "cap-too-high": ("[breaks]\ndaily_cap = 7\n", "[breaks] daily_cap",
                     ["daily_cap", "1 to 5", "got 7"], "daily_cap"),
    "cap-zero": ("[breaks]\ndaily_cap = 0\n", "[breaks] daily_cap", ["got 0"], "daily_cap"),
    "cap-text": ('[breaks]\ndaily_cap = "five"\n', "[breaks] daily_cap", ['got "five"'],
                 "daily_cap"),
    "cap-bool": ("[breaks]\ndaily_cap = true\n", "[breaks] daily_cap", ["got true"],
                 "daily_cap"),
    "interval-short": ("[breaks]\ninterval_minutes = 5\n", "[breaks] interval_minutes",
                       ["15 to 240", "got 5"], "interval"),
    "interval-float": ("[breaks]\ninterval_minutes = 90.5\n", "[breaks] interval_minutes",
                       ["got 90.5"], "interval"),
    "end-before-start": ('[active_hours]\nstart = "18:00"\nend = "09:00"\n',
                         "[active_hours] end", ["end 09:00 must be after start 18:00"], "hours"),
    "bad-clock": ('[active_hours]\nstart = "9am"\n', "[active_hours] start",
                  ['"HH:MM"', 'got "9am"'], "hours"),
    "clock-25": ('[active_hours]\nend = "25:00"\n', "[active_hours] end", ['got "25:00"'],
                 "hours"),
    "no-days": ("[active_hours]\ndays = []\n", "[active_hours] days", ["non-empty list"],
                "hours"),
    "bad-day": ('[active_hours]\ndays = ["funday"]\n', "[active_hours] days", ['"funday"'],
                "hours"),
    "rounds-5": ("[routine]\nrounds = 5\n", "[routine] rounds", ["3 or 4", "got 5"], "rounds"),
    "sound-yes": ('[routine]\nsound = "yes"\n', "[routine] sound", ["true or false"], "sound"),
    "scale-huge": ("[routine]\nfont_scale = 10\n", "[routine] font_scale", ["0.75 to 3.0"],
                   "font_scale"),
    "theme-pink": ('[routine]\ntheme = "pink"\n', "[routine] theme", ['"light" or "dark"'],
                   "theme"),
    "routine-path": ('[routine]\nname = "../../etc/passwd"\n', "[routine] name",
                     ["routine name"], "routine"),
    "after-sleep": ('[behaviour]\nafter_sleep = "nap"\n', "[behaviour] after_sleep",
                    ['"break" or "continue"'], "after_sleep"),
    "calls-yes": ('[do_not_disturb]\ncalls = "yes"\n', "[do_not_disturb] calls",
                  ["true or false", 'got "yes"'], "hold_during_calls"),
    "system-1": ("[do_not_disturb]\nsystem = 1\n", "[do_not_disturb] system",
                 ["true or false", "got 1"], "hold_when_system_quiet"),
    "hold-forever": ("[do_not_disturb]\nhold_minutes = 600\n", "[do_not_disturb] hold_minutes",
                     ["1 to 120", "got 600"], "hold_minutes"),
    "interval-longer-than-hours": ('[breaks]\ninterval_minutes = 120\n[active_hours]\n'
                                   'start = "09:00"\nend = "10:00"\n',
                                   "[breaks] interval_minutes",
                                   ["no break would ever come", "09:00-10:00"], "daily_cap"),
    "section-not-table": ("breaks = 3\n", "breaks", ["[breaks] table"], "daily_cap"),
}


@pytest.mark.parametrize("name", list(BROKEN), ids=list(BROKEN))
def test_a_bad_value_is_reported_and_its_default_used(tmp_path: Path, name: str) -> None:
    text, where, words, attribute = BROKEN[name]
    path = write(tmp_path, text)
    values, problems = settings_file.load(path)
    assert len(problems) == 1, problems
    message = str(problems[0])
    assert problems[0].where == where and str(path) in message
    for word in words:
        assert word in message
    assert getattr(values, attribute) == getattr(Settings(), attribute)
    assert path.read_text() == text  # the file is kept as it was


def test_one_bad_key_costs_only_that_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[breaks]\ninterval_minutes = 60\ndaily_cap = 9\n")
    values, problems = settings_file.load(path)
    assert values.interval == timedelta(minutes=60) and values.daily_cap == 5
    assert [p.where for p in problems] == ["[breaks] daily_cap"]


def test_unknown_keys_and_sections_are_reported_and_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "[breaks]\ncolour = 1\n[extra]\nx = 2\n")
    values, problems = settings_file.load(path)
    assert values == Settings()
    assert sorted(p.where for p in problems) == ["[breaks] colour", "[extra]"]


UNREADABLE = {
    "not-toml": (b"[breaks\ndaily_cap = 3\n", "cannot be read", "line 1"),
    "duplicate-key": (b"[breaks]\ndaily_cap = 3\ndaily_cap = 4\n", "cannot be read", "line 3"),
    "not-utf8": (b"[breaks]\n# caf\xe9\n", "not UTF-8", None),
    "binary": (bytes(range(256)), "cannot be read", None),
}


@pytest.mark.parametrize("name", list(UNREADABLE), ids=list(UNREADABLE))
def test_an_unreadable_file_gives_all_defaults_and_is_left_alone(tmp_path: Path, name) -> None:
    content, words, where = UNREADABLE[name]
    path = write(tmp_path, content)
    values, problems = settings_file.load(path)
    assert values == Settings()
    (problem,) = problems
    assert words in str(problem) and str(path) in str(problem)
    assert "default" in str(problem)
    if where:
        assert where in str(problem)
    assert path.read_bytes() == content


def test_a_folder_where_the_file_should_be(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()
    values, problems = settings_file.load(path)
    assert values == Settings() and "cannot be read" in str(problems[0])
    assert "cannot be created" not in str(settings_file.ensure_file(path) or "")


def test_a_missing_file_is_no_problem(tmp_path: Path) -> None:
    assert settings_file.load(tmp_path / "nope.toml") == (Settings(), [])


def test_the_default_text_is_valid_toml_naming_every_key() -> None:
    data = tomllib.loads(default_text())
    assert set(data) == {"breaks", "active_hours", "routine", "behaviour", "do_not_disturb"}
