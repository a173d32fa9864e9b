"""A plain Tk window for tests that goes fullscreen, and leaves it on "leave" from stdin."""

import sys
import threading
import tkinter as tk

root = tk.Tk()
root.title("Fullscreen test")
tk.Label(root, text="A presentation").pack(expand=True, fill="both")
root.attributes("-fullscreen", True)


def commands() -> None:
    for line in sys.stdin:
        if line.strip() == "leave":
            root.after(0, lambda: root.attributes("-fullscreen", False))
        elif line.strip() == "quit":
            root.after(0, root.destroy)


threading.Thread(target=commands, daemon=True).start()
root.after(200, lambda: print("shown", flush=True))
root.mainloop()
