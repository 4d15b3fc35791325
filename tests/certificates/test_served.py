"""Certificates for everyone who served (issue 19): narasumber, moderator, panitia."""

import io
import subprocess
import zipfile
from datetime import date, timedelta

import pytest

from bimtek.certificates import issuing, numbering, queries, served, served_issuing
from bimtek.certificates.models import Certificate
from bimtek.errors import InvalidInput, NotFound
from bimtek.events import cloning
from bimtek.events import contributors as team
from bimtek.events import services as event_services
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.privacy import purge
from tests import factories
from tests.certificates.conftest import qualify, sign
from tests.certificates.test_bundles import bundle
from tests.certificates.test_concurrency import _run_together
from tests.certificates.test_signing import upload
from tests.conftest import requires_postgres
from tests.pdftext import decode_qr, pdf_text

SPEAKER = "Dr. H. Ahmad Rizal, M.Si"


@pytest.fixture
def curriculum(five_sessions):
    """Three modules (2, 3 and 4 JP): one narasumber teaches M1 and M2 (spelled twice
    differently), another M3; one moderator; two panitia; the certificates signed."""
    event = five_sessions
    m1 = event.modules[0]
    m1.jp = 2
    m2 = event_services.save_module(event, {"code": "M2", "title": "Pemetaan Kerawanan", "jp": 3})
    m3 = event_services.save_module(event, {"code": "M3", "title": "Tahapan Pilkada", "jp": 4})
    for module, name in (
        (m1, SPEAKER),
        (m2, "  dr. h. ahmad   RIZAL, m.si "),
        (m3, "Kombes Pol. Budi"),
    ):
        team.add_contributor(
            event,
            {
                "role": "narasumber",
                "name": name,
                "institution": "Universitas Mulawarman",
                "module_id": str(module.id),
            },
        )
    team.add_contributor(
        event, {"role": "moderator", "name": "Siti Moderator, S.IP", "module_id": str(m2.id)}
    )
    team.add_contributor(event, {"role": "panitia", "name": "Rina Sekretariat"})
    team.add_contributor(event, {"role": "panitia", "name": "Joko Perlengkapan"})
    sign(event)
    db.session.commit()
    return event


def keys(event, role):
    return [person.key for person in served.served_people(event, role)]


# --- numbering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "mark", "expected"),
    [
        ("{seq:03d}/BIMTEK-{code}/{month_roman}/{year}", "NS", "007/BIMTEK-K24/NS/X/2024"),
        ("{code}-{seq}", "MOD", "K24/MOD-7"),
        ("{{x}}/{seq:03d}/{code}", "PAN", "{x}/007/K24/PAN"),
    ],
)
def test_served_number_puts_the_role_mark_after_the_event_code(pattern, mark, expected):
    served_pattern = numbering.served_format(pattern, mark)
    assert numbering.validate_number_format(served_pattern) == served_pattern
    number = numbering.format_number(served_pattern, seq=7, code="K24", day=date(2024, 10, 1))
    assert number == expected


# --- who served -----------------------------------------------------------------------------


def test_a_narasumber_of_two_modules_is_one_person_with_the_sum_of_their_jp(curriculum):
    people = served.served_people(curriculum, "narasumber")
    assert [p.name for p in people] == [SPEAKER, "Kombes Pol. Budi"]
    assert people[0].modules == [("Mitigasi Konflik", 2), ("Pemetaan Kerawanan", 3)]
    assert people[0].total_jp == 5
    assert people[1].total_jp == 4
    assert people[0].institution == "Universitas Mulawarman"
    panitia = served.served_people(curriculum, "panitia")
    assert [p.total_jp for p in panitia] == [9, 9]  # the whole curriculum


def test_module_speakers_and_narasumber_rows_stay_one_list(five_sessions):
    module = five_sessions.modules[0]
    team.add_contributor(
        five_sessions,
        {"role": "narasumber", "name": "Dr. Satu", "institution": "BPSDM", "module_id": module.id},
    )
    assert module.speaker_list == ["Dr. Satu"]
    event_services.save_module(
        five_sessions,
        {
            "code": module.code,
            "title": module.title,
            "jp": module.jp,
            "speakers": "Dr. Satu\nIr. Dua",
        },
        module=module,
    )
    rows = [c for c in team.contributors_of(five_sessions) if c.role == "narasumber"]
    assert [(c.name, c.institution) for c in rows] == [("Dr. Satu", "BPSDM"), ("Ir. Dua", "")]
    event_services.save_module(
        five_sessions,
        {"code": module.code, "title": module.title, "jp": module.jp, "speakers": "Ir. Dua"},
        module=module,
    )
    assert [c.name for c in team.contributors_of(five_sessions)] == ["Ir. Dua"]


