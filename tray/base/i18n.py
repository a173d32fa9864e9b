"""Which language a person reads Pointbreak in: English, German or Spanish.

`language = "auto"` follows the system:
- Linux (and other POSIX): `LANGUAGE` first (a list, "de:en"; read even under `LC_ALL=C.UTF-8`,
  as Python's gettext does), then `LC_ALL`, `LC_MESSAGES`, `LANG`; "C" and "POSIX" say nothing.
- Windows: `GetUserDefaultUILanguage` (the display language, not the region's formats).
- macOS: `AppleLanguages` (apps started at login there often have no `LANG`).
English when none of them names a language Pointbreak has. Each system's question is a
parameter, for the tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping

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
