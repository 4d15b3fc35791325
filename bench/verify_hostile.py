"""Verifying hostile uploads: what one anonymous POST /api/v1/verify costs the server.

    .venv/bin/python bench/verify_hostile.py            # 5 requests of each file
    .venv/bin/python bench/verify_hostile.py --runs 9
    .venv/bin/python bench/verify_hostile.py --runs 1   # smallest

Issues one signed certificate (temporary SQLite, demo key) and posts, through the test client
(server time, the app's default CERT_VERIFY_SECONDS):

1. genuine    the certificate as issued;
2. 3000 sigs  the same file with 3,000 signature fields pointing at its one signature, added
              as an incremental update (issue 18: 19–30 s per request before the shape rule);
3. revisions  the same file followed by 20,000 empty incremental updates (the xref chain
              alone takes pyHanko about 11 s to read): bounded by the clock, not by a count.

Prints the median wall time of each and the answer.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def many_revisions(data: bytes, count: int, limit: int) -> bytes:
    """``data`` followed by up to ``count`` empty revisions (an xref section and trailer
    each), written out by hand: no library writes a file this hostile."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    root = reader.trailer.raw_get("/Root")
    size = int(reader.trailer["/Size"])
    previous = reader.last_startxref
    out = bytearray(data)
    for _ in range(count):
        here = len(out)
        section = (
            b"xref\n0 0\ntrailer\n<< /Size %d /Root %d %d R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, root.idnum, root.generation, previous, here)
        )
        if len(out) + len(section) > limit:
            break
        out += section
        previous = here
    return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from bench._setup import signing_app
    from bench.certificates import seed
    from bimtek.certificates import queries
    from tests.certificates.test_verify_hostile import extra_signature_fields

    app, _folder = signing_app("verify")
    with app.app_context():
        event, _person, _seconds = seed(1)
        (certificate,) = queries.issued_certificates(event)
        genuine = certificate.document
        limit = app.config["CERT_VERIFY_MAX_BYTES"]
        files = (
            ("genuine  ", genuine),
            ("3000 sigs", extra_signature_fields(genuine, 3000)),
            ("revisions", many_revisions(genuine, 20000, limit)),
        )
        client = app.test_client()
        print(f"CERT_VERIFY_SECONDS = {app.config['CERT_VERIFY_SECONDS']}")
        for label, data in files:
            boundary, body = encode_multipart(
                {"file": FileStorage(io.BytesIO(data), "sertifikat.pdf", "application/pdf")}
            )
            walls = []
            answer = None
            for _ in range(args.runs):
                started = time.perf_counter()
                answer = client.post(
                    "/api/v1/verify",
                    data=body,
                    content_type=f"multipart/form-data; boundary={boundary}",
                ).get_json()
                walls.append(time.perf_counter() - started)
            median = statistics.median(walls) * 1000
            print(
                f"{label}  {len(data) / 1024:7.0f} KB  median {median:7.1f}"
                f" ms (max {max(walls) * 1000:.1f}) of {args.runs}  -> "
                f"{answer['status']} / {answer['reason']}"
            )


if __name__ == "__main__":
    main()
