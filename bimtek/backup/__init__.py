"""Backups of the whole database: ``flask backup PATH`` and ``flask restore PATH``.

``archive.py`` is the file (a zip: a manifest saying what it is, and the database's copy);
``services.py`` makes and restores it on SQLite and PostgreSQL; ``commands.py`` the
``flask`` commands."""
