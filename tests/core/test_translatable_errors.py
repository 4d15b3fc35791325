"""Every ServiceError message in the domains below is translatable: English users must not
read Indonesian errors. An AST scan of the source: the message argument of a ServiceError
(or subclass) call, the values of its ``fields={...}`` and ``errors[...] = …`` assignments,
and ``flash(...)`` messages must not be a literal (a plain string, an f-string, a
concatenation or ``"…".format()`` of one), nor a local variable assigned such a literal."""

import ast
from pathlib import Path

import pytest

from bimtek import errors

ROOT = Path(__file__).resolve().parents[2] / "bimtek"
#: every domain
DOMAINS = (
    "api",
    "assessments",
    "audit",
    "audit_log",
    "auth",
    "attendance",
    "backup",
    "certificates",
    "core",
    "evaluation",
    "events",
    "jobs",
    "notifications",
    "participants",
    "privacy",
    "reports",
    "staff",
)
FILES = sorted(
    [path for domain in DOMAINS for path in (ROOT / domain).rglob("*.py")]
    + [ROOT / name for name in ("cli.py", "demo.py", "errors.py", "__init__.py")]
)
SERVICE_ERRORS = {
    name
    for name in dir(errors)
    if isinstance(getattr(errors, name), type)
    and issubclass(getattr(errors, name), errors.ServiceError)
}


def _is_literal(node) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.strip() != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left) or _is_literal(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_literal(node.func.value)
    return False


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of each message in ``source`` that is not a gettext call."""
    tree = ast.parse(source)
    kinds = set(SERVICE_ERRORS)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "id", getattr(base, "attr", None)) in kinds for base in node.bases
        ):
            kinds.add(node.name)
    found = []
    for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
        literal_names = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and _is_literal(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

        def bad(node, literal_names=literal_names) -> bool:
            return _is_literal(node) or (isinstance(node, ast.Name) and node.id in literal_names)

        for node in ast.walk(function):
            messages = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in kinds or name == "flash":
                    messages += node.args[:1]
                    messages += [k.value for k in node.keywords if k.arg == "message"]
                if name in kinds:
                    for keyword in node.keywords:
                        if keyword.arg == "fields" and isinstance(keyword.value, ast.Dict):
                            messages += keyword.value.values
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Subscript)
                and getattr(node.targets[0].value, "id", None) == "errors"
            ):
                messages.append(node.value)
            found += [(m.lineno, ast.unparse(m)) for m in messages if bad(m)]
    return sorted(set(found))


def test_the_scan_catches_literals():
    """The scan itself: a literal message, an f-string, a variable holding one, a field."""
    source = (
        "def f(n):\n"
        "    raise InvalidInput('Periksa isian.')\n"
        "def g(n):\n"
        "    raise NotFound(f'Sesi {n} tidak ada.')\n"
        "def h(n):\n"
        "    message = 'Terlalu panjang.'\n"
        "    raise InvalidInput(message, fields={'name': _('Wajib.')})\n"
        "def i(n):\n"
        "    raise InvalidInput(_('Periksa isian.'), fields={'name': 'Wajib.'})\n"
        "def j(n):\n"
        "    raise InvalidInput(_('Periksa isian.'), fields={'name': _('Wajib.')})\n"
    )
    assert [line for line, _text in untranslated(source)] == [2, 4, 7, 9]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_service_error_messages_are_translatable(path):
    assert untranslated(path.read_text()) == []
