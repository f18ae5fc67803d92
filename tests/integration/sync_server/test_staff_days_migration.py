"""Revision 0010 adds up the sales, returns and votes already stored into the daily roll-ups
scorecards read, each on its day in the store's zone (Europe/Moscow until a store sets one)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import Engine

from loyalty_core.ids import new_id
from sync_server.adapters.migrate import upgrade_to

ID = sa.Uuid(as_uuid=False)
WHEN = sa.DateTime(timezone=True)
AT = datetime(2026, 11, 10, 22, 30, tzinfo=UTC)  # 01:30 on the 11th in Moscow


def _table(name: str, *columns: sa.ColumnClause[object]) -> sa.TableClause:
    return sa.table(name, *columns)


stores = _table("stores", sa.column("id", ID), sa.column("name"), sa.column("created_at", WHEN))
tills = _table(
    "tills",
    sa.column("id", ID),
    sa.column("store_id", ID),
    sa.column("name"),
    sa.column("created_at", WHEN),
)
money = ("subtotal_minor", "discount_minor", "redeemed_points", "paid_minor", "accrued_points")
sales = _table(
    "sales",
    *(sa.column(n, ID) for n in ("id", "store_id", "till_id", "staff_id", "customer_id")),
    sa.column("currency"),
    *(sa.column(n) for n in money),
    sa.column("occurred_at", WHEN),
    sa.column("received_at", WHEN),
)
returns = _table(
    "returns",
    *(sa.column(n, ID) for n in ("id", "sale_id", "store_id", "till_id", "staff_id", "event_id")),
    sa.column("quantities", sa.JSON()),
    sa.column("document", sa.JSON()),
    sa.column("refund_minor"),
    sa.column("occurred_at", WHEN),
    sa.column("received_at", WHEN),
)
votes = _table(
    "votes",
    *(sa.column(n, ID) for n in ("id", "sale_id", "store_id", "till_id", "staff_id")),
    sa.column("score"),
    sa.column("reasons", sa.JSON()),
    sa.column("channel"),
    sa.column("at", WHEN),
)
staff_days = _table(
    "staff_days",
    sa.column("staff_id", ID),
    sa.column("day", sa.Date()),
    *(sa.column(n) for n in ("sales", "revenue_minor", "with_card", "redeemed_points")),
    *(sa.column(n) for n in ("returns", "refunded_minor", "score_2", "score_5")),
    *(sa.column(n) for n in ("reason_fast", "reason_slow", "reason_polite")),
)


def test_stored_facts_are_added_up_by_the_stores_day(engine: Engine) -> None:
    upgrade_to(engine, "0009")
    store, till, anna = new_id(), new_id(), new_id()
    first, second = new_id(), new_id()
    with engine.begin() as c:
        c.execute(sa.insert(stores).values(id=store, name="Арбат", created_at=AT))
        c.execute(sa.insert(tills).values(id=till, store_id=store, name="1", created_at=AT))
        for sale_id, paid, redeemed in ((first, 100_00, 30), (second, 50_00, 0)):
            c.execute(
                sa.insert(sales).values(
                    id=sale_id,
                    store_id=store,
                    till_id=till,
                    staff_id=anna,
                    customer_id=None,
                    currency="RUB",
                    subtotal_minor=paid,
                    discount_minor=0,
                    redeemed_points=redeemed,
                    paid_minor=paid,
                    accrued_points=0,
                    occurred_at=AT,
                    received_at=AT,
                )
            )
        c.execute(
            sa.insert(returns).values(
                id=new_id(),
                sale_id=first,
                store_id=store,
                till_id=till,
                staff_id=anna,
                event_id=new_id(),
                quantities={},
                document={},
                refund_minor=40_00,
                occurred_at=AT,
                received_at=AT,
            )
        )
        for sale_id, score, reasons in ((first, 5, ["fast", "polite"]), (second, 2, ["slow"])):
            c.execute(
                sa.insert(votes).values(
                    id=new_id(),
                    sale_id=sale_id,
                    store_id=store,
                    till_id=till,
                    staff_id=anna,
                    score=score,
                    reasons=reasons,
                    channel="display",
                    at=AT,
                )
            )
    upgrade_to(engine, "head")
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(sa.select(staff_days))]
    # staff, day, sales, revenue, with card, redeemed, returns, refunded, 2s, 5s, fast, slow,
    # polite
    assert rows == [(anna, date(2026, 11, 11), 2, 150_00, 0, 30, 1, 40_00, 1, 1, 1, 1, 1)]
