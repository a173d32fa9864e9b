"""Which language `language = "auto"` chooses: the POSIX variables in gettext's order, Windows'
display language (through the ctypes call's seam) and macOS' AppleLanguages (through the
`defaults` output), English when none names a language Pointbreak has."""

from __future__ import annotations

import pytest

from tray.base import i18n


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANGUAGE": "de", "LC_ALL": "C.UTF-8"}, "de"),  # LANGUAGE wins even under LC_ALL=C
    ({"LANGUAGE": "fr:es:en", "LANG": "de_DE.UTF-8"}, "es"),  # the first of the list we have
    ({"LC_ALL": "es_ES.UTF-8", "LANG": "de_DE.UTF-8"}, "es"),
    ({"LC_MESSAGES": "de_AT@euro", "LANG": "es_MX.UTF-8"}, "de"),
    ({"LANG": "de_CH.UTF-8"}, "de"),
    ({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),  # LC_ALL set decides: C says nothing
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({}, "en"),
], ids=["language-over-lc-all", "language-list", "lc-all", "lc-messages", "lang", "c",
        "not-ours", "posix", "nothing"])
def test_linux_reads_the_variables_in_gettexts_order(env, expected) -> None:
    assert i18n.choose("auto", platform="linux", env=env) == expected


def test_the_setting_overrides_the_system() -> None:
    assert i18n.choose("es", platform="linux", env={"LANGUAGE": "de"}) == "es"
    assert i18n.choose("en", platform="linux", env={"LANG": "de_DE.UTF-8"}) == "en"


def test_windows_asks_for_the_display_language() -> None:
    german_switzerland, spanish_mexico, japanese = 0x0807, 0x080A, 0x0411
    assert i18n.choose(platform="win32", env={}, windows_langid=lambda: german_switzerland) == "de"
    assert i18n.choose(platform="win32", env={}, windows_langid=lambda: spanish_mexico) == "es"
    assert i18n.choose(platform="win32", env={}, windows_langid=lambda: japanese) == "en"

    def broken() -> int:
        raise OSError("no kernel32")

    assert i18n.choose(platform="win32", env={}, windows_langid=broken) == "en"


def test_macos_reads_apple_languages_when_there_is_no_lang() -> None:
    listed = '(\n    "de-DE",\n    "en-US"\n)\n'
    assert i18n.choose(platform="darwin", env={}, apple_languages=lambda: listed) == "de"
    assert i18n.choose(platform="darwin", env={},
                       apple_languages=lambda: '(\n    "ja-JP",\n    "es-419"\n)\n') == "es"
    assert i18n.choose(platform="darwin", env={}, apple_languages=lambda: "") == "en"
    assert i18n.choose(platform="darwin", env={"LANG": "es_ES.UTF-8"},
                       apple_languages=lambda: listed) == "es"  # LANG, where set, first


# --- the words: catalogs, the pseudo-language, dates ------------------------------------------

@pytest.fixture
def shown():
    """Switch the process's language for a test, and back to English after it."""
    yield i18n.use
    i18n.use("en")


def test_the_pseudo_language_wraps_every_kind_of_text(shown) -> None:
    from tray.base import words

    shown("qps")
    assert i18n._("Quit") == "⟦Quit⟧"
    assert i18n.ngettext("{n} prompt", "{n} prompts", 2) == "⟦{n} prompts⟧"
    assert i18n.pgettext("outcome", "open") == "⟦open⟧"
    assert words.duration(60) == "⟦1 hour⟧"
    assert i18n.mnemonic(i18n._("&Quit")) == ("⟦Quit⟧", 1)
    shown("en")
    assert i18n._("Quit") == "Quit" and words.duration(120) == "2 hours"


def test_a_broken_catalog_falls_back_to_english_and_says_where(shown, tmp_path, monkeypatch,
                                                                capsys) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "pointbreak.mo").write_bytes(b"\x00not a catalog at all")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert shown("de") == "de"
    assert i18n._("Quit") == "Quit"
    said = capsys.readouterr().err
    assert "de catalog" in said and str(tmp_path) in said and "English" in said


