"""Serving a kept file: its bytes come from the database a slice at a time, so the app never
makes one bytes object of a whole 54 MB certificate ZIP (what the database driver holds
meanwhile is measured by bench/downloads.py); the download still answers If-None-Match and
Range like a file on disk."""

import hashlib
import os
import tracemalloc

import pytest
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from bimtek.extensions import db
from bimtek.storage import files

SIZE = 6 * 1024 * 1024


@pytest.fixture
def big(app):
    content = os.urandom(SIZE)
    stored = files.put(content, content_type="application/zip")
    db.session.commit()
    return stored.id, content


def send(app, file_id, headers=None):
    """The download's response and the body a WSGI server would send."""
    with app.test_request_context(headers=headers or {}) as context:
        stored = files.get(file_id)
        response = files.send(stored, download_name="sertifikat.zip", max_age=0)
        return response, response.get_app_iter(context.request.environ)


def test_a_download_streams_the_file_in_slices(app, big):
    file_id, content = big
    db.session.expunge_all()
    tracemalloc.start()
    try:
        response, body = send(app, file_id)
        digest = hashlib.sha256()
        for chunk in body:
            digest.update(chunk)
        body.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert response.content_length == SIZE
    assert digest.hexdigest() == hashlib.sha256(content).hexdigest()
    assert peak < SIZE / 2, f"serving held {peak} bytes of a {SIZE}-byte file"


def test_a_range_is_the_slice_asked_for(app, big):
    file_id, content = big
    response, body = send(app, file_id, {"Range": "bytes=1048570-1048600"})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 1048570-1048600/{SIZE}"
    assert b"".join(body) == content[1048570:1048601]
    body.close()

    tail, body = send(app, file_id, {"Range": "bytes=-10"})
    assert tail.status_code == 206
    assert b"".join(body) == content[-10:]
    body.close()

    with pytest.raises(RequestedRangeNotSatisfiable):  # Flask answers it with a 416
        send(app, file_id, {"Range": f"bytes={SIZE + 5}-"})


def test_a_known_etag_is_not_sent_again(app, big):
    file_id, content = big
    etag = f'"{hashlib.sha256(content).hexdigest()}"'
    response, body = send(app, file_id, {"If-None-Match": etag})
    assert response.status_code == 304
    assert b"".join(body) == b""
    body.close()


def test_an_empty_file_downloads_as_empty(app):
    stored = files.put(b"", content_type="text/plain")
    db.session.commit()
    response, body = send(app, stored.id)
    assert response.status_code == 200
    assert b"".join(body) == b""
    body.close()
