"""Kontribusi: what each agency (instansi) pays per registered participant, its numbered
tagihan, the payment (date and method), the kuitansi once paid, and who still owes.

An agency is the ``institution`` its participants registered with (spaces normalised). A
tagihan snapshots the count and the fee when issued; its number comes from the event's
format (the certificate numbers' fields) and is never reused. On a locked event every
change (the fee, a new tagihan) is a manager's correction with a reason; recording a
payment received is not: agencies pay after the Bimtek, so it is recorded as on an open
event, once (a recorded payment is not changed or undone here).
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from bimtek.certificates.numbering import format_number, validate_number_format
from bimtek.core.forms import parse_date
from bimtek.core.timeutil import utcnow
from bimtek.errors import Conflict, InvalidInput
from bimtek.events.access import load_in_event
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.spj.locking import correction_reason, record_money_change
from bimtek.spj.models import PAYMENT_METHODS, FeeSettings, Invoice
from bimtek.spj.rupiah import MAX_AMOUNT, parse_rupiah

DEFAULT_FORMAT = "{seq:03d}/TAGIHAN/{code}/{month_roman}/{year}"


def method_labels() -> dict[str, str]:
    return {"transfer": _("Transfer bank"), "tunai": _("Tunai"), "lainnya": _("Lainnya")}


def get_fee_settings(event: Event) -> FeeSettings:
    stored = db.session.get(FeeSettings, event.id)
    if stored is not None:
        return stored
    return FeeSettings(
        event_id=event.id, fee_per_participant=0, number_format=DEFAULT_FORMAT, last_seq=0
    )


def agency_name(institution: str) -> str:
    return " ".join((institution or "").split())


@dataclass
class Agency:
    institution: str
    participants: int
    invoice: Invoice | None

    @property
    def owes(self) -> bool:
        """Still owes: no tagihan yet (while a fee is set), or a tagihan not paid."""
        return self.invoice is None or self.invoice.paid_on is None


def agencies(event: Event) -> list[Agency]:
    """Every agency with registered participants or a tagihan, by name."""
    counts: dict[str, int] = {}
    rows = db.session.execute(
        sa.select(Participant.institution, sa.func.count())
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .group_by(Participant.institution)
    )
    for institution, count in rows:
        name = agency_name(institution)
        counts[name] = counts.get(name, 0) + count
    invoices = {
        invoice.institution: invoice
        for invoice in db.session.scalars(sa.select(Invoice).where(Invoice.event_id == event.id))
    }
    names = sorted(set(counts) | set(invoices), key=str.casefold)
    return [Agency(name, counts.get(name, 0), invoices.get(name)) for name in names]


def summary(items: list[Agency]) -> dict[str, int]:
    billed = sum(a.invoice.amount for a in items if a.invoice)
    paid = sum(a.invoice.amount for a in items if a.invoice and a.invoice.paid_on)
    return {
        "billed": billed,
        "paid": paid,
        "unpaid": billed - paid,
        "owing": sum(1 for a in items if a.owes),
    }


def get_invoice(event: Event, invoice_id) -> Invoice:
    return load_in_event(Invoice, invoice_id, event)


# --- operations -------------------------------------------------------------------------------


def update_fee_settings(event: Event, data, *, actor=None, channel="web", now=None):
    errors = {}
    fee = parse_rupiah(data.get("fee_per_participant"))
    if fee is None:
        errors["fee_per_participant"] = _("Isi rupiah utuh (mis. 2500000 atau 2.500.000).")
    try:
        pattern = validate_number_format(data.get("number_format") or "")
    except InvalidInput as error:
        errors.update(error.fields)
        pattern = None
    if errors:
        raise InvalidInput(_("Periksa kembali pengaturan kontribusi."), fields=errors)
    reason = correction_reason(event, data.get("reason"), now)
    settings = get_fee_settings(event)
    if db.session.get(FeeSettings, event.id) is None:
        db.session.add(settings)
    changes = {
        name: [getattr(settings, name), value]
        for name, value in (("fee_per_participant", fee), ("number_format", pattern))
        if getattr(settings, name) != value
    }
    settings.fee_per_participant, settings.number_format = fee, pattern
    db.session.flush()
    record_money_change(
        event,
        reason,
        action="spj.fee_settings",
        actor=actor,
        channel=channel,
        target=event,
        details={"changes": changes},
    )
    return settings


def issue_invoice(
    event: Event, institution: str, data=None, *, actor=None, channel="web", today=None, now=None
) -> Invoice:
    """Number and keep the tagihan of one agency: its registered participants × the fee."""
    name = agency_name(institution)
    agency = next((a for a in agencies(event) if a.institution == name), None)
    if agency is None or agency.participants == 0:
        raise InvalidInput(_("Instansi ini tidak punya peserta terdaftar."), code="no_agency")
    if agency.invoice is not None:
        raise Conflict(_("Tagihan instansi ini sudah dibuat."), code="invoice_exists")
    settings = get_fee_settings(event)
    if settings.fee_per_participant <= 0:
        raise InvalidInput(_("Isi dulu kontribusi per peserta."), code="no_fee")
    amount = agency.participants * settings.fee_per_participant
    if amount > MAX_AMOUNT:
        raise InvalidInput(_("Jumlah tagihan terlalu besar."), code="amount_too_large")
    reason = correction_reason(event, (data or {}).get("reason"), now)
    if db.session.get(FeeSettings, event.id) is None:
        db.session.add(settings)
        db.session.flush()
    settings = db.session.scalar(
        sa.select(FeeSettings).where(FeeSettings.event_id == event.id).with_for_update()
    )
    settings.last_seq += 1
    day = today or event.local(utcnow()).date()
    invoice = Invoice(
        event_id=event.id,
        institution=name,
        seq=settings.last_seq,
        number=format_number(
            settings.number_format, seq=settings.last_seq, code=event.code, day=day
        ),
        participants=agency.participants,
        fee_per_participant=settings.fee_per_participant,
        amount=amount,
        issued_on=day,
        payment_method="",
        payment_note="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
    except IntegrityError:
        raise Conflict(_("Tagihan instansi ini sudah dibuat."), code="invoice_exists") from None
    record_money_change(
        event,
        reason,
        action="spj.invoice_issue",
        actor=actor,
        channel=channel,
        target=invoice,
        details={"number": invoice.number, "institution": name, "amount": amount},
    )
    return invoice


def record_payment(invoice: Invoice, event: Event, data, *, actor=None, channel="web"):
    """Mark a tagihan paid in full on a date, by a method; once. Agencies pay after the
    Bimtek: a payment received is a new fact, not a correction, so a locked event takes it
    without a reason (none is asked, and one given is not kept); a recorded payment is
    never changed here."""
    if invoice.paid_on is not None:
        raise Conflict(_("Tagihan ini sudah lunas."), code="already_paid")
    errors = {}
    paid_on = parse_date(data.get("paid_on"), _("Tanggal bayar"), errors, "paid_on")
    method = str(data.get("payment_method") or "")
    if method not in PAYMENT_METHODS:
        errors["payment_method"] = _("Pilih cara bayar.")
    note = " ".join(str(data.get("payment_note") or "").split())
    if len(note) > 200:
        errors["payment_note"] = _("Keterangan paling banyak 200 karakter.")
    if paid_on is not None and paid_on < invoice.issued_on:
        errors["paid_on"] = _("Tanggal bayar tidak boleh sebelum tanggal tagihan.")
    if errors:
        raise InvalidInput(_("Periksa kembali pembayaran."), fields=errors)
    invoice.paid_on, invoice.payment_method, invoice.payment_note = paid_on, method, note
    db.session.flush()
    record_money_change(
        event,
        "",
        action="spj.invoice_paid",
        actor=actor,
        channel=channel,
        target=invoice,
        details={
            "number": invoice.number,
            "paid_on": paid_on.isoformat(),
            "method": method,
            "amount": invoice.amount,
        },
    )
    return invoice
