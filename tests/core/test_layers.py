"""The layers hold: ``lint-imports`` (the contract in pyproject.toml) runs in ``make lint``;
this test keeps the other half of the rule, that no module imports one of ours inside a
function, which is how a cycle used to be hidden from both Python and import-linter."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "bimtek"


def _imports_inside_functions(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("bimtek"):
                found.append((inner.lineno, inner.module))
            elif isinstance(inner, ast.Import):
                found += [
                    (inner.lineno, a.name) for a in inner.names if a.name.startswith("bimtek")
                ]
    return found


def test_no_module_imports_ours_inside_a_function():
    hidden = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(ROOT.rglob("*.py"))
        if (lines := _imports_inside_functions(path))
    }
    assert hidden == {}


def test_the_scan_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bimtek.core import numbers\n    import bimtek.errors\n")
    assert _imports_inside_functions(module) == [(2, "bimtek.core"), (3, "bimtek.errors")]
