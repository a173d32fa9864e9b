"""Hostile settings and routine files: every kind gets a clear message naming the file, the
defaults hold, nothing raises, nothing blocks (a FIFO), nothing is read without a limit."""

from __future__ import annotations

import os
import string
from datetime import timedelta
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from routines.routine import RoutineError, load_all, load_file
from tray.base import guard
from tray.config import settings as settings_file
from tray.config.settings import Settings

DEEP_TABLES = "[breaks]\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n"
DEEP_ARRAYS = "[breaks]\nx = " + "[" * 5000 + "]" * 5000 + "\n"
LONG_INTEGER = "[breaks]\ndaily_cap = " + "9" * 5000 + "\n"
LONG_VALUE = '[routine]\ntheme = "' + "x" * 100_000 + '"\n'


def _load(path: Path) -> tuple[Settings, list[str]]:
    values, problems = settings_file.load(path)
    return values, [str(p) for p in problems]


@pytest.mark.parametrize("text, says", [
    (DEEP_TABLES, "nests tables or lists more than 16 deep"),
    (DEEP_ARRAYS, "nests tables or lists more than 16 deep"),
    (LONG_INTEGER, "holds a number too long to read"),
    ("[breaks]\ndaily_cap = 3\n" + "#" * (2 << 20), "more than the 1.0 MB allowed"),
    ("\x00\xff[breaks", "is not valid TOML"),
], ids=["tables-5000-deep", "arrays-5000-deep", "5000-digit-integer", "2-MB-file", "binary"])
def test_a_file_that_cannot_be_read_means_defaults_and_one_message(
        tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    values, problems = _load(path)
    assert values == Settings()
    assert len(problems) == 1 and says in problems[0] and str(path) in problems[0], problems
    assert "uses its default" in problems[0]


def test_a_long_value_is_shortened_in_its_message(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(LONG_VALUE)
    values, problems = _load(path)
    assert values.theme == Settings().theme
    assert len(problems) == 1 and "(100000 characters)" in problems[0]
    assert len(problems[0]) < 400


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xef\xbb\xbf[breaks]\r\ndaily_cap = 3\r\n")  # as Windows Notepad saves
    values, problems = _load(path)
    assert problems == [] and values.daily_cap == 3


def test_a_dangling_symlink_is_said(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.symlink_to(tmp_path / "dotfiles" / "pointbreak.toml")
    values, problems = _load(path)
    assert values == Settings()
    assert "is a link to" in problems[0] and "which does not exist" in problems[0]
    assert settings_file.ensure_file(path) is None and path.is_symlink()  # not replaced


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
def test_a_special_file_is_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    import socket

    path = tmp_path / "settings.toml"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading the ordinary way would wait for a writer
        says = "is a named pipe (FIFO), not a file"
    elif kind == "device":
        path.symlink_to("/dev/zero")  # endless: read without a limit it exhausts memory
        says = "is a device, not a file"
    elif kind == "folder":
        path.mkdir()
        says = "is a folder, not a file"
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        says = "is a socket, not a file"
    values, problems = _load(path)
    assert values == Settings()
    assert len(problems) == 1 and says in problems[0] and str(path) in problems[0], problems


def test_read_file_refuses_a_file_that_grows_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "growing"
    path.write_bytes(b"x" * 10)
    assert guard.read_file(path, limit=10) == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(guard.Refused, match="more than the 10 bytes allowed"):
        guard.read_file(path, limit=10)


# --- routine files -------------------------------------------------------------------------


def test_a_bad_routine_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "deep.toml").write_text(DEEP_ARRAYS)
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + (
        Path(__file__).parents[2] / "routines" / "upper-back-hands-only.toml").read_bytes()
        .replace(b'id = "upper-back-hands-only"', b'id = "with-bom"'))
    found, problems = load_all(tmp_path)
    assert "with-bom" in found and "upper-back-hands-only" in found
    reasons = sorted(str(p) for p in problems)
    assert len(reasons) == 2
    assert any("pipe.toml" in r and "named pipe" in r for r in reasons), reasons
    assert any("deep.toml" in r and "more than 16 deep" in r for r in reasons), reasons
    with pytest.raises(RoutineError, match="is not there"):
        load_file(tmp_path / "missing.toml")


def test_doctor_names_an_unknown_routine(profile) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    profile.settings.write_text('[routine]\nname = "lower-back-balls"\n')
    result = profile.run("doctor")
    assert result.returncode == 1
    assert 'There is no routine named "lower-back-balls"' in result.stdout, result.stdout


@pytest.mark.parametrize("command", [["status"], ["doctor"], ["plan"], ["settings", "show"]])
def test_commands_answer_with_a_fifo_for_settings(profile, command: list[str]) -> None:
    profile.settings.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(profile.settings)
    result = profile.run(*command, timeout=60)  # a hang fails here instead of passing
    assert "Traceback" not in result.stderr, result.stderr
    assert "is a named pipe (FIFO), not a file" in result.stdout + result.stderr


# --- fuzzing: any file gives settings within their ranges and messages, never an error ------

_keys = st.sampled_from(["interval_minutes", "daily_cap", "start", "end", "days", "name",
                         "rounds", "sound", "font_scale", "theme", "after_sleep", "fullscreen",
                         "system", "calls", "hold_minutes", "x"])
_sections = st.sampled_from(["breaks", "active_hours", "routine", "behaviour",
                             "do_not_disturb", "other"])
_scalars = (st.integers() | st.integers(min_value=-10, max_value=300) | st.booleans()
            | st.floats(allow_nan=True) | st.text(max_size=30)
            | st.sampled_from(["09:00", "24:00", "18:00", "light", "dark", "break", "mon"]))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(string.ascii_lowercase, min_size=1,
                                                 max_size=5), inner, max_size=3),
                       max_leaves=12)
