"""The windows in another language, on Xvfb.

- The pseudo-language (LANGUAGE=qps wraps every translated text in ⟦…⟧): each real window
  process (settings, history, the control window, the welcome, About) is run and driven with
  xdotool, into its question boxes too, and every text it showed (the POINTBREAK_TEST_TEXTS
  seam, and the titles as the window manager reads them) has no word outside the brackets but
  the names allowed below. The question boxes' own words are read inside the window (Tk makes
  them in Tcl, where the seam does not look) while they are open.
- No two controls of a window share an access letter, in English, German, Spanish and the
  pseudo-language, and each letter is bound.
- Tk's own words in those boxes (Yes, No) follow the language shown, not LANG.
- Saving another language relabels the settings window at once.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import tkinter as tk
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from desktop import wait_for
from helpers import BERLIN, sample_year, unwrapped_words

from tray.base import i18n, testhooks
from tray.config.paths import folders
from tray.ipc import protocol
from tray.ipc.commands import Reply, Request
from tray.store import Store
from tray.ui.look import access_sequence

pytestmark = pytest.mark.e2e

# Words that stay as they are in every language, so the pseudo-language leaves them unwrapped.
NAMES = ("Pointbreak",  # the program's name (the control window's title, About's heading)
         "English", "Deutsch", "Español")  # each language offered by its own name
BOX = ".__tk__messagebox"
LANGUAGES = ("en", "de", "es", i18n.PSEUDO)


def untranslated(texts: list[str], allowed: tuple[str, ...] = NAMES) -> dict[str, list[str]]:
    return {text: words for text in texts
            if (words := unwrapped_words(text, allowed))}


@pytest.fixture(autouse=True)
def english_afterwards():
    """The windows built in this process switch its language: English again for the tests
    that follow."""
    yield
    i18n.use(i18n.DEFAULT)


# --- the real window processes ------------------------------------------------------------


class Run:
    """A window's own process (`python -m <module>`), in the pseudo-language unless told."""

    def __init__(self, desktop, profile, folder: Path, *command: str, language: str = "qps"):
        self.desktop = desktop
        self.folder = folder
        folder.mkdir(exist_ok=True)
        env = {**profile.env, **desktop.env, "LANGUAGE": language,
               "POINTBREAK_TEST_TEXTS": str(folder)}
        self.process = subprocess.Popen([sys.executable, "-m", *command], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.titles: list[str] = []

    def window(self, pattern: str, what: str) -> str:
        """The visible window whose title matches `pattern`; its title is kept."""
        found = wait_for(lambda: self.desktop.visible_windows(pattern), timeout=20, what=what)[0]
        self.titles.append(self.title(found))
        return found

    def title(self, window: str) -> str:
        """The title as the window manager reads it (Tk writes UTF-8 bytes into WM_NAME)."""
        return subprocess.run(["xdotool", "getwindowname", window], capture_output=True,
                              env={**self.desktop.env, "PATH": "/usr/bin:/bin"},
                              check=True).stdout.decode("utf-8").strip()

    def keys(self, window: str, *keys: str) -> None:
        self.desktop.keys(window, *keys)

    def gone(self, pattern: str) -> None:
        wait_for(lambda: not self.desktop.visible_windows(pattern), what=f"{pattern} to close")

    def ended(self) -> list[str]:
        """Wait for the process to end by itself; every text it showed, with the titles."""
        try:
            assert self.process.wait(15) == 0, self.process.communicate()
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        texts: list[str] = []
        for path in sorted(self.folder.glob("*.json")):
            texts += json.loads(path.read_text(encoding="utf-8"))
        return texts + self.titles


def drive_settings(run: Run) -> None:
    window = run.window("Pointbreak settings", "the settings window")
    run.keys(window, "alt+b")
    run.desktop.type(window, "45")  # an unsaved change
    run.keys(window, "alt+d")  # Restore defaults: a question
    box = run.window("Restore defaults", "the restore question")
    run.keys(box, "alt+n")  # No
    run.gone("Restore defaults")
    run.keys(window, "Escape")  # unsaved changes: a question
    box = run.window("Unsaved changes", "the close question")
    run.keys(box, "Return")  # Yes: close without saving


def drive_history(run: Run) -> None:
    window = run.window("Pointbreak history", "the history window")
    run.keys(window, "alt+y")  # a year: a bar per week, other labels
    run.keys(window, "alt+d")  # Delete history: export first?
    box = run.window("Delete history", "the delete question")
    run.keys(box, "Escape")  # Cancel
    run.gone("Delete history")
    run.keys(window, "Escape")


def drive_panel(run: Run) -> None:
    window = run.window("^Pointbreak$", "the control window")
    run.keys(window, "Return")  # Start a session now: no tray runs, so it says so
    run.keys(window, "Escape")


def drive_welcome(run: Run) -> None:
    run.keys(run.window("Welcome to Pointbreak", "the welcome"), "Escape")  # No


def drive_about(run: Run) -> None:
    run.keys(run.window("About Pointbreak", "About"), "Escape")


WINDOWS: dict[str, tuple[tuple[str, ...], Callable[[Run], None]]] = {
    "settings": (("tray.ui.settings_window",), drive_settings),
    "history": (("tray.ui.history_window",), drive_history),
    "panel": (("tray.ui.panel",), drive_panel),
    "welcome": (("tray.ui.panel", "--welcome"), drive_welcome),
    "about": (("tray.ui.panel", "--about"), drive_about),
}


@pytest.mark.parametrize("name", list(WINDOWS))
def test_every_text_of_a_window_is_translated(name, desktop, profile, tmp_path) -> None:
    store = Store(profile.store)
    store.save(records=sample_year(datetime.now(BERLIN).date()))
    store.close()
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text("[breaks]\ndaily_cap = 9\n")  # the window says so, on top
    command, drive = WINDOWS[name]
    run = Run(desktop, profile, tmp_path / "texts", *command)
    try:
        drive(run)
    finally:
        texts = run.ended()
    assert any("\u27e6" in text for text in texts), texts  # the pseudo-language was shown
    assert len(texts) > 3, texts
    assert name != "settings" or any("[breaks] daily_cap" in text for text in texts), texts
    assert untranslated(texts) == {}


def test_saving_another_language_relabels_the_window_at_once(desktop, profile,
                                                             tmp_path) -> None:
    run = Run(desktop, profile, tmp_path / "texts", "tray.ui.settings_window")
    try:
        window = run.window("Pointbreak settings", "the settings window")
        assert run.titles[-1] == "\u27e6Pointbreak settings\u27e7"
        run.keys(window, "alt+g", "Tab", "space", "ctrl+s")  # Language: English, then save
        wait_for(lambda: run.desktop.visible_windows("^Pointbreak settings$"),
                 what="the title in English")
        assert tomllib.loads(profile.settings.read_text())["routine"]["language"] == "en"
        run.keys(run.window("^Pointbreak settings$", "the window"), "Escape")
    finally:
        texts = run.ended()
    assert "Pointbreak settings" in texts
    assert "Saved. Pointbreak uses them when it starts." in texts  # no tray runs here


# --- the windows in this process: their question boxes, access letters, relabelling ----------


def answer_boxes(root: tk.Misc, answers: list[str]) -> list[list[str]]:
    """Answer each question box that comes, in turn, with the button named in `answers` ("yes",
    "no", "cancel"); each box's title and texts, as they were shown."""
    seen: list[list[str]] = []

    def look() -> None:
        if not answers:
            return
        if int(root.tk.call("winfo", "exists", BOX)):
            seen.append(list(testhooks.tcl_texts(root.tk, BOX)))  # its title first
            root.tk.call(f"{BOX}.{answers.pop(0)}", "invoke")
        root.after(50, look)

    root.after(50, look)
    return seen


def widgets(widget: tk.Misc) -> Iterator[tk.Misc]:
    yield widget
    for child in widget.winfo_children():
        yield from widgets(child)


def shown_texts(root: tk.Tk) -> list[str]:
    texts = [root.title()]
    for widget in widgets(root):
        try:
            if "text" in (widget.configure() or {}):
                texts.append(str(widget.cget("text")))
        except tk.TclError:
            pass
    return [text for text in texts if text.strip()]


def access_letters(root: tk.Misc) -> list[str]:
    """The access letter of each control that has one (its underlined letter)."""
    letters = []
    for widget in widgets(root):
        try:
            index = int(str(widget.cget("underline")))
            text = str(widget.cget("text"))
        except (tk.TclError, ValueError):
            continue
        if 0 <= index < len(text):
            letters.append(text[index].lower())
    return letters


def in_language(language: str, profile, monkeypatch, text: str = "") -> None:
    """The settings file says `language` (the pseudo-language: through LANGUAGE, as "auto")."""
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    if language == i18n.PSEUDO:
        monkeypatch.setenv("LANGUAGE", language)
    else:
        monkeypatch.delenv("LANGUAGE", raising=False)
        text = f'[routine]\nlanguage = "{language}"\n' + text
    profile.settings.write_text(text)


@pytest.fixture
def on_display(desktop, monkeypatch):
    for name, value in desktop.env.items():
        monkeypatch.setenv(name, value)


def not_running(request: Request) -> Reply:
    raise protocol.TrayNotRunning("no tray in this test")


def settings_window(profile):
    from tray.ui.settings_window import SettingsWindow

    root = tk.Tk()
    window = SettingsWindow(root, folders(), send=not_running)
    root.update()
    return root, window


def history_window(profile, today=None):
    from tray.ui.history_window import HistoryWindow

    today = today or datetime.now(BERLIN).date()
    store = Store(profile.store)
    store.save(records=sample_year(today))
    store.close()
    root = tk.Tk()
    window = HistoryWindow(root, folders(), send=not_running, today=today)
    root.update()
    return root, window


def test_the_settings_questions_are_translated(on_display, profile, monkeypatch) -> None:
    in_language(i18n.PSEUDO, profile, monkeypatch)
    root, window = settings_window(profile)
    try:
        restore = answer_boxes(root, ["no"])
        window.restore_defaults()  # No: nothing changes
        window.widgets[("breaks", "daily_cap")].insert("end", "0")  # "50": wrong, unsaved
        root.update()
        close = answer_boxes(root, ["no"])
        window.close()  # No: it stays open
        assert root.winfo_exists()
        boxes = restore + close
        assert len(boxes) == 2, boxes
        texts = [text for box in boxes for text in box] + shown_texts(root)
        assert window.errors[("breaks", "daily_cap")].get() in texts  # said beside the field
        assert untranslated(texts, NAMES) == {}
    finally:
        root.destroy()


def test_the_history_questions_and_answers_are_translated(on_display, profile, monkeypatch,
                                                          tmp_path) -> None:
    in_language(i18n.PSEUDO, profile, monkeypatch)
    root, window = history_window(profile)
    try:
        aside = tmp_path / "history.json.unreadable-20260101T000000"
        aside.write_text("{ broken")
        window.aside = [aside]
        # Not exported first, deleted, the kept-aside file not.
        boxes = answer_boxes(root, ["no", "yes", "no"])
        window.delete()
        assert len(boxes) == 3, boxes
        assert aside.exists()
        texts = [text for box in boxes for text in box] + shown_texts(root)
        texts += [window.message.get(), window.summary.get(), window.hours_title.get()]
        assert window.export(tmp_path / "missing" / "all.csv") is False
        texts.append(window.message.get())
        assert window.export(tmp_path / "all.csv")
        texts.append(window.message.get())
        window.first.set("2026-13-01")
        window.show_chosen()
        texts.append(window.range_error.get())
        assert untranslated(texts, NAMES) == {}
    finally:
        root.destroy()


def test_the_export_dialog_is_asked_in_the_language_shown(on_display, profile, monkeypatch,
                                                          tmp_path) -> None:
    from tkinter import filedialog

    in_language(i18n.PSEUDO, profile, monkeypatch)
    root, window = history_window(profile)
    asked: dict = {}
    monkeypatch.setattr(filedialog, "asksaveasfilename",
                        lambda **options: asked.update(options) or "")
    try:
        assert window.export() is False  # cancelled
        assert untranslated([asked["title"], asked["filetypes"][0][0]]) == {}
        assert asked["initialfile"] == "pointbreak-history.csv"  # a file's name stays
    finally:
        root.destroy()


def test_tks_own_words_follow_the_language_shown(on_display, profile, monkeypatch) -> None:
    in_language("de", profile, monkeypatch)  # LANG says nothing of German here
    root, window = settings_window(profile)
    try:
        boxes = answer_boxes(root, ["no"])
        window.restore_defaults()
        assert {"Ja", "Nein"} <= set(boxes[0])
        assert str(root.tk.call("::msgcat::mclocale")) == "de"
    finally:
        root.destroy()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("which", ["settings", "history"])
def test_no_two_controls_share_an_access_letter(which, language, on_display, profile,
                                                monkeypatch) -> None:
    in_language(language, profile, monkeypatch)
    root, _window = (settings_window if which == "settings" else history_window)(profile)
    try:
        assert i18n.language() == language
        letters = access_letters(root)
        assert len(letters) >= (10 if which == "settings" else 5)
        assert len(set(letters)) == len(letters), sorted(letters)
        for letter in letters:  # Alt + each goes somewhere
            assert root.bind(access_sequence(letter)), letter
    finally:
        root.destroy()


def test_saving_another_language_relabels_the_form(on_display, profile, monkeypatch) -> None:
    in_language(i18n.PSEUDO, profile, monkeypatch)
    root, window = settings_window(profile)
    try:
        before = shown_texts(root)
        assert all(text.startswith("\u27e6") for text in before if not text[0].isdigit()
                   and text not in NAMES and not text.startswith(" ")), before
        bound = sorted(window.bound)
        window.vars[("routine", "language")].set("en")
        assert window.save() is True
        root.update()
        after = shown_texts(root)
        assert not [text for text in after if "\u27e6" in text], after
        assert root.title() == "Pointbreak settings" and "Save" in after
        assert window.message.get() == "Saved. Pointbreak uses them when it starts."
        assert sorted(window.bound) == bound  # the new labels' letters, none left over
        letters = access_letters(root)
        assert len(set(letters)) == len(letters) == len(bound)
        assert 'language = "en"' in profile.settings.read_text()
        assert i18n.language() == "en"
    finally:
        root.destroy()


# --- German and Spanish, for a person to look at ---------------------------------------------

def shown_in(language: str, name: str, desktop, profile, folder: Path) -> list[str]:
    """Open the window `name` in `language`, wait until it shows its texts, save a screenshot,
    close it; every text it showed."""
    command, _drive = WINDOWS[name]
    run = Run(desktop, profile, folder / language, *command, language=language)
    try:
        def texts() -> list[str]:
            return [t for p in sorted(run.folder.glob("*.json"))
                    for t in json.loads(p.read_text(encoding="utf-8"))]

        def ours() -> list[str]:
            """This process's window: Tk sets no _NET_WM_PID, so it is the visible window of
            class Pointbreak whose title this process wrote (another test's may linger)."""
            shown, found = set(texts()), []
            for window in desktop.run("xdotool", "search", "--onlyvisible", "--class",
                                      "Pointbreak", check=False).split():
                with contextlib.suppress(subprocess.CalledProcessError):  # gone meanwhile
                    if run.title(window) in shown:
                        found.append(window)
            return found

        windows = wait_for(ours, timeout=30, what=f"the {name} window in {language}")
        desktop.screenshot(profile.artifacts(f"windows-{language}") / f"{name}.png",
                           window=windows[0])
    finally:
        run.process.terminate()
        run.process.wait(10)
    return [t for p in sorted(run.folder.glob("*.json"))
            for t in json.loads(p.read_text(encoding="utf-8"))]


SAME_IN_BOTH = re.compile(r"\d+ min")  # Spanish abbreviates minutes as English does


def english_words(text: str) -> bool:
    """Has it words to translate (three letters or more, not a name)?"""
    return not SAME_IN_BOTH.fullmatch(text) and bool(
        [w for w in re.findall(r"[^\W\d_]{3,}", text) if w not in NAMES])


@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("name", list(WINDOWS))
def test_each_window_in_german_and_spanish_has_no_english_left(name, language, desktop, profile,
                                                               tmp_path) -> None:
    store = Store(profile.store)
    store.save(records=sample_year(datetime.now(BERLIN).date()))
    store.close()
    english = set(shown_in("en", name, desktop, profile, tmp_path))
    theirs = shown_in(language, name, desktop, profile, tmp_path)
    assert len(theirs) > 3, theirs
    left = [text for text in theirs if text in english and english_words(text)]
    assert not left, left
