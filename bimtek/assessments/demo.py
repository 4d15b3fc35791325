"""Demo question bank for the Kutai Timur Bimtek, its pre- and post-test, and simulated
attempts of the fictional demo participants so the results page has something to show.

Sources checked for each fact: UU No. 7 Tahun 2012 tentang Penanganan Konflik Sosial;
UU No. 17 Tahun 2011 tentang Intelijen Negara; UU No. 10 Tahun 2016 (perubahan kedua UU
No. 1 Tahun 2015 tentang Pemilihan Gubernur, Bupati, dan Wali Kota); PKPU No. 2 Tahun 2024
tentang Tahapan dan Jadwal Pemilihan 2024.
"""

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bimtek.assessments.bank import list_questions, save_question
from bimtek.assessments.models import Answer, Attempt, Question
from bimtek.assessments.settings import ensure_assessment
from bimtek.events.models import Event, Module
from bimtek.extensions import db
from bimtek.participants.models import Participant

#: (module code, question, options, index of the correct option, explanation)
DEMO_QUESTIONS = [
    # M1 — mitigasi dan resolusi konflik, UU No. 7 Tahun 2012
    (
        "M1",
        "Undang-Undang Nomor 7 Tahun 2012 mengatur tentang …",
        [
            "Penanganan Konflik Sosial",
            "Pemilihan Gubernur, Bupati, dan Wali Kota",
            "Intelijen Negara",
            "Organisasi Kemasyarakatan",
        ],
        0,
        "UU No. 7 Tahun 2012 adalah Undang-Undang tentang Penanganan Konflik Sosial.",
    ),
    (
        "M1",
        "Menurut UU No. 7 Tahun 2012, ruang lingkup Penanganan Konflik meliputi …",
        [
            "Pencegahan Konflik, Penghentian Konflik, dan Pemulihan Pascakonflik",
            "Deteksi dini, penindakan, dan penegakan hukum",
            "Mediasi, arbitrase, dan litigasi",
            "Sosialisasi, koordinasi, dan evaluasi",
        ],
        0,
        "Penanganan Konflik mencakup pencegahan konflik, penghentian konflik, dan pemulihan "
        "pascakonflik.",
    ),
    (
        "M1",
        "Manakah yang BUKAN upaya Pencegahan Konflik menurut UU No. 7 Tahun 2012?",
        [
            "Memelihara kondisi damai dalam masyarakat",
            "Membangun sistem peringatan dini",
            "Meredam potensi konflik",
            "Menetapkan Status Keadaan Konflik",
            "Mengembangkan sistem penyelesaian perselisihan secara damai",
        ],
        3,
        "Penetapan Status Keadaan Konflik termasuk Penghentian Konflik, bukan pencegahan.",
    ),
    (
        "M1",
        "Pemulihan Pascakonflik menurut UU No. 7 Tahun 2012 dilakukan melalui …",
        [
            "Rekonsiliasi, rehabilitasi, dan rekonstruksi",
            "Relokasi, reintegrasi, dan restitusi",
            "Mediasi, negosiasi, dan konsiliasi",
            "Evakuasi, isolasi, dan sterilisasi wilayah",
        ],
        0,
        "Pemulihan pascakonflik dilakukan melalui rekonsiliasi, rehabilitasi, dan rekonstruksi.",
    ),
    (
        "M1",
        "Siapa yang mengoordinasikan dan mengendalikan penghentian kekerasan fisik dalam "
        "konflik sosial menurut UU No. 7 Tahun 2012?",
        ["Polri", "TNI", "Satpol PP", "Bawaslu"],
        0,
        "Penghentian kekerasan fisik dikoordinasikan dan dikendalikan oleh Polri, dengan "
        "melibatkan tokoh masyarakat, tokoh agama, dan/atau tokoh adat.",
    ),
    (
        "M1",
        "Status Keadaan Konflik skala kabupaten/kota ditetapkan oleh …",
        [
            "Bupati/wali kota setelah berkonsultasi dengan pimpinan DPRD kabupaten/kota",
            "Kapolres atas persetujuan Kapolda",
            "Gubernur atas usul Komandan Kodim",
            "Menteri Dalam Negeri",
        ],
        0,
        "Skala kabupaten/kota: bupati/wali kota setelah berkonsultasi dengan pimpinan DPRD.",
    ),
    (
        "M1",
        "Status Keadaan Konflik ditetapkan apabila …",
        [
            "Konflik tidak dapat dikendalikan oleh Polri dan fungsi pemerintahan terganggu",
            "Terjadi unjuk rasa di depan kantor bupati",
            "Ada laporan pelanggaran kampanye",
            "Dua kelompok warga berselisih paham di media sosial",
        ],
        0,
        "UU No. 7 Tahun 2012: Status Keadaan Konflik ditetapkan bila konflik tidak dapat "
        "dikendalikan Polri dan fungsi pemerintahan terganggu.",
    ),
    (
        "M1",
        "Berapa lama Status Keadaan Konflik berlaku paling lama sejak ditetapkan?",
        ["30 hari", "60 hari", "90 hari", "180 hari"],
        2,
        "Status Keadaan Konflik berlaku paling lama 90 (sembilan puluh) hari.",
    ),
    (
        "M1",
        "Menurut UU No. 7 Tahun 2012, konflik sosial dapat bersumber dari hal berikut, KECUALI …",
        [
            "Sengketa batas wilayah desa, kabupaten/kota, dan/atau provinsi",
            "Sengketa sumber daya alam antarmasyarakat atau dengan pelaku usaha",
            "Perseteruan antarsuku, antarumat beragama, atau antaretnis",
            "Perbedaan pilihan menu makan siang peserta rapat",
        ],
        3,
        "Sumber konflik menurut UU: politik, ekonomi, sosial budaya; perseteruan antarumat "
        "beragama/antarsuku/antaretnis; sengketa batas wilayah; sengketa dan distribusi "
        "sumber daya alam yang tidak seimbang.",
    ),
    (
        "M1",
        "Lembaga yang lahir dari nilai adat yang dihormati, diakui, dan ditaati masyarakat, "
        "dan dapat dilibatkan dalam penyelesaian konflik, disebut …",
        ["Pranata Adat", "Satuan Tugas", "Forum Koordinasi Pimpinan Daerah", "Lembaga Swadaya"],
        0,
        "UU No. 7 Tahun 2012 mendefinisikan Pranata Adat dan mengakui perannya dalam "
        "penyelesaian konflik.",
    ),
    (
        "M1",
        'Dalam analisis konflik, alat "bawang bombay" (onion) dipakai untuk membedakan lapisan …',
        [
            "Posisi, kepentingan, dan kebutuhan para pihak",
            "Sebab, inti masalah, dan akibat",
            "Pra-konflik, konfrontasi, dan krisis",
            "Pelaku, korban, dan saksi",
        ],
        0,
        "Analisis bawang: posisi (yang dinyatakan), kepentingan (yang diinginkan), kebutuhan "
        "(yang mendasar). Sebab–inti–akibat adalah pohon konflik.",
    ),
    # M2 — pemetaan intelijen keamanan wilayah rawan konflik
    (
        "M2",
        "Menurut UU No. 17 Tahun 2011 tentang Intelijen Negara, fungsi intelijen adalah …",
        [
            "Penyelidikan, pengamanan, dan penggalangan",
            "Penyidikan, penuntutan, dan peradilan",
            "Patroli, penjagaan, dan pengawalan",
            "Sosialisasi, edukasi, dan publikasi",
        ],
        0,
        "Intelijen Negara menyelenggarakan fungsi penyelidikan, pengamanan, dan penggalangan.",
    ),
    (
        "M2",
        "Tujuan utama pemetaan wilayah rawan konflik menjelang Pilkada adalah …",
        [
            "Mendeteksi dan mencegah dini potensi gangguan sebelum menjadi konflik terbuka",
            "Menentukan pemenang Pilkada lebih awal",
            "Membatasi hak pilih warga di daerah rawan",
            "Menggantikan tugas pengawasan Bawaslu",
        ],
        0,
        "Pemetaan kerawanan adalah alat deteksi dini dan cegah dini agar sumber daya "
        "pengamanan ditempatkan tepat waktu.",
    ),
    (
        "M2",
        "Lembaga yang menyusun Indeks Kerawanan Pemilu (IKP) untuk Pemilihan Serentak 2024 "
        "adalah …",
        ["Bawaslu", "KPU", "Badan Pusat Statistik", "Mahkamah Konstitusi"],
        0,
        "IKP disusun dan diluncurkan oleh Bawaslu sebagai dasar pencegahan dan pengawasan.",
    ),
    (
        "M2",
        "Di tingkat desa/kelurahan, anggota Polri yang menjadi pembina keamanan dan ketertiban "
        "masyarakat disebut …",
        ["Bhabinkamtibmas", "Babinsa", "Linmas", "Pantarlih"],
        0,
        "Bhabinkamtibmas (Polri); Babinsa adalah Bintara Pembina Desa dari TNI AD.",
    ),
    (
        "M2",
        "Babinsa yang turut memantau situasi wilayah desa berasal dari …",
        ["TNI Angkatan Darat", "Polri", "Satpol PP", "Badan Intelijen Negara"],
        0,
        "Babinsa (Bintara Pembina Desa) adalah aparat teritorial TNI AD di bawah Koramil.",
    ),
    (
        "M2",
        "Operasi kepolisian terpusat untuk pengamanan Pilkada Serentak 2024 bernama …",
        [
            "Operasi Mantap Praja",
            "Operasi Mantap Brata",
            "Operasi Ketupat",
            "Operasi Lilin",
        ],
        0,
        "Mantap Praja untuk Pilkada; Mantap Brata untuk Pemilu; Ketupat untuk Lebaran; Lilin "
        "untuk Natal dan Tahun Baru.",
    ),
    (
        "M2",
        "Urutan siklus intelijen yang tepat adalah …",
        [
            "Perencanaan – pengumpulan – pengolahan – penyajian/penggunaan",
            "Pengumpulan – perencanaan – penyajian – pengolahan",
            "Penyajian – pengolahan – pengumpulan – perencanaan",
            "Pengolahan – perencanaan – pengumpulan – penyajian",
        ],
        0,
        "Siklus intelijen dimulai dari perencanaan kebutuhan informasi, lalu pengumpulan, "
        "pengolahan (analisis), dan penyajian kepada pengguna.",
    ),
    (
        "M2",
        "Manakah indikator yang PALING relevan untuk menandai sebuah TPS sebagai rawan?",
        [
            "Riwayat kekerasan atau intimidasi pada pemilihan sebelumnya di lokasi itu",
            "Jumlah pohon di sekitar TPS",
            "Warna tenda TPS",
            "Jarak TPS ke kantor KPU provinsi",
        ],
        0,
        "Riwayat kekerasan/intimidasi, politik uang, netralitas aparat, dan akses logistik "
        "adalah indikator kerawanan TPS yang dipetakan Bawaslu.",
    ),
    (
        "M2",
        "Informasi intelijen tentang rencana pengerahan massa sebaiknya pertama-tama …",
        [
            "Diverifikasi dari lebih dari satu sumber lalu dilaporkan berjenjang kepada pimpinan",
            "Langsung disebarkan di grup media sosial warga",
            "Diabaikan karena belum terjadi",
            "Diserahkan kepada salah satu tim kampanye",
        ],
        0,
        "Informasi diuji (kredibilitas sumber dan kebenaran isi) sebelum dilaporkan untuk "
        "pengambilan keputusan; penyebaran terbuka dapat memicu kepanikan.",
    ),
    (
        "M2",
        "Forum di daerah yang mempertemukan kepala daerah, pimpinan DPRD, Kapolres, Dandim, "
        "dan Kajari untuk koordinasi keamanan disebut …",
        ["Forkopimda", "Gakkumdu", "FKUB", "DKPP"],
        0,
        "Forum Koordinasi Pimpinan di Daerah (Forkopimda). Gakkumdu menangani tindak pidana "
        "pemilihan; FKUB adalah forum kerukunan umat beragama; DKPP menangani etik "
        "penyelenggara.",
    ),
    (
        "M2",
        "Penyebaran hoaks dan ujaran kebencian bernuansa SARA menjelang pemungutan suara "
        "dalam pemetaan kerawanan dikategorikan sebagai …",
        [
            "Potensi pemicu konflik yang perlu dipantau dan ditangani cepat",
            "Kebebasan berekspresi yang tidak perlu dipantau",
            "Urusan pribadi pengguna media sosial",
            "Bagian resmi dari tahapan kampanye",
        ],
        0,
        "Hoaks dan ujaran kebencian SARA adalah pemicu konflik yang lazim dalam pemilihan.",
    ),
    # M3 — kebijakan tahapan Pilkada Serentak 2024, UU No. 10 Tahun 2016
    (
        "M3",
        "Pemungutan suara Pilkada Serentak 2024 dilaksanakan pada tanggal …",
        ["27 November 2024", "14 Februari 2024", "9 Desember 2024", "17 April 2024"],
        0,
        "PKPU No. 2 Tahun 2024: pemungutan suara 27 November 2024 (14 Februari 2024 adalah "
        "Pemilu; 9 Desember 2020 adalah Pilkada 2020).",
    ),
    (
        "M3",
        "Undang-undang yang menjadi dasar Pilkada Serentak 2024 dan mengamanatkan pemungutan "
        "suara serentak nasional pada November 2024 adalah …",
        [
            "UU No. 10 Tahun 2016",
            "UU No. 7 Tahun 2017",
            "UU No. 23 Tahun 2014",
            "UU No. 2 Tahun 2011",
        ],
        0,
        "UU No. 10 Tahun 2016 (Pasal 201 ayat (8)). UU 7/2017 mengatur Pemilu; UU 23/2014 "
        "Pemerintahan Daerah; UU 2/2011 Partai Politik.",
    ),
    (
        "M3",
        "Lembaga yang MENYELENGGARAKAN tahapan Pilkada di kabupaten adalah …",
        ["KPU Kabupaten", "Bawaslu Kabupaten", "Pemerintah Kabupaten", "DPRD Kabupaten"],
        0,
        "KPU kabupaten menyelenggarakan; Bawaslu mengawasi; pemerintah daerah mendukung.",
    ),
    (
        "M3",
        "Lembaga yang MENGAWASI penyelenggaraan Pilkada adalah …",
        ["Bawaslu", "KPU", "DKPP", "Kementerian Dalam Negeri"],
        0,
        "Bawaslu beserta jajarannya (Panwaslu Kecamatan, PKD, Pengawas TPS) mengawasi.",
    ),
    (
        "M3",
        "Masa kampanye Pilkada Serentak 2024 berlangsung pada …",
        [
            "25 September – 23 November 2024",
            "27 Agustus – 29 Agustus 2024",
            "28 November – 16 Desember 2024",
            "1 Januari – 27 November 2024",
        ],
        0,
        "PKPU No. 2 Tahun 2024: kampanye 25 September–23 November 2024, disusul masa tenang "
        "24–26 November 2024.",
    ),
    (
        "M3",
        "Pendaftaran pasangan calon kepala daerah Pilkada 2024 dibuka pada …",
        [
            "27–29 Agustus 2024",
            "25–27 September 2024",
            "1–3 November 2024",
            "14–16 Februari 2024",
        ],
        0,
        "Pendaftaran 27–29 Agustus 2024; penetapan pasangan calon 22 September 2024.",
    ),
    (
        "M3",
        "Petugas yang melaksanakan pemungutan dan penghitungan suara di TPS adalah …",
        ["KPPS", "PPK", "Panwaslu Kecamatan", "Pantarlih"],
        0,
        "KPPS (Kelompok Penyelenggara Pemungutan Suara) bertugas di TPS; PPK di kecamatan; "
        "Pantarlih memutakhirkan data pemilih.",
    ),
    (
        "M3",
        "Menurut UU No. 10 Tahun 2016, dalam kampanye pasangan calon DILARANG melibatkan …",
        [
            "Aparatur sipil negara, anggota Polri, dan anggota TNI",
            "Relawan yang terdaftar",
            "Partai politik pengusung",
            "Juru kampanye yang didaftarkan ke KPU",
        ],
        0,
        "Pasal 70 ayat (1): dilarang melibatkan pejabat BUMN/BUMD; ASN, anggota Polri dan TNI; "
        "serta kepala desa/lurah dan perangkatnya.",
    ),
    (
        "M3",
        "Menurut Pasal 187A UU No. 10 Tahun 2016, siapa yang dapat dipidana karena politik uang?",
        [
            "Pemberi dan penerima",
            "Hanya pemberi",
            "Hanya penerima",
            "Hanya pasangan calon",
        ],
        0,
        "Pasal 187A: pemberi diancam pidana penjara 36–72 bulan dan denda Rp200 juta–Rp1 "
        "miliar; penerima dipidana dengan pidana yang sama.",
    ),
    (
        "M3",
        "Sentra Penegakan Hukum Terpadu (Gakkumdu) dalam Pilkada terdiri atas unsur …",
        [
            "Bawaslu, Polri, dan Kejaksaan",
            "KPU, Bawaslu, dan DKPP",
            "TNI, Polri, dan Satpol PP",
            "KPU, Pemerintah Daerah, dan DPRD",
        ],
        0,
        "Gakkumdu menangani tindak pidana pemilihan: Bawaslu, Kepolisian, dan Kejaksaan.",
    ),
    (
        "M3",
        "Pilkada Serentak 2024 diselenggarakan di berapa daerah?",
        [
            "545 daerah (37 provinsi, 415 kabupaten, 93 kota)",
            "514 daerah (34 provinsi, 416 kabupaten, 64 kota)",
            "270 daerah",
            "101 daerah",
        ],
        0,
        "545 daerah: 37 provinsi (DI Yogyakarta tidak memilih gubernur), 415 kabupaten, "
        "93 kota. 270 daerah adalah Pilkada 2020; 101 daerah Pilkada 2017.",
    ),
    (
        "M3",
        "Pelanggaran kode etik oleh anggota KPU atau Bawaslu diperiksa dan diputus oleh …",
        ["DKPP", "Mahkamah Konstitusi", "Pengadilan Negeri", "Ombudsman"],
        0,
        "Dewan Kehormatan Penyelenggara Pemilu (DKPP) menangani pelanggaran etik penyelenggara.",
    ),
]

