"""The ledger entries a return writes, field by field, and the lines it reports.

The till writes them with the return and pushes them; ids derive from the return id and a
fixed label, so a retried push is the same entries and the server finds the same ids.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.returns import (
    GiftCardRefund,
    ReturnedLine,
    ReturnWalletMissingError,
    UnknownReturnLineError,
    price_return,
)
from loyalty_core.sale import accrual_lot_id, bonus_lot_id, boost_lot_id, sale_entries
from loyalty_core.wallet import Wallet, project

from .builders import CUSTOMER, T0, at, line, lot, plain_rules, uid

SALE = "0190f3a2-7c1d-7e00-8000-00000000a001"
RETURN = "0190f3a2-7c1d-7e00-8000-00000000b001"
REFERRER = "22222222-2222-7222-8222-222222222222"
CARD = GiftCard(
    id="0190f3a2-7c1d-7e00-8000-00000000c001",
    number="7000123456789012",
    pin_hash=hash_pin("4321", salt=b"0" * 16),
    expires_at=T0 + timedelta(days=365),
)
WHEN = datetime(2024, 3, 3, 12, 0, tzinfo=UTC)  # two days after the sale
RULES = plain_rules(
    version=7,
    first_purchase={"accrual_bp": 1000, "expiry_days": 14},
    referral={"referrer_points": 30_000, "referred_points": 20_000},
)


def _card(balance: int) -> GiftCardPayment:
    loaded = load_entry(
        CARD, entry_id=uid(), amount=balance, now=at(-1), till_id="t", rules_version=1
    )
    return GiftCardPayment(project_gift_card(CARD, [loaded]), amount=balance)


def _entry(kind: EntryKind, label: str, **fields: Any) -> LedgerEntry:
    """An entry of RETURN as the till writes it: at the return's time, on its till."""
    fields.setdefault("customer_id", CUSTOMER)
    return LedgerEntry(
        id=derived_id(RETURN, label),
        kind=kind,
        occurred_at=WHEN,
        till_id="till-9",
        rules_version=7,
        sale_id=SALE,
        **fields,
    )


def _invited_first_purchase() -> tuple[PricedReceipt, Wallet, Wallet]:
    # 2 pieces for 1 000,00, 30,00 of it paid with bonus, 100,00 of the 970,00 due by gift
    # card. Accrual 5% of 970,00 = 48,50 and as much again for the first purchase (10% in
    # all); 200,00 for being invited, 300,00 to the referrer.
    wallet = project(CUSTOMER, [lot(5_000, when=at(-10))])
    receipt = price_checkout(
        RULES,
        [line(100_000, line_id="a", qty=2000)],
        now=T0,
        customer=CustomerState(CUSTOMER, wallet, referred_by=REFERRER),
        redeem=3_000,
        gift_cards=[_card(10_000)],
    )
    referrer = Wallet(REFERRER)
    for e in sale_entries(receipt, sale_id=SALE, till_id="t"):
        wallet.apply(e)
        referrer.apply(e)
    return receipt, wallet, referrer


def test_a_full_return_writes_every_entry_with_ids_from_the_return() -> None:
    receipt, wallet, referrer = _invited_first_purchase()
    assert (receipt.due, receipt.accrual, receipt.boost) == (97_000, 4_850, 4_850)
    result = price_return(
        RULES,
        receipt,
        {"a": 2000},
        sale_id=SALE,
        return_id=RETURN,
        till_id="till-9",
        now=WHEN,
        wallet=wallet,
        referrer_wallet=referrer,
    )
    assert result.lines == (
        ReturnedLine(
            line_id="a",
            quantity_milli=2000,
            refund=97_000,
            bonus_restored=3_000,
            accrual_reversed=4_850,
            boost_reversed=4_850,
        ),
    )
    assert result.gift_cards == (GiftCardRefund(CARD.id, 10_000),)
    assert (result.cash_refund, result.complete, result.debt_added, result.notes) == (
        87_000,
        True,
        0,
        (),
    )
    # Nothing was spent yet, so each reversal takes back from the balance what it names.
    expected = [
        _entry(EntryKind.PURCHASE_RETURN, "purchase_return", amount=-97_000),
        _entry(  # the restored 30,00 last a year from the store day of the return
            EntryKind.RESTORE,
            "restore",
            points=3_000,
            activates_at=WHEN,
            expires_at=datetime(2025, 3, 3, tzinfo=UTC),
        ),
        _entry(
            EntryKind.REVERSAL,
            "reversal:accrual",
            points=-4_850,
            amount=4_850,
            lot_id=accrual_lot_id(SALE),
        ),
        _entry(
            EntryKind.REVERSAL,
            "reversal:boost",
            points=-4_850,
            amount=4_850,
            lot_id=boost_lot_id(SALE),
        ),
        _entry(
            EntryKind.REVERSAL,
            "reversal:referral_referred",
            points=-20_000,
            amount=20_000,
            lot_id=bonus_lot_id(SALE, "referral_referred"),
        ),
        _entry(
            EntryKind.REVERSAL,
            "reversal:referral_referrer",
            customer_id=REFERRER,
            points=-30_000,
            amount=30_000,
            lot_id=bonus_lot_id(SALE, "referral_referrer"),
        ),
        _entry(
            EntryKind.GIFT_CARD_REFUND,
            f"gift_card:{CARD.id}",
            gift_card_id=CARD.id,
            amount=10_000,
        ),
    ]
    assert result.entries == tuple(sorted(expected, key=lambda e: e.sort_key))
    assert (result.bonus_restored, result.points_taken_back) == (3_000, 4_850 + 4_850 + 20_000)


def test_an_anonymous_return_paid_by_gift_card_writes_only_the_card_refund() -> None:
    receipt = price_checkout(
        plain_rules(version=7), [line(30_000, line_id="a")], now=T0, gift_cards=[_card(10_000)]
    )
    result = price_return(
        plain_rules(version=7),
        receipt,
        {"a": 1000},
        sale_id=SALE,
        return_id=RETURN,
        till_id="till-9",
        now=WHEN,
    )
    assert (result.customer_id, result.refund, result.cash_refund) == (None, 30_000, 20_000)
    assert result.entries == (
        _entry(
            EntryKind.GIFT_CARD_REFUND,
            f"gift_card:{CARD.id}",
            customer_id=None,
            gift_card_id=CARD.id,
            amount=10_000,
        ),
    )


def test_a_return_priced_on_another_customers_wallet_is_refused() -> None:
    receipt, _, referrer = _invited_first_purchase()
    with pytest.raises(ReturnWalletMissingError) as caught:
        price_return(
            RULES,
            receipt,
            {"a": 1000},
            sale_id=SALE,
            return_id=RETURN,
            till_id="t",
            now=WHEN,
            wallet=referrer,  # the referrer's, not the customer's
        )
    assert caught.value.params == {"sale_id": SALE}


def test_a_line_not_on_the_receipt_is_named_in_the_refusal() -> None:
    receipt, wallet, _ = _invited_first_purchase()
    with pytest.raises(UnknownReturnLineError) as caught:
        price_return(
            RULES,
            receipt,
            {"b": 1000},
            sale_id=SALE,
            return_id=RETURN,
            till_id="t",
            now=WHEN,
            wallet=wallet,
        )
    assert caught.value.params == {"line_id": "b", "sale_id": SALE}
