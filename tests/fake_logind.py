"""A stand-in for logind on a private bus, for tests: `python fake_logind.py BUS_ADDRESS`.

It owns org.freedesktop.login1, answers GetSession/GetSessionByPID with one session path, and
on each line of standard input sends a signal: sleep, wake, lock, unlock.
"""

import sys
import threading

from jeepney import DBusAddress, MessageType, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

LOGIN1 = "org.freedesktop.login1"
SESSION = "/org/freedesktop/login1/session/_31"
MANAGER = DBusAddress("/org/freedesktop/login1", interface=f"{LOGIN1}.Manager")
SESSION_OBJECT = DBusAddress(SESSION, interface=f"{LOGIN1}.Session")


def main() -> None:
    connection = open_dbus_connection(bus=sys.argv[1])
    connection.send_and_get_reply(message_bus.RequestName(LOGIN1))
    lock = threading.Lock()
    signals = {
        "sleep": (MANAGER, "PrepareForSleep", "b", (True,)),
        "wake": (MANAGER, "PrepareForSleep", "b", (False,)),
        "lock": (SESSION_OBJECT, "Lock", None, ()),
        "unlock": (SESSION_OBJECT, "Unlock", None, ()),
    }

    def commands() -> None:
        for line in sys.stdin:
            address, member, signature, body = signals[line.strip()]
            with lock:
                connection.send(new_signal(address, member, signature, body))
            print(f"sent {line.strip()}", flush=True)

    threading.Thread(target=commands, daemon=True).start()
    print("ready", flush=True)
    while True:
        message = connection.receive()
        if message.header.message_type is MessageType.method_call:
            with lock:
                connection.send(new_method_return(message, "o", (SESSION,)))


if __name__ == "__main__":
    main()
