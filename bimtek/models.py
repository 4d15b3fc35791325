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
    EventSigningKey,
    IssueRun,
    IssueRunItem,
    ServedCertificateSettings,
    Signatory,
)
from bimtek.evaluation.models import (
    EvaluationDraft,
    EvaluationItem,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from bimtek.events.models import (
    CloneReview,
    Contributor,
    Event,
    EventClass,
    EventStaff,
    Material,
    Module,
    Session,
)
from bimtek.jobs.models import PreparedFile
from bimtek.notifications.models import Announcement, Delivery, WhatsAppTurn
from bimtek.participants.models import Participant
from bimtek.participants.uploads import ImportUpload
from bimtek.privacy.models import PersonalDataPolicy
from bimtek.spj.models import (
    FeeSettings,
    FrozenOrigin,
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
    "CloneReview",
    "CertificateDesign",
    "CertificateImage",
    "CertificateSettings",
    "Contributor",
    "EventSigningKey",
    "Delivery",
    "EvaluationDraft",
    "EvaluationItem",
    "EvaluationResponse",
    "EvaluationSettings",
    "EvaluationSubmission",
    "Event",
    "EventClass",
    "EventStaff",
    "FeeSettings",
    "FrozenOrigin",
    "HonorSettings",
    "Honorarium",
    "ImportUpload",
    "IssueRun",
    "IssueRunItem",
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
    "ServedCertificateSettings",
    "Rate",
    "Session",
    "SignatureBlock",
    "Signatory",
    "StoredFile",
    "WhatsAppTurn",
    "User",
]
