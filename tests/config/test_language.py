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
