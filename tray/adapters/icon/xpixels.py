"""The XEmbed icon's pixels: which shipped size fits its slot, and blending it over what the
panel shows beneath it (tray/adapters/icon/xembed.py)."""

from __future__ import annotations

import icons


def blend(pixels: bytes, under: bytes, order: str) -> bytes:
    """RGBA `pixels` (not premultiplied) over `under`, a 32-bit ZPixmap read from the window
    whose bytes are in `order` ("BGRA", the usual, or "ARGB"): the result in the same layout,
    premultiplied, so a 32-bit visual composites it and a 24-bit one shows it as it is."""
    out = bytearray(under)
    red, green, blue, alpha = (order.index(channel) for channel in "RGBA")
    for at in range(0, len(pixels), 4):
        a = pixels[at + 3]
        if a == 0:
            continue
        rest = 255 - a
        out[at + red] = (pixels[at] * a + out[at + red] * rest + 127) // 255
        out[at + green] = (pixels[at + 1] * a + out[at + green] * rest + 127) // 255
        out[at + blue] = (pixels[at + 2] * a + out[at + blue] * rest + 127) // 255
        out[at + alpha] = a + (out[at + alpha] * rest + 127) // 255
    return bytes(out)


def side_for(width: int, height: int) -> int:
    """The raw icon size drawn in a slot of `width` x `height`: the largest that fits."""
    fitting = [size for size in icons.RAW_SIZES if size <= min(width, height)]
    return max(fitting) if fitting else min(icons.RAW_SIZES)
