"""The module naming convention of the README's Layout: reads that serve many pages are
``queries.py`` and never write; general writes are ``services.py``; no other name for either."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "bimtek"
OTHER_NAMES = {"reads", "reading", "records", "lookup", "operations", "writes"}
WRITING_CALLS = {"add", "add_all", "flush", "commit", "delete", "merge"}
WRITING_STATEMENTS = {"update", "insert", "delete"}


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = ast.unparse(node.func.value)
        name = node.func.attr
        if owner.endswith("session") and name in WRITING_CALLS:
            found.append(f"{path.name}:{node.lineno} {owner}.{name}")
        if owner in {"sa", "sqlalchemy"} and name in WRITING_STATEMENTS:
            found.append(f"{path.name}:{node.lineno} {owner}.{name}")
    return found


def test_reads_and_writes_have_one_name_each():
    names = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    assert sorted(n for n in names if Path(n).stem in OTHER_NAMES) == []


def test_no_queries_module_writes():
    found = {}
    for path in sorted(PACKAGE.rglob("queries.py")):
        if writes := _writes(path):
            found[path.parent.name] = writes
    assert found == {}


def test_the_write_finder_sees_session_writes_and_write_statements(tmp_path):
    module = tmp_path / "queries.py"
    module.write_text(
        "def f(row):\n"
        "    db.session.add(row)\n"
        "    db.session.execute(sa.update(T).values(a=1))\n"
        "    return db.session.scalars(sa.select(T)).all()\n"
    )
    assert _writes(module) == ["queries.py:2 db.session.add", "queries.py:3 sa.update"]
