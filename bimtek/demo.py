"""The demo: the two batches of the Kutai Timur Bimtek on conflict mitigation for Pilkada 2024.

Both follow the news reports in shared/seeds. Angkatan I (``KUTIM24``) was held at Hotel
Harris, Samarinda, 28–31 October 2024: it is finished, with attendance, tests and
certificates. Angkatan II (``KUTIM24B``) was opened by the Pjs Bupati at the Bupati's office
in Sangatta (6 November 2024); in the demo it is scheduled a few weeks after the day
``seed-demo`` runs and open for registration, so the public pages have something to show.
Each batch has a manager and a panitia account. Participants are fictional, with
well-formed NIKs.
"""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from bimtek.assessments.demo import load_demo_questions, simulate_demo_attempts
from bimtek.attendance.checkin import check_in, mark_excused
from bimtek.auth.models import User
from bimtek.auth.services import create_user
from bimtek.certificates.configuration import save_signatory
from bimtek.certificates.rules import PLACEHOLDER_SIGNATORY_NAME
from bimtek.core.timeutil import local_to_utc
from bimtek.events.models import Event
from bimtek.events.services import create_event, save_module, save_session
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.participants.registration import RegistrationTerms, register
from bimtek.spj import honor, kontribusi, letterhead, letters, money
from bimtek.staff.assignments import assign_staff

DEMO_CODE = "KUTIM24"
SECOND_CODE = "KUTIM24B"
#: Angkatan II starts this many days after the day seed-demo first runs (then a Wednesday,
#: the weekday it opened in 2024)
SECOND_BATCH_LEAD_DAYS = 21

DEMO_EVENT = {
    "code": DEMO_CODE,
    "title": "Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024",
    "description": (
        "Bimbingan Teknis bagi unsur KPU, Bawaslu, TNI, Polri, perangkat daerah, kecamatan/desa "
        "dan tokoh masyarakat Kabupaten Kutai Timur: mitigasi dan resolusi konflik, pemetaan "
        "intelijen keamanan wilayah rawan konflik, kebijakan tahapan Pilkada, komunikasi "
        "efektif dan komunikasi krisis, serta simulasi penanganan gangguan keamanan."
    ),
    "organizer": "Pemerintah Kabupaten Kutai Timur",
    "provider": "Smart Academy",
    "venue": "Hotel Harris Samarinda",
    "city": "Samarinda",
    "start_date": "2024-10-28",
    "end_date": "2024-10-31",
    "timezone": "Asia/Makassar",
    "capacity": 400,
    "minutes_per_jp": 45,
    "late_grace_minutes": 15,
}

DEMO_MODULES = [
    (
        "M1",
        "Mitigasi dan Resolusi Konflik Sosial",
        8,
        "Kerangka UU No. 7 Tahun 2012 tentang Penanganan Konflik Sosial: pencegahan, penghentian "
        "dan pemulihan pascakonflik; deteksi dini dan resolusi konflik.",
        "Badan Kesatuan Bangsa dan Politik Kab. Kutai Timur\nTim Fasilitator Smart Academy",
    ),
    (
        "M2",
        "Pemetaan Intelijen Keamanan Wilayah Rawan Konflik",
        6,
        "Indeks kerawanan, pemetaan daerah dengan sejarah konflik sosial dan persaingan politik "
        "yang tajam, dan koordinasi deteksi dini antarlembaga.",
        "Polres Kutai Timur\nKodim Kutai Timur",
    ),
    (
        "M3",
        "Kebijakan Tahapan Pilkada Serentak 2024",
        6,
        "UU No. 10 Tahun 2016, tahapan Pilkada 2024 sampai pemungutan suara 27 November 2024, "
        "serta peran pengawasan dan penanganan pelanggaran.",
        "KPU Kabupaten Kutai Timur\nBawaslu Kabupaten Kutai Timur",
    ),
    (
        "M4",
        "Komunikasi Efektif dan Komunikasi Krisis",
        6,
        "Komunikasi publik, penanganan hoaks dan ujaran kebencian, juru bicara saat krisis.",
        "Dinas Komunikasi dan Informatika Kab. Kutai Timur",
    ),
    (
        "M5",
        "Simulasi Penanganan Gangguan Keamanan",
        6,
        "Simulasi terpadu penanganan gangguan keamanan di TPS dan saat rekapitulasi, dengan "
        "penggunaan kekuatan yang proporsional.",
        "Polres Kutai Timur\nTim Fasilitator Smart Academy",
    ),
]

