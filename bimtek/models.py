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
from bimtek.evaluation.models import (
    EvaluationDraft,
    EvaluationItem,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from bimtek.events.models import Event, EventStaff, Material, Module, Session
from bimtek.jobs.models import PreparedFile
from bimtek.notifications.models import Announcement, Delivery
from bimtek.participants.models import Participant
from bimtek.participants.uploads import ImportUpload
from bimtek.privacy.models import PersonalDataPolicy
from bimtek.spj.models import (
    FeeSettings,
    Honorarium,
    HonorSettings,
    Invoice,
    Letter,
    Letterhead,
    LetterSettings,
    MoneySettings,
    Photo,
    Rate,
    SignatureBlock,
)
from bimtek.storage.models import StoredFile

__all__ = [
    "Announcement",
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
    "Delivery",
    "EvaluationDraft",
    "EvaluationItem",
    "EvaluationResponse",
    "EvaluationSettings",
    "EvaluationSubmission",
    "Event",
    "EventStaff",
    "FeeSettings",
    "HonorSettings",
    "Honorarium",
    "ImportUpload",
    "Invoice",
    "Letter",
    "LetterSettings",
    "Letterhead",
    "Material",
    "Module",
    "MoneySettings",
    "Option",
    "Participant",
    "Photo",
    "PreparedFile",
    "PersonalDataPolicy",
    "Question",
    "Rate",
    "Session",
    "SignatureBlock",
    "Signatory",
    "StoredFile",
    "User",
]
