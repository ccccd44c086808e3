"""Reading only what people have reviewed: draft statements (and their reports) left out.

:func:`reviewed_only` makes every new connection of an engine see, under the names
``statement`` and ``report``, temporary views holding only reviewed statements and their
reports. Temporary objects come first in name lookup on SQLite and PostgreSQL alike, so every
query, report and audit rule reads the reviewed records without a change of its own. Read
only: such an engine must not be given to the loader.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def _views(schema: str) -> list[str]:
    return [
        f"CREATE TEMP VIEW statement AS SELECT * FROM {schema}.statement"
        " WHERE review_status = 'reviewed'",
        f"CREATE TEMP VIEW report AS SELECT r.* FROM {schema}.report r"
        f" JOIN {schema}.statement s ON s.id = r.statement_id WHERE s.review_status = 'reviewed'",
    ]


def reviewed_only(engine: Engine) -> Engine:
    """Make ``engine``'s connections read reviewed statements only (see the module); returns it."""

    def create(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if engine.dialect.name == "postgresql":
                cursor.execute("SELECT current_schema()")
                schema = '"' + cursor.fetchone()[0].replace('"', '""') + '"'
            else:
                schema = "main"
            for sql in _views(schema):
                cursor.execute(sql)
        finally:
            cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()

    event.listen(engine, "connect", create)
    engine.dispose()  # connections opened before the listener do not have the views
    return engine
