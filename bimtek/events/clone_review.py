"""After "Salin kegiatan": what to look at again in the new event, and whether it was.

The copy carries the old batch's dates (moved), rooms, description, signatories, questions
and capacity; each is easy to forget. ``start_review`` (called by ``cloning.clone_event``)
keeps one ``CloneReview`` row per item with what was copied; ``review_items`` lists them
with where each is edited. An item counts as done once a manager ticks it (persisted, with
who and when) or once the event's value differs from what was copied (read, never stored:
for dates, rooms, description and capacity, which live in this domain; signatories and
questions live in domains above events and are ticked by hand).
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bimtek.audit.services import record
from bimtek.core.timeutil import utcnow
from bimtek.errors import InvalidInput
from bimtek.events.models import CloneReview, Event
from bimtek.extensions import db

#: item -> (label, endpoint where it is edited, anchor on that page)
ITEMS = {
    "dates": (_l("Tanggal"), "staff_events.edit_event", "f-start_date"),
    "rooms": (_l("Ruang sesi"), "events_admin.edit_sessions", ""),
    "description": (_l("Deskripsi"), "staff_events.edit_event", "f-description"),
    "signatories": (_l("Penandatangan sertifikat"), "certificates.settings", ""),
    "questions": (_l("Soal pre/post-test"), "assessments.admin_index", ""),
    "capacity": (_l("Kapasitas"), "staff_events.edit_event", "f-capacity"),
}


@dataclass
class ReviewItem:
    item: str
    label: str
    endpoint: str
    anchor: str
    copied: dict
    #: the event's value now differs from what was copied (dates, rooms, description, capacity)
    changed: bool
    row: CloneReview

    @property
    def dates(self) -> dict[str, date]:
        """The copied dates (item "dates") as dates, for the page."""
        return {k: date.fromisoformat(v) for k, v in self.copied.items() if k.endswith("_date")}

    @property
    def done(self) -> bool:
        return self.changed or self.row.reviewed_at is not None


def _rooms(event: Event) -> list[str]:
    return sorted({s.room for s in event.sessions if s.room})


def _current(event: Event, item: str):
    if item == "dates":
        return {"start_date": event.start_date.isoformat(), "end_date": event.end_date.isoformat()}
    if item == "rooms":
        return {"rooms": _rooms(event)}
    if item == "description":
        return {"description": event.description}
    if item == "capacity":
        return {"capacity": event.capacity}
    return None


def start_review(source: Event, event: Event, copied: dict) -> None:
    """The checklist of a new copy of ``source``; ``copied`` holds the counts that the domains
    above events answered to ``event_cloned`` (questions, signatories)."""
    snapshot = {item: _current(event, item) for item in ("dates", "description", "capacity")}
    snapshot["dates"]["source_start_date"] = source.start_date.isoformat()
    snapshot["dates"]["source_end_date"] = source.end_date.isoformat()
    snapshot["rooms"] = {"rooms": _rooms(source)}
    snapshot["signatories"] = {"count": copied.get("signatories", 0)}
    snapshot["questions"] = {"count": copied.get("questions", 0)}
    for item in ITEMS:
        db.session.add(
            CloneReview(
                event_id=event.id, item=item, source_code=source.code, copied=snapshot[item]
            )
        )
    db.session.flush()


def review_items(event: Event) -> list[ReviewItem]:
    """The checklist of ``event`` in a fixed order; empty for an event that is not a copy."""
    rows = {
        row.item: row
        for row in db.session.scalars(
            sa.select(CloneReview).where(CloneReview.event_id == event.id)
        )
    }
    items = []
    for item, (label, endpoint, anchor) in ITEMS.items():
        row = rows.get(item)
        if row is None:
            continue
        now = _current(event, item)
        changed = now is not None and any(row.copied.get(k) != v for k, v in now.items())
        items.append(ReviewItem(item, str(label), endpoint, anchor, row.copied, changed, row))
    return items


def review_summary(event: Event) -> tuple[int, int]:
    """(done, total) of the checklist; (0, 0) for an event that is not a copy."""
    items = review_items(event)
    return sum(1 for i in items if i.done), len(items)


def mark_reviewed(
    event: Event,
    item: str,
    reviewed: bool,
    *,
    actor,
    channel: str = "web",
    now: datetime | None = None,
) -> CloneReview:
    """Tick (or untick) one item of ``event``'s checklist."""
    row = db.session.scalar(
        sa.select(CloneReview).where(CloneReview.event_id == event.id, CloneReview.item == item)
    )
    if row is None:
        raise InvalidInput(
            _("Butir pemeriksaan tidak dikenal."), fields={"item": _("Butir tidak dikenal.")}
        )
    if reviewed and row.reviewed_at is None:
        row.reviewed_at = now or utcnow()
        row.reviewed_by_id = getattr(actor, "id", None)
    elif not reviewed and row.reviewed_at is not None:
        row.reviewed_at = None
        row.reviewed_by_id = None
    else:
        return row
    db.session.flush()
    record(
        "event.clone_review",
        actor=actor,
        channel=channel,
        event_id=event.id,
        target=event,
        details={"item": item, "reviewed": reviewed},
    )
    return row
