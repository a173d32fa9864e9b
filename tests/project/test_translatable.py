"""The code's texts stay translatable: checked on the source, so a forgotten rule fails here
before any window shows it (the pseudo-language tests then find texts never marked at all)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
GETTEXT = {"_", "ngettext", "pgettext"}


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for folder in ("tray", "routines"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8"))


def own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of `scope` that are not inside a function or class within it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, SCOPES):
            stack.extend(ast.iter_child_nodes(node))


def calls(nodes: Iterator[ast.AST] | list[ast.AST], names: set[str]) -> list[ast.Call]:
    return [n for n in nodes if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id in names]


def test_no_function_hides_gettexts_underscore() -> None:
    """`for _ in ...` or `a, _ = ...` beside `_("text")` makes the text a call of an int."""
    found = []
    for path, tree in sources():
        for scope in ast.walk(tree):
            if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            bound = [n for n in own_nodes(scope) if isinstance(n, ast.Name) and n.id == "_"
                     and isinstance(n.ctx, ast.Store)]
            args = scope.args
            bound += [a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                                  args.kwarg) if a is not None and a.arg == "_"]
            if bound and calls(list(ast.walk(scope)), {"_"}):
                found.append(f"{path}:{bound[0].lineno}")
    assert not found, found


def test_texts_are_whole_literals() -> None:
    """The extractor reads literals only: no f-string, no concatenation, no formatting inside
    the call (a name is allowed: a text marked N_() where it was written)."""
    found = []
    for path, tree in sources():
        for call in calls(list(ast.walk(tree)), GETTEXT):
            literals = call.args[1:] if call.func.id == "pgettext" else call.args  # type: ignore[attr-defined]
            texts = literals[:2] if call.func.id == "ngettext" else literals[:1]  # type: ignore[attr-defined]
            if any(isinstance(t, (ast.JoinedStr, ast.BinOp, ast.Call)) for t in texts):
                found.append(f"{path}:{call.lineno}")
    assert not found, found


def test_nothing_is_translated_at_import_time() -> None:
    """A module's own code runs once, at import, before the language is known: texts there are
    marked N_() and translated where they are shown."""
    found = [f"{path}:{call.lineno}" for path, tree in sources()
             for call in calls(own_nodes(tree), GETTEXT)]
    found += [f"{path}:{call.lineno}" for path, tree in sources()
              for cls in ast.walk(tree) if isinstance(cls, ast.ClassDef)
              for call in calls(own_nodes(cls), GETTEXT)]
    assert not found, found
