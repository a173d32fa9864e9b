"""Draw Pointbreak's tray and app icons with Pillow: `python -m icons.draw` (from the project root).

Original art. A round badge in the state's colour holds a white upright figure (head and a
torso with a spine groove); each state but `normal` adds a marker at the lower right that
differs by shape (due = round dot with "!", snoozed = crescent, paused = two bars, done = check),
set in a round notch that keeps it clear of the figure.
Badge and marker carry a dark outline, the figure and marker are white: visible on light and
dark panels alike. Everything is drawn at 1024 px and downscaled with LANCZOS; sizes up to
24 px get bolder strokes. Output is deterministic (same bytes on every run).

The symbolic icons (`hicolor/scalable/status/pointbreak-<state>-symbolic.svg`, for panels
that recolour icons to their own text colour: GNOME, XFCE, KDE) are the macOS template's shape
in one colour: its 128 px mask traced into rectangles, one path filled with the text colour
(GTK's symbolic loader and KDE's ColorScheme-Text stylesheet each replace that colour).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from icons import RAW_SIZES, SIZES, Marker, folder, symbolic_path

CANVAS = 1024
C = CANVAS / 2
DARK = (24, 28, 36, 255)
WHITE = (255, 255, 255, 255)
COLOURS: dict[Marker, tuple[int, int, int, int]] = {
    Marker.NORMAL: (14, 132, 150, 255),  # teal
    Marker.DUE: (222, 104, 10, 255),  # warm orange
    Marker.SNOOZED: (122, 78, 200, 255),  # purple
    Marker.PAUSED: (108, 114, 126, 255),  # grey
    Marker.DONE: (36, 150, 72, 255),  # green
}
BOLD_UP_TO = 24  # sizes up to this get the bolder drawing
TEMPLATE_SIZES = ((22, ""), (44, "@2x"))
APP_SIZES = (256, 512)

Mask = Callable[[float], Image.Image]  # grow (canvas px) -> "L" mask of the shape grown by it


@dataclass(frozen=True)
class Part:
    mask: Mask
    fill: tuple[int, int, int, int]
    outline: float = 0.0  # dark outline width, canvas px
    ink: bool = True  # template: black (True) or cut out (False); an outline always cuts


def blank() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (CANVAS, CANVAS), 0)
    return img, ImageDraw.Draw(img)


def circle(d: ImageDraw.ImageDraw, x: float, y: float, r: float, fill: int = 255) -> None:
    if r > 0:
        d.ellipse((x - r, y - r, x + r, y + r), fill=fill)


def disc(x: float, y: float, r: float) -> Mask:
    def mask(grow: float) -> Image.Image:
        img, d = blank()
        circle(d, x, y, r + grow)
        return img

    return mask


def stroke(points: Sequence[tuple[float, float]], width: float) -> Mask:
    """A polyline with round caps and joins."""

    def mask(grow: float) -> Image.Image:
        img, d = blank()
        w = width + 2 * grow
        d.line(list(points), fill=255, width=round(w))
        for x, y in points:
            circle(d, x, y, w / 2)
        return img

    return mask


def crescent(x: float, y: float, r: float, bx: float, by: float, br: float) -> Mask:
    """The disc (x, y, r) less the bite disc (bx, by, br)."""

    def mask(grow: float) -> Image.Image:
        img, d = blank()
        circle(d, x, y, r + grow)
        circle(d, bx, by, br - grow, fill=0)
        return img

    return mask


def clipped(mask: Mask, clip: Mask) -> Mask:
    return lambda grow: ImageChops.multiply(mask(grow), clip(0))


def bust(k: float, x: float) -> Mask:
    """Head and shoulders of an upright figure, clipped to the badge."""
    badge = disc(C, C, 440)

    def mask(grow: float) -> Image.Image:
        img, d = blank()
        circle(d, x, 300 - 50 * (k - 1), 118 * k + grow)
        w, top = 250 + 30 * (k - 1) + grow, 470 + 60 * (k - 1) - grow
        d.rounded_rectangle((x - w, top, x + w, 1100), radius=w * 0.75, fill=255)
        return ImageChops.multiply(img, badge(-30))

    return mask


def mark_box(k: float) -> tuple[float, float, float]:
    """The marker's centre (x = y), half its extent and its outline: bigger when bold."""
    r, o = 215 * k, 34 * k * k
    return CANVAS - r - o, r, o  # it touches the lower-right corner of the canvas


def marker(state: Marker, k: float) -> list[Part]:
    """The state's mark at the lower right: differs by shape, not only colour."""
    x, r, o = mark_box(k)
    y = x
    if state is Marker.DUE:
        return [Part(disc(x, y, r), WHITE, o),
                Part(stroke([(x, y - r * 0.5), (x, y + r * 0.08)], r * 0.32), DARK, ink=False),
                Part(disc(x, y + r * 0.5, r * 0.19), DARK, ink=False)]
    if state is Marker.SNOOZED:
        return [Part(crescent(x, y, r, x + r * 0.55, y - r * 0.45, r * 0.85), WHITE, o)]
    if state is Marker.PAUSED:
        w = r * 0.5
        return [Part(stroke([(x + s * r * 0.45, y - r + w / 2), (x + s * r * 0.45, y + r - w / 2)],
                            w), WHITE, o) for s in (-1, 1)]
    if state is Marker.DONE:
        w = r * 0.42
        pts = [(x - r + w / 2, y + r * 0.05), (x - r * 0.3, y + r * 0.7),
               (x + r - w / 2, y - r * 0.6)]
        return [Part(stroke(pts, w), WHITE, o)]
    return []


