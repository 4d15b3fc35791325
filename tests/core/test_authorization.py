"""Who may call what: one walk over EVERY rule of the URL map, for every identity.

Identities: anonymous, participant A and participant B (each registered in event 1; the
``participant_id`` in URLs is A's), the panitia of event 1, the manager of event 1, the
install-wide administrator, and the API tokens of that panitia, manager and administrator.
Each rule is called with the ids of event 1's rows, and again with the ids of event 2's rows
(an event the panitia and manager are NOT assigned to: they must get 404 there, as for an
event that does not exist).

Participant D crosses the wall: registered by themself in event 2, and by the manager in
event 1. Every rule about a registration is called again for staff with D's registration in
event 1: the same answers as for A's, except ``CROSSING`` (a way into D's account, which also
holds event 2's data): 403 for the manager of event 1 alone.

Answers: ``OK`` (anything but 401/403/404 or a redirect to the login page), ``LOGIN`` (302 to
the login page), or the status code the identity must get.

GET (and every refused call) is really made. A call that may change data is made for an
identity that may call it only when the route is not marked ``unsafe`` (the form is posted
empty, so the answer is a validation error or a redirect, never a write); refusals are always
checked, since a refused call writes nothing.

HOW TO ADD A ROUTE: add its endpoint to ``ROUTES`` below with one of the access classes
(``PUBLIC``, ``LOGGED_IN``, ``STAFF``, ``ADMIN``, ``EVENT_PANITIA``, ``EVENT_MANAGER``,
``DESK``, ``OWN``, ``PARTICIPANT``, ``MATERIAL``, ``API_PUBLIC``, ``API_PANITIA``,
``API_MANAGER``) or a new class, ``args=`` for URL arguments that differ from the defaults
in ``_arguments`` (e.g. ``kind``) and ``unsafe=True`` if an empty POST by someone allowed
would still change data. A route missing from ``ROUTES`` fails this test.
"""

import io
import shutil
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import current_app
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from bimtek import create_app
from bimtek.assessments.bank import list_questions
from bimtek.assessments.models import Attempt
from bimtek.auth.services import issue_api_token
from bimtek.certificates import configuration, issuing, queries
from bimtek.certificates.models import IssueRun
from bimtek.events.contributors import add_contributor
from bimtek.events.services import add_material
from bimtek.extensions import db
from bimtek.jobs.models import PreparedFile
from bimtek.notifications.models import Announcement
from bimtek.participants.classes import save_class
from bimtek.participants.importing import store_upload
from bimtek.participants.registration import RegistrationTerms, register
from bimtek.participants.template import participant_template
from tests import factories
from tests.certificates.conftest import qualify
from tests.conftest import POSTGRES_URL, IsolatedClient, _test_config, login

OK = "ok"
LOGIN = "login"

ANON, A, B = "anonymous", "participant A", "participant B"
PANITIA, MANAGER, ADMIN = "panitia of event 1", "manager of event 1", "administrator"
T_PANITIA, T_MANAGER, T_ADMIN = "panitia's token", "manager's token", "administrator's token"
BROWSER = (ANON, A, B, PANITIA, MANAGER, ADMIN)
TOKENS = (T_PANITIA, T_MANAGER, T_ADMIN)
EVERYONE = BROWSER + TOKENS


def _answers(event1: dict, event2: dict | None = None) -> dict:
    """An access class: the answer of each identity in event 1, and (for identities whose
    answer differs there or matters) in event 2."""
    assert set(event1) == set(EVERYONE), set(EVERYONE) - set(event1)
    return {1: event1, 2: event2 or {}}


def _browser(anon, participant, panitia, manager, admin, token=None):
    token = anon if token is None else token
    return {
        ANON: anon,
        A: participant,
        B: participant,
        PANITIA: panitia,
        MANAGER: manager,
        ADMIN: admin,
        **dict.fromkeys(TOKENS, token),
    }


