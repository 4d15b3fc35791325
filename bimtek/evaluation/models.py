"""The evaluation of an event: its settings, its Likert items, and the answers.

Anonymity is built into the tables. Who has submitted a part (``EvaluationSubmission``,
needed for "one submission each", the response rate and the certificate rule) is kept apart
from what was answered (``EvaluationResponse``): a response has no participant, no time and
a random primary key, so neither a report nor a database reader can join it back to a
person. While a participant is still filling in a part, the answers given so far sit in an
``EvaluationDraft`` of their own (saved as given, like the tests); the draft is deleted when
the part is submitted and its answers become an anonymous response. Reports never read
drafts.

Limits, said plainly: this is anonymity towards everyone who uses the application
(speakers, staff, the API). Someone with raw access to a PostgreSQL server could still try
to pair a response with its submission through system columns (both rows are written by
the same transaction); the submissions, not the answers, are what such a person would need
to protect.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bimtek.core.timeutil import UTCDateTime, utcnow
from bimtek.extensions import db

#: the organizer's part of the questionnaire
ORGANIZER_PART = "penyelenggara"


class EvaluationSettings(db.Model):
    """An event's evaluation rules; an event without a row has the defaults."""

    __tablename__ = "evaluation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    #: the participant must submit every part before downloading the certificate
    required_for_certificate: Mapped[bool] = mapped_column(default=False)
    #: lowest index (0–100) of each category; below ``fair_from`` is "kurang"
    very_good_from: Mapped[float] = mapped_column(sa.Float, default=88.31)
    good_from: Mapped[float] = mapped_column(sa.Float, default=76.61)
    fair_from: Mapped[float] = mapped_column(sa.Float, default=65.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvaluationItem(db.Model):
    """A Likert item of an event's questionnaire, for every narasumber or for the organizer.

    An event without rows uses the default items (``reads.DEFAULT_ITEMS``); the first
    edit stores them. Answers refer to an item by its ``key``, stable across rewording.
    """

    __tablename__ = "evaluation_items"
    __table_args__ = (sa.UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: "speaker" (asked about every narasumber) or "organizer"
    target: Mapped[str] = mapped_column(sa.String(20))
    #: stable within the event, e.g. "s1", "o3"
    key: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=0)


class EvaluationDraft(db.Model):
    """A part being filled in by one participant: the answers given so far."""

    __tablename__ = "evaluation_drafts"
    __table_args__ = (sa.UniqueConstraint("participant_id", "part_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE")
    )
    #: ``ORGANIZER_PART`` or a narasumber's part key (see ``parts.part_key``)
    part_key: Mapped[str] = mapped_column(sa.String(40))
    #: {"<item key>": 1..4}
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvaluationSubmission(db.Model):
    """That a participant submitted a part, and when; never what they answered."""

    __tablename__ = "evaluation_submissions"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "part_key"),
        sa.Index("ix_evaluation_submissions_event_part", "event_id", "part_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE")
    )
    part_key: Mapped[str] = mapped_column(sa.String(40))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _random_id() -> str:
    return uuid.uuid4().hex


class EvaluationResponse(db.Model):
    """One submitted part's answers, anonymous: no participant, no time, a random id."""

    __tablename__ = "evaluation_responses"
    __table_args__ = (sa.Index("ix_evaluation_responses_event_part", "event_id", "part_key"),)

    #: random, so that the order of rows says nothing about the order of submissions
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=_random_id)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    part_key: Mapped[str] = mapped_column(sa.String(40))
    #: {"<item key>": 1..4}
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: the free-text suggestion, may be empty
    comment: Mapped[str] = mapped_column(sa.Text, default="")
