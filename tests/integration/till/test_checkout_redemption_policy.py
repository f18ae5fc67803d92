"""Checkout at a till whose store limits bonus spending (its pulled redemption policy), with
rules that take effect later, and for an anonymous customer."""

from __future__ import annotations

from datetime import timedelta

from loyalty_core.wire.sync import StoreSettingsV1
from pos_client.adapters.repositories.replica import STORE_SETTINGS_KEY
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, Redeem

COFFEE = CartItem(sku="a", name="Кофе", unit_price=100_000)  # 1 000 ₽: the cap is 300 ₽


def _store_policy(sv: TillServices, policy: str, limit: int | None = None) -> None:
    settings = StoreSettingsV1(
        store_id="0190a000-0000-7000-8000-000000000001",
        name="Demo",
        redemption_policy=policy,  # type: ignore[arg-type]
        offline_limit_points=limit,
    )
    with sv.uows.writing() as uow:
        uow.state.set(STORE_SETTINGS_KEY, settings.model_dump_json())
        uow.commit()


def _buy(sv: TillServices, redeem: Redeem, confirmed: int | None = None) -> tuple[int, dict]:
    """Sell a coffee to the demo customer (236 ₽ of bonus): what was redeemed, and the notes."""
    customer = sv.identify(demo_phone(0)).customer.id
    staff = sv.staff_list()[0].id
    sale = sv.checkout(
        CheckoutRequest((COFFEE,), staff, customer, redeem=redeem, confirmed_balance=confirmed)
    )
    return sale.receipt.redeemed, {n.code: dict(n.params) for n in sale.receipt.notes}


def test_an_online_only_store_spends_only_what_the_server_just_confirmed(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    _store_policy(sv, "online_only")
    # No answer from the server: nothing is spent, not even 0,01, and the cashier is told.
    for asked in ("max", 1):
        redeemed, notes = _buy(sv, asked)
        assert redeemed == 0
        assert notes["redeem.online_only"] == {"limit": 0}
    # The server confirmed 10,00: at most that, of the 236 ₽ this till knows.
    redeemed, notes = _buy(sv, "max", confirmed=1_000)
    assert redeemed == 1_000
    assert notes["redeem.server_balance"] == {"limit": 1_000}
    # The server says nothing is left (spent at another till): nothing, and the cashier is told.
    redeemed, notes = _buy(sv, "max", confirmed=0)
    assert redeemed == 0
    assert notes["redeem.server_balance"] == {"limit": 0}


def test_a_till_without_a_server_asks_nobody_and_one_with_it_asks_for_that_customer(
    seeded_till: Till,
) -> None:
    # Services built without a sync service (as a till with no server): no answer, not "0 left",
    # and an online-only store then spends nothing.
    sv = TillServices(seeded_till.services.uows, seeded_till.services.ctx)
    customer = sv.identify(demo_phone(0)).customer.id
    assert sv.confirm_balance(customer) is None
    answers = {customer: 4_200}
    sv.balance_confirmer = answers.get
    assert sv.confirm_balance(customer) == 4_200
    assert sv.confirm_balance("someone else") is None


def test_an_offline_limit_counts_what_this_till_spent_in_sales_not_yet_confirmed(
    seeded_till: Till,
) -> None:
    # At most 50,00 per customer in sales the server has not answered: the first sale takes
    # all 50,00, the next nothing (its limit is 50,00 - 50,00 = 0).
    sv = seeded_till.services
    _store_policy(sv, "offline_limit", 5_000)
    assert _buy(sv, "max")[0] == 5_000
    redeemed, notes = _buy(sv, "max")
    assert redeemed == 0
    assert notes["redeem.offline_limit"] == {"limit": 0}


def test_rules_that_take_effect_tomorrow_do_not_price_todays_sale(seeded_till: Till) -> None:
    sv = seeded_till.services
    rules = sv.rules()
    now = sv.ctx.clock()
    with sv.uows.writing() as uow:  # a version no other test saves (parsed once per process)
        uow.rules.save(rules.model_copy(update={"version": 918}), now, now + timedelta(days=1))
        uow.commit()
    staff = sv.staff_list()[0].id
    sale = sv.checkout(CheckoutRequest((COFFEE,), staff))
    assert sale.receipt.rules_version == rules.version != 918


def test_an_anonymous_sale_says_nothing_about_bonus_even_when_asked_to_spend_it(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0].id
    receipt = sv.checkout(CheckoutRequest((COFFEE,), staff, redeem="max")).receipt
    assert receipt.redeemed == 0
    assert [n.code for n in receipt.notes if n.code.startswith("redeem.")] == []


def test_rules_received_again_with_an_earlier_start_price_the_next_sale(seeded_till: Till) -> None:
    # The server moved version 919's start from tomorrow to an hour ago: the till's copy
    # follows, and keeps the document it had.
    sv = seeded_till.services
    rules = sv.rules()
    now = sv.ctx.clock()
    later = rules.model_copy(update={"version": 919})
    with sv.uows.writing() as uow:
        uow.rules.save(later, now, now + timedelta(days=1))
        uow.commit()
    staff = sv.staff_list()[0].id
    assert sv.checkout(CheckoutRequest((COFFEE,), staff)).receipt.rules_version == rules.version
    with sv.uows.writing() as uow:
        uow.rules.save(later, now, now - timedelta(hours=1))
        uow.commit()
    assert sv.checkout(CheckoutRequest((COFFEE,), staff)).receipt.rules_version == 919
