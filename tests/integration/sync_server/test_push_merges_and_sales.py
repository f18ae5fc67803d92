"""Push as a store manager checks it, on real SQLite and PostgreSQL: one phone registered at
two offline tills, cards handed out twice, sales priced again against the server's own
ledger (as of the sale's business time), overdrafts, and rejected events retried after a fix.

Events are built as the till builds them, with the real engine (``price_checkout``,
``sale_entries``, ``one_off_bonus_entry``) and the wire models, and pushed through
``sync_server.services.push`` on a migrated database. The demo rules
(``default_rules``) give the numbers: a welcome bonus of 200.00 (20000 points), 100.00
(10000) for a completed questionnaire, 500.00 (50000) on a birthday; Bronze earns 3%,
Silver (15,000.00 spent) 2% off and 5%; a first purchase earns 50% in all (3% plus a boost
of 47%); bonus may pay at most 30% of a check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from loyalty_core.giftcards import GiftCard, hash_pin, load_entry
from loyalty_core.ids import new_id
from loyalty_core.ledger import derived_id
from loyalty_core.receipt import CartLine
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.events import ConsentV1, CustomerRegisteredV1, CustomerV1
from loyalty_core.wire.sync import EventResultV1, SettlementV1
from sync_server.adapters.models import Card, CustomerAlias, CustomerDebt, Sale
from sync_server.services.push import NotRejectedError, retry_event
from sync_server.services.setup import add_gift_card, load_gift_card
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, the store's time zone
PUSHED_AT = T0 + timedelta(hours=8)  # the tills come back online in the evening
CARD = GiftCard(
    "9d5c1f0e-4a57-4d0b-9a36-0c8a2f1b7e41",
    "7000111122223333",
    hash_pin("1234"),
    T0 + timedelta(days=365),
)
GIFT_LOAD_ID = "5b0d8e2a-93c4-4f6e-8d1a-2e7c9b4f0a13"


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def applied(results: Sequence[EventResultV1]) -> list[EventResultV1]:
    assert statuses(results) == ["applied"] * len(results), [(r.code, r.message) for r in results]
    return list(results)


def a_customer_both_tills_know(shop: Store, phone: str, **details: Any) -> str:
    customer, _ = shop.one.register(phone, at=T0, **details)
    applied(shop.one.push(now=PUSHED_AT))
    shop.two.learn(shop.one)
    return customer


# -- one phone registered at two tills ---------------------------------------------------
def test_one_phone_registered_at_two_tills_keeps_one_welcome_and_one_questionnaire_bonus(
    shop: Store,
) -> None:
    # Both tills were offline; each registered +7 916 111-00-01 with a filled questionnaire
    # and gave 200.00 welcome + 100.00 questionnaire bonus.
    first, _ = shop.one.register("+79161110001", at=T0, questionnaire=True)
    second, _ = shop.two.register("+79161110001", at=T0 + timedelta(hours=1), questionnaire=True)
    merged_event = shop.two.outbox[0]["event_id"]
    applied(shop.one.push(now=PUSHED_AT))

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    # The 300.00 given a second time is taken back by the server: 30000 points.
    assert result.settlements == [
        SettlementV1(
            kind="customer_merged",
            points=30_000,
            customer_id=first,
            message=(
                "Phone +7916111**** was registered again at till Till 2 as "
                f"{second}; that id is now an alias of {first}. "
                "Registration bonus given twice and taken back: 30000 points."
            ),
        )
    ]
    (settlement,) = shop.settlements()
    assert (settlement.alias_id, settlement.event_id) == (second, merged_event)
    welcome_2 = derived_id(second, "bonus:welcome")
    questionnaire_2 = derived_id(second, "bonus:questionnaire")
    later = T0 + timedelta(hours=1)
    rows = [
        (
            *(r.id, r.kind, r.points, r.occurred_at, r.till_id, r.rules_version, r.ref),
            *(r.reason, r.author, r.event_id, r.sale_id, r.lot_id, r.activates_at is None),
        )
        for r in shop.ledger(first)
        if r.till_id == "server"
    ]
    assert sorted(rows) == sorted(
        [
            (
                derived_id(merged_event, f"merge:{welcome_2}"),
                "adjustment",
                -20_000,
                later,
                "server",
                1,
                None,
                "merged duplicate registration: welcome bonus given once",
                "server",
                merged_event,
                None,
                None,
                True,
            ),
            (
                derived_id(merged_event, f"merge:{questionnaire_2}"),
                "adjustment",
                -10_000,
                later,
                "server",
                1,
                None,
                "merged duplicate registration: questionnaire bonus given once",
                "server",
                merged_event,
                None,
                None,
                True,
            ),
        ]
    )
    # Till 2's own bonus entries are kept too, under the kept id, so both tills' ledgers
    # add up on the server: 200 + 100 + 200 + 100 - 200 - 100 = 300.00.
    assert sorted((r.id, r.customer_id, r.points) for r in shop.ledger(first) if r.ref) == sorted(
        [
            (derived_id(first, "bonus:welcome"), first, 20_000),
            (derived_id(first, "bonus:questionnaire"), first, 10_000),
            (welcome_2, first, 20_000),
            (questionnaire_2, first, 10_000),
        ]
    )
    assert shop.available(first, PUSHED_AT) == 30_000
    with shop.session() as session:
        aliases = [(a.alias_id, a.customer_id) for a in session.scalars(select(CustomerAlias))]
    assert aliases == [(second, first)]


def test_a_bonus_only_the_second_registration_gave_is_kept(shop: Store) -> None:
    # Till 1: welcome only (200.00, no questionnaire). Till 2: welcome + questionnaire.
    first, _ = shop.one.register("+79161110002", at=T0)
    second, _ = shop.two.register("+79161110002", at=T0 + timedelta(hours=1), questionnaire=True)
    applied(shop.one.push(now=PUSHED_AT))

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert [(s.kind, s.points, s.customer_id) for s in result.settlements] == [
        ("customer_merged", 20_000, first)
    ]
    assert result.settlements[0].message.endswith("taken back: 20000 points.")
    taken_back = [(r.points, r.reason) for r in shop.ledger(first) if r.author == "server"]
    assert taken_back == [(-20_000, "merged duplicate registration: welcome bonus given once")]
    # 200.00 + 200.00 + 100.00 (the questionnaire, first given by till 2) - 200.00 = 300.00
    assert shop.available(first, PUSHED_AT) == 30_000
    assert [r.id for r in shop.ledger(first) if r.ref == "questionnaire"] == [
        derived_id(second, "bonus:questionnaire")
    ]


def test_even_a_welcome_bonus_of_one_point_given_twice_is_taken_back(shop: Store) -> None:
    tiny = RULES.model_copy(update={"welcome": RULES.welcome.model_copy(update={"points": 1})})
    shop.one.rules = shop.two.rules = tiny
    first, _ = shop.one.register("+79161110003", at=T0)
    shop.two.register("+79161110003", at=T0 + timedelta(hours=1))
    applied(shop.one.push(now=PUSHED_AT))

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert [(s.kind, s.points) for s in result.settlements] == [("customer_merged", 1)]
    assert [r.points for r in shop.ledger(first) if r.author == "server"] == [-1]
    assert shop.available(first, PUSHED_AT) == 1


def test_the_merged_id_keeps_selling_and_its_sale_is_stored_under_the_kept_customer(
    shop: Store,
) -> None:
    first, _ = shop.one.register("+79161110004", at=T0)
    second, _ = shop.two.register("+79161110004", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    applied(shop.two.push(now=PUSHED_AT))
    # Till 2 has not pulled yet: it sells 1,000.00 to the id it registered (now an alias).
    sale_id, receipt, event = shop.two.sell(second, 100_000, at=T0 + timedelta(hours=2))
    assert (receipt.to_pay, receipt.accrual, receipt.boost) == (100_000, 3_000, 47_000)

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    # The server prices it the same (Bronze, first purchase: 3% + 47% boost = 500.00).
    assert result.settlements == []
    sale = shop.sale(sale_id)
    assert (sale.customer_id, sale.event_id, sale.paid_minor, sale.accrued_points) == (
        first,
        event["event_id"],
        100_000,
        50_000,
    )
    sold = [(r.kind, r.points, r.customer_id, r.event_id) for r in shop.ledger(first) if r.sale_id]
    assert sorted(sold) == [
        ("accrual", 3_000, first, event["event_id"]),
        ("bonus", 47_000, first, event["event_id"]),
        ("purchase", 0, first, event["event_id"]),
    ]


# -- cards -----------------------------------------------------------------------------
def test_a_card_number_that_belongs_to_another_customer_is_rejected_card_taken(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79162220001", card="2000000000001")
    boris, _ = shop.two.register("+79162220002", at=T0)
    issued = shop.two.issue_card(boris, "2000000000001", T0 + timedelta(hours=1))
    reissued = shop.two.reissue_card(boris, "2000000000001", T0 + timedelta(hours=2))
    shop.two.register("+79162220003", at=T0, card="2000000000001")

    results = shop.two.push(now=PUSHED_AT)

    taken = "Card 2000000000001 already belongs to another customer."
    assert [(r.status, r.code, r.message) for r in results] == [
        ("applied", None, None),
        ("rejected", "card.taken", taken),
        ("rejected", "card.taken", taken),
        ("rejected", "card.taken", taken),
    ]
    assert [r.event_id for r in results[1:3]] == [
        uuid.UUID(issued["event_id"]),
        uuid.UUID(reissued["event_id"]),
    ]
    # Pushed again, a rejected event gets the same answer, code and message.
    again = shop.two.push(issued, now=PUSHED_AT)
    assert [(r.status, r.code, r.message) for r in again] == [("rejected", "card.taken", taken)]
    # The card issued again to its own customer (the till re-created the event) is fine.
    applied(shop.one.push(shop.one.issue_card(anna, "2000000000001", T0), now=PUSHED_AT))
    with shop.session() as session:
        cards = [(c.number, c.customer_id, c.status) for c in session.scalars(select(Card))]
    assert cards == [("2000000000001", anna, "active")]


def test_a_new_card_issued_and_reissued_is_added_once_to_its_customer(shop: Store) -> None:
    anna = a_customer_both_tills_know(shop, "+79162220004")
    shop.one.issue_card(anna, "2000000000011", T0 + timedelta(hours=1))
    shop.one.reissue_card(anna, "2000000000012", T0 + timedelta(hours=2))

    applied(shop.one.push(now=PUSHED_AT))

    with shop.session() as session:
        cards = [
            (c.number, c.customer_id, c.status)
            for c in session.scalars(select(Card).order_by(Card.number))
        ]
    assert cards == [("2000000000011", anna, "active"), ("2000000000012", anna, "active")]


# -- sales priced again ------------------------------------------------------------------
def test_a_sale_spending_more_than_the_server_ledger_holds_records_the_exact_overdraft(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79163330001")  # 200.00 welcome bonus
    # Till 1 sells 500.00 and takes 150.00 of bonus (30% of the check): 50.00 is left.
    shop.one.sell(anna, 50_000, at=T0 + timedelta(hours=1), redeem=15_000)
    applied(shop.one.push(now=PUSHED_AT))
    # Till 2 still thinks 200.00 is there: a 1,000.00 sale takes 200.00 (cap 300.00).
    sale_id, receipt, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2), redeem=20_000)
    assert receipt.redeemed == 20_000

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="overdraft",
            points=15_000,
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1 at till Till 2 spent 20000 bonus; the customer's ledger on the server "
                "covered 5000. The sale is kept; 15000 is owed and paid back from later accruals."
            ),
        )
    ]
    assert shop.sale(sale_id).redeemed_points == 20_000  # the sale is kept as sold
    with shop.session() as session:
        debt = session.get_one(CustomerDebt, anna)
        assert (debt.points, debt.highest_points) == (15_000, 15_000)

    # A later sale without bonus owes nothing more: its accrual is pending for 14 days,
    # so the debt stays 150.00 and no second overdraft is recorded.
    shop.one.sell(anna, 10_000, at=T0 + timedelta(hours=3))
    (later,) = applied(shop.one.push(now=PUSHED_AT))
    assert later.settlements == []
    with shop.session() as session:
        assert session.get_one(CustomerDebt, anna).points == 15_000


def test_an_overdraft_of_a_single_point_is_recorded(shop: Store) -> None:
    boris = a_customer_both_tills_know(shop, "+79163330002")  # 200.00 welcome bonus
    # Till 1 corrects the balance by 0.01; till 2 does not know and spends all 200.00.
    shop.one.adjust(boris, -1, T0 + timedelta(hours=1))
    applied(shop.one.push(now=PUSHED_AT))
    sale_id, _, _ = shop.two.sell(boris, 100_000, at=T0 + timedelta(hours=2), redeem=20_000)

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert [
        (s.kind, s.points, s.customer_id, s.sale_id, s.message) for s in result.settlements
    ] == [
        (
            "overdraft",
            1,
            boris,
            sale_id,
            "Sale 1 at till Till 2 spent 20000 bonus; the customer's ledger on the server "
            "covered 19999. The sale is kept; 1 is owed and paid back from later accruals.",
        )
    ]


def test_a_till_that_did_not_know_an_earlier_sale_gets_pricing_differs_naming_each_number(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440001")
    # Till 1 sells 15,000.00 at 11:00: Anna is Silver from now on (and had her first purchase).
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=1))
    applied(shop.one.push(now=PUSHED_AT))
    # Till 2, offline, sells 1,000.00 at 12:00 as to a Bronze first-time buyer.
    sale_id, receipt, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2))
    assert (receipt.to_pay, receipt.discount_total, receipt.accrual + receipt.boost) == (
        100_000,
        0,
        50_000,
    )

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    # The server: Silver 2% off = 20.00, 980.00 to pay, 5% = 49.00, no first-purchase boost.
    # The till: nothing off, 1,000.00, 3% + 47% boost = 500.00. Bonus spent: 0 on both.
    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1 priced again: to pay 100000 at the till, 98000 on the server; "
                "discount 0 at the till, 2000 on the server; "
                "accrual 50000 at the till, 4900 on the server. "
                "The till's receipt is kept as it was."
            ),
        )
    ]
    assert (shop.sale(sale_id).paid_minor, shop.sale(sale_id).accrued_points) == (100_000, 50_000)


def test_a_sale_is_priced_against_the_wallet_as_of_its_business_time(shop: Store) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440002")
    # Till 1's 15,000.00 sale happened at 13:00 and arrives first; till 2's 1,000.00 sale
    # happened at 12:00, before it: then Anna was Bronze with no purchase yet.
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=3))
    applied(shop.one.push(now=PUSHED_AT))
    sale_id, _, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2))

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == []
    assert shop.sale(sale_id).accrued_points == 50_000


def test_a_registration_and_a_sale_in_the_same_second_spend_the_welcome_bonus(
    shop: Store,
) -> None:
    # The customer registers and pays at once: 200.00 welcome bonus on a 1,000.00 check.
    anna, _ = shop.one.register("+79164440003", at=T0)
    _, receipt, _ = shop.one.sell(anna, 100_000, at=T0, redeem=20_000)
    assert (receipt.redeemed, receipt.to_pay) == (20_000, 80_000)

    results = applied(shop.one.push(now=PUSHED_AT))

    assert [r.settlements for r in results] == [[], []]
    assert shop.available(anna, PUSHED_AT) == 0


def test_a_birthday_bonus_spent_in_the_sale_that_grants_it_prices_the_same(shop: Store) -> None:
    # Registered today, on her birthday, and buys 2,000.00 at once: 200.00 welcome + 500.00
    # birthday bonus; 30% of the check, 600.00, is paid with bonus; 100.00 is left.
    vera, _ = shop.one.register("+79164440004", at=T0, birthday=date(1990, 3, 2))
    sale_id, receipt, _ = shop.one.sell(vera, 200_000, at=T0 + timedelta(hours=1), redeem=60_000)
    assert (receipt.redeemed, receipt.to_pay) == (60_000, 140_000)

    results = applied(shop.one.push(now=PUSHED_AT))

    assert [r.settlements for r in results] == [[], []]
    assert shop.sale(sale_id).redeemed_points == 60_000
    assert shop.available(vera, PUSHED_AT) == 10_000  # 200.00 + 500.00 - 600.00


def test_a_sale_priced_with_rules_the_server_does_not_have_is_kept_as_the_till_priced_it(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440005")
    shop.one.rules = RULES.model_copy(update={"version": 2})
    sale_id, _, _ = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1))

    (result,) = applied(shop.one.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1: the server has no rules version 2 to price it again; "
                "the till's receipt is kept as it was."
            ),
        )
    ]
    assert shop.sale(sale_id).rules_version == 2


def test_a_promo_once_per_customer_used_at_two_tills_is_an_over_use_of_that_customer(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440006")
    shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("WELCOME10",))
    applied(shop.one.push(now=PUSHED_AT))
    sale_id, receipt, _ = shop.two.sell(
        anna, 100_000, at=T0 + timedelta(hours=2), promo_codes=("WELCOME10",)
    )
    assert receipt.discount_total == 10_000  # 10% off at till 2 as well

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


def _with_gift_card(shop: Store) -> None:
    add_gift_card(CARD, shop.server.uow(), now=T0)
    load_gift_card(CARD, 30_000, GIFT_LOAD_ID, RULES.version, shop.server.uow(), now=T0)
    loaded = load_entry(
        CARD, entry_id=GIFT_LOAD_ID, amount=30_000, now=T0, till_id="server", rules_version=1
    )
    shop.one.ledger.append(loaded)
    shop.two.ledger.append(loaded)


def test_a_gift_card_paying_part_of_a_check_prices_the_same_and_settles_nothing(
    shop: Store,
) -> None:
    _with_gift_card(shop)  # 300.00 on the card
    # An anonymous 500.00 check: 300.00 from the card, 200.00 in money.
    sale_id, receipt, _ = shop.one.sell(None, 50_000, at=T0 + timedelta(hours=1), gift_card=CARD)
    assert receipt.to_pay == 20_000

    (result,) = applied(shop.one.push(now=PUSHED_AT))

    assert result.settlements == []
    assert shop.sale(sale_id).customer_id is None


def test_a_gift_card_spent_twice_records_the_debt_with_the_customer_of_the_second_sale(
    shop: Store,
) -> None:
    _with_gift_card(shop)
    anna = a_customer_both_tills_know(shop, "+79165550001")
    boris = a_customer_both_tills_know(shop, "+79165550002")
    shop.one.sell(anna, 30_000, at=T0 + timedelta(hours=1), gift_card=CARD)
    applied(shop.one.push(now=PUSHED_AT))
    sale_id, _, _ = shop.two.sell(boris, 30_000, at=T0 + timedelta(hours=2), gift_card=CARD)

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == [
        SettlementV1(
            kind="gift_card_overdraw",
            amount=30_000,
            customer_id=boris,
            sale_id=sale_id,
            gift_card_id=CARD.id,
            message=(
                "Gift card 3333 paid 30000 on sale 1 at till Till 2 but held 0 on the server; "
                "the sale is kept and 30000 is recorded as the card's debt."
            ),
        )
    ]


# -- sales rejected ----------------------------------------------------------------------
def _rejection(result: EventResultV1) -> tuple[str, str | None, str | None]:
    return (result.status, result.code, result.message)


def test_a_sale_that_cannot_be_checked_is_rejected_with_a_message_naming_why(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79166660001")
    boris = a_customer_both_tills_know(shop, "+79166660002")
    _, _, good = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1))
    shop.one.outbox = []

    def variant(**payload: Any) -> dict[str, Any]:
        return {**good, "event_id": new_id(), "payload": {**good["payload"], **payload}}

    sale_id = good["payload"]["sale_id"]
    not_a_uuid = variant(sale_id="till-1/sale-7")
    other_customer = variant(customer_id=boris)
    three = good["payload"]["entries"]
    assert len(three) == 3  # accrual, purchase and first-purchase boost
    missing_entry = variant(entries=three[:2])

    results = shop.one.push(not_a_uuid, other_customer, missing_entry, now=PUSHED_AT)

    assert [_rejection(r) for r in results] == [
        ("rejected", "event.invalid", "sale_id 'till-1/sale-7' is not a UUID."),
        (
            "rejected",
            "sale.entries_mismatch",
            f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
            "(the receipt names another customer); nothing was recorded.",
        ),
        (
            "rejected",
            "sale.entries_mismatch",
            f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
            "(2 sent, 3 expected or different); nothing was recorded.",
        ),
    ]
    with shop.session() as session:
        assert session.get(Sale, sale_id) is None


def test_a_sale_paid_with_a_gift_card_the_server_does_not_know_is_rejected(shop: Store) -> None:
    unknown = GiftCard(
        "8d2f6c1a-0b3e-4f7d-9c5a-6e1b2a3c4d5f", "7000999988887777", CARD.pin_hash, CARD.expires_at
    )
    entry = load_entry(
        unknown, entry_id=new_id(), amount=10_000, now=T0, till_id="server", rules_version=1
    )
    shop.one.ledger.append(entry)  # a card the till thinks it knows
    shop.one.sell(None, 50_000, at=T0 + timedelta(hours=1), gift_card=unknown)

    (result,) = shop.one.push(now=PUSHED_AT)

    assert _rejection(result) == (
        "rejected",
        "gift_card.unknown",
        "The server knows no gift card 8d2f6c1a-0b3e-4f7d-9c5a-6e1b2a3c4d5f.",
    )


# -- rejected events retried -----------------------------------------------------------------
def test_a_rejected_event_keeps_its_answer_until_retried_after_the_fix(shop: Store) -> None:
    stranger = new_id()  # a customer whose registration has not reached the server
    event = shop.one.adjust(stranger, 1_000, T0 + timedelta(hours=1))
    event_id = event["event_id"]
    unknown = f"The server knows no customer {stranger}; push their registration first."

    first = shop.one.push(now=PUSHED_AT)
    again = shop.one.push(event, now=PUSHED_AT)

    assert [_rejection(r) for r in [*first, *again]] == [
        ("rejected", "customer.unknown", unknown),
        ("rejected", "customer.unknown", unknown),
    ]
    assert [r.event_id for r in again] == [uuid.UUID(event_id)]
    # Retried before the fix it stays rejected, with the same reason, one attempt more.
    still = retry_event(event_id, shop.server.uow(), now=PUSHED_AT)
    assert _rejection(still) == ("rejected", "customer.unknown", unknown)
    row = shop.received(event_id)
    assert (row.status, row.code, row.message, row.attempts) == (
        "rejected",
        "customer.unknown",
        unknown,
        2,
    )

    # The fix: the registration arrives under the id the event names.
    registration = CustomerRegisteredV1(
        customer=CustomerV1(id=stranger, phone="+79167770001", created_at=T0),
        consent=ConsentV1(given_at=T0, text_version="2026-01", channel="till"),
        card=None,
        entries=[],
        staff_id=new_id(),
        till_id=shop.one.till_id,
    )
    shop.one.event("customer.registered", stranger, T0, registration)
    applied(shop.one.push(now=PUSHED_AT))
    # A manager retries it, pasting the id in capitals.
    retried = retry_event(event_id.upper(), shop.server.uow(), now=PUSHED_AT)

    assert retried == EventResultV1(event_id=uuid.UUID(event_id), status="applied")
    row = shop.received(event_id)
    assert (row.status, row.code, row.message, row.attempts) == ("applied", None, None, 3)
    assert shop.available(stranger, PUSHED_AT) == 1_000
    # Applied now: it cannot be retried again, nor can an event the server never had.
    with pytest.raises(NotRejectedError) as twice:
        retry_event(event_id, shop.server.uow(), now=PUSHED_AT)
    assert (twice.value.code, twice.value.message) == (
        "manage.not_rejected",
        f"Event {event_id} is not a rejected event; only those can be retried.",
    )
    never = new_id()
    with pytest.raises(NotRejectedError) as missing:
        retry_event(never, shop.server.uow(), now=PUSHED_AT)
    assert missing.value.message == (
        f"Event {never} is not a rejected event; only those can be retried."
    )
    assert [r.points for r in shop.ledger(stranger)] == [1_000]  # given once


def test_excluded_categories_and_flags_price_the_same_on_the_server(shop: Store) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440011")
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=1))  # Silver from now on
    applied(shop.one.push(now=PUSHED_AT))
    shop.two.learn(shop.one)
    coffee = CartLine("c", "sku-c", "Coffee beans", 1_000, 100_000)
    cigarettes = CartLine("t", "sku-t", "Cigarettes", 1_000, 30_000, category="tobacco")
    magazine = CartLine("m", "sku-m", "Magazine", 1_000, 20_000, flags=frozenset({"no_discount"}))
    sale_id, receipt, _ = shop.two.sell(
        anna, 0, at=T0 + timedelta(hours=2), redeem=5_000, lines=(coffee, cigarettes, magazine)
    )
    # Silver's 2% is off the coffee alone (20.00); tobacco earns nothing and takes no bonus.
    assert [receipt.line(x).tier_discount for x in "ctm"] == [2_000, 0, 0]
    tobacco = receipt.line("t")
    assert (tobacco.accrual, tobacco.redeemed) == (0, 0)
    assert (receipt.redeemed, receipt.to_pay) == (5_000, 143_000)

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == []  # the server's engine saw every category and flag
    assert shop.sale(sale_id).paid_minor == 143_000


def test_a_birthday_bonus_the_server_does_not_know_of_is_named_in_pricing_differs(
    shop: Store,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440012")  # no birthday on the server
    shop.one.birthdays[anna] = date(1990, 3, 2)  # the till believes today is her birthday
    sale_id, receipt, _ = shop.one.sell(anna, 200_000, at=T0 + timedelta(hours=1))
    assert [b.points for b in receipt.bonuses] == [50_000]

    (result,) = applied(shop.one.push(now=PUSHED_AT))

    assert [s.kind for s in result.settlements] == ["pricing_differs"]
    assert "bonuses granted 50000 at the till, 0 on the server" in result.settlements[0].message
    assert result.settlements[0].sale_id == sale_id
