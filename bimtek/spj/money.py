"""Money paid to participants: the rates of an event and the daftar penerimaan per day.

Reads first (they change nothing), then operations (flush, audit; the caller commits).
A participant is paid for a day when they are registered and were present (hadir or
terlambat) at one session or more of that day; izin, sakit and alpa are not paid. Each
day pays uang saku and uang harian at the person's rates; transport is paid each day
attended, or once on the first day attended (``MoneySettings.transport_per_day``).
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.attendance.models import PRESENT, Attendance
from bimtek.core.forms import parse_flag
from bimtek.errors import InvalidInput
from bimtek.events.models import Event, Session
from bimtek.extensions import db
from bimtek.participants.models import Participant, category_labels
from bimtek.spj.locking import correction_reason, record_money_change
from bimtek.spj.models import RATE_BASES, RATE_KINDS, FrozenOrigin, MoneySettings, Rate
from bimtek.spj.rupiah import parse_rupiah


def kind_labels() -> dict[str, str]:
    return {"transport": _("Uang transport"), "saku": _("Uang saku"), "harian": _("Uang harian")}


def basis_labels() -> dict[str, str]:
    return {
        "semua": _("Sama untuk semua peserta"),
        "kategori": _("Menurut kategori instansi"),
        "asal": _("Menurut asal (dalam/luar kabupaten)"),
    }


def origin_labels() -> dict[str, str]:
    return {"dalam": _("Dalam kabupaten"), "luar": _("Luar kabupaten")}


def get_money_settings(event: Event) -> MoneySettings:
    stored = db.session.get(MoneySettings, event.id)
    if stored is not None:
        return stored
    return MoneySettings(
        event_id=event.id, rate_basis="semua", home_districts="", transport_per_day=True
    )


def groups(settings: MoneySettings) -> list[tuple[str, str]]:
    """The groups the rates are set for under the event's basis: (key, label)."""
    if settings.rate_basis == "kategori":
        return list(category_labels().items())
    if settings.rate_basis == "asal":
        return list(origin_labels().items())
    return [("", _("Semua peserta"))]


def home_districts(settings: MoneySettings) -> set[str]:
    return {
        " ".join(line.split()).casefold()
        for line in settings.home_districts.splitlines()
        if line.strip()
    }


def origin_of(participant: Participant, home: set[str]) -> str:
    district = " ".join((participant.district or "").split()).casefold()
    return "dalam" if district and district in home else "luar"


def group_of(settings: MoneySettings, participant: Participant, home: set[str], frozen=None) -> str:
    """The participant's rate group; under "asal", the group frozen by the purge if any."""
    if settings.rate_basis == "kategori":
        return participant.institution_category
    if settings.rate_basis == "asal":
        if frozen and participant.id in frozen:
            return frozen[participant.id]
        return origin_of(participant, home)
    return ""


def rates(event: Event) -> dict[tuple[str, str], int]:
    """(kind, group key) → whole rupiah, for the rates stored."""
    rows = db.session.execute(
        sa.select(Rate.kind, Rate.group_key, Rate.amount).where(Rate.event_id == event.id)
    )
    return {(kind, key): amount for kind, key, amount in rows}


def event_days(event: Event) -> list[date]:
    """The days with sessions, in the event's zone, in order (day 1 is the first)."""
    return sorted({session.local_day for session in event.sessions})


@dataclass
class PaymentRow:
    participant: Participant
    transport: int = 0
    saku: int = 0
    harian: int = 0

    @property
    def total(self) -> int:
        return self.transport + self.saku + self.harian


@dataclass
class DayList:
    """The daftar penerimaan of one day."""

    day: date
    number: int
    rows: list[PaymentRow] = field(default_factory=list)

    def sum(self, kind: str) -> int:
        return sum(getattr(row, kind) for row in self.rows)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def _present_days(event: Event) -> dict[int, set[date]]:
    """participant id → the days they were present at a session."""
    sessions = {session.id: session.local_day for session in event.sessions}
    rows = db.session.execute(
        sa.select(Attendance.participant_id, Attendance.session_id)
        .join(Session, Session.id == Attendance.session_id)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            Session.event_id == event.id,
            Participant.status == "registered",
            Attendance.status.in_(PRESENT),
        )
    )
    days: dict[int, set[date]] = {}
    for participant_id, session_id in rows:
        days.setdefault(participant_id, set()).add(sessions[session_id])
    return days


