"""Participant search (participants.queries.participant_query) over a big event, in process.

    .venv/bin/python bench/search.py [--db sqlite|postgres|both] [--people 3000]

Names, institutions and phones are compared in Python over the event's rows (the rules of
participants/search.py: apostrophes, diacritics, titles, phones in any form), on SQLite and
PostgreSQL alike. Prints the median and worst time of a search by name, by phone (a manager)
and by NIK (the panitia: in full only) for one event of ``--people`` participants.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._setup import bench_app, fresh_database  # noqa: E402


def run(kind: str, people: int) -> None:
    import sqlalchemy as sa

    from bimtek.extensions import db
    from bimtek.participants.models import Participant
    from bimtek.participants.queries import list_participants
    from bimtek.participants.registration import register_many
    from bimtek.participants.search import phone_key
    from tests import factories

    app = bench_app(fresh_database(kind, "bench_search"), TESTING=True)
    with app.app_context():
        event = factories.make_event("CARI26", capacity=people + 10)
        rows = [
            factories.registration_data(full_name=f"Drs. H. Nur'aini Peserta {n}")
            for n in range(people)
        ]

        register_many(event, rows, channel="import")
        db.session.commit()
        target = db.session.scalars(sa.select(Participant).limit(1).offset(people // 2)).one()
        key = phone_key(target.phone)
        typed = f"0{key[:3]}-{key[3:7]}-{key[7:]}"
        for label, term, personal in (
            ("name 'nuraini peserta 15'", "nuraini peserta 15", False),
            (f"phone {typed!r} (manager)", typed, True),
            ("NIK in full (panitia)", target.nik, False),
        ):
            times = []  # the first search fills the key cache: it is the worst
            for _ in range(21):
                start = time.perf_counter()
                found = list_participants(event.id, search=term, personal=personal)
                times.append((time.perf_counter() - start) * 1000)
            print(
                f"{kind:8} {people} people  {label:38} {len(found):4} found  "
                f"median {statistics.median(times):6.1f} ms  worst {max(times):6.1f} ms"
            )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--people", type=int, default=3000)
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args.people)


if __name__ == "__main__":
    main()
