"""Every action the code records has words in the audit log; times read in the event's zone."""

import ast
from datetime import UTC, datetime
from pathlib import Path

from bimtek.audit.models import AuditLog
from bimtek.extensions import db
from bimtek.reports import audit_log

ROOT = Path(__file__).resolve().parents[2] / "bimtek"
#: ``record(f"attendance.{status}")``: the statuses a manager may mark (attendance/checkin.py)
FSTRING_EXPANSIONS = {"attendance.": ("izin", "sakit")}


def _strings(node) -> set[str]:
    """String constants an expression can evaluate to (a literal, either branch of ``a if c
    else b``), plus expansions of the known f-strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in _strings(node.left) for b in _strings(node.right)}
    if isinstance(node, ast.JoinedStr):
        head = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        assert head in FSTRING_EXPANSIONS, f"an action code made at run time: {ast.unparse(node)}"
        return {head + tail for tail in FSTRING_EXPANSIONS[head]}
    return set()


def _assigned_in(function, name: str) -> set[str]:
    found = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                found |= _strings(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for part, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(part, ast.Name) and part.id == name:
                        found |= _strings(value)
    return found


def recorded_actions() -> set[str]:
    """Every action code passed to ``record(…)`` anywhere under bimtek/, every
    ``action="…"`` handed on to a function that records it (jobs.prepared), and every
    ``{"action": "…"}`` of an entry written as Core values (attendance.checkin)."""
    actions = set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "action":
                        actions |= _strings(value)
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for function in functions:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        actions |= _strings(keyword.value)
                if called != "record" or not node.args:
                    continue
                first = node.args[0]
                if isinstance(first, ast.Name):
                    values = _assigned_in(function, first.id)
                    if not values:  # a parameter: its callers pass action="…" (seen above)
                        continue
                    actions |= values
                else:
                    found = _strings(first)
                    assert found, f"{path.name}: record({ast.unparse(first)})"
                    actions |= found
    return actions


def test_the_collector_finds_the_known_kinds_of_call():
    actions = recorded_actions()
    assert {"participant.register", "user.claim", "user.recover", "attendance.izin"} <= actions
    assert {"module.create", "certificate.image_upload", "report.export_job"} <= actions
    assert "checkin.create" in actions and "class.create" in actions


def test_every_recorded_action_has_an_indonesian_label():
    missing = sorted(a for a in recorded_actions() if audit_log.action_label(a) == a)
    assert missing == []
    assert audit_log.action_label("spj.rates_correction") == "Tarif SPJ diubah (koreksi)"


def test_the_page_shows_labels_and_local_times(manager_client, event):
    db.session.add(
        AuditLog(
            action="session.update",
            channel="web",
            event_id=event.id,
            at=datetime(2026, 12, 2, 0, 5, tzinfo=UTC),
            details={},
        )
    )
    db.session.commit()
    html = manager_client.get(f"/admin/kegiatan/{event.code}/log").get_data(as_text=True)
    assert "Sesi diubah" in html and ">session.update<" not in html
    assert "pukul 08.05 WITA" in html and "00.05" not in html and "00:05" not in html
