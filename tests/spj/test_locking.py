"""The one rule for a locked event's money tables: a correction with a reason, and the one
way its audit entry is written (``record_money_change``)."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from bimtek.audit.models import AuditLog
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from bimtek.spj.locking import (
    CORRECTION_SUFFIX,
    EventLocked,
    correction_reason,
    record_money_change,
)


def _entries():
    return list(
        db.session.scalars(
            sa.select(AuditLog).where(AuditLog.action.like("spj.%")).order_by(AuditLog.id)
        )
    )


def test_an_open_events_change_is_its_plain_action(event, manager):
    assert correction_reason(event, "ignored") == ""
    entry = record_money_change(
        event,
        "",
        action="spj.fee_settings",
        actor=manager,
        channel="api",
        target=event,
        details={"changes": {"fee_per_participant": [0, 100]}},
    )
    db.session.commit()
    [stored] = _entries()
    assert stored is entry
    assert (stored.action, stored.actor_id, stored.channel) == (
        "spj.fee_settings",
        manager.id,
        "api",
    )
    assert (stored.event_id, stored.target_type, stored.target_id) == (event.id, "event", event.id)
    assert stored.details == {"changes": {"fee_per_participant": [0, 100]}}


def test_a_correction_carries_the_suffix_and_its_reason_last(event, manager):
    event.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(EventLocked) as refused:
        correction_reason(event, "   ")
    assert set(refused.value.fields) == {"reason"}
    reason = correction_reason(event, "  Salah   ketik  tarif ")
    details = {"number": "001/TG", "amount": 5}
    record_money_change(event, reason, action="spj.invoice_issue", target=event, details=details)
    db.session.commit()
    [stored] = _entries()
    assert (
        stored.action == "spj.invoice_issue" + CORRECTION_SUFFIX == "spj.invoice_issue_correction"
    )
    assert list(stored.details.items()) == [
        ("number", "001/TG"),
        ("amount", 5),
        ("reason", "Salah ketik tarif"),
    ]
    assert details == {"number": "001/TG", "amount": 5}  # the caller's dict is left alone
    assert stored.actor_id is None and stored.channel == "web"


def test_no_money_change_builds_its_action_by_hand():
    """Every SPJ money change goes through ``record_money_change``: no module but locking.py
    appends the suffix itself."""
    package = Path(__file__).resolve().parents[2] / "bimtek" / "spj"
    by_hand = [
        f"{path.name}:{number}"
        for path in sorted(package.glob("*.py"))
        if path.name != "locking.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"_correction\b", line)
    ]
    assert by_hand == []
