"""Pages of the assessments domain: the question bank and results (admin), and taking the
pre-/post-test (participant, on a phone)."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from bimtek.assessments import attempts as attempt_ops
from bimtek.assessments import bank, charts, excel, monitor, scoring
from bimtek.assessments import portal as participant_tests
from bimtek.assessments import results as test_results
from bimtek.assessments import settings as test_settings
from bimtek.assessments.labels import BAND_LABELS
from bimtek.assessments.models import KINDS, MAX_OPTIONS
from bimtek.core.inputs import WrongType, json_object
from bimtek.core.spreadsheets import send_xlsx
from bimtek.core.timeutil import utcnow
from bimtek.core.web import participant_required
from bimtek.errors import InvalidInput, ServiceError
from bimtek.events.access import event_required
from bimtek.extensions import db
from bimtek.participants.queries import own_participant

bp = Blueprint("assessments", __name__)

ADMIN = "/admin/kegiatan/<code>/tes"
PORTAL = "/peserta/<int:participant_id>/tes"


# --------------------------------------------------------------------------------- admin


@bp.route(ADMIN)
@event_required("manager")
def admin_index(event):
    """Settings and the bank (with the answer key): managers only."""
    assessments = {kind: test_settings.get_assessment(event, kind) for kind in KINDS}
    now = utcnow()
    return render_template(
        "assessments/admin/index.html",
        event=event,
        assessments=assessments,
        questions=bank.list_questions(event),
        summary=bank.bank_summary(event),
        letters=bank.LETTERS,
        form=FlaskForm(),
        states={kind: test_settings.availability(a, now) for kind, a in assessments.items()},
        pre_closed=test_settings.pre_test_closed(event, now),
        waiting_for_pre=test_settings.waits_for_pre(assessments["post"], now),
    )


@bp.route(ADMIN + "/pengaturan/<kind>", methods=["GET", "POST"])
@event_required("manager")
def settings(event, kind):
    assessment = test_settings.get_assessment(event, kind)
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        assessment = test_settings.ensure_assessment(event, kind)
        try:
            test_settings.update_assessment(assessment, request.form, actor=current_user)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Pengaturan %(label)s tersimpan.", label=assessment.label), "success")
            return redirect(url_for(".admin_index", code=event.code))
    return render_template(
        "assessments/admin/settings.html",
        event=event,
        assessment=assessment,
        form=form,
        errors=errors,
        values=request.form if request.method == "POST" else None,
    ), (422 if errors else 200)


@bp.route(ADMIN + "/<kind>/buka", methods=["POST"])
@event_required("manager")
def open_now(event, kind):
    """ "Buka sekarang"; a post-test before the pre-test closes only when ticked."""
    test_settings.get_assessment(event, kind)  # an unknown kind: 404 before the form check
    if not FlaskForm().validate_on_submit():
        abort(400)
    assessment = test_settings.ensure_assessment(event, kind)
    try:
        test_settings.open_now(
            assessment,
            actor=current_user,
            before_pre_closes=request.form.get("before_pre_closes") == "1",
        )
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(label)s dibuka sekarang.", label=assessment.label), "success")
    return redirect(url_for(".admin_index", code=event.code))


@bp.route(ADMIN + "/<kind>/tutup", methods=["POST"])
@event_required("manager")
def close_now(event, kind):
    """ "Tutup sekarang": nobody starts it any more, running attempts end now."""
    test_settings.get_assessment(event, kind)  # an unknown kind: 404 before the form check
    if not FlaskForm().validate_on_submit():
        abort(400)
    assessment = test_settings.ensure_assessment(event, kind)
    test_settings.close_now(assessment, actor=current_user)
    db.session.commit()
    flash(_("%(label)s ditutup sekarang.", label=assessment.label), "success")
    return redirect(url_for(".admin_index", code=event.code))


@bp.route(ADMIN + "/soal/baru", methods=["GET", "POST"])
@bp.route(ADMIN + "/soal/<int:question_id>", methods=["GET", "POST"])
@event_required("manager")
def question_form(event, question_id=None):
    question = bank.get_question(event, question_id) if question_id else None
    form = FlaskForm()
    errors = {}
    if form.validate_on_submit():
        try:
            bank.save_question(event, request.form, question=question, actor=current_user)
        except InvalidInput as error:
            errors = error.fields
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Soal tersimpan."), "success")
            if request.form.get("again"):
                return redirect(url_for(".question_form", code=event.code))
            return redirect(url_for(".admin_index", code=event.code) + "#bank")
    return render_template(
        "assessments/admin/question_form.html",
        event=event,
        question=question,
        answered=question is not None and bank.question_has_answers(question),
        form=form,
        errors=errors,
        values=request.form if request.method == "POST" else None,
        max_options=MAX_OPTIONS,
        letters=bank.LETTERS,
        module_options=[(m.id, f"{m.code} — {m.title}") for m in event.modules],
    ), (422 if errors else 200)


@bp.route(ADMIN + "/soal/<int:question_id>/hapus", methods=["POST"])
@event_required("manager")
def delete_question(event, question_id):
    question = bank.get_question(event, question_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        bank.delete_question(question, actor=current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Soal dihapus."), "success")
    return redirect(url_for(".admin_index", code=event.code) + "#bank")


@bp.route(ADMIN + "/impor", methods=["GET", "POST"])
@event_required("manager")
def import_questions(event):
    form = FlaskForm()
    limits = excel.import_limits()
    report, error_message = None, None
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(limits.max_bytes + 1) if upload else b""
        try:
            report = excel.import_questions(
                event, data, valid_only=bool(request.form.get("valid_only")), actor=current_user
            )
        except InvalidInput as error:
            error_message = error.message
        else:
            if report.examples_skipped:
                flash(_("Baris contoh dari templat tidak diimpor."), "warning")
            if report.imported:
                db.session.commit()
                flash(
                    ngettext("%(num)d soal diimpor.", "%(num)d soal diimpor.", report.imported),
                    "success",
                )
                if not report.problems:
                    return redirect(url_for(".admin_index", code=event.code) + "#bank")
            else:
                db.session.rollback()
    status = 422 if error_message or (report and report.problems and not report.imported) else 200
    return render_template(
        "assessments/admin/import.html",
        event=event,
        form=form,
        report=report,
        error_message=error_message,
        max_mb=limits.max_bytes // (1024 * 1024),
        max_rows=limits.max_rows,
    ), status


@bp.route(ADMIN + "/templat-soal.xlsx")
@event_required("manager")
def question_template(event):
    return send_xlsx(excel.template(event), f"templat-soal-{event.code}.xlsx")


@bp.route(ADMIN + "/soal.xlsx")
@event_required("manager")
def export_questions(event):
    return send_xlsx(excel.export_questions(event), f"bank-soal-{event.code}.xlsx")


@bp.route(ADMIN + "/hasil")
@event_required("manager")
def results(event):
    figures = test_results.results(event)
    item_kind = request.args.get("butir", "post")
    if item_kind not in KINDS:
        item_kind = "post"
    return render_template(
        "assessments/admin/results.html",
        event=event,
        r=figures,
        item_kind=item_kind,
        bands=BAND_LABELS,
        distribution_chart=charts.distribution_svg(
            figures["distribution"]["pre"], figures["distribution"]["post"]
        ),
        module_chart=charts.module_gain_svg(figures["modules"]) if figures["modules"] else None,
    )


@bp.route(ADMIN + "/percobaan")
@event_required("manager")
def attempts(event):
    """Who is taking the test now, who finished, who ran out of time."""
    kind = request.args.get("tes", "pre")
    if kind not in KINDS:
        kind = "pre"
    rows = monitor.event_attempts(event, kind)
    return render_template(
        "assessments/admin/attempts.html",
        event=event,
        kind=kind,
        rows=rows,
        now=utcnow(),
        form=FlaskForm(),
    )


@bp.route(ADMIN + "/percobaan/<int:attempt_id>/<action>", methods=["POST"])
@event_required("manager")
def attempt_action(event, attempt_id, action):
    attempt = monitor.get_attempt(event, attempt_id)
    kind = attempt.assessment.kind
    if not FlaskForm().validate_on_submit() or action not in ("tambah-waktu", "ulang"):
        abort(400)
    try:
        if action == "tambah-waktu":
            attempt_ops.extend_attempt(attempt, request.form.get("minutes"), actor=current_user)
            message = _("Waktu ditambah.")
        else:
            attempt_ops.reset_attempt(attempt, actor=current_user)
            message = _("Percobaan dihapus; peserta dapat mulai lagi.")
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".attempts", code=event.code, tes=kind))


# ---------------------------------------------------------------------------- participant


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.is_json


@bp.route(PORTAL)
@participant_required
def portal(participant_id):
    participant = own_participant(participant_id, current_user)
    items = participant_tests.portal_overview(participant)
    return render_template(
        "assessments/portal.html",
        participant=participant,
        event=participant.event,
        items=items,
    )


@bp.route(PORTAL + "/<kind>")
@participant_required
def take(participant_id, kind):
    participant = own_participant(participant_id, current_user)
    assessment = test_settings.get_assessment(participant.event, kind)
    now = utcnow()
    attempt = participant_tests.find_attempt(assessment, participant)
    context = {
        "participant": participant,
        "event": participant.event,
        "assessment": assessment,
        "attempt": attempt,
        "form": FlaskForm(),
    }
    if attempt is None:
        context["state"] = test_settings.availability(assessment, now)
        context["waits_for_pre"] = test_settings.waits_for_pre(assessment, now)
        context["question_count"] = bank.question_count(
            participant.event, assessment.questions_per_module
        )
        return render_template("assessments/start.html", **context)
    chosen = participant_tests.chosen_options(attempt)
    outcome = scoring.outcome(attempt, now)
    if outcome.closed:
        return render_template(
            "assessments/done.html",
            outcome=outcome,
            answered=len(chosen),
            total=len(attempt.question_order or []),
            modules=participant_tests.module_breakdown(attempt)
            if assessment.show_score_after
            else [],
            **context,
        )
    return render_template(
        "assessments/take.html",
        questions=participant_tests.attempt_questions(attempt),
        chosen=chosen,
        now=now,
        letters=bank.LETTERS,
        **context,
    )


@bp.route(PORTAL + "/<kind>/mulai", methods=["POST"])
@participant_required
def start(participant_id, kind):
    participant = own_participant(participant_id, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    test_settings.get_assessment(participant.event, kind)  # an unknown kind: 404
    assessment = test_settings.ensure_assessment(participant.event, kind)
    try:
        attempt_ops.start_attempt(assessment, participant)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".portal", participant_id=participant.id))
    db.session.commit()
    return redirect(url_for(".take", participant_id=participant.id, kind=kind))


def _choices_from_form() -> dict:
    """q<question id> = <option id> pairs of the posted form (or JSON object)."""
    source = json_object() if request.is_json else request.form
    choices = {
        key[1:]: value
        for key, value in source.items()
        if key.startswith("q") and key[1:].isdigit() and str(value).strip()
    }
    wrong = [f"q{key}" for key, value in choices.items() if not isinstance(value, str | int)]
    wrong += [f"q{key}" for key, value in choices.items() if isinstance(value, bool)]
    if wrong:
        raise WrongType(
            _("Jawaban tidak valid."), fields=dict.fromkeys(wrong, _("harus nomor opsi"))
        )
    return choices


def _attempt_of(participant, kind):
    if kind not in KINDS:
        abort(404)
    attempt = participant_tests.attempt_for(participant, kind)
    if attempt is None:
        raise test_settings.TestNotOpen(_("Tes belum dimulai."), code="not_started")
    return attempt


@bp.route(PORTAL + "/<kind>/jawab", methods=["POST"])
@participant_required
def answer(participant_id, kind):
    """Save one or more choices; JSON for the page's script, a redirect for a plain form."""
    participant = own_participant(participant_id, current_user)
    try:
        attempt = _attempt_of(participant, kind)
        saved = attempt_ops.save_answers(attempt, _choices_from_form())
    except ServiceError as error:
        db.session.commit()  # keep an attempt closed at its deadline closed
        if _wants_json():
            return jsonify(error.to_dict()), error.status
        flash(error.message, "error")
        return redirect(url_for(".take", participant_id=participant_id, kind=kind))
    db.session.commit()
    if _wants_json():
        return jsonify(
            {
                "saved": saved,
                "answered": participant_tests.answered_count(attempt),
                "total": len(attempt.question_order or []),
                "deadline_at": attempt.deadline_at.isoformat(),
            }
        )
    flash(_("Jawaban tersimpan."), "success")
    return redirect(url_for(".take", participant_id=participant.id, kind=kind))


@bp.route(PORTAL + "/<kind>/kumpulkan", methods=["POST"])
@participant_required
def submit(participant_id, kind):
    """Save what the form carries, then close the attempt. A second submit is harmless."""
    participant = own_participant(participant_id, current_user)
    try:
        attempt = _attempt_of(participant, kind)
        choices = _choices_from_form()
        if choices and not attempt.is_closed:
            try:
                attempt_ops.save_answers(attempt, choices)
            except attempt_ops.DeadlinePassed:
                pass  # closed at the deadline with what was saved before it
        attempt_ops.submit_attempt(attempt)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".take", participant_id=participant_id, kind=kind))
    db.session.commit()
    return redirect(url_for(".take", participant_id=participant.id, kind=kind))
