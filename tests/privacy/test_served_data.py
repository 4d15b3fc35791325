"""A narasumber, moderator or panitia member asks what the event holds about them (UU 27/2022):
a manager hands it over as JSON or PDF; the hand-over is audited; panitia cannot."""

import io
import json

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from bimtek.audit.models import AuditLog
from bimtek.certificates import served_issuing
from bimtek.certificates.served import holder_key
from bimtek.errors import NotFound
from bimtek.extensions import db
from bimtek.privacy import served_data
from bimtek.spj import honor
from tests import factories
from tests.certificates.conftest import five_sessions  # noqa: F401 (the fixture)
from tests.certificates.test_served import curriculum, keys  # noqa: F401
from tests.certificates.test_served_mail import POLICE, addressed  # noqa: F401
from tests.conftest import log_in, login, screenshot, wider_than
from tests.notifications.conftest import app_config, mailbox, settle, smtp_port  # noqa: F401
from tests.spj.helpers import check_pdf

BUDI = "Kombes Pol. Budi"


@pytest.fixture
def served_budi(app, addressed, mailbox, admin):  # noqa: F811
    """Budi taught M3, holds a narasumber certificate mailed to him, and is on the honor list."""
    served_issuing.issue_served(addressed, "narasumber", keys(addressed, "narasumber"), actor=admin)
    module = next(m for m in addressed.modules if m.title == "Tahapan Pilkada")
    honor.save_honor(
        addressed,
        {
            "name": BUDI,
            "nip": "197001011990031001",
            "jp": "4",
            "rate_per_jp": "900.000",
            "is_asn": "1",
            "golongan": "IV",
            "module_id": str(module.id),
        },
    )
    db.session.commit()
    assert settle(app)
    return addressed


def test_the_list_names_everyone_who_served_once(curriculum):  # noqa: F811
    people = served_data.served_names(curriculum)
    names = [p.name for p in people]
    assert len(names) == 5  # the speaker spelled twice is one person
    assert len({p.key for p in people}) == 5
    siti = next(p for p in people if p.name.startswith("Siti"))
    assert siti.roles == ("moderator",)


def test_the_data_holds_rows_certificates_mails_and_honor(served_budi):
    data = served_data.served_data(served_budi, holder_key(BUDI), "https://bimtek.example")
    assert data["name"] == BUDI
    (row,) = data["served"]
    assert (row["role"], row["module"], row["email"]) == ("narasumber", "Tahapan Pilkada", POLICE)
    (certificate,) = data["certificates"]
    assert "/NS/" in certificate["number"] and certificate["revoked_at"] is None
    assert certificate["verification_url"].startswith("https://bimtek.example/")
    assert [m["to"] for m in data["certificate_mails"]] == [POLICE]
    (line,) = data["honor"]
    assert line["nip"] == "197001011990031001" and line["gross"] == 3_600_000
    assert line["net"] == line["gross"] - line["pph21"]
    # nobody else's data
    text = json.dumps(data)
    assert "Rizal" not in text.title() and "Siti" not in text


def test_an_unknown_person_is_not_found(curriculum):  # noqa: F811
    with pytest.raises(NotFound):
        served_data.served_data(curriculum, "0" * 64)
    with pytest.raises(NotFound):
        served_data.served_data(curriculum, "")


def test_a_manager_hands_it_over_as_pdf_or_json_and_it_is_audited(client, served_budi, tmp_path):
    manager = factories.make_staff("manager", "manajer@bimtek.local", event=served_budi)
    base = f"/admin/kegiatan/{served_budi.code}/data-pribadi"
    login(client, manager.email)
    page = client.get(base).get_data(as_text=True)
    assert f'value="{holder_key(BUDI)}"' in page and BUDI in page
    pdf = client.post(base + "/bertugas", data={"person": holder_key(BUDI), "format": "pdf"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    check_pdf(pdf.data, tmp_path, "data-pribadi-narasumber")  # qpdf, every font embedded
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert BUDI in text and POLICE in text and "197001011990031001" in text
    assert "terkirim" in text and "Rp 3.060.000" in text
    answer = client.post(base + "/bertugas", data={"person": holder_key(BUDI), "format": "json"})
    assert json.loads(answer.data)["name"] == BUDI
    entries = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "privacy.served_data")
    ).all()
    assert [e.details["format"] for e in entries] == ["pdf", "json"]
    assert all(BUDI not in json.dumps(e.details) for e in entries)
    assert all(e.actor_id == manager.id for e in entries)

    wrong = client.post(base + "/bertugas", data={"person": "bukan", "format": "pdf"})
    assert wrong.status_code == 302
    assert "tidak tercatat bertugas" in client.get(wrong.location).get_data(as_text=True)
    odd = client.post(base + "/bertugas", data={"person": holder_key(BUDI), "format": "exe"})
    assert odd.status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "privacy.served_data")
        )
        == 2
    )


def test_panitia_cannot_and_see_no_names_there(client, served_budi):
    panitia = factories.make_staff("panitia", "panitia2@bimtek.local", event=served_budi)
    login(client, panitia.email)
    base = f"/admin/kegiatan/{served_budi.code}/data-pribadi"
    refused = client.post(base + "/bertugas", data={"person": holder_key(BUDI), "format": "json"})
    assert refused.status_code == 403
    assert POLICE not in refused.get_data(as_text=True)


@pytest.mark.browser
def test_a_manager_on_a_phone_downloads_a_speakers_data(phone, live_server, served_budi):
    manager = factories.make_staff("manager", "manajer@bimtek.local", event=served_budi)
    db.session.commit()
    page = phone
    log_in(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/admin/kegiatan/{served_budi.code}/data-pribadi#bertugas")
    page.get_by_label("Orang yang meminta").select_option(label=f"{BUDI} (Narasumber)")
    assert not (too_wide := wider_than(page)), too_wide
    screenshot(page, "privacy-served-data-360")
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert BUDI in text and POLICE in text
