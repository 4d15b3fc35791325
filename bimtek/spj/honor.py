"""Honor narasumber: JP × rate, PPh 21 withheld by the rule for the person, the net paid.

The rule (rates configurable per event, ``HonorSettings``, each named on the page):
- ASN (a civil servant) by golongan, PMK 262/PMK.03/2010: I and II 0 %, III 5 %, IV 15 %
  of the gross, final;
- anyone else (bukan pegawai), PMK 168 Tahun 2023: 50 % of the gross × the Pasal 17 rate,
  which is 2.5 % of the gross in the first bracket; an event may set another rate.

Rounding: the gross is whole rupiah (JP × a whole rate); the tax is the gross × the rate
rounded DOWN to a whole rupiah (never withholding a fraction more than the rule asks), and
the net is gross − tax, so gross = tax + net on every line and in every total.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from bimtek.core.forms import parse_flag
from bimtek.errors import InvalidInput
from bimtek.events.access import load_in_event
from bimtek.events.models import Event, Module
from bimtek.extensions import db
from bimtek.spj.letterhead import NIP
from bimtek.spj.locking import correction_reason, record_money_change
from bimtek.spj.models import GOLONGAN, Honorarium, HonorSettings
from bimtek.spj.rupiah import MAX_AMOUNT, parse_rupiah

BASIS_POINTS = 10_000
RATE_FIELDS = ("bp_gol_i", "bp_gol_ii", "bp_gol_iii", "bp_gol_iv", "bp_non_asn")
DEFAULTS = {
    "bp_gol_i": 0,
    "bp_gol_ii": 0,
    "bp_gol_iii": 500,
    "bp_gol_iv": 1500,
    "bp_non_asn": 250,
    "source_asn": "PMK 262/PMK.03/2010",
    "source_non_asn": "PMK 168 Tahun 2023 (50% × tarif Pasal 17 UU PPh)",
}


def withheld(gross: int, basis_points: int) -> int:
    """The tax on ``gross`` at ``basis_points`` (500 = 5 %), rounded down to a whole rupiah."""
    return gross * basis_points // BASIS_POINTS


def format_percent(basis_points: int) -> str:
    """500 → "5%", 250 → "2,5%", 1500 → "15%" (Indonesian decimal comma)."""
    whole, rest = divmod(basis_points, 100)
    return f"{whole}%" if not rest else f"{whole},{rest:02d}".rstrip("0") + "%"


def get_honor_settings(event: Event) -> HonorSettings:
    stored = db.session.get(HonorSettings, event.id)
    return stored if stored is not None else HonorSettings(event_id=event.id, **DEFAULTS)


@dataclass
class HonorLine:
    honor: Honorarium
    module: Module | None
    basis_points: int
    source: str

    @property
    def gross(self) -> int:
        return self.honor.jp * self.honor.rate_per_jp

    @property
    def tax(self) -> int:
        return withheld(self.gross, self.basis_points)

    @property
    def net(self) -> int:
        return self.gross - self.tax

    @property
    def rule(self) -> str:
        """Who the rate applies to, as printed: "ASN golongan III" or "Bukan ASN"."""
        honor = self.honor
        return f"ASN golongan {honor.golongan}" if honor.is_asn else "Bukan ASN"


def line_for(honor: Honorarium, settings: HonorSettings) -> HonorLine:
    if honor.is_asn:
        rate = getattr(settings, f"bp_gol_{honor.golongan.lower()}")
        source = settings.source_asn
    else:
        rate, source = settings.bp_non_asn, settings.source_non_asn
    module = db.session.get(Module, honor.module_id) if honor.module_id else None
    return HonorLine(honor, module, rate, source)


def honor_lines(event: Event) -> list[HonorLine]:
    settings = get_honor_settings(event)
    rows = db.session.scalars(
        sa.select(Honorarium)
        .where(Honorarium.event_id == event.id)
        .order_by(Honorarium.module_id, Honorarium.name, Honorarium.id)
    )
    return [line_for(honor, settings) for honor in rows]


def get_honor(event: Event, honor_id) -> Honorarium:
    return load_in_event(Honorarium, honor_id, event)


def totals(lines: list[HonorLine]) -> dict[str, int]:
    return {
        "gross": sum(line.gross for line in lines),
        "tax": sum(line.tax for line in lines),
        "net": sum(line.net for line in lines),
        "jp": sum(line.honor.jp for line in lines),
    }


# --- operations -------------------------------------------------------------------------------


def _percent_to_bp(raw) -> int | None:
    """ "5", "2,5", "2.5" (percent, at most two decimals, 0–100) → basis points."""
    text = str(raw if raw is not None else "").strip().replace(",", ".").removesuffix("%")
    whole, _dot, fraction = text.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > 2:
        return None
    value = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
    return value if value <= BASIS_POINTS else None


def update_honor_settings(event: Event, data, *, actor=None, channel="web", now=None):
    """Set the event's PPh 21 rates (percent, e.g. "5" or "2,5") and the rules named."""
    errors, values = {}, {}
    for name in RATE_FIELDS:
        value = _percent_to_bp(data.get(name))
        if value is None:
            errors[name] = _("Isi persen 0–100, paling banyak dua angka desimal.")
        values[name] = value
    for name in ("source_asn", "source_non_asn"):
        value = " ".join(str(data.get(name) or "").split())
        if not value or len(value) > 200:
            errors[name] = _("Sebutkan dasar aturannya (paling banyak 200 karakter).")
        values[name] = value
    if errors:
        raise InvalidInput(_("Periksa kembali tarif PPh 21."), fields=errors)
    reason = correction_reason(event, data.get("reason"), now)
    settings = get_honor_settings(event)
    if db.session.get(HonorSettings, event.id) is None:
        db.session.add(settings)
    changes = {
        name: [getattr(settings, name), value]
        for name, value in values.items()
        if getattr(settings, name) != value
    }
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.flush()
    record_money_change(
        event,
        reason,
        action="spj.honor_settings",
        actor=actor,
        channel=channel,
        target=event,
        details={"changes": changes},
    )
    return settings


