"""The settings window under Xvfb: the real `pointbreak settings` in a subprocess, typed into
with xdotool, the file on disk and `pointbreak status` checked after; and the form itself (a
real Tk window on the same display) for the messages beside the fields."""

from __future__ import annotations

import contextlib
import subprocess
import tkinter as tk
import tomllib

import pytest
from desktop import wait_for

from tray.config import settings_edit as edit
from tray.config.paths import folders
from tray.ipc.commands import Reply

pytestmark = pytest.mark.e2e

MINE = """\
# My own notes: keep them.
[breaks]
interval_minutes = 90  # the default, for now
daily_cap = 5

[active_hours]
start = "00:00"
end = "24:00"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

[mine]  # a key Pointbreak does not know
colour = "teal"
"""


def open_window(profile, desktop):
    profile.env.update(desktop.env)
    process = subprocess.Popen([str(profile_bin(profile)), "settings"], env=profile.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    window = wait_for(lambda: desktop.visible_windows("^Pointbreak settings$"),
                      what="the settings window")[0]
    return process, window


def profile_bin(profile):
    from conftest import BIN

    return BIN / "pointbreak"


def test_change_the_interval_and_the_cap_and_save(desktop, start_tray, profile) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(MINE)
    tray = start_tray()
    shots = profile.artifacts("settings-window")
    process, window = open_window(profile, desktop)
    try:
        desktop.screenshot(shots / "opened.png")
        desktop.keys(window, "alt+b")  # Break after: the field's text is selected
        desktop.type(window, "45")
        desktop.keys(window, "alt+p")  # Prompts a day
        desktop.type(window, "3")
        desktop.screenshot(shots / "changed.png")
        assert tomllib.loads(profile.settings.read_text())["breaks"]["daily_cap"] == 5
        desktop.keys(window, "ctrl+s")
        wait_for(lambda: "daily_cap = 3" in profile.settings.read_text(), what="the save")
        desktop.screenshot(shots / "saved.png")
        text = profile.settings.read_text()
        assert "# My own notes: keep them." in text
        assert "interval_minutes = 45  # the default, for now" in text
        assert '[mine]  # a key Pointbreak does not know\ncolour = "teal"' in text
        # The tray took it at once (the window asked it to reload), not at the next minute.
        wait_for(lambda: "Today: 0 of 3" in tray.status(), timeout=5, what="the new cap")
        assert "settings reloaded" in tray.log()
        desktop.keys(window, "Escape")  # nothing unsaved: it closes without asking
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_bad_values_are_named_and_nothing_is_written(desktop, profile) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(MINE)
    shots = profile.artifacts("settings-window")
    process, window = open_window(profile, desktop)
    try:
        desktop.keys(window, "alt+p")
        desktop.type(window, "9")
        desktop.keys(window, "alt+h")  # Active hours: from 18:00 to 09:00
        desktop.type(window, "18:00")
        desktop.keys(window, "Tab")  # to the end: ttk selects a field's text on Tab
        desktop.type(window, "09:00")
        desktop.screenshot(shots / "bad-values.png")
        desktop.keys(window, "ctrl+s", "alt+s")
        assert profile.settings.read_text() == MINE  # nothing written
        desktop.keys(window, "Escape")  # unsaved changes: it asks first (Yes is the default)
        wait_for(lambda: desktop.visible_windows("^Unsaved changes$"), what="the question")
        desktop.screenshot(shots / "close-asks.png")
        desktop.keys(desktop.visible_windows("^Unsaved changes$")[0], "Return")
        assert process.wait(10) == 0
        assert profile.settings.read_text() == MINE
    finally:
        if process.poll() is None:
            process.kill()


def test_a_second_settings_window_brings_the_first_to_the_front(desktop, profile) -> None:
    process, _ = open_window(profile, desktop)
    try:
        second = subprocess.run([str(profile_bin(profile)), "settings"], env=profile.env,
                                capture_output=True, text=True, timeout=30)
        assert second.returncode == 0 and "already open" in second.stdout
        assert len(desktop.visible_windows("^Pointbreak settings$")) == 1
        assert process.poll() is None  # the first one is still open (and was raised)
    finally:
        process.kill()
        process.wait()


# --- the form itself, in this process (a real Tk window on the test display) --------------------


@pytest.fixture
def form(desktop, profile, monkeypatch):
    from tray.ui.settings_window import SettingsWindow

    for name, value in desktop.env.items():
        monkeypatch.setenv(name, value)
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text(MINE)
    asked: list[str] = []
    root = tk.Tk()
    window = SettingsWindow(root, folders(), send=lambda request: asked.append(
        request.command) or Reply.done("Settings reloaded."))
    root.update()
    yield window, asked
    root.destroy()


def typed(window, field, text: str) -> None:
    widget = window.widgets[field]
    widget.delete(0, "end")
    widget.insert(0, text)
    window.root.update()


def test_each_field_says_what_is_wrong_beside_it(form, profile) -> None:
    window, asked = form
    assert "disabled" in window.save_button.state()  # nothing changed yet
    shown_routine = window.vars[("routine", "name")].get()  # by title, kept by name
    assert shown_routine.endswith(" (upper-back-hands-only)") and shown_routine[0].isupper()
    assert window.values()[("routine", "name")] == "upper-back-hands-only"
    typed(window, ("breaks", "daily_cap"), "9")
    assert window.errors[("breaks", "daily_cap")].get() == "Must be a whole number from 1 to 5"
    assert window.error_labels[("breaks", "daily_cap")].winfo_ismapped()
    assert "disabled" in window.save_button.state()
    assert window.save() is False and profile.settings.read_text() == MINE
    typed(window, ("breaks", "daily_cap"), "4")
    typed(window, ("active_hours", "start"), "18:00")
    typed(window, ("active_hours", "end"), "09:00")
    assert window.errors[("active_hours", "end")].get() == "Must be after the start (18:00)"
    # Shown on its own row, between the hours and the days (not under another field).
    end_label = window.error_labels[("active_hours", "end")]
    assert end_label.winfo_ismapped()
    hours_row = window.widgets[("active_hours", "end")].master
    days_row = window.days_row
    assert hours_row.winfo_y() < end_label.winfo_y() < days_row.winfo_y()
    typed(window, ("active_hours", "end"), "19:00")
    assert window.errors[("breaks", "interval_minutes")].get().startswith(
        "Must be shorter than the active hours (18:00-19:00)")
    typed(window, ("breaks", "interval_minutes"), "30")
    assert not any(e.get() for e in window.errors.values())
    assert "disabled" not in window.save_button.state()
    assert window.save() is True and asked == ["reload"]
    data = tomllib.loads(profile.settings.read_text())
    assert data["active_hours"]["start"] == "18:00" and data["breaks"]["interval_minutes"] == 30
    assert window.message.get() == "Saved. Pointbreak uses the new settings now."


def _widgets(widget):
    yield widget
    for child in widget.winfo_children():
        yield from _widgets(child)


def test_the_rows_are_the_schemas_words_ranges_and_choices(form) -> None:
    from tkinter import ttk

    from tray.config import kinds, schema
    from tray.ui.look import access_sequence

    window, _ = form
    texts = {}
    for widget in _widgets(window.root):
        with contextlib.suppress(tk.TclError):  # a frame has no text
            texts.setdefault(str(widget.cget("text")), []).append(widget)
    for key in schema.KEYS:
        if key.label:  # the row's label, its access letter underlined and bound
            text, letter = key.label_text
            (label,) = [w for w in texts.get(text, []) if isinstance(w, ttk.Label)]
            assert int(str(label.cget("underline"))) == letter
            assert letter < 0 or window.root.bind(access_sequence(text[letter]))
        if key.help_text:  # beside the field, or a box's own words
            assert any(text.startswith(key.help_text) for text in texts), key.name
        widget = window.widgets.get(key.field)
        if isinstance(key.kind, kinds.Whole | kinds.Number):
            assert isinstance(widget, ttk.Spinbox)
            assert [float(str(widget.cget(o))) for o in ("from", "to", "increment")] == [
                key.kind.low, key.kind.high, key.kind.step]
        if isinstance(key.kind, kinds.Choice):
            buttons = [w for w in widget.master.winfo_children() if isinstance(w, ttk.Radiobutton)]
            assert [str(b.cget("text")) for b in buttons] == key.kind.labels
    assert [str(w.cget("text")) for w in window.days_row.winfo_children()] == [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_restore_defaults_keeps_comments(form, profile, monkeypatch) -> None:
    from tkinter import messagebox

    window, asked = form
    typed(window, ("breaks", "interval_minutes"), "60")
    monkeypatch.setattr(messagebox, "askyesno", lambda *a, **k: False)
    window.restore_defaults()  # the person said no: nothing changes
    assert window.values()[("breaks", "interval_minutes")] == 60 and asked == []
    monkeypatch.setattr(messagebox, "askyesno", lambda *a, **k: True)
    window.restore_defaults()
    assert window.values() == edit.DEFAULTS and asked == ["reload"]
    text = profile.settings.read_text()
    assert "# My own notes: keep them." in text and 'colour = "teal"' in text
    assert tomllib.loads(text)["active_hours"]["start"] == "09:00"


def test_the_dark_theme_and_a_larger_text_size_are_followed(desktop, profile) -> None:
    from desktop import dominant_colour

    from tray.ui.look import THEMES

    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text('[routine]\ntheme = "dark"\nfont_scale = 1.25\n')
    process, window = open_window(profile, desktop)
    try:
        from PIL import Image

        background = THEMES["dark"]["bg"]
        wanted = tuple(int(background[i:i + 2], 16) for i in (1, 3, 5))

        def painted() -> tuple[int, int] | None:
            """The screenshot's size once the window is painted (a loaded machine maps it
            black first)."""
            shot = desktop.screenshot(profile.artifacts("settings-window") / "dark.png", window)
            with Image.open(shot) as image:
                size = image.size
            return size if dominant_colour(shot, (0, 0, *size)) == wanted else None

        _width, height = wait_for(painted, timeout=30, what="the window painted dark")
        assert height <= 800  # the whole form fits this 1280x800 screen at 1.25x
    finally:
        process.kill()
        process.wait()
