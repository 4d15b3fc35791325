"""Every model, imported once so that Alembic and ``db.create_all`` see all tables."""

from bimtek.assessments.models import Answer, Assessment, Attempt, Option, Question
from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken, User
from bimtek.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateImage,
    CertificateSettings,
    Signatory,
)
from bimtek.events.models import Event, Material, Module, Session
from bimtek.participants.models import Participant
from bimtek.reports.models import ImportUpload

__all__ = [
    "Answer",
    "ApiToken",
    "Assessment",
    "Attempt",
    "Attendance",
    "AuditLog",
    "Certificate",
    "CertificateDesign",
    "CertificateImage",
    "CertificateSettings",
    "Event",
    "ImportUpload",
    "Material",
    "Module",
    "Option",
    "Participant",
    "Question",
    "Session",
    "Signatory",
    "User",
]