def penerimaan(event: Event) -> list[DayList]:
    """The daftar penerimaan of every day of the event, people by name."""
    settings = get_money_settings(event)
    home = home_districts(settings)
    table = rates(event)
    present = _present_days(event)
    people = (
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.id.in_(list(present)))
            .order_by(Participant.sort_name, Participant.full_name, Participant.id)
        ).all()
        if present
        else []
    )
    frozen = (
        dict(
            db.session.execute(
                sa.select(FrozenOrigin.participant_id, FrozenOrigin.origin).where(
                    FrozenOrigin.participant_id.in_(list(present))
                )
            ).all()
        )
        if present and settings.rate_basis == "asal"
        else {}
    )
    lists = [DayList(day=day, number=n) for n, day in enumerate(event_days(event), start=1)]
    for person in people:
        group = group_of(settings, person, home, frozen)
        days = present[person.id]
        first = min(days)
        for day_list in lists:
            if day_list.day not in days:
                continue
            row = PaymentRow(
                person,
                saku=table.get(("saku", group), 0),
                harian=table.get(("harian", group), 0),
            )
            if settings.transport_per_day or day_list.day == first:
                row.transport = table.get(("transport", group), 0)
            day_list.rows.append(row)
    return lists


def day_list(event: Event, number: int) -> DayList | None:
    """The list of day ``number`` (1-based), or None for a day the event does not have."""
    lists = penerimaan(event)
    return lists[number - 1] if 1 <= number <= len(lists) else None


# --- operations -------------------------------------------------------------------------------


def update_rates(event: Event, data, *, actor=None, channel="web", now=None) -> MoneySettings:
    """Set the basis, the kecamatan inside the regency and every rate (fields
    ``rate-<kind>-<group>``). A locked event takes it only as a correction with a reason."""
    errors = {}
    basis = str(data.get("rate_basis") or "semua")
    if basis not in RATE_BASES:
        errors["rate_basis"] = _("Pilih dasar tarif.")
        basis = "semua"
    districts = "\n".join(
        " ".join(line.split()) for line in str(data.get("home_districts") or "").splitlines()
    ).strip()
    if len(districts) > 5000:
        errors["home_districts"] = _("Daftar kecamatan terlalu panjang.")
    settings = get_money_settings(event)
    draft = MoneySettings(rate_basis=basis)
    amounts = {}
    for kind in RATE_KINDS:
        for key, label in groups(draft):
            name = f"rate-{kind}-{key}"
            raw = data.get(name)
            if raw is None or str(raw).strip() == "":
                amounts[(kind, key)] = 0
                continue
            value = parse_rupiah(raw)
            if value is None:
                errors[name] = _(
                    "%(label)s: isi rupiah utuh (mis. 150000 atau 150.000).", label=label
                )
            else:
                amounts[(kind, key)] = value
    if errors:
        raise InvalidInput(_("Periksa kembali tarif."), fields=errors)
    reason = correction_reason(event, data.get("reason"), now)
    before = rates(event)
    if db.session.get(MoneySettings, event.id) is None:
        db.session.add(settings)
    settings.rate_basis = basis
    settings.home_districts = districts
    settings.transport_per_day = parse_flag(data.get("transport_per_day", True))
    stored = {
        (rate.kind, rate.group_key): rate
        for rate in db.session.scalars(sa.select(Rate).where(Rate.event_id == event.id))
    }
    for key, rate in stored.items():
        if key not in amounts:
            db.session.delete(rate)
    for (kind, group), amount in amounts.items():
        rate = stored.get((kind, group))
        if rate is None:
            db.session.add(Rate(event_id=event.id, kind=kind, group_key=group, amount=amount))
        else:
            rate.amount = amount
    db.session.flush()
    changes = {
        f"{kind}:{group}": [before.get((kind, group)), amount]
        for (kind, group), amount in amounts.items()
        if before.get((kind, group)) != amount
    }
    record_money_change(
        event,
        reason,
        action="spj.rates",
        actor=actor,
        channel=channel,
        target=event,
        details={
            "basis": basis,
            "transport_per_day": settings.transport_per_day,
            "changes": changes,
        },
    )
    return settings
