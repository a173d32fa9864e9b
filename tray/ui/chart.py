"""Charts of the history on a Tk canvas: vectors, so they are crisp at any scale and DPI.

Readable without colour: every outcome has a pattern of its own as well as a colour from the
Okabe-Ito palette (made to be told apart with the common kinds of colour blindness), routines
completed are a filled diamond and snoozes a hollow circle, and the legend names each.
"""

from __future__ import annotations

import math
import tkinter as tk
from collections.abc import Sequence
from datetime import date
from typing import Any

from tray.base import words
from tray.base.dates import day_month, weekday
from tray.base.i18n import pgettext
from tray.core.history import STACK, Day
from tray.core.model import Outcome

# outcome: (fill, ink for its pattern, pattern)
PATTERNS: dict[Outcome | None, tuple[str, str, str]] = {
    Outcome.COMPLETED: ("#009E73", "#009E73", "solid"),
    Outcome.STOPPED_EARLY: ("#56B4E9", "#1f6f9c", "vertical"),
    Outcome.SKIPPED: ("#E69F00", "#8a5f00", "horizontal"),
    Outcome.IGNORED: ("#BBBBBB", "#555555", "dots"),
    Outcome.FAILED: ("#D55E00", "#7a3500", "cross"),
    None: ("", "#777777", "outline"),
}


def _pattern(canvas: tk.Canvas, box: tuple[float, float, float, float],
             outcome: Outcome | None, step: float) -> None:
    x0, y0, x1, y1 = box
    fill, ink, kind = PATTERNS[outcome]
    canvas.create_rectangle(x0, y0, x1, y1, fill=fill, outline=ink, width=1)
    if kind in ("vertical", "cross"):
        x = x0 + step / 2
        while x < x1:
            canvas.create_line(x, y0, x, y1, fill=ink)
            x += step
    if kind in ("horizontal", "cross"):
        y = y1 - step / 2
        while y > y0:
            canvas.create_line(x0, y, x1, y, fill=ink)
            y -= step
    if kind == "dots":
        r = max(1.0, step / 6)
        y = y1 - step / 2
        while y > y0:
            x = x0 + step / 2
            while x < x1:
                canvas.create_rectangle(x - r, y - r, x + r, y + r, fill=ink, outline="")
                x += step
            y -= step


