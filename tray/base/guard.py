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
            raise Refused(f"is a link to {_target(path)}, which does not exist") from None
        return None
    except OSError as error:
        raise Refused(f"cannot be opened ({error.strerror or error})") from error
    _check_kind(info.st_mode)
    if info.st_size > limit:
        raise Refused(f"is {_size(info.st_size)}, more than the {_size(limit)} allowed")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO swapped in meanwhile cannot block us
    except OSError as error:
        raise Refused(f"cannot be opened ({error.strerror or error})") from error
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
        raise Refused(f"cannot be opened ({error.strerror or error})") from error
    finally:
        os.close(fd)
    if size > limit:
        raise Refused(f"grew past the {_size(limit)} allowed while it was read")
    return b"".join(chunks)


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    raise Refused(f"is {kind}, not a file")


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a place"


def _size(count: int) -> str:
    if count < 1 << 10:
        return f"{count} bytes"
    if count < 1 << 20:
        return f"{count / (1 << 10):.0f} KB"
    return f"{count / (1 << 20):.1f} MB"


def text_of(raw: bytes) -> str:
    """UTF-8 text; a byte order mark at the start (Windows Notepad writes one) is dropped."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(f"is not UTF-8 text (byte {error.start} is not)") from None


def parse_toml(text: str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Refused(f"is not valid TOML: {error}") from None
    except RecursionError:
        raise Refused(_too_deep(max_depth)) from None
    except (ValueError, MemoryError):  # an integer of thousands of digits
        raise Refused("holds a number too long to read") from None
    _check_depth(data, max_depth)
    return data


def parse_json(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    try:
        data = json.loads(raw)
    except RecursionError:
        raise Refused(_too_deep(max_depth)) from None
    except UnicodeDecodeError:
        raise Refused("is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise Refused(f"is not valid JSON ({error.msg} at line {error.lineno}, column "
                      f"{error.colno})") from None
    except (ValueError, MemoryError):  # an integer of thousands of digits
        raise Refused("holds a number too long to read") from None
    _check_depth(data, max_depth)
    return data


def _too_deep(max_depth: int) -> str:
    return f"nests tables or lists more than {max_depth} deep"


def _check_depth(data: Any, max_depth: int) -> None:
    """Without recursion: a value nested past `max_depth` is refused before anyone walks it."""
    level: list[Any] = [data]
    for _ in range(max_depth + 1):
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
    return f"{text[:limit]}… ({len(text)} characters)"
