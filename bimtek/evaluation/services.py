"""Changing the evaluation: a participant's answers (saved as given, then submitted
anonymously) and a manager's questionnaire and settings. Functions flush, never commit."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.audit.services import record
from bimtek.core.forms import parse_flag
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, Forbidden, InvalidInput, NotFound
from bimtek.evaluation import queries
from bimtek.evaluation.models import (
    EvaluationDraft,
    EvaluationItem,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
)
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant

MAX_COMMENT_LENGTH = 2000
MAX_ITEM_LENGTH = 300
MAX_ITEMS_PER_TARGET = 15


class EvaluationNotOpen(Forbidden):
    code = "evaluation_not_open"


class AlreadySubmitted(Conflict):
    code = "evaluation_submitted"


def _open_part(participant: Participant, key: str, now) -> queries.Part:
    if participant.status != "registered":
        raise Forbidden(_("Hanya peserta terdaftar yang dapat mengisi evaluasi."), code="forbidden")
    part = queries.find_part(participant.event, str(key or ""))
    if part is None:
        raise NotFound(_("Bagian evaluasi tidak ditemukan."), code="unknown_part")
    if not queries.is_open(part, now):
        raise EvaluationNotOpen(_("Bagian evaluasi ini belum dibuka."))
    if part.key in queries.submitted_keys(participant):
        raise AlreadySubmitted(_("Bagian evaluasi ini sudah Anda kirim."))
    return part


def _parse(part: queries.Part, event: Event, data) -> tuple[dict, str | None, dict]:
    """Scores {item key: 1..4} and the comment given in ``data`` (fields ``item-<key>`` and
    ``comment``); what is absent is left out; problems as {field: message}."""
    scores, errors = {}, {}
    for item in queries.items_of(event, part.target):
        raw = data.get(f"item-{item.key}")
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = None
        if value not in queries.SCALE:
            errors[f"item-{item.key}"] = _("Pilih salah satu nilai 1 sampai 4.")
            continue
        scores[item.key] = value
    comment = data.get("comment")
    if comment is not None:
        comment = str(comment).strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            errors["comment"] = _(
                "Saran paling banyak %(n)s karakter.",
                n=MAX_COMMENT_LENGTH,
            )
    return scores, comment, errors


def save_answers(participant: Participant, key: str, data, *, now=None) -> EvaluationDraft:
    """Keep the answers given so far in the participant's draft of the part (upsert)."""
    now = now or utcnow()
    part = _open_part(participant, key, now)
    scores, comment, errors = _parse(part, participant.event, data)
    if errors:
        raise InvalidInput(_("Periksa kembali isian evaluasi."), fields=errors)
    draft = queries.draft_of(participant, part.key)
    if draft is None:
        draft = EvaluationDraft(participant_id=participant.id, part_key=part.key, scores={})
        try:
            with db.session.begin_nested():
                db.session.add(draft)
        except IntegrityError:  # a second tab saved the first answer at the same moment
            draft = queries.draft_of(participant, part.key)
    draft.scores = {**(draft.scores or {}), **scores}
    if comment is not None:
        draft.comment = comment
    draft.updated_at = now
    db.session.flush()
    return draft


def submit(participant: Participant, key: str, data, *, now=None) -> None:
    """Submit a part: every item answered; the answers become an anonymous response, the
    draft goes, and only *that* the participant submitted is kept with their name."""
    now = now or utcnow()
    draft = save_answers(participant, key, data, now=now)
    part = queries.find_part(participant.event, draft.part_key)
    missing = {
        f"item-{item.key}": "Belum dinilai."
        for item in queries.items_of(participant.event, part.target)
        if item.key not in draft.scores
    }
    if missing:
        raise InvalidInput(_("Masih ada pernyataan yang belum dinilai."), fields=missing)
    event = participant.event
    try:
        with db.session.begin_nested():
            db.session.add(
                EvaluationSubmission(
                    event_id=event.id,
                    participant_id=participant.id,
                    part_key=part.key,
                    submitted_at=now,
                )
            )
    except IntegrityError:
        raise AlreadySubmitted(_("Bagian evaluasi ini sudah Anda kirim.")) from None
    db.session.add(
        EvaluationResponse(
            event_id=event.id,
            part_key=part.key,
            scores=dict(draft.scores),
            comment=draft.comment or "",
        )
    )
    db.session.delete(draft)
    record(
        "evaluation.submit",
        actor=participant.user,
        channel="web",
        event_id=event.id,
        details={"part": part.key},
    )
    db.session.flush()


