"""A sale priced again on the server, as a store manager reads the outcome, on real SQLite and
PostgreSQL: what the sale row and its lines keep, promo codes over-used (per customer, a
single-use coupon, a code the server's rules do not have), gift cards spent beyond their
balance (two cards, by 0.01, twice), a gift card paying a set part of a check, a referral
bonus, a tier discount that lowers the bonus cap, and a forged receipt.

Events are built as the till builds them, with the real engine (``price_checkout``,
``sale_entries``) and the wire models, and pushed through ``sync_server.services.push``. The
demo rules (``default_rules``) give the numbers: a welcome bonus of 200.00 (20000 points),
100.00 (10000) for the questionnaire; Bronze earns 3%, Silver (15,000.00 spent) 2% off and
5%; a first purchase earns 50% in all (3% plus a boost of 47%); bonus may pay at most 30% of
a check; WELCOME10 is 10% off once per customer, MINUS500 is 500.00 off a check of 3,000.00
or more; a referral gives 300.00 to each of the two customers with the first purchase. Two
variants are published where a test needs them: a single-use coupon (``COUPON_RULES``) and a
referral that rewards only the newcomer (``NEWCOMER_RULES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ids import new_id
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind, default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project
from loyalty_core.wire.events import SaleCompletedV1, SaleRequestV1
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from loyalty_core.wire.sync import EventResultV1, SettlementV1
from sync_server.adapters.models import GiftCard as GiftCardRow
from sync_server.adapters.models import SaleLine
from sync_server.services.setup import add_gift_card, load_gift_card
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Event, Store, Till, statuses, two_tills

RULES: LoyaltyRules = default_rules()
# The same store with a single-use coupon: 50.00 off, once in all (any customer, or none).
COUPON = PromoCode(code="GIFT50", kind=PromoKind.FIXED, value=5_000, max_uses=1)
COUPON_RULES = RULES.model_copy(update={"promos": (*RULES.promos, COUPON)})
# The same store where a referral rewards only the newcomer: 300.00 with the first purchase.
NEWCOMER_RULES = RULES.model_copy(
    update={"referral": RULES.referral.model_copy(update={"referrer_points": 0})}
)
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, the store's time zone
PUSHED_AT = T0 + timedelta(hours=8)  # the tills come back online in the evening
CARD_A = GiftCard(
    "3f1c6a2e-5b7d-4c8e-9f01-2a3b4c5d6e71",
    "7000555566661111",
    hash_pin("1234"),
    T0 + timedelta(days=365),
)
CARD_B = GiftCard(
    "6e2d7b3f-8c9a-4d0e-a1b2-3c4d5e6f7a84",
    "7000555566664444",
    hash_pin("4321"),
    T0 + timedelta(days=365),
)


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


@pytest.fixture
def coupon_shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, COUPON_RULES, published_at=NOW)


@pytest.fixture
def newcomer_shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, NEWCOMER_RULES, published_at=NOW)


def applied(results: Sequence[EventResultV1]) -> list[EventResultV1]:
    assert statuses(results) == ["applied"] * len(results), [(r.code, r.message) for r in results]
    return list(results)


def a_customer_both_tills_know(shop: Store, phone: str, **details: Any) -> str:
    customer, _ = shop.one.register(phone, at=T0, **details)
    applied(shop.one.push(now=PUSHED_AT))
    shop.two.learn(shop.one)
    return customer


def sell(
    till: Till,
    customer_id: str | None,
    amount: int,
    *,
    at: datetime,
    cards: Sequence[tuple[GiftCard, int | None]] = (),
    referred_by: str | None = None,
) -> tuple[str, PricedReceipt, Event]:
    """``Till.sell`` of one line for ``amount``, with what it does not offer: gift cards
    each paying a set amount (``None``: as much as it can), and the customer's referrer."""
    state = None
    if customer_id is not None:
        mine = [e for e in till.ledger if e.customer_id == customer_id]
        state = CustomerState(customer_id, project(customer_id, mine), referred_by=referred_by)
    payments = [
        GiftCardPayment(project_gift_card(card, till.ledger), amount=paid) for card, paid in cards
    ]
    receipt = price_checkout(
        till.rules,
        [CartLine("1", "sku-1", "Coffee beans", 1000, amount)],
        now=at,
        customer=state,
        gift_cards=payments,
    )
    sale_id = new_id()
    entries = sale_entries(receipt, sale_id=sale_id, till_id=till.till_id)
    till.ledger += entries
    till.number += 1
    payload = SaleCompletedV1(
        sale_id=sale_id,
        number=till.number,
        till_id=till.till_id,
        staff_id=new_id(),
        customer_id=customer_id,
        card_number=None,
        created_at=at,
        request=SaleRequestV1(redeem=0, promo_codes=[]),
        receipt=PricedReceiptV1.model_validate(receipt_to_wire(receipt)),
        entries=entries_of(entries),
    )
    return sale_id, receipt, till.event("sale.completed", sale_id, at, payload)


