"""storage: files kept at run time move into the database (stored_files); materials and
prepared files point at them; a prepared file's lease and attempts

The upgrade moves each module material from the upload folder (UPLOAD_FOLDER, else
instance/uploads, then materials/) and each ready prepared file from instance/prepared/
into stored_files. It reads the folder of the machine that runs it: run it where the files
are. A file not found there leaves its material without bytes (a 404, as it already was on
that machine) and its prepared file to be prepared again. The files on disk are left in place;
delete the folders once the upgrade has committed. The downgrade writes materials back to the
upload folder and forgets prepared files (they are prepared again on request).

Revision ID: storage_0023
Revises: 0021
"""

import hashlib
import secrets
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "storage_0023"
down_revision = "0021"
branch_labels = None
depends_on = None

MATERIAL_TYPES = {
    "pdf": "application/pdf",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
PREPARED_TYPES = {
    "zip": "application/zip",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

stored_files = sa.table(
    "stored_files",
    sa.column("id", sa.Integer),
    sa.column("content", sa.LargeBinary),
    sa.column("size", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("content_type", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("expires_at", sa.DateTime),
)


def _materials_folder() -> Path:
    base = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(base) / "materials"


def _keep(connection, content: bytes, content_type: str, expires_at=None) -> int:
    return connection.execute(
        stored_files.insert()
        .values(
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content_type=content_type,
            created_at=datetime.now(UTC).replace(tzinfo=None),
            expires_at=expires_at,
        )
        .returning(stored_files.c.id)
    ).scalar_one()


def _move_files(connection, table, rows, folder, *, name_of, type_of, expires_of=None):
    """Each row's file under ``folder`` into ``stored_files``, its id into the row's
    ``file_id``; a row whose file is gone keeps none."""
    for row in rows:
        path = folder / name_of(row)
        if path.is_file():
            expires_at = expires_of(row) if expires_of else None
            file_id = _keep(connection, path.read_bytes(), type_of(row), expires_at)
            connection.execute(table.update().where(table.c.id == row.id).values(file_id=file_id))


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    with op.batch_alter_table("stored_files") as batch:
        batch.create_index(batch.f("ix_stored_files_expires_at"), ["expires_at"], unique=False)

    with op.batch_alter_table("materials") as batch:
        batch.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_materials_file_id"), ["file_id"])
        batch.create_foreign_key(
            batch.f("fk_materials_file_id_stored_files"), "stored_files", ["file_id"], ["id"]
        )
    with op.batch_alter_table("prepared_files") as batch:
        batch.add_column(sa.Column("file_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.create_foreign_key(
            batch.f("fk_prepared_files_file_id_stored_files"),
            "stored_files",
            ["file_id"],
            ["id"],
            ondelete="SET NULL",
        )

    connection = op.get_bind()
    materials = sa.table(
        "materials",
        sa.column("id", sa.Integer),
        sa.column("stored_name", sa.String),
        sa.column("kind", sa.String),
        sa.column("file_id", sa.Integer),
    )
    _move_files(
        connection,
        materials,
        connection.execute(sa.select(materials)).all(),
        _materials_folder(),
        name_of=lambda row: row.stored_name,
        type_of=lambda row: MATERIAL_TYPES.get(row.kind, ""),
    )

    prepared = sa.table(
        "prepared_files",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("path", sa.String),
        sa.column("expires_at", sa.DateTime),
        sa.column("file_id", sa.Integer),
    )
    ready = sa.select(prepared).where(prepared.c.status == "ready", prepared.c.path != "")
    _move_files(
        connection,
        prepared,
        connection.execute(ready).all(),
        Path(current_app.instance_path) / "prepared",
        name_of=lambda row: row.path,
        type_of=lambda row: PREPARED_TYPES.get(
            row.path.rsplit(".", 1)[-1], "application/octet-stream"
        ),
        expires_of=lambda row: row.expires_at,
    )

    with op.batch_alter_table("materials") as batch:
        batch.drop_constraint("uq_materials_stored_name", type_="unique")
        batch.drop_column("stored_name")
    with op.batch_alter_table("prepared_files") as batch:
        batch.drop_column("path")


def downgrade():
    with op.batch_alter_table("materials") as batch:
        batch.add_column(sa.Column("stored_name", sa.String(length=80), nullable=True))
    with op.batch_alter_table("prepared_files") as batch:
        batch.add_column(
            sa.Column("path", sa.String(length=300), nullable=False, server_default="")
        )

    connection = op.get_bind()
    materials = sa.table(
        "materials",
        sa.column("id", sa.Integer),
        sa.column("stored_name", sa.String),
        sa.column("kind", sa.String),
        sa.column("file_id", sa.Integer),
    )
    folder = _materials_folder()
    rows = connection.execute(
        sa.select(materials.c.id, materials.c.kind, stored_files.c.content).join_from(
            materials, stored_files, materials.c.file_id == stored_files.c.id, isouter=True
        )
    ).all()
    for row in rows:
        name = f"{secrets.token_hex(16)}.{row.kind}"
        if row.content is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(row.content)
        connection.execute(
            materials.update().where(materials.c.id == row.id).values(stored_name=name)
        )
    connection.execute(sa.text("DELETE FROM prepared_files"))

    with op.batch_alter_table("prepared_files") as batch:
        batch.drop_constraint("fk_prepared_files_file_id_stored_files", type_="foreignkey")
        batch.drop_column("attempts")
        batch.drop_column("heartbeat_at")
        batch.drop_column("file_id")
    with op.batch_alter_table("materials") as batch:
        batch.drop_constraint("fk_materials_file_id_stored_files", type_="foreignkey")
        batch.drop_constraint("uq_materials_file_id", type_="unique")
        batch.drop_column("file_id")
        batch.alter_column("stored_name", existing_type=sa.String(length=80), nullable=False)
        batch.create_unique_constraint(batch.f("uq_materials_stored_name"), ["stored_name"])
    with op.batch_alter_table("stored_files") as batch:
        batch.drop_index(batch.f("ix_stored_files_expires_at"))
    op.drop_table("stored_files")
