"""Benchmark: the SPJ bundle (one PDF) and the money workbook of a 400-person, 4-day event.

    .venv/bin/python bench/spj_bundle.py [--participants 400] [--days 4] [--runs 3]

Seeds a temporary SQLite database: one event of ``--participants`` people in 17 agencies
over ``--days`` days of 2 sessions each, check-ins (about 90% present), rates of transport and
uang saku, one narasumber per session (ASN and not), a paid tagihan per agency, an undangan
numbered per agency, one photo per session, a kop with a logo and two signers with a stamp.
Then builds, as the job does, the SPJ PDF (``bimtek.spj.bundle.build_bundle_pdf``) and the
workbook, and prints their pages, size and seconds (medians over ``--runs``).
"""

import argparse
import io
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def png(size, color) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def photo(seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (1600, 1200), (20 + seed * 7 % 200, 110, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def seed(participants: int, days: int):
    import sqlalchemy as sa

    from bench._setup import module_sessions, open_event, person, register_people
    from bimtek.attendance.models import Attendance
    from bimtek.extensions import db
    from bimtek.participants.models import Participant
    from bimtek.spj import dokumentasi, honor, kontribusi, letterhead, letters, money

    start = date.today() + timedelta(days=30)  # an open event: its money tables take changes
    event = open_event(
        "SPJ24",
        participants,
        start=start,
        end_date=start + timedelta(days=days - 1),
        title="Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024",
    )
    module = module_sessions(event, days=days, hours=(8, 13), minutes=180)
    rows = [
        person(
            n,
            full_name=f"Peserta Bimtek {n:03d}, S.Sos",
            institution=f"Instansi {n % 17:02d} Kutai Timur",
            institution_category="pemda",
            job_title="Staf",
            consent=True,
        )
        for n in range(1, participants + 1)
    ]
    register_people(event, rows)
    db.session.commit()
    rng = random.Random(21)
    people = list(
        db.session.scalars(sa.select(Participant.id).where(Participant.event_id == event.id))
    )
    rows = [
        {
            "session_id": session.id,
            "participant_id": participant_id,
            "status": "hadir",
            "checked_in_at": session.starts_at + timedelta(minutes=2),
            "source": "desk",
            "note": "",
            "created_at": session.starts_at,
        }
        for session in event.sessions
        for participant_id in people
        if rng.random() < 0.9
    ]
    db.session.execute(sa.insert(Attendance), rows)
    letterhead.update_letterhead(
        event,
        {
            "authority": "Pemerintah Kabupaten Kutai Timur",
            "name": "Badan Kesatuan Bangsa dan Politik",
            "address": "Jl. Soekarno Hatta, Sangatta",
            "contacts": "Telp. (0549) 21000",
        },
    )
    letterhead.set_logo(event, png((400, 400), (200, 30, 30, 255)))
    letterhead.save_signature_block(event, {"office": "Bendahara", "name": "Siti Aminah"})
    letterhead.save_signature_block(
        event,
        {
            "heading": "Mengetahui,",
            "on_behalf_of": "Bupati Kutai Timur",
            "office": "Kepala Badan",
            "name": "Drs. H. Contoh, M.Si",
            "nip": "196801011990031005",
        },
        stamp=png((300, 300), (30, 30, 150, 110)),
    )
    money.update_rates(event, {"rate-transport-": "150.000", "rate-saku-": "100.000"})
    for index, session in enumerate(event.sessions):
        honor.save_honor(
            event,
            {
                "name": f"Narasumber {index + 1}",
                "jp": "4",
                "rate_per_jp": "900.000",
                "is_asn": "1" if index % 2 else "",
                "golongan": "IV" if index % 2 else "",
                "module_id": str(module.id),
            },
        )
        dokumentasi.add_photo(event, session, photo(index), f"Suasana {session.title}")
    kontribusi.update_fee_settings(
        event, {"fee_per_participant": "2.500.000", "number_format": "{seq:03d}/TG/{code}"}
    )
    for agency in kontribusi.agencies(event):
        invoice = kontribusi.issue_invoice(event, agency.institution)
        kontribusi.record_payment(
            invoice, event, {"paid_on": invoice.issued_on.isoformat(), "payment_method": "transfer"}
        )
    letters.number_all_invitations(event)
    db.session.commit()
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from pypdf import PdfReader

    from bench._setup import bench_app, fresh_database, workdir
    from bimtek.extensions import db

    folder = workdir("spj")
    database_url = fresh_database("sqlite", "bench", folder=folder)
    app = bench_app(database_url, instance=folder / "instance", TESTING=True)
    with app.app_context():
        import logging

        logging.disable(logging.INFO)
        from bimtek.spj import bundle

        started = time.perf_counter()
        event = seed(args.participants, args.days)
        print(
            f"seeded {args.participants} participants, {args.days} days, "
            f"{len(event.sessions)} sessions in {time.perf_counter() - started:.1f} s"
        )
        walls, cpus, out = [], [], {}
        for _run in range(args.runs):
            db.session.expire_all()
            wall, cpu = time.perf_counter(), time.process_time()
            out["pdf"] = bundle.build_bundle_pdf(event)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        pages = len(PdfReader(io.BytesIO(out["pdf"])).pages)
        print(
            f"SPJ bundle PDF: {args.participants} participants, {args.days} days: {pages} pages, "
            f"{len(out['pdf']) / 1024:.0f} KiB, median {statistics.median(walls):.2f} s wall, "
            f"{statistics.median(cpus):.2f} s CPU (runs: {', '.join(f'{w:.2f}' for w in walls)})"
        )
        walls = []
        for _run in range(args.runs):
            db.session.expire_all()
            wall = time.perf_counter()
            out["xlsx"] = bundle.money_workbook(event)
            walls.append(time.perf_counter() - wall)
        print(
            f"money workbook: {len(out['xlsx']) / 1024:.0f} KiB, "
            f"median {statistics.median(walls):.2f} s wall"
        )


if __name__ == "__main__":
    main()