# ------------------------------------------------------------------------- the one page


def page_field(part_key: str, name: str) -> str:
    """The field of the one-page questionnaire for an item (``<part>.<item key>``) or the
    part's comment (``<part>.comment``)."""
    return f"{part_key}.{name}"


def _part_data(data, part_key: str) -> dict:
    """This part's fields of the one-page form, named as the one-part form names them."""
    prefix = part_key + "."
    found = {}
    for name in data:
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            found["comment" if rest == "comment" else f"item-{rest}"] = data.get(name)
    return found


def save_page(participant: Participant, data, *, now=None) -> int:
    """Save whatever the one-page form carries (one tap, or every answer from the button)
    into each open part's draft; returns how many parts were touched. A field of a part
    already submitted or not open is refused, as on the one-part form."""
    now = now or utcnow()
    touched = 0
    problems = {}
    for part in queries.parts(participant.event):
        given = _part_data(data, part.key)
        if not given:
            continue
        try:
            save_answers(participant, part.key, given, now=now)
        except InvalidInput as error:
            problems.update(
                {
                    page_field(part.key, k[5:] if k.startswith("item-") else k): v
                    for k, v in error.fields.items()
                }
            )
            continue
        touched += 1
    if problems:
        raise InvalidInput(_("Periksa kembali isian evaluasi."), fields=problems)
    return touched


def submit_page(participant: Participant, data, *, now=None) -> int:
    """Submit every open part at once, when each of its statements is answered; nothing is
    submitted while one is missing. Returns how many parts were submitted."""
    now = now or utcnow()
    save_page(participant, data, now=now)
    sections = queries.questionnaire(participant, now)
    waiting = [section for section in sections if section.state == "open"]
    if not waiting:
        raise AlreadySubmitted(_("Tidak ada bagian evaluasi yang perlu dikirim."))
    missing = {
        page_field(section.part.key, item.key): _("Belum dinilai.")
        for section in waiting
        for item in section.items
        if item.key not in section.scores
    }
    if missing:
        raise InvalidInput(
            _("Masih ada %(n)s pernyataan yang belum dinilai.", n=len(missing)), fields=missing
        )
    for section in waiting:
        submit(participant, section.part.key, {}, now=now)
    return len(waiting)


# ---------------------------------------------------------------------------------- manager


def _has_responses(event: Event, target: str) -> bool:
    keys = [part.key for part in queries.parts(event) if part.target == target]
    return bool(
        keys
        and db.session.scalar(
            sa.select(EvaluationSubmission.id)
            .where(
                EvaluationSubmission.event_id == event.id,
                EvaluationSubmission.part_key.in_(keys),
            )
            .limit(1)
        )
    )


