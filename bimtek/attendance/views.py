"""The check-in desk, its same-origin JSON endpoints, the recap, the printed documents, and a
participant's own attendance page."""

import os
from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from bimtek.attendance import checkin, corrections, queries, roster, scan_targets, session_roster
from bimtek.attendance.models import status_labels
from bimtek.attendance.payloads import (
    DESK_SCAN_REQUEST,
    DESK_UNDO_REQUEST,
    EXCUSE_REQUEST,
    WALK_IN_REQUEST,
    attendance_json,
    checkin_json,
    error_json,
    participant_brief,
    participant_with_class,
)
from bimtek.attendance.pdf import badges_pdf, sign_in_sheet_pdf
from bimtek.auth.sessions import device_scope
from bimtek.core.inputs import json_object
from bimtek.core.timeutil import utcnow
from bimtek.core.web import participant_required
from bimtek.errors import InvalidInput, NotFound, ServiceError
from bimtek.events.access import event_required, load_in_event
from bimtek.events.classes import class_names
from bimtek.events.models import Session
from bimtek.events.services import current_session
from bimtek.extensions import db
from bimtek.participants.models import Participant, category_labels, gender_labels
from bimtek.participants.queries import list_participants, own_participant
from bimtek.participants.search import TITLES
from bimtek.participants.visibility import sees_personal_data

bp = Blueprint("attendance", __name__)

DESK_SOURCES = ("desk", "camera", "manual")


