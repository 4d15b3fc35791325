"""The SPJ's money over the API (GET /api/v1/events/<code>/spj): the figures the page, the PDF
and the workbook print, for the event's managers only."""

import io

from openpyxl import load_workbook

from bimtek.auth.services import issue_api_token
from bimtek.extensions import db
from bimtek.spj import bundle, honor, kontribusi, money
from bimtek.spj.rupiah import terbilang
from tests import factories
from tests.spj.test_bundle import full  # noqa: F401 (the fixture)


def _headers(user) -> dict:
    _token, plain = issue_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_the_api_gives_the_figures_the_workbook_prints(client, full, manager):  # noqa: F811
    answer = client.get(f"/api/v1/events/{full.code}/spj", headers=_headers(manager))
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["event"] == full.code
    assert body["locked"] is False

    days = money.penerimaan(full)
    assert [d["people"] for d in body["penerimaan"]["days"]] == [len(d.rows) for d in days]
    assert [d["total"] for d in body["penerimaan"]["days"]] == [d.total for d in days]
    day2 = body["penerimaan"]["days"][1]
    assert day2 == {
        "number": 2,
        "day": days[1].day.isoformat(),
        "people": 2,
        "transport": 200_000,
        "saku": 300_000,
        "harian": 0,
        "total": 500_000,
        "total_in_words": terbilang(500_000),
    }
    assert day2["total_in_words"] == "Lima ratus ribu rupiah"
    assert body["penerimaan"]["total"] == sum(d.total for d in days)

    (line,) = body["honor"]["lines"]
    assert line["name"] == "Dr. Narasumber" and line["rule"] == "ASN golongan IV"
    assert (line["jp"], line["rate_per_jp"], line["gross"]) == (4, 900_000, 3_600_000)
    assert line["tax"] == 3_600_000 * line["pph21_basis_points"] // 10_000
    assert line["net"] == line["gross"] - line["tax"]
    assert "nip" not in line
    assert body["honor"]["totals"] == honor.totals(honor.honor_lines(full))

    agencies = {a["institution"]: a for a in body["kontribusi"]["agencies"]}
    kpu = agencies["KPU Kabupaten Kutai Timur"]
    assert kpu["amount"] == 7_500_000 and kpu["paid_on"] and kpu["owes"] is False
    assert kpu["payment_method"] == "transfer"
    summary = kontribusi.summary(kontribusi.agencies(full))
    assert {k: body["kontribusi"][k] for k in summary} == summary

    book = load_workbook(io.BytesIO(bundle.money_workbook(full)))
    sums = [
        row
        for row in book["Honor narasumber"].iter_rows(values_only=True)
        if row and row[0] == "JUMLAH"
    ][0]
    assert (sums[6], sums[8], sums[9]) == (
        body["honor"]["totals"]["gross"],
        body["honor"]["totals"]["tax"],
        body["honor"]["totals"]["net"],
    )


def test_an_empty_event_answers_zeros(client, event, manager):
    body = client.get(f"/api/v1/events/{event.code}/spj", headers=_headers(manager)).json
    assert body["penerimaan"]["total"] == 0
    assert all(day["people"] == 0 for day in body["penerimaan"]["days"])
    assert body["honor"] == {"lines": [], "totals": {"jp": 0, "gross": 0, "tax": 0, "net": 0}}
    assert body["kontribusi"]["billed"] == 0


def test_only_the_events_managers_read_it(client, full, panitia):  # noqa: F811
    url = f"/api/v1/events/{full.code}/spj"
    refused = client.get(url, headers=_headers(panitia))
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "forbidden"
    other = factories.make_event(code="LAIN24")
    stranger = factories.make_staff("manager", "lain@bimtek.local", event=other)
    hidden = client.get(url, headers=_headers(stranger))
    assert hidden.status_code == 404
    assert hidden.json["error"]["code"] == "unknown_event"
    assert client.get(url).status_code == 401