SLOTS = [
    (time(9, 0), time(10, 30)),
    (time(10, 45), time(12, 15)),
    (time(13, 30), time(15, 0)),
    (time(15, 15), time(16, 45)),
]
#: module code per slot, day by day (16 sessions of 2 JP = 32 JP)
DEMO_PLAN = [
    ["M1", "M1", "M1", "M1"],
    ["M2", "M2", "M2", "M3"],
    ["M3", "M3", "M4", "M4"],
    ["M4", "M5", "M5", "M5"],
]

FIRST_NAMES_L = [
    "Agus",
    "Budi",
    "Rizal",
    "Hendra",
    "Yusuf",
    "Ahmad",
    "Muhammad",
    "Arief",
    "Dedi",
    "Syahrul",
    "Andi",
    "Imam",
    "Fajar",
    "Joko",
    "Rahmat",
    "Samsul",
]
FIRST_NAMES_P = [
    "Siti",
    "Nur",
    "Dewi",
    "Rina",
    "Wulan",
    "Fitri",
    "Sri",
    "Lestari",
    "Ayu",
    "Putri",
    "Indah",
    "Maya",
    "Ratna",
    "Yuliana",
    "Nurul",
    "Hasanah",
]
LAST_NAMES = [
    "Saputra",
    "Hidayat",
    "Pratama",
    "Wijaya",
    "Rahman",
    "Setiawan",
    "Nugroho",
    "Kurniawan",
    "Lestari",
    "Sari",
    "Maulana",
    "Syahputra",
    "Ramadhan",
    "Gunawan",
    "Hakim",
    "Anwar",
    "Daeng Matteru",
    "Siregar",
    "Lumbantobing",
    "Tambunan",
]
INSTITUTIONS = [
    ("kpu", "KPU Kabupaten Kutai Timur", "Anggota PPK"),
    ("bawaslu", "Bawaslu Kabupaten Kutai Timur", "Panwaslu Kecamatan"),
    ("tni", "Kodim Kutai Timur", "Babinsa"),
    ("polri", "Polres Kutai Timur", "Bhabinkamtibmas"),
    ("pemda", "Badan Kesbangpol Kab. Kutai Timur", "Analis Kebijakan"),
    ("pemda", "Sekretariat Daerah Kab. Kutai Timur", "Kepala Subbagian"),
    ("kecamatan_desa", "Kecamatan Sangatta Utara", "Kepala Seksi Trantib"),
    ("kecamatan_desa", "Desa Sangatta Selatan", "Kepala Desa"),
    ("tokoh_masyarakat", "Forum Kerukunan Umat Beragama", "Anggota"),
    ("tokoh_masyarakat", "Lembaga Adat Kutai", "Tokoh Adat"),
    ("lainnya", "Karang Taruna Kab. Kutai Timur", "Pengurus"),
]
DISTRICTS = [
    "Sangatta Utara",
    "Sangatta Selatan",
    "Bengalon",
    "Muara Wahau",
    "Kaliorang",
    "Sangkulirang",
    "Rantau Pulung",
    "Teluk Pandan",
    "Kongbeng",
    "Muara Ancalong",
]


def demo_nik(rng: random.Random, gender: str, serial: int) -> str:
    """A well-formed NIK of Kutai Timur (64.08), with the +40 day for women."""
    born = date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
    day = born.day + (40 if gender == "P" else 0)
    district = rng.randint(1, 18)
    return f"6408{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def demo_people(count: int, seed: int = 2024):
    rng = random.Random(seed)
    for index in range(count):
        gender = "P" if rng.random() < 0.35 else "L"
        first = rng.choice(FIRST_NAMES_P if gender == "P" else FIRST_NAMES_L)
        name = f"{first} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.15:
            name = f"{name}, S.Sos"
        elif rng.random() < 0.08:
            name = f"Drs. {name}, M.Si"
        category, institution, job = rng.choice(INSTITUTIONS)
        yield {
            "full_name": name,
            "nik": demo_nik(rng, gender, index + 1),
            "gender": gender,
            "institution": institution,
            "institution_category": category,
            "job_title": job,
            "phone": f"08{rng.randint(11, 13)}{rng.randint(10_000_000, 99_999_999)}",
            "district": rng.choice(DISTRICTS),
        }