_documents = st.dictionaries(_sections, st.dictionaries(_keys, _values, max_size=6)
                             | _scalars, max_size=6)


def _check_ranges(values: Settings, problems: list[str]) -> None:
    assert 1 <= values.daily_cap <= 5
    assert timedelta(minutes=15) <= values.interval <= timedelta(minutes=240)
    assert values.hours.start < values.hours.end <= timedelta(hours=24)
    assert values.rounds in (3, 4) and 0.75 <= values.font_scale <= 3.0
    assert 1 <= values.hold_minutes <= 120
    for problem in problems:
        assert len(problem) < 700, problem


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_documents)
@example(document={"breaks": {"daily_cap": 10 ** 4000}})
@example(document={"routine": {"font_scale": float("nan")}})
def test_any_settings_document_gives_settings_in_range(tmp_path_factory, document) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "settings.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    values, problems = _load(path)
    _check_ranges(values, problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300) | st.binary(max_size=300).map(
    lambda b: b.decode("latin-1")))
@example(text=DEEP_TABLES)
@example(text=LONG_INTEGER)
@example(text="\ufeff[breaks]\ndaily_cap = 2\n")
def test_any_settings_text_gives_settings_in_range(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "settings.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    values, problems = _load(path)
    _check_ranges(values, problems)


# --- the other files the tray reads: the login entry, the crash record, the log --------------


@pytest.mark.parametrize("command", [["autostart", "status"], ["doctor"]])
def test_a_fifo_as_the_login_entry_blocks_nothing(profile, command: list[str]) -> None:
    entry = profile.home / ".config" / "autostart" / "pointbreak.desktop"
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)  # read the ordinary way, it would block every status shown by the tray
    result = profile.run(*command, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Start at login is off" in result.stdout or "Start at login" in result.stdout


def test_a_damaged_crash_record_is_no_crash_of_its_own(profile) -> None:
    from tray.shell import crash

    record = profile.home / ".local" / "share" / "pointbreak" / crash.FILE_NAME
    record.parent.mkdir(parents=True)
    for text in ('{"at": "0001-01-01T00:00:00+14:00", "where": "x", "error": "y", "log": "z"}',
                 '{"at": "2026-12-01T10:00:00", "where": "x", "error": "y", "log": "z"}',
                 "[" * 100_000, '{"at": 5}'):
        record.write_text(text)
        result = profile.run("doctor")
        assert "Traceback" not in result.stderr, result.stderr
        assert "Last crash         none recorded" in result.stdout or "Last crash" in result.stdout
        assert crash.last(record.parent) is None and crash.take_untold(record.parent) is None


def test_a_fifo_as_the_log_means_logging_to_the_terminal(tmp_path: Path, capsys) -> None:
    import logging

    from tray.shell.logs import setup_logging

    os.mkfifo(tmp_path / "pointbreak.log")
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(tmp_path)  # opening a FIFO for writing would wait for a reader
        added = [h for h in root.handlers if h not in before]
        assert [type(h).__name__ for h in added] == ["StreamHandler"]
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
    assert "is not a file" in capsys.readouterr().err


def test_read_file_refuses_a_file_longer_than_its_size_says() -> None:
    """/proc files say they are empty and are not: the limit holds on what is read."""
    status = Path("/proc/self/status")
    assert os.stat(status).st_size == 0
    with pytest.raises(guard.Refused, match="grew past the 10 bytes allowed"):
        guard.read_file(status, limit=10)
    assert len(guard.read_file(status, limit=1 << 20) or b"") > 10
