"""Reading the evaluation: the questionnaire of an event, its parts and when they open, a
participant's progress, and the report. Nothing here writes.

The scale is 1–4 (kurang, cukup, baik, sangat baik), the scale of the public-service
satisfaction survey every Indonesian government office runs (Indeks Kepuasan Masyarakat,
PermenPANRB 14/2017): its four answers are the four report categories, it has no neutral
middle for a polite respondent to hide in, and its conversion is the one organizers know,
index = mean × 25 (so 25–100 on the 0–100 scale), with the IKM's category bounds as the
defaults (sangat baik ≥ 88.31, baik ≥ 76.61, cukup ≥ 65.00, kurang below).

Anonymity in the report: a part shows figures only once ``MIN_RESPONDENTS`` people have
submitted it; below that nothing about its answers is shown, not even the comments.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from bimtek.core.timeutil import local_to_utc, to_local, utcnow
from bimtek.evaluation.models import (
    ORGANIZER_PART,
    EvaluationDraft,
    EvaluationItem,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from bimtek.events.models import Event, Module, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant

SCALE = (1, 2, 3, 4)
SCALE_LABELS = {1: _l("Kurang"), 2: _l("Cukup"), 3: _l("Baik"), 4: _l("Sangat baik")}
#: index = mean × INDEX_FACTOR (1–4 → 25–100)
INDEX_FACTOR = 25
MIN_RESPONDENTS = 5
CATEGORY_LABELS = {
    "sangat_baik": _l("Sangat baik"),
    "baik": _l("Baik"),
    "cukup": _l("Cukup"),
    "kurang": _l("Kurang"),
}

#: The default questionnaire (key, target, text) of a new event. Since issue 20 it asks four
#: statements per narasumber instead of six: every narasumber is rated, so each statement
#: is multiplied by the number of narasumber (11 in the Kutim Bimtek: 66 taps became 44).
#: Kept, because they are about the narasumber and only the participant can judge them:
#: s1 penguasaan materi (mastery), s2 sistematika penyajian (delivery), s3 ketepatan waktu
#: (time use) and s5 kemampuan menjawab pertanyaan (answering questions). Dropped:
#: "relevansi materi dengan tugas peserta" (the curriculum is the organizer's choice, not
#: the speaker's; o3 rates the materials once) and "penggunaan media dan alat bantu"
#: (mostly the venue's projector and sound, rated once in o2).
#: The keys stay those of the old defaults, so reports of old and new events compare.
#: Events created before keep their six (migration ``reach_01`` stored them).
DEFAULT_ITEMS = (
    ("s1", "speaker", "Penguasaan materi"),
    ("s2", "speaker", "Sistematika penyajian"),
    ("s3", "speaker", "Ketepatan waktu"),
    ("s5", "speaker", "Kemampuan menjawab pertanyaan"),
    ("o1", "organizer", "Kesesuaian jadwal"),
    ("o2", "organizer", "Tempat dan fasilitas"),
    ("o3", "organizer", "Bahan/materi yang dibagikan"),
    ("o4", "organizer", "Pelayanan panitia"),
    ("o5", "organizer", "Konsumsi"),
    ("o6", "organizer", "Informasi kegiatan"),
)


@dataclass(frozen=True)
class Item:
    key: str
    target: str
    text: str


@dataclass(frozen=True)
class Part:
    """One part of the questionnaire: a narasumber in one module, or the organizer."""

    key: str
    target: str
    #: the narasumber's name; empty for the organizer
    speaker: str
    module: Module | None
    #: from this moment (UTC) participants may fill it in
    opens_at: datetime

    @property
    def title(self) -> str:
        return self.speaker if self.target == "speaker" else str(_l("Penyelenggara"))


def part_key(module_id: int, speaker: str) -> str:
    """A short stable key for a narasumber's part: the module and a digest of the name."""
    digest = hashlib.sha256(" ".join(speaker.split()).casefold().encode()).hexdigest()[:12]
    return f"m{module_id}-{digest}"


def settings_of(event: Event) -> EvaluationSettings:
    """The event's settings; an unsaved object with the defaults when it has none."""
    stored = db.session.scalar(
        sa.select(EvaluationSettings).where(EvaluationSettings.event_id == event.id)
    )
    return stored or EvaluationSettings(
        event_id=event.id,
        required_for_certificate=False,
        very_good_from=88.31,
        good_from=76.61,
        fair_from=65.0,
    )