#: everyone (pages of published events, tickets by their secret code, verification)
PUBLIC = _answers(dict.fromkeys(EVERYONE, OK))
#: any logged-in account
LOGGED_IN = _answers(_browser(LOGIN, OK, OK, OK, OK))
#: any staff account (what each sees is filtered: the event list shows only their events)
STAFF = _answers(_browser(LOGIN, 403, OK, OK, OK))
#: install-wide administrators only
ADMIN_ONLY = _answers(_browser(LOGIN, 403, 403, 403, OK))
#: pages of an event for its panitia (check-in desk, sign-in sheets, badges, recap, list)
EVENT_PANITIA = _answers(_browser(LOGIN, 403, OK, OK, OK), {PANITIA: 404, MANAGER: 404, ADMIN: OK})
#: pages of an event for its managers
EVENT_MANAGER = _answers(_browser(LOGIN, 403, 403, OK, OK), {PANITIA: 404, MANAGER: 404, ADMIN: OK})
#: the check-in desk's JSON calls (session cookie, answers in JSON)
DESK = _answers(_browser(401, 403, OK, OK, OK), {PANITIA: 404, MANAGER: 404, ADMIN: OK})
#: a participant's own pages, by the id of their registration (participant A's): someone
#: else's registration is a 404, as one that does not exist (nobody learns ids); staff 403
OWN = _answers({**_browser(LOGIN, 404, 403, 403, 403), A: OK}, {A: 404})
#: an event's page for install-wide administrators only (its managers get a 403)
EVENT_ADMIN = _answers(_browser(LOGIN, 403, 403, 403, OK), {PANITIA: 404, MANAGER: 404, ADMIN: OK})
#: any participant's portal
PARTICIPANT = _answers(_browser(LOGIN, OK, 403, 403, 403))
#: a module's teaching material: participants registered in the event and its staff
MATERIAL = _answers(
    _browser(LOGIN, OK, OK, OK, OK), {A: 403, B: 403, PANITIA: 404, MANAGER: 404, ADMIN: OK}
)
#: the public API
API_PUBLIC = _answers(dict.fromkeys(EVERYONE, OK))
#: the API for tokens of an event's panitia (and managers, administrators)
API_PANITIA = _answers(
    {**dict.fromkeys(BROWSER, 401), **dict.fromkeys(TOKENS, OK)},
    {T_PANITIA: 404, T_MANAGER: 404, T_ADMIN: OK},
)
#: the API for tokens of an event's managers (and administrators)
API_MANAGER = _answers(
    {**dict.fromkeys(BROWSER, 401), T_PANITIA: 403, T_MANAGER: OK, T_ADMIN: OK},
    {T_PANITIA: 404, T_MANAGER: 404, T_ADMIN: OK},
)

#: a staff account's own served certificate: by the default ids nobody holds it (a 404, as a
#: missing id); the holder's download is tested in tests/certificates/test_served_counts.py
OWN_SERVED = _answers(_browser(LOGIN, 403, 404, 404, 404))

#: revoking an API token (``token_id`` is the administrator's): its owner and administrators
OTHERS_TOKEN = _answers(_browser(LOGIN, 403, 404, 404, OK))


@dataclass
class Route:
    access: dict
    #: URL arguments for this route that differ from ``_arguments``
    args: dict = field(default_factory=dict)
    #: an empty POST by an identity that may call it would still change data: not made
    unsafe: bool = False


