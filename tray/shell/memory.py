"""The idle tray's resident memory, with glibc: one C heap for all threads, and freed heap
handed back after start-up and every so often. Elsewhere both do nothing."""

from __future__ import annotations

import sys

M_ARENA_MAX = -8  # glibc's mallopt parameter


def one_heap() -> None:
    """The tray's dozen threads mostly sleep: one C heap shared by all of them, not a heap per
    thread each holding its own spare pages (glibc; before any thread starts)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def give_back_memory() -> None:
    """Start-up leaves freed memory in the C heap (imports, the first store read): hand it back
    to the system (glibc's malloc_trim)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass
