"""Docstrings and the README's Layout name code that exists.

A docstring that names a module (``printing.py``, ``bimtek/events/access.py``) or a dotted
name of this project (``attempts.close_if_expired``, ``bimtek.storage.files``) is checked: the
file must exist, and a dotted name must resolve to a module of this project and to names
defined in it (a function, class, constant or import at its top level, or an attribute of a
class in it). Dotted names whose first part is not a module of this project (``canvas.doForm``,
``events_admin.index``, an audit action such as ``session.update``) are not checked here.
"""

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bimtek", "bench", "tests", "migrations")
#: files named as other projects' (Indico's ``util.py``, CTFd's ``tests/helpers.py``) or made
#: at run time (``instance/config.py``)
ELSEWHERE = {"util.py", "operations.py", "tests/helpers.py", "instance/config.py"}
#: a dotted name ending so is a file name (``archive.py``, ``database.pgdump``), not code
SUFFIXES = {"py", "sqlite", "pgdump", "json", "toml", "ini", "cfg", "txt", "html", "pdf", "xlsx"}
FILE = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.py)\b")
DOTTED = re.compile(r"`{1,2}([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?:\(\))?`{1,2}")


def _python_files() -> list[Path]:
    files = [ROOT / name for name in ("wsgi.py", "gunicorn.conf.py")]
    for folder in SOURCES:
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.exists()]


@cache
def _modules() -> dict[str, set[str]]:
    """Every module's dotted name → the names defined in it (top level and class bodies)."""
    modules = {}
    for path in _python_files():
        relative = path.relative_to(ROOT).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
        modules[".".join(parts)] = names
    for name in list(modules):  # a package also holds its submodules
        package, _, child = name.rpartition(".")
        if package in modules:
            modules[package].add(child)
    return modules


@cache
def _string_literals() -> set[str]:
    """Every string constant in the code: a dotted one is an audit action, an endpoint or a
    endpoint (``attendance.correct``, ``events.index``), not code; ``wsgi.errors``
    is the WSGI key, not the module ``wsgi``."""
    found = set()
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _resolves(dotted: str) -> bool | None:
    """True or False for a name of this project; None when it is not one."""
    parts = dotted.split(".")
    if parts[-1] in SUFFIXES or parts[0] == "wsgi" or dotted in _string_literals():
        return None
    modules = _modules()
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        found = [m for m in modules if m == prefix or m.endswith("." + prefix)]
        if found:
            rest = parts[length:]
            if not rest:
                return True
            return any(rest[0] in modules[m] for m in found)
    return False if parts[0] == "bimtek" else None


def _file_exists(name: str) -> bool:
    if name in ELSEWHERE or (ROOT / name).exists() or (ROOT / "bimtek" / name).exists():
        return True
    return any(str(path).endswith("/" + name) for path in _python_files())


def _gone(text: str) -> list[str]:
    gone = [name for name in FILE.findall(text) if not _file_exists(name)]
    gone += [name for name in DOTTED.findall(text) if _resolves(name) is False]
    return gone


def test_every_name_a_docstring_gives_exists():
    wrong = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                docstring = ast.get_docstring(node)
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 1)}"
                wrong += [f"{where}: {name}" for name in _gone(docstring or "")]
    assert not wrong, "docstrings name code that is gone:\n" + "\n".join(wrong)


def test_every_name_the_readme_layout_gives_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    backticked = " ".join(f"`{name}`" for name in re.findall(r"`([^`]+)`", layout))
    wrong = _gone(backticked)
    assert not wrong, "the README's Layout names code that is gone: " + ", ".join(wrong)


def test_the_check_finds_a_name_that_is_gone():
    assert _gone("``attempts.close_if_expired`` and ``bimtek.storage.files``") == []
    gone = "attempts." + "close_attempt"  # not a literal: literals are skipped as actions
    assert _gone(f"``{gone}`` in ``pdfsplit_gone.py``") == ["pdfsplit_gone.py", gone]
    assert _gone("``canvas.doForm`` and ``events_admin.index``") == []