def _nice_top(value: int) -> int:
    for top in (2, 4, 5, 6, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100):
        if value <= top:
            return top
    return (value // 50 + 1) * 50


def bars(canvas: tk.Canvas, days: Sequence[Day], *, width: int, height: int, scale: float,
         colours: dict[str, str], font: Any, small: Any, by_week: bool = False) -> None:
    """Prompts per day (or week) stacked by outcome, routines completed (◆) and snoozes (○)
    on the same scale; dates below. Clears the canvas first."""
    canvas.delete("all")
    left, right, top, bottom = 34 * scale, 24 * scale, 10 * scale, 26 * scale
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(max(d.prompt_count, d.routines, d.snoozes) for d in days)])
    y_top = _nice_top(peak)

    def y(count: float) -> float:
        return top + plot_h * (1 - count / y_top)

    ticks = [t for t in range(0, y_top + 1) if y_top <= 10 or t % (y_top // 5) == 0]
    for tick in ticks:
        canvas.create_line(left, y(tick), left + plot_w, y(tick),
                           fill=colours["trough"], dash=(2, 3) if tick else ())
        canvas.create_text(left - 6 * scale, y(tick), text=str(tick), anchor="e",
                           fill=colours["muted"], font=small)
    slot = plot_w / max(1, len(days))
    bar_w = max(2.0, slot * 0.7)
    step = max(3.0, 5 * scale)
    marker = max(3.0, min(slot * 0.22, 6 * scale))
    # A label every so many bars that the widest (in the language shown) never overlaps.
    widest = max((int(canvas.tk.call("font", "measure", small,
                                     _date_label(d.day, by_week, len(days)))) for d in days),
                 default=0)
    label_every = max(1, math.ceil(len(days) / max(1, plot_w / (widest + 12 * scale))))
    for index, day in enumerate(days):
        x0 = left + index * slot + (slot - bar_w) / 2
        x1 = x0 + bar_w
        level = 0
        for outcome in STACK:
            count = day.count(outcome)
            if count:
                _pattern(canvas, (x0, y(level + count), x1, y(level)), outcome, step)
                level += count
        centre = (x0 + x1) / 2
        if day.routines:
            cy = y(day.routines)
            canvas.create_polygon(centre, cy - marker, centre + marker, cy, centre, cy + marker,
                                  centre - marker, cy, fill=colours["fg"],
                                  outline=colours["bg"])
        if day.snoozes:
            cy = y(day.snoozes)
            canvas.create_oval(centre - marker * 0.8, cy - marker * 0.8, centre + marker * 0.8,
                               cy + marker * 0.8, outline=colours["fg"], width=max(1, scale))
        if index % label_every == 0:
            canvas.create_text(centre, top + plot_h + 4 * scale, anchor="n",
                               text=_date_label(day.day, by_week, len(days)),
                               fill=colours["muted"], font=small)
    canvas.create_line(left, y(0), left + plot_w, y(0), fill=colours["fg"])


def _date_label(day: date, by_week: bool, count: int) -> str:
    """Below a bar: the day of the month with its weekday (up to two weeks) or its month."""
    if by_week or count > 14:
        return day_month(day, short=True)
    # TRANSLATORS: below a day's bar in the history chart: "Mon 3".
    return pgettext("chart", "{weekday} {day}").format(weekday=weekday(day), day=day.day)


def legend(canvas: tk.Canvas, *, width: int, scale: float, colours: dict[str, str],
           small: Any) -> int:
    """The key to the chart, wrapped to `width`; returns the height used."""
    canvas.delete("all")
    items: list[tuple[str, Outcome | str | None]] = [(words.outcome(o), o) for o in STACK]
    items += [(pgettext("chart", "routines done"), "diamond"),
              (pgettext("chart", "snoozes"), "circle")]
    box = 12 * scale
    x, y = 0.0, 2 * scale
    for text, kind in items:
        estimate = box + 8 * scale + len(text) * 7 * scale + 14 * scale
        if x + estimate > width:
            x, y = 0.0, y + box + 8 * scale
        if kind == "diamond":
            c = (x + box / 2, y + box / 2)
            canvas.create_polygon(c[0], y, x + box, c[1], c[0], y + box, x, c[1],
                                  fill=colours["fg"])
        elif kind == "circle":
            canvas.create_oval(x + 1, y + 1, x + box - 1, y + box - 1, outline=colours["fg"],
                               width=max(1, scale))
        else:
            _pattern(canvas, (x, y, x + box, y + box), kind, max(3.0, 4 * scale))  # type: ignore[arg-type]
        item = canvas.create_text(x + box + 5 * scale, y + box / 2, text=text, anchor="w",
                                  fill=colours["fg"], font=small)
        bbox = canvas.bbox(item)
        x = (bbox[2] if bbox else x + estimate) + 14 * scale
    return int(y + box + 4 * scale)


def hours(canvas: tk.Canvas, counts: Sequence[int], *, width: int, height: int, scale: float,
          colours: dict[str, str], small: Any) -> None:
    """Routines completed by hour of the day: 24 slim bars, the busiest one marked."""
    canvas.delete("all")
    left, bottom = 4 * scale, 16 * scale
    plot_w, plot_h = width - 2 * left, height - bottom - 4 * scale
    peak = max([1, *counts])
    slot = plot_w / 24
    best = counts.index(max(counts)) if max(counts, default=0) else None
    for hour, count in enumerate(counts):
        x0 = left + hour * slot + slot * 0.15
        x1 = x0 + slot * 0.7
        y0 = 4 * scale + plot_h * (1 - count / peak)
        if count:
            fill = colours["accent"] if hour == best else colours["muted"]
            canvas.create_rectangle(x0, y0, x1, 4 * scale + plot_h, fill=fill, outline="")
        if hour % 6 == 0:
            canvas.create_text(x0, height - 2 * scale, text=f"{hour:02d}", anchor="sw",
                               fill=colours["muted"], font=small)
    canvas.create_line(left, 4 * scale + plot_h, left + plot_w, 4 * scale + plot_h,
                       fill=colours["fg"])