# -- what the server keeps of a sale -------------------------------------------------------
def test_the_sale_row_and_its_lines_keep_what_the_till_sold(shop: Store) -> None:
    anna = a_customer_both_tills_know(shop, "+79168880001", card="2000000000101")
    # Sale 1, her first purchase: 17,000.00 with WELCOME10, 10% = 1,700.00 off; the
    # 15,300.00 paid earns 3% = 459.00 and a boost of 7,191.00, up to 50% = 7,650.00 in all.
    # The 15,300.00 spent makes her Silver.
    first, receipt, sold = shop.one.sell(anna, 1_700_000, at=T0, promo_codes=("WELCOME10",))
    line = receipt.line("1")
    assert (line.promo_discount, line.accrual, line.boost) == (170_000, 45_900, 719_100)
    staff = new_id()
    sold["payload"].update(staff_id=staff.upper(), card_number="2000000000101")
    # Sale 2, an hour later: 4,000.00 with MINUS500. Silver takes 2% = 80.00 off, MINUS500
    # 500.00 more: 580.00 off, 3,420.00 due; 200.00 of it paid with the welcome bonus
    # (the cap is 30% = 1,026.00), 3,220.00 in money earns 5% = 161.00.
    second, receipt, _ = shop.one.sell(
        anna, 400_000, at=T0 + timedelta(hours=1), redeem=20_000, promo_codes=("MINUS500",)
    )
    line = receipt.line("1")
    assert (line.tier_discount, line.promo_discount, line.redeemed) == (8_000, 50_000, 20_000)

    results = applied(shop.one.push(now=PUSHED_AT))

    assert [r.settlements for r in results] == [[], []]  # the server prices both the same
    one = shop.sale(first)
    assert (one.store_id, one.till_id, one.number, one.staff_id, one.card_number) == (
        shop.one.record.store.id,
        shop.one.till_id,
        1,
        staff,  # the id as the server writes ids: lower case
        "2000000000101",
    )
    two = shop.sale(second)
    assert (two.number, two.card_number, two.customer_id) == (2, None, anna)
    with shop.session() as session:
        lines = [
            (
                *(x.sale_id, x.line_id, x.sku, x.name, x.quantity_milli, x.amount_minor),
                *(x.discount_minor, x.redeemed_points, x.accrued_points),
            )
            for x in session.scalars(select(SaleLine))
        ]
    # discount = tier + promo discount, accrued = accrual + first-purchase boost
    assert sorted(lines) == sorted(
        [
            (first, "1", "sku-1", "Coffee beans", 1000, 1_700_000, 170_000, 0, 765_000),
            (second, "1", "sku-1", "Coffee beans", 1000, 400_000, 58_000, 20_000, 16_100),
        ]
    )


