"""The real `pointbreak` command in a subprocess, with a private profile."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tray import __version__
from tray.core.model import Kind, Outcome, Record, State
from tray.store import Store

BERLIN = ZoneInfo("Europe/Berlin")


def today_at(hour: int, minute: int = 0) -> datetime:
    now = datetime.now(BERLIN)
    return now.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(UTC)


def test_status_on_an_empty_profile(profile) -> None:
    result = profile.run("status")
    assert result.returncode == 0, result.stderr
    assert "is not running" in result.stdout
    assert "Today: 0 of 5" in result.stdout
    assert "Prompts shown today: none" in result.stdout
    assert result.stderr == ""


def test_status_after_recorded_prompts(profile) -> None:
    day = datetime.now(BERLIN).date()

    def prompt(seq: int, hour: int, outcome: Outcome, kind: Kind = Kind.PROMPT, snoozes=0):
        shown = today_at(hour)
        return Record(seq=seq, kind=kind, day=day, shown_at=shown, outcome=outcome,
                      ended_at=shown + timedelta(minutes=6), snoozes=snoozes,
                      snoozed_for=timedelta(minutes=10 * snoozes))

    store = Store(profile.store)
    store.save(State(seq=4, is_paused=True, paused_until=None), [
        prompt(1, 10, Outcome.COMPLETED), prompt(2, 12, Outcome.SKIPPED, snoozes=2),
        prompt(3, 14, Outcome.COMPLETED), prompt(4, 15, Outcome.COMPLETED, Kind.SESSION),
        # yesterday's do not count
        Record(seq=5, kind=Kind.PROMPT, day=day - timedelta(days=1),
               shown_at=today_at(10) - timedelta(days=1), outcome=Outcome.COMPLETED)])
    result = profile.run("status")
    assert result.returncode == 0, result.stderr
    assert "Today: 3 of 5" in result.stdout
    assert ("Prompts shown today: 3 (10:00 completed, 12:00 skipped, snoozed 2x, "
            "14:00 completed)") in result.stdout
    assert "Sessions started by hand: 1" in result.stdout
    assert "Paused until resumed." in result.stdout


def test_status_past_the_cap_says_what_the_guidance_is(profile) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 2\n")
    day = datetime.now(BERLIN).date()
    Store(profile.store).save(None, [
        Record(seq=n, kind=Kind.SESSION, day=day, shown_at=today_at(9, n), ended_at=today_at(9, n),
               outcome=Outcome.COMPLETED) for n in (1, 2)])
    result = profile.run("status")
    assert "Today: 2 of 2 (the guidance is up to 5 a day)" in result.stdout


def test_history_counts_each_day(profile) -> None:
    day = datetime.now(BERLIN).date()
    Store(profile.store).save(None, [
        Record(seq=1, kind=Kind.PROMPT, day=day, shown_at=today_at(10), outcome=Outcome.IGNORED),
        Record(seq=2, kind=Kind.PROMPT, day=day, shown_at=today_at(12),
               outcome=Outcome.STOPPED_EARLY, step=3, snoozes=1)])
    result = profile.run("history", "--days", "2")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 7  # header, 2 days, blank, 3 summary lines
    # prompts, done, stopped early, skipped, ignored, failed, routines, snoozes
    assert lines[2].split() == [f"{day:%a}", day.isoformat(), "2", "0", "1", "0", "1", "0", "0",
                                "1"]
    assert lines[4].startswith("In these 2 days: 0 routines completed, 2 prompts, 1 snooze")


def test_settings_path_and_show(profile) -> None:
    result = profile.run("settings", "path")
    assert result.stdout.strip() == str(profile.settings)
    result = profile.run("settings")
    assert result.returncode == 0 and "daily_cap = 5" in result.stdout
    assert profile.settings.exists()  # created with commented defaults on first use


def test_settings_show_lists_every_key_in_use_as_toml(profile) -> None:
    import tomllib

    from tray.config import schema

    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text('[breaks]\ndaily_cap = 2\n[do_not_disturb]\ncalls = false\n'
                                'hold_minutes = 10\n[routine]\nname = "not-here"\n')
    result = profile.run("settings", "show")
    assert result.returncode == 0
    assert 'no routine named "not-here"' in result.stderr  # and the one in use is shown
    shown = tomllib.loads(result.stdout)  # the whole listing is TOML, its notes comments
    expected = schema.values_of(schema.Settings(daily_cap=2, hold_during_calls=False,
                                                hold_minutes=10))
    assert shown == {section: {name: value for (s, name), value in expected.items()
                               if s == section} for section in schema.SECTIONS}
    lines = result.stdout.splitlines()
    assert "daily_cap = 2  # 1 to 5 prompts a day" in lines
    assert "hold_minutes = 10  # 1 to 120 minutes" in lines
    assert 'theme = "light"  # "light" or "dark"' in lines
    assert lines[-1].startswith('# The routine "upper-back-hands-only": 4 rounds, ')


def test_a_broken_settings_file_is_reported_and_the_command_goes_on(profile) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 9\n")
    result = profile.run("status")
    assert result.returncode == 0
    assert "daily_cap" in result.stderr and "got 9" in result.stderr
    assert str(profile.settings) in result.stderr
    assert "Today: 0 of 5" in result.stdout


def test_a_corrupt_store_is_moved_aside_and_reported(profile) -> None:
    profile.store.mkdir(parents=True)
    (profile.store / "state.json").write_text("{not json")
    result = profile.run("status")
    assert result.returncode == 0
    assert "could not be read" in result.stderr and "kept as state.json.unreadable-" in (
        result.stderr)
    kept = [p for p in profile.store.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_text() == "{not json"


def test_plan_crosses_the_repeated_hour_in_berlin(profile) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text('[active_hours]\nstart = "00:00"\nend = "24:00"\n'
                                'days = ["mon","tue","wed","thu","fri","sat","sun"]\n')
    result = profile.run("plan", "--date", "2026-10-25")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("01:30 CEST  prompt 1: completed")
    assert lines[1].startswith("02:06 CET  prompt 2: completed")  # 6:05 routine
    assert len(lines) == 6 and lines[-1].startswith("No more prompts: 5 routines completed")


def test_plan_for_a_normal_day_with_snoozes(profile) -> None:
    result = profile.run("plan", "--date", "2026-11-25", "--answer", "snoozed")
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["10:30", "12:30", "14:30", "16:30"]
    assert "shown again at 10:40, 10:50, 11:00" in lines[0]
    assert "end of active hours (18:00)" in lines[-1]


@pytest.mark.parametrize(("answer", "says"), [
    ("completed", "No more prompts: 1 routine completed, the daily cap"),
    ("ignored", "No more prompts: the daily cap of 1 prompt is reached."),
])
def test_plan_says_a_cap_of_one_in_the_singular(profile, answer: str, says: str) -> None:
    profile.settings.parent.mkdir(parents=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 1\n")
    result = profile.run("plan", "--date", "2026-11-25", "--answer", answer)
    assert result.returncode == 0 and result.stdout.splitlines()[-1].startswith(says), (
        result.stdout)


def test_plan_on_a_day_off_names_the_weekday(profile) -> None:
    result = profile.run("plan", "--date", "2026-11-29")  # a Sunday: not an active day
    assert result.stdout == "No prompts: Sunday is not an active day.\n", result.stdout


@pytest.mark.parametrize("args", [
    ["snooze", "0"], ["snooze", "121"], ["snooze", "ten"], ["pause", "3x"], ["pause", "25h"],
    ["pause", "0m"], ["plan", "--date", "2026-13-01"], ["plan", "--answer", "maybe"],
    ["history", "--days", "0"], ["history", "--days", "many"], ["settings", "remove"],
    ["frobnicate"], ["--bogus"], ["status", "extra"],
], ids=lambda a: "-".join(a))
def test_bad_arguments_exit_2_with_a_clear_message(profile, args) -> None:
    result = profile.run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: pointbreak")
    assert "error:" in result.stderr
    bad = args[-1]
    assert bad in result.stderr  # the message names what was wrong
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["now", "snooze", "skip", "pause", "resume", "quit"])
def test_tray_commands_without_a_tray_say_so(profile, command) -> None:
    result = profile.run(command)
    assert result.returncode == 1
    assert "not running" in result.stderr


def test_no_display_says_a_desktop_session_is_needed(profile) -> None:
    result = profile.run()
    assert result.returncode == 1 and "needs a desktop session" in result.stderr


def test_version_and_help(profile) -> None:
    assert profile.run("--version").stdout.strip() == f"Pointbreak {__version__}"
    result = profile.run("--help")
    assert result.returncode == 0
    for command in ("status", "history", "settings", "plan", "snooze", "pause"):
        assert command in result.stdout


def test_run_module_is_how_a_frozen_build_starts_its_windows(profile) -> None:
    result = profile.run("--run-module", "routines", "--help")
    assert result.returncode == 0 and "python -m routines" in result.stdout
    refused = profile.run("--run-module", "os", "x")
    assert refused.returncode == 2 and (
        "takes routines, tray.ui.panel, tray.ui.settings_window, tray.ui.history_window, not 'os'"
        in refused.stderr)


def test_status_takes_the_records_over_a_stale_count_in_the_state(profile) -> None:
    from tray.core.model import DayCount

    day = datetime.now(BERLIN).date()
    Store(profile.store).save(State(counts=(DayCount(day, 1, 0),)), [
        Record(seq=n, kind=Kind.SESSION, day=day, shown_at=today_at(9, n),
               ended_at=today_at(9, n), outcome=Outcome.COMPLETED) for n in (1, 2)])
    assert "Today: 2 of 5" in profile.run("status").stdout


@pytest.mark.parametrize(("args", "words"), [
    (["history", "--export", "out.txt"], "must end in .csv or .json"),
    (["history", "--csv", "--export", "out.csv"], "not allowed with argument"),
    (["history", "--until", "25.11.2026"], "a date is YYYY-MM-DD"),
])
def test_bad_history_arguments_exit_2(profile, args, words) -> None:
    result = profile.run(*args)
    assert result.returncode == 2 and words in result.stderr


def test_history_export_that_cannot_be_written_says_where(profile, tmp_path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    target = not_a_folder / "all.json"  # a file as its folder: refused even for root
    result = profile.run("history", "--export", str(target))
    assert result.returncode == 1
    assert f"Cannot write {target}" in result.stderr
    assert not_a_folder.read_text() == "mine"


def test_history_export_writes_every_record(profile, tmp_path) -> None:
    day = datetime.now(BERLIN).date()
    Store(profile.store).save(None, [
        Record(seq=n, kind=Kind.PROMPT, day=day - timedelta(days=100 * n), shown_at=today_at(10)
               - timedelta(days=100 * n), outcome=Outcome.COMPLETED) for n in (0, 1, 2, 3)])
    result = profile.run("history", "--export", str(tmp_path / "all.json"))
    assert result.returncode == 0 and "4 records written" in result.stdout
    rows = json.loads((tmp_path / "all.json").read_text())["records"]
    assert [r["seq"] for r in rows] == [3, 2, 1, 0]  # oldest first, 300 days back included
