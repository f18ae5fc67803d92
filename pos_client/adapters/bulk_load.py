"""Fast bulk loads into the till database: demo data, benchmarks, first bootstrap."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice

from sqlalchemy import Engine

from loyalty_core.customers import fold_name
from pos_client.adapters.repositories.driver_sql import driver, stamp

BATCH = 20_000


CustomerSeed = tuple[str, str, str | None, date | None, str]  # id, phone, name, birthday, card


def _batches(rows: Iterable[CustomerSeed]) -> Iterator[list[CustomerSeed]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def load_customers(
    engine: Engine,
    customers: Iterable[CustomerSeed],
    created_at: datetime,
) -> int:
    """Insert (id, phone, name, birthday, card_number) rows and their active cards.

    One transaction: either every customer lands or none does.
    """
    created = stamp(created_at)
    count = 0
    with engine.begin() as conn:
        raw = driver(conn)
        for batch in _batches(customers):
            raw.executemany(
                "INSERT INTO customers (id, phone, phone_reversed, name, name_folded, birthday,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        cid,
                        phone,
                        phone.lstrip("+")[::-1],
                        name,
                        fold_name(name),
                        birthday.isoformat() if birthday else None,
                        created,
                    )
                    for cid, phone, name, birthday, _card in batch
                ],
            )
            raw.executemany(
                "INSERT INTO cards (number, customer_id, status, issued_at) "
                "VALUES (?, ?, 'active', ?)",
                [(card, cid, created) for cid, _p, _n, _b, card in batch],
            )
            count += len(batch)
    return count
