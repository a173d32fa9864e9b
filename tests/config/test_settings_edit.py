"""Saving settings from the window (tray/config/settings_edit.py): the person's comments, layout and
unknown keys survive; a bad value writes nothing; a broken file is kept aside, never lost."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tray.config import settings as settings_file
from tray.config import settings_edit as edit

MINE = """\
# My settings. I like short breaks.
[breaks]
interval_minutes = 90  # was 60 in winter
daily_cap = 5

[active_hours]
start = "08:30"
end = "17:00"
days = ["mon", "tue", "wed", "thu", "fri"]

[experimental]  # not Pointbreak's: must survive
colour = "teal"
"""


def current(path: Path) -> dict:
    return edit.values_of(settings_file.load(path)[0])


def test_a_save_changes_only_what_changed_and_keeps_comments_and_unknown_keys(
        tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(MINE)
    values = current(path)
    values[("breaks", "interval_minutes")] = 45
    values[("breaks", "daily_cap")] = 3
    values[("routine", "sound")] = False
    edit.save(path, values)
    text = path.read_text()
    assert "# My settings. I like short breaks." in text
    assert "interval_minutes = 45  # was 60 in winter" in text
    assert '[experimental]  # not Pointbreak\'s: must survive\ncolour = "teal"' in text
    data = tomllib.loads(text)
    assert data["breaks"] == {"interval_minutes": 45, "daily_cap": 3}
    assert data["routine"] == {"sound": False}  # only the changed key was added
    assert data["active_hours"]["start"] == "08:30"
    loaded, problems = settings_file.load(path)
    assert [p.where for p in problems] == ["[experimental]"]  # reported, kept
    assert (loaded.daily_cap, loaded.sound) == (3, False)
    # Saving the same values again changes nothing at all.
    edit.save(path, current(path))
    assert path.read_text() == text


def test_a_first_save_writes_the_commented_defaults_with_the_change(tmp_path: Path) -> None:
    path = tmp_path / "new" / "settings.toml"
    values = dict(edit.DEFAULTS)
    values[("do_not_disturb", "calls")] = False
    edit.save(path, values)
    text = path.read_text()
    assert "# Hold a prompt while the microphone or the camera is in use" in text
    assert settings_file.load(path)[0].hold_during_calls is False


@pytest.mark.parametrize(("field", "typed", "message"), [
    (("breaks", "daily_cap"), "9", "Must be a whole number from 1 to 5"),
    (("breaks", "interval_minutes"), "4x", "Must be a whole number from 15 to 240"),
    (("active_hours", "start"), "9am", 'Must be a time "HH:MM"'),
    (("routine", "font_scale"), "huge", "Must be a number from 0.75 to 3.0"),
])
def test_a_bad_value_is_named_and_nothing_is_written(tmp_path: Path, field, typed,
                                                     message) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(MINE)
    values = current(path)
    values[field] = edit.from_text(field, typed)
    problems = edit.check(values)
    assert list(problems) == [field] and problems[field].startswith(message)
    with pytest.raises(ValueError, match="Must be"):
        edit.save(path, values)
    assert path.read_text() == MINE


def test_hours_that_end_before_they_start_are_named_at_the_end(tmp_path: Path) -> None:
    values = dict(edit.DEFAULTS)
    values[("active_hours", "start")] = "18:00"
    values[("active_hours", "end")] = "09:00"
    assert edit.check(values) == {("active_hours", "end"): "Must be after the start (18:00)"}
    values[("active_hours", "end")] = "19:00"
    assert edit.check(values) == {
        ("breaks", "interval_minutes"): "Must be shorter than the active hours (18:00-19:00), "
                                        "or no break would ever come"}


def test_a_broken_file_is_kept_aside_and_a_fresh_one_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[breaks\ninterval_minutes = = 3\n")
    _, problem = edit.read_document(path)
    assert problem is not None
    saved = edit.save(path, dict(edit.DEFAULTS))
    assert saved.kept_broken_as is not None
    assert saved.kept_broken_as.read_text() == "[breaks\ninterval_minutes = = 3\n"
    assert settings_file.load(path) == (settings_file.Settings(), [])


def test_an_edit_made_meanwhile_in_a_text_editor_survives_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(MINE)
    shown = current(path)  # the window opens
    path.write_text(MINE.replace("daily_cap = 5", "daily_cap = 2"))  # an editor, meanwhile
    values = dict(shown)
    values[("breaks", "interval_minutes")] = 60  # the window changes only the interval
    edit.save(path, values, shown=shown)
    data = tomllib.loads(path.read_text())
    assert data["breaks"] == {"interval_minutes": 60, "daily_cap": 2}


def test_a_linked_settings_file_stays_linked(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "pointbreak.toml"
    real.parent.mkdir()
    real.write_text(MINE)
    link = tmp_path / "settings.toml"
    link.symlink_to(real)
    values = current(link)
    values[("breaks", "daily_cap")] = 4
    edit.save(link, values)
    assert link.is_symlink() and "daily_cap = 4" in real.read_text()


def test_a_broken_file_stays_when_the_new_one_cannot_be_written(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    path = folder / "settings.toml"
    path.write_text("[breaks\n")
    target = folder / "settings.toml"
    original = edit.write_atomically

    def failing(where: Path, payload: bytes) -> None:
        if where == target.resolve():
            raise OSError(28, "No space left on device")
        original(where, payload)

    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(edit, "write_atomically", failing)
        with _pytest.raises(OSError):
            edit.save(path, dict(edit.DEFAULTS))
    assert path.read_text() == "[breaks\n"
    assert sorted(p.name for p in folder.iterdir()) == ["settings.toml"]
