"""The settings' words in the language shown: the commented file written on first use, the
problems of a bad file (said when read, so in the language the file itself names), the form's
ranges and messages. Checked in the pseudo-language, which wraps every translated text ⟦…⟧."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from helpers import unwrapped_words

from tray.base import i18n
from tray.config import schema
from tray.config import settings as settings_file
from tray.config import settings_edit as edit
from tray.config.schema import KEYS, Settings

OPEN, CLOSE = "\u27e6", "\u27e7"


@pytest.fixture
def pseudo():
    i18n.use(i18n.PSEUDO)
    yield
    i18n.use(i18n.DEFAULT)


def test_the_commented_file_is_in_the_language_auto_shows(monkeypatch, pseudo) -> None:
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO)  # what "auto" (the default) follows
    text = settings_file.default_text()
    assert tomllib.loads(text) == tomllib.loads(schema.commented_file(Settings()))
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    assert OPEN in comments and unwrapped_words(comments) == []
    for key in KEYS:  # the keys and their values stay the file's own
        assert f"\n{key.name} = {schema.toml_value(key.file_value(Settings()))}\n" in text
    monkeypatch.setenv("LANGUAGE", "en")
    assert OPEN not in settings_file.default_text()  # English, whatever the process shows
    assert i18n.language() == i18n.PSEUDO  # and the process's own language is left alone


def test_a_problem_is_said_in_the_language_shown_when_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[breaks]\ndaily_cap = 9\nmine = 1\n[routine]\ntheme = "pink"\n'
                    'volume = { loud = true }\nlanguage = "de"\n[nope]\n')
    _settings, problems = settings_file.load(path)  # read in English
    english = [str(p) for p in problems]
    assert any("daily_cap must be a whole number from 1 to 5, got 9; using the default" in said
               for said in english)
    i18n.use(i18n.PSEUDO)
    try:
        for problem in problems:
            said = str(problem)
            assert OPEN in said and str(path) in said
            assert unwrapped_words(said.replace(str(path), "")) == [], said
        # the parts too are said when read, not when the file was: the value, the range
        said = " ".join(str(p) for p in problems)
        assert f"{OPEN}a table{CLOSE}" in said and f'{OPEN}"light" or "dark"{CLOSE}' in said
    finally:
        i18n.use(i18n.DEFAULT)
    assert [str(p) for p in problems] == english
    assert sorted(p.is_unknown for p in problems) == [False, False, False, True, True]
    assert any("got a table;" in said for said in english)  # said in the language read in


def test_the_profile_shows_the_language_its_file_names(profile) -> None:
    from tray.config.profile import load_profile

    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text('[routine]\nlanguage = "es"\nname = "nope"\n')
    try:
        loaded = load_profile()
        assert i18n.language() == "es"
        assert any('No hay ninguna rutina llamada "nope"' in p for p in loaded.problems), (
            loaded.problems)
    finally:
        i18n.use(i18n.DEFAULT)


@pytest.mark.parametrize(("field", "typed"), [
    (("breaks", "daily_cap"), "9"), (("routine", "font_scale"), "huge"),
    (("active_hours", "start"), "25:00"), (("routine", "rounds"), 7),
    (("routine", "sound"), "yes"), (("active_hours", "days"), []),
    (("routine", "name"), "Not A Name")], ids=str)
def test_the_forms_messages_are_translated(pseudo, field, typed) -> None:
    values = {**edit.DEFAULTS, field: typed}
    problems = edit.check(values)
    assert problems[field].startswith(OPEN) and unwrapped_words(problems[field]) == []


def test_the_forms_words_of_each_key_are_translated(pseudo) -> None:
    for key in KEYS:
        for text in (key.label_text[0], key.help_text, key.described, key.comment_text,
                     *getattr(key.kind, "labels", [])):
            names = ("English", "Deutsch", "Español")  # languages by their own names
            assert unwrapped_words(text) == [] or text in names, (key.name, text)
    assert schema.listing(Settings())[1].startswith("interval_minutes = 90  # " + OPEN)