ROUTES = {
    "static": Route(PUBLIC, args={"filename": "css/app.css"}),
    # --- health checks for a load balancer
    "health.healthz": Route(PUBLIC),
    "health.readyz": Route(PUBLIC),
    # --- accounts
    "auth.login": Route(PUBLIC),
    "auth.logout": Route(PUBLIC, unsafe=True),
    "auth.change_password": Route(LOGGED_IN),
    "auth.set_language": Route(PUBLIC),
    "auth.logout_everywhere": Route(LOGGED_IN, unsafe=True),
    "accounts.claim": Route(PUBLIC),
    "accounts.recover": Route(PUBLIC),
    "accounts.send_link": Route(PUBLIC),
    # --- public pages
    "events.index": Route(PUBLIC),
    "events.detail": Route(PUBLIC),
    "participants.register": Route(PUBLIC),
    "participants.ticket": Route(PUBLIC),
    "participants.ticket_download": Route(PUBLIC),
    "certificates.verify": Route(PUBLIC, args={"code": "VERIFY"}),
    "certificates.verify_form": Route(PUBLIC),
    "certificates.verify_upload": Route(PUBLIC),
    # --- participants
    "participants.portal": Route(PARTICIPANT),
    "participants.schedule": Route(OWN),
    "participants.cancel_own": Route(OWN, unsafe=True),
    "attendance.my_attendance": Route(OWN),
    "assessments.portal": Route(OWN),
    "assessments.take": Route(OWN, args={"kind": "post"}),
    "assessments.start": Route(OWN, args={"kind": "post"}),  # already taken: refused
    "assessments.answer": Route(OWN, args={"kind": "post"}),  # closed: refused
    "assessments.submit": Route(OWN, args={"kind": "post"}),  # a second submit is harmless
    "certificates.mine": Route(OWN),
    "certificates.mine_download": Route(OWN),
    "events.download_material": Route(MATERIAL),
    # --- staff: events
    "staff_events.index": Route(STAFF),
    "events_admin.new_event": Route(ADMIN_ONLY),
    "staff_events.edit_event": Route(EVENT_MANAGER),
    "events_admin.close_event": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.reopen_event": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.clone_event": Route(EVENT_ADMIN),
    "events_admin.modules": Route(EVENT_MANAGER),
    "events_admin.edit_module": Route(EVENT_MANAGER),
    "events_admin.delete_module": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.edit_session": Route(EVENT_MANAGER),
    "events_admin.edit_sessions": Route(EVENT_MANAGER),
    "events_admin.clone_review": Route(EVENT_MANAGER),
    "events_admin.delete_session": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.upload_material": Route(EVENT_MANAGER),
    "classes.index": Route(EVENT_MANAGER),
    "classes.create": Route(EVENT_MANAGER),
    "classes.edit": Route(EVENT_MANAGER),
    "classes.delete": Route(EVENT_MANAGER, unsafe=True),
    "classes.by_category": Route(EVENT_MANAGER),
    "classes.spread": Route(EVENT_MANAGER, unsafe=True),
    "classes.members": Route(EVENT_MANAGER),
    "events_admin.delete_material": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.contributors": Route(EVENT_MANAGER),
    "events_admin.remove_contributor": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.contributor_email": Route(EVENT_MANAGER, unsafe=True),
    "events_admin.add_staff_as_panitia": Route(EVENT_MANAGER, unsafe=True),
    # --- staff: participants
    "participants_admin.index": Route(EVENT_PANITIA),
    "participants_admin.edit": Route(EVENT_MANAGER),
    "participants_admin.cancel": Route(EVENT_MANAGER, unsafe=True),
    "participants_admin.add": Route(EVENT_MANAGER),
    "participants_admin.reactivate": Route(EVENT_MANAGER),
    "notifications.activation_code": Route(EVENT_MANAGER, unsafe=True),
    "participant_accounts_admin.activation_email": Route(EVENT_MANAGER, unsafe=True),
    "participant_accounts_admin.hand_back": Route(EVENT_MANAGER),
    # --- staff: check-in desk and its documents
    "attendance.desk": Route(EVENT_PANITIA),
    "attendance.desk_scan": Route(DESK),
    "attendance.desk_undo": Route(DESK),
    "attendance.desk_excuse": Route(DESK),
    "attendance.desk_search": Route(DESK),
    "attendance.desk_status": Route(DESK),
    "attendance.desk_roster": Route(DESK),
    "attendance.desk_walk_in": Route(DESK),
    "attendance.desk_service_worker": Route(PUBLIC),
    "attendance.sign_in_sheet": Route(EVENT_PANITIA),
    "attendance.badges": Route(EVENT_PANITIA),
    "attendance.recap": Route(EVENT_PANITIA),
    "attendance.correct": Route(EVENT_MANAGER),
    "attendance.roster_entry": Route(EVENT_MANAGER),
    # --- staff: tests (the bank and item analysis hold the answer key)
    "assessments.admin_index": Route(EVENT_MANAGER),
    "assessments.settings": Route(EVENT_MANAGER, args={"kind": "pre"}, unsafe=True),
    "assessments.question_form": Route(EVENT_MANAGER),
    "assessments.delete_question": Route(EVENT_MANAGER, unsafe=True),
    "assessments.import_questions": Route(EVENT_MANAGER),
    "assessments.question_template": Route(EVENT_MANAGER),
    "assessments.export_questions": Route(EVENT_MANAGER),
    "assessments.results": Route(EVENT_MANAGER),
    "assessments.attempts": Route(EVENT_MANAGER),
    "assessments.attempt_action": Route(EVENT_MANAGER, unsafe=True),
    "assessments.open_now": Route(EVENT_MANAGER, args={"kind": "pre"}, unsafe=True),
    "assessments.close_now": Route(EVENT_MANAGER, args={"kind": "pre"}, unsafe=True),
    # --- staff: certificates
    "certificates.admin_index": Route(EVENT_MANAGER),
    "certificates.confirm_issue_all": Route(EVENT_MANAGER),
    "certificates.issue_all": Route(EVENT_MANAGER, unsafe=True),
    "certificates.issue_run": Route(EVENT_MANAGER),
    "certificates.issue_one": Route(EVENT_MANAGER, unsafe=True),
    "certificates.revoke": Route(EVENT_MANAGER, unsafe=True),
    "certificates.cancel_holder": Route(EVENT_MANAGER),
    "certificates.admin_download": Route(EVENT_MANAGER),
    "certificates.preview": Route(EVENT_MANAGER),
    "certificates.settings": Route(EVENT_MANAGER, unsafe=True),
    "certificates.upload_image": Route(EVENT_MANAGER),
    "certificates.event_key": Route(EVENT_MANAGER),
    "certificates.event_key_remove": Route(EVENT_MANAGER, unsafe=True),
    "certificates.image": Route(EVENT_MANAGER),
    "certificates.save_signatory": Route(EVENT_MANAGER, unsafe=True),
    "served_certificates.index": Route(EVENT_MANAGER),
    "served_certificates.issue": Route(EVENT_MANAGER, args={"role": "narasumber"}),
    "served_certificates.preview": Route(EVENT_MANAGER, args={"role": "narasumber"}),
    "served_certificates.texts": Route(EVENT_MANAGER),
    "served_certificates.resend": Route(EVENT_MANAGER, unsafe=True),
    "served_certificates.own_index": Route(STAFF),
    "served_certificates.own_download": Route(OWN_SERVED),
    # --- staff: dashboard, exports, import
    "reports.dashboard": Route(EVENT_MANAGER),
    "reports.dashboard_live": Route(EVENT_MANAGER),
    "reports.export": Route(EVENT_MANAGER, args={"kind": "peserta"}),
    "reports.prepare_export": Route(EVENT_MANAGER, args={"kind": "peserta"}, unsafe=True),
    "prepared_files.show": Route(EVENT_MANAGER),
    "prepared_files.download": Route(EVENT_MANAGER),
    "reports.import_template": Route(EVENT_MANAGER),
    "reports.imports": Route(EVENT_MANAGER),
    "reports.import_preview": Route(EVENT_MANAGER),
    "reports.import_confirm": Route(EVENT_MANAGER, unsafe=True),
    "reports.import_discard": Route(EVENT_MANAGER, unsafe=True),
    "contributor_import.template": Route(EVENT_MANAGER),
    "contributor_import.upload": Route(EVENT_MANAGER),
    "contributor_import.preview": Route(EVENT_MANAGER),
    "contributor_import.confirm": Route(EVENT_MANAGER, unsafe=True),
    "contributor_import.discard": Route(EVENT_MANAGER, unsafe=True),
    # --- API
    "api.ping": Route(API_PUBLIC),
    "api.openapi_json": Route(API_PUBLIC),
    "api.list_events": Route(API_PUBLIC),
    "api.show_event": Route(API_PUBLIC),
    "api.register": Route(API_PUBLIC),
    "api.verify_certificate": Route(API_PUBLIC, args={"code": "VERIFY"}),
    "api.list_participants": Route(API_PANITIA),
    "api.create_checkin": Route(API_PANITIA),
    "api.delete_checkin": Route(API_PANITIA, unsafe=True),
    "api.create_excuse": Route(API_PANITIA),
    "api.list_attendance": Route(API_PANITIA),
    "api.assessment_results": Route(API_MANAGER),
    "api.event_summary": Route(API_MANAGER),
    "api.export_workbook": Route(API_MANAGER, args={"kind": "peserta"}),
    "api.import_participants": Route(API_MANAGER),
    "api.list_certificates": Route(API_MANAGER),
    "api.certificate_pdf": Route(API_MANAGER, args={"code": "VERIFY"}),
    "api.verify_file": Route(API_PUBLIC),
    "api.spj_money": Route(API_MANAGER),
    # --- staff: messages, WhatsApp links, certificate bundles built by a job
    "notifications.deliveries": Route(EVENT_MANAGER),
    "notifications.retry": Route(EVENT_MANAGER, unsafe=True),
    "notifications.announcements": Route(EVENT_MANAGER),
    "notifications.remind_test": Route(EVENT_MANAGER, unsafe=True),
    "notifications.whatsapp": Route(EVENT_MANAGER),
    "notifications.announcement": Route(EVENT_MANAGER),
    "notifications.round_page": Route(EVENT_MANAGER, args={"round_key": "tiket"}),
    "notifications.take_turn": Route(EVENT_MANAGER, args={"round_key": "tiket"}),
    "certificate_bundles.request_bundle": Route(EVENT_MANAGER, args={"bundle": "zip"}, unsafe=True),
    # --- evaluation (Kirkpatrick level 1), the activity report, personal-data lifecycle
    "evaluation.portal": Route(OWN),
    "evaluation.save_page": Route(OWN),
    "evaluation.submit_page": Route(OWN, unsafe=True),
    "evaluation.form": Route(OWN, args={"part_key": "organizer"}),
    "evaluation.save": Route(OWN, args={"part_key": "organizer"}, unsafe=True),
    "evaluation.submit": Route(OWN, args={"part_key": "organizer"}, unsafe=True),
    "evaluation.report": Route(EVENT_MANAGER),
    "evaluation.settings": Route(EVENT_MANAGER),
    "evaluation.save_settings": Route(EVENT_MANAGER, unsafe=True),
    "evaluation.save_items": Route(EVENT_MANAGER, args={"target": "speaker"}, unsafe=True),
    "activity_report.download": Route(EVENT_MANAGER),
    "privacy.admin": Route(EVENT_MANAGER),
    "privacy.set_retention": Route(EVENT_MANAGER, unsafe=True),
    "privacy.purge_data": Route(EVENT_MANAGER, unsafe=True),
    "privacy.served_download": Route(EVENT_MANAGER),
    "privacy.mine": Route(PARTICIPANT),
    "privacy.mine_json": Route(PARTICIPANT),
    "privacy.mine_pdf": Route(PARTICIPANT),
    "api.evaluation_report": Route(API_MANAGER),
    # --- SPJ (managers only: money and NIK); ``block_id`` 0 is no row (a 404 in the event)
    "spj.index": Route(EVENT_MANAGER),
    "spj.letterhead_page": Route(EVENT_MANAGER, unsafe=True),
    "spj.upload_logo": Route(EVENT_MANAGER),
    "spj.logo": Route(EVENT_MANAGER),
    "spj.save_signature": Route(EVENT_MANAGER, args={"block_id": 0}, unsafe=True),
    "spj.stamp": Route(EVENT_MANAGER, args={"block_id": 0}),
    "spj.sample": Route(EVENT_MANAGER),
    "spj.money_page": Route(EVENT_MANAGER, unsafe=True),
    "spj.penerimaan_pdf": Route(EVENT_MANAGER, args={"day": 1}),
    "spj.honor_page": Route(EVENT_MANAGER),
    "spj.honor_settings": Route(EVENT_MANAGER, unsafe=True),
    "spj.save_honor": Route(EVENT_MANAGER, args={"honor_id": 0}, unsafe=True),
    "spj.honor_list_pdf": Route(EVENT_MANAGER),
    "spj.honor_kuitansi_pdf": Route(EVENT_MANAGER, args={"honor_id": 0}),
    "spj.kontribusi_page": Route(EVENT_MANAGER),
    "spj.kontribusi_settings": Route(EVENT_MANAGER, unsafe=True),
    "spj.issue_invoice": Route(EVENT_MANAGER, unsafe=True),
    "spj.record_payment": Route(EVENT_MANAGER, args={"invoice_id": 0}, unsafe=True),
    "spj.tagihan_pdf": Route(EVENT_MANAGER, args={"invoice_id": 0}),
    "spj.kontribusi_kuitansi_pdf": Route(EVENT_MANAGER, args={"invoice_id": 0}),
    "spj.letters_page": Route(EVENT_MANAGER),
    "spj.letter_settings": Route(EVENT_MANAGER, unsafe=True),
    "spj.number_letter": Route(EVENT_MANAGER),
    "spj.letter_pdf": Route(EVENT_MANAGER, args={"letter_id": 0}),
    "spj.letter_docx": Route(EVENT_MANAGER, args={"letter_id": 0}),
    "spj.photos_page": Route(EVENT_MANAGER),
    "spj.upload_photo": Route(EVENT_MANAGER),
    "spj.delete_photo": Route(EVENT_MANAGER, args={"photo_id": 0}),
    "spj.photo": Route(EVENT_MANAGER, args={"photo_id": 0}),
    "spj.photos_pdf": Route(EVENT_MANAGER),
    "spj.prepare_bundle": Route(EVENT_MANAGER, args={"kind": "spj_xlsx"}, unsafe=True),
    # --- staff accounts, staff of an event, API tokens (``user_id`` is the panitia's)
    "audit.log": Route(EVENT_MANAGER),
    "audit.export": Route(EVENT_MANAGER),
    "staff.index": Route(ADMIN_ONLY),
    "staff.new_account": Route(ADMIN_ONLY),
    "staff.account": Route(ADMIN_ONLY),
    "staff.assign": Route(ADMIN_ONLY, unsafe=True),
    "staff.unassign": Route(ADMIN_ONLY, unsafe=True),
    "staff.deactivate": Route(ADMIN_ONLY, unsafe=True),
    "staff.reactivate": Route(ADMIN_ONLY, unsafe=True),
    "staff.reset_password": Route(ADMIN_ONLY, unsafe=True),
    "staff.event_staff_page": Route(EVENT_MANAGER),
    "staff.event_staff_remove": Route(EVENT_MANAGER, unsafe=True),
    "staff.api_tokens": Route(STAFF),
    "staff.revoke_token": Route(OTHERS_TOKEN, unsafe=True),
}


