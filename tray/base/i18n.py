"""Which language a person reads Pointbreak in (English, German or Spanish), and its words.

`language = "auto"` follows the system:
- Linux (and other POSIX): `LANGUAGE` first (a list, "de:en"; read even under `LC_ALL=C.UTF-8`,
  as Python's gettext does), then `LC_ALL`, `LC_MESSAGES`, `LANG`; "C" and "POSIX" say nothing.
- Windows: `GetUserDefaultUILanguage` (the display language, not the region's formats).
- macOS: `AppleLanguages` (apps started at login there often have no `LANG`).
English when none of them names a language Pointbreak has. Each system's question is a
parameter, for the tests.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "de", "es")
DEFAULT = "en"
PSEUDO = "qps"  # the tests' pseudo-language: every translated text wrapped, ⟦…⟧
# Windows' primary language identifiers (the low 10 bits of a LANGID).
WINDOWS_PRIMARY = {0x09: "en", 0x07: "de", 0x0A: "es"}


def _from_locale_name(name: str) -> str | None:
    """"de_DE.UTF-8" -> "de"; "C", "POSIX", "" and what Pointbreak does not have -> None."""
    code = name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in (*LANGUAGES, PSEUDO) else None


def from_environment(env: Mapping[str, str]) -> str | None:
    """The language the POSIX variables ask for, in gettext's order, or None."""
    for part in env.get("LANGUAGE", "").split(":"):
        if part and (found := _from_locale_name(part)):
            return found
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:  # the first one set decides, as for the C library
            return _from_locale_name(value)
    return None


def from_windows_langid(langid: int) -> str | None:
    return WINDOWS_PRIMARY.get(langid & 0x3FF)


def from_apple_languages(output: str) -> str | None:
    """`defaults read -g AppleLanguages` prints a list: ( "de-DE", "en-US" )."""
    for item in output.replace("(", " ").replace(")", " ").replace(",", " ").split():
        found = _from_locale_name(item.strip('"'))
        if found:
            return found
    return None


def _windows_langid() -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined,unused-ignore]


def _apple_languages() -> str:
    import subprocess

    try:
        done = subprocess.run(["defaults", "read", "-g", "AppleLanguages"], capture_output=True,
                              text=True, timeout=3, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def choose(setting: str = "auto", *, platform: str = sys.platform,
           env: Mapping[str, str] | None = None,
           windows_langid: Callable[[], int] = _windows_langid,
           apple_languages: Callable[[], str] = _apple_languages) -> str:
    """The language to show: the setting's, or for "auto" the system's, or English."""
    if setting in (*LANGUAGES, PSEUDO):
        return setting
    env = os.environ if env is None else env
    found = from_environment(env)
    if found is None and platform == "win32":
        try:
            found = from_windows_langid(windows_langid())
        except (OSError, AttributeError, ValueError):
            found = None
    elif found is None and platform == "darwin":
        found = from_apple_languages(apple_languages())
    return found or DEFAULT


# The words themselves: gettext with Pointbreak's catalogs (tray/locale/<language>/LC_MESSAGES/
# pointbreak.mo). Every text a person reads goes through _() or ngettext() when it is shown, and
# texts written at import time are marked with N_() and translated where they are shown.
# `use()` picks the catalog for the whole process; English is the texts as written.

DOMAIN = "pointbreak"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
OPEN, CLOSE = "\u27e6", "\u27e7"  # the pseudo-language's brackets, ⟦ and ⟧


class Pseudo(gettext.NullTranslations):
    """Every text wrapped, ⟦…⟧, so a test can see a text that was never translated."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)


_active: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def catalog(language: str) -> gettext.NullTranslations:
    """The translations for `language`; English's are the texts themselves. A missing or broken
    catalog falls back to English (and says so on stderr) rather than stopping the app."""
    if language == PSEUDO:
        return Pseudo()
    if language == DEFAULT:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except (OSError, ValueError, UnicodeError) as error:
        print(f"pointbreak: the {language} catalog in {LOCALE_DIR} cannot be read ({error}); "
              "showing English", file=sys.stderr)
        return gettext.NullTranslations()


def use(setting: str = "auto", **system: Any) -> str:
    """Show every text from now on in the setting's language (see choose); returns its code."""
    global _active, _language
    chosen = choose(setting, **system)
    _active, _language = catalog(chosen), chosen
    return chosen


def language() -> str:
    """The code of the language texts are shown in now: "en", "de", "es" (or the tests' "qps")."""
    return _language


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a text for the catalogs where it is written; _() translates it where it is shown."""
    return message


def mnemonic(label: str) -> tuple[str, int]:
    """A translated label with its access letter marked by "&" ("&Break after", "Pau&se"): the
    text without the mark, and the index of the letter after it (-1: none). "&&" is an "&"."""
    text: list[str] = []
    index, i = -1, 0
    while i < len(label):
        if label[i] == "&" and i + 1 < len(label):
            if label[i + 1] != "&" and index < 0:
                index = len(text)
            i += 1
        text.append(label[i])
        i += 1
    return "".join(text), index
