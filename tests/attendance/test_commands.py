"""``flask attendance`` commands."""

from bimtek.attendance import checkin
from bimtek.extensions import db
from tests.pdftext import pdf_pages


def test_sheet_badges_and_summary(runner, event, session, person, panitia, on_time, tmp_path):
    checkin.check_in(session, person.ticket_code, actor=panitia, now=on_time)
    db.session.commit()
    sheet = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["attendance", "sheet", str(session.id), "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "Siti Aminah" in pdf_pages(sheet.read_bytes())[0]

    badges = tmp_path / "badges.pdf"
    result = runner.invoke(args=["attendance", "badges", "uji24", "-o", str(badges)])
    assert result.exit_code == 0 and "1 kartu peserta" in result.output

    result = runner.invoke(args=["attendance", "summary", "UJI24"])
    assert result.exit_code == 0
    first_line = result.output.splitlines()[0]
    assert "1/1" in first_line and "terlambat   0" in first_line


def test_unknown_session_or_event(runner, app, tmp_path):
    out = str(tmp_path / "x.pdf")
    result = runner.invoke(args=["attendance", "sheet", "99", "-o", out])
    assert "Sesi tidak ditemukan" in result.output
    assert runner.invoke(args=["attendance", "summary", "NOPE"]).exit_code != 0
