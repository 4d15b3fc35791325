"""SPJ pages of an event (its managers only: they show money and NIK)."""

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bimtek.errors import Conflict, InvalidInput, NotFound, ServiceError
from bimtek.events.access import event_required, load_in_event
from bimtek.events.models import Session
from bimtek.extensions import db
from bimtek.spj import (
    bundle,
    documents,
    dokumentasi,
    honor,
    kontribusi,
    letterhead,
    letters,
    money,
    pdf,
    word,
)
from bimtek.spj.images import MAX_UPLOAD_BYTES
from bimtek.spj.models import GOLONGAN
from bimtek.spj.rupiah import format_rupiah, terbilang
from bimtek.storage import files

bp = Blueprint("spj", __name__)

ADMIN = "/admin/kegiatan/<code>/spj"


def uploaded(name: str) -> bytes | None:
    """The bytes of an uploaded file field, or None when none was chosen."""
    storage = request.files.get(name)
    if storage is None or not storage.filename:
        return None
    return storage.read(MAX_UPLOAD_BYTES + 1)


def pdf_response(data: bytes, filename: str, *, inline: bool = False):
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _flash_error(error: ServiceError) -> None:
    detail = "; ".join(error.fields.values()) if error.fields else ""
    flash(f"{error.message} {detail}".strip(), "error")


@bp.route(ADMIN)
@event_required("manager")
def index(event):
    return render_template("spj/index.html", event=event)


@bp.route(ADMIN + "/kop", methods=["GET", "POST"])
@event_required("manager")
def letterhead_page(event):
    errors, form = {}, None
    if request.method == "POST":
        try:
            letterhead.update_letterhead(event, request.form, actor=current_user)
        except InvalidInput as error:
            db.session.rollback()
            errors, form = error.fields, request.form
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Kop surat disimpan."), "success")
            return redirect(url_for(".letterhead_page", code=event.code))
    return render_template(
        "spj/letterhead.html",
        event=event,
        letterhead=letterhead.get_letterhead(event),
        blocks=letterhead.signature_blocks(event),
        max_blocks=letterhead.MAX_SIGNATURE_BLOCKS,
        form=form,
        errors=errors,
    ), 422 if errors else 200


@bp.post(ADMIN + "/kop/logo")
@event_required("manager")
def upload_logo(event):
    try:
        raw = None if request.form.get("remove") else uploaded("logo")
        if raw is None and not request.form.get("remove"):
            raise InvalidInput(_("Logo: pilih berkas gambar."), fields={"logo": _("Pilih berkas.")})
        letterhead.set_logo(event, raw, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        _flash_error(error)
    else:
        db.session.commit()
        flash(_("Logo disimpan.") if raw else _("Logo dihapus."), "success")
    return redirect(url_for(".letterhead_page", code=event.code))


def _image(file_id):
    stored = files.get(file_id)
    if stored is None:
        raise NotFound(_("Gambar tidak ditemukan."), code="unknown_image")
    return files.send(stored, download_name="gambar.png", max_age=0)


@bp.route(ADMIN + "/kop/logo.png")
@event_required("manager")
def logo(event):
    return _image(letterhead.get_letterhead(event).logo_file_id)


@bp.post(ADMIN + "/tanda-tangan")
@bp.post(ADMIN + "/tanda-tangan/<int:block_id>")
@event_required("manager")
def save_signature(event, block_id=None):
    try:
        block = letterhead.get_signature_block(event, block_id) if block_id else None
        if request.form.get("delete") and block is not None:
            letterhead.delete_signature_block(block, actor=current_user)
            message = _("Penanda tangan dihapus.")
        else:
            letterhead.save_signature_block(
                event, request.form, stamp=uploaded("stamp"), block=block, actor=current_user
            )
            message = _("Penanda tangan disimpan.")
    except ServiceError as error:
        db.session.rollback()
        _flash_error(error)
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".letterhead_page", code=event.code) + "#penanda-tangan")