def test_contributor_input_is_checked(five_sessions):
    with pytest.raises(InvalidInput) as refused:
        team.add_contributor(
            five_sessions, {"role": "narasumber", "name": " ", "nip": "12", "module_id": ""}
        )
    assert set(refused.value.fields) == {"name", "nip", "module_id"}
    other = factories.make_event("LAIN24")
    with pytest.raises(InvalidInput):
        team.add_contributor(
            five_sessions,
            {"role": "moderator", "name": "X", "module_id": str(other.modules[0].id)},
        )


def test_staff_become_panitia_once(five_sessions):
    factories.make_staff("panitia", event=five_sessions)
    factories.make_staff("manager", event=five_sessions)
    assert team.add_staff_as_panitia(five_sessions) == 2
    assert team.add_staff_as_panitia(five_sessions) == 0
    people = served.served_people(five_sessions, "panitia")
    assert sorted(p.name for p in people) == ["Manager Uji", "Panitia Uji"]


# --- issuing --------------------------------------------------------------------------------


def test_issuing_each_kind_numbers_each_series_on_its_own(curriculum, admin):
    participant = factories.make_participant(curriculum)
    qualify(curriculum, participant)
    issuing.issue(participant)
    outcomes = {
        role: served_issuing.issue_served(curriculum, role, keys(curriculum, role), actor=admin)
        for role in ("narasumber", "moderator", "panitia")
    }
    db.session.commit()
    code = curriculum.code
    month_year = queries.get_settings(curriculum).number_format  # the event's format
    assert month_year.startswith("{seq:03d}/BIMTEK-{code}/")
    numbers = {role: [c.number for c in o.issued] for role, o in outcomes.items()}
    assert [n.split("/")[:3] for n in numbers["narasumber"]] == [
        ["001", f"BIMTEK-{code}", "NS"],
        ["002", f"BIMTEK-{code}", "NS"],
    ]
    assert [n.split("/")[:3] for n in numbers["moderator"]] == [["001", f"BIMTEK-{code}", "MOD"]]
    assert [n.split("/")[2] for n in numbers["panitia"]] == ["PAN", "PAN"]
    assert queries.get_settings(curriculum).last_seq == 1
    rizal = outcomes["narasumber"].issued[0]
    assert rizal.role == "narasumber" and rizal.participant_id is None
    assert rizal.total_jp == 5
    assert rizal.modules == [
        {"title": "Mitigasi Konflik", "jp": 2},
        {"title": "Pemetaan Kerawanan", "jp": 3},
    ]
    assert rizal.institution == "Universitas Mulawarman"
    assert rizal.document is not None and rizal.signer_fingerprint
    text = " ".join(pdf_text(rizal.document).split())
    assert "NARASUMBER" in text
    assert "dengan materi: Mitigasi Konflik; Pemetaan Kerawanan" in text
    assert "sebanyak 5 JP" in text
    assert rizal.number in text
    assert "Jumlah 5" in text  # page 2: the modules taught and their sum
    moderator = outcomes["moderator"].issued[0]
    assert "MODERATOR" in pdf_text(moderator.document)
    assert "PANITIA" in pdf_text(outcomes["panitia"].issued[0].document)
    # the counts: participants' as before, those who served as their own group
    assert queries.certificate_counts(curriculum) == (1, 1, 0)
    group = queries.served_counts(curriculum)
    assert group["narasumber"] == (2, 2, 0)
    assert group["moderator"] == (1, 1, 0)
    assert group["panitia"] == (2, 2, 0)
    assert [c.role for c in queries.issued_certificates(curriculum)] == ["participant"]


