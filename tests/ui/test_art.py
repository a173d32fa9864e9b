"""The routine window's illustrations: every kind, size and theme renders, differs and shows."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image, ImageChops

from routines import art

SIZES = (96, 240, 480)
THEMES = ("light", "dark")
BACKGROUNDS = {"light": (247, 247, 244), "dark": (31, 33, 36)}


def count(mask: Image.Image) -> int:
    """How many pixels of an "L" mask are non-zero."""
    return sum(mask.histogram()[1:])


def solid(img: Image.Image) -> Image.Image:
    """The mostly opaque pixels of an RGBA image, as a 0/255 mask."""
    return img.getchannel("A").point(lambda v: 255 if v >= 128 else 0)


def test_kinds_are_the_routine_illustrations() -> None:
    assert art.KINDS == ("settle", "locate", "press", "circles", "rest", "finish")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", art.KINDS)
def test_renders_square_rgba_and_not_blank(kind: str, size: int, theme: str) -> None:
    img = art.render(kind, size, theme)
    assert img.mode == "RGBA"
    assert img.size == (size, size)
    share = count(solid(img)) / size**2
    assert 0.08 < share < 0.8, f"{kind} at {size} px ({theme}): {share:.0%} drawn"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(art.KINDS, 2)))
def test_kinds_differ(a: str, b: str, theme: str) -> None:
    ma, mb = solid(art.render(a, 240, theme)), solid(art.render(b, 240, theme))
    differ = count(ImageChops.logical_xor(ma.convert("1"), mb.convert("1")).convert("L"))
    union = count(ImageChops.lighter(ma, mb))
    assert differ / union > 0.35, f"{a} and {b} overlap too much ({differ / union:.0%} differ)"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", art.KINDS)
def test_foreground_contrasts_with_background(kind: str, theme: str) -> None:
    bg = BACKGROUNDS[theme]
    img = art.render(kind, 240, theme)
    shown = Image.new("RGBA", img.size, (*bg, 255))
    shown.alpha_composite(img)
    diff = ImageChops.difference(shown.convert("RGB"), Image.new("RGB", img.size, bg))
    strong = diff.convert("L").point(lambda v: 255 if v >= 70 else 0)
    share = count(strong) / 240**2
    assert share > 0.05, f"{kind} ({theme}): only {share:.1%} of pixels stand out"


@pytest.mark.parametrize("theme", THEMES)
def test_themes_pick_their_own_colours(theme: str) -> None:
    other = "dark" if theme == "light" else "light"
    for kind in art.KINDS:
        assert art.png(kind, 96, theme) != art.png(kind, 96, other)


@pytest.mark.parametrize("kind", art.KINDS)
def test_png_bytes_open_with_pillow(kind: str) -> None:
    data = art.png(kind, 240, "dark")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert img.format == "PNG"
        assert img.size == (240, 240)
        assert img.mode == "RGBA"
        assert img.tobytes() == art.render(kind, 240, "dark").tobytes()


def test_png_is_cached() -> None:
    assert art.png("press", 120) is art.png("press", 120)


def test_unknown_kind_raises_naming_it() -> None:
    with pytest.raises(ValueError, match="stretch"):
        art.render("stretch", 240)
    with pytest.raises(ValueError, match="stretch"):
        art.png("stretch", 240)


def test_unknown_theme_raises() -> None:
    with pytest.raises(ValueError, match="sepia"):
        art.render("press", 240, "sepia")


@pytest.mark.parametrize("kind", art.KINDS)
def test_deterministic(kind: str) -> None:
    def fresh() -> bytes:
        out = io.BytesIO()
        art.render(kind, 240, "light").save(out, format="PNG")
        return out.getvalue()

    assert fresh() == fresh()
    art.png.cache_clear()
    first = art.png(kind, 200, "light")
    art.png.cache_clear()
    assert art.png(kind, 200, "light") == first
