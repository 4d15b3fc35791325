"""Writing to the audit log."""

from bimtek.audit.models import AuditLog
from bimtek.extensions import db

#: a change made after its table was locked, with a reason, is "<action>_correction"
CORRECTION_SUFFIX = "_correction"


def record(
    action: str,
    *,
    actor=None,
    channel: str = "web",
    event_id=None,
    target=None,
    details: dict | None = None,
) -> AuditLog:
    """Add an audit entry in the caller's transaction. ``target`` is a model instance."""
    entry = AuditLog(
        action=action,
        actor_id=getattr(actor, "id", None),
        channel=channel,
        event_id=event_id,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details or {},
    )
    db.session.add(entry)
    return entry