def load_demo(participant_count: int = 60) -> tuple[Event, bool]:
    """Create the demo event unless it exists. Returns (event, created)."""
    event = db.session.scalar(sa.select(Event).where(Event.code == DEMO_CODE))
    if event is not None:
        _load_demo_assessments(event)
        return event, False
    event = create_event(DEMO_EVENT, channel="cli")
    _load_curriculum(
        event,
        DEMO_MODULES,
        DEMO_PLAN,
        start=event.start_date,
        room="Ballroom",
        opening="Pembukaan dan Pre-test",
    )
    for person in demo_people(participant_count):
        register(event, person, RegistrationTerms(channel="cli", enforce_window=False))
    _load_demo_attendance(event)
    _load_demo_assessments(event)
    _load_demo_signatory(event)
    _load_demo_spj(event)
    return event, True


def _load_demo_signatory(event: Event) -> None:
    """A placeholder signatory, shown on the sample certificate; issuing is refused until the
    organizer replaces it (name, title, NIP and signature image) under Sertifikat →
    Pengaturan & desain."""

    save_signatory(
        event,
        {
            "name": PLACEHOLDER_SIGNATORY_NAME,
            "title": "Sekretaris Daerah Kabupaten Kutai Timur",
            "nip": "",
        },
        channel="cli",
    )


def _load_demo_spj(event: Event) -> None:
    """The SPJ's settings as the organizer entered them on the first day, before the batch
    closed: the kop of Badan Kesbangpol, two signers, the rates, the honor of each speaker,
    the kontribusi with the first agencies' tagihan paid, and the undangan numbered; the
    organizer adds the logo and stamp, then asks for the SPJ under SPJ."""
    first_day = local_to_utc(datetime.combine(event.start_date, time(8)), event.timezone)
    letterhead.update_letterhead(
        event,
        {
            "authority": "Pemerintah Kabupaten Kutai Timur",
            "name": "Badan Kesatuan Bangsa dan Politik",
            "address": "Kawasan Perkantoran Bukit Pelangi, Sangatta, Kutai Timur",
            "contacts": "kesbangpol.kutaitimurkab.go.id",
        },
        channel="cli",
    )
    letterhead.save_signature_block(
        event, {"office": "Bendahara Pengeluaran", "name": "Bendahara (contoh)"}, channel="cli"
    )
    letterhead.save_signature_block(
        event,
        {
            "heading": "Mengetahui,",
            "on_behalf_of": "Bupati Kutai Timur",
            "office": "Kepala Badan Kesbangpol",
            "name": "Kepala Badan (contoh)",
        },
        channel="cli",
    )
    money.update_rates(
        event,
        {"rate-transport-": "150.000", "rate-saku-": "100.000"},
        channel="cli",
        now=first_day,
    )
    for module in event.modules:
        for speaker in module.speaker_list:
            honor.save_honor(
                event,
                {
                    "name": speaker,
                    "module_id": str(module.id),
                    "jp": str(max(module.jp // len(module.speaker_list), 1)),
                    "rate_per_jp": "900.000",
                },
                channel="cli",
                now=first_day,
            )
    kontribusi.update_fee_settings(
        event,
        {"fee_per_participant": "2.500.000", "number_format": kontribusi.DEFAULT_FORMAT},
        channel="cli",
        now=first_day,
    )
    for agency in kontribusi.agencies(event)[:3]:
        invoice = kontribusi.issue_invoice(
            event, agency.institution, channel="cli", today=event.start_date, now=first_day
        )
        kontribusi.record_payment(
            invoice,
            event,
            {"paid_on": event.start_date.isoformat(), "payment_method": "transfer"},
            channel="cli",
        )
    letters.number_all_invitations(event, channel="cli")


def _load_demo_attendance(event: Event, seed: int = 28) -> None:
    """Simulated check-ins for the past demo batch: most on time, some late, a few izin or
    sakit, and a handful of people who missed whole days (so eligibility has reasons)."""

    rng = random.Random(seed)
    people = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.registration_number)
    ).all()
    missed_days = {person.id: rng.sample(range(4), 2) for person in people if rng.random() < 0.1}
    for session in event.sessions:
        day_index = (session.local_day - event.start_date).days
        for person in people:
            if day_index in missed_days.get(person.id, ()):
                continue
            roll = rng.random()
            if roll < 0.86:
                moment = session.starts_at + timedelta(minutes=rng.randint(-12, 12))
            elif roll < 0.93:
                moment = session.starts_at + timedelta(minutes=rng.randint(16, 45))
            elif roll < 0.96:
                mark_excused(
                    session,
                    person,
                    "izin",
                    "Surat tugas dari instansi",
                    actor=None,
                    channel="manual",
                    now=session.starts_at,
                )
                continue
            elif roll < 0.98:
                mark_excused(
                    session,
                    person,
                    "sakit",
                    "Surat keterangan dokter",
                    actor=None,
                    channel="manual",
                    now=session.starts_at,
                )
                continue
            else:
                continue
            check_in(session, person, actor=None, scanned_at=moment, now=moment, channel="manual")


