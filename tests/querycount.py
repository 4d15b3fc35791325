"""Counting the SQL statements a block runs, so that an N+1 fails a test.

    with count_queries() as statements:
        client.get(url)
    assert len(statements) <= 12

Compare a page's count for a small and a larger event (``assert_no_n_plus_one``): the same
count means the page's cost does not grow by one query per row.
"""

from contextlib import contextmanager

import sqlalchemy as sa

from bimtek.extensions import db


@contextmanager
def count_queries():
    """The statements run inside the block, as a list that fills while it runs."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def queries_for(client, url: str) -> int:
    """How many statements one GET of ``url`` runs (it must answer 200)."""
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)