def staff_json(view):
    """For the desk's fetch() calls: staff by session cookie, answers and errors in JSON."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            body = {"error": {"code": "unauthorized", "message": _("Silakan masuk kembali.")}}
            return jsonify(body), 401
        if not current_user.is_staff:
            body = {"error": {"code": "forbidden", "message": _("Khusus panitia.")}}
            return jsonify(body), 403
        try:
            return view(*args, **kwargs)
        except ServiceError as error:
            db.session.rollback()
            return jsonify(error_json(error)), error.status

    return wrapped


def _desk_data(schema: dict) -> dict:
    """The page's JSON, checked like the API's (bimtek.core.inputs.json_object)."""
    return json_object(schema)


def _status_payload(session) -> dict:
    event = session.event
    return {
        "server_time": utcnow().isoformat(),  # the desk measures its clock's offset by it
        "counts": queries.session_counts(session),
        "recent": [
            {**attendance_json(row, event), "participant": participant_brief(row.participant)}
            for row in queries.recent_checkins(session)
        ],
    }


# --- desk ----------------------------------------------------------------------------------


@bp.route("/kegiatan/<code>/check-in")
@event_required("panitia")
def desk(event):
    session = None
    chosen = request.args.get("sesi")
    if chosen:
        try:
            session = scan_targets.event_session(event, chosen)
        except NotFound:
            session = None
    session = session or current_session(event)
    return render_template(
        "attendance/desk.html",
        event=event,
        session=session,
        status=_status_payload(session) if session else None,
        late_after=event.local(queries.late_after(session)) if session else None,
        running=session is not None and queries.is_running(session),
        genders=gender_labels(),
        categories=category_labels(),
        search_titles=" ".join(sorted(TITLES)),
        device_scope=device_scope(current_user),
    )


@bp.post("/kegiatan/<code>/check-in/<int:session_id>/scan")
@staff_json
@event_required("panitia")
def desk_scan(event, session_id):
    data = _desk_data(DESK_SCAN_REQUEST)
    source = data.get("source") if data.get("source") in DESK_SOURCES else "desk"
    picked = data.get("participant_id")
    if picked not in (None, ""):
        source = "manual"
    session, result = checkin.scan(
        session_id,
        actor=current_user,
        code=data.get("code") if picked in (None, "") else None,
        participant_id=picked if picked not in (None, "") else None,
        event=event,
        scan_id=data.get("scan_id"),
        scanned_at=data.get("scanned_at"),
        channel=source,
    )
    body = checkin_json(result, event)
    db.session.commit()
    body.update(_status_payload(session))
    return jsonify(body), 200 if result.already else 201


@bp.post("/kegiatan/<code>/check-in/<int:session_id>/undo")
@staff_json
@event_required("panitia")
def desk_undo(event, session_id):
    session = load_in_event(Session, session_id, event)
    participant = load_in_event(
        Participant, _desk_data(DESK_UNDO_REQUEST).get("participant_id"), event
    )
    checkin.undo_check_in(session, participant, actor=current_user, channel="web")
    db.session.commit()
    return jsonify({"undone": participant_brief(participant), **_status_payload(session)})


@bp.post("/kegiatan/<code>/check-in/<int:session_id>/excuse")
@staff_json
@event_required("panitia")
def desk_excuse(event, session_id):
    session = load_in_event(Session, session_id, event)
    data = _desk_data(EXCUSE_REQUEST)
    participant = load_in_event(Participant, data.get("participant_id"), event)
    row = checkin.mark_excused(
        session, participant, data.get("status"), data.get("note"), actor=current_user
    )
    body = {**attendance_json(row, event), "participant": participant_brief(participant)}
    db.session.commit()
    return jsonify({**body, **_status_payload(session)})


@bp.get("/kegiatan/<code>/check-in/<int:session_id>/search")
@staff_json
@event_required("panitia")
def desk_search(event, session_id):
    session = load_in_event(Session, session_id, event)
    matches = queries.find_participants(
        event,
        request.args.get("q", ""),
        session,
        personal=sees_personal_data(current_user, event),
    )
    names = class_names(event)
    return jsonify(
        {
            "results": [
                {
                    "participant": participant_with_class(person, names),
                    "attendance": attendance_json(row, event) if row else None,
                }
                for person, row in matches
            ]
        }
    )


@bp.get("/kegiatan/<code>/check-in/<int:session_id>/status")
@staff_json
@event_required("panitia")
def desk_status(event, session_id):
    session = load_in_event(Session, session_id, event)
    return jsonify(_status_payload(session))


@bp.get("/kegiatan/<code>/check-in/roster.json")
@staff_json
@event_required("panitia")
def desk_roster(event):
    """The roster snapshot the desk keeps for looking people up offline (no personal data:
    the panitia use it). Not for the HTTP cache: the page keeps it in Cache Storage, which is
    cleared at logout (``Clear-Site-Data``) and when the snapshot expires."""
    body = roster.roster_snapshot(event)
    body["csrf_token"] = generate_csrf()  # a page served offline sends its queue with this
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/kegiatan/<code>/check-in/<int:session_id>/walk-in")
@staff_json
@event_required("panitia")
def desk_walk_in(event, session_id):
    """Register a person who came unregistered and check them in; the answer names them
    (no NIK or phone echoed back) and links their ticket."""
    session = load_in_event(Session, session_id, event)
    data = _desk_data(WALK_IN_REQUEST)
    reason = data.pop("over_capacity_reason", None)
    outcome, result = checkin.walk_in(
        session, data, actor=current_user, over_capacity_reason=reason
    )
    participant = outcome.participant
    body = checkin_json(result, event)
    code = participant.ticket_code
    body["ticket_url"] = url_for("participants.ticket_download", ticket_code=code)
    body["ticket_code"] = participant.ticket_code
    body["emailed"] = bool(participant.email)
    db.session.commit()
    body.update(_status_payload(session))
    return jsonify(body), 201


@bp.get("/kegiatan/desk-sw.js")
def desk_service_worker():
    """The desk's service worker, served under /kegiatan/ so that its scope covers every
    event's desk (a script under /static/js/ could only control /static/js/)."""
    path = os.path.join(current_app.static_folder, "js", "desk-sw.js")
    with open(path, "rb") as script:
        response = current_app.response_class(script.read(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


# --- documents and recap ---------------------------------------------------------------------


@bp.route("/kegiatan/<code>/sesi/<int:session_id>/daftar-hadir.pdf")
@event_required("panitia")
def sign_in_sheet(event, session_id):
    session = load_in_event(Session, session_id, event)
    rows = queries.session_attendance(session)
    return send_file(
        sign_in_sheet_pdf(session, rows),
        mimetype="application/pdf",
        as_attachment=request.args.get("unduh") == "1",
        download_name=f"daftar-hadir-{event.code}-sesi-{session.id}.pdf",
    )


@bp.route("/kegiatan/<code>/kartu-peserta.pdf")
@event_required("panitia")
def badges(event):
    people = list_participants(event.id, status="registered", sort="name")
    return send_file(
        badges_pdf(event, people),
        mimetype="application/pdf",
        as_attachment=request.args.get("unduh") == "1",
        download_name=f"kartu-peserta-{event.code}.pdf",
    )


@bp.route("/kegiatan/<code>/rekap-kehadiran")
@event_required("panitia")
def recap(event):
    """Who came to which session: the desk's own record, no personal data (panitia too)."""
    return render_template(
        "attendance/recap.html",
        event=event,
        matrix=queries.attendance_matrix(event),
        labels=status_labels(),
    )


@bp.route("/kegiatan/<code>/rekap-kehadiran/peserta/<int:participant_id>", methods=["GET", "POST"])
@event_required("manager")
def correct(event, participant_id):
    """A participant's attendance, session by session; a manager corrects a past session."""
    participant = load_in_event(Participant, participant_id, event)
    errors, posted = {}, {}
    if request.method == "POST":
        posted = request.form.to_dict()
        session_id = request.form.get("session_id", type=int)
        if session_id is None:
            raise InvalidInput(_("Pilih sesi yang dikoreksi."), fields={"session_id": _("wajib")})
        session = load_in_event(Session, session_id, event)
        try:
            corrections.correct_attendance(
                session,
                participant,
                request.form.get("status", ""),
                request.form.get("reason", ""),
                actor=current_user,
            )
        except InvalidInput as error:
            errors = {"session_id": session.id, **error.fields}
            flash(error.message, "error")
        except ServiceError as error:
            errors = {"session_id": session.id}
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Kehadiran %(name)s di %(session)s dikoreksi.",
                    name=participant.full_name,
                    session=session.title,
                ),
                "success",
            )
            return redirect(url_for(".correct", code=event.code, participant_id=participant.id))
    return render_template(
        "attendance/correct.html",
        event=event,
        participant=participant,
        record=queries.participant_attendance(participant),
        summary=queries.attendance_summary(event).get(participant.id),
        labels=status_labels(),
        choices=corrections.CORRECTABLE,
        correctable=corrections.is_correctable,
        errors=errors,
        posted=posted,
    ), 422 if errors else 200