# -- promo codes ---------------------------------------------------------------------------
def test_a_promo_over_used_is_settled_even_when_another_code_on_the_sale_is_fine(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79168880002")
    # Anna's first WELCOME10 is fine: 1,000.00 - 10% = 900.00.
    shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("WELCOME10",))
    assert [r.settlements for r in applied(shop.one.push(now=PUSHED_AT))] == [[]]
    # An anonymous 4,000.00 check with MINUS500: 3,500.00, no customer to count uses for.
    shop.one.sell(None, 400_000, at=T0 + timedelta(hours=2), promo_codes=("MINUS500",))
    assert [r.settlements for r in applied(shop.one.push(now=PUSHED_AT))] == [[]]
    # Till 2 did not know of her WELCOME10: 4,000.00 with MINUS500 (fine) and WELCOME10.
    sale_id, receipt, _ = shop.two.sell(
        anna, 400_000, at=T0 + timedelta(hours=3), promo_codes=("MINUS500", "WELCOME10")
    )
    assert receipt.promos == ("MINUS500", "WELCOME10")  # 500.00, then 10% of 3,500.00

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="promo_overuse",
            customer_id=anna,
            sale_id=sale_id,
            promo_code="WELCOME10",
            message=(
                "Promo WELCOME10 on sale 1 at till Till 2: used 1 times by this customer "
                "before, limit 1. The sale and its discount are kept; the over-use is recorded."
            ),
        )
    ]
    # Till 1 again, pricing with rules version 2, which the server does not have.
    shop.one.rules = RULES.model_copy(update={"version": 2})
    later, _, _ = shop.one.sell(
        None, 400_000, at=T0 + timedelta(hours=4), promo_codes=("MINUS500",)
    )
    (result,) = applied(shop.one.push(now=PUSHED_AT))
    assert [(s.kind, s.sale_id, s.message) for s in result.settlements] == [
        (
            "pricing_differs",
            later,
            "Sale 3: the server has no rules version 2 to price it again; "
            "the till's receipt is kept as it was.",
        )
    ]


def test_a_single_use_coupon_used_at_two_tills_is_an_over_use_of_the_coupon(
    coupon_shop: Store,
) -> None:
    shop = coupon_shop
    anna = a_customer_both_tills_know(shop, "+79168880007")
    boris = a_customer_both_tills_know(shop, "+79168880008")
    # 1,000.00 each with GIFT50 (50.00 off, once in all): Anna at till 1, Boris at till 2.
    first, _, _ = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("GIFT50",))
    (result,) = applied(shop.one.push(now=PUSHED_AT))
    assert result.settlements == []
    assert shop.sale(first).paid_minor == 95_000
    sale_id, receipt, _ = shop.two.sell(
        boris, 100_000, at=T0 + timedelta(hours=2), promo_codes=("GIFT50",)
    )
    assert receipt.to_pay == 95_000  # till 2 did not know the coupon was used

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="promo_overuse",
            customer_id=boris,
            sale_id=sale_id,
            promo_code="GIFT50",
            message=(
                "Promo GIFT50 on sale 1 at till Till 2: used 1 times before, limit 1. "
                "The sale and its discount are kept; the over-use is recorded."
            ),
        )
    ]
    assert shop.sale(sale_id).discount_minor == 5_000  # kept as sold


def test_a_till_pricing_with_another_copy_of_the_rules_is_told_what_the_server_makes_of_it(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79168880003")
    shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("WELCOME10",))
    applied(shop.one.push(now=PUSHED_AT))
    # Till 2's copy of version 1 is not the server's: WELCOME10 has no per-customer limit
    # there (so it takes it on an anonymous check), and it has STAFF15, 15% off, which the
    # server's rules do not have.
    welcome = RULES.promo("WELCOME10")
    assert welcome is not None
    shop.two.rules = RULES.model_copy(
        update={
            "promos": (
                welcome.model_copy(update={"per_customer_limit": None}),
                PromoCode(code="STAFF15", kind=PromoKind.PERCENT, value=1500),
            )
        }
    )
    anonymous, _, _ = shop.two.sell(
        None, 100_000, at=T0 + timedelta(hours=2), promo_codes=("WELCOME10",)
    )
    annas, receipt, _ = shop.two.sell(
        anna, 100_000, at=T0 + timedelta(hours=3), promo_codes=("STAFF15", "WELCOME10")
    )
    assert receipt.promos == ("STAFF15", "WELCOME10")

    results = applied(shop.two.push(now=PUSHED_AT))

    # The anonymous check: the server gives no WELCOME10 without a customer, so 1,000.00
    # to pay and nothing off; an anonymous check has used no promo "by this customer".
    # Anna's: STAFF15 is unknown to the server and passed over; her WELCOME10 is over-used.
    assert [r.settlements for r in results] == [
        [
            SettlementV1(
                kind="pricing_differs",
                sale_id=anonymous,
                message=(
                    "Sale 1 priced again: to pay 90000 at the till, 100000 on the server; "
                    "discount 10000 at the till, 0 on the server. "
                    "The till's receipt is kept as it was."
                ),
            )
        ],
        [
            SettlementV1(
                kind="promo_overuse",
                customer_id=anna,
                sale_id=annas,
                promo_code="WELCOME10",
                message=(
                    "Promo WELCOME10 on sale 2 at till Till 2: used 1 times by this customer "
                    "before, limit 1. The sale and its discount are kept; the over-use is "
                    "recorded."
                ),
            )
        ],
    ]


