"""Declarative base, column types and the constraint naming convention.

These are the server's tables, not its domain: domain rules live in
``loyalty_core`` and services; the tables only store what they decide.
Money and points are always ``BigInteger`` (minor units / whole points), never floats.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, Dialect, MetaData, String, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Stable constraint names let Alembic (and SQLite batch mode) find constraints later.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend (SQLite has no time zones):
    naive datetimes are refused, aware ones stored in UTC and read back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware one (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Ids are UUID strings made where the fact happened (mostly on a till):
# native ``uuid`` on PostgreSQL, 32 hex characters on SQLite.
IdType = Uuid(as_uuid=False)
Id = Annotated[str, mapped_column(IdType, primary_key=True)]
Money = Annotated[int, mapped_column(BigInteger)]  # minor currency units (kopecks, cents)
Points = Annotated[int, mapped_column(BigInteger)]  # whole loyalty points, signed
Instant = Annotated[datetime, mapped_column(UtcDateTime())]
Name = Annotated[str, mapped_column(String(200))]
# Where a row stands in the pull feed: given from ``change_feed_counter`` when the
# transaction that wrote the row commits (see ``models.sync``); NULL only inside it.
FeedPosition = Annotated[int | None, mapped_column(BigInteger, index=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
