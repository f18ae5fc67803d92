"""The daily roll-ups behind scorecards (``models.reports.StaffDay``), added to in the
transaction that stores each fact.

Facts add to a pending tally per (store, cashier, day); ``flush``, called once just before
the transaction commits, writes each key once with an upsert that adds to what is there
(``ON CONFLICT ... DO UPDATE SET n = n + excluded.n``, on PostgreSQL and SQLite alike), keys
in sorted order, so two transactions adding to the same days take those row locks in the
same order and cannot deadlock on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync_server.adapters.models import STAFF_DAY_TALLIES, StaffDay, Store

_Key = tuple[str, str, date]


class StaffDayTally:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._zones: dict[str, ZoneInfo] = {}
        self._pending: dict[_Key, Counter[str]] = {}

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def _day(self, store_id: str, at: datetime) -> date:
        if store_id not in self._zones:
            rows = self._session.execute(select(Store.id, Store.timezone))
            self._zones.update((store, ZoneInfo(zone)) for store, zone in rows)
        return at.astimezone(self._zones[store_id]).date()

    def _add(self, store_id: str, staff_id: str, at: datetime, **tallies: int) -> None:
        key = (store_id, staff_id, self._day(store_id, at))
        self._pending.setdefault(key, Counter()).update(tallies)

    def sale(
        self, store_id: str, staff_id: str, at: datetime, paid: int, with_card: bool, redeemed: int
    ) -> None:
        self._add(
            store_id,
            staff_id,
            at,
            sales=1,
            revenue_minor=paid,
            with_card=int(with_card),
            redeemed_points=redeemed,
        )

    def sale_return(self, store_id: str, staff_id: str, at: datetime, refund: int) -> None:
        self._add(store_id, staff_id, at, returns=1, refunded_minor=refund)

    def vote(
        self, store_id: str, staff_id: str, at: datetime, score: int, reasons: Sequence[str]
    ) -> None:
        tallies = Counter({f"score_{score}": 1})
        tallies.update(f"reason_{reason}" for reason in reasons)
        self._add(store_id, staff_id, at, **tallies)

    def flush(self, connection: Connection) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        table = StaffDay.__table__
        for (store_id, staff_id, day), tallies in sorted(pending.items()):
            values = {name: tallies.get(name, 0) for name in STAFF_DAY_TALLIES}
            statement = dialect.insert(table).values(
                store_id=store_id, staff_id=staff_id, day=day, **values
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["store_id", "staff_id", "day"],
                    set_={
                        name: table.c[name] + statement.excluded[name]
                        for name, n in values.items()
                        if n
                    },
                )
            )

    def discard(self) -> None:
        self._pending.clear()