def _load_demo_assessments(event: Event) -> None:
    """The demo question bank, pre/post tests and simulated results (assessments domain)."""

    load_demo_questions(event)
    simulate_demo_attempts(event)


SECOND_EVENT = {
    "code": SECOND_CODE,
    "title": "Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024 "
    "(Angkatan II)",
    "description": (
        "Angkatan kedua Bimbingan Teknis bagi KPU, Bawaslu, aparat keamanan, pemerintah "
        "daerah dan tokoh masyarakat Kabupaten Kutai Timur, dibuka oleh Pjs Bupati Kutai Timur "
        "di Kantor Bupati: pemetaan wilayah dengan sejarah konflik sosial dan persaingan "
        "politik yang tajam, koordinasi deteksi dini dan respons cepat antarlembaga, "
        "komunikasi krisis dan penggunaan kekuatan yang proporsional, serta penegakan hukum "
        "yang adil terhadap provokasi, hoaks dan kekerasan politik."
    ),
    "organizer": "Pemerintah Kabupaten Kutai Timur",
    "provider": "Smart Academy",
    "venue": "Kantor Bupati Kutai Timur",
    "city": "Sangatta",
    "timezone": "Asia/Makassar",
    "capacity": 400,
    "minutes_per_jp": 45,
    "late_grace_minutes": 15,
}

SECOND_MODULES = [
    (
        "M1",
        "Mitigasi dan Resolusi Konflik Sosial",
        6,
        "Pencegahan, penghentian dan pemulihan pascakonflik (UU No. 7 Tahun 2012); "
        "prioritas daerah dengan sejarah konflik sosial.",
        "Badan Kesatuan Bangsa dan Politik Kab. Kutai Timur",
    ),
    (
        "M2",
        "Pemetaan Intelijen Keamanan dan Deteksi Dini",
        6,
        "Pemetaan wilayah rawan, tanda-tanda awal konflik, dan sinergi KPU, Bawaslu, aparat "
        "keamanan, pemerintah daerah dan tokoh masyarakat untuk respons cepat.",
        "Polres Kutai Timur\nKodim Kutai Timur",
    ),
    (
        "M3",
        "Kebijakan Tahapan Pilkada Serentak 2024",
        4,
        "Tahapan menjelang pemungutan suara dan rekapitulasi; pengawasan dan penanganan "
        "pelanggaran.",
        "KPU Kabupaten Kutai Timur\nBawaslu Kabupaten Kutai Timur",
    ),
    (
        "M4",
        "Komunikasi Krisis dan Penggunaan Kekuatan yang Proporsional",
        4,
        "Mengelola massa tanpa memicu konflik baru: komunikasi krisis dan kekuatan yang "
        "proporsional.",
        "Polres Kutai Timur\nTim Fasilitator Smart Academy",
    ),
    (
        "M5",
        "Penegakan Hukum terhadap Provokasi, Hoaks dan Kekerasan Politik",
        4,
        "Tindakan hukum yang cepat dan adil untuk menjaga integritas dan keamanan pemilihan.",
        "Kejaksaan Negeri Kutai Timur\nBawaslu Kabupaten Kutai Timur",
    ),
]

