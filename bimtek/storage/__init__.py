"""Files the app keeps at run time (module materials, files prepared by jobs), in the
database, so every app server and worker reaches them with nothing shared but the database.

One seam for one machine and for many: ``files.put``, ``files.read``, ``files.delete``,
``files.delete_expired`` and ``files.send`` (``bimtek/storage/files.py``).
"""
