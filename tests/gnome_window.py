"""Another app's window for the GNOME tests: a native Wayland GTK 4 window (Debian's python3-gi),
maximized, one flat colour, so a screenshot shows what covers it. Prints "shown" once it is
mapped and has drawn; ends on SIGTERM. Usage: /usr/bin/python3 gnome_window.py TITLE RRGGBB"""

import signal
import sys

import gi

gi.require_version("Gtk", "4.0")
from gi.repository import GLib, Gtk  # noqa: E402

title, colour = sys.argv[1], sys.argv[2]
css = Gtk.CssProvider()
css.load_from_data(f"window {{ background: #{colour}; }}".encode())
app = Gtk.Application(application_id="org.pointbreak.TestCover")


def activate(application: Gtk.Application) -> None:
    window = Gtk.ApplicationWindow(application=application, title=title)
    Gtk.StyleContext.add_provider_for_display(window.get_display(), css, 800)
    window.maximize()

    def mapped(*_args: object) -> None:
        clock = window.get_frame_clock()
        handler = 0

        def painted(*_args: object) -> None:  # the first frame after the map has been drawn
            clock.disconnect(handler)
            print("shown", flush=True)

        handler = clock.connect("after-paint", painted)

    window.connect("map", mapped)
    window.present()


app.connect("activate", activate)
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, app.quit)
sys.exit(app.run([]))