@bp.route(ADMIN + "/tanda-tangan/<int:block_id>/cap.png")
@event_required("manager")
def stamp(event, block_id):
    return _image(letterhead.get_signature_block(event, block_id).stamp_file_id)


@bp.route(ADMIN + "/kop/contoh.pdf")
@event_required("manager")
def sample(event):
    return pdf_response(documents.sample_pdf(event), f"contoh-kop-{event.code}.pdf", inline=True)


@bp.route(ADMIN + "/uang", methods=["GET", "POST"])
@event_required("manager")
def money_page(event):
    errors, form = {}, None
    if request.method == "POST":
        try:
            money.update_rates(event, request.form, actor=current_user)
        except ServiceError as error:
            db.session.rollback()
            errors, form = error.fields, request.form
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Tarif disimpan."), "success")
            return redirect(url_for(".money_page", code=event.code))
    settings = money.get_money_settings(event)
    return render_template(
        "spj/money.html",
        event=event,
        settings=settings,
        groups=money.groups(settings),
        rates=money.rates(event),
        kinds=money.kind_labels(),
        bases=money.basis_labels(),
        lists=money.penerimaan(event),
        locked=event.locked(),
        form=form,
        errors=errors,
        rupiah=format_rupiah,
        terbilang=terbilang,
    ), 422 if errors else 200


@bp.route(ADMIN + "/penerimaan/<int:day>.pdf")
@event_required("manager")
def penerimaan_pdf(event, day):
    day_list = money.day_list(event, day)
    if day_list is None:
        raise NotFound(_("Hari ini tidak ada pada kegiatan."), code="unknown_day")
    return pdf_response(pdf.penerimaan_pdf(event, day_list), f"penerimaan-{event.code}-{day}.pdf")


def _honor_page(event, *, errors=None, form=None, settings_form=None, status=200):
    lines = honor.honor_lines(event)
    return render_template(
        "spj/honor.html",
        event=event,
        lines=lines,
        sums=honor.totals(lines),
        settings=honor.get_honor_settings(event),
        percent=honor.format_percent,
        modules=[(m.id, f"{m.code} · {m.title}") for m in event.modules],
        golongan_options=[(g, g) for g in GOLONGAN],
        locked=event.locked(),
        form=form,
        settings_form=settings_form,
        errors=errors or {},
        rupiah=format_rupiah,
        terbilang=terbilang,
    ), status


@bp.route(ADMIN + "/honor")
@event_required("manager")
def honor_page(event):
    return _honor_page(event)


@bp.post(ADMIN + "/honor/pph")
@event_required("manager")
def honor_settings(event):
    try:
        honor.update_honor_settings(event, request.form, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _honor_page(event, errors=error.fields, settings_form=request.form, status=422)
    db.session.commit()
    flash(_("Tarif PPh 21 disimpan."), "success")
    return redirect(url_for(".honor_page", code=event.code))


@bp.post(ADMIN + "/honor/simpan")
@bp.post(ADMIN + "/honor/<int:honor_id>")
@event_required("manager")
def save_honor(event, honor_id=None):
    try:
        row = honor.get_honor(event, honor_id) if honor_id else None
        if row is not None and request.form.get("delete"):
            honor.delete_honor(row, event, request.form, actor=current_user)
            message = _("Honor narasumber dihapus.")
        else:
            honor.save_honor(event, request.form, honor=row, actor=current_user)
            message = _("Honor narasumber disimpan.")
    except ServiceError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _honor_page(event, errors=error.fields, form=request.form, status=422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".honor_page", code=event.code))


@bp.route(ADMIN + "/honor/daftar.pdf")
@event_required("manager")
def honor_list_pdf(event):
    data = pdf.honor_list_pdf(event, honor.honor_lines(event))
    return pdf_response(data, f"honor-narasumber-{event.code}.pdf")


@bp.route(ADMIN + "/honor/<int:honor_id>/kuitansi.pdf")
@event_required("manager")
def honor_kuitansi_pdf(event, honor_id):
    line = honor.line_for(honor.get_honor(event, honor_id), honor.get_honor_settings(event))
    return pdf_response(
        pdf.honor_kuitansi_pdf(event, line), f"kuitansi-honor-{event.code}-{honor_id}.pdf"
    )


