"""Certificates in bulk: the form-XObject renderer against the straightforward approach.

    .venv/bin/python bench/certificates.py            # 400 participants, 3 runs each
    .venv/bin/python bench/certificates.py --runs 5 --participants 400

Seeds a temporary SQLite database with one event of 400 registered participants (logos, two
signatories with signature images, five modules), issues the 400 certificates through the
service, then times, in the same run:

1. fast      ``printing.print_copy_pdf``: the 400 certificates as one document (the print
             copy, from the issued snapshots); static parts drawn once as form XObjects, per
             page only the name, number and QR (segno, fixed mask, raw path operators);
2. naive     the straightforward approach: one ReportLab canvas per certificate, everything
             drawn on every page, ReportLab's own QR widget (reportlab.graphics.barcode.qr);
3. zip       the ZIP the bundle job builds: the 400 stored signed files
             (``printing.issued_files``, 50 per query) written into one .zip (one run);
4. download  the participant's own certificate through the Flask view
             (certificates.mine_download) with the test client: server time per request;
5. issue     ``issuing.issue_all`` for the 400, as the organizer's button does it: drawn as
             one document, cut, each file signed (PAdES, demo key) and stored (one run,
             SQLite); there is no job queue, so this runs in the request or the CLI;
6. signed    400 signed certificates as files, the library work of the issuing job:
             ``issuing.sign_issued`` whole (draw, cut, sign, store, commit), then draw + cut
             alone and signing alone, with wall, CPU and per-certificate figures;
7. verify    ``POST /api/v1/verify`` with an issued file (genuine) and with a copy changed by
             an incremental update (modified): server time per request.

Prints medians. Targets (issue 19): the print PDF of 400 (fast) <= 3 s, 400 signed
certificates (signed, sign_issued) <= 60 s; naive / fast >= 5, download <= 50 ms, signing
<= 50 ms per certificate. Runs unchanged on an older checkout (``_split``), so that before
and after are measured in one run: copy this file and bench/_setup.py into the other
worktree's bench/.
"""

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = [
    "Agus",
    "Siti",
    "Muhammad",
    "Nur",
    "Rina",
    "Budi",
    "Dewi",
    "Andi",
    "Ni Luh",
    "Yohanes",
    "Fransiskus",
    "Aisyah",
    "Rahmat",
    "Fitri",
    "Hendra",
    "Wahyuni",
    "Daeng",
    "Nguyễn",
]
LAST = [
    "Hari Kesuma",
    "Rahmawati",
    "Syafruddin",
    "Hidayat",
    "Kartika",
    "Santoso",
    "Lestari",
    "Ma'ruf",
    "Putu Ayu",
    "Pattiradjawane",
    "Sitompul",
    "Ramadhani",
    "Tandi Lolo",
    "Thị Ánh",
]
TITLES = [
    ("", ""),
    ("Dr. H. ", ", M.Si"),
    ("Ir. ", ", M.T."),
    ("", ", S.Sos."),
    ("Hj. ", ", S.E., M.M."),
    ("", ""),
    ("AKP ", ", S.H."),
    ("", ", S.IP"),
]


