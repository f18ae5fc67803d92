"""What the server database guarantees on both backends, seen through its tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Engine, Float, Numeric, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from loyalty_core.ids import new_id
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.adapters.models import (
    Card,
    Customer,
    ReceivedEvent,
    Sale,
    Staff,
    Store,
    Till,
    metadata,
)
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# 2**53 + 1: the first integer a float cannot hold. Money must survive it exactly.
BEYOND_FLOAT = 9_007_199_254_740_993


def a_store_with_till_and_cashier(session: Session) -> tuple[Store, Till, Staff]:
    store = Store(id=new_id(), name="Demo store")
    till = Till(id=new_id(), store_id=store.id, name="Till 1")
    cashier = Staff(id=new_id(), store_id=store.id, name="Anna", role="cashier", pin_hash="x")
    session.add(store)
    session.flush()
    session.add_all([till, cashier])
    session.flush()
    return store, till, cashier


def a_customer(phone: str = "+79161234567") -> Customer:
    return Customer(
        id=new_id(),
        phone=phone,
        consent_given_at=NOW,
        consent_text_version="2026-01",
        created_at=NOW,
    )


def test_money_and_points_are_integer_columns_everywhere() -> None:
    inexact = [
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Float | Numeric)
    ]
    money = [
        column
        for table in metadata.sorted_tables
        for column in table.columns
        if column.name.endswith(("_minor", "points"))
    ]

    assert inexact == []
    assert money
    assert all(isinstance(column.type, BigInteger) for column in money)


def test_large_sums_are_stored_exactly(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        _, till, cashier = a_store_with_till_and_cashier(session)
        sale = Sale(
            id=new_id(),
            till_id=till.id,
            staff_id=cashier.id,
            currency="RUB",
            subtotal_minor=BEYOND_FLOAT,
            discount_minor=0,
            redeemed_points=-BEYOND_FLOAT,
            paid_minor=BEYOND_FLOAT,
            occurred_at=NOW,
        )
        session.add(sale)
        session.commit()
        sale_id = sale.id

    with Session(migrated_engine) as session:
        stored = session.execute(
            select(Sale.subtotal_minor, Sale.redeemed_points).where(Sale.id == sale_id)
        ).one()

    assert tuple(stored) == (BEYOND_FLOAT, -BEYOND_FLOAT)


def test_times_come_back_as_the_same_instant_in_utc(migrated_engine: Engine) -> None:
    moscow = timezone(timedelta(hours=3))
    customer = a_customer()
    customer.consent_given_at = datetime(2026, 3, 1, 15, 0, tzinfo=moscow)
    customer.birthday = date(1990, 5, 17)
    customer_id = customer.id
    with Session(migrated_engine) as session:
        session.add(customer)
        session.commit()

    with Session(migrated_engine) as session:
        stored = session.get_one(Customer, customer_id)

    assert stored.consent_given_at == NOW
    assert stored.consent_given_at.tzinfo == UTC
    assert stored.birthday == date(1990, 5, 17)


def test_a_time_without_time_zone_is_refused(migrated_engine: Engine) -> None:
    customer = a_customer()
    customer.created_at = datetime(2026, 3, 1, 12, 0)  # naive: which zone?
    with Session(migrated_engine) as session:
        session.add(customer)
        with pytest.raises(StatementError, match="naive datetime"):
            session.commit()


def test_a_phone_number_belongs_to_one_customer(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        session.add(a_customer("+79161234567"))
        session.commit()
        session.add(a_customer("+79161234567"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_an_event_id_is_received_only_once(migrated_engine: Engine) -> None:
    event_id = new_id()

    def received(store: Store, till: Till) -> ReceivedEvent:
        return ReceivedEvent(
            event_id=event_id,
            till_id=till.id,
            store_id=store.id,
            kind="sale.completed",
            aggregate_id=new_id(),
            status="applied",
            created_at=NOW,
            received_at=NOW,
        )

    with Session(migrated_engine) as session:
        store, till, _ = a_store_with_till_and_cashier(session)
        session.add(received(store, till))
        session.commit()
        session.add(received(store, till))
        with pytest.raises(IntegrityError):
            session.commit()


def a_card(customer_id: str, status: str = "active") -> Card:
    return Card(number="2000000000018", customer_id=customer_id, status=status, issued_at=NOW)


def test_a_card_of_an_unknown_customer_is_refused(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        session.add(a_card(customer_id=new_id()))
        with pytest.raises(IntegrityError):
            session.commit()


def test_an_unknown_card_status_is_refused(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        customer = a_customer()
        session.add(customer)
        session.flush()
        session.add(a_card(customer.id, status="lost"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_an_unknown_staff_role_is_refused(migrated_engine: Engine) -> None:
    with Session(migrated_engine) as session:
        store, _, _ = a_store_with_till_and_cashier(session)
        session.add(Staff(id=new_id(), store_id=store.id, name="B", role="admin", pin_hash="x"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_unit_of_work_keeps_only_what_was_committed(migrated_engine: Engine) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory(migrated_engine))
    committed, abandoned = a_customer("+79160000001"), a_customer("+79160000002")

    with uow:
        uow.session.add(committed)
        uow.commit()
    with uow:
        uow.session.add(abandoned)
        uow.session.flush()  # written inside the transaction, never committed

    with Session(migrated_engine) as session:
        phones = session.scalars(select(Customer.phone)).all()
    assert phones == ["+79160000001"]


def test_a_failed_use_case_leaves_nothing_behind(migrated_engine: Engine) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory(migrated_engine))

    with pytest.raises(RuntimeError), uow:
        uow.session.add(a_customer())
        uow.session.flush()
        raise RuntimeError("the printer caught fire")

    with Session(migrated_engine) as session:
        assert session.scalars(select(Customer)).all() == []


def test_sqlite_commits_durably_in_wal_mode(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys")
        }
        integrity = connection.execute(text("PRAGMA integrity_check")).scalar()
    engine.dispose()

    assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
    assert integrity == "ok"
