"""The floor: the least a tray app on these libraries can cost. Not Pointbreak; a yardstick.

A pystray icon (whatever PYSTRAY_BACKEND says), one APScheduler job, an empty TinyDB loaded,
plyer imported. bench/tray_bench.py runs it beside Pointbreak and measures both the same way.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import plyer  # noqa: F401 - imported as a tray app would
import pystray
from apscheduler.schedulers.background import BackgroundScheduler
from PIL import Image, ImageDraw
from tinydb import TinyDB


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="pb-floor-"))
    database = TinyDB(folder / "floor.json")
    database.all()
    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: None, "interval", minutes=90)
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, 60, 60), fill=(200, 120, 20, 255))
    icon = pystray.Icon("floor", image, "floor", menu=pystray.Menu(
        pystray.MenuItem("Quit", lambda: icon.stop(), default=True)))

    def setup(icon: pystray.Icon) -> None:
        icon.visible = True
        scheduler.start()

    icon.run(setup)
    scheduler.shutdown(wait=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
