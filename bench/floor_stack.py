"""What both floors (floor.py, floor_sni.py) load before their icon, as a tray app on these
libraries would: plyer imported, an empty TinyDB loaded, one APScheduler job; and the icon's
picture. Not Pointbreak; part of the yardstick."""

from __future__ import annotations

import tempfile
from pathlib import Path

import plyer  # noqa: F401 - imported as a tray app would
from apscheduler.schedulers.background import BackgroundScheduler
from PIL import Image, ImageDraw
from tinydb import TinyDB


def loaded() -> BackgroundScheduler:
    """An empty TinyDB made and read, and a scheduler with one job (not started yet)."""
    folder = Path(tempfile.mkdtemp(prefix="pb-floor-"))
    TinyDB(folder / "floor.json").all()
    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: None, "interval", minutes=90)
    return scheduler


def picture() -> Image.Image:
    """The floors' icon: an orange disc, 64 px."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, 60, 60), fill=(200, 120, 20, 255))
    return image
