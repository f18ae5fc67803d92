"""Which database errors mean "the database is not there right now" (answer 503, try
again) rather than a bug or a wrong schema (answer 500)."""

from __future__ import annotations

from sqlalchemy import exc

# SQLite reports a missing table or column as an OperationalError, like a missing file;
# those are a wrong schema, which waiting does not fix.
_SQLITE_SCHEMA_PROBLEMS = ("no such table", "no such column", "syntax error")


def is_database_unavailable(error: BaseException) -> bool:
    """True for a database that is down, unreachable, restarting, locked or out of
    connections; False for anything else, including errors that are not SQLAlchemy's."""
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        return True
    if isinstance(error, exc.OperationalError):
        text = str(error.orig).lower()
        return not any(problem in text for problem in _SQLITE_SCHEMA_PROBLEMS)
    return False
