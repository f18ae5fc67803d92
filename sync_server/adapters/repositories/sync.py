"""Sync over SQL: received events, customers and aliases, the ledger, sales, returns,
settlements, debts and the pull feed. Rows of pulled tables are ``touch``-ed on the
unit of work's ``FeedStamper`` so they get their feed positions at commit.

A push writes about fifteen rows per sale; one statement each would be a round trip
each. So sales, their lines, ledger entries, received events and settlements are kept
in a buffer and written with one executemany per table (``flush``): before any other
statement of the session runs (a ``do_orm_execute`` hook, so every read sees every
write before it) and at commit (``SqlAlchemyUnitOfWork.commit``)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, Table, event, func, insert, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from loyalty_core.giftcards import GiftCard as EngineGiftCard
from loyalty_core.ledger import EntryKind
from loyalty_core.ledger import LedgerEntry as Entry
from loyalty_core.rules import LoyaltyRules
from sync_server.adapters.feed import FeedStamper
from sync_server.adapters.models import (
    Card,
    ChangeFeedCounter,
    Customer,
    CustomerAlias,
    CustomerDebt,
    GiftCard,
    LedgerEntry,
    Override,
    Product,
    ReceivedEvent,
    RulesVersion,
    Sale,
    SaleLine,
    SaleReturn,
    Settlement,
    Shift,
    Staff,
    Store,
    Till,
    Vote,
    VoteRefusal,
)
from sync_server.adapters.repositories.staff_days import StaffDayTally
from sync_server.services.sync_ports import (
    CustomerRecord,
    DebtRecord,
    FeedPage,
    NewCustomer,
    NewReturn,
    NewSale,
    OverrideRecord,
    ReceivedRecord,
    SaleRecordOnServer,
    SettlementRecord,
    ShiftRecordOnServer,
    StoreSettings,
    TillClockRecord,
    VoteRecordOnServer,
    VoteRefusalRecord,
)

_CHUNK = 500  # ids per IN (...) list

_ENTRY_COLUMNS = (
    LedgerEntry.id,
    LedgerEntry.kind,
    LedgerEntry.occurred_at,
    LedgerEntry.till_id,
    LedgerEntry.rules_version,
    LedgerEntry.customer_id,
    LedgerEntry.points,
    LedgerEntry.amount_minor,
    LedgerEntry.sale_id,
    LedgerEntry.lot_id,
    LedgerEntry.activates_at,
    LedgerEntry.expires_at,
    LedgerEntry.gift_card_id,
    LedgerEntry.ref,
    LedgerEntry.reason,
    LedgerEntry.author,
)


def _entry(row: Any) -> Entry:
    return Entry(
        id=row[0],
        kind=EntryKind(row[1]),
        occurred_at=row[2],
        till_id=row[3],
        rules_version=row[4],
        customer_id=row[5],
        points=row[6],
        amount=row[7],
        sale_id=row[8],
        lot_id=row[9],
        activates_at=row[10],
        expires_at=row[11],
        gift_card_id=row[12],
        ref=row[13],
        reason=row[14],
        author=row[15],
    )


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    items = list(dict.fromkeys(values))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _received(row: ReceivedEvent) -> ReceivedRecord:
    return ReceivedRecord(
        event_id=row.event_id,
        till_id=row.till_id,
        store_id=row.store_id,
        kind=row.kind,
        aggregate_id=row.aggregate_id,
        status=row.status,
        code=row.code,
        message=row.message,
        created_at=row.created_at,
        received_at=row.received_at,
        attempts=row.attempts,
        payload=row.payload,
    )


def _settlement(row: Settlement) -> SettlementRecord:
    return SettlementRecord(
        id=row.id,
        kind=row.kind,
        event_id=row.event_id,
        store_id=row.store_id,
        till_id=row.till_id,
        message=row.message,
        created_at=row.created_at,
        points=row.points,
        amount=row.amount_minor,
        customer_id=row.customer_id,
        alias_id=row.alias_id,
        sale_id=row.sale_id,
        return_id=row.return_id,
        promo_code=row.promo_code,
        gift_card_id=row.gift_card_id,
    )


def _copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``COPY ... FROM STDIN`` on PostgreSQL: several times cheaper than an executemany.
    Values are the ones the ORM would bind: aware datetimes, UUID strings, JSON dumped."""
    names = list(rows[0])
    json_columns = {name for name in names if isinstance(table.c[name].type, JSON)}
    statement = "COPY {} ({}) FROM STDIN".format(
        table.name, ", ".join(f'"{name}"' for name in names)
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(row[name])
                    if name in json_columns and row[name] is not None
                    else row[name]
                    for name in names
                ]
            )


