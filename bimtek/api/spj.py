"""The SPJ's money over the API, for a finance system or a spreadsheet that reads JSON: each
day's daftar penerimaan in totals, the honor lines with PPh 21, and the kontribusi of every
agency; the figures the SPJ page, its PDF and its workbook print. Read only: a money table
changes on the SPJ page, where a locked event asks for a correction's reason."""

from marshmallow import Schema, fields

from bimtek.api import bp
from bimtek.api.auth import token_required
from bimtek.api.outputs import IsoDate
from bimtek.events.access import event_required
from bimtek.spj import honor, kontribusi, money
from bimtek.spj.models import RATE_KINDS
from bimtek.spj.rupiah import terbilang

RUPIAH = {"description": "whole rupiah"}


class PenerimaanDay(Schema):
    number = fields.Integer(metadata={"description": "the event's day, from 1"})
    day = IsoDate()
    people = fields.Integer(metadata={"description": "present at a session that day"})
    transport = fields.Integer(metadata=RUPIAH)
    saku = fields.Integer(metadata=RUPIAH)
    harian = fields.Integer(metadata=RUPIAH)
    total = fields.Integer(metadata=RUPIAH)
    total_in_words = fields.String(metadata={"description": "terbilang, as the list prints it"})


class Penerimaan(Schema):
    days = fields.List(fields.Nested(PenerimaanDay))
    total = fields.Integer(metadata=RUPIAH)


class HonorLine(Schema):
    name = fields.String()
    module = fields.String(allow_none=True, metadata={"description": "the module taught"})
    jp = fields.Integer()
    rate_per_jp = fields.Integer(metadata=RUPIAH)
    rule = fields.String(metadata={"description": "ASN golongan I–IV or Bukan ASN"})
    source = fields.String(metadata={"description": "the regulation the rate comes from"})
    pph21_basis_points = fields.Integer(metadata={"description": "the PPh 21 rate, 500 = 5 %"})
    gross = fields.Integer(metadata=RUPIAH)
    tax = fields.Integer(metadata={"description": "PPh 21 withheld, whole rupiah, rounded down"})
    net = fields.Integer(metadata=RUPIAH)


class HonorTotals(Schema):
    jp = fields.Integer()
    gross = fields.Integer(metadata=RUPIAH)
    tax = fields.Integer(metadata=RUPIAH)
    net = fields.Integer(metadata=RUPIAH)


class Honor(Schema):
    lines = fields.List(fields.Nested(HonorLine))
    totals = fields.Nested(HonorTotals)


class AgencyFee(Schema):
    institution = fields.String()
    participants = fields.Integer(metadata={"description": "registered now"})
    invoice_number = fields.String(allow_none=True)
    amount = fields.Integer(allow_none=True, metadata=RUPIAH)
    issued_on = IsoDate(allow_none=True)
    paid_on = IsoDate(allow_none=True)
    payment_method = fields.String(allow_none=True)
    owes = fields.Boolean(metadata={"description": "no tagihan yet, or one not paid"})


class Kontribusi(Schema):
    agencies = fields.List(fields.Nested(AgencyFee))
    billed = fields.Integer(metadata=RUPIAH)
    paid = fields.Integer(metadata=RUPIAH)
    unpaid = fields.Integer(metadata=RUPIAH)
    owing = fields.Integer(metadata={"description": "agencies that still owe"})


class SpjMoney(Schema):
    event = fields.String()
    locked = fields.Boolean(
        metadata={"description": "ended or closed: the tables change only by a correction"}
    )
    penerimaan = fields.Nested(Penerimaan)
    honor = fields.Nested(Honor)
    kontribusi = fields.Nested(Kontribusi)


def _day(day_list: money.DayList) -> dict:
    sums = {kind: day_list.sum(kind) for kind in RATE_KINDS}
    return {
        "number": day_list.number,
        "day": day_list.day,
        "people": len(day_list.rows),
        **sums,
        "total": day_list.total,
        "total_in_words": terbilang(day_list.total),
    }


def _honor_line(line: honor.HonorLine) -> dict:
    return {
        "name": line.honor.name,
        "module": line.module.title if line.module else None,
        "jp": line.honor.jp,
        "rate_per_jp": line.honor.rate_per_jp,
        "rule": line.rule,
        "source": line.source,
        "pph21_basis_points": line.basis_points,
        "gross": line.gross,
        "tax": line.tax,
        "net": line.net,
    }


def _agency(agency: kontribusi.Agency) -> dict:
    invoice = agency.invoice
    return {
        "institution": agency.institution,
        "participants": agency.participants,
        "invoice_number": invoice.number if invoice else None,
        "amount": invoice.amount if invoice else None,
        "issued_on": invoice.issued_on if invoice else None,
        "paid_on": invoice.paid_on if invoice else None,
        "payment_method": (invoice.payment_method or None) if invoice else None,
        "owes": agency.owes,
    }


@bp.get("/events/<code>/spj")
@token_required()
@event_required("manager")
@bp.response(200, SpjMoney)
@bp.errors({403: "forbidden (not a manager of the event)", 404: "unknown_event"})
def spj_money(event):
    """The SPJ's money: the daftar penerimaan per day, honor with PPh 21, kontribusi."""
    days = money.penerimaan(event)
    lines = honor.honor_lines(event)
    agencies = kontribusi.agencies(event)
    return {
        "event": event.code,
        "locked": event.locked(),
        "penerimaan": {"days": [_day(d) for d in days], "total": sum(d.total for d in days)},
        "honor": {"lines": [_honor_line(line) for line in lines], "totals": honor.totals(lines)},
        "kontribusi": {"agencies": [_agency(a) for a in agencies], **kontribusi.summary(agencies)},
    }
