"""The unit of work: one SQLite transaction, with the repositories that share it.

``with uow: ...; uow.commit()`` -- leaving the block without ``commit()`` rolls
everything back, so a sale, its ledger entries and its outbox event are written
together or not at all.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from pos_client.adapters.repositories.customers import CustomerRepository
from pos_client.adapters.repositories.gift_cards import GiftCardRepository
from pos_client.adapters.repositories.ledger import LedgerRepository
from pos_client.adapters.repositories.outbox import OutboxRepository
from pos_client.adapters.repositories.print_jobs import PrintJobRepository
from pos_client.adapters.repositories.products import ProductRepository
from pos_client.adapters.repositories.replica import ReplicaRepository
from pos_client.adapters.repositories.rules import RulesRepository
from pos_client.adapters.repositories.sales import SaleRepository
from pos_client.adapters.repositories.settings_store import TillStateRepository
from pos_client.adapters.repositories.shifts import ShiftRepository
from pos_client.adapters.repositories.staff import StaffRepository
from pos_client.adapters.repositories.votes import VoteRepository
from pos_client.adapters.sqlite_engine import TillEngines


class SqliteUnitOfWork:
    customers: CustomerRepository
    staff: StaffRepository
    products: ProductRepository
    sales: SaleRepository
    ledger: LedgerRepository
    outbox: OutboxRepository
    print_jobs: PrintJobRepository
    rules: RulesRepository
    state: TillStateRepository
    replica: ReplicaRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> SqliteUnitOfWork:
        if self._conn is not None:
            raise RuntimeError("a unit of work is not re-entrant")
        # A Core connection, no ORM session: repositories run plain statements. The
        # transaction begins here (IMMEDIATE for writes), so even driver-level reads
        # in repositories run inside it.
        s = self._conn = self._engine.connect()
        s.begin()
        self.customers = CustomerRepository(s)
        self.staff = StaffRepository(s)
        self.products = ProductRepository(s)
        self.sales = SaleRepository(s)
        self.ledger = LedgerRepository(s)
        self.outbox = OutboxRepository(s)
        self.print_jobs = PrintJobRepository(s)
        self.shifts = ShiftRepository(s)
        self.votes = VoteRepository(s)
        self.gift_cards = GiftCardRepository(s)
        self.rules = RulesRepository(s)
        self.state = TillStateRepository(s)
        self.replica = ReplicaRepository(s)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        try:
            self._conn.rollback()
        finally:
            self._conn.close()
            self._conn = None

    def commit(self) -> None:
        assert self._conn is not None, "commit() outside 'with uow:'"
        self._conn.commit()

    def rollback(self) -> None:
        assert self._conn is not None
        self._conn.rollback()


class UnitOfWorkFactory:
    """Makes units of work: ``writing()`` takes the write lock, ``reading()`` never does."""

    def __init__(self, engines: TillEngines) -> None:
        self._write = engines.write
        self._read = engines.read

    def writing(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self._write)

    def reading(self) -> SqliteUnitOfWork:
        return SqliteUnitOfWork(self._read)