# Buffered inserts are written in this order: what a row refers to comes first.
_BUFFERED: tuple[Table, ...] = tuple(
    model.__table__  # type: ignore[misc]
    for model in (Sale, SaleLine, LedgerEntry, ReceivedEvent, Settlement)
)


class SqlSyncRepository:
    def __init__(self, session: Session, feed: FeedStamper) -> None:
        self._session = session
        self._feed = feed
        self._pending: dict[Table, list[dict[str, Any]]] = {}
        self._days = StaffDayTally(session)
        event.listen(session, "do_orm_execute", self._before_statement)

    # -- the write buffer ------------------------------------------------------------
    def _buffer(self, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        self._pending.setdefault(model.__table__, []).extend(rows)

    def _before_statement(self, _state: ORMExecuteState) -> None:
        self.flush()

    def flush(self) -> None:
        """Write the buffered rows (one executemany per table)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        connection = self._session.connection()
        copy = connection.dialect.name == "postgresql"
        for table in _BUFFERED:
            rows = pending.get(table)
            if not rows:
                continue
            if copy:
                _copy_rows(connection, table, rows)
            else:
                connection.execute(insert(table), rows)

    def flush_roll_ups(self) -> None:
        """The day roll-ups of the whole transaction, last before its commit: each day's row
        is written once, all in one sorted order (nothing reads them before the commit)."""
        if self._days.pending:
            self._days.flush(self._session.connection())

    def discard(self) -> None:
        self._pending.clear()
        self._days.discard()

    def _run(self, statement: Any, params: Any = None) -> Any:
        return self._session.execute(
            statement, params, execution_options={"synchronize_session": False}
        )

    # -- received events -------------------------------------------------------------
    def received(self, event_ids: Sequence[str]) -> dict[str, ReceivedRecord]:
        out: dict[str, ReceivedRecord] = {}
        for chunk in _chunks(event_ids):
            rows = self._session.scalars(
                select(ReceivedEvent).where(ReceivedEvent.event_id.in_(chunk))
            )
            out.update((row.event_id, _received(row)) for row in rows)
        return out

    def add_received(self, record: ReceivedRecord) -> None:
        self._buffer(
            ReceivedEvent,
            [
                {
                    "event_id": record.event_id,
                    "till_id": record.till_id,
                    "store_id": record.store_id,
                    "kind": record.kind,
                    "aggregate_id": record.aggregate_id,
                    "status": record.status,
                    "code": record.code,
                    "message": record.message,
                    "payload": record.payload,
                    "created_at": record.created_at,
                    "received_at": record.received_at,
                    "attempts": record.attempts,
                }
            ],
        )
        self._feed.touch(ReceivedEvent, record.event_id)

    def update_received(
        self, event_id: str, *, status: str, code: str | None, message: str | None
    ) -> None:
        self._run(
            update(ReceivedEvent)
            .where(ReceivedEvent.event_id == event_id)
            .values(
                status=status,
                code=code,
                message=message,
                attempts=ReceivedEvent.attempts + 1,
            )
        )

    def rejected_events(self, store_id: str | None, limit: int) -> list[ReceivedRecord]:
        query = select(ReceivedEvent).where(ReceivedEvent.status == "rejected")
        if store_id is not None:
            query = query.where(ReceivedEvent.store_id == store_id)
        query = query.order_by(ReceivedEvent.feed_position).limit(limit)
        return [_received(row) for row in self._session.scalars(query)]

    # -- customers -------------------------------------------------------------------
    def resolve(self, customer_ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in _chunks(customer_ids):
            own = self._session.scalars(select(Customer.id).where(Customer.id.in_(chunk)))
            out.update((cid, cid) for cid in own)
            aliases = self._session.execute(
                select(CustomerAlias.alias_id, CustomerAlias.customer_id).where(
                    CustomerAlias.alias_id.in_(chunk)
                )
            )
            out.update((row.alias_id, row.customer_id) for row in aliases)
        return out

    def customer(self, customer_id: str) -> CustomerRecord | None:
        row = self._session.execute(
            select(Customer.id, Customer.phone, Customer.birthday, Customer.referrer_id).where(
                Customer.id == customer_id
            )
        ).one_or_none()
        if row is None:
            return None
        return CustomerRecord(row.id, row.phone, row.birthday, row.referrer_id)

    def customers(self, customer_ids: Iterable[str]) -> dict[str, CustomerRecord]:
        out: dict[str, CustomerRecord] = {}
        for chunk in _chunks(customer_ids):
            rows = self._session.execute(
                select(Customer.id, Customer.phone, Customer.birthday, Customer.referrer_id).where(
                    Customer.id.in_(chunk)
                )
            )
            out.update((row.id, CustomerRecord(*row)) for row in rows)
        return out

    def customer_id_by_phone(self, phone: str) -> str | None:
        return self._session.scalar(select(Customer.id).where(Customer.phone == phone))

    def add_customer(self, customer: NewCustomer) -> None:
        self._run(
            insert(Customer).values(
                id=customer.id,
                phone=customer.phone,
                name=customer.name,
                birthday=customer.birthday,
                email=customer.email,
                heard_from=customer.heard_from,
                referrer_id=customer.referrer_id,
                consent_given_at=customer.consent_given_at,
                consent_text_version=customer.consent_text_version,
                registered_till_id=customer.till_id,
                # NULL for a staff id the server does not know (no broken reference).
                registered_by_staff_id=select(Staff.id)
                .where(Staff.id == customer.staff_id)
                .scalar_subquery(),
                created_at=customer.created_at,
            )
        )
        self._feed.touch(Customer, customer.id)

    def update_customer(self, customer_id: str, values: Mapping[str, Any]) -> None:
        if values:
            self._run(update(Customer).where(Customer.id == customer_id).values(**values))
            self._feed.touch(Customer, customer_id)

    def add_alias(
        self, alias_id: str, customer_id: str, till_id: str, event_id: str, now: datetime
    ) -> None:
        self._run(
            insert(CustomerAlias).values(
                alias_id=alias_id,
                customer_id=customer_id,
                till_id=till_id,
                event_id=event_id,
                merged_at=now,
            )
        )
        self._feed.touch(CustomerAlias, alias_id)

    def card_owner(self, number: str) -> str | None:
        return self._session.scalar(select(Card.customer_id).where(Card.number == number))

    def add_card(self, number: str, customer_id: str, status: str, issued_at: datetime) -> None:
        self._run(
            insert(Card).values(
                number=number, customer_id=customer_id, status=status, issued_at=issued_at
            )
        )
        self._feed.touch(Card, number)

    def replace_cards(self, numbers: Sequence[str], by: str, at: datetime) -> None:
        if not numbers:
            return
        found = list(
            self._session.scalars(
                select(Card.number).where(Card.number.in_(numbers), Card.status == "active")
            )
        )
        if found:
            self._run(
                update(Card)
                .where(Card.number.in_(found))
                .values(status="replaced", replaced_by=by, status_changed_at=at)
            )
            self._feed.touch(Card, *found)

    # -- ledger ----------------------------------------------------------------------
    def ledger_of(self, customer_ids: Iterable[str]) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for chunk in _chunks(customer_ids):
            for cid in chunk:
                out.setdefault(cid, [])
            rows = self._session.execute(
                select(*_ENTRY_COLUMNS).where(LedgerEntry.customer_id.in_(chunk))
            )
            for row in rows:
                out[str(row[5])].append(_entry(row))
        return out

    def existing_entry_ids(self, entry_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(entry_ids):
            out.update(
                self._session.scalars(select(LedgerEntry.id).where(LedgerEntry.id.in_(chunk)))
            )
        return out

    def add_entries(self, entries: Sequence[Entry], event_id: str | None, now: datetime) -> None:
        if not entries:
            return
        self._buffer(
            LedgerEntry,
            [
                {
                    "id": e.id,
                    "customer_id": e.customer_id,
                    "kind": e.kind.value,
                    "points": e.points,
                    "amount_minor": e.amount,
                    "occurred_at": e.occurred_at,
                    "activates_at": e.activates_at,
                    "expires_at": e.expires_at,
                    "till_id": e.till_id,
                    "rules_version": e.rules_version,
                    "sale_id": e.sale_id,
                    "lot_id": e.lot_id,
                    "gift_card_id": e.gift_card_id,
                    "ref": e.ref,
                    "reason": e.reason,
                    "author": e.author,
                    "event_id": event_id,
                    "recorded_at": now,
                }
                for e in entries
            ],
        )
        self._feed.touch(LedgerEntry, *(e.id for e in entries))

    def promo_uses(self, codes: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(codes))
        if not wanted:
            return {}
        rows = self._session.execute(
            select(LedgerEntry.ref, func.count())
            .where(LedgerEntry.kind == EntryKind.PROMO_USE.value, LedgerEntry.ref.in_(wanted))
            .group_by(LedgerEntry.ref)
        )
        return {str(row[0]): int(row[1]) for row in rows}

    def gift_card(self, gift_card_id: str) -> EngineGiftCard | None:
        row = self._session.get(GiftCard, gift_card_id)
        if row is None:
            return None
        return EngineGiftCard(row.id, row.number, row.pin_hash, row.expires_at, row.blocked)

    def gift_card_entries(self, gift_card_id: str) -> list[Entry]:
        rows = self._session.execute(
            select(*_ENTRY_COLUMNS).where(LedgerEntry.gift_card_id == gift_card_id)
        )
        return [_entry(row) for row in rows]

    def add_gift_card_debt(self, gift_card_id: str, amount: int, now: datetime) -> None:
        self._run(
            update(GiftCard)
            .where(GiftCard.id == gift_card_id)
            .values(debt_minor=GiftCard.debt_minor + amount, updated_at=now)
        )

    def rules(self, version: int) -> LoyaltyRules | None:
        document = self._session.scalar(
            select(RulesVersion.document).where(RulesVersion.version == version)
        )
        return None if document is None else LoyaltyRules.from_dict(document)

    # -- sales and returns -----------------------------------------------------------
    def sale(self, sale_id: str) -> SaleRecordOnServer | None:
        row = self._session.execute(
            select(
                Sale.id,
                Sale.store_id,
                Sale.customer_id,
                Sale.receipt,
                Sale.tenders,
                Sale.number,
                Sale.till_id,
                Sale.staff_id,
            ).where(Sale.id == sale_id)
        ).one_or_none()
        if row is None or row.receipt is None:
            return None
        return SaleRecordOnServer(
            row.id,
            row.store_id,
            row.customer_id,
            row.receipt,
            row.tenders,
            row.number,
            row.till_id,
            row.staff_id,
        )

    def add_sale(self, sale: NewSale) -> None:
        self._days.sale(
            sale.store_id,
            sale.staff_id,
            sale.occurred_at,
            sale.paid,
            sale.customer_id is not None,
            sale.redeemed,
        )
        self._buffer(
            Sale,
            [
                {
                    "id": sale.id,
                    "store_id": sale.store_id,
                    "till_id": sale.till_id,
                    "number": sale.number,
                    "staff_id": sale.staff_id,
                    "customer_id": sale.customer_id,
                    "card_number": sale.card_number,
                    "currency": sale.currency,
                    "rules_version": sale.rules_version,
                    "subtotal_minor": sale.subtotal,
                    "discount_minor": sale.discount,
                    "redeemed_points": sale.redeemed,
                    "paid_minor": sale.paid,
                    "accrued_points": sale.accrued,
                    "occurred_at": sale.occurred_at,
                    "received_at": sale.received_at,
                    "receipt": sale.receipt,
                    "event_id": sale.event_id,
                    "tenders": sale.tenders,
                }
            ],
        )
        if sale.lines:
            self._buffer(
                SaleLine,
                [
                    {
                        "sale_id": sale.id,
                        "line_id": line_id,
                        "sku": sku,
                        "name": name,
                        "quantity_milli": qty,
                        "amount_minor": amount,
                        "discount_minor": discount,
                        "redeemed_points": redeemed,
                        "accrued_points": accrued,
                    }
                    for line_id, sku, name, qty, amount, discount, redeemed, accrued in sale.lines
                ],
            )

    def returned_quantities(self, sale_id: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for quantities in self._session.scalars(
            select(SaleReturn.quantities).where(SaleReturn.sale_id == sale_id)
        ):
            for line_id, qty in quantities.items():
                out[line_id] = out.get(line_id, 0) + int(qty)
        return out

    def refunds_of(self, sale_id: str) -> list[list[dict[str, Any]] | None]:
        return list(
            self._session.scalars(
                select(SaleReturn.refunds)
                .where(SaleReturn.sale_id == sale_id)
                .order_by(SaleReturn.occurred_at)
            )
        )

    def add_return(self, sale_return: NewReturn) -> None:
        self._days.sale_return(
            sale_return.store_id,
            sale_return.staff_id,
            sale_return.occurred_at,
            sale_return.refund,
        )
        self._run(
            insert(SaleReturn).values(
                id=sale_return.id,
                sale_id=sale_return.sale_id,
                store_id=sale_return.store_id,
                till_id=sale_return.till_id,
                number=sale_return.number,
                staff_id=sale_return.staff_id,
                quantities=sale_return.quantities,
                refund_minor=sale_return.refund,
                occurred_at=sale_return.occurred_at,
                received_at=sale_return.received_at,
                document=sale_return.document,
                event_id=sale_return.event_id,
                refunds=sale_return.refunds,
            )
        )

    # -- shifts ------------------------------------------------------------------------
    def save_shift(self, shift: ShiftRecordOnServer) -> None:
        values = dataclasses.asdict(shift)
        if self._session.get(Shift, shift.id) is None:
            self._run(insert(Shift).values(**values))
        elif shift.closed_at is not None:  # the close: what the opening did not know
            closed = ("closed_by", "closed_at", "expected_minor", "counted_minor", "totals")
            self._run(
                update(Shift).where(Shift.id == shift.id).values(**{k: values[k] for k in closed})
            )

    def voted(self, sale_id: str) -> bool:
        return self._session.scalar(select(Vote.id).where(Vote.sale_id == sale_id)) is not None

    def add_vote(self, vote: VoteRecordOnServer) -> None:
        self._days.vote(vote.store_id, vote.staff_id, vote.at, vote.score, vote.reasons)
        self._run(insert(Vote).values(**dataclasses.asdict(vote)))

    def add_vote_refusal(self, refusal: VoteRefusalRecord) -> None:
        self._run(insert(VoteRefusal).values(**dataclasses.asdict(refusal)))

    def add_override(self, override: OverrideRecord) -> None:
        self._run(insert(Override).values(**dataclasses.asdict(override)))

    # -- settlements, debts, tills ---------------------------------------------------
    def add_settlement(self, settlement: SettlementRecord) -> None:
        self._buffer(
            Settlement,
            [
                {
                    "id": settlement.id,
                    "kind": settlement.kind,
                    "event_id": settlement.event_id,
                    "store_id": settlement.store_id,
                    "till_id": settlement.till_id,
                    "customer_id": settlement.customer_id,
                    "alias_id": settlement.alias_id,
                    "sale_id": settlement.sale_id,
                    "return_id": settlement.return_id,
                    "promo_code": settlement.promo_code,
                    "gift_card_id": settlement.gift_card_id,
                    "points": settlement.points,
                    "amount_minor": settlement.amount,
                    "message": settlement.message,
                    "created_at": settlement.created_at,
                }
            ],
        )
        self._feed.touch(Settlement, settlement.id)

    def settlements(
        self, store_id: str | None, kind: str | None, limit: int
    ) -> list[SettlementRecord]:
        query = select(Settlement)
        if store_id is not None:
            query = query.where(Settlement.store_id == store_id)
        if kind is not None:
            query = query.where(Settlement.kind == kind)
        query = query.order_by(Settlement.feed_position).limit(limit)
        return [_settlement(row) for row in self._session.scalars(query)]

    def set_debt(self, customer_id: str, points: int, now: datetime) -> None:
        self.set_debts({customer_id: points}, now)

    def set_debts(self, debts: Mapping[str, int], now: datetime) -> None:
        held: dict[str, tuple[int, int]] = {}
        for chunk in _chunks(debts):
            rows = self._session.execute(
                select(
                    CustomerDebt.customer_id, CustomerDebt.points, CustomerDebt.highest_points
                ).where(CustomerDebt.customer_id.in_(chunk))
            )
            held.update((row[0], (row[1], row[2])) for row in rows)
        for customer_id, points in debts.items():
            if customer_id not in held:
                if points:
                    self._run(
                        insert(CustomerDebt).values(
                            customer_id=customer_id,
                            points=points,
                            highest_points=points,
                            updated_at=now,
                        )
                    )
                continue
            current, highest = held[customer_id]
            if current != points:
                self._run(
                    update(CustomerDebt)
                    .where(CustomerDebt.customer_id == customer_id)
                    .values(points=points, highest_points=max(highest, points), updated_at=now)
                )

    def debts(self, limit: int) -> list[DebtRecord]:
        rows = self._session.execute(
            select(
                CustomerDebt.customer_id,
                Customer.phone,
                CustomerDebt.points,
                CustomerDebt.highest_points,
                CustomerDebt.updated_at,
            )
            .join(Customer, Customer.id == CustomerDebt.customer_id)
            .order_by(CustomerDebt.points.desc(), CustomerDebt.customer_id)
            .limit(limit)
        )
        return [DebtRecord(*row) for row in rows]

    def lock_till(self, till_id: str) -> None:
        # PostgreSQL: FOR UPDATE waits for another push of this till to commit. SQLite:
        # no-op in SQL (BEGIN IMMEDIATE already serializes writers).
        self._session.execute(select(Till.id).where(Till.id == till_id).with_for_update())

    def record_push(self, till_id: str, now: datetime, skew_s: int | None, flagged: bool) -> None:
        values: dict[str, Any] = {"last_push_at": now}
        if skew_s is not None:
            values["clock_skew_s"] = skew_s
            values["clock_flagged_at"] = now if flagged else None
        self._run(update(Till).where(Till.id == till_id).values(**values))

    def record_pull(self, till_id: str, now: datetime, *, not_since: datetime) -> None:
        self._run(
            update(Till)
            .where(
                Till.id == till_id,
                or_(Till.last_pull_at.is_(None), Till.last_pull_at < not_since),
            )
            .values(last_pull_at=now)
        )

    def flagged_clocks(self, limit: int) -> list[TillClockRecord]:
        rows = self._session.execute(
            select(
                Till.id,
                Till.name,
                Till.store_id,
                Till.clock_skew_s,
                Till.clock_flagged_at,
                Till.last_push_at,
                Till.last_pull_at,
            )
            .where(Till.clock_flagged_at.is_not(None))
            .order_by(Till.clock_flagged_at.desc())
            .limit(limit)
        )
        return [TillClockRecord(*row) for row in rows]

    # -- pull ------------------------------------------------------------------------
    def begin_snapshot(self) -> None:
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.connection(
                execution_options={
                    "isolation_level": "REPEATABLE READ",
                    "postgresql_readonly": True,
                }
            )

    def store_settings(self, store_id: str) -> StoreSettings | None:
        row = self._session.execute(
            select(Store.id, Store.name, Store.redemption_policy, Store.offline_limit_points).where(
                Store.id == store_id
            )
        ).one_or_none()
        return None if row is None else StoreSettings(*row)

    def last_position(self) -> int:
        return int(
            self._session.scalar(
                select(ChangeFeedCounter.last_position).where(ChangeFeedCounter.id == 1)
            )
            or 0
        )

    def feed_page(self, store_id: str, after: int, upto: int) -> FeedPage:
        page = FeedPage()
        connection = self._session.connection()  # Core rows: no ORM loading per row

        def window(query: Any, column: Any) -> Any:
            return connection.execute(
                query.where(column > after, column <= upto).order_by(column)
            ).all()

        page.customers = [
            (r[0], tuple(r[1:]))
            for r in window(
                select(
                    Customer.feed_position,
                    Customer.id,
                    Customer.phone,
                    Customer.name,
                    Customer.birthday,
                    Customer.email,
                    Customer.created_at,
                    Customer.referrer_id,
                ),
                Customer.feed_position,
            )
        ]
        page.aliases = [
            (r[0], (r[1], r[2]))
            for r in window(
                select(
                    CustomerAlias.feed_position, CustomerAlias.alias_id, CustomerAlias.customer_id
                ),
                CustomerAlias.feed_position,
            )
        ]
        page.cards = [
            (r[0], tuple(r[1:]))
            for r in window(
                select(
                    Card.feed_position,
                    Card.number,
                    Card.customer_id,
                    Card.status,
                    Card.issued_at,
                    Card.replaced_by,
                ),
                Card.feed_position,
            )
        ]
        page.ledger = [
            (r[0], _entry(r[1:]))
            for r in window(
                select(LedgerEntry.feed_position, *_ENTRY_COLUMNS), LedgerEntry.feed_position
            )
        ]
        page.rules = [
            (r[0], (r[1], r[2], r[3]))
            for r in window(
                select(
                    RulesVersion.feed_position,
                    RulesVersion.version,
                    RulesVersion.effective_at,
                    RulesVersion.document,
                ),
                RulesVersion.feed_position,
            )
        ]
        page.staff = [
            (r[0], (r[1], r[2], r[3], r[4], r[5] is not None))
            for r in window(
                select(
                    Staff.feed_position,
                    Staff.id,
                    Staff.name,
                    Staff.role,
                    Staff.pin_hash,
                    Staff.disabled_at,
                ).where(Staff.store_id == store_id),
                Staff.feed_position,
            )
        ]
        page.products = [
            (r[0], tuple(r[1:]))
            for r in window(
                select(
                    Product.feed_position,
                    Product.id,
                    Product.barcode,
                    Product.name,
                    Product.price_minor,
                    Product.category,
                    Product.flags,
                    Product.active,
                ).where(or_(Product.store_id.is_(None), Product.store_id == store_id)),
                Product.feed_position,
            )
        ]
        page.gift_cards = [
            (r[0], EngineGiftCard(r[1], r[2], r[3], r[4], r[5]))
            for r in window(
                select(
                    GiftCard.feed_position,
                    GiftCard.id,
                    GiftCard.number,
                    GiftCard.pin_hash,
                    GiftCard.expires_at,
                    GiftCard.blocked,
                ),
                GiftCard.feed_position,
            )
        ]
        page.store = [
            (r[0], StoreSettings(r[1], r[2], r[3], r[4]))
            for r in window(
                select(
                    Store.feed_position,
                    Store.id,
                    Store.name,
                    Store.redemption_policy,
                    Store.offline_limit_points,
                ).where(Store.id == store_id),
                Store.feed_position,
            )
        ]
        return page

    # -- setup -----------------------------------------------------------------------
    def store_has_staff(self, store_id: str) -> bool:
        found = self._session.scalar(select(Staff.id).where(Staff.store_id == store_id).limit(1))
        return found is not None

    def add_rules_version(self, rules: LoyaltyRules, effective_at: datetime, now: datetime) -> None:
        self._run(
            insert(RulesVersion).values(
                version=rules.version,
                document=rules.model_dump(mode="json"),
                created_at=now,
                effective_at=effective_at,
            )
        )
        self._feed.touch(RulesVersion, rules.version)

    def add_staff(
        self, staff_id: str, store_id: str, name: str, role: str, pin_hash: str, now: datetime
    ) -> None:
        self._run(
            insert(Staff).values(
                id=staff_id,
                store_id=store_id,
                name=name,
                role=role,
                pin_hash=pin_hash,
                failed_pin_attempts=0,
                created_at=now,
            )
        )
        self._feed.touch(Staff, staff_id)

    def add_product(
        self,
        product_id: str,
        store_id: str | None,
        barcode: str,
        name: str,
        price: int,
        category: str | None,
        flags: Sequence[str],
        now: datetime,
    ) -> None:
        self._run(
            insert(Product).values(
                id=product_id,
                store_id=store_id,
                barcode=barcode,
                name=name,
                price_minor=price,
                category=category,
                flags=list(flags),
                active=True,
                updated_at=now,
            )
        )
        self._feed.touch(Product, product_id)

    def add_gift_card(self, card: EngineGiftCard, now: datetime) -> None:
        self._run(
            insert(GiftCard).values(
                id=card.id,
                number=card.number,
                pin_hash=card.pin_hash,
                expires_at=card.expires_at,
                blocked=card.blocked,
                debt_minor=0,
                updated_at=now,
            )
        )
        self._feed.touch(GiftCard, card.id)

    def set_redemption_policy(self, store_id: str, policy: str, limit: int | None) -> None:
        self._run(
            update(Store)
            .where(Store.id == store_id)
            .values(redemption_policy=policy, offline_limit_points=limit)
        )
        self._feed.touch(Store, store_id)