def png(size, color, line=False) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if line:
        points = [(20, 100), (80, 30), (120, 110), (180, 40), (260, 100), (380, 60)]
        draw.line(points, fill=color, width=5)
    else:
        draw.ellipse((6, 6, size[0] - 6, size[1] - 6), fill=color)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed(participants: int, *, issue: bool = True):
    """One event with ``participants`` registered people, all issued a certificate (or all
    eligible, none issued: ``issue=False``)."""
    from bench._setup import PASSWORD, open_event, person
    from bimtek.auth.models import User
    from bimtek.certificates import configuration, issuing
    from bimtek.events import services as event_services
    from bimtek.extensions import db
    from bimtek.participants import registration

    event = open_event(
        "KUTIM24A",
        participants,
        start=date.today(),
        title="Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024",
        provider="Smart Academy",
    )
    for index, (title, jp) in enumerate(
        [
            ("Mitigasi dan Resolusi Konflik Sosial", 8),
            ("Pemetaan Intelijen Keamanan Daerah Rawan Konflik", 6),
            ("Kebijakan Tahapan Pilkada 2024", 6),
            ("Komunikasi Efektif dan Komunikasi Krisis", 6),
            ("Simulasi Penanganan Gangguan Keamanan", 6),
        ],
        start=1,
    ):
        event_services.save_module(event, {"code": f"M{index}", "title": title, "jp": jp})
    rows = []
    for index in range(participants):
        prefix, suffix = TITLES[index % len(TITLES)]
        name = f"{prefix}{FIRST[index % len(FIRST)]} {LAST[(index // 3) % len(LAST)]}{suffix}"
        rows.append(person(index + 1, full_name=name))
    if hasattr(registration, "register_many"):
        registration.register_many(event, rows, channel="cli")
    else:
        for row in rows:
            registration.register(
                event, row, registration.RegistrationTerms(channel="cli", enforce_window=False)
            )
    configuration.update_settings(
        event,
        {
            "min_attendance_percent": "0",
            "post_test_required": "0",
            "number_format": "{seq:03d}/BIMTEK-{code}/{month_roman}/{year}",
            "title_text": "SERTIFIKAT",
            "awarded_text": "diberikan kepada",
            "role_text": "Peserta",
            "body_text": "atas partisipasinya dalam kegiatan Bimbingan Teknis",
        },
    )
    configuration.set_image(event, "logo_left", png((400, 400), (11, 93, 75, 255)))
    configuration.set_image(event, "logo_right", png((400, 400), (176, 141, 60, 255)))
    configuration.save_signatory(
        event,
        {
            "name": "Drs. H. Ardiansyah Sulaiman, M.Si",
            "title": "Bupati Kutai Timur",
            "nip": "196504121990031007",
            "position": "0",
        },
        signature=png((400, 140), (20, 30, 120, 255), line=True),
    )
    configuration.save_signatory(
        event,
        {
            "name": "Dr. Rina Kartika, S.Sos., M.AP",
            "title": "Direktur Smart Academy",
            "position": "1",
        },
        signature=png((400, 140), (20, 30, 120, 255), line=True),
    )
    if not issue:
        db.session.commit()
        return event, None, 0.0
    started = time.perf_counter()
    outcome = issuing.issue_all(event, channel="cli")
    db.session.commit()
    issue_seconds = time.perf_counter() - started
    first = outcome.issued[0].participant
    user = db.session.get(User, first.user_id)
    user.set_password(PASSWORD)
    db.session.commit()
    return event, first, issue_seconds


