"""Domains do not reach into their neighbours: no private name, page helper or blueprint of
another package is imported, and a rule that must hold is called where the change happens,
so it holds whether or not some module that answers a signal was imported."""

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from flask import Blueprint

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bimtek"
#: ``create_app`` registers every blueprint
REGISTERS_BLUEPRINTS = {"bimtek/__init__.py"}


def _package_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def _is_views(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views")


def _reaching(path: Path, root: Path = ROOT) -> list[str]:
    """Imports in ``path`` of another package's private names, views or blueprints."""
    relative = path.relative_to(root)
    own = relative.parts[1] if len(relative.parts) > 2 else ""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("bimtek."):
            continue
        if node.level or _package_of(node.module) == own:
            continue
        for alias in node.names:
            where = f"{relative}:{node.lineno} {node.module}.{alias.name}"
            if alias.name.startswith("_"):
                found.append(f"private name: {where}")
            elif str(relative) in REGISTERS_BLUEPRINTS:
                continue
            elif _is_views(node.module):
                found.append(f"views of another package: {where}")
            elif isinstance(
                getattr(importlib.import_module(node.module), alias.name, None), Blueprint
            ):
                found.append(f"blueprint of another package: {where}")
    return found


def test_no_module_reaches_into_another_package():
    reaching = [line for path in sorted(PACKAGE.rglob("*.py")) for line in _reaching(path)]
    assert reaching == []


def test_the_scan_sees_each_kind_of_reaching(tmp_path):
    module = tmp_path / "bimtek" / "reports" / "m.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from bimtek.attendance.pdf import _escape\n"
        "from bimtek.auth.views import login\n"
        "from bimtek.participants.account_views import hand_back\n"
        "from bimtek.certificates.bundles import bp\n"
        "from bimtek.reports.views import bp as own\n"
        "from bimtek.core.web import safe_next\n"
    )
    assert [line.split(":")[0] for line in _reaching(module, tmp_path)] == [
        "private name",
        "views of another package",
        "views of another package",
        "blueprint of another package",
    ]


CAPACITY_CHECK = """
import json, sys
from bimtek import create_app
from bimtek.events import signals
from bimtek.events.models import Event
from bimtek.extensions import db
from tests import factories
from tests.conftest import _test_config
from tests.events.test_admin import EVENT_FORM

url, instance = sys.argv[1:3]
app = create_app(_test_config(url, instance))
for signal in signals.signals.values():  # as if no domain had connected a receiver
    signal.receivers.clear()
with app.app_context():
    event = factories.make_event(capacity=3)
    factories.make_participant(event)
    factories.make_participant(event)
    admin = factories.make_staff("admin", "admin@bimtek.local")
    code, email = event.code, admin.email
client = app.test_client()
client.post("/masuk", data={"identifier": email, "password": factories.PASSWORD})
response = client.post(
    f"/admin/kegiatan/{code}/ubah", data={**EVENT_FORM, "code": code, "capacity": "1"}
)
with app.app_context():
    capacity = db.session.scalar(db.select(Event.capacity).where(Event.code == code))
print(json.dumps({"status": response.status_code, "capacity": capacity}))
"""


def test_capacity_holds_without_any_signal_receiver(database_url, tmp_path):
    """In a fresh process whose events signals have no receivers at all (as when the module
    that answered the capacity change was never imported), the settings page still refuses
    a capacity below the registered participants."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CAPACITY_CHECK), database_url, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"status": 422, "capacity": 3}
