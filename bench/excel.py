"""Benchmark: participant import (400 rows) and the full export of a 400-participant event.

    .venv/bin/python bench/excel.py [--runs 5] [--participants 400]

Seeds a temporary SQLite database: one event of 400 participants with 8 sessions, check-ins
(about 90% present), pre/post-test scores and issued certificates. Builds a 400-row .xlsx
like the import template and times, as medians over several runs:

- validate + import: read the file, check every row (preview), then import the valid rows
  into a fresh event (commit included);
- full export: every sheet (participants, attendance recap, results, certificate register,
  evaluation) of the 400-participant event as one .xlsx, with XlsxWriter (what the app uses);
- the same export with the hand-written SpreadsheetML writer it replaced
  (``bench/_spreadsheetml.py``), in the same run, and both writers alone on the same sheets
  (the queries that build the sheets are the same for both).

Targets: import ≤ 1 s (issue 6); full export within 2× of the hand-written writer's
(issue 10: today's 0.16 s on an idle machine).
"""

import argparse
import io
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARTICIPANTS = 400
CATEGORIES = ["KPU", "Bawaslu", "TNI", "Polri", "Pemerintah Daerah", "Kecamatan/Desa"]


def participant_rows(count: int) -> list[list]:
    return [
        [
            f"Peserta Bimtek {n:03d}, S.Sos",
            f"640801170590{n:04d}",
            None,
            "L",
            f"Instansi {n % 17}",
            CATEGORIES[n % len(CATEGORIES)],
            "Staf",
            f"0812{n:08d}",
            f"peserta{n}@example.go.id" if n % 3 == 0 else None,
            "Sangatta Utara",
        ]
        for n in range(1, count + 1)
    ]


def build_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    from bimtek.participants.sheet import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(column.label) for column in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_event(code: str, capacity: int | None = None):
    from bench._setup import module_sessions, open_event

    start = date(2024, 10, 28)
    event = open_event(
        code,
        capacity or PARTICIPANTS,
        start=start,
        end_date=start + timedelta(days=1),
        title="Mitigasi dan Penanganan Konflik Sosial pada Penyelenggaraan Pilkada 2024",
        venue="Hotel Harris Samarinda",
    )
    module_sessions(event, days=2, hours=(8, 10, 13, 15), minutes=90)
    return event


def seed_activity(event) -> None:
    """Check-ins, test scores and certificates, inserted in bulk (this is seeding)."""
    import sqlalchemy as sa

    from bimtek.assessments.models import Attempt
    from bimtek.assessments.settings import ensure_assessment
    from bimtek.attendance.models import Attendance
    from bimtek.certificates.issuing import issue_all
    from bimtek.extensions import db
    from bimtek.participants.models import Participant

    rng = random.Random(6)
    people = db.session.scalars(sa.select(Participant).where(Participant.event_id == event.id))
    people = list(people)
    attendance = []
    for session in event.sessions:
        for person in people:
            roll = rng.random()
            if roll < 0.9:
                late = roll > 0.8
                attendance.append(
                    {
                        "session_id": session.id,
                        "participant_id": person.id,
                        "status": "terlambat" if late else "hadir",
                        "checked_in_at": session.starts_at + timedelta(minutes=30 if late else 2),
                        "source": "desk",
                        "note": "",
                        "created_at": session.starts_at,
                    }
                )
            elif roll < 0.93:
                attendance.append(
                    {
                        "session_id": session.id,
                        "participant_id": person.id,
                        "status": "izin",
                        "checked_in_at": session.starts_at,
                        "source": "desk",
                        "note": "tugas",
                        "created_at": session.starts_at,
                    }
                )
    db.session.execute(sa.insert(Attendance), attendance)
    attempts = []
    for kind in ("pre", "post"):
        assessment = ensure_assessment(event, kind)
        for person in people:
            if rng.random() < 0.95:
                started = datetime(2024, 10, 28 if kind == "pre" else 29, 1, 0, tzinfo=UTC)
                score = rng.randint(20, 70) + (20 if kind == "post" else 0)
                attempts.append(
                    {
                        "assessment_id": assessment.id,
                        "participant_id": person.id,
                        "started_at": started,
                        "deadline_at": started + timedelta(minutes=30),
                        "submitted_at": started + timedelta(minutes=25),
                        "closed_reason": "submitted",
                        "score": float(min(score, 100)),
                        "correct_count": score // 5,
                        "question_order": [],
                        "option_order": {},
                    }
                )
    db.session.execute(sa.insert(Attempt), attempts)
    db.session.flush()
    from bimtek.certificates.configuration import save_signatory

    save_signatory(event, {"name": "Kepala Dinas", "title": "Kepala", "position": "0"})
    issue_all(event, channel="cli", now=datetime(2024, 10, 29, 9, tzinfo=UTC))


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    for index in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function(index)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def print_timing(label: str, wall: list[float], cpu: list[float], target: float) -> None:
    verdict = "ok" if statistics.median(wall) <= target else "OVER TARGET"
    print(
        f"{label}: median {statistics.median(wall):.3f} s wall, "
        f"{statistics.median(cpu):.3f} s CPU  (target ≤ {target} s: {verdict}; "
        f"runs: {', '.join(f'{t:.3f}' for t in wall)})"
    )