#: the demo pre/post settings: 30 minutes, every question, score shown after the post-test
DEMO_DURATION_MINUTES = 30


def load_demo_questions(event: Event) -> int:
    """Add the demo bank and the pre/post assessments to ``event``; safe to run again.

    Questions whose text is already in the bank are skipped; a module code the event does
    not have is skipped too. Returns the number of questions added.
    """
    modules = {
        m.code: m for m in db.session.scalars(sa.select(Module).where(Module.event_id == event.id))
    }
    existing = set(
        db.session.scalars(sa.select(Question.text).where(Question.event_id == event.id))
    )
    added = 0
    for number, (code, text, options, correct, explanation) in enumerate(DEMO_QUESTIONS):
        module = modules.get(code)
        if module is None or text in existing:
            continue
        # spread the key over A–E in the bank (attempts shuffle the options anyway)
        shift = number % len(options)
        options = options[len(options) - shift :] + options[: len(options) - shift]
        correct = (correct + shift) % len(options)
        data = {
            "module_id": module.id,
            "text": text,
            "explanation": explanation,
            "correct": str(correct + 1),
        }
        for index, option in enumerate(options, 1):
            data[f"option_{index}"] = option
        save_question(event, data, channel="cli")
        added += 1
    for kind in ("pre", "post"):
        assessment = ensure_assessment(event, kind)
        assessment.duration_minutes = DEMO_DURATION_MINUTES
        assessment.show_score_after = kind == "post"
        # the demo lets anyone try both tests at any time, not on the schedule's days
        assessment.opens_at = assessment.closes_at = None
        assessment.opens_before_pre_closes = kind == "post"
    db.session.flush()
    return added


