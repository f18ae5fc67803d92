"""What an operator (or the demo, or a test) puts on the server for tills to pull:
rules versions, staff, products, gift cards, a store's redemption policy."""

from __future__ import annotations

from datetime import datetime

from loyalty_core.giftcards import GiftCard
from loyalty_core.rules import LoyaltyRules
from sync_server.services.unit_of_work import UnitOfWork


def publish_rules(
    rules: LoyaltyRules, uow: UnitOfWork, *, now: datetime, effective_at: datetime | None = None
) -> None:
    """A new rules version; a version is never edited."""
    with uow:
        uow.sync.add_rules_version(rules, effective_at or now, now)
        uow.commit()


def add_gift_card(card: GiftCard, uow: UnitOfWork, *, now: datetime) -> None:
    with uow:
        uow.sync.add_gift_card(card, now)
        uow.commit()


def add_staff(
    staff_id: str,
    store_id: str,
    name: str,
    role: str,
    pin_hash: str,
    uow: UnitOfWork,
    *,
    now: datetime,
) -> None:
    with uow:
        uow.sync.add_staff(staff_id, store_id, name, role, pin_hash, now)
        uow.commit()


def add_product(
    product_id: str,
    barcode: str,
    name: str,
    price: int,
    uow: UnitOfWork,
    *,
    now: datetime,
    store_id: str | None = None,
    category: str | None = None,
    flags: tuple[str, ...] = (),
) -> None:
    with uow:
        uow.sync.add_product(product_id, store_id, barcode, name, price, category, flags, now)
        uow.commit()


def set_redemption_policy(
    store_id: str, policy: str, uow: UnitOfWork, *, offline_limit_points: int | None = None
) -> None:
    with uow:
        uow.sync.set_redemption_policy(store_id, policy, offline_limit_points)
        uow.commit()


def load_gift_card(
    card: GiftCard,
    amount: int,
    entry_id: str,
    rules_version: int,
    uow: UnitOfWork,
    *,
    now: datetime,
) -> None:
    """Money put on a gift card at the office (the entry tills pull)."""
    from loyalty_core.giftcards import load_entry

    entry = load_entry(
        card,
        entry_id=entry_id,
        amount=amount,
        now=now,
        till_id="server",
        rules_version=rules_version,
    )
    with uow:
        uow.sync.add_entries([entry], None, now)
        uow.commit()
