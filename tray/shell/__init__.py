"""The tray's process: the composition root (`app`), the engine's thread (`runner`), the effect
interpreter, the window processes it opens, the crash record, and what a person reads about the
state (`texts`). It wires the adapters, the store and the control channel to the core.
The table of its threads, their owners and what each may touch is in docs/architecture.md.
"""
