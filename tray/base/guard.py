"""The one way in for what comes from outside: files, JSON and TOML, read with limits.

Settings, the store, routine files, control messages and window reports all pass through here
before anything looks at their content. Each reader returns a value or raises `Refused`, whose
message says what is wrong in words a person can act on ("is a named pipe (FIFO), not a file";
"is 3.2 MB, more than the 1 MB a settings file may be"); the caller adds which file or which
peer. Nothing here blocks on a special file, reads without a size limit, or lets a parser's
RecursionError, MemoryError or int-conversion ValueError escape.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, TypeGuard

from tray.base.i18n import _, ngettext

MAX_DEPTH = 16        # tables and lists inside each other; Pointbreak's own files use 3
SHOWN_CHARACTERS = 60  # how much of a bad value a message repeats


class Refused(ValueError):
    """Input that cannot be used; str() says why (without the file's name: the caller adds it)."""


def read_file(path: Path, *, limit: int) -> bytes | None:
    """The bytes of the regular file at `path` (None when there is nothing there at all).

    Refuses without ever blocking: a FIFO, a device, a socket or a folder; a symlink whose
    target does not exist; a file larger than `limit` bytes (or one that grows past it while
    being read); a file that cannot be opened.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise Refused(_("is a link to {target}, which does not exist").format(
                target=_target(path))) from None
        return None
    except OSError as error:
        raise _cannot_open(error) from error
    _check_kind(info.st_mode)
    if info.st_size > limit:
        raise Refused(_("is {size}, more than the {limit} allowed").format(
            size=_size(info.st_size), limit=_size(limit)))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO swapped in meanwhile cannot block us
    except OSError as error:
        raise _cannot_open(error) from error
    try:
        _check_kind(os.fstat(fd).st_mode)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise _cannot_open(error) from error
    finally:
        os.close(fd)
    if size > limit:
        raise Refused(_("grew past the {limit} allowed while it was read").format(
            limit=_size(limit)))
    return b"".join(chunks)


# The reasons below are said of a file whose name the caller puts before them ("The settings
# file cannot be read: it is a folder, not a file"), so each is a predicate, whole.


def _cannot_open(error: OSError) -> Refused:
    # TRANSLATORS: said of a file ("it cannot be opened (...)"); {error} is the system's reason.
    return Refused(_("cannot be opened ({error})").format(error=error.strerror or error))


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    # TRANSLATORS: these are said of a file the person named ("it is a folder, not a file").
    kinds = ((stat.S_ISDIR, _("is a folder, not a file")),
             (stat.S_ISFIFO, _("is a named pipe (FIFO), not a file")),
             (stat.S_ISCHR, _("is a device, not a file")),
             (stat.S_ISBLK, _("is a device, not a file")),
             (stat.S_ISSOCK, _("is a socket, not a file")))
    raise Refused(next((text for test, text in kinds if test(mode)),
                       _("is a special file, not a file")))


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return _("a place")


def _size(count: int) -> str:
    if count < 1 << 10:
        return ngettext("{n} byte", "{n} bytes", count).format(n=count)
    if count < 1 << 20:
        return _("{n} KB").format(n=f"{count / (1 << 10):.0f}")
    # TRANSLATORS: {n} is written with a point, 3.2 (Python's way, whatever the language).
    return _("{n} MB").format(n=f"{count / (1 << 20):.1f}")


def text_of(raw: bytes) -> str:
    """UTF-8 text; a byte order mark at the start (Windows Notepad writes one) is dropped."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(_("is not UTF-8 text (byte {n} is not)").format(n=error.start)) from None


def parse_toml(text: str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Refused(_("is not valid TOML: {error}").format(error=error)) from None
    except RecursionError:
        raise Refused(_too_deep(max_depth)) from None
    except (ValueError, MemoryError):  # an integer of thousands of digits
        raise Refused(_("holds a number too long to read")) from None
    _check_depth(data, max_depth)
    return data


def parse_json(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    try:
        data = json.loads(raw)
    except RecursionError:
        raise Refused(_too_deep(max_depth)) from None
    except UnicodeDecodeError:
        raise Refused(_("is not UTF-8 text")) from None
    except json.JSONDecodeError as error:
        # TRANSLATORS: {error} is Python's reason, in English ("Expecting value").
        raise Refused(_("is not valid JSON ({error} at line {line}, column {column})").format(
            error=error.msg, line=error.lineno, column=error.colno)) from None
    except (ValueError, MemoryError):  # an integer of thousands of digits
        raise Refused(_("holds a number too long to read")) from None
    _check_depth(data, max_depth)
    return data


def _too_deep(max_depth: int) -> str:
    return ngettext("nests tables or lists more than {n} deep",
                    "nests tables or lists more than {n} deep", max_depth).format(n=max_depth)


def _check_depth(data: Any, max_depth: int) -> None:
    """Without recursion: a value nested past `max_depth` is refused before anyone walks it."""
    level: list[Any] = [data]
    for _level in range(max_depth + 1):
        level = [child for value in level if isinstance(value, dict | list)
                 for child in (value.values() if isinstance(value, dict) else value)]
        if not level:
            return
    raise Refused(_too_deep(max_depth))


def is_whole(value: object, low: int, high: int) -> TypeGuard[int]:
    """A whole number of a parsed file or message, from `low` to `high` (JSON's and TOML's
    true and false are ints to Python, but never numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """`text` for a message: long ones cut, with their length said."""
    if len(text) <= limit:
        return text
    return ngettext("{text}… ({n} character)", "{text}… ({n} characters)", len(text)).format(
        text=text[:limit], n=len(text))
