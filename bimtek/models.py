"""Every model, imported once so that Alembic and ``db.create_all`` see all tables."""

from bimtek.assessments.models import Answer, Assessment, Attempt, Option, Question
from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken, User
from bimtek.certificates.models import Certificate, CertificateSettings, Signatory
from bimtek.evaluation.models import (
    EvaluationDraft,
    EvaluationItem,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from bimtek.events.models import Event, EventStaff, Material, Module, Session
from bimtek.participants.models import Participant
from bimtek.privacy.models import PersonalDataPolicy
from bimtek.reports.models import ImportUpload

__all__ = [
    "Answer",
    "ApiToken",
    "Assessment",
    "Attempt",
    "Attendance",
    "AuditLog",
    "Certificate",
    "CertificateSettings",
    "EvaluationDraft",
    "EvaluationItem",
    "EvaluationResponse",
    "EvaluationSettings",
    "EvaluationSubmission",
    "Event",
    "EventStaff",
    "ImportUpload",
    "Material",
    "Module",
    "Option",
    "Participant",
    "PersonalDataPolicy",
    "Question",
    "Session",
    "Signatory",
    "User",
]
