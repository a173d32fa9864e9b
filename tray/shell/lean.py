"""Keep the tray lean: APScheduler 3 without asyncio.

APScheduler 3's `apscheduler.util` imports asyncio for one function, `iscoroutinefunction`
(on Python < 3.14; from 3.14 it takes inspect's). asyncio in turn loads ssl and OpenSSL: about
7 MiB resident in a tray that never runs a coroutine. For that one import the module is given
inspect's `iscoroutinefunction` instead, which answers the same on Python 3.11+ (where
`asyncio.coroutine` is gone, the only difference between the two). Nothing else is changed: a
real `import asyncio` anywhere later gets the real module.
"""

from __future__ import annotations

import inspect
import sys
import types


def import_apscheduler() -> None:
    """Import apscheduler.util before anything else does (idempotent)."""
    if "apscheduler.util" in sys.modules or "asyncio" in sys.modules:
        return  # too late, or nothing to save
    stand_in = types.ModuleType("asyncio")
    stand_in.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
    sys.modules["asyncio"] = stand_in
    try:
        import apscheduler.util  # noqa: F401
    finally:
        if sys.modules.get("asyncio") is stand_in:
            del sys.modules["asyncio"]

