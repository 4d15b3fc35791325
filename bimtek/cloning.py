"""The parts of a cloned event that belong to assessments and certificates.

``bimtek.events.cloning`` copies the event, its modules and sessions, then sends
``event_cloned``; these receivers copy the question bank and the certificate settings. They
live here, above certificates, because events may not import the domains above it.
TODO(issue 10): each moves into its domain (assessments, certificates) when that domain's
restructuring merges; ``create_app`` imports this module so that they are connected.
"""

import sqlalchemy as sa

from bimtek.assessments.models import Assessment, Option, Question
from bimtek.assessments.settings import ensure_assessment
from bimtek.certificates.models import CertificateSettings, Signatory
from bimtek.certificates.services import get_settings
from bimtek.events.models import Event
from bimtek.events.signals import event_cloned
from bimtek.extensions import db

#: certificate settings columns never copied: the key, the numbering, the date of signing
CERTIFICATE_SKIP = {"event_id", "last_seq", "signing_date", "updated_at"}


@event_cloned.connect
def copy_question_bank(source: Event, *, event: Event, modules: dict, **_extra):
    """The questions (with their modules mapped) and the tests' settings."""
    questions = db.session.scalars(
        sa.select(Question).where(Question.event_id == source.id).order_by(Question.id)
    ).all()
    for question in questions:
        module = modules.get(question.module_id)
        copy = Question(
            event_id=event.id,
            module_id=module.id if module else None,
            text=question.text,
            explanation=question.explanation,
            position=question.position,
        )
        copy.options = [
            Option(text=o.text, is_correct=o.is_correct, position=o.position)
            for o in question.options
        ]
        db.session.add(copy)
    for original in db.session.scalars(
        sa.select(Assessment).where(Assessment.event_id == source.id)
    ):
        test = ensure_assessment(event, original.kind)  # windows from the new schedule
        test.duration_minutes = original.duration_minutes
        test.questions_per_module = original.questions_per_module
        test.show_score_after = original.show_score_after
    db.session.flush()
    return "questions", len(questions)


@event_cloned.connect
def copy_certificate_settings(source: Event, *, event: Event, **_extra):
    """The certificate settings with logos and background, and the signatories."""
    original = get_settings(source, with_images=True)
    settings = get_settings(event)
    for column in CertificateSettings.__table__.columns:
        if column.key not in CERTIFICATE_SKIP:
            setattr(settings, column.key, getattr(original, column.key))
    for signatory in original.signatories:
        db.session.add(
            Signatory(
                event_id=event.id,
                position=signatory.position,
                name=signatory.name,
                title=signatory.title,
                nip=signatory.nip,
                signature=signatory.signature,
                signature_type=signatory.signature_type,
            )
        )
    db.session.flush()
    return "signatories", len(original.signatories)
