"""Pre/post assessments: the question bank, the two tests of an event, attempts and answers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

KINDS = ("pre", "post")
KIND_LABELS = {"pre": "Pre-test", "post": "Post-test"}
MIN_OPTIONS = 4
MAX_OPTIONS = 5


class Question(db.Model):
    """A multiple-choice question of an event's bank, tagged with a module (materi)."""

    __tablename__ = "assessment_questions"
    __table_args__ = (sa.Index("ix_assessment_questions_event_module", "event_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: the module the question tests; a deleted module leaves the question untagged
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("modules.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    #: why the correct answer is right; shown to staff, never to a participant mid-test
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    #: order in the bank (admin lists and exports); attempts shuffle their own order
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module = relationship("Module")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question",
        order_by="Option.position, Option.id",
        cascade="all, delete-orphan",
    )

    @property
    def correct_option(self) -> "Option | None":
        return next((option for option in self.options if option.is_correct), None)


class Option(db.Model):
    """One answer choice of a question; exactly one per question is correct (checked in
    the service, since the database cannot count)."""

    __tablename__ = "assessment_options"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_questions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    is_correct: Mapped[bool] = mapped_column(default=False)
    #: 0-based place in the bank (A, B, C…); attempts shuffle their own order
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="options")


class Assessment(db.Model):
    """The pre-test or the post-test of an event. Both draw on the same question bank."""

    __tablename__ = "assessments"
    __table_args__ = (sa.UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    #: 'pre' or 'post'
    kind: Mapped[str] = mapped_column(sa.String(10))
    #: before this moment no attempt can start; None = no lower bound
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: after this moment no attempt can start and open attempts end; None = no upper bound
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: time allowed for one attempt, from its start
    duration_minutes: Mapped[int] = mapped_column(default=30)
    #: questions drawn per module for each attempt; None = every question of the bank
    questions_per_module: Mapped[int | None] = mapped_column()
    #: the participant sees their score once the attempt is closed
    show_score_after: Mapped[bool] = mapped_column(default=False)
    #: post-test only: a manager chose to let it open while the pre-test is still open
    opens_before_pre_closes: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event = relationship("Event")

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def window_state(self, now: datetime) -> str:
        """'not_yet', 'open' or 'closed' for starting an attempt at ``now``."""
        if self.opens_at and now < self.opens_at:
            return "not_yet"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


class Attempt(db.Model):
    """One participant's single try at one assessment, with its shuffled order."""

    __tablename__ = "assessment_attempts"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "assessment"
    __table_args__ = (sa.UniqueConstraint("assessment_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: started_at + duration, cut short by the assessment's closes_at; enforced by the server
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the attempt was closed (by the participant, or at the deadline); None while open
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: 'submitted' (the participant finished) or 'expired' (closed at the deadline)
    closed_reason: Mapped[str | None] = mapped_column(sa.String(20))
    #: 0–100, share of the attempt's questions answered correctly; set when closed
    score: Mapped[float | None] = mapped_column(sa.Float)
    #: number of correct answers; set when closed
    correct_count: Mapped[int | None] = mapped_column()
    #: question ids in the order this participant sees them
    question_order: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: {"<question id>": [option ids in display order]}
    option_order: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    assessment: Mapped[Assessment] = relationship()
    participant = relationship("Participant")
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.submitted_at is not None


class Answer(db.Model):
    """The option a participant chose for one question; changed in place (upsert)."""

    __tablename__ = "assessment_answers"
    #: how ``bimtek.events.access.load_in_event`` reaches its event
    __event_parent__ = "attempt"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_attempts.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_questions.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_options.id", ondelete="CASCADE"), index=True
    )
    #: last time the choice was saved
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    option: Mapped[Option] = relationship()