# -- priced again: bonus and referral ------------------------------------------------------
def test_a_tier_discount_the_till_did_not_know_lowers_the_bonus_the_sale_may_spend(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79168880004", questionnaire=True)  # 300.00
    # Till 1 sells 15,000.00 at 11:00: Anna is Silver from then on.
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=1))
    applied(shop.one.push(now=PUSHED_AT))
    # Till 2, offline, sells 1,000.00 at 12:00 to a Bronze first-time buyer: 300.00 of
    # bonus (its cap, 30%), 700.00 in money earning 50%: 350.00.
    sale_id, receipt, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2), redeem=30_000)
    assert (receipt.redeemed, receipt.to_pay, receipt.accrual + receipt.boost) == (
        30_000,
        70_000,
        35_000,
    )

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    # The server: Silver 2% = 20.00 off, 980.00; the cap is 30% of it, 294.00, so 294.00 of
    # bonus (the 300.00 are there: no overdraft); 686.00 to pay earns 5% = 34.30.
    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1 priced again: to pay 70000 at the till, 68600 on the server; "
                "discount 0 at the till, 2000 on the server; "
                "bonus spent 30000 at the till, 29400 on the server; "
                "accrual 35000 at the till, 3430 on the server. "
                "The till's receipt is kept as it was."
            ),
        )
    ]
    assert shop.sale(sale_id).redeemed_points == 30_000  # the till's receipt is kept


def test_a_referred_customers_first_purchase_gives_the_referral_bonus_as_the_till_did(
    newcomer_shop: Store,
) -> None:
    shop = newcomer_shop
    anna = a_customer_both_tills_know(shop, "+79168880005")
    boris, registration = shop.one.register("+79168880006", at=T0)
    registration["payload"]["customer"]["referrer_id"] = anna  # Anna brought Boris in
    # Boris's first purchase, 1,000.00: 500.00 for him (3% + 47%) and 300.00 for having
    # been referred.
    _, receipt, _ = sell(shop.one, boris, 100_000, at=T0 + timedelta(hours=1), referred_by=anna)
    assert [(b.kind, b.customer_id, b.points) for b in receipt.bonuses] == [
        ("referral_referred", boris, 30_000)
    ]

    results = applied(shop.one.push(now=PUSHED_AT))

    assert [r.settlements for r in results] == [[], []]  # the server grants it as well
    assert sorted((r.kind, r.points, r.ref) for r in shop.ledger(boris) if r.sale_id) == [
        ("accrual", 3_000, None),
        ("bonus", 30_000, "referral_referred"),
        ("bonus", 47_000, "first_purchase"),
        ("purchase", 0, None),
    ]


def test_a_forged_anonymous_receipt_with_negative_bonus_is_priced_again_with_none(
    shop: Store,
) -> None:
    # A forged anonymous receipt: its one line of 1,000.00 claims -1.00 of bonus (so 1,001.00
    # to pay). Without a customer the server spends no bonus when it prices it again.
    sale_id, _, event = shop.one.sell(None, 100_000, at=T0 + timedelta(hours=1))
    event["payload"]["receipt"]["lines"][0]["redeemed"] = -100

    (result,) = applied(shop.one.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            sale_id=sale_id,
            message=(
                "Sale 1 priced again: to pay 100100 at the till, 100000 on the server; "
                "bonus spent -100 at the till, 0 on the server. "
                "The till's receipt is kept as it was."
            ),
        )
    ]


# -- gift cards ----------------------------------------------------------------------------
def _with_gift_cards(shop: Store, *cards: GiftCard) -> None:
    """Each card on the server with 300.00 on it, and both tills know the load."""
    for card in cards:
        load_id = new_id()
        add_gift_card(card, shop.server.uow(), now=T0)
        load_gift_card(card, 30_000, load_id, RULES.version, shop.server.uow(), now=T0)
        loaded = load_entry(
            card, entry_id=load_id, amount=30_000, now=T0, till_id="server", rules_version=1
        )
        shop.one.ledger.append(loaded)
        shop.two.ledger.append(loaded)


