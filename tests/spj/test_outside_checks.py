"""The SPJ pages with everything on them (signers, rates, honor, a paid and an unpaid
tagihan, letters, a photo, the bundle's progress page) through the Nu HTML checker and axe:
the authorization walk (``tests/core/test_outside_checks.py``) sees them nearly empty."""

import json
import subprocess
from pathlib import Path

import pytest

from bimtek.extensions import db
from bimtek.spj import kontribusi, letters
from tests.core.test_outside_checks import AXE, BLOCKING, HOST, VNU, _answer_from, _tool
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
    names = {}
    for number, (url, html) in enumerate(filled_pages):
        path = tmp_path / f"{number:02d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = url
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(p) for p in tmp_path.glob("*.html")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{names.get(Path(m.get('url', '')).name)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
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
        page.goto(HOST + url, wait_until="load")
        page.add_script_tag(content=axe)
        report = page.evaluate(
            "axe.run(document, {resultTypes: ['violations'],"
            " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
            " 'best-practice']}})"
        )
        for violation in report["violations"]:
            if violation["impact"] in BLOCKING or violation["id"] == "page-has-heading-one":
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                problems.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
    context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
