"""The history window under Xvfb, and deleting history through the running tray.

The store holds a generated year (tests/helpers.py: sample_year, the rule test_history.py
counts by hand)."""

from __future__ import annotations

import subprocess
import tkinter as tk
from datetime import date, datetime, timedelta

import pytest
from conftest import BIN
from desktop import wait_for
from helpers import BERLIN, sample_year

from tray.config.paths import folders
from tray.core import history
from tray.ipc import client, protocol
from tray.ipc.commands import Command, Reply, Request
from tray.store import Store

pytestmark = pytest.mark.e2e

TODAY = date(2026, 11, 25)


def seed(profile, today: date) -> list:
    records = sample_year(today)
    store = Store(profile.store)
    store.save(records=records)
    store.close()
    return records


def test_the_window_opens_from_the_command_line(desktop, profile) -> None:
    seed(profile, datetime.now(BERLIN).date())
    profile.env.update(desktop.env)
    process = subprocess.Popen([str(BIN / "pointbreak"), "history", "--window"],
                               env=profile.env)
    try:
        window = wait_for(lambda: desktop.visible_windows("^Pointbreak history$"),
                          what="the history window")[0]
        desktop.screenshot(profile.artifacts("history-window") / "four-weeks.png")
        desktop.keys(window, "alt+y")  # a year: a bar per week
        desktop.screenshot(profile.artifacts("history-window") / "a-year.png")
        desktop.keys(window, "Escape")
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()


@pytest.fixture
def window(desktop, profile, monkeypatch):
    from tray.ui.history_window import HistoryWindow

    for name, value in desktop.env.items():
        monkeypatch.setenv(name, value)
    records = seed(profile, TODAY)

    def not_running(request: Request) -> Reply:
        raise protocol.TrayNotRunning("no tray in this test")

    root = tk.Tk()
    shown = HistoryWindow(root, folders(), send=not_running, today=TODAY)
    root.update()
    yield shown, records
    root.destroy()


def test_four_weeks_a_year_and_a_chosen_range(window, profile) -> None:
    shown, records = window
    first = TODAY - timedelta(days=27)
    days = history.by_day(records, first, TODAY, frozenset(range(5)))
    total = history.totals(days)
    summary = shown.summary.get()
    assert summary.startswith("October 29, 2026 to November 25, 2026. ")
    assert f"{total.routines} routines completed, {total.prompts} prompts" in summary
    assert "Streak on Nov 25: 9 active days in a row" in summary
    bars = len(shown.canvas.find_all())
    assert bars > 28  # at least a bar or a label per day
    shown.show_range(365)
    assert "(a bar per week)" in shown.summary.get()
    shown.first.set("2026-13-01")
    shown.show_chosen()
    assert shown.range_error.get() == "Dates are YYYY-MM-DD, such as 2026-11-01."
    shown.first.set("2026-11-20")
    shown.last.set("2026-11-10")
    shown.show_chosen()
    assert shown.range_error.get() == "The first day must come before the last."
    shown.last.set("2026-11-24")
    shown.show_chosen()
    assert shown.range_error.get() == "" and shown.summary.get().startswith(
        "November 20, 2026 to November 24, 2026. 3 routines completed, 3 prompts")


def test_export_writes_every_record(window, tmp_path) -> None:
    shown, records = window
    assert shown.export(tmp_path / "all.json")
    assert (tmp_path / "all.json").read_text() == history.export(records, BERLIN, "json")
    assert shown.export(tmp_path / "all.csv")
    assert (tmp_path / "all.csv").read_text() == history.export(records, BERLIN, "csv")
    assert shown.export(tmp_path / "missing" / "all.csv") is False
    assert "Cannot write" in shown.message.get()


def test_delete_without_a_tray_keeps_today_and_the_kept_aside_files_go_too(window,
                                                                          profile) -> None:
    shown, records = window
    aside = profile.store / "2026-01.json.unreadable-20260101T000000"
    aside.write_text("{ broken")
    shown.aside = [aside]
    message = shown.forget()
    before = sum(1 for r in records if r.day < TODAY)
    assert message == f"{before} history records before today deleted."
    assert shown.delete_aside() == "1 kept-aside file deleted." and not aside.exists()
    left = Store(profile.store).records(date.min, date.max)
    assert [r.day for r in left] == [TODAY, TODAY]
    text = "".join(p.read_text() for p in profile.store.glob("*.json"))
    assert (TODAY - timedelta(days=1)).isoformat() not in text  # no copy kept in the files
    assert sorted(p.name for p in profile.store.iterdir() if not p.name.startswith(
        f"{TODAY:%Y-%m}")) == ["state.json", "store.lock"]


def test_delete_through_the_running_tray(desktop, start_tray, profile) -> None:
    today = datetime.now(BERLIN).date()
    records = seed(profile, today)
    tray = start_tray()
    before = sum(1 for r in records if r.day < today)
    reply = client.ask(profile.home / "run" / "pointbreak", Request(Command.FORGET))
    assert reply == Reply.done(f"{before} history records before today deleted.")
    left = Store(profile.store).records(date.min, date.max)
    assert {r.day for r in left} == {today}
    assert "Today: 1 of 5" in tray.status()  # the day's count still holds
    assert "history before" in tray.log()


def test_delete_asks_twice_and_offers_the_export_first(window, profile, monkeypatch,
                                                      tmp_path) -> None:
    from tkinter import filedialog, messagebox

    shown, records = window
    answers = {"askyesnocancel": None, "askyesno": True}
    asked: list[str] = []

    def answer(kind: str):
        def ask(title: str, message: str, **_: object):
            asked.append(message)
            return answers[kind]
        return ask

    monkeypatch.setattr(messagebox, "askyesnocancel", answer("askyesnocancel"))
    monkeypatch.setattr(messagebox, "askyesno", answer("askyesno"))
    shown.delete()  # Cancel at "export first?": nothing happens
    assert len(Store(profile.store).records(date.min, date.max)) == len(records)
    answers["askyesnocancel"] = True  # export first, to a file picked in the dialog
    monkeypatch.setattr(filedialog, "asksaveasfilename", lambda **_: str(tmp_path / "all.csv"))
    answers["askyesno"] = False  # ...then No at "delete?": exported, nothing deleted
    shown.delete()
    assert (tmp_path / "all.csv").exists()
    assert len(Store(profile.store).records(date.min, date.max)) == len(records)
    answers["askyesno"] = True
    shown.delete()
    assert [r.day for r in Store(profile.store).records(date.min, date.max)] == [TODAY, TODAY]
    before = sum(1 for r in records if r.day < TODAY)
    assert f"Delete the {before} records before today?" in asked[-1]
    assert shown.message.get() == f"{before} history records before today deleted."
    assert shown.summary.get().startswith(
        "October 29, 2026 to November 25, 2026. 1 routine completed")