def _honor_values(event: Event, data) -> dict:
    errors, values = {}, {}
    name = " ".join(str(data.get("name") or "").split())
    if not name or len(name) > 200:
        errors["name"] = _("Nama narasumber wajib diisi (paling banyak 200 karakter).")
    values["name"] = name
    values["office"] = " ".join(str(data.get("office") or "").split())[:200]
    nip = "".join(str(data.get("nip") or "").split())
    if nip and not NIP.fullmatch(nip):
        errors["nip"] = _("NIP terdiri dari 18 angka, atau kosongkan.")
    values["nip"] = nip
    values["is_asn"] = parse_flag(data.get("is_asn", False))
    golongan = str(data.get("golongan") or "").strip().upper()
    if values["is_asn"] and golongan not in GOLONGAN:
        errors["golongan"] = _("Pilih golongan ASN (I–IV).")
    values["golongan"] = golongan if values["is_asn"] else ""
    module_id = str(data.get("module_id") or "").strip()
    values["module_id"] = None
    if module_id:
        module = db.session.get(Module, int(module_id)) if module_id.isdigit() else None
        if module is None or module.event_id != event.id:
            errors["module_id"] = _("Pilih materi kegiatan ini.")
        else:
            values["module_id"] = module.id
    jp = str(data.get("jp") or "").strip()
    if not jp.isdigit() or not 1 <= int(jp) <= 200:
        errors["jp"] = _("JP: bilangan bulat 1–200.")
    else:
        values["jp"] = int(jp)
    rate = parse_rupiah(data.get("rate_per_jp"))
    if rate is None or rate * values.get("jp", 1) > MAX_AMOUNT:
        errors["rate_per_jp"] = _("Honor per JP: isi rupiah utuh (mis. 900000 atau 900.000).")
    values["rate_per_jp"] = rate
    if errors:
        raise InvalidInput(_("Periksa kembali honor narasumber."), fields=errors)
    return values


def save_honor(
    event: Event, data, *, honor: Honorarium | None = None, actor=None, channel="web", now=None
) -> Honorarium:
    """Add or change one narasumber's honor; a locked event takes it only as a correction."""
    values = _honor_values(event, data)
    reason = correction_reason(event, data.get("reason"), now)
    is_new = honor is None
    before = {} if is_new else {k: getattr(honor, k) for k in values}
    if is_new:
        honor = Honorarium(event_id=event.id)
        db.session.add(honor)
    for key, value in values.items():
        setattr(honor, key, value)
    db.session.flush()
    changes = {k: [before.get(k), v] for k, v in values.items() if before.get(k) != v}
    record_money_change(
        event,
        reason,
        action="spj.honor_add" if is_new else "spj.honor_change",
        actor=actor,
        channel=channel,
        target=honor,
        details={"changes": changes},
    )
    return honor


def delete_honor(
    honor: Honorarium, event: Event, data=None, *, actor=None, channel="web", now=None
) -> None:
    reason = correction_reason(event, (data or {}).get("reason"), now)
    record_money_change(
        event,
        reason,
        action="spj.honor_delete",
        actor=actor,
        channel=channel,
        target=honor,
        details={"name": honor.name, "jp": honor.jp, "rate_per_jp": honor.rate_per_jp},
    )
    db.session.delete(honor)
    db.session.flush()