#: module code per slot, day by day (12 sessions of 2 JP = 24 JP)
SECOND_PLAN = [
    ["M1", "M1", "M1", "M2"],
    ["M2", "M2", "M3", "M3"],
    ["M4", "M4", "M5", "M5"],
]


def second_batch_dates(today: date) -> tuple[date, date]:
    """A Wednesday at least ``SECOND_BATCH_LEAD_DAYS`` ahead, and the Friday after it."""
    start = today + timedelta(days=SECOND_BATCH_LEAD_DAYS)
    start += timedelta(days=(2 - start.weekday()) % 7)
    return start, start + timedelta(days=len(SECOND_PLAN) - 1)


def load_second_batch(today: date | None = None) -> tuple[Event, bool]:
    """Angkatan II, open for registration until the day before it starts. (event, created)"""
    event = db.session.scalar(sa.select(Event).where(Event.code == SECOND_CODE))
    if event is not None:
        return event, False
    start, end = second_batch_dates(today or date.today())
    event = create_event(
        {
            **SECOND_EVENT,
            "start_date": start,
            "end_date": end,
            # a wall-clock time at the venue (WITA): the evening before the opening
            "registration_closes_at": datetime.combine(start - timedelta(days=1), time(23, 59)),
        },
        channel="cli",
    )
    _load_curriculum(
        event,
        SECOND_MODULES,
        SECOND_PLAN,
        start=start,
        room="Ruang Meranti, Kantor Bupati",
        opening="Pembukaan oleh Pjs Bupati dan Pre-test",
    )
    return event, True


def _load_curriculum(event, modules_spec, plan, *, start, room: str, opening: str) -> None:
    """A batch's modules, and per day its sessions in SLOTS, with the opening (and pre-test)
    on the first morning and the post-test and closing on the last afternoon."""
    modules = {}
    for position, (code, title, jp, description, speakers) in enumerate(modules_spec, 1):
        modules[code] = save_module(
            event,
            {
                "code": code,
                "title": title,
                "jp": jp,
                "description": description,
                "speakers": speakers,
                "position": position,
            },
            channel="cli",
        )
    for day_index, day_plan in enumerate(plan):
        day = start + timedelta(days=day_index)
        if day_index == 0:
            _extra_session(event, opening, day, 8, room)
        for (slot_start, slot_end), code in zip(SLOTS, day_plan, strict=True):
            save_session(
                event,
                {
                    "module_id": modules[code].id,
                    "day": day,
                    "start_time": slot_start,
                    "end_time": slot_end,
                    "room": room,
                },
                channel="cli",
            )
        if day_index == len(plan) - 1:
            _extra_session(event, "Post-test dan Penutupan", day, 17, room)


def _extra_session(event: Event, title: str, day: date, hour: int, room: str) -> None:
    save_session(
        event,
        {
            "title": title,
            "day": day,
            "start_time": time(hour, 0),
            "end_time": time(hour + 1, 0),
            "room": room,
            "mandatory": True,
        },
        channel="cli",
    )


def demo_staff_email(right: str, code: str) -> str:
    return f"{right}.{code.lower()}@bimtek.local"


def load_demo_staff(events: list[Event]) -> list[tuple[str, Event, object, str | None]]:
    """A manager and a panitia account for each demo event.

    Returns (right, event, user, one-time password or None if the account existed): an
    existing account is left as it is (its password may have been changed since).
    """

    accounts = []
    for event in events:
        for right, label in (("manager", "Manajer"), ("panitia", "Panitia")):
            email = demo_staff_email(right, event.code)
            user = db.session.scalar(sa.select(User).where(User.email == email))
            password = None
            if user is None:
                user, password = create_user(
                    email, role="staff", full_name=f"{label} {event.code} (demo)", channel="cli"
                )
                assign_staff(event, user, right, channel="cli")
            accounts.append((right, event, user, password))
    return accounts
