"""Every model, imported once so that Alembic and ``db.create_all`` see all tables."""

from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken, User
from bimtek.events.models import Event, Module, Session
from bimtek.participants.models import Participant

__all__ = ["ApiToken", "AuditLog", "Event", "Module", "Participant", "Session", "User"]
