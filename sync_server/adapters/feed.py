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
        for model, rows in sorted(self._touched.items(), key=lambda item: _ORDER[item[0]]):
            key_column = model.__mapper__.primary_key[0]
            statement = (
                update(model.__table__)  # type: ignore[arg-type]
                .where(key_column == bindparam("k"))
                .values(feed_position=bindparam("p"))
            )
            params = []
            for key in rows:
                position += 1
                params.append({"k": key, "p": position})
            self._session.execute(statement, params)
        self._touched.clear()
        return last

    def clear(self) -> None:
        self._touched.clear()
