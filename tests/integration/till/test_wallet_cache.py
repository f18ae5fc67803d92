"""The wallets the till keeps in memory: the least recently used goes first, committed entries
are folded in, and a wallet that cannot take an entry is rebuilt from the ledger on disk.

Whatever the cache holds, the balance a receipt shows is the one the ledger on disk gives.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.staff import Role
from loyalty_core.wallet import Balance, Wallet
from pos_client.bootstrap import Till
from pos_client.services import returns as returns_service
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer, ReturnRequest
from pos_client.services.wallets import WalletCache


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _on_disk(seeded_till: Till, phone: str, now: datetime) -> Balance:
    """The balance a freshly started till computes from the ledger."""
    restarted = TillServices(
        seeded_till.services.uows, replace(seeded_till.services.ctx, clock=lambda: now)
    )
    return restarted.identify(phone).balance


def _customers(seeded_till: Till, count: int) -> list[str]:
    return [seeded_till.services.identify(demo_phone(i)).customer.id for i in range(count)]


def test_the_cache_holds_at_most_5000_wallets() -> None:
    cache = WalletCache()
    for n in range(5_000):
        cache.put(Wallet(f"customer-{n}"))
    assert len(cache) == 5_000
    cache.put(Wallet("customer-5000"))
    assert len(cache) == 5_000


def test_a_wallet_used_again_is_kept_over_one_not_used_since(seeded_till: Till) -> None:
    first, second, third = _customers(seeded_till, 3)
    cache = WalletCache(capacity=2)
    with seeded_till.services.uows.reading() as uow:
        a = cache.get(first, uow)
        b = cache.get(second, uow)
        assert cache.get(first, uow) is a  # held: served from memory, no reload
        cache.get(third, uow)  # the cache is full: the second, least recently used, goes
        assert len(cache) == 2
        assert cache.get(first, uow) is a
        assert cache.get(second, uow) is not b  # rebuilt from the ledger


def test_committed_entries_reach_the_wallets_held_and_no_other(seeded_till: Till) -> None:
    held, other = _customers(seeded_till, 2)
    cache = WalletCache()
    with seeded_till.services.uows.reading() as uow:
        wallet = cache.get(held, uow)
    now = datetime.now(UTC)
    before = wallet.balance(now).available
    # The other customer's entry comes first in business time: it is passed over, not the end.
    earlier = now - timedelta(minutes=1)
    cache.committed([_adjustment(held, 5_000, now), _adjustment(other, 7_000, earlier)])
    assert wallet.balance(now).available == before + 5_000
    assert len(cache) == 1  # the other customer's wallet was not loaded for it


def test_committed_entries_are_folded_in_business_time_order(seeded_till: Till) -> None:
    (held,) = _customers(seeded_till, 1)
    cache = WalletCache()
    with seeded_till.services.uows.reading() as uow:
        wallet = cache.get(held, uow)
    now = datetime.now(UTC)
    before = wallet.balance(now).available
    later, earlier = _adjustment(held, 1_000, now), _adjustment(held, 2_000, now - timedelta(1))
    cache.committed([later, earlier])  # given out of order: folded earlier first
    assert wallet.balance(now).available == before + 3_000
    assert len(cache) == 1


def test_a_wallet_that_cannot_take_an_older_entry_is_dropped_to_be_rebuilt(
    seeded_till: Till,
) -> None:
    (held,) = _customers(seeded_till, 1)
    cache = WalletCache()
    with seeded_till.services.uows.reading() as uow:
        cache.get(held, uow)
    now = datetime.now(UTC)
    cache.committed([_adjustment(held, 1_000, now)])
    cache.committed([_adjustment(held, 2_000, now - timedelta(hours=1))])  # back-dated
    assert len(cache) == 0


def test_a_forgotten_wallet_is_rebuilt_from_the_ledger_when_next_asked(seeded_till: Till) -> None:
    """Sync forgets the wallets whose ledger it changed; a customer not held is no error."""
    first, second = _customers(seeded_till, 2)
    cache = WalletCache()
    with seeded_till.services.uows.reading() as uow:
        a, b = cache.get(first, uow), cache.get(second, uow)
        cache.forget([first, "not-held"])
        assert len(cache) == 1
        assert cache.get(second, uow) is b  # still held
        rebuilt = cache.get(first, uow)
    assert rebuilt is not a
    now = datetime.now(UTC)
    assert rebuilt.balance(now) == a.balance(now)


def _adjustment(customer_id: str, points: int, at: datetime) -> LedgerEntry:
    return LedgerEntry(
        id=f"adj-{customer_id}-{points}",
        kind=EntryKind.ADJUSTMENT,
        occurred_at=at,
        till_id="till",
        rules_version=1,
        customer_id=customer_id,
        points=points,
        activates_at=at,
        expires_at=at + timedelta(days=30),
        reason="test",
        author="test",
    )


def test_a_sale_made_after_the_clock_was_set_back_reports_the_balance_from_the_ledger(
    seeded_till: Till,
) -> None:
    clock = Clock(datetime.now(UTC))
    sv = TillServices(seeded_till.services.uows, replace(seeded_till.services.ctx, clock=clock))
    customer = sv.identify(demo_phone(0))  # 236 ₽ of bonus
    items = (CartItem("a", "Кофе", 20_000),)
    sv.checkout(CheckoutRequest(items, "x", customer.customer.id, redeem=5_000))
    clock.now -= timedelta(minutes=5)  # the clock is corrected back
    sale = sv.checkout(CheckoutRequest(items, "x", customer.customer.id, redeem=5_000))
    # 236 - 50 - 50 = 136 ₽ left.
    assert sale.balance_after is not None and sale.balance_after.available == 13_600
    assert sale.balance_after == _on_disk(seeded_till, demo_phone(0), clock.now)


def test_a_return_that_fills_the_cache_still_reports_the_balance_from_the_ledger(
    seeded_till: Till,
) -> None:
    """Returning a referred customer's purchase loads the referrer's wallet too; in a cache
    with room for one the customer's own wallet makes way for it."""
    sv = seeded_till.services
    cashier = next(s.id for s in sv.staff_list() if s.role is Role.CASHIER)
    invited = sv.register_customer(
        RegisterCustomer("8 912 555-44-33", True, cashier, referrer_phone=demo_phone(1))
    ).customer
    coffee = CartItem("a", "Кофе", 50_000)
    sale = sv.checkout(CheckoutRequest((coffee,), cashier, customer_id=invited.id))
    request = ReturnRequest(sale.number, {coffee.line_id: 1_000}, cashier)

    done = returns_service.return_items(request, sv.uows.writing(), sv.ctx, WalletCache(1))

    assert done.priced.complete
    assert done.balance_after is not None
    assert done.balance_after == _on_disk(seeded_till, invited.phone, done.created_at)
    assert done.balance_after.available == 20_000  # the welcome bonus is all that is left
