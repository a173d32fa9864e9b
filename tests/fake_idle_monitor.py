"""A stand-in for the idle-time services on a private bus, for tests:
`python fake_idle_monitor.py BUS_ADDRESS`.

It owns org.gnome.Mutter.IdleMonitor (GetIdletime, t, milliseconds) and
org.freedesktop.ScreenSaver (GetSessionIdleTime, u, milliseconds as the reader takes them). Each
line of standard input sets the idle time in milliseconds ("set N" is printed back), or, as
`active` or `inactive`, sends the ScreenSaver's ActiveChanged signal ("sent ..." back).
"""

import sys
import threading

from jeepney import DBusAddress, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

ANSWERS = {"GetIdletime": "t", "GetSessionIdleTime": "u"}
SCREENSAVER = DBusAddress("/org/freedesktop/ScreenSaver", interface="org.freedesktop.ScreenSaver")


def main() -> None:
    connection = open_dbus_connection(bus=sys.argv[1])
    for name in ("org.gnome.Mutter.IdleMonitor", "org.freedesktop.ScreenSaver"):
        connection.send_and_get_reply(message_bus.RequestName(name))
    idle_ms = [0]
    lock = threading.Lock()

    def commands() -> None:
        for line in sys.stdin:
            command = line.strip()
            if command in ("active", "inactive"):
                with lock:
                    connection.send(new_signal(SCREENSAVER, "ActiveChanged", "b",
                                               (command == "active",)))
                print(f"sent {command}", flush=True)
                continue
            idle_ms[0] = int(command)
            print(f"set {idle_ms[0]}", flush=True)

    threading.Thread(target=commands, daemon=True).start()
    print("ready", flush=True)
    while True:
        message = connection.receive()
        if message.header.message_type is not MessageType.method_call:
            continue
        from jeepney import HeaderFields

        member = message.header.fields.get(HeaderFields.member)
        with lock:
            if member in ANSWERS:
                connection.send(new_method_return(message, ANSWERS[member], (idle_ms[0],)))
            else:
                connection.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod"))


if __name__ == "__main__":
    main()