def save_items(event: Event, target: str, data, *, actor=None, channel="web") -> list[queries.Item]:
    """Replace the items of one target from a form: ``text-<key>`` rewords an item, an
    empty text removes it, ``new-<target>`` (or ``new``; one item per line) adds items.

    Once someone has submitted answers about this target, items may be reworded and added
    but not removed: their answers would silently leave the report.
    """
    if target not in ("speaker", "organizer"):
        raise NotFound(_("Bagian evaluasi tidak ditemukan."), code="unknown_part")
    current = queries.items_of(event)
    mine = [item for item in current if item.target == target]
    kept, errors = [], {}
    for item in mine:
        text = " ".join(str(data.get(f"text-{item.key}") or "").split())
        if len(text) > MAX_ITEM_LENGTH:
            errors[f"text-{item.key}"] = _("Paling banyak %(n)s karakter.", n=MAX_ITEM_LENGTH)
        if text:
            kept.append((item.key, text))
    raw_new = data.get(f"new-{target}", data.get("new"))
    added = [" ".join(line.split()) for line in str(raw_new or "").splitlines()]
    added = [line for line in added if line]
    if any(len(line) > MAX_ITEM_LENGTH for line in added):
        errors[f"new-{target}"] = _(
            "Setiap pernyataan paling banyak %(n)s karakter.",
            n=MAX_ITEM_LENGTH,
        )
    removed = [item.key for item in mine if item.key not in {key for key, _ in kept}]
    if removed and _has_responses(event, target):
        errors["items"] = _(
            "Sudah ada peserta yang mengisi bagian ini: pernyataan tidak dapat dihapus lagi, "
            "hanya diubah kata-katanya atau ditambah."
        )
    if not kept and not added:
        errors["items"] = _("Sisakan minimal satu pernyataan.")
    if len(kept) + len(added) > MAX_ITEMS_PER_TARGET:
        errors[f"new-{target}"] = _(
            "Paling banyak %(n)s pernyataan.",
            n=MAX_ITEMS_PER_TARGET,
        )
    if errors:
        raise InvalidInput(_("Periksa kembali daftar pernyataan."), fields=errors)
    prefix = "s" if target == "speaker" else "o"
    used = {item.key for item in current}
    stored = {
        row.key: row
        for row in db.session.scalars(
            sa.select(EvaluationItem).where(EvaluationItem.event_id == event.id)
        )
    }
    if not stored:  # first edit: the defaults become the event's own rows
        for position, item in enumerate(current):
            row = EvaluationItem(
                event_id=event.id,
                target=item.target,
                key=item.key,
                text=item.text,
                position=position,
            )
            db.session.add(row)
            stored[item.key] = row
    for key in removed:
        row = stored.pop(key)
        if row in db.session.new:
            db.session.expunge(row)
        else:
            db.session.delete(row)
    base = 0 if target == "speaker" else 100
    for position, (key, text) in enumerate(kept):
        stored[key].text = text
        stored[key].position = base + position
    serial = 1
    for offset, text in enumerate(added, start=len(kept)):
        while f"{prefix}{serial}" in used:
            serial += 1
        key = f"{prefix}{serial}"
        used.add(key)
        db.session.add(
            EvaluationItem(
                event_id=event.id, target=target, key=key, text=text, position=base + offset
            )
        )
    record(
        "evaluation.items",
        actor=actor,
        channel=channel,
        event_id=event.id,
        details={"target": target, "removed": removed, "added": len(added)},
    )
    db.session.flush()
    return queries.items_of(event, target)


def update_settings(event: Event, data, *, actor=None, channel="web") -> EvaluationSettings:
    """The certificate rule and the category bounds (0 < cukup < baik < sangat baik ≤ 100)."""
    errors, bounds = {}, {}
    for field, label in (
        ("very_good_from", "Batas sangat baik"),
        ("good_from", "Batas baik"),
        ("fair_from", "Batas cukup"),
    ):
        raw = str(data.get(field) or "").strip().replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            errors[field] = _("%(label)s harus angka 0–100.", label=label)
            continue
        if not 0 < value <= 100:
            errors[field] = _("%(label)s harus lebih dari 0 dan paling banyak 100.", label=label)
            continue
        bounds[field] = round(value, 2)
    if len(bounds) == 3 and not (
        bounds["fair_from"] < bounds["good_from"] < bounds["very_good_from"]
    ):
        errors["good_from"] = _("Batas harus naik: cukup < baik < sangat baik.")
    if errors:
        raise InvalidInput(_("Periksa kembali pengaturan evaluasi."), fields=errors)
    settings = db.session.scalar(
        sa.select(EvaluationSettings).where(EvaluationSettings.event_id == event.id)
    )
    if settings is None:
        settings = EvaluationSettings(event_id=event.id)
        db.session.add(settings)
    settings.required_for_certificate = parse_flag(data.get("required_for_certificate"))
    for field, value in bounds.items():
        setattr(settings, field, value)
    settings.updated_at = utcnow()
    record(
        "evaluation.settings",
        actor=actor,
        channel=channel,
        event_id=event.id,
        details={"required_for_certificate": settings.required_for_certificate, **bounds},
    )
    db.session.flush()
    return settings