def items_of(event: Event, target: str | None = None) -> list[Item]:
    """The questionnaire's items in order (the defaults while the event has stored none)."""
    stored = list(
        db.session.scalars(
            sa.select(EvaluationItem)
            .where(EvaluationItem.event_id == event.id)
            .order_by(EvaluationItem.position, EvaluationItem.id)
        )
    )
    items = (
        [Item(row.key, row.target, row.text) for row in stored]
        if stored
        else [Item(key, kind, text) for key, kind, text in DEFAULT_ITEMS]
    )
    return [item for item in items if target is None or item.target == target]


def organizer_opens_at(event: Event) -> datetime:
    """The organizer's part opens at the start of the event's last day (local time)."""
    return local_to_utc(datetime.combine(event.end_date, time(0, 0)), event.timezone)


def to_local_day(moment: datetime, event: Event) -> date:
    return to_local(moment, event.timezone).date()


def parts(event: Event) -> list[Part]:
    """Every part: each narasumber of each module (after their last session ends; a module
    without sessions with the organizer's part), then the organizer."""
    organizer_at = organizer_opens_at(event)
    last_end = dict(
        db.session.execute(
            sa.select(Session.module_id, sa.func.max(Session.ends_at))
            .where(Session.event_id == event.id, Session.module_id.is_not(None))
            .group_by(Session.module_id)
        ).all()
    )
    found = []
    for module in event.modules:
        seen = set()
        for speaker in module.speaker_list:
            key = part_key(module.id, speaker)
            if key in seen:
                continue
            seen.add(key)
            opens = last_end.get(module.id) or organizer_at
            found.append(Part(key, "speaker", speaker, module, _aware(opens)))
    found.append(Part(ORGANIZER_PART, "organizer", "", None, organizer_at))
    return found


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_part(event: Event, key: str) -> Part | None:
    return next((part for part in parts(event) if part.key == key), None)


def is_open(part: Part, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= part.opens_at


def submitted_keys(participant: Participant) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(EvaluationSubmission.part_key).where(
                EvaluationSubmission.participant_id == participant.id
            )
        )
    )


def draft_of(participant: Participant, key: str) -> EvaluationDraft | None:
    return db.session.scalar(
        sa.select(EvaluationDraft).where(
            EvaluationDraft.participant_id == participant.id, EvaluationDraft.part_key == key
        )
    )


@dataclass(frozen=True)
class Progress:
    part: Part
    #: "not_yet", "open" or "submitted"
    state: str


def progress(participant: Participant, now: datetime | None = None) -> list[Progress]:
    """Each part of the participant's event with where the participant stands on it."""
    done = submitted_keys(participant)
    rows = []
    for part in parts(participant.event):
        if part.key in done:
            state = "submitted"
        else:
            state = "open" if is_open(part, now) else "not_yet"
        rows.append(Progress(part, state))
    return rows


@dataclass(frozen=True)
class Section:
    """One part on the one-page questionnaire, with the participant's answers so far."""

    part: Part
    #: "not_yet", "open" or "submitted"
    state: str
    items: list[Item]
    #: {item key: 1..4} of the draft; empty for a submitted part (its answers are anonymous)
    scores: dict
    comment: str

    @property
    def answered(self) -> int:
        if self.state == "submitted":
            return len(self.items)
        return sum(1 for item in self.items if item.key in self.scores)

    @property
    def complete(self) -> bool:
        return self.answered == len(self.items)


def questionnaire(participant: Participant, now: datetime | None = None) -> list[Section]:
    """Every part of the event, each with its items and the participant's draft answers."""
    drafts = {
        draft.part_key: draft
        for draft in db.session.scalars(
            sa.select(EvaluationDraft).where(EvaluationDraft.participant_id == participant.id)
        )
    }
    items = items_of(participant.event)
    sections = []
    for row in progress(participant, now):
        draft = drafts.get(row.part.key) if row.state != "submitted" else None
        sections.append(
            Section(
                part=row.part,
                state=row.state,
                items=[item for item in items if item.target == row.part.target],
                scores=dict(draft.scores or {}) if draft else {},
                comment=(draft.comment or "") if draft else "",
            )
        )
    return sections


def answer_count(sections: list[Section]) -> tuple[int, int]:
    """(answered, asked) over the parts open now or submitted: "8 dari 20 terjawab"."""
    shown = [section for section in sections if section.state != "not_yet"]
    return sum(s.answered for s in shown), sum(len(s.items) for s in shown)


