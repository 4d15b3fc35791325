"""Certificate rules without HTTP: numbering, eligibility, issuing, revoking."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image

from bimtek.assessments.attempts import start_attempt
from bimtek.assessments.settings import ensure_assessment
from bimtek.attendance.checkin import check_in, mark_excused
from bimtek.certificates import configuration, issuing, numbering, printing, queries, rules
from bimtek.certificates.models import Certificate
from bimtek.errors import Conflict, InvalidInput, NotFound
from bimtek.extensions import db
from bimtek.participants import cancellation
from tests import factories
from tests.certificates.conftest import attend, ensure_bank, post_test, qualify
from tests.pdftext import pdf_text


def settings_data(**overrides):
    data = {
        "min_attendance_percent": "80",
        "count_excused": "0",
        "count_sick": "0",
        "post_test_required": "1",
        "min_post_score": "",
        "number_format": "{seq:03d}/BIMTEK-{code}/{month_roman}/{year}",
        "title_text": "SERTIFIKAT",
        "awarded_text": "diberikan kepada",
        "role_text": "Peserta",
        "body_text": "atas partisipasinya dalam kegiatan Bimbingan Teknis",
        "signing_place": "",
        "signing_date": "",
    }
    data.update(overrides)
    return data


# --- numbering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seq", "day", "expected"),
    [
        (7, date(2024, 10, 31), "007/BIMTEK-KUTIM24A/X/2024"),
        (1, date(2024, 4, 2), "001/BIMTEK-KUTIM24A/IV/2024"),
        (1234, date(2025, 12, 1), "1234/BIMTEK-KUTIM24A/XII/2025"),
        (45, date(2026, 9, 9), "045/BIMTEK-KUTIM24A/IX/2026"),
    ],
)
def test_default_number_format(seq, day, expected):
    pattern = "{seq:03d}/BIMTEK-{code}/{month_roman}/{year}"
    assert numbering.format_number(pattern, seq=seq, code="KUTIM24A", day=day) == expected


def test_other_number_fields():
    pattern = numbering.validate_number_format("SERT/{code}/{year}/{month}/{seq}")
    assert numbering.format_number(pattern, seq=12, code="A1", day=date(2024, 3, 5)) == (
        "SERT/A1/2024/03/12"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "{seq.__class__}/{code}",
        "{seq[0]}/{code}",
        "{code.__init__.__globals__}/{seq}",
        "{seq!r}/{code}",
        "{seq}/{code:>30}",
        "{seq:03s}/{code}",
        "{seq}/{code}/{nik}",
        "{code}/{year}",  # no seq
        "{seq:03d}/{year}",  # no code: numbers would clash between events
        "{seq/{code}",
        "{seq}\n/{code}",
        "{seq}/{code}" + "x" * 120,
    ],
)
def test_number_format_rejects_unsafe_or_useless_patterns(pattern):
    with pytest.raises(InvalidInput) as caught:
        numbering.validate_number_format(pattern)
    assert "number_format" in caught.value.fields


def test_literal_braces_are_allowed():
    pattern = numbering.validate_number_format("{{{seq}}}-{code}")
    assert numbering.format_number(pattern, seq=3, code="X", day=date(2024, 1, 1)) == "{3}-X"


# --- eligibility ----------------------------------------------------------------------------


def verdict(participant):
    return rules.eligibility_for(participant)


def test_exactly_eighty_percent_is_enough(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 4)
    post_test(five_sessions, person, 3)
    result = verdict(person)
    assert result.eligible, result.reasons
    assert result.attendance_percent == 80
    assert result.post_score == 60


def test_below_attendance_gives_the_reason(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 3)
    post_test(five_sessions, person, 5)
    result = verdict(person)
    assert not result.eligible
    assert result.reasons == ["kehadiran 60% < 80%"]


def test_late_counts_as_present(five_sessions):

    person = factories.make_participant(five_sessions)
    for session in five_sessions.sessions[:4]:
        result = check_in(session, person, actor=None, now=session.starts_at + timedelta(hours=1))
        assert result.status == "terlambat"
    db.session.commit()
    post_test(five_sessions, person, 4)
    assert verdict(person).eligible


def test_excused_counts_only_when_the_event_says_so(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 3)
    izin_session = five_sessions.sessions[3]

    mark_excused(izin_session, person, "izin", "surat tugas", actor=None)
    db.session.commit()
    post_test(five_sessions, person, 5)
    assert verdict(person).reasons == ["kehadiran 60% < 80%"]

    configuration.update_settings(five_sessions, settings_data(count_excused="1"))
    db.session.commit()
    result = verdict(person)
    assert result.eligible and result.attendance_percent == 80


def test_sick_counts_only_when_the_event_says_so(five_sessions):

    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 3)
    mark_excused(five_sessions.sessions[4], person, "sakit", "surat dokter", actor=None)
    db.session.commit()
    post_test(five_sessions, person, 5)
    configuration.update_settings(five_sessions, settings_data(count_excused="1"))
    db.session.commit()
    assert not verdict(person).eligible  # izin counts, sakit does not
    configuration.update_settings(five_sessions, settings_data(count_sick="1"))
    db.session.commit()
    assert verdict(person).eligible


def test_no_mandatory_sessions_means_no_attendance_rule(app):
    event = factories.make_event("TANPA", sessions=0)
    person = factories.make_participant(event)
    post_test(event, person, 2)
    result = verdict(person)
    assert result.eligible, result.reasons
    assert result.attendance_percent is None


def test_missing_post_test(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 5)
    assert verdict(person).reasons == ["post-test belum dikerjakan"]
    configuration.update_settings(five_sessions, settings_data(post_test_required="0"))
    db.session.commit()
    assert verdict(person).eligible


def test_started_but_unsubmitted_post_test_is_not_done(five_sessions):

    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 5)
    ensure_bank(five_sessions)
    start_attempt(ensure_assessment(five_sessions, "post"), person)
    db.session.commit()
    assert verdict(person).reasons == ["post-test belum dikerjakan"]


def test_score_below_minimum(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 5)
    post_test(five_sessions, person, 3)  # 60
    configuration.update_settings(five_sessions, settings_data(min_post_score="70"))
    db.session.commit()
    assert verdict(person).reasons == ["nilai post-test 60 < 70"]
    configuration.update_settings(five_sessions, settings_data(min_post_score="60"))
    db.session.commit()
    assert verdict(person).eligible  # exactly the minimum passes


def test_several_reasons_at_once(five_sessions):
    person = factories.make_participant(five_sessions)
    attend(five_sessions, person, 1)
    result = verdict(person)
    assert result.reasons == ["kehadiran 20% < 80%", "post-test belum dikerjakan"]
    assert result.reason == "kehadiran 20% < 80%; post-test belum dikerjakan"


def test_cancelled_and_waitlisted_are_never_eligible(app):
    event = factories.make_event("KECIL", capacity=1, sessions=1)
    seated = factories.make_participant(event)
    waiting = factories.make_participant(event)
    assert waiting.status == "waitlisted"
    qualify(event, seated)
    assert verdict(waiting).reasons[0] == "masih di daftar tunggu"
    cancellation.cancel(seated, actor=None, reason="mundur")
    db.session.commit()
    db.session.refresh(seated)
    # the waitlisted person got the seat; the cancelled one is out despite full attendance
    assert "pendaftaran dibatalkan" in verdict(seated).reasons
    listed = {v.participant.id for v in rules.eligibility(event)}
    assert seated.id not in listed
    with pytest.raises(rules.NotEligible):
        issuing.issue(seated)


def test_eligibility_lists_every_registered_participant_by_name(five_sessions):
    names = ["Zainal", "andi", "Budi"]
    people = [factories.make_participant(five_sessions, full_name=n) for n in names]
    qualify(five_sessions, people[2])
    rows = rules.eligibility(five_sessions)
    assert [r.participant.full_name for r in rows] == ["andi", "Budi", "Zainal"]
    assert [r.eligible for r in rows] == [False, True, False]


# --- issuing --------------------------------------------------------------------------------


def test_issue_all_numbers_in_sequence_and_never_twice(five_sessions, admin):
    people = [factories.make_participant(five_sessions) for _ in range(3)]
    for person in people[:2]:
        qualify(five_sessions, person)
    outcome = issuing.issue_all(five_sessions, actor=admin)
    db.session.commit()
    assert len(outcome.issued) == 2 and outcome.not_eligible == 1
    # no issue date set: the event's last day dates the number
    month = numbering.ROMAN[five_sessions.end_date.month - 1]
    year = five_sessions.end_date.year
    assert sorted(c.number for c in outcome.issued) == [
        f"001/BIMTEK-SERT24/{month}/{year}",
        f"002/BIMTEK-SERT24/{month}/{year}",
    ]
    again = issuing.issue_all(five_sessions, actor=admin)
    db.session.commit()
    assert again.issued == [] and again.already == 2
    assert issuing.issue(people[0]).seq in (1, 2)
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 2


def test_issue_one_refuses_the_ineligible_with_the_reason(five_sessions):
    person = factories.make_participant(five_sessions, full_name="Siti Aminah")
    attend(five_sessions, person, 2)
    with pytest.raises(rules.NotEligible) as caught:
        issuing.issue(person)
    assert "kehadiran 40% < 80%" in caught.value.message


def test_revoke_keeps_the_number_and_reissue_gets_a_new_one(five_sessions, admin):
    person = factories.make_participant(five_sessions)
    qualify(five_sessions, person)
    first = issuing.issue(person, actor=admin)
    db.session.commit()
    with pytest.raises(InvalidInput):
        issuing.revoke(first, "  ", actor=admin)
    issuing.revoke(first, "Salah cetak nama", actor=admin)
    db.session.commit()
    assert queries.get_by_code(first.verification_code).status == "revoked"
    second = issuing.issue(person, actor=admin)
    db.session.commit()
    assert (first.seq, second.seq) == (1, 2)
    assert second.number != first.number
    assert second.verification_code != first.verification_code
    assert queries.get_by_code(first.verification_code).revoke_reason == "Salah cetak nama"
    with pytest.raises(Conflict):
        issuing.revoke(first, "lagi")
    # the revoked number is not handed out again to someone else either
    other = factories.make_participant(five_sessions)
    qualify(five_sessions, other)
    assert issuing.issue(other).seq == 3


def test_certificate_keeps_a_snapshot(five_sessions):
    person = factories.make_participant(five_sessions, full_name="Agus Hari")
    qualify(five_sessions, person)
    certificate = issuing.issue(person)
    db.session.commit()
    person.full_name = "Nama Lain"
    five_sessions.title = "Judul Baru"
    db.session.commit()
    db.session.refresh(certificate)
    assert certificate.name == "Agus Hari"
    assert certificate.event_title == "Bimtek Uji SERT24"
    assert certificate.total_jp == 10  # one module of 2 JP × 5 sessions
    assert certificate.modules == [{"title": "Mitigasi Konflik", "jp": 10}]


def test_verification_codes_are_long_and_random(five_sessions):
    codes = {numbering.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(numbering.CODE_PATTERN.match(code) for code in codes)


def test_unknown_codes(app):
    for code in ("", "x", "A" * 24, "../../etc/passwd", "' OR 1=1 --"):
        with pytest.raises(queries.UnknownCertificate):
            queries.get_by_code(code)


def test_settings_validation(five_sessions):
    with pytest.raises(InvalidInput) as caught:
        configuration.update_settings(
            five_sessions,
            settings_data(
                min_attendance_percent="120",
                min_post_score="abc",
                title_text="",
                signing_date="31-10-2024",
                number_format="{nik}",
            ),
        )
    assert set(caught.value.fields) == {
        "min_attendance_percent",
        "min_post_score",
        "title_text",
        "signing_date",
        "number_format",
    }
    assert caught.value.fields["min_attendance_percent"] == "Isi bilangan bulat 0–100."
    assert caught.value.fields["signing_date"] == (
        "Isi tanggal dengan format TTTT-BB-HH, atau kosongkan."
    )


def test_settings_flags_and_an_empty_signing_date(five_sessions):
    settings = configuration.update_settings(
        five_sessions, settings_data(count_excused="on", count_sick="no", signing_date=" ")
    )
    assert (settings.count_excused, settings.count_sick, settings.signing_date) == (
        True,
        False,
        None,
    )


def test_image_checks(five_sessions):

    with pytest.raises(InvalidInput):
        configuration.set_image(five_sessions, "logo_left", b"%PDF-1.4 not an image")
    with pytest.raises(InvalidInput):
        configuration.set_image(five_sessions, "logo_left", b"GIF89a" + b"\0" * 100)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(InvalidInput):
        configuration.set_image(five_sessions, "logo_left", gif.getvalue())
    with pytest.raises(InvalidInput):
        configuration.set_image(five_sessions, "logo_left", b"\x89PNG" + b"\0" * (3 * 1024 * 1024))
    big = io.BytesIO()
    Image.new("RGBA", (1600, 1200), (10, 90, 70, 255)).save(big, "PNG")
    configuration.set_image(five_sessions, "logo_left", big.getvalue())
    settings = queries.get_settings(five_sessions)
    assert settings.logo_left_type == "image/png"
    assert max(Image.open(io.BytesIO(settings.logo_left)).size) == 600
    with pytest.raises(NotFound):
        configuration.set_image(five_sessions, "../../x", big.getvalue())


def test_at_most_three_signatories(five_sessions):
    for index in range(3):
        configuration.save_signatory(five_sessions, {"name": f"Pejabat {index}", "title": "Kepala"})
    with pytest.raises(InvalidInput):
        configuration.save_signatory(five_sessions, {"name": "Keempat"})
    with pytest.raises(InvalidInput):
        configuration.save_signatory(
            five_sessions,
            {"name": "X", "nip": "abc"},
            signatory=queries.get_settings(five_sessions).signatories[0],
        )


def test_nothing_is_issued_unsigned(five_sessions, admin_client):
    """An unsigned certificate is worth nothing to an office: no signatory, no issuing."""

    event = five_sessions
    person = factories.make_participant(event)
    attend(event, person, 5)
    post_test(event, person, 5)
    with pytest.raises(rules.Unsigned) as error:
        issuing.issue(person)
    assert error.value.code == "no_signatory"
    db.session.rollback()
    with pytest.raises(rules.Unsigned):
        issuing.issue_all(event)
    db.session.rollback()
    page = admin_client.post(
        f"/admin/kegiatan/{event.code}/sertifikat/terbitkan", follow_redirects=True
    ).get_data(as_text=True)
    assert "Tambahkan minimal satu penanda tangan" in page
    assert queries.issued_certificates(event) == []


def test_one_issue_date_dates_the_number_and_the_text(five_sessions, admin):
    """The number said XII/2026 (the month it was issued) while the text said 31 Oktober
    2024: the issue date in the settings now drives both."""

    person = factories.make_participant(five_sessions, full_name="Siti Aminah")
    qualify(five_sessions, person)
    configuration.update_settings(five_sessions, settings_data(signing_date="2024-10-31"))
    certificate = issuing.issue(person, actor=admin, now=datetime(2026, 12, 20, 3, tzinfo=UTC))
    db.session.commit()
    assert certificate.number == "001/BIMTEK-SERT24/X/2024"
    assert "31 Oktober 2024" in pdf_text(printing.issued_pdf(certificate))
    assert queries.verification_facts(certificate)["issued_on"] == "2024-10-31"


def test_a_placeholder_signatory_blocks_issuing(five_sessions):
    person = factories.make_participant(five_sessions)
    qualify(five_sessions, person)
    signatory = queries.get_settings(five_sessions).signatories[0]
    signatory.name = rules.PLACEHOLDER_SIGNATORY_NAME
    db.session.commit()
    with pytest.raises(rules.PlaceholderSignatory) as error:
        issuing.issue(person)
    assert error.value.code == "placeholder_signatory"
    assert "masih contoh" in error.value.message
    db.session.rollback()
    with pytest.raises(rules.PlaceholderSignatory):
        issuing.issue_all(five_sessions)
    db.session.rollback()
    assert rules.preview_issue_all(five_sessions).problem.startswith("Penanda tangan")
    assert queries.issued_certificates(five_sessions) == []


@pytest.mark.parametrize(
    "base",
    [None, "", "http://127.0.0.1:5000", "http://localhost:5000/", "http://0.0.0.0", "http://[::1]"],
)
def test_a_local_or_unset_public_address_blocks_issuing(app, five_sessions, base):
    person = factories.make_participant(five_sessions)
    qualify(five_sessions, person)
    app.config["PUBLIC_BASE_URL"] = base
    with pytest.raises(rules.LocalPublicAddress) as error:
        issuing.issue(person)
    assert "BIMTEK_PUBLIC_BASE_URL" in error.value.message
    db.session.rollback()
    assert queries.issued_certificates(five_sessions) == []


def test_a_public_address_allows_issuing(app, five_sessions):
    assert not rules.is_local_address("https://bimtek.kutaitimurkab.go.id")
    assert not rules.is_local_address("http://bimtek.test")


def test_the_preview_counts_and_numbers_without_writing(five_sessions):
    people = [factories.make_participant(five_sessions) for _ in range(3)]
    for person in people:
        qualify(five_sessions, person)
    preview = rules.preview_issue_all(five_sessions)
    assert preview.count == 3 and preview.problem is None
    assert preview.first_number == "001/BIMTEK-SERT24/XII/2026"
    assert preview.last_number == "003/BIMTEK-SERT24/XII/2026"
    assert queries.get_settings(five_sessions).last_seq == 0
    outcome = issuing.issue_all(five_sessions)
    assert [outcome.issued[0].number, outcome.issued[-1].number] == [
        preview.first_number,
        preview.last_number,
    ]
