"""Feed positions: rows written in a transaction get their positions as it commits.

See ``models.sync.ChangeFeedCounter`` for why: the counter row is locked from the
moment positions are taken to the commit, so positions become visible in commit
order and a puller never passes a position still to come.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text, update
from sqlalchemy.orm import Session

from sync_server.adapters.models import (
    Base,
    Card,
    Customer,
    CustomerAlias,
    GiftCard,
    LedgerEntry,
    Product,
    ReceivedEvent,
    RulesVersion,
    Settlement,
    Staff,
    Store,
)

_TAKE = text(
    "UPDATE change_feed_counter SET last_position = last_position + :n "
    "WHERE id = 1 RETURNING last_position"
)


# Within one transaction, what a row may refer to comes first: a till applying a page
# cut anywhere has a card's customer and an entry's lot before the card and the entry.
_ORDER = {
    model: rank
    for rank, model in enumerate(
        (
            Store,
            RulesVersion,
            Staff,
            Product,
            GiftCard,
            Customer,
            CustomerAlias,
            Card,
            LedgerEntry,
            ReceivedEvent,
            Settlement,
        )
    )
}


class FeedStamper:
    """Collects the rows a unit of work wrote to pulled tables, in write order, and
    stamps their ``feed_position`` just before the commit."""

    def __init__(self, session: Session) -> None:
        self._session = session
        # model -> primary key -> None (a dict keeps write order and drops repeats)
        self._touched: dict[type[Base], dict[Any, None]] = {}

    def touch(self, model: type[Base], *keys: Any) -> None:
        rows = self._touched.setdefault(model, {})
        for key in keys:
            rows.pop(key, None)  # written again: its position is the later one
            rows[key] = None

    def stamp(self) -> int | None:
        """Give every touched row its position; the last position given, if any."""
        count = sum(len(rows) for rows in self._touched.values())
        if not count:
            return None
        last = int(self._session.execute(_TAKE, {"n": count}).scalar_one())
        position = last - count
        on_postgres = self._session.get_bind().dialect.name == "postgresql"
        for model, rows in sorted(self._touched.items(), key=lambda item: _ORDER[item[0]]):
            if on_postgres:
                self._stamp_in_one_statement(model, list(rows), position)
            else:
                self._stamp_row_by_row(model, list(rows), position)
            position += len(rows)
        self._touched.clear()
        return last

    def _stamp_in_one_statement(self, model: type[Base], keys: list[Any], after: int) -> None:
        """PostgreSQL: positions ``after + 1, after + 2, ...`` in key order, one UPDATE
        joined to the keys unnested with their ordinal (a batch stamps thousands)."""
        key_column = model.__mapper__.primary_key[0]
        key_type = key_column.type.compile(dialect=self._session.get_bind().dialect)
        table = model.__table__.name  # type: ignore[attr-defined]
        # Only the table's and its key's names (ours, from the models) are put in the text.
        statement = text(
            f"UPDATE {table} AS t SET feed_position = :after + u.n"
            f" FROM unnest(CAST(CAST(:keys AS TEXT[]) AS {key_type}[])) WITH ORDINALITY AS u(k, n)"
            f" WHERE t.{key_column.name} = u.k"
        )
        self._session.execute(statement, {"after": after, "keys": [str(k) for k in keys]})

    def _stamp_row_by_row(self, model: type[Base], keys: list[Any], after: int) -> None:
        key_column = model.__mapper__.primary_key[0]
        statement = (
            update(model.__table__)  # type: ignore[arg-type]
            .where(key_column == bindparam("k"))
            .values(feed_position=bindparam("p"))
        )
        params = [{"k": key, "p": after + n} for n, key in enumerate(keys, start=1)]
        self._session.execute(statement, params)

    def clear(self) -> None:
        self._touched.clear()
