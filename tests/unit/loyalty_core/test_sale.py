"""The ledger entries a sale writes, field by field.

The server re-prices a pushed sale and compares ``sale_entries`` with what the till
pushed, so every field of every entry is part of the contract, ids included: they
derive from the sale id and a fixed label, so a retried push is the same entries.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CustomerState
from loyalty_core.rules import PromoCode, PromoKind
from loyalty_core.sale import accrual_lot_id, bonus_lot_id, boost_lot_id, sale_entries
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, line, lot, plain_rules, uid

SALE = "0190f3a2-7c1d-7e00-8000-00000000a001"
TILL = "till-7"
REFERRER = "22222222-2222-7222-8222-222222222222"
CARD = GiftCard(
    id="0190f3a2-7c1d-7e00-8000-00000000c001",
    number="7000123456789012",
    pin_hash=hash_pin("4321", salt=b"0" * 16),
    expires_at=T0 + timedelta(days=365),
)
TEN = PromoCode(code="TEN", kind=PromoKind.PERCENT, value=1000)


def _day(month: int, day: int, year: int = 2024) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def _card(balance: int) -> GiftCardPayment:
    loaded = load_entry(
        CARD, entry_id=uid(), amount=balance, now=at(-1), till_id="t", rules_version=1
    )
    return GiftCardPayment(project_gift_card(CARD, [loaded]))


def _entry(kind: EntryKind, entry_id: str, **fields: Any) -> LedgerEntry:
    """An entry of SALE as the till writes it: at the sale's time, on its till and rules."""
    fields.setdefault("customer_id", CUSTOMER)
    return LedgerEntry(
        id=entry_id,
        kind=kind,
        occurred_at=T0,
        till_id=TILL,
        rules_version=7,
        sale_id=SALE,
        **fields,
    )


def test_an_invited_customers_first_purchase_writes_every_entry_with_ids_from_the_sale() -> None:
    rules = plain_rules(
        version=7,
        first_purchase={"accrual_bp": 1000, "expiry_days": 14},
        referral={"referrer_points": 30_000, "referred_points": 20_000, "expiry_days": 90},
        promos=(TEN.model_dump(),),
    )
    wallet = project(CUSTOMER, [lot(5_000, when=at(-10))])
    customer = CustomerState(CUSTOMER, wallet, referred_by=REFERRER)
    receipt = price_checkout(
        rules,
        [line(100_000, line_id="a")],
        now=T0,
        customer=customer,
        redeem=3_000,
        promo_codes=["TEN"],
        gift_cards=[_card(10_000)],
    )
    # 1 000,00 - 10% promo = 900,00; 30,00 paid with bonus: 870,00 due, 100,00 of it by
    # the gift card. Accrual 5% of 870,00 = 43,50; the first purchase earns 10% in all,
    # so the boost is 87,00 - 43,50 = 43,50. Store days in UTC: active from 01.03 00:00,
    # accrual for 365 days (to 01.03.2025), boost 14 days (15.03), referral 90 (30.05).
    assert (receipt.spend, receipt.redeemed, receipt.accrual, receipt.boost) == (
        87_000,
        3_000,
        4_350,
        4_350,
    )
    active, referral_end = _day(3, 1), _day(5, 30)
    expected = [
        _entry(EntryKind.PURCHASE, derived_id(SALE, "purchase"), amount=87_000),
        _entry(EntryKind.REDEMPTION, derived_id(SALE, "redemption"), points=-3_000),
        _entry(
            EntryKind.ACCRUAL,
            derived_id(SALE, "accrual"),
            points=4_350,
            activates_at=active,
            expires_at=_day(3, 1, 2025),
        ),
        _entry(
            EntryKind.BONUS,
            derived_id(SALE, "bonus:first_purchase"),
            points=4_350,
            activates_at=active,
            expires_at=_day(3, 15),
            ref="first_purchase",
        ),
        _entry(
            EntryKind.BONUS,
            derived_id(SALE, "bonus:referral_referred"),
            points=20_000,
            activates_at=active,
            expires_at=referral_end,
            ref="referral_referred",
        ),
        _entry(  # the referrer's bonus is the referrer's entry, written with this sale
            EntryKind.BONUS,
            derived_id(SALE, "bonus:referral_referrer"),
            customer_id=REFERRER,
            points=30_000,
            activates_at=active,
            expires_at=referral_end,
            ref="referral_referrer",
        ),
        _entry(EntryKind.PROMO_USE, derived_id(SALE, "promo:TEN"), ref="TEN"),
        _entry(
            EntryKind.GIFT_CARD_SPEND,
            derived_id(SALE, f"gift_card:{CARD.id}"),
            gift_card_id=CARD.id,
            amount=10_000,
        ),
    ]
    entries = sale_entries(receipt, sale_id=SALE, till_id=TILL)
    # In application order: at one instant credits first, then debits, each by id.
    assert entries == sorted(expected, key=lambda e: e.sort_key)
    assert {e.kind for e in entries[-2:]} == {EntryKind.GIFT_CARD_SPEND, EntryKind.REDEMPTION}


def test_the_lots_a_return_reverses_are_named_by_the_sale_id() -> None:
    # Returns take accrual and bonuses back from these lots: they must be the entries' ids.
    assert accrual_lot_id(SALE) == derived_id(SALE, "accrual")
    assert boost_lot_id(SALE) == derived_id(SALE, "bonus:first_purchase")
    assert bonus_lot_id(SALE, "birthday") == derived_id(SALE, "bonus:birthday")


def test_a_regular_purchase_writes_the_purchase_redemption_and_accrual_only() -> None:
    rules = plain_rules(version=7)
    wallet = project(CUSTOMER, [lot(5_000, when=at(-10))])
    # 200,00 - 20,00 bonus = 180,00 paid, earning 5% = 9,00.
    receipt = price_checkout(
        rules,
        [line(20_000, line_id="a")],
        now=T0,
        customer=CustomerState(CUSTOMER, wallet),
        redeem=2_000,
    )
    expected = [
        _entry(EntryKind.PURCHASE, derived_id(SALE, "purchase"), amount=18_000),
        _entry(EntryKind.REDEMPTION, derived_id(SALE, "redemption"), points=-2_000),
        _entry(
            EntryKind.ACCRUAL,
            derived_id(SALE, "accrual"),
            points=900,
            activates_at=_day(3, 1),
            expires_at=_day(3, 1, 2025),
        ),
    ]
    assert sale_entries(receipt, sale_id=SALE, till_id=TILL) == sorted(
        expected, key=lambda e: e.sort_key
    )


def test_an_anonymous_sale_paid_by_gift_card_writes_only_the_card_spend_with_no_customer() -> None:
    receipt = price_checkout(
        plain_rules(version=7), [line(30_000)], now=T0, gift_cards=[_card(10_000)]
    )
    # 300,00: 100,00 from the card, 200,00 in cash; nobody to earn or spend bonus.
    assert sale_entries(receipt, sale_id=SALE, till_id=TILL) == [
        _entry(
            EntryKind.GIFT_CARD_SPEND,
            derived_id(SALE, f"gift_card:{CARD.id}"),
            customer_id=None,
            gift_card_id=CARD.id,
            amount=10_000,
        )
    ]
