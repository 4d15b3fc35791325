"""The SPJ pages with everything on them (signers, rates, honor, a paid and an unpaid
tagihan, letters, a photo, the bundle's progress page) through the Nu HTML checker and axe:
the authorization walk (``tests/core/test_outside_checks.py``) sees them nearly empty."""

import pytest

from bimtek.extensions import db
from bimtek.spj import kontribusi, letters
from tests.core.test_outside_checks import (
    AXE,
    HOST,
    VNU,
    _answer_from,
    _tool,
    axe_problems,
    nu_errors,
)
from tests.spj.test_bundle import full  # noqa: F401

PAGES = ("", "/kop", "/uang", "/honor", "/kontribusi", "/surat", "/dokumentasi")


@pytest.fixture
def filled_pages(full, two_days, manager_client):  # noqa: F811
    two_days["budi"].institution = "Polres Kutai Timur"
    kontribusi.issue_invoice(full, "Polres Kutai Timur")  # not paid yet: it still owes
    letters.number_letter(full, "keterangan", str(two_days["andi"].id))
    db.session.commit()
    urls = [f"/admin/kegiatan/{full.code}/spj{page}" for page in PAGES]
    asked = manager_client.post(f"/admin/kegiatan/{full.code}/spj/berkas/spj_pdf")
    urls.append(asked.headers["Location"])
    found = []
    for url in urls:
        answer = manager_client.get(url)
        assert answer.status_code == 200, url
        found.append((url, answer.get_data(as_text=True)))
    return found


def test_the_filled_spj_pages_pass_the_nu_html_checker(filled_pages, tmp_path):
    vnu = _tool(VNU, "The Nu HTML checker")
    errors = nu_errors(vnu, [("spj", url, html) for url, html in filled_pages], tmp_path)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)


def test_the_filled_spj_pages_pass_axe(filled_pages, manager_client, browser):
    axe = _tool(AXE, "axe-core").read_text(encoding="utf-8")
    problems = []
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="id-ID", bypass_csp=True
    )
    context.route(f"{HOST}/**", _answer_from(manager_client))
    page = context.new_page()
    for url, _html in filled_pages:
        problems += axe_problems(page, axe, url, url)
    context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
