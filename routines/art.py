"""Illustrations for the guided routine window, drawn with Pillow (original flat art, no text).

`render(kind, size, theme)` gives a square RGBA image; `png(...)` the same as cached PNG bytes
for Tk's `PhotoImage(data=...)`. Pictures are laid out on a 100 x 100 unit grid, drawn at 4x
and downscaled with LANCZOS. One accent colour (teal) marks the highlighted element, a neutral
ink draws outlines; both are picked per theme ("light" or "dark" window background).
Output is deterministic.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

KINDS = ("settle", "locate", "press", "circles", "rest", "finish")
SUPERSAMPLE = 2  # 2x is smooth at these sizes; 4x cost the window 4 MiB of peak memory

RGBA = tuple[int, int, int, int]
Point = tuple[float, float]
# A fillable shape: ("rrect", (x0, y0, x1, y1, radius)), ("ellipse", (x0, y0, x1, y1)),
# ("capsule", (x0, y0, x1, y1, radius)) or ("poly", (x0, y0, x1, y1, ...)), in grid units.
Shape = tuple[str, tuple[float, ...]]


@dataclass(frozen=True)
class Palette:
    ink: RGBA  # outlines and lines
    fill: RGBA  # soft neutral body fill
    accent: RGBA  # the highlighted element


PALETTES = {
    "light": Palette(ink=(52, 58, 66, 255), fill=(222, 226, 230, 255),
                     accent=(19, 138, 138, 255)),
    "dark": Palette(ink=(220, 224, 228, 255), fill=(64, 70, 78, 255),
                    accent=(94, 204, 198, 255)),
}


class Pen:
    """Draws on a supersampled canvas in 0..100 grid units."""

    def __init__(self, size: int, theme: str) -> None:
        self.n = size * SUPERSAMPLE
        self.k = self.n / 100
        self.pal = PALETTES[theme]
        # outline width in grid units: 2.2 units, but never under 2.2 output pixels
        self.w = max(2.2, 2.2 * 100 / size)
        self.img = Image.new("RGBA", (self.n, self.n), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.img)

    def px(self, v: float) -> float:
        return v * self.k

    def pts(self, coords: Sequence[float]) -> list[Point]:
        return [(coords[i] * self.k, coords[i + 1] * self.k) for i in range(0, len(coords), 2)]

    def shape(self, d: ImageDraw.ImageDraw, shape: Shape, grow: float, fill: RGBA | int) -> None:
        """Fill `shape` grown by `grow` units on all sides."""
        kind, c = shape
        g = grow
        if kind == "rrect":
            box = self.pts((c[0] - g, c[1] - g, c[2] + g, c[3] + g))
            d.rounded_rectangle((box[0], box[1]), radius=self.px(c[4] + g), fill=fill)
        elif kind == "ellipse":
            box = self.pts((c[0] - g, c[1] - g, c[2] + g, c[3] + g))
            d.ellipse((box[0], box[1]), fill=fill)
        elif kind == "capsule":
            self.polyline(d, c[:4], c[4] + g, fill)
        elif kind == "poly":
            d.polygon(self.pts(c), fill=fill)
            if g > 0:
                self.polyline(d, (*c, c[0], c[1]), g, fill)
        else:
            raise ValueError(f"unknown shape {kind!r}")

    def polyline(self, d: ImageDraw.ImageDraw, coords: Sequence[float], r: float,
                 fill: RGBA | int) -> None:
        """A line `2r` units wide with round caps and joins."""
        points, rr = self.pts(coords), self.px(r)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            length = math.hypot(x1 - x0, y1 - y0) or 1.0
            nx, ny = (y0 - y1) / length * rr, (x1 - x0) / length * rr
            d.polygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny),
                       (x0 - nx, y0 - ny)], fill=fill)
        for x, y in points:
            d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=fill)

    def blob(self, shapes: Sequence[Shape], fill: RGBA | None = None,
             outline: RGBA | None = None) -> None:
        """The union of `shapes`, filled, with one outline around it all."""
        for s in shapes:
            self.shape(self.draw, s, self.w, outline or self.pal.ink)
        for s in shapes:
            self.shape(self.draw, s, 0, fill or self.pal.fill)

    def line(self, coords: Sequence[float], width: float, colour: RGBA | None = None) -> None:
        self.polyline(self.draw, coords, width / 2, colour or self.pal.ink)

    def mask(self, shapes: Sequence[Shape]) -> Image.Image:
        img = Image.new("L", (self.n, self.n), 0)
        d = ImageDraw.Draw(img)
        for s in shapes:
            self.shape(d, s, 0, 255)
        return img

    def glow(self, shape: Shape, inside: Image.Image, opacity: float, blur: float) -> None:
        """A soft accent patch in the shape of `shape`, kept within the mask `inside`."""
        patch = self.mask([shape]).filter(ImageFilter.GaussianBlur(self.px(blur)))
        patch = ImageChops.multiply(patch, inside).point(lambda v: round(v * opacity))
        self.img.paste(Image.new("RGBA", self.img.size, self.pal.accent), (0, 0), patch)

    def arc(self, cx: float, cy: float, r: float, start: float, end: float, width: float,
            colour: RGBA) -> None:
        """An arc (degrees, clockwise from 3 o'clock) with round caps."""
        box = self.pts((cx - r - width / 2, cy - r - width / 2, cx + r + width / 2,
                        cy + r + width / 2))
        self.draw.arc((box[0], box[1]), start, end, fill=colour, width=round(self.px(width)))
        for a in (start, end):
            t = math.radians(a)
            self.line((cx + r * math.cos(t), cy + r * math.sin(t)) * 2, width, colour)

    def finish(self, size: int) -> Image.Image:
        return self.img.resize((size, size), Image.Resampling.LANCZOS)


def settle(p: Pen) -> None:
    """A figure seated upright on a stool, side view, facing right, hands on the thighs."""
    a = p.pal.accent
    p.line((30, 64, 62, 64), 5, a)  # seat
    p.line((34, 64, 31, 94), 3.6, a)
    p.line((58, 64, 61, 94), 3.6, a)
    p.line((33, 82, 59, 82), 2.6, a)  # rung
    p.blob([("capsule", (72, 60, 73, 89, 5)), ("capsule", (73, 91, 80, 91, 3))])  # shin, foot
    p.blob([("capsule", (40, 32, 41, 55, 9)), ("capsule", (42, 57, 71, 58, 6.5)),
            ("capsule", (45, 26, 45, 30, 4))])  # torso, thigh, neck
    p.blob([("ellipse", (36, 5, 56, 27))])  # head
    p.blob([("capsule", (43, 35, 46, 48, 4.2)), ("capsule", (46, 48, 60, 53, 4.2))])  # arm


def locate(p: Pen) -> None:
    """A back seen from behind, the upper back around the shoulder blades softly highlighted."""
    for side in (1, -1):  # arms hang at the sides
        x = 50 + side * 30
        p.blob([("capsule", (x, 40, x + side * 4, 86, 6.5))])
    torso: list[Shape] = [("rrect", (17, 32, 83, 66, 15)),
                          ("poly", (21, 54, 79, 54, 70, 97, 30, 97))]
    p.blob(torso)
    p.glow(("ellipse", (26, 36, 74, 66)), p.mask(torso), 0.6, 3)
    p.blob([("capsule", (50, 24, 50, 34, 5.5)), ("ellipse", (39, 4, 61, 28))])  # neck, head
    p.line((50, 38, 50, 92), 1.8)  # spine
    p.arc(20, 50, 16, -40, 40, 1.6, p.pal.ink)  # shoulder blades
    p.arc(80, 50, 16, 140, 220, 1.6, p.pal.ink)


def press(p: Pen) -> None:
    """A hand from above, the index finger pressing a spot that ripples."""
    a = p.pal.accent
    p.line((14, 86, 86, 86), 2.4)  # surface
    p.arc(46, 86, 10, 180, 360, 2.6, a)
    p.arc(46, 86, 18, 195, 345, 2.4, a)
    p.blob([("rrect", (44, -10, 74, 20, 4))])  # sleeve
    p.blob([("capsule", (44, 34, 34, 54, 5))])  # thumb, behind the hand
    p.blob([("rrect", (38, 16, 76, 56, 12))])  # back of the hand
    for x0, y1 in ((66, 56), (58, 60)):  # curled fingers
        p.blob([("rrect", (x0, y1 - 16, x0 + 11, y1, 5.5))])
    p.blob([("rrect", (40, 40, 53, 83, 6.5))])  # index finger
    p.line((42, 76, 51, 76), 1.4)  # nail edge


def circles(p: Pen) -> None:
    """A circular arrow of about 300 degrees around a small dot: small circles."""
    a, r, w = p.pal.accent, 30, 7.5
    start, end = -50.0, 235.0
    p.arc(50, 50, r, start, end, w, a)
    t = math.radians(end + 14)
    tip = (50 + r * math.cos(t), 50 + r * math.sin(t))
    b = math.radians(end - 4)
    n = (math.cos(b), math.sin(b))
    base = (50 + r * n[0], 50 + r * n[1])
    head = (tip[0], tip[1], base[0] + 11 * n[0], base[1] + 11 * n[1],
            base[0] - 11 * n[0], base[1] - 11 * n[1])
    p.blob([("poly", head)], a, a)
    p.blob([("ellipse", (43, 43, 57, 57))], p.pal.ink, p.pal.ink)


def rest(p: Pen) -> None:
    """A relaxed open hand and a pause badge: hands off for a moment."""
    p.blob([("rrect", (24, 82, 52, 104, 4))])  # sleeve
    fingers = ((20, 44, 16, 30), (28, 38, 27, 17), (37, 37, 38, 14), (46, 40, 49, 20))
    for x0, y0, x1, y1 in fingers:
        p.blob([("capsule", (x0 + 1, y0, x1, y1, 4.6))])
    p.blob([("rrect", (16, 38, 56, 84, 14)), ("capsule", (52, 72, 66, 56, 5.2))])  # palm, thumb
    p.arc(40, 46, 22, 110, 150, 1.4, p.pal.ink)  # palm crease
    clear = (0, 0, 0, 0)
    p.blob([("ellipse", (56, 10, 92, 46))], p.pal.accent, p.pal.accent)  # pause badge
    for x in (68.5, 79.5):
        p.line((x, 21, x, 35), 5.5, clear)


def check(p: Pen) -> None:
    """A check mark in a circle."""
    a = p.pal.accent
    p.arc(50, 50, 36, 0, 360, 7, a)
    p.line((32, 52, 45, 65, 69, 38), 8, a)


DRAWERS: dict[str, Callable[[Pen], None]] = {
    "settle": settle, "locate": locate, "press": press, "circles": circles, "rest": rest,
    "finish": check,
}


def render(kind: str, size: int, theme: str = "light") -> Image.Image:
    """The illustration `kind` as a square RGBA image `size` px wide, for the theme's window."""
    if kind not in DRAWERS:
        raise ValueError(f"unknown illustration kind {kind!r} (known: {', '.join(KINDS)})")
    if theme not in PALETTES:
        raise ValueError(f"unknown theme {theme!r} (known: {', '.join(PALETTES)})")
    if size < 1:
        raise ValueError(f"size must be positive, not {size}")
    pen = Pen(size, theme)
    DRAWERS[kind](pen)
    return pen.finish(size)


@functools.lru_cache(maxsize=64)
def png(kind: str, size: int, theme: str = "light") -> bytes:
    """`render(kind, size, theme)` as PNG bytes (cached)."""
    out = io.BytesIO()
    render(kind, size, theme).save(out, format="PNG", optimize=False)
    return out.getvalue()