def _roster_marks(form) -> tuple[dict[int, str], dict[int, str | None]]:
    """The roster form's ``status-<id>`` radios and ``seen-<id>`` (what the page showed)."""
    marks, seen = {}, {}
    for key, value in form.items():
        name, _sep, number = key.partition("-")
        if name not in ("status", "seen") or not number.isdigit():
            continue
        if name == "status":
            marks[int(number)] = value
        else:
            seen[int(number)] = value or None
    return marks, seen


@bp.route("/kegiatan/<code>/rekap-kehadiran/sesi/<int:session_id>", methods=["GET", "POST"])
@event_required("manager")
def roster_entry(event, session_id):
    """The paper daftar hadir typed in: every participant of one session on one page, one
    reason for the batch, saved through the correction rule (managers only, as corrections)."""
    session = load_in_event(Session, session_id, event)
    errors, posted = {}, {}
    if request.method == "POST":
        marks, seen = _roster_marks(request.form)
        posted = {"marks": marks, "reason": request.form.get("reason", "")}
        try:
            result = session_roster.save_roster(
                session, marks, request.form.get("reason", ""), seen=seen, actor=current_user
            )
        except InvalidInput as error:
            db.session.rollback()
            errors = error.fields
            flash(error.message, "error")
        except ServiceError as error:
            db.session.rollback()
            errors = {"session": error.message}
            flash(error.message, "error")
        else:
            db.session.commit()
            if result.changed:
                flash(_("%(n)s perubahan kehadiran disimpan.", n=len(result.changed)), "success")
            else:
                flash(_("Tidak ada perubahan."), "info")
            return redirect(url_for(".roster_entry", code=event.code, session_id=session.id))
    return render_template(
        "attendance/roster_entry.html",
        event=event,
        session=session,
        rows=session_roster.roster_rows(session),
        correctable=corrections.is_correctable(session),
        labels=status_labels(),
        choices=corrections.CORRECTABLE,
        keys=session_roster.KEYS,
        counts=queries.session_counts(session),
        errors=errors,
        posted=posted,
    ), 422 if errors else 200


@bp.route("/peserta/<int:participant_id>/kehadiran")
@participant_required
def my_attendance(participant_id):
    participant = own_participant(participant_id, current_user)
    summary = queries.attendance_summary(participant.event).get(participant.id)
    return render_template(
        "attendance/mine.html",
        participant=participant,
        event=participant.event,
        record=queries.participant_attendance(participant),
        summary=summary,
        labels=status_labels(),
    )