def _card_debts(shop: Store) -> dict[str, int]:
    with shop.session() as session:
        return {c.number: c.debt_minor for c in session.scalars(select(GiftCardRow))}


def test_the_second_of_two_gift_cards_spent_beyond_its_balance_is_the_one_in_debt(
    shop: Store,
) -> None:
    _with_gift_cards(shop, CARD_A, CARD_B)
    sell(shop.one, None, 30_000, at=T0 + timedelta(hours=1), cards=[(CARD_B, None)])
    applied(shop.one.push(now=PUSHED_AT))  # card B is empty on the server
    # Till 2 did not know: 600.00 paid with card A (300.00) and card B (300.00).
    sale_id, receipt, _ = sell(
        shop.two, None, 60_000, at=T0 + timedelta(hours=2), cards=[(CARD_A, None), (CARD_B, None)]
    )
    assert [(c.number, c.amount) for c in receipt.gift_cards] == [
        ("7000555566661111", 30_000),
        ("7000555566664444", 30_000),
    ]

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="gift_card_overdraw",
            amount=30_000,
            sale_id=sale_id,
            gift_card_id=CARD_B.id,
            message=(
                "Gift card 4444 paid 30000 on sale 1 at till Till 2 but held 0 on the server; "
                "the sale is kept and 30000 is recorded as the card's debt."
            ),
        )
    ]
    assert _card_debts(shop) == {"7000555566661111": 0, "7000555566664444": 30_000}


def test_a_gift_card_overdrawn_by_one_kopeck_and_then_again_records_each_shortfall(
    shop: Store,
) -> None:
    _with_gift_cards(shop, CARD_B)
    sell(shop.one, None, 100, at=T0 + timedelta(hours=1), cards=[(CARD_B, None)])
    applied(shop.one.push(now=PUSHED_AT))  # 300.00 - 1.00: 299.00 on the server
    # Till 2 believes 300.00 is there: a 299.01 check takes 299.01 from the card; then a
    # 50.00 check takes the 0.99 till 2 believes is left, 49.01 in money.
    first, _, _ = sell(shop.two, None, 29_901, at=T0 + timedelta(hours=2), cards=[(CARD_B, None)])
    second, receipt, _ = sell(
        shop.two, None, 5_000, at=T0 + timedelta(hours=3), cards=[(CARD_B, None)]
    )
    assert (receipt.gift_cards[0].amount, receipt.to_pay) == (99, 4_901)

    results = applied(shop.two.push(now=PUSHED_AT))

    # 299.01 against 299.00: 0.01 short. Then 0.99 against nothing: 0.99 short more.
    assert [r.settlements for r in results] == [
        [
            SettlementV1(
                kind="gift_card_overdraw",
                amount=1,
                sale_id=first,
                gift_card_id=CARD_B.id,
                message=(
                    "Gift card 4444 paid 29901 on sale 1 at till Till 2 but held 29900 on the "
                    "server; the sale is kept and 1 is recorded as the card's debt."
                ),
            )
        ],
        [
            SettlementV1(
                kind="gift_card_overdraw",
                amount=99,
                sale_id=second,
                gift_card_id=CARD_B.id,
                message=(
                    "Gift card 4444 paid 99 on sale 2 at till Till 2 but held 0 on the "
                    "server; the sale is kept and 99 is recorded as the card's debt."
                ),
            )
        ],
    ]
    assert _card_debts(shop) == {"7000555566664444": 100}  # 0.01 + 0.99


def test_a_gift_card_paying_a_set_part_of_a_check_prices_the_same(shop: Store) -> None:
    _with_gift_cards(shop, CARD_A)
    # 500.00: the customer asks for only 100.00 from the card (300.00 on it), 400.00 in money.
    sale_id, receipt, _ = sell(
        shop.one, None, 50_000, at=T0 + timedelta(hours=1), cards=[(CARD_A, 10_000)]
    )
    assert receipt.to_pay == 40_000

    (result,) = applied(shop.one.push(now=PUSHED_AT))

    assert result.settlements == []  # the server takes the same 100.00 from the card
    assert shop.sale(sale_id).paid_minor == 40_000
    assert _card_debts(shop) == {"7000555566661111": 0}
