"""The storage seam: keep, read, serve and delete files; the rows are ``StoredFile``.

Every file the app writes after start-up goes through here, on every install: SQLite or
PostgreSQL hold the bytes, so a second app server or a worker on another machine finds what
the first kept. Functions that change rows ``flush()``; the caller commits.
"""

import hashlib
import io
from datetime import datetime

import sqlalchemy as sa
from flask import send_file

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


def send(stored: StoredFile, *, download_name: str, mimetype: str | None = None, max_age=None):
    """A download of the kept file: an attachment with its ETag (the SHA-256) and its date,
    answering If-None-Match / Range like a file on disk."""
    return send_file(
        io.BytesIO(read(stored.id) or b""),
        mimetype=mimetype or stored.content_type,
        as_attachment=True,
        download_name=download_name,
        etag=stored.sha256,
        last_modified=stored.created_at,
        max_age=max_age,
        conditional=True,
    )