def _kontribusi_page(event, *, errors=None, form=None, status=200):
    items = kontribusi.agencies(event)
    return render_template(
        "spj/kontribusi.html",
        event=event,
        agencies=items,
        sums=kontribusi.summary(items),
        settings=kontribusi.get_fee_settings(event),
        methods=list(kontribusi.method_labels().items()),
        method_labels=kontribusi.method_labels(),
        locked=event.locked(),
        form=form,
        errors=errors or {},
        rupiah=format_rupiah,
    ), status


@bp.route(ADMIN + "/kontribusi")
@event_required("manager")
def kontribusi_page(event):
    return _kontribusi_page(event)


def _kontribusi_action(event, action, message):
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        if error.status == 404:
            raise
        flash(error.message, "error")
        return _kontribusi_page(event, errors=error.fields, form=request.form, status=422)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".kontribusi_page", code=event.code))


@bp.post(ADMIN + "/kontribusi/pengaturan")
@event_required("manager")
def kontribusi_settings(event):
    return _kontribusi_action(
        event,
        lambda: kontribusi.update_fee_settings(event, request.form, actor=current_user),
        _("Pengaturan kontribusi disimpan."),
    )


@bp.post(ADMIN + "/kontribusi/tagihan")
@event_required("manager")
def issue_invoice(event):
    return _kontribusi_action(
        event,
        lambda: kontribusi.issue_invoice(
            event, request.form.get("institution", ""), request.form, actor=current_user
        ),
        _("Tagihan dibuat."),
    )


@bp.post(ADMIN + "/kontribusi/<int:invoice_id>/bayar")
@event_required("manager")
def record_payment(event, invoice_id):
    invoice = kontribusi.get_invoice(event, invoice_id)
    return _kontribusi_action(
        event,
        lambda: kontribusi.record_payment(invoice, event, request.form, actor=current_user),
        _("Pembayaran dicatat."),
    )


@bp.route(ADMIN + "/kontribusi/<int:invoice_id>/tagihan.pdf")
@event_required("manager")
def tagihan_pdf(event, invoice_id):
    invoice = kontribusi.get_invoice(event, invoice_id)
    return pdf_response(pdf.tagihan_pdf(event, invoice), f"tagihan-{event.code}-{invoice.seq}.pdf")


@bp.route(ADMIN + "/kontribusi/<int:invoice_id>/kuitansi.pdf")
@event_required("manager")
def kontribusi_kuitansi_pdf(event, invoice_id):
    invoice = kontribusi.get_invoice(event, invoice_id)
    if invoice.paid_on is None:
        raise Conflict(_("Kuitansi dibuat setelah tagihan lunas."), code="not_paid")
    return pdf_response(
        pdf.kontribusi_kuitansi_pdf(event, invoice), f"kuitansi-{event.code}-{invoice.seq}.pdf"
    )


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _letters_page(event, *, errors=None, form=None, status=200):
    have = letters.numbered(event)
    people = letters.registered(event)
    by_id = {str(person.id): person for person in people}
    return render_template(
        "spj/letters.html",
        event=event,
        agencies=[a for a in kontribusi.agencies(event) if a.participants],
        invitations={key[1]: letter for key, letter in have.items() if key[0] == "undangan"},
        statements=[
            (letter, by_id.get(letter.subject))
            for key, letter in sorted(have.items(), key=lambda item: item[1].seq)
            if key[0] == "keterangan"
        ],
        people=people,
        settings=letters.get_letter_settings(event),
        form=form,
        errors=errors or {},
    ), status


@bp.route(ADMIN + "/surat")
@event_required("manager")
def letters_page(event):
    return _letters_page(event)