def test_issuing_again_keeps_one_and_a_revoked_number_is_never_reused(curriculum, admin):
    wanted = keys(curriculum, "narasumber")[:1]
    first = served_issuing.issue_served(curriculum, "narasumber", wanted).issued[0]
    again = served_issuing.issue_served(curriculum, "narasumber", wanted)
    assert again.issued == [] and again.already == 1
    issuing.revoke(first, "Salah materi", actor=admin)
    second = served_issuing.issue_served(curriculum, "narasumber", wanted).issued[0]
    db.session.commit()
    assert (first.seq, second.seq) == (1, 2)
    assert first.status == "revoked" and second.status == "valid"
    assert queries.served_counts(curriculum)["narasumber"] == (2, 1, 1)


def test_revoking_from_the_page_returns_to_it_and_a_deleted_module_takes_its_people(
    curriculum, admin_client
):
    certificate = served_issuing.issue_served(
        curriculum, "moderator", keys(curriculum, "moderator")
    ).issued[0]
    db.session.commit()
    response = admin_client.post(
        f"/admin/kegiatan/{curriculum.code}/sertifikat/{certificate.id}/cabut",
        data={"reason": "Berhalangan"},
    )
    assert response.headers["Location"].endswith("/sertifikat/bertugas")
    db.session.refresh(certificate)
    assert certificate.status == "revoked"
    rizal = served_issuing.issue_served(curriculum, "narasumber", keys(curriculum, "narasumber"))
    db.session.commit()
    event_services.delete_module(curriculum.modules[1])
    db.session.commit()
    db.session.expire_all()
    assert served.served_people(curriculum, "moderator") == []
    people = served.served_people(curriculum, "narasumber")
    assert [(p.listed, p.total_jp) for p in people] == [(True, 2), (True, 4)]
    assert people[0].certificate.id == rizal.issued[0].id
    assert people[0].certificate.total_jp == 5  # as issued
    for contributor in team.contributors_of(curriculum):
        team.remove_contributor(contributor)
    db.session.commit()
    gone = served.served_people(curriculum, "narasumber")
    assert [(p.name, p.listed, p.certificate is not None) for p in gone] == [
        (SPEAKER, False, True),
        ("Kombes Pol. Budi", False, True),
    ]
    assert "tidak lagi tercatat" in admin_client.get(
        f"/admin/kegiatan/{curriculum.code}/sertifikat/bertugas"
    ).get_data(as_text=True)


def test_an_unknown_person_or_role_issues_nothing(curriculum):
    with pytest.raises(InvalidInput):
        served_issuing.issue_served(
            curriculum, "narasumber", ["0" * 64] + keys(curriculum, "narasumber")
        )
    with pytest.raises(InvalidInput):
        served_issuing.issue_served(curriculum, "narasumber", [])
    with pytest.raises(NotFound):
        served_issuing.issue_served(curriculum, "participant", [])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Certificate)) == 0


def test_texts_are_per_role_and_checked(curriculum):
    data = {
        f"{role}_{field}": value
        for role in ("narasumber", "moderator", "panitia")
        for field, value in (("role_text", "Pemateri"), ("body_text", "pada Bimtek"))
    }
    data["panitia_role_text"] = "Panitia Pelaksana"
    served_issuing.update_served_texts(curriculum, data)
    issued = served_issuing.issue_served(curriculum, "panitia", keys(curriculum, "panitia")[:1])
    assert "PANITIA PELAKSANA" in pdf_text(issued.issued[0].document)
    with pytest.raises(InvalidInput) as refused:
        served_issuing.update_served_texts(curriculum, {**data, "moderator_role_text": ""})
    assert "moderator_role_text" in refused.value.fields


def test_the_pdf_embeds_every_font_and_renders(curriculum, tmp_path):
    issued = served_issuing.issue_served(curriculum, "narasumber", keys(curriculum, "narasumber"))
    path = tmp_path / "ns.pdf"
    path.write_bytes(issued.issued[0].document)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "ns")], check=True)
    assert sorted(p.name for p in tmp_path.glob("ns-*.png")) == ["ns-1.png", "ns-2.png"]
    code = issued.issued[0].verification_code
    assert decode_qr(issued.issued[0].document, tmp_path) == [queries.verification_url(code)]


