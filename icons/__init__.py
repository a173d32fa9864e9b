"""Pointbreak's icons: PNG/ICO files and symbolic SVGs drawn by `python -m icons.draw`, shipped
in the wheel; and the tray sizes once more as raw RGBA pixels (`.rgba`), which the tray reads
before its icon shows without Pillow's PNG decoder (importing it alone takes some 25 ms)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# Sizes of the shipped tray PNGs, in pixels (square).
SIZES: tuple[int, ...] = (16, 20, 22, 24, 32, 48, 64, 128, 256)
# Sizes also shipped as raw pixels: what the tray icons use (XEmbed 64, StatusNotifierItem all).
RAW_SIZES: tuple[int, ...] = (16, 22, 24, 32, 48, 64)


class Marker(StrEnum):
    """What the tray icon tells: the marker drawn on the badge differs by shape and colour."""

    NORMAL = "normal"  # plain badge
    DUE = "due"  # a break is due: round dot with "!"
    SNOOZED = "snoozed"  # crescent moon
    PAUSED = "paused"  # two pause bars
    DONE = "done"  # check mark


def folder() -> Path:
    return Path(__file__).resolve().parent  # a folder in the wheel and in the frozen build


def path(state: Marker | str, size: int) -> Path:
    """The shipped PNG of `state` at `size` px; ValueError for a state or size not shipped."""
    if size not in SIZES:
        raise ValueError(f"no {size} px icon; sizes: {SIZES}")
    return folder() / f"tray-{Marker(state)}-{size}.png"


def symbolic_name(state: Marker | str) -> str:
    """The icon-theme name of `state`'s symbolic icon (hicolor/scalable/status/NAME.svg under
    `folder()`), for panels that draw status icons in their own text colour."""
    return f"pointbreak-{Marker(state)}-symbolic"


def symbolic_path(state: Marker | str, root: Path | None = None) -> Path:
    """Where `state`'s symbolic icon is under `root` (default: the shipped folder)."""
    return (root or folder()) / "hicolor" / "scalable" / "status" / f"{symbolic_name(state)}.svg"


def raw_path(state: Marker | str, size: int) -> Path:
    """The raw pixels of `state` at `size` px: RGBA, row by row, not premultiplied."""
    if size not in RAW_SIZES:
        raise ValueError(f"no {size} px raw icon; sizes: {RAW_SIZES}")
    return folder() / f"tray-{Marker(state)}-{size}.rgba"


def rgba(state: Marker | str, size: int) -> bytes:
    """The pixels of the shipped PNG of `state` at `size` px (one of RAW_SIZES), as raw RGBA."""
    data = raw_path(state, size).read_bytes()
    if len(data) != size * size * 4:
        raise ValueError(f"{raw_path(state, size)} holds {len(data)} bytes, not {size * size * 4}")
    return data


def image(state: Marker | str, size: int) -> Image.Image:
    """The shipped PNG of `state` at `size` px, loaded (RGBA); from its raw pixels where they
    are shipped (the same pixels, a test proves)."""
    from PIL import Image

    if size in RAW_SIZES:
        return Image.frombytes("RGBA", (size, size), rgba(state, size))
    with Image.open(path(state, size)) as img:
        img.load()
        return img.convert("RGBA") if img.mode != "RGBA" else img.copy()
