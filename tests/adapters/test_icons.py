"""The shipped tray icons: every state and size, distinct by shape, visible on light and dark."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PIL import IcoImagePlugin, Image, ImageChops

import icons
from icons import SIZES, Marker, image, path

PAIRS = list(itertools.combinations(Marker, 2))


def shipped_files() -> list[str]:
    names = [f"tray-{s}-{n}.png" for s in Marker for n in SIZES]
    names += [f"tray-{s}-{n}.rgba" for s in Marker for n in icons.RAW_SIZES]
    names += [f"tray-{s}.ico" for s in Marker]
    names += [f"tray-{s}-template{x}.png" for s in Marker for x in ("", "@2x")]
    names += [f"hicolor/scalable/status/pointbreak-{s}-symbolic.svg" for s in Marker]
    return [*names, "hicolor/index.theme", "app.ico", "app-256.png", "app-512.png"]


def count(mask: Image.Image) -> int:
    """How many pixels of a 0/255 mask are set."""
    return sum(mask.histogram()[1:])


def on(img: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """`img` composited on a solid background, in grayscale."""
    back = Image.new("RGBA", img.size, (*colour, 255))
    back.alpha_composite(img)
    return back.convert("L")


def opaque(img: Image.Image) -> Image.Image:
    return img.getchannel("A").point(lambda a: 255 if a >= 128 else 0)


def light(img: Image.Image) -> Image.Image:
    """The light pixels of the opaque area (the shape as a thresholded grayscale image)."""
    gray = on(img, (0, 0, 0)).point(lambda v: 255 if v >= 160 else 0)
    return ImageChops.multiply(gray, opaque(img))


def test_every_file_is_shipped() -> None:
    missing = [n for n in shipped_files() if not (icons.folder() / n).is_file()]
    assert missing == []


@pytest.mark.parametrize("state", list(Marker))
def test_every_size_is_right_and_has_alpha(state: Marker) -> None:
    for size in SIZES:
        assert path(state, size) == icons.folder() / f"tray-{state}-{size}.png"
        with Image.open(path(state, size)) as raw:
            assert raw.format == "PNG" and raw.mode == "RGBA"
            assert raw.size == (size, size)
        img = image(state, size)
        assert img.size == (size, size)
        lo, hi = img.getchannel("A").getextrema()
        assert lo == 0 and hi == 255, "transparent corners and an opaque body"


def test_unknown_sizes_and_states_are_refused() -> None:
    with pytest.raises(ValueError):
        path(Marker.NORMAL, 17)
    with pytest.raises(ValueError):
        path("sleepy", 16)
    assert path("due", 32) == path(Marker.DUE, 32)


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=lambda s: str(s))
def test_states_differ_by_colour_and_shape(a: Marker, b: Marker) -> None:
    ia, ib = image(a, 32), image(b, 32)
    diff = ImageChops.difference(ia, ib).convert("L")
    assert count(diff.point(lambda v: 255 if v > 40 else 0)) >= 60, "pixels differ clearly"
    # shape, not only colour: the silhouettes and the light (white) parts differ
    assert count(ImageChops.difference(opaque(ia), opaque(ib))) >= 12
    assert count(ImageChops.difference(light(ia), light(ib))) >= 40


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=lambda s: str(s))
def test_small_icons_differ_by_shape(a: Marker, b: Marker) -> None:
    for size in (16, 24):
        ia, ib = image(a, size), image(b, size)
        assert count(ImageChops.difference(light(ia), light(ib))) >= size // 2


@pytest.mark.parametrize("size", [16, 24, 32, 256])
@pytest.mark.parametrize("state", list(Marker))
def test_visible_on_light_and_dark_panels(state: Marker, size: int) -> None:
    img = image(state, size)
    body = opaque(img)
    area = count(body)

    def share(panel: int, lo: int, hi: int) -> float:
        """The share of the icon, on a `panel` gray background, whose gray is in [lo, hi]."""
        inside = on(img, (panel,) * 3).point(lambda v: 255 if lo <= v <= hi else 0)
        return count(ImageChops.multiply(inside, body)) / area

    # a dark component (the outline) and a light one (figure and marker)
    assert share(128, 0, 60) >= 0.04
    assert share(128, 200, 255) >= 0.15
    # on a white and on a black panel, a good part of the icon stands out clearly
    assert share(255, 0, 155) >= 0.3, "against white"
    assert share(0, 100, 255) >= 0.3, "against black"


@pytest.mark.parametrize("name", ["app.ico", *(f"tray-{s}.ico" for s in Marker)])
def test_ico_holds_16_to_256(name: str) -> None:
    with Image.open(icons.folder() / name) as ico:
        assert ico.format == "ICO"
        sizes = ico.info["sizes"]
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
        assert isinstance(ico, IcoImagePlugin.IcoImageFile)
        for size in (16, 256):
            assert ico.ico.getimage((size, size)).size == (size, size)


@pytest.mark.parametrize("state", list(Marker))
def test_templates_are_black_on_transparent(state: Marker) -> None:
    for suffix, size in (("", 22), ("@2x", 44)):
        with Image.open(icons.folder() / f"tray-{state}-template{suffix}.png") as raw:
            img = raw.convert("RGBA")
        assert img.size == (size, size)
        r, g, b, a = img.split()
        assert r.getextrema() == g.getextrema() == b.getextrema() == (0, 0)
        assert a.getextrema() == (0, 255)
        assert count(opaque(img)) >= size * size // 5


def test_templates_differ_by_state() -> None:
    masks = {s: opaque(Image.open(icons.folder() / f"tray-{s}-template@2x.png").convert("RGBA"))
             for s in Marker}
    for a, b in PAIRS:
        assert count(ImageChops.difference(masks[a], masks[b])) >= 30, (a, b)


@pytest.mark.parametrize("state", list(Marker))
def test_the_raw_pixels_are_the_pngs_pixels(state) -> None:
    """The tray reads its icons from the raw files (no PNG decoder before the icon shows):
    they hold exactly what the PNGs decode to, at every raw size."""
    for size in icons.RAW_SIZES:
        with Image.open(icons.path(state, size)) as img:
            assert img.mode == "RGBA"
            assert icons.rgba(state, size) == img.tobytes(), (state, size)
        assert icons.image(state, size).tobytes() == icons.rgba(state, size)
    with pytest.raises(ValueError, match="no 20 px raw icon"):
        icons.rgba(state, 20)


def test_a_raw_file_of_the_wrong_length_is_refused(tmp_path, monkeypatch) -> None:
    (tmp_path / "tray-normal-16.rgba").write_bytes(b"\0" * 10)
    monkeypatch.setattr(icons, "folder", lambda: tmp_path)
    with pytest.raises(ValueError, match="holds 10 bytes, not 1024"):
        icons.rgba(Marker.NORMAL, 16)


def test_app_icons() -> None:
    for size in (256, 512):
        with Image.open(icons.folder() / f"app-{size}.png") as img:
            assert img.size == (size, size) and img.mode == "RGBA"


def test_drawing_is_deterministic(tmp_path: Path) -> None:
    from icons import draw

    written = draw.main(tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in written) == sorted(shipped_files())
    for name in shipped_files():
        assert (tmp_path / name).read_bytes() == (icons.folder() / name).read_bytes(), name


def symbolic_mask(state: Marker) -> Image.Image:
    """The shape a symbolic SVG draws, read back from its path (rectangles on its grid)."""
    import re
    from xml.etree import ElementTree

    svg = ElementTree.parse(icons.symbolic_path(state)).getroot()
    n = int(svg.get("viewBox").split()[2])
    [path] = [e for e in svg.iter() if e.tag.endswith("path")]
    assert path.get("fill") == "currentColor" and path.get("class") == "ColorScheme-Text"
    assert len(list(svg.iter())) == 3  # the svg, its colour-scheme style and the one path
    mask = Image.new("L", (n, n), 0)
    boxes = re.findall(r"M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z", path.get("d"))
    assert "".join(f"M{x} {y}h{w}v{h}h-{w2}z" for x, y, w, h, w2 in boxes) == path.get("d")
    for x, y, w, h, w2 in boxes:
        assert w == w2
        mask.paste(255, (int(x), int(y), int(x) + int(w), int(y) + int(h)))
    return mask


@pytest.mark.parametrize("state", list(Marker))
def test_the_symbolic_icon_is_the_templates_shape_in_one_recolourable_colour(state) -> None:
    from icons import draw

    mask = symbolic_mask(state)
    template = draw.scaled(draw.render_template(state), mask.width).getchannel("A")
    assert mask.tobytes() == template.point(lambda a: 255 if a >= 128 else 0).tobytes()
    assert 0.3 < count(mask) / (mask.width * mask.height) < 0.8


def test_the_symbolic_icons_differ_by_state_and_sit_in_a_hicolor_layout() -> None:
    for a, b in PAIRS:
        assert ImageChops.difference(symbolic_mask(a), symbolic_mask(b)).getbbox(), (a, b)
    theme = (icons.folder() / "hicolor" / "index.theme").read_text()
    assert "Directories=scalable/status" in theme and "Type=Scalable" in theme
