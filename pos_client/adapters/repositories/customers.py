"""Customers, consents and cards in the till database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from loyalty_core.customers import Card, CardStatus, Consent, Customer, fold_name
from loyalty_core.ids import new_id
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


def _customer(row: Any) -> Customer:
    return Customer(*row)


def _card(row: Any) -> Card:
    return Card(
        number=row.number,
        customer_id=row.customer_id,
        status=CardStatus(row.status),
        issued_at=row.issued_at,
        replaced_by=row.replaced_by,
    )


class CustomerRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, customer_id: str) -> Customer | None:
        row = self._s.execute(_SELECT_CUSTOMER.where(_C.c.id == customer_id)).first()
        return _customer(row) if row else None

    def by_phone(self, phone: str) -> Customer | None:
        row = self._s.execute(_SELECT_CUSTOMER.where(_C.c.phone == phone)).first()
        return _customer(row) if row else None

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
        rows = self._s.execute(stmt.order_by(_C.c.phone).limit(limit)).all()
        return [_customer(r) for r in rows]

    def add(self, customer: Customer, *, staff_id: str | None, till_id: str | None) -> None:
        self._s.execute(
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
        self._s.execute(
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
        rows = self._s.execute(
            select(t.c.given_at, t.c.text_version, t.c.channel)
            .where(t.c.customer_id == customer_id)
            .order_by(t.c.given_at)
        ).all()
        return [Consent(*r) for r in rows]

    # -- cards -------------------------------------------------------------------
    def card(self, number: str) -> Card | None:
        row = self._s.execute(select(_CARD).where(_CARD.c.number == number)).first()
        return _card(row) if row else None

    def cards_of(self, customer_id: str) -> list[Card]:
        rows = self._s.execute(
            select(_CARD).where(_CARD.c.customer_id == customer_id).order_by(_CARD.c.issued_at)
        ).all()
        return [_card(r) for r in rows]

    def add_card(self, card: Card) -> None:
        self._s.execute(
            insert(_CARD).values(
                number=card.number,
                customer_id=card.customer_id,
                status=card.status.value,
                issued_at=card.issued_at,
                replaced_by=card.replaced_by,
            )
        )

    def set_card_status(self, number: str, status: CardStatus, replaced_by: str | None) -> None:
        self._s.execute(
            update(_CARD)
            .where(_CARD.c.number == number)
            .values(status=status.value, replaced_by=replaced_by)
        )


def _glob_escape(text: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in text)
