"""Every model, imported once so that Alembic and ``db.create_all`` see all tables."""

import importlib
import importlib.util

from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken, User
from bimtek.events.models import Event, Material, Module, Session
from bimtek.participants.models import Participant

#: domains whose models.py is loaded when present
DOMAIN_MODELS = (
    "bimtek.attendance.models",
    "bimtek.assessments.models",
    "bimtek.certificates.models",
    "bimtek.reports.models",
)

for _name in DOMAIN_MODELS:
    if importlib.util.find_spec(_name) is not None:
        importlib.import_module(_name)

__all__ = ["ApiToken", "AuditLog", "Event", "Material", "Module", "Participant", "Session", "User"]