def simulate_demo_attempts(event: Event, seed: int = 2024) -> int:
    """Closed pre- and post-test attempts for the demo participants, so the results page
    shows a realistic picture. Skipped when the event already has attempts. Returns how
    many attempts were made.
    """
    pre, post = ensure_assessment(event, "pre"), ensure_assessment(event, "post")
    if db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attempt)
        .where(Attempt.assessment_id.in_([pre.id, post.id]))
    ):
        return 0
    questions = list_questions(event)
    if not questions:
        return 0
    rng = random.Random(seed)
    participants = db.session.scalars(
        sa.select(Participant)
        .where(Participant.event_id == event.id, Participant.status == "registered")
        .order_by(Participant.registration_number)
    ).all()
    #: how hard each question is (higher = harder), and how much the training helps on it
    hardness = {q.id: rng.uniform(-1.0, 1.2) for q in questions}
    first_day = datetime.combine(event.start_date, datetime.min.time(), tzinfo=UTC)
    starts = {
        "pre": first_day + timedelta(hours=0, minutes=10),  # 08:10 WITA
        "post": first_day + timedelta(days=3, hours=9, minutes=5),  # 17:05 WITA, last day
    }
    made = 0
    for index, participant in enumerate(participants):
        ability = rng.gauss(0, 0.8)
        for kind, assessment in (("pre", pre), ("post", post)):
            if (kind == "pre" and index % 23 == 5) or (kind == "post" and index % 17 == 3):
                continue  # a few missed one of the tests
            learned = 0.0 if kind == "pre" else rng.uniform(0.6, 2.0)
            if kind == "post" and index % 29 == 7:
                learned = -1.5  # someone who did worse after the training: flagged
            started = starts[kind] + timedelta(minutes=rng.randint(0, 10))
            order = [q.id for q in questions]
            rng.shuffle(order)
            option_order = {}
            for question in questions:
                ids = [o.id for o in question.options]
                rng.shuffle(ids)
                option_order[str(question.id)] = ids
            attempt = Attempt(
                assessment_id=assessment.id,
                participant_id=participant.id,
                started_at=started,
                deadline_at=started + timedelta(minutes=assessment.duration_minutes),
                question_order=order,
                option_order=option_order,
            )
            db.session.add(attempt)
            db.session.flush()
            correct = 0
            for question in questions:
                if rng.random() < 0.03:
                    continue  # left blank
                logit = ability + learned - hardness[question.id]
                p_right = 0.2 + 0.8 / (1 + pow(2.718281828, -2 * logit))
                right = question.correct_option
                wrong = [o for o in question.options if not o.is_correct]
                if rng.random() < p_right:
                    option = right
                    correct += 1
                else:
                    # the first distractor is the tempting one; the last is rarely chosen
                    weights = [5, 3, 1, 0.2][: len(wrong)]
                    option = rng.choices(wrong, weights=weights)[0]
                db.session.add(
                    Answer(
                        attempt_id=attempt.id,
                        question_id=question.id,
                        option_id=option.id,
                        answered_at=started + timedelta(minutes=1 + rng.random() * 20),
                    )
                )
            attempt.correct_count = correct
            attempt.score = round(100 * correct / len(questions), 2)
            attempt.submitted_at = started + timedelta(minutes=rng.randint(12, 28))
            attempt.closed_reason = "submitted"
            made += 1
    db.session.flush()
    return made