def naive_render(design, sheet) -> bytes:
    """The straightforward approach: a canvas per certificate, ReportLab's QR widget."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen.canvas import Canvas

    from bimtek.certificates import layout, ornaments

    def widget_qr(canvas, data, x, y, size):
        widget = QrCodeWidget(data, barLevel="M")
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
        )
        drawing.add(widget)
        renderPDF.draw(drawing, canvas, x, y)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=ornaments.PAGE, pageCompression=1)
    layout.draw_front_static(canvas, design, sheet)
    layout.draw_front_variable(canvas, sheet, qr=widget_qr)
    canvas.showPage()
    layout.draw_back_static(canvas, design, sheet)
    layout.draw_back_variable(canvas, sheet)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _split():
    """The cutter of this checkout: ``rendering.split`` (pypdf), or the older
    ``pdfsplit.split``, so that one bench runs on both (before/after in one run)."""
    import importlib

    from bimtek.certificates import rendering

    if hasattr(rendering, "split"):
        return rendering.split
    return importlib.import_module("bimtek.certificates.pdfsplit").split


def signed_run(event, certificates, runs):
    """400 certificates as signed files: the library work of the issuing job.

    ``issuing.sign_issued`` (draw, cut, sign, store) timed whole, then its parts one by
    one: draw + cut, and signing alone per certificate. Returns (median signing seconds per
    certificate, whole sign_issued seconds, draw + cut seconds)."""
    from bimtek.certificates import issuing, printing, signing
    from bimtek.certificates.rendering import render
    from bimtek.extensions import db

    split = _split()
    signer = signing.configured_signer()
    count = len(certificates)

    def whole():
        issuing.sign_issued(event, certificates, signer)
        db.session.commit()

    wall, cpu, _none = median_time(whole, 1)
    print(
        f"signed:   sign_issued of {count} (draw, cut, sign {count}, store, commit): "
        f"{wall:.3f} s wall / {cpu:.3f} s CPU (1 run); {wall / count * 1000:.1f} ms wall / "
        f"{cpu / count * 1000:.1f} ms CPU per certificate"
    )
    design = printing.design_for(event)
    sheets = [printing.sheet_for(c) for c in certificates]
    titles = [f"Sertifikat {c.number}" for c in certificates]
    keywords = [printing.certificate_keywords(c) for c in certificates]

    def files():
        return split(render(design, sheets), 2, titles, keywords)

    unsigned, unsigned_cpu, unsigned_files = median_time(files, runs)
    print(
        f"signed:   of which draw + cut ({count} unsigned files): median {unsigned:.3f} s "
        f"wall / {unsigned_cpu:.3f} s CPU of {runs} runs; "
        f"{unsigned / count * 1000:.1f} ms per certificate"
    )
    walls: list[float] = []
    cpus: list[float] = []
    signed_list = []
    for certificate, data in zip(certificates, unsigned_files, strict=True):
        details = signing.SignatureDetails(certificate.verification_code, certificate.number)
        started, cpu_started = time.perf_counter(), time.process_time()
        signed_list.append(signing.sign_certificate_pdf(data, signer, details))
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    size = sum(len(f) for f in signed_list)
    print(
        f"signed:   of which signing alone: {sum(walls):.3f} s wall / {sum(cpus):.3f} s CPU "
        f"for {count} ({size / 1e6:.1f} MB signed); median {statistics.median(walls) * 1000:.1f}"
        f" ms wall / {statistics.median(cpus) * 1000:.1f} ms CPU per certificate (p90 "
        f"{statistics.quantiles(walls, n=10)[-1] * 1000:.1f} ms)"
    )
    return statistics.median(walls), wall, unsigned


def verify_run(client, genuine_file: bytes, requests: int):
    """Server time of POST /api/v1/verify for an issued file and an edited copy."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    writer = IncrementalPdfFileWriter(io.BytesIO(genuine_file))
    overlay = generic.StreamObject(stream_data=b"q 1 1 1 rg 100 365 640 45 re f Q")
    writer.add_stream_to_page(0, writer.add_object(overlay))
    edited = io.BytesIO()
    writer.write(edited)
    results = []
    for label, data, expected in (
        ("genuine ", genuine_file, "genuine"),
        ("modified", edited.getvalue(), "modified"),
    ):
        boundary, body = encode_multipart(
            {"file": FileStorage(io.BytesIO(data), "sertifikat.pdf", "file")}
        )

        def post(body=body, boundary=boundary, expected=expected):
            response = client.post(
                "/api/v1/verify",
                data=body,
                content_type=f"multipart/form-data; boundary={boundary}",
            )
            assert response.get_json()["status"] == expected, response.get_json()
            return response

        post()  # warm
        wall, cpu, _response = median_time(post, requests)
        print(
            f"verify:   POST /api/v1/verify, {label} file of {len(data) / 1000:.0f} kB "
            f"(test client, server time): median {wall * 1000:.1f} ms wall / "
            f"{cpu * 1000:.1f} ms CPU of {requests} requests"
        )
        results.append(wall)
    return results


def zip_issued(certificates) -> bytes:
    """The ZIP as the bundle job writes it (``bundles._build``)."""
    from bimtek.certificates import printing

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for batch in printing.issued_files(certificates):
            for name, data in batch:
                archive.writestr(name, data)
    return buffer.getvalue()


