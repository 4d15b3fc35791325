"""What assessments copy when an event is cloned: the question bank and the tests' settings.

``bimtek.events.cloning`` copies the event, its modules and sessions, then sends
``event_cloned``; this receiver answers it, since events may not import the domains above it.
"""

import sqlalchemy as sa

from bimtek.assessments.models import Assessment, Option, Question
from bimtek.assessments.settings import ensure_assessment
from bimtek.events.models import Event
from bimtek.events.signals import event_cloned
from bimtek.extensions import db


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