def test_a_clone_keeps_the_narasumber_and_moderators_not_the_panitia(curriculum, admin):
    texts = {
        f"{role}_{field}": f"{role} {field}"
        for role in ("narasumber", "moderator", "panitia")
        for field in ("role_text", "body_text")
    }
    served_issuing.update_served_texts(curriculum, texts)
    served_issuing.issue_served(curriculum, "panitia", keys(curriculum, "panitia"))
    copy = cloning.clone_event(
        curriculum,
        {
            "code": "SERT25",
            "title": "",
            "start_date": curriculum.start_date,
            "end_date": curriculum.end_date,
        },
        actor=admin,
    )
    roles = sorted((c.role, c.name) for c in team.contributors_of(copy))
    assert ("moderator", "Siti Moderator, S.IP") in roles
    assert not [r for r in roles if r[0] == "panitia"]
    assert len(served.served_people(copy, "narasumber")) == 2
    assert served.role_settings(copy, "moderator").role_text == "moderator role_text"
    assert served.role_settings(copy, "panitia").last_seq == 0
    assert copy.modules[1].speaker_list == [" ".join("  dr. h. ahmad   RIZAL, m.si ".split())]


# --- pages ----------------------------------------------------------------------------------


def test_manager_chooses_previews_issues_and_downloads(curriculum, admin_client, app):
    base = f"/admin/kegiatan/{curriculum.code}/sertifikat/bertugas"
    page = admin_client.get(base).get_data(as_text=True)
    assert SPEAKER in page and "Rina Sekretariat" in page
    key = keys(curriculum, "narasumber")[0]
    preview = admin_client.get(f"{base}/narasumber/contoh.pdf?orang={key}")
    assert preview.status_code == 200
    assert "Pemetaan Kerawanan" in pdf_text(preview.data)
    assert admin_client.get(f"{base}/narasumber/contoh.pdf?orang=x").status_code == 404
    assert admin_client.get(f"{base}/peserta/contoh.pdf?orang={key}").status_code == 404
    response = admin_client.post(f"{base}/narasumber/terbitkan", data={"orang": [key]})
    assert response.status_code == 302
    certificate = db.session.scalars(db.select(Certificate)).one()
    assert certificate.role == "narasumber"
    download = admin_client.get(
        f"/admin/kegiatan/{curriculum.code}/sertifikat/{certificate.id}.pdf"
    )
    assert download.data == certificate.document
    verify = admin_client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Narasumber" in verify and SPEAKER in verify and "5 JP" in verify
    overview = admin_client.get(f"/admin/kegiatan/{curriculum.code}/sertifikat")
    assert "Narasumber: 1 nomor diterbitkan: 1 berlaku, 0 dicabut." in " ".join(
        overview.get_data(as_text=True).split()
    )


def test_verify_shows_the_role_and_the_revocation(curriculum, client, admin):
    certificate = served_issuing.issue_served(
        curriculum, "moderator", keys(curriculum, "moderator")
    ).issued[0]
    db.session.commit()
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Moderator" in page and "Siti Moderator" in page
    by_number = client.get("/verify", query_string={"kode": certificate.number})
    assert "Moderator" in by_number.get_data(as_text=True)
    api = client.get(f"/api/v1/certificates/{certificate.verification_code}").get_json()
    assert api["role"] == "moderator"
    uploaded = upload(client, certificate.document)
    assert uploaded.get_json()["status"] == "genuine"
    assert uploaded.get_json()["certificate"]["role"] == "moderator"
    page = upload(client, certificate.document, url="/verify").get_data(as_text=True)
    assert 'data-status="genuine"' in page and "Moderator" in page
    issuing.revoke(certificate, "Tidak hadir", actor=admin)
    db.session.commit()
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "Moderator" in page and "dicabut" in page.lower()
    assert upload(client, certificate.document).get_json()["status"] == "revoked"


def test_texts_are_saved_from_the_settings_page(curriculum, admin_client):
    settings = admin_client.get(f"/admin/kegiatan/{curriculum.code}/sertifikat/pengaturan")
    assert 'name="narasumber_body_text"' in settings.get_data(as_text=True)
    data = {
        f"{role}_{field}": value
        for role in ("narasumber", "moderator", "panitia")
        for field, value in (("role_text", "Narasumber Utama"), ("body_text", "pada Bimtek"))
    }
    response = admin_client.post(
        f"/admin/kegiatan/{curriculum.code}/sertifikat/bertugas/teks", data=data
    )
    assert response.status_code == 302
    assert served.role_settings(curriculum, "moderator").role_text == "Narasumber Utama"


