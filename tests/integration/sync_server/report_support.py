"""A small chain for the managers' reports: two stores in two time zones, three cashiers,
sales, a return, votes, registrations and an override, stored through the server's own
repositories (so the daily roll-ups are kept as a push keeps them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, insert

from loyalty_core.ids import new_id
from loyalty_core.staff import hash_pin
from sync_server.adapters.models import Staff, Store, Till
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.manager_auth import create_manager
from sync_server.services.manager_ports import ManagerRole
from sync_server.services.sync_ports import (
    NewCustomer,
    NewReturn,
    NewSale,
    OverrideRecord,
    VoteRecordOnServer,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday; 15:00 in Moscow
PASSWORD = "correct horse battery"
_PIN = hash_pin("1111")


@dataclass(frozen=True)
class Chain:
    engine: Engine
    arbat: str  # Moscow
    vladivostok: str
    anna: str  # Arbat
    boris: str  # Arbat
    vera: str  # Vladivostok
    anna_low_vote_sale: str
    vera_sale: str  # not rated yet

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory(self.engine))


def _at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=UTC)


def seed_chain(engine: Engine) -> Chain:
    uow = SqlAlchemyUnitOfWork(session_factory(engine))
    arbat, vladivostok = new_id(), new_id()
    tills = {arbat: new_id(), vladivostok: new_id()}
    anna, boris, vera = new_id(), new_id(), new_id()
    with uow:
        s = uow.session
        s.execute(insert(Store).values(id=arbat, name="Арбат", timezone="Europe/Moscow"))
        s.execute(
            insert(Store).values(id=vladivostok, name="Владивосток", timezone="Asia/Vladivostok")
        )
        for store, till in tills.items():
            s.execute(insert(Till).values(id=till, store_id=store, name="Касса 1"))
        for staff, store, name in (
            (anna, arbat, "Анна"),
            (boris, arbat, "Борис"),
            (vera, vladivostok, "Вера"),
        ):
            s.execute(
                insert(Staff).values(
                    id=staff, store_id=store, name=name, role="cashier", pin_hash=_PIN
                )
            )
        uow.commit()

    number = iter(range(1, 1000))

    def sale(store: str, staff: str, at: datetime, paid: int, card: bool, redeemed: int = 0) -> str:
        sale_id = new_id()
        uow.sync.add_sale(
            NewSale(
                id=sale_id,
                store_id=store,
                till_id=tills[store],
                number=next(number),
                staff_id=staff,
                customer_id=customers[0] if card else None,
                card_number=None,
                currency="RUB",
                rules_version=1,
                subtotal=paid + redeemed,
                discount=0,
                redeemed=redeemed,
                paid=paid,
                accrued=0,
                occurred_at=at,
                received_at=at,
                receipt={},
                event_id=new_id(),
                lines=(),
            )
        )
        return sale_id

    def vote(
        sale_id: str,
        store: str,
        staff: str,
        score: int,
        reasons: list[str],
        at: datetime,
        comment: str = "",
    ) -> None:
        uow.sync.add_vote(
            VoteRecordOnServer(
                new_id(), sale_id, store, tills[store], staff, score, reasons, "web", at, comment
            )
        )

    customers = [new_id(), new_id()]
    with uow:
        for customer, phone, name, birthday in (
            (customers[0], "+79160000001", "Ольга", date(1990, 5, 1)),
            (customers[1], "+79160000002", None, None),
        ):
            uow.sync.add_customer(
                NewCustomer(
                    id=customer,
                    phone=phone,
                    name=name,
                    birthday=birthday,
                    email=None,
                    heard_from=None,
                    referrer_id=None,
                    consent_given_at=_at(2026, 11, 10),
                    consent_text_version="1",
                    till_id=tills[arbat],
                    created_at=_at(2026, 11, 10),
                    staff_id=anna,
                )
            )
        a1 = sale(arbat, anna, _at(2026, 11, 10), 100_00, card=True, redeemed=10)
        a2 = sale(arbat, anna, _at(2026, 11, 20), 200_00, card=True)
        a3 = sale(arbat, anna, _at(2026, 11, 29), 50_00, card=False)
        old = sale(arbat, anna, _at(2026, 10, 20), 70_00, card=False)  # before the period
        b1 = sale(arbat, boris, _at(2026, 11, 25), 300_00, card=False)
        # 15:30 UTC on 2 November is 01:30 on the 3rd in Vladivostok: inside the period there.
        vera_sale = sale(vladivostok, vera, _at(2026, 11, 2, 15, 30), 80_00, card=False)
        vote(a1, arbat, anna, 5, ["polite", "fast"], _at(2026, 11, 10, 11))
        vote(a2, arbat, anna, 4, ["polite"], _at(2026, 11, 20, 11))
        vote(a3, arbat, anna, 1, ["impolite"], _at(2026, 11, 29, 11), "Нагрубила")
        vote(old, arbat, anna, 5, [], _at(2026, 10, 20, 11))
        vote(b1, arbat, boris, 5, ["fast"], _at(2026, 11, 25, 11))
        uow.sync.add_return(
            NewReturn(
                id=new_id(),
                sale_id=a2,
                store_id=arbat,
                till_id=tills[arbat],
                number=next(number),
                staff_id=anna,
                quantities={},
                refund=50_00,
                occurred_at=_at(2026, 11, 21),
                received_at=_at(2026, 11, 21),
                document={},
                event_id=new_id(),
            )
        )
        uow.sync.add_override(
            OverrideRecord(
                new_id(),
                arbat,
                tills[arbat],
                anna,
                boris,
                "return",
                b1,
                300_00,
                "broken",
                _at(2026, 11, 26),
            )
        )
        uow.commit()
    for login, role, stores in (
        ("owner", ManagerRole.OWNER, []),
        ("arbat", ManagerRole.STORE_MANAGER, ["Арбат"]),
        ("east", ManagerRole.STORE_MANAGER, ["Владивосток"]),
    ):
        create_manager(login, login.title(), PASSWORD, role, stores, uow, now=NOW)
    return Chain(engine, arbat, vladivostok, anna, boris, vera, a3, vera_sale)
