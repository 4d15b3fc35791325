"""The storage seam: keep, read, serve and delete files; the rows are ``StoredFile``.

Every file the app writes after start-up goes through here, on every install: SQLite or
PostgreSQL hold the bytes, so a second app server or a worker on another machine finds what
the first kept. Functions that change rows ``flush()``; the caller commits.
"""

import hashlib
import io
from datetime import datetime

import sqlalchemy as sa
from flask import request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from bimtek.extensions import db
from bimtek.storage.models import StoredFile


def put(content: bytes, *, content_type: str, expires_at: datetime | None = None) -> StoredFile:
    """Keep ``content``; the new row (flushed, so with its id)."""
    stored = StoredFile(
        content=bytes(content),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type,
        expires_at=expires_at,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def get(file_id: int | None) -> StoredFile | None:
    """The kept file (its bytes not loaded yet), or None when there is none."""
    return db.session.get(StoredFile, file_id) if file_id is not None else None


def read(file_id: int | None) -> bytes | None:
    """The bytes of a kept file, or None when there is none."""
    return db.session.scalar(sa.select(StoredFile.content).where(StoredFile.id == file_id))


def delete(file_id: int | None) -> None:
    """Forget a kept file (nothing when there is none)."""
    if file_id is not None:
        db.session.execute(sa.delete(StoredFile).where(StoredFile.id == file_id))


def delete_expired(now: datetime) -> int:
    """Delete every file kept past its ``expires_at``; how many."""
    result = db.session.execute(
        sa.delete(StoredFile)
        .where(StoredFile.expires_at.is_not(None), StoredFile.expires_at < now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


#: how much of a kept file one query reads while it is served. bench/downloads.py, the 54 MB
#: ZIP of 400 signed certificates: on PostgreSQL the sending took at most 6.9 MB (341.4 MB
#: when it was read whole) in the same time. SQLite has no read of part of a value through
#: SQL: each slice reads the whole value, so there it took 62.2 MB (113.7 MB whole) and
#: 2.8 s of CPU instead of 0.1; its incremental blob API would be a second way to read, for
#: the one-machine install, where a ZIP download is a rare manager's action.
SLICE_BYTES = 1024 * 1024


class StoredFileReader(io.RawIOBase):
    """A kept file's bytes as a seekable binary file, read from the database a slice at a
    time. Each read takes its own connection from ``engine``: the file is sent after the
    request's session is gone. Kept files never change, so slices read apart still make the
    one file; a file deleted while it is being sent ends the download with an error rather
    than a short file."""

    def __init__(self, engine: sa.Engine, file_id: int, size: int):
        super().__init__()
        self.engine = engine
        self.file_id = file_id
        self.size = size
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        wanted = min(len(buffer), self.size - self.position)
        if wanted <= 0:
            return 0
        query = sa.select(
            sa.func.substr(StoredFile.content, self.position + 1, wanted, type_=sa.LargeBinary)
        ).where(StoredFile.id == self.file_id)
        with self.engine.connect() as connection:
            piece = connection.scalar(query)
        if not piece:
            raise OSError(f"kept file {self.file_id} is gone at byte {self.position}")
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


def send(stored: StoredFile, *, download_name: str, mimetype: str | None = None, max_age=None):
    """A download of the kept file, streamed from the database (``StoredFileReader``): an
    attachment with its ETag (the SHA-256) and its date, answering If-None-Match / Range like
    a file on disk."""
    body = io.BufferedReader(
        StoredFileReader(db.engine, stored.id, stored.size), buffer_size=SLICE_BYTES
    )
    response = send_file(
        body,
        mimetype=mimetype or stored.content_type,
        as_attachment=True,
        download_name=download_name,
        etag=stored.sha256,
        last_modified=stored.created_at,
        max_age=max_age,
        conditional=False,
    )
    response.content_length = stored.size
    try:
        return response.make_conditional(
            request.environ, accept_ranges=True, complete_length=stored.size
        )
    except RequestedRangeNotSatisfiable:
        body.close()
        raise