def parts(state: Marker, bold: bool) -> list[Part]:
    k = 1.3 if bold else 1.0
    colour = COLOURS[state]
    spine = [] if bold else [Part(stroke([(C - 40, 575), (C - 40, 870)], 44), colour)]
    badge = disc(C, C, 470 - 30 * k)
    marks = marker(state, k)
    x, r, o = mark_box(k)  # the marker sits in a round notch in the badge's colour
    notch = disc(x, x, r + o + 60 * k * k)
    gap = [Part(clipped(notch, badge), colour)] if marks else []
    figure = bust(k, C - 40 - (70 if bold and marks else 0))
    return [Part(badge, colour, 30 * k), Part(figure, WHITE, ink=False), *spine, *gap, *marks]


def render(state: Marker, bold: bool) -> Image.Image:
    """The colour icon at canvas size."""
    img = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    for part in parts(state, bold):
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        if part.outline:
            layer.paste(DARK, mask=part.mask(part.outline))
        layer.paste(part.fill, mask=part.mask(0))
        img.alpha_composite(layer)
    return img


def render_template(state: Marker) -> Image.Image:
    """The macOS menu-bar template at canvas size: black on transparent, only alpha matters."""
    alpha = Image.new("L", (CANVAS, CANVAS), 0)
    for part in parts(state, bold=True):
        if part.outline and part.ink:
            alpha.paste(0, mask=part.mask(part.outline))
        alpha.paste(255 if part.ink else 0, mask=part.mask(0))
    img = Image.new("RGBA", alpha.size, (0, 0, 0, 0))
    img.putalpha(alpha)
    return img


SYMBOLIC_GRID = 128  # the template is traced at this many cells across
# Where no hicolor theme is installed, the panel still finds the folder (IconThemePath).
THEME_INDEX = """[Icon Theme]
Name=Hicolor
Comment=Pointbreak's own icons, under the fallback theme's name
Directories=scalable/status

[scalable/status]
Size=16
MinSize=8
MaxSize=512
Type=Scalable
Context=Status
"""


def symbolic_svg(state: Marker) -> str:
    """The symbolic SVG of `state`: the template's shape, in the panel's text colour."""
    n = SYMBOLIC_GRID
    mask = scaled(render_template(state), n).getchannel("A").point(
        lambda a: 255 if a >= 128 else 0)
    pixels = mask.load()
    assert pixels is not None
    runs: dict[tuple[int, int], int] = {}  # (x, width) of a run in a row -> its first row
    boxes: list[tuple[int, int, int, int]] = []  # x, y, width, height
    for y in range(n + 1):
        row: set[tuple[int, int]] = set()
        x = 0
        while y < n and x < n:
            if pixels[x, y]:
                start = x
                while x < n and pixels[x, y]:
                    x += 1
                row.add((start, x - start))
            x += 1
        for run in sorted(set(runs) - row):  # runs that stop at this row make a box
            boxes.append((run[0], runs[run], run[1], y - runs.pop(run)))
        for run in row:
            runs.setdefault(run, y)
    path = "".join(f"M{x} {top}h{w}v{h}h-{w}z" for x, top, w, h in sorted(boxes,
                                                                       key=lambda b: b[1::-1]))
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" '
            f'viewBox="0 0 {n} {n}">\n'
            '<style id="current-color-scheme">.ColorScheme-Text{color:#2e3436}</style>\n'
            f'<path class="ColorScheme-Text" fill="currentColor" d="{path}"/>\n</svg>\n')


def scaled(img: Image.Image, size: int) -> Image.Image:
    return img.resize((size, size), Image.Resampling.LANCZOS)


def save_png(img: Image.Image, dest: Path) -> None:
    img.save(dest, "PNG", optimize=True)


def main(folder_: Path | None = None) -> list[Path]:
    """Draw every icon into `folder_` (default: the icons package folder); the written files."""
    out = folder_ or folder()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(img: Image.Image, name: str) -> None:
        save_png(img, out / name)
        written.append(out / name)

    def save_ico(images: list[Image.Image], name: str) -> None:
        biggest = images[-1]
        biggest.save(out / name, "ICO", sizes=[im.size for im in images],
                     append_images=images[:-1])
        written.append(out / name)

    for state in Marker:
        big = {bold: render(state, bold) for bold in (False, True)}
        images = [scaled(big[size <= BOLD_UP_TO], size) for size in SIZES]
        for size, img in zip(SIZES, images, strict=True):
            save(img, f"tray-{state}-{size}.png")
            if size in RAW_SIZES:
                (out / f"tray-{state}-{size}.rgba").write_bytes(img.convert("RGBA").tobytes())
                written.append(out / f"tray-{state}-{size}.rgba")
        save_ico(images, f"tray-{state}.ico")
        if state is Marker.NORMAL:
            save_ico(images, "app.ico")
            for size in APP_SIZES:
                save(scaled(big[False], size), f"app-{size}.png")
        template = render_template(state)
        for size, suffix in TEMPLATE_SIZES:
            small = scaled(template, size)
            black = Image.new("RGBA", small.size, (0, 0, 0, 0))
            black.putalpha(small.getchannel("A"))
            save(black, f"tray-{state}-template{suffix}.png")
        svg = symbolic_path(state, out)
        svg.parent.mkdir(parents=True, exist_ok=True)
        svg.write_text(symbolic_svg(state), encoding="utf-8")
        written.append(svg)
    theme = out / "hicolor" / "index.theme"
    theme.write_text(THEME_INDEX, encoding="utf-8")
    written.append(theme)
    return written


if __name__ == "__main__":
    files = main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(f"wrote {len(files)} files, {sum(f.stat().st_size for f in files) / 1024:.1f} KiB")
