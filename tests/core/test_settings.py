"""Every setting the code reads is declared in DefaultConfig, and every declared one is read.

The source is scanned (ast), not run: a read like ``current_app.config["X"]``,
``app.config.get("X")`` or ``config["X"]`` names a setting. A declared setting counts as
read when its name is a string in the code (some are passed to a small reader, e.g.
``_items("RATELIMIT_LOGIN_ACCOUNT_ADDRESS")``, or built as ``f"{prefix}_MAX_BYTES"`` from a
string prefix), or when a Flask extension we use reads it from its own source.
"""

import ast
import importlib.util
import inspect
from functools import cache
from pathlib import Path

from flask import Flask

from bimtek.config import DefaultConfig

PACKAGE = Path(__file__).resolve().parents[2] / "bimtek"
#: the extensions that read settings of their own (SESSION_*, SQLALCHEMY_*, RATELIMIT_*, ...)
LIBRARIES = (
    "flask",
    "flask_sqlalchemy",
    "flask_babel",
    "flask_wtf",
    "flask_limiter",
    "flask_login",
)


def declared() -> dict[str, object]:
    return {name: value for name, value in vars(DefaultConfig).items() if name.isupper()}


def comments_of_declared() -> dict[str, bool]:
    """Whether each declared name has a ``#:`` comment just above it (one or a few lines)."""
    lines = inspect.getsource(DefaultConfig).splitlines()
    found = {}
    for index, line in enumerate(lines):
        name = line.strip().split("=")[0].split(":")[0].strip()
        if name.isupper() and line.startswith("    ") and not line.startswith("     "):
            above = index - 1
            while lines[above].strip().startswith("#:") and not lines[above].strip() == "#:":
                above -= 1
            found[name] = above < index - 1
    return found


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "config.py" or path.parent != PACKAGE:
            yield path, ast.parse(path.read_text(), filename=str(path))


def _is_config(node: ast.AST) -> bool:
    """``config``, ``app.config``, ``current_app.config``, ``self.app.config``."""
    if isinstance(node, ast.Name):
        return node.id == "config"
    return isinstance(node, ast.Attribute) and node.attr == "config"


def _key(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def reads() -> list[tuple[str, str, ast.AST]]:
    """(setting, "file:line", the read) for every read of a constant name from a config."""
    found = []
    for path, tree in _sources():
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Subscript) and _is_config(node.value):
                name = _key(node.slice)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and _is_config(node.func.value)
                and node.args
            ):
                name = _key(node.args[0])
            if name:
                found.append((name, f"{where}:{node.lineno}", node))
    return found


def strings_in_code() -> tuple[set[str], set[str]]:
    """Every string constant in the package, and the constant tails of f-strings."""
    strings, tails = set(), set()
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                last = node.values[-1]
                if isinstance(last, ast.Constant) and isinstance(last.value, str):
                    tails.add(last.value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
    return strings, tails


@cache
def library_source() -> str:
    texts = []
    for module in LIBRARIES:
        folder = Path(importlib.util.find_spec(module).origin).parent
        texts.extend(path.read_text(errors="replace") for path in folder.rglob("*.py"))
    return "\n".join(texts)


def test_every_setting_read_is_declared():
    known = set(declared()) | set(Flask.default_config)
    undeclared = sorted(
        {f"{name} ({where})" for name, where, _node in reads() if name not in known}
    )
    assert undeclared == [], "declare these in DefaultConfig, with a #: comment"


def test_no_inline_default_where_a_setting_is_read():
    """The default lives in DefaultConfig only: no ``.get("X", default)`` and no
    ``.get("X") or default`` for a setting whose declared default is not None."""
    defaults = declared()
    inline = [
        f"{name} ({where})"
        for name, where, node in reads()
        if isinstance(node, ast.Call) and len(node.args) > 1
    ]
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
                first = node.values[0]
                if (
                    isinstance(first, ast.Call)
                    and isinstance(first.func, ast.Attribute)
                    and first.func.attr == "get"
                    and _is_config(first.func.value)
                    and first.args
                    and defaults.get(_key(first.args[0])) is not None
                ):
                    inline.append(f"{_key(first.args[0])} ({path.name}:{node.lineno})")
    assert inline == []


def test_every_declared_setting_is_read():
    strings, tails = strings_in_code()
    read = {name for name, _where, _node in reads()}
    built = {prefix + tail for prefix in strings for tail in tails if prefix.isupper()}
    unread = [
        name
        for name in declared()
        if name not in read
        and name not in strings
        and name not in built
        and f'"{name}"' not in library_source()
        and f"'{name}'" not in library_source()
    ]
    assert unread == [], "wire these to their user or remove them from DefaultConfig"


def test_every_declared_setting_says_what_it_is_for():
    undocumented = [name for name, documented in comments_of_declared().items() if not documented]
    assert set(comments_of_declared()) == set(declared())
    assert undocumented == [], "give these a one-line #: comment in DefaultConfig"