# --------------------------------------------------------------------------- the world


#: ways into a participant's account, only for who may reach every event it holds
CROSSING = {
    "notifications.activation_code",
    "participant_accounts_admin.activation_email",
    "participant_accounts_admin.hand_back",
}
STAFF_IDENTITIES = (PANITIA, MANAGER, ADMIN) + TOKENS


@dataclass
class World:
    app: object
    clients: dict
    #: URL arguments per event (1, 2) and identity
    arguments: dict
    #: event 1's arguments with participant D's registration there (D is in events 1 and 2)
    crossing: dict = field(default_factory=dict)


def _database_url(template, tmp_path) -> str:
    if POSTGRES_URL:
        engine = sa.create_engine(template)
        with engine.begin() as connection:
            tables = [t for t in sa.inspect(connection).get_table_names() if t != "alembic_version"]
            names = ", ".join(f'"{t}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return template
    path = tmp_path / "bimtek.sqlite"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


def _png() -> bytes:

    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, format="PNG")
    return out.getvalue()


def _pdf() -> bytes:

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Modul")
    canvas.save()
    return out.getvalue()


def _event_rows(event, person, uploaders):
    """Rows inside ``event``: a qualified ``person`` with a certificate, teaching material, a
    certificate logo and kept import uploads (one per uploader: an upload is its own)."""

    qualify(event, person)
    certificate = issuing.issue(person)
    configuration.set_image(event, "logo_left", _png())
    module = event.modules[0]
    material = add_material(
        module,
        stream=io.BytesIO(_pdf()),
        filename="modul.pdf",
        title="Modul",
        max_bytes=current_app.config["MATERIAL_MAX_BYTES"],
    )
    tokens = {
        who: store_upload(participant_template(), event=event, user=user, filename="p.xlsx")
        for who, user in uploaders.items()
    }
    event_class = save_class(event, {"name": "Kelas A"})
    contributor = add_contributor(
        event, {"role": "narasumber", "name": "Dr. Narasumber", "module_id": module.id}
    )
    prepared = PreparedFile(event_id=event.id, kind="certificates_zip", status="queued")
    db.session.add(prepared)
    announcement = Announcement(event_id=event.id, audience="all", subject="Info", body="Isi")
    db.session.add(announcement)
    run = IssueRun(event_id=event.id, status="done", attempts=1, error="")
    db.session.add(run)
    db.session.commit()
    attempt = db.session.scalar(sa.select(Attempt).where(Attempt.participant_id == person.id))
    return {
        "code": event.code,
        "session_id": event.sessions[0].id,
        "module_id": module.id,
        "class_id": event_class.id,
        "material_id": material.id,
        "filename": material.filename,
        "participant_id": person.id,
        "question_id": list_questions(event)[0].id,
        "attempt_id": attempt.id,
        "certificate_id": certificate.id,
        "prepared_id": prepared.id,
        "announcement_id": announcement.id,
        "run_id": run.id,
        "signatory_id": queries.get_settings(event).signatories[0].id,
        "contributor_id": contributor.id,
        "slot": "logo_left",
        "action": "tambah-waktu",
        "ticket_code": person.ticket_code,
        "lang": "en",
        "VERIFY": certificate.verification_code,
        "tokens": tokens,
    }