def test_a_missing_catalog_falls_back_to_english(shown, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    shown("es")
    assert i18n._("Quit") == "Quit" and "es catalog" in capsys.readouterr().err


def test_dates_are_written_with_the_languages_own_names(shown) -> None:
    from datetime import date

    from tray.base import dates

    day = date(2026, 12, 3)
    assert dates.weekday_name(day) == "Thursday" and dates.weekday(day) == "Thu"
    assert dates.day_month(day) == "December 3" and dates.full_date(day) == "December 3, 2026"
    shown("qps")
    assert dates.day_month(day) == "⟦{month} {day}⟧".replace("{month}", "⟦December⟧").replace(
        "{day}", "3")


@pytest.fixture
def time_locale():
    """Set LC_TIME for a test (and back to C after it)."""
    import locale

    from tray.base import dates

    def set_to(name: str) -> None:
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            pytest.fail(f"the {name} locale is missing: tests/run.sh generates it (locale-gen)")
        dates._locale_uses_12_hour.cache_clear()

    yield set_to
    locale.setlocale(locale.LC_TIME, "C")
    dates._locale_uses_12_hour.cache_clear()


@pytest.mark.parametrize(("locale_name", "language", "expected"), [
    ("en_US.UTF-8", "en", "3:05 PM"),  # the locale's own clock: 12-hour
    ("en_GB.UTF-8", "en", "15:05"),
    ("de_DE.UTF-8", "de", "15:05"),
    ("en_US.UTF-8", "de", "15:05"),  # German text under a US locale: German's clock, no "PM"
    ("de_DE.UTF-8", "en", "3:05 PM"),  # English text under a German locale: English's clock
    ("C", "en", "15:05"),  # no locale: its 24-hour clock
])
def test_the_clock_follows_the_locale_unless_it_is_of_another_language(
        shown, time_locale, locale_name, language, expected) -> None:
    from datetime import UTC, datetime

    from tray.base import dates

    time_locale(locale_name)
    shown(language)
    assert dates.clock(datetime(2026, 12, 3, 15, 5, tzinfo=UTC), UTC) == expected


@pytest.mark.parametrize(("language", "minutes", "prompts", "hours"), [
    ("de", ["1 Min.", "2 Min.", "5 Min.", "21 Min."],
     ["1 Erinnerung", "2 Erinnerungen", "5 Erinnerungen", "21 Erinnerungen"],
     ["1 Stunde", "2 Stunden"]),
    ("es", ["1 min", "2 min", "5 min", "21 min"], ["1 aviso", "2 avisos", "5 avisos", "21 avisos"],
     ["1 hora", "2 horas"]),
    ("en", ["1 min", "2 min", "5 min", "21 min"],
     ["1 prompt", "2 prompts", "5 prompts", "21 prompts"], ["1 hour", "2 hours"]),
])
def test_plurals_follow_each_languages_rules(shown, language, minutes, prompts, hours) -> None:
    from tray.base import words

    shown(language)
    assert [words.duration(n) for n in (1, 2, 5, 21)] == minutes
    assert [i18n.ngettext("{n} prompt", "{n} prompts", n).format(n=n)
            for n in (1, 2, 5, 21)] == prompts
    assert [words.duration(60), words.duration(120)] == hours


@pytest.mark.parametrize(("language", "tomorrow", "later"), [
    ("de", "Nächste Pause am Freitag um 15:00", "Nächste Pause am 13. Dezember um 15:00"),
    ("es", "Próxima pausa el viernes a las 15:00", "Próxima pausa el 13 de diciembre a las 15:00"),
    ("en", "Next break at Friday 3:00 PM", "Next break at December 13, 3:00 PM"),
])
def test_a_weekday_and_a_time_inside_a_sentence_are_in_its_language(
        shown, time_locale, language, tomorrow, later) -> None:
    """Under en_US: German and Spanish keep their 24-hour clock, English takes the locale's."""
    from datetime import UTC, datetime, timedelta

    from tray.core.engine import Status
    from tray.core.model import DayCount, Mode
    from tray.shell.texts import next_break_line

    time_locale("en_US.UTF-8")
    shown(language)
    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # a Thursday

    def line(at: datetime) -> str:
        status = Status(Mode.NORMAL, at, DayCount(now.date()), 5, None, False, None, None,
                        False)
        return next_break_line(status, now, UTC)

    assert line(now + timedelta(days=1, hours=6)) == tomorrow
    assert line(now + timedelta(days=10, hours=6)) == later