def ready_to_submit(sections: list[Section]) -> bool:
    """Every statement of every open part answered, and at least one part left to send."""
    waiting = [section for section in sections if section.state == "open"]
    return bool(waiting) and all(section.complete for section in waiting)


def is_complete(rows: list[Section] | list[Progress]) -> bool:
    """The certificate rule: every part of the questionnaire submitted, and a part is
    submitted only with every statement answered (the comment is optional; ``submit``
    refuses otherwise). A part not open yet is not complete."""
    return all(row.state == "submitted" for row in rows)


def evaluation_complete(participant: Participant) -> bool:
    """Whether the participant has submitted every part of the event's questionnaire."""
    return is_complete(progress(participant))


def certificate_blocked(participant: Participant) -> bool:
    """The event requires the evaluation before the certificate, and it is not complete."""
    return settings_of(participant.event).required_for_certificate and not evaluation_complete(
        participant
    )


# ----------------------------------------------------------------------------------- report


def category(index: float | None, settings: EvaluationSettings) -> str | None:
    """sangat_baik / baik / cukup / kurang for an index (0–100) under the event's bounds."""
    if index is None:
        return None
    if index >= settings.very_good_from:
        return "sangat_baik"
    if index >= settings.good_from:
        return "baik"
    if index >= settings.fair_from:
        return "cukup"
    return "kurang"


def _figures(values: list[int], settings: EvaluationSettings) -> dict:
    counts = Counter(values)
    mean = round(sum(values) / len(values), 2) if values else None
    index = round(sum(values) / len(values) * INDEX_FACTOR, 2) if values else None
    return {
        "n": len(values),
        "mean": mean,
        "index": index,
        "category": category(index, settings),
        "distribution": {value: counts.get(value, 0) for value in SCALE},
    }


def registered_count(event: Event) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Participant.id)).where(
                Participant.event_id == event.id, Participant.status == "registered"
            )
        )
        or 0
    )


def report(event: Event) -> dict:
    """The evaluation report: per part (each narasumber, the organizer) and per item the
    mean, the index (0–100), the category and the distribution; the response rate; the
    comments. A part with fewer than MIN_RESPONDENTS respondents shows its counts only.

    The response rate is respondents ÷ registered participants. A part's index is the mean
    of all its answers (every item of every respondent) × 25.
    """
    settings = settings_of(event)
    registered = registered_count(event)
    respondents = dict(
        db.session.execute(
            sa.select(EvaluationSubmission.part_key, sa.func.count(EvaluationSubmission.id))
            .where(EvaluationSubmission.event_id == event.id)
            .group_by(EvaluationSubmission.part_key)
        ).all()
    )
    responses: dict[str, list[EvaluationResponse]] = {}
    for response in db.session.scalars(
        sa.select(EvaluationResponse).where(EvaluationResponse.event_id == event.id)
    ):
        responses.setdefault(response.part_key, []).append(response)
    items = {target: items_of(event, target) for target in ("speaker", "organizer")}
    rows = []
    for part in parts(event):
        count = respondents.get(part.key, 0)
        shown = count >= MIN_RESPONDENTS
        row = {
            "key": part.key,
            "target": part.target,
            "title": part.title,
            "speaker": part.speaker,
            "module_code": part.module.code if part.module else None,
            "module_title": part.module.title if part.module else None,
            "opens_at": part.opens_at,
            "respondents": count,
            "registered": registered,
            "response_rate": round(count / registered, 4) if registered else None,
            "shown": shown,
            "items": [],
            "overall": None,
            "comments": [],
        }
        if shown:
            given = responses.get(part.key, [])
            everything = []
            for item in items[part.target]:
                values = [
                    r.scores[item.key] for r in given if isinstance(r.scores.get(item.key), int)
                ]
                everything += values
                row["items"].append(
                    {"key": item.key, "text": item.text, **_figures(values, settings)}
                )
            row["overall"] = _figures(everything, settings)
            # sorted, so that the order says nothing about who wrote what when
            row["comments"] = sorted(r.comment.strip() for r in given if r.comment.strip())
        rows.append(row)
    speakers = [row for row in rows if row["target"] == "speaker"]
    organizer = next(row for row in rows if row["target"] == "organizer")
    return {
        "scale": list(SCALE),
        "min_respondents": MIN_RESPONDENTS,
        "registered": registered,
        "thresholds": {
            "sangat_baik": settings.very_good_from,
            "baik": settings.good_from,
            "cukup": settings.fair_from,
        },
        "speakers": speakers,
        "organizer": organizer,
        "parts": rows,
    }