def median_time(function, runs):
    """(median wall seconds, median CPU seconds of this process, last result)."""
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5, help="runs of the fast renderer")
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=1,
        help="runs of the straightforward approach (about 100 s of CPU each for 400; 0: skip)",
    )
    parser.add_argument("--downloads", type=int, default=20)
    parser.add_argument("--no-zip", action="store_true", help="skip the 400-file zip")
    args = parser.parse_args()

    from pypdf import PdfReader

    from bench._setup import PASSWORD, signing_app
    from bimtek.certificates import printing, queries
    from bimtek.core.fonts import register_fonts
    from bimtek.extensions import db

    app, folder = signing_app("certificates")
    with app.app_context():
        started = time.perf_counter()
        event, person, issue_seconds = seed(args.participants)
        print(
            f"seeded {args.participants} participants and issued their certificates "
            f"in {time.perf_counter() - started:.1f} s (SQLite, {folder})"
        )
        print(
            f"issue:    issue_all of {args.participants} (draw, cut, sign, store, commit): "
            f"{issue_seconds:.2f} s (1 run)"
        )
        certificates = queries.issued_certificates(event)
        register_fonts()
        printing.print_copy_pdf(event, certificates[:1])  # fonts and images, as a worker

        def fast_all():
            return printing.print_copy_pdf(event, certificates)

        first_wall, first_cpu, _data = median_time(fast_all, 1)
        print(
            f"fast:     first run {first_wall:.3f} s wall / {first_cpu:.3f} s CPU "
            "(fonts and images already loaded)"
        )
        fast, fast_cpu, data = median_time(fast_all, args.runs)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        print(
            f"fast:     {len(certificates)} certificates, one PDF of {pages} pages, "
            f"{len(data) / 1e6:.1f} MB: median {fast:.3f} s wall / {fast_cpu:.3f} s CPU "
            f"of {args.runs} runs; {fast / len(certificates) * 1000:.2f} ms wall / "
            f"{fast_cpu / len(certificates) * 1000:.2f} ms CPU per certificate"
        )

        design = printing.design_for(event)
        sheets = [printing.sheet_for(c) for c in certificates]

        naive = naive_cpu = None
        if args.naive_runs:

            def naive_all():
                return [naive_render(design, sheet) for sheet in sheets]

            naive, naive_cpu, files = median_time(naive_all, args.naive_runs)
            size = sum(len(f) for f in files)
            print(
                f"naive:    {len(files)} PDFs (one canvas each, ReportLab QR widget), "
                f"{size / 1e6:.1f} MB: median {naive:.3f} s wall / {naive_cpu:.3f} s CPU "
                f"of {args.naive_runs} run(s)"
            )
            print(
                f"ratio:    naive / fast = {naive / fast:.1f}x wall, "
                f"{naive_cpu / fast_cpu:.1f}x CPU"
            )

        if not args.no_zip:
            zipped, zipped_cpu, archive = median_time(lambda: zip_issued(certificates), 1)
            print(
                f"zip:      {len(certificates)} separate PDFs in one .zip, "
                f"{len(archive) / 1e6:.1f} MB: {zipped:.3f} s wall / {zipped_cpu:.3f} s CPU "
                "(1 run)"
            )
        signing_median, signed_total, unsigned_total = signed_run(event, certificates, args.runs)
        genuine_file = db.session.get(type(certificates[0]), certificates[0].id).document
        person_id = person.id
        nik = person.nik
        db.session.remove()

    client = app.test_client()
    response = client.post("/masuk", data={"identifier": nik, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    url = f"/portal/peserta/{person_id}/sertifikat.pdf"
    client.get(url)  # warm

    def download():
        response = client.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        return response

    single, single_cpu, response = median_time(download, args.downloads)
    print(
        f"download: one certificate through the Flask view (test client, server time): "
        f"median {single * 1000:.1f} ms wall / {single_cpu * 1000:.1f} ms CPU "
        f"of {args.downloads} requests ({len(response.data) / 1000:.0f} kB)"
    )
    verify_genuine, verify_modified = verify_run(client, genuine_file, args.downloads)
    verdict = [
        ("print PDF <= 3.0 s", fast <= 3.0),
        ("print PDF CPU <= 3.0 s", fast_cpu <= 3.0),
        ("ratio >= 5", naive is None or naive / fast >= 5),
        ("download <= 50 ms", single <= 0.050),
        ("400 signed <= 60 s", signed_total * 400 / len(certificates) <= 60),
        ("signing <= 50 ms per certificate", signing_median <= 0.050),
    ]
    print("targets:  " + ", ".join(f"{name}: {'ok' if ok else 'MISSED'}" for name, ok in verdict))
    print(f"load:     {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1/5/15 min, 2 cores)")


if __name__ == "__main__":
    main()