def test_contributors_page_adds_and_removes(five_sessions, admin_client):
    base = f"/admin/kegiatan/{five_sessions.code}/tim"
    module = five_sessions.modules[0]
    bad = admin_client.post(base, data={"role": "narasumber", "name": "", "module_id": ""})
    assert bad.status_code == 422
    response = admin_client.post(
        base,
        data={
            "role": "narasumber",
            "name": "Dr. Baru",
            "institution": "Unmul",
            "module_id": module.id,
        },
    )
    assert response.status_code == 302
    assert "Dr. Baru" in admin_client.get(base).get_data(as_text=True)
    contributor = team.contributors_of(five_sessions)[0]
    admin_client.post(f"{base}/{contributor.id}/hapus")
    assert team.contributors_of(five_sessions) == []
    assert admin_client.post(f"{base}/staf").status_code == 302


def test_the_zip_has_a_folder_per_served_role(app, admin_client, curriculum, admin):
    participant = factories.make_participant(curriculum, full_name="Agus Salim")
    qualify(curriculum, participant)
    issuing.issue(participant)
    for role in ("narasumber", "moderator", "panitia"):
        served_issuing.issue_served(curriculum, role, keys(curriculum, role))
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(bundle(app, admin_client, curriculum, "zip")))
    names = archive.namelist()
    assert names[0] == "001-Agus_Salim.pdf"
    assert "narasumber/001-Dr._H._Ahmad_Rizal_M.Si.pdf" in names
    assert "moderator/001-Siti_Moderator_S.IP.pdf" in names
    assert len([n for n in names if n.startswith("panitia/")]) == 2
    assert len(names) == 6


@requires_postgres
def test_concurrent_issuing_keeps_each_series_unique_and_sequential(app, curriculum):
    for index in range(6):
        team.add_contributor(curriculum, {"role": "panitia", "name": f"Panitia Ke-{index}"})
    people = [factories.make_participant(curriculum) for _ in range(3)]
    for person in people:
        qualify(curriculum, person)
    db.session.commit()
    event_id = curriculum.id
    panitia = keys(curriculum, "panitia")
    narasumber = keys(curriculum, "narasumber")
    db.session.remove()

    def issue(role, wanted):
        return lambda: served_issuing.issue_served(db.session.get(Event, event_id), role, wanted)

    def issue_participants():
        issuing.issue_all(db.session.get(Event, event_id))

    jobs = [issue("panitia", [key]) for key in panitia]
    jobs += [issue("panitia", panitia), issue("narasumber", narasumber)] * 2
    jobs += [issue_participants, issue_participants]
    assert _run_together(app, jobs) == []
    certificates = db.session.scalars(
        db.select(Certificate).order_by(Certificate.role, Certificate.seq)
    ).all()
    series = {}
    for certificate in certificates:
        series.setdefault(certificate.role, []).append(certificate.seq)
    assert series == {
        "narasumber": [1, 2],
        "panitia": list(range(1, 9)),
        "participant": [1, 2, 3],
    }
    assert len({c.number for c in certificates}) == len(certificates) == 13
    assert sorted(c.holder_key for c in certificates if c.role == "panitia") == sorted(panitia)
    event = db.session.get(Event, event_id)
    assert served.role_settings(event, "panitia").last_seq == 8


def test_the_personal_data_purge_erases_their_nip_and_keeps_their_certificates(curriculum, admin):

    team.add_contributor(
        curriculum, {"role": "panitia", "name": "Ber NIP", "nip": "196805121990031004"}
    )
    issued = served_issuing.issue_served(curriculum, "panitia", keys(curriculum, "panitia"))
    db.session.commit()
    purge.purge_personal_data(
        curriculum,
        confirm_code=curriculum.code,
        actor=admin,
        today=curriculum.end_date + timedelta(days=3000),
    )
    db.session.commit()
    assert {c.nip for c in team.contributors_of(curriculum)} == {""}
    assert all(c.status == "valid" and c.document for c in issued.issued)