@pytest.fixture(scope="module")
def world(database_template, tmp_path_factory):

    tmp_path = tmp_path_factory.mktemp("authorization")
    app = create_app(
        _test_config(_database_url(database_template, tmp_path), str(tmp_path / "instance"))
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        first = factories.make_event("UJI24", published=True)
        second = factories.make_event("LAIN24", published=True)
        admin = factories.make_staff("admin", "admin@bimtek.local")
        panitia = factories.make_staff("panitia", "panitia@bimtek.local", event=first)
        manager = factories.make_staff("manager", "manager@bimtek.local", event=first)
        person_a = factories.make_participant(first, full_name="Peserta A")
        person_b = factories.make_participant(first, full_name="Peserta B")
        person_c = factories.make_participant(second, full_name="Peserta C")
        person_d = _crossing_person(first, second, manager)
        arguments = {
            1: _event_rows(first, person_a, {MANAGER: manager, ADMIN: admin}),
            2: _event_rows(second, person_c, {ADMIN: admin}),
        }
        clients = {}
        for who, account in (
            (ANON, None),
            (A, person_a.nik),
            (B, person_b.nik),
            (PANITIA, panitia.email),
            (MANAGER, manager.email),
            (ADMIN, admin.email),
        ):
            clients[who] = (app.test_client(), {})
            if account:
                login(clients[who][0], account)
        for who, user in ((T_PANITIA, panitia), (T_MANAGER, manager), (T_ADMIN, admin)):
            _token, plain = issue_api_token(user, "walk")
            clients[who] = (app.test_client(), {"Authorization": f"Bearer {plain}"})
            if who == T_ADMIN:
                for values in arguments.values():
                    values["token_id"] = _token.id
        for values in arguments.values():
            values["user_id"] = panitia.id
        db.session.commit()
        crossing = {**arguments[1], "participant_id": person_d.id}
        yield World(app, clients, arguments, crossing)
        db.session.remove()
        db.engine.dispose()


def _crossing_person(first, second, manager):
    """Participant D: registered by themself in ``second``, by ``manager`` in ``first``."""

    own = factories.make_participant(second, full_name="Peserta D", email="d@contoh.id")
    data = factories.registration_data(nik=own.nik, full_name="Peserta D", email="d@contoh.id")
    added = register(
        first, data, RegistrationTerms(channel="admin", actor=manager, enforce_window=False)
    )
    db.session.commit()
    return added.participant


# ---------------------------------------------------------------------------- the walk


def _url(rule, route: Route, values: dict, who: str) -> str:
    arguments = {}
    for name in rule.arguments:
        value = route.args.get(name, values.get(name))
        if name == "token":
            value = values["tokens"].get(who) or next(iter(values["tokens"].values()))
        elif value in values and isinstance(value, str) and value.isupper():
            value = values[value]  # e.g. "VERIFY": the event's certificate's code
        assert value is not None, f"{rule.endpoint}: no value for <{name}>"
        arguments[name] = value
    return rule.build(arguments, append_unknown=False)[1]


def _verdict(response) -> str | int:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/masuk" in location:
        return LOGIN
    return response.status_code


def _agrees(expected, response) -> bool:
    got = _verdict(response)
    if expected == OK:
        if got in (LOGIN, 401, 403):
            return False
        if got == 404:  # a row-level answer (e.g. nothing to undo) is fine, "not yours" is not
            body = response.get_data(as_text=True)
            return not any(
                sign in body for sign in ("unknown_event", "Kegiatan tidak ditemukan", "Event not")
            )
        return True
    return got == expected


def test_every_route_has_an_authorization_decision_and_keeps_it(world):
    undecided, wrong, calls = [], [], 0
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.rule):
        route = ROUTES.get(rule.endpoint)
        if route is None:
            undecided.append(f"{rule.endpoint} ({rule.rule})")
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for event in (1, 2):
            answers = route.access[event]
            if event == 2 and not any(name in rule.arguments for name in _EVENT_ARGUMENTS):
                continue
            for who, expected in answers.items():
                for method in methods:
                    if method != "GET" and expected == OK and route.unsafe:
                        continue
                    client, headers = world.clients[who]
                    url = _url(rule, route, world.arguments[event], who)
                    response = client.open(url, method=method, headers=headers)
                    calls += 1
                    if not _agrees(expected, response):
                        wrong.append(
                            f"{method} {url} as {who} (event {event}): expected {expected}, "
                            f"got {_verdict(response)}"
                        )
                    response.close()  # file downloads hold their file open until closed
    assert not undecided, "new route without an authorization decision: " + ", ".join(undecided)
    assert not wrong, f"{len(wrong)} of {calls} answers differ:\n" + "\n".join(wrong)
    stale = set(ROUTES) - {rule.endpoint for rule in world.app.url_map.iter_rules()}
    assert not stale, f"routes in the table that no longer exist: {sorted(stale)}"


def test_a_person_in_two_events_is_reached_only_by_who_holds_both(world):
    wrong, calls = [], 0
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.rule):
        route = ROUTES.get(rule.endpoint)
        if route is None or "participant_id" not in rule.arguments:
            continue
        for who in STAFF_IDENTITIES:
            expected = route.access[1][who]
            if rule.endpoint in CROSSING and who == MANAGER:
                expected = 403
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method != "GET" and expected == OK and route.unsafe:
                    continue
                client, headers = world.clients[who]
                url = _url(rule, route, world.crossing, who)
                response = client.open(url, method=method, headers=headers)
                calls += 1
                if not _agrees(expected, response):
                    wrong.append(
                        f"{method} {url} as {who}: expected {expected}, got {_verdict(response)}"
                    )
                response.close()
    assert calls and not wrong, f"{len(wrong)} of {calls} answers differ:\n" + "\n".join(wrong)


#: URL arguments that name an event or a row inside one (the walk repeats those in event 2)
_EVENT_ARGUMENTS = (
    "code",
    "session_id",
    "module_id",
    "material_id",
    "participant_id",
    "question_id",
    "attempt_id",
    "certificate_id",
    "prepared_id",
    "signatory_id",
    "contributor_id",
    "token",
    "ticket_code",
)
