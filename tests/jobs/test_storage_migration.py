"""Migration storage_0023 moves module materials from the upload folder into the database
(and its downgrade writes them back)."""

import io

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from bimtek.events.services import add_material
from bimtek.extensions import db
from bimtek.storage import files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_materials_move_from_the_upload_folder_into_the_database_and_back(app, event, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    kept = add_material(
        event.modules[0], stream=io.BytesIO(PDF), filename="m.pdf", title="M", max_bytes=10_000
    )
    lost = add_material(
        event.modules[0], stream=io.BytesIO(PDF), filename="n.pdf", title="N", max_bytes=10_000
    )
    db.session.commit()
    ids = kept.id, lost.id
    db.session.remove()
    try:
        downgrade(revision="0021")
        with db.engine.connect() as connection:
            names = dict(connection.execute(sa.text("SELECT id, stored_name FROM materials")).all())
        folder = tmp_path / "uploads" / "materials"
        assert (folder / names[ids[0]]).read_bytes() == PDF
        (folder / names[ids[1]]).unlink()  # a file already missing on this machine
    finally:
        upgrade()
    db.session.remove()
    rows = dict(db.session.execute(sa.text("SELECT id, file_id FROM materials")).all())
    assert files.read(rows[ids[0]]) == PDF
    assert files.get(rows[ids[0]]).content_type == "application/pdf"
    assert rows[ids[1]] is None  # a 404, as it already was
