"""Tests import at the top of their module. An import inside a test function or fixture
stays only with a comment on its line or the line above saying why (such as an import that
must happen after an app or the environment is set up)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _uncommented_imports_in_functions(path: Path) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if not isinstance(inner, ast.Import | ast.ImportFrom):
                continue
            own = lines[inner.lineno - 1 : inner.end_lineno]
            above = lines[inner.lineno - 2].strip() if inner.lineno >= 2 else ""
            if not any("#" in line for line in own) and not above.startswith("#"):
                found.add(inner.lineno)
    return sorted(found)


def test_no_test_imports_inside_a_function_without_saying_why():
    found = {}
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if lines := _uncommented_imports_in_functions(path):
            found[relative] = lines
    assert found == {}


def test_the_scan_sees_imports_inside_functions_and_their_reasons(tmp_path):
    module = tmp_path / "test_m.py"
    module.write_text(
        "import os\n"
        "\n"
        "\n"
        "def test_a():\n"
        "    import json\n"
        "    from pathlib import (\n"
        "        Path,\n"
        "    )\n"
        "    # imported after the environment is set\n"
        "    import sys\n"
        "    import csv  # the reason, on its line\n"
        "\n"
        "\n"
        "def fixture():\n"
        "    with open(os.devnull):\n"
        "        import re\n"
    )
    assert _uncommented_imports_in_functions(module) == [5, 6, 16]
