"""The floor: the least a tray app on these libraries can cost. Not Pointbreak; a yardstick.

A pystray icon (whatever PYSTRAY_BACKEND says: the bench sets xorg, pystray's XEmbed backend,
the protocol of Pointbreak's own XEmbed icon), one APScheduler job, an empty TinyDB loaded,
plyer imported (floor_stack.py). bench/tray_bench.py runs it beside Pointbreak and measures
both the same way.
"""

from __future__ import annotations

import sys

import pystray
from floor_stack import loaded, picture  # bench/: plyer, APScheduler, TinyDB, Pillow


def main() -> int:
    scheduler = loaded()
    icon = pystray.Icon("floor", picture(), "floor", menu=pystray.Menu(
        pystray.MenuItem("Quit", lambda: icon.stop(), default=True)))

    def setup(icon: pystray.Icon) -> None:
        icon.visible = True
        scheduler.start()

    icon.run(setup)
    scheduler.shutdown(wait=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
