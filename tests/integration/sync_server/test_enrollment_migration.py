"""Revision 0002 keeps existing enrollment codes: a code made for a till (0001) now
belongs to that till's store, and a spent one remembers which till spent it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import Engine

from loyalty_core.ids import new_id
from sync_server.adapters.migrate import downgrade_to, upgrade_to

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ID = sa.Uuid(as_uuid=False)
WHEN = sa.DateTime(timezone=True)

stores = sa.table("stores", sa.column("id", ID), sa.column("name"), sa.column("created_at", WHEN))
tills = sa.table(
    "tills",
    sa.column("id", ID),
    sa.column("store_id", ID),
    sa.column("name"),
    sa.column("created_at", WHEN),
)
codes_0001 = sa.table(
    "enrollment_codes",
    sa.column("id", ID),
    sa.column("till_id", ID),
    sa.column("code_hash"),
    sa.column("created_at", WHEN),
    sa.column("expires_at", WHEN),
    sa.column("used_at", WHEN),
)
codes_0002 = sa.table(
    "enrollment_codes",
    sa.column("code_hash"),
    sa.column("store_id", ID),
    sa.column("used_by_till_id", ID),
)


def test_codes_made_for_tills_move_to_their_stores_and_back(engine: Engine) -> None:
    upgrade_to(engine, "0001")
    store_id, till_id = new_id(), new_id()
    with engine.begin() as connection:
        connection.execute(sa.insert(stores).values(id=store_id, name="Main", created_at=NOW))
        connection.execute(
            sa.insert(tills).values(id=till_id, store_id=store_id, name="Till 1", created_at=NOW)
        )
        for code_hash, used_at in (("spent", NOW), ("unspent", None)):
            connection.execute(
                sa.insert(codes_0001).values(
                    id=new_id(),
                    till_id=till_id,
                    code_hash=code_hash,
                    created_at=NOW,
                    expires_at=NOW,
                    used_at=used_at,
                )
            )

    upgrade_to(engine, "0002")

    with engine.connect() as connection:
        rows = connection.execute(sa.select(codes_0002).order_by(codes_0002.c.code_hash)).all()
    assert [tuple(row) for row in rows] == [
        ("spent", store_id, till_id),
        ("unspent", store_id, None),
    ]

    downgrade_to(engine, "0001")

    # 0001 cannot hold a code that names no till: the unspent one goes.
    with engine.connect() as connection:
        rows = connection.execute(sa.select(codes_0001.c.code_hash, codes_0001.c.till_id)).all()
    assert [tuple(row) for row in rows] == [("spent", till_id)]