@bp.post(ADMIN + "/surat/pengaturan")
@event_required("manager")
def letter_settings(event):
    try:
        letters.update_letter_settings(event, request.form, actor=current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _letters_page(event, errors=error.fields, form=request.form, status=422)
    db.session.commit()
    flash(_("Format nomor surat disimpan."), "success")
    return redirect(url_for(".letters_page", code=event.code))


@bp.post(ADMIN + "/surat/nomor")
@event_required("manager")
def number_letter(event):
    try:
        if request.form.get("all"):
            count = letters.number_all_invitations(event, actor=current_user)
            message = _("%(n)s surat undangan diberi nomor.", n=count)
        else:
            letter = letters.number_letter(
                event,
                request.form.get("kind", ""),
                request.form.get("subject", ""),
                actor=current_user,
            )
            message = _("Surat bernomor %(number)s siap diunduh.", number=letter.number)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _letters_page(event, errors=error.fields, status=error.status)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".letters_page", code=event.code))


@bp.route(ADMIN + "/surat/<int:letter_id>.pdf")
@event_required("manager")
def letter_pdf(event, letter_id):
    letter = letters.get_letter(event, letter_id)
    data = pdf.letter_pdf(event, letters.letter_text(event, letter))
    return pdf_response(data, f"surat-{letter.kind}-{event.code}-{letter.seq:03d}.pdf")


@bp.route(ADMIN + "/surat/<int:letter_id>.docx")
@event_required("manager")
def letter_docx(event, letter_id):
    letter = letters.get_letter(event, letter_id)
    data = word.letter_docx(event, letters.letter_text(event, letter))
    response = send_file(
        io.BytesIO(data),
        mimetype=DOCX,
        as_attachment=True,
        download_name=f"surat-{letter.kind}-{event.code}-{letter.seq:03d}.docx",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(ADMIN + "/dokumentasi")
@event_required("manager")
def photos_page(event):
    return render_template(
        "spj/photos.html",
        event=event,
        groups=dokumentasi.photos_by_session(event),
        max_caption=dokumentasi.MAX_CAPTION,
    )


@bp.post(ADMIN + "/dokumentasi/<int:session_id>")
@event_required("manager")
def upload_photo(event, session_id):
    session = load_in_event(Session, session_id, event)
    try:
        dokumentasi.add_photo(
            event, session, uploaded("photo"), request.form.get("caption"), actor=current_user
        )
    except ServiceError as error:
        db.session.rollback()
        _flash_error(error)
    else:
        db.session.commit()
        flash(_("Foto disimpan."), "success")
    return redirect(url_for(".photos_page", code=event.code) + f"#sesi-{session.id}")


@bp.post(ADMIN + "/dokumentasi/foto/<int:photo_id>/hapus")
@event_required("manager")
def delete_photo(event, photo_id):
    photo = dokumentasi.get_photo(event, photo_id)
    session_id = photo.session_id
    dokumentasi.delete_photo(event, photo, actor=current_user)
    db.session.commit()
    flash(_("Foto dihapus."), "success")
    return redirect(url_for(".photos_page", code=event.code) + f"#sesi-{session_id}")


@bp.route(ADMIN + "/dokumentasi/foto/<int:photo_id>.jpg")
@event_required("manager")
def photo(event, photo_id):
    stored = files.get(dokumentasi.get_photo(event, photo_id).file_id)
    return files.send(stored, download_name=f"foto-{photo_id}.jpg", max_age=0)


@bp.route(ADMIN + "/dokumentasi.pdf")
@event_required("manager")
def photos_pdf(event):
    data = pdf.dokumentasi_pdf(event, dokumentasi.photos_by_session(event))
    return pdf_response(data, f"dokumentasi-{event.code}.pdf")


@bp.post(ADMIN + "/berkas/<kind>")
@event_required("manager")
def prepare_bundle(event, kind):
    if kind not in bundle.KINDS:
        raise NotFound(_("Berkas tidak dikenal."), code="unknown_bundle")
    prepared = bundle.prepare_bundle(event, kind, actor=current_user)
    db.session.commit()
    return redirect(url_for("prepared_files.show", code=event.code, prepared_id=prepared.id))
