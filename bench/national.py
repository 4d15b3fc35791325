"""A nation's scale: does the cost of a page grow with the event, or with the database?

    .venv/bin/python bench/national.py                  # 545 events × 400 participants
    .venv/bin/python bench/national.py --events 60      # a quicker run
    .venv/bin/python bench/national.py --events 2 --people 40 --repeat 1  # smallest

Pilkada 2024 ran in 545 regions at once. This builds two PostgreSQL databases in the same
run: ``bench_lone`` holding one event, and ``bench_national`` holding ``--events`` events of
the same shape (400 registered participants, 8 sessions over two days with attendance at
~95% of seats: ~1.7 million attendance rows for 545 events; pre and post tests taken in a
sample of events). The data is generated inside PostgreSQL (INSERT … SELECT over
generate_series), not through the services one by one. The measured event has the same
data in both databases.

Then, on each database, the same measures through the app in this process (Flask test
client, a logged-in administrator; the median of ``--repeat`` runs, the two databases
taking turns run by run so that the shared machine's load falls on both alike): the home page, the
event's participant list (a search, a category filter, the last page), its dashboard, its
results page, its full export, eligibility for certificates, issuing them (rolled back),
the public verify page and one API check-in (a new one each run). It prints a table of both
medians and their ratio (target: ≤ 2×), and EXPLAIN ANALYZE of the hot queries on the big
database.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import (  # noqa: E402
    PASSWORD,
    TEST_CLIENT,
    api_token,
    bench_app,
    demo_signer,
    fresh_database,
    staff_account,
    workdir,
)

PEOPLE = 400  # per event; --people
LATE = 30  # seats of the measured event not yet checked in at its last session
SESSIONS = 8
SAMPLE_EVERY = 25  # tests are taken in every 25th event (and in the measured one)
CATEGORIES = ("kpu", "bawaslu", "tni", "polri", "pemda", "kecamatan_desa", "tokoh_masyarakat")

GENERATE = [
    # events: code EV0001…, two days, 400 seats
    """
    INSERT INTO events (code, title, description, organizer, provider, venue, city,
        start_date, end_date, timezone, capacity, published, minutes_per_jp,
        late_grace_minutes, registration_seq, created_at)
    SELECT 'EV' || lpad(g::text, 4, '0'), 'Bimtek Pilkada wilayah ' || g, '',
        'Pemerintah Daerah ' || g, 'Smart Academy', 'Aula ' || g, 'Kota ' || g,
        DATE '2024-10-28', DATE '2024-10-29', 'Asia/Makassar', :people, true, 45, 15,
        :people, now()
    FROM generate_series(1, :events) g
    """,
    """
    INSERT INTO modules (event_id, code, title, description, jp, speakers, position)
    SELECT e.id, 'M' || m, 'Materi ' || m, '', 4, 'Narasumber ' || m, m
    FROM events e CROSS JOIN generate_series(1, 4) m
    """,
    # 8 sessions: 4 a day at 08:00, 10:00, 13:00, 15:00 WITA (UTC+8)
    """
    INSERT INTO event_sessions (event_id, module_id, title, starts_at, ends_at, room, mandatory)
    SELECT e.id, m.id, 'Sesi ' || s, t.start_at, t.start_at + interval '90 minutes',
        'Aula', true
    FROM events e
    CROSS JOIN generate_series(1, :sessions) s
    CROSS JOIN LATERAL (SELECT TIMESTAMP '2024-10-28 00:00'
        + ((s - 1) / 4) * interval '1 day'
        + (ARRAY[0, 2, 5, 7])[((s - 1) % 4) + 1] * interval '1 hour' AS start_at) t
    JOIN modules m ON m.event_id = e.id AND m.position = ((s - 1) / 2) + 1
    """,
    """
    INSERT INTO participants (event_id, registration_number, ticket_code, status, full_name,
        nik, nip, gender, institution, institution_category, job_title, phone, email,
        district, created_at, cancel_reason)
    SELECT e.id, n, upper(md5(e.id || '-' || n)), 'registered', 'Peserta ' || e.id || '-' || n,
        lpad((e.id * 1000 + n)::text, 16, '6'), NULL, CASE WHEN n % 3 = 0 THEN 'P' ELSE 'L' END,
        'Instansi ' || (n % 40), (ARRAY['kpu','bawaslu','tni','polri','pemda',
        'kecamatan_desa','tokoh_masyarakat'])[(n % 7) + 1], 'Staf',
        '+62812' || lpad((e.id * 1000 + n)::text, 8, '0'), NULL, 'Kecamatan ' || (n % 18),
        now() - (n || ' minutes')::interval, ''
    FROM events e CROSS JOIN generate_series(1, :people) n
    """,
    # ~95% of seats per session: hadir, a tenth of them terlambat
    """
    INSERT INTO attendances (session_id, participant_id, status, checked_in_at, note, source,
        created_at)
    SELECT s.id, p.id,
        CASE WHEN (p.registration_number + s.id) % 10 = 0 THEN 'terlambat' ELSE 'hadir' END,
        s.starts_at + ((p.registration_number % 20) || ' minutes')::interval, '', 'desk',
        s.starts_at
    FROM event_sessions s
    JOIN participants p ON p.event_id = s.event_id
    WHERE (p.registration_number * 7 + s.id) % 20 <> 0
    """,
    """
    INSERT INTO assessments (event_id, kind, duration_minutes, show_score_after, created_at)
    SELECT e.id, k, 30, false, now()
    FROM events e CROSS JOIN (VALUES ('pre'), ('post')) AS kinds(k)
    WHERE e.id % :sample = 1
    """,
    """
    INSERT INTO assessment_attempts (assessment_id, participant_id, started_at, deadline_at,
        submitted_at, closed_reason, score, correct_count, question_order, option_order)
    SELECT a.id, p.id, TIMESTAMP '2024-10-28 00:30', TIMESTAMP '2024-10-28 01:00',
        TIMESTAMP '2024-10-28 00:50', 'submitted',
        CASE WHEN a.kind = 'pre' THEN 30 + (p.registration_number * 7) % 50
             ELSE 50 + (p.registration_number * 11) % 50 END,
        0, '[]', '{}'
    FROM assessments a JOIN participants p ON p.event_id = a.event_id
    """,
]


def generate(url: str, events: int) -> dict:
    engine = sa.create_engine(url)
    params = {"events": events, "people": PEOPLE, "sessions": SESSIONS, "sample": SAMPLE_EVERY}
    started = time.perf_counter()
    with engine.begin() as connection:
        for statement in GENERATE:
            connection.execute(sa.text(statement), params)
    # what autovacuum does on a live server: statistics and the visibility map (so that
    # counts over an index need not read the table)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))
    with engine.connect() as connection:
        counts = {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in ("events", "participants", "attendances", "assessment_attempts")
        }
    engine.dispose()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def prepare(app, code: str):
    """Admin login, a signed certificate design and one issued certificate for verify."""
    from bimtek.certificates.configuration import ensure_settings, save_signatory
    from bimtek.certificates.issuing import issue
    from bimtek.events.models import Event
    from bimtek.extensions import db
    from bimtek.participants.models import Participant

    with app.app_context():
        admin = staff_account("admin@bench.local")
        event = db.session.scalar(sa.select(Event).where(Event.code == code))
        settings = ensure_settings(event)
        settings.post_test_required = False
        save_signatory(event, {"name": "Pejabat", "title": "Sekda", "nip": ""})
        first = db.session.scalar(
            sa.select(Participant).where(
                Participant.event_id == event.id, Participant.registration_number == 1
            )
        )
        certificate = issue(first, actor=admin)
        plain = api_token(admin)
        last_session = event.sessions[-1].id
        # the last LATE seats have not checked in at the last session yet: each measured
        # check-in is a new one
        db.session.execute(
            sa.text(
                "DELETE FROM attendances WHERE session_id = :s AND participant_id IN "
                "(SELECT id FROM participants WHERE event_id = :e AND registration_number > :n)"
            ),
            {"s": last_session, "e": event.id, "n": PEOPLE - LATE},
        )
        db.session.commit()
        return certificate.verification_code, plain, last_session


class Statements:
    """The slowest SQL statements run while measuring, per measure (--profile)."""

    def __init__(self, engine):
        self.current, self.slowest = None, {}
        sa.event.listen(engine, "before_cursor_execute", self.before)
        sa.event.listen(engine, "after_cursor_execute", self.after)

    def before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany):
        if self.current is None:
            return
        took = (time.perf_counter() - conn.info.pop("started", time.perf_counter())) * 1000
        entry = self.slowest.setdefault(self.current, {})
        key = " ".join(statement.split())[:160]
        count, total = entry.get(key, (0, 0.0))
        entry[key] = (count + 1, total + took)


PROFILE: Statements | None = None


def interleaved(plans: dict, repeat: int) -> dict:
    """Median ms per measure and side. The sides take turns run by run, so that a busy
    moment of the (shared) machine falls on both and their ratio stays fair."""
    figures = {side: {} for side in plans}
    sides = list(plans)
    for index, (name, _function, times) in enumerate(plans[sides[0]]):
        runs = {side: [] for side in sides}
        for side in sides:
            plans[side][index][1]()  # warm-up (caches, first query plans)
        for _ in range(times):
            for side in sides:
                function = plans[side][index][1]
                if PROFILE is not None and side == "national":
                    PROFILE.current = name
                started = time.perf_counter()
                function()
                runs[side].append(time.perf_counter() - started)
                if PROFILE is not None:
                    PROFILE.current = None
        for side in sides:
            figures[side][name] = statistics.median(runs[side]) * 1000
    return figures


def measures(app, code: str, repeat: int) -> list:
    from bimtek.certificates.issuing import issue_all
    from bimtek.certificates.rules import eligibility
    from bimtek.events.models import Event
    from bimtek.extensions import db
    from bimtek.participants.models import Participant

    verify_code, token, session_id = prepare(app, code)
    client = app.test_client()
    client.post("/masuk", data={"identifier": "admin@bench.local", "password": PASSWORD})
    base = f"/admin/kegiatan/{code}"

    def get(url, status=200):
        def run():
            response = client.get(url)
            assert response.status_code == status, (url, response.status_code)

        return run

    def in_app(work):
        def run():
            with app.app_context():
                event = db.session.scalar(sa.select(Event).where(Event.code == code))
                work(event)
                db.session.rollback()

        return run

    with app.app_context():
        tickets = list(
            db.session.scalars(
                sa.select(Participant.ticket_code)
                .where(
                    Participant.registration_number > PEOPLE - LATE,
                    Participant.event_id
                    == sa.select(Event.id).where(Event.code == code).scalar_subquery(),
                )
                .order_by(Participant.registration_number)
            )
        )

    desk = app.test_client()  # a desk phone: its bearer token only, no admin's cookie

    def checkin():
        ticket = tickets.pop()
        response = desk.post(
            f"/api/v1/sessions/{session_id}/checkins",
            json={"code": ticket},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.get_data(as_text=True)

    last_page = -(-PEOPLE // app.config["PARTICIPANTS_PER_PAGE"])
    fewer = max(min(3, repeat), repeat // 3)  # the slow measures
    plan = [
        ("home page", get("/"), repeat),
        ("participants: search", get(base + "/peserta?q=Peserta+7"), repeat),
        ("participants: category", get(base + "/peserta?kategori=polri"), repeat),
        ("participants: last page", get(f"{base}/peserta?hal={last_page}"), repeat),
        ("dashboard", get(base + "/ringkasan"), repeat),
        ("results page", get(base + "/tes/hasil"), repeat),
        ("full export (xlsx)", get(base + "/ekspor/semua.xlsx"), fewer),
        ("eligibility", in_app(eligibility), repeat),
        ("issue all (rolled back)", in_app(lambda event: issue_all(event)), fewer),
        ("verify (public)", get(f"/verify/{verify_code}"), repeat),
        ("check-in (API)", checkin, repeat),
    ]
    return plan


EXPLAINED = {
    "participant list, search": """
        SELECT * FROM participants WHERE event_id = :event AND status <> 'x'
        AND lower(full_name) LIKE '%peserta 7%' ORDER BY registration_number LIMIT 50""",
    "attendance of one event (recap, eligibility)": """
        SELECT a.participant_id, a.session_id, a.status FROM attendances a
        JOIN participants p ON p.id = a.participant_id
        WHERE p.event_id = :event AND p.status = 'registered'
        AND a.session_id IN (SELECT id FROM event_sessions WHERE event_id = :event)""",
    "closed attempts of one test": """
        SELECT * FROM assessment_attempts WHERE assessment_id = :assessment
        AND submitted_at IS NOT NULL""",
}


def explain(url: str, code: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        event = connection.scalar(sa.text("SELECT id FROM events WHERE code = :c"), {"c": code})
        assessment = connection.scalar(
            sa.text("SELECT id FROM assessments WHERE event_id = :e AND kind = 'post'"),
            {"e": event},
        )
        for name, query in EXPLAINED.items():
            plan = connection.execute(
                sa.text("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + query),
                {"event": event, "assessment": assessment},
            ).scalars()
            print(f"\n-- {name}")
            for line in plan:
                print("   " + line)
    engine.dispose()


def main() -> None:
    global PROFILE, PEOPLE  # noqa: PLW0603  (the size every function above reads)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=545)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="slowest SQL per measure")
    parser.add_argument(
        "--prefix",
        default="bench",
        help="the databases are PREFIX_lone and PREFIX_national (dropped and made anew) on the "
        "server of BIMTEK_BENCH_POSTGRES",
    )
    parser.add_argument(
        "--people", type=int, default=PEOPLE, help=f"participants per event (over {LATE})"
    )
    args = parser.parse_args()
    if args.people <= LATE or not 1 <= args.repeat < LATE:  # a new check-in each run
        parser.error(f"--people must be over {LATE} and --repeat 1 to {LATE - 1}")
    PEOPLE = args.people

    signer = demo_signer(workdir("national"))
    plans, sizes, urls = {}, {}, {}
    for name, events in (("lone", 1), ("national", args.events)):
        url = urls[name] = fresh_database("postgres", f"{args.prefix}_{name}")
        app = bench_app(
            url,
            **TEST_CLIENT,
            CERT_SIGNING_PKCS12=signer,
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        )
        sizes[name] = generate(url, events)
        print(f"{name}: {sizes[name]}", flush=True)
        if args.profile and name == "national":
            with app.app_context():
                from bimtek.extensions import db

                PROFILE = Statements(db.engine)
        plans[name] = measures(app, "EV0001", args.repeat)
    figures = interleaved(plans, args.repeat)
    explain(urls["national"], "EV0001")
    if PROFILE is not None:
        for measure, statements in PROFILE.slowest.items():
            top = sorted(statements.items(), key=lambda kv: -kv[1][1])[:3]
            print(f"\n## {measure}: {sum(c for c, _ in statements.values())} statements")
            for statement, (count, total) in top:
                print(f"   {total:8.1f} ms  ×{count:<4} {statement}")

    print(f"\nmedian of {args.repeat} runs taken in turns, ms (one event of {PEOPLE} in both)")
    print(f"{'measure':28} {'lone':>9} {'national':>10} {'ratio':>7}")
    for key in figures["lone"]:
        lone, national = figures["lone"][key], figures["national"][key]
        print(f"{key:28} {lone:9.1f} {national:10.1f} {national / lone:7.2f}")


if __name__ == "__main__":
    main()
