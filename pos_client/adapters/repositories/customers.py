"""Customers, consents and cards in the till database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Connection

from loyalty_core.customers import Card, CardStatus, Consent, Customer, fold_name
from loyalty_core.ids import new_id
from pos_client.adapters.repositories.driver_sql import day, driver, utc_required
from pos_client.adapters.tables import CardRow, ConsentRow, CustomerRow, table_of

_C = table_of(CustomerRow)
_CARD = table_of(CardRow)
_CUSTOMER_COLUMNS = (
    _C.c.id,
    _C.c.phone,
    _C.c.created_at,
    _C.c.name,
    _C.c.birthday,
    _C.c.email,
    _C.c.heard_from,
    _C.c.referrer_id,
)
_SELECT_CUSTOMER = select(*_CUSTOMER_COLUMNS)
_CARD_SQL = "SELECT number, customer_id, status, issued_at, replaced_by FROM cards"


_CUSTOMER_SQL = (
    "SELECT id, phone, created_at, name, birthday, email, heard_from, referrer_id FROM customers"
)


def _customer(row: Any) -> Customer:
    return Customer(*row)


def _customer_raw(row: tuple[Any, ...]) -> Customer:
    cid, phone, created, name, birthday, email, heard, referrer = row
    return Customer(cid, phone, utc_required(created), name, day(birthday), email, heard, referrer)


def _card_raw(row: tuple[Any, ...]) -> Card:
    number, customer_id, status, issued, replaced_by = row
    return Card(number, customer_id, CardStatus(status), utc_required(issued), replaced_by)


class CustomerRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, customer_id: str) -> Customer | None:
        """The customer, also by an id the server merged into another (its alias)."""
        db = driver(self._c)
        row = db.execute(_CUSTOMER_SQL + " WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            row = db.execute(
                _CUSTOMER_SQL
                + " WHERE id = (SELECT customer_id FROM customer_aliases WHERE alias_id = ?)",
                (customer_id,),
            ).fetchone()
        return _customer_raw(row) if row else None

    def by_phone(self, phone: str) -> Customer | None:
        cur = driver(self._c).execute(_CUSTOMER_SQL + " WHERE phone = ?", (phone,))
        row = cur.fetchone()
        return _customer_raw(row) if row else None

    def search(self, text: str, limit: int = 20) -> list[Customer]:
        """By phone digits (a prefix or the last digits) or by the start of the name."""
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits:
            stmt = _SELECT_CUSTOMER.where(
                or_(
                    _C.c.phone_reversed.op("GLOB", is_comparison=True)(digits[::-1] + "*"),
                    _C.c.phone.op("GLOB", is_comparison=True)("+" + digits + "*"),
                )
            )
        else:
            folded = fold_name(text.strip()) or ""
            if not folded:
                return []
            stmt = _SELECT_CUSTOMER.where(
                _C.c.name_folded.op("GLOB", is_comparison=True)(_glob_escape(folded) + "*")
            )
        rows = self._c.execute(stmt.order_by(_C.c.phone).limit(limit)).all()
        return [_customer(r) for r in rows]

    def add(self, customer: Customer, *, staff_id: str | None, till_id: str | None) -> None:
        self._c.execute(
            insert(_C).values(
                id=customer.id,
                phone=customer.phone,
                phone_reversed=customer.phone.lstrip("+")[::-1],
                name=customer.name,
                name_folded=fold_name(customer.name),
                birthday=customer.birthday,
                email=customer.email,
                heard_from=customer.heard_from,
                referrer_id=customer.referrer_id,
                created_at=customer.created_at,
                created_by_staff_id=staff_id,
                created_at_till_id=till_id,
            )
        )

    def add_consent(self, customer_id: str, consent: Consent, staff_id: str | None) -> None:
        self._c.execute(
            insert(table_of(ConsentRow)).values(
                id=new_id(),
                customer_id=customer_id,
                given_at=consent.given_at,
                text_version=consent.text_version,
                channel=consent.channel,
                staff_id=staff_id,
            )
        )

    def consents(self, customer_id: str) -> list[Consent]:
        t = table_of(ConsentRow)
        rows = self._c.execute(
            select(t.c.given_at, t.c.text_version, t.c.channel)
            .where(t.c.customer_id == customer_id)
            .order_by(t.c.given_at)
        ).all()
        return [Consent(*r) for r in rows]

    # -- cards -------------------------------------------------------------------
    def card(self, number: str) -> Card | None:
        row = driver(self._c).execute(_CARD_SQL + " WHERE number = ?", (number,)).fetchone()
        return _card_raw(row) if row else None

    def cards_of(self, customer_id: str) -> list[Card]:
        rows = driver(self._c).execute(
            _CARD_SQL + " WHERE customer_id = ? ORDER BY issued_at", (customer_id,)
        )
        return [_card_raw(r) for r in rows]

    def add_card(self, card: Card) -> None:
        self._c.execute(
            insert(_CARD).values(
                number=card.number,
                customer_id=card.customer_id,
                status=card.status.value,
                issued_at=card.issued_at,
                replaced_by=card.replaced_by,
            )
        )

    def set_card_status(self, number: str, status: CardStatus, replaced_by: str | None) -> None:
        self._c.execute(
            update(_CARD)
            .where(_CARD.c.number == number)
            .values(status=status.value, replaced_by=replaced_by)
        )


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in text)