def main() -> None:
    global PARTICIPANTS  # noqa: PLW0603  (the size every helper above reads)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--participants", type=int, default=PARTICIPANTS, help="event size (EXPORT_JOB_THRESHOLD)"
    )
    args = parser.parse_args()
    PARTICIPANTS = args.participants

    from bench._setup import signing_app
    from bimtek.extensions import db

    app, _folder = signing_app("excel", PUBLIC_BASE_URL="https://bimtek.example.go.id")
    with app.app_context():
        import logging

        logging.disable(logging.INFO)  # the ticket e-mails of 400 imports, many times over
        from bench import _spreadsheetml
        from bimtek.core.xlsx_writer import write_workbook
        from bimtek.participants import importing
        from bimtek.reports import exports

        data = build_xlsx(participant_rows(PARTICIPANTS))
        print(f"participant file: {PARTICIPANTS} rows, {len(data) / 1024:.0f} KB")

        events = []
        for index in range(args.runs):
            events.append(make_event(f"IMP{index:02d}"))
        db.session.commit()

        def import_once(index: int) -> None:
            event = events[index]
            checked = importing.preview_import(event, data)
            assert len(checked.valid) == PARTICIPANTS, checked.invalid[:1]
            result = importing.import_participants(event, checked, channel="cli")
            db.session.commit()
            assert result.registered == PARTICIPANTS

        wall, cpu = timed(import_once, args.runs)
        print_timing(f"validate + import {PARTICIPANTS} rows", wall, cpu, 1.0)

        event = make_event("BENCH")
        report = importing.preview_import(event, data)
        importing.import_participants(event, report, channel="cli")
        seed_activity(event)
        db.session.commit()

        size = {}

        def export_once(_index: int) -> None:
            db.session.expire_all()
            content, _name = exports.export_workbook(event, "semua")
            size["bytes"] = len(content)

        def sheets_of_export():
            db.session.expire_all()
            now = datetime.now(UTC)
            return [s for _l, build in exports.EXPORTS.values() for s in build(event, now, None)]

        def export_before(_index: int) -> None:
            size["before"] = len(_spreadsheetml.write_workbook(sheets_of_export()))

        export_once(0)  # warm-up: imports and first queries
        export_before(0)
        # interleaved, so that both see the same load on a shared machine
        walls = {"after": [], "before": []}
        cpus = {"after": [], "before": []}
        for _run in range(args.runs):
            for name, function in (("after", export_once), ("before", export_before)):
                wall, cpu = timed(function, 1)
                walls[name] += wall
                cpus[name] += cpu
        sheets = sheets_of_export()
        cells = sum(len(s.rows) * len(s.columns) for s in sheets)
        label = f"{len(sheets)} sheets, {PARTICIPANTS} participants × 8 sessions, {cells} cells"
        before = statistics.median(walls["before"])
        print_timing(
            f"full export, hand-written SpreadsheetML writer (before; {label}, "
            f"{size['before'] // 1024} KB)",
            walls["before"],
            cpus["before"],
            0.5,
        )
        print_timing(
            f"full export, XlsxWriter in_memory (after; {size['bytes'] // 1024} KB)",
            walls["after"],
            cpus["after"],
            round(2 * before, 3),
        )
        writers = {
            "writer alone, hand-written": _spreadsheetml.write_workbook,
            "writer alone, XlsxWriter": write_workbook,
        }
        alone = {name: ([], []) for name in writers}
        for _run in range(args.runs):
            for name, writer in writers.items():
                wall, cpu = timed(lambda _i, writer=writer: writer(sheets), 1)
                alone[name][0].extend(wall)
                alone[name][1].extend(cpu)
        base = statistics.median(alone["writer alone, hand-written"][0])
        for name, (wall, cpu) in alone.items():
            print_timing(name, wall, cpu, round(2 * base, 3))


if __name__ == "__main__":
    main()
