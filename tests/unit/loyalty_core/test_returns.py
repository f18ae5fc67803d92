import pytest

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import MAX, current_tier
from loyalty_core.returns import (
    ReturnTooLargeError,
    ReturnWalletMissingError,
    ReturnWindowClosedError,
    UnknownReturnLineError,
    price_return,
)
from loyalty_core.rules import default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet, wallet_to_snapshot

from .builders import Shop, at, entry, line, lot, plain_rules, uid


def test_a_full_return_gives_back_money_and_bonus_and_takes_back_the_accrual() -> None:
    shop = Shop(plain_rules(), lot(5_000, when=at(-10), expires=at(300)))
    cart = [line(10_000, line_id="a")]
    sale, receipt = shop.sell(cart, redeem=MAX)
    # Paid 30,00 with bonus (cap) and 70,00 in money, earning 5% of 70,00 = 3,50.
    assert (receipt.redeemed, receipt.due, receipt.accrual) == (3_000, 7_000, 350)
    assert shop.wallet.available(at(1)) == 2_000 + 350
    result = shop.give_back(sale, receipt, {"a": 1000}, at(1))
    assert (result.refund, result.bonus_restored, result.points_taken_back) == (7_000, 3_000, 350)
    assert result.complete and result.debt_added == 0
    assert shop.wallet.available(at(1)) == 5_000
    assert shop.wallet.lifetime_spend == 0 and shop.wallet.purchase_count == 0


def test_partial_returns_of_a_line_add_up_exactly_to_the_sale() -> None:
    # 3 pieces for 100,00 earning 5,00: thirds are 33,33 / 33,34 / 33,33 and 1,67 / 1,66 / 1,67.
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a", qty=3000)])
    slices = [shop.give_back(sale, receipt, {"a": 1000}, at(1, n)) for n in range(3)]
    assert [r.refund for r in slices] == [3_333, 3_334, 3_333]
    assert [r.lines[0].accrual_reversed for r in slices] == [167, 166, 167]
    assert [r.complete for r in slices] == [False, False, True]
    assert shop.wallet.balance(at(2)).ledger_total == 0


def test_returning_more_than_is_left_is_refused() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a", qty=2000)])
    shop.give_back(sale, receipt, {"a": 1500}, at(1))
    with pytest.raises(ReturnTooLargeError) as caught:
        shop.give_back(sale, receipt, {"a": 1000}, at(1, 1))
    assert caught.value.code == "return.too_many"
    assert caught.value.params["left"] == 500


def test_exactly_what_is_left_can_be_returned_and_one_thousandth_more_cannot() -> None:
    # 2 pieces for 100,00: 1,500 taken back already, 0,500 left.
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a", qty=2000)])
    shop.give_back(sale, receipt, {"a": 1500}, at(1))
    with pytest.raises(ReturnTooLargeError) as caught:
        shop.give_back(sale, receipt, {"a": 501}, at(1, 1))
    assert caught.value.params == {"line_id": "a", "asked": 501, "left": 500}
    last = shop.give_back(sale, receipt, {"a": 500}, at(1, 2))
    assert (last.refund, last.complete) == (2_500, True)  # a quarter of 100,00


def test_a_negative_quantity_is_refused_and_changes_nothing() -> None:
    shop = Shop(plain_rules(), lot(5_000, when=at(-10)))
    sale, receipt = shop.sell([line(10_000, line_id="a")], redeem=MAX)
    before = shop.wallet.balance(at(1))
    with pytest.raises(ReturnTooLargeError) as caught:
        shop.give_back(sale, receipt, {"a": -1}, at(1))
    assert caught.value.params == {"line_id": "a", "asked": -1, "left": 1000}
    assert shop.wallet.balance(at(1)) == before and shop.returned[sale] == {}
    # The whole line is still there to return: 70,00 back, 30,00 bonus restored.
    full = shop.give_back(sale, receipt, {"a": 1000}, at(1, 1))
    assert (full.refund, full.bonus_restored, full.complete) == (7_000, 3_000, True)


def test_a_line_asked_back_with_zero_quantity_is_left_out() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a"), line(5_000, line_id="b")])
    result = shop.give_back(sale, receipt, {"a": 0, "b": 1000}, at(1))
    assert [ln.line_id for ln in result.lines] == ["b"]
    assert (result.refund, result.complete) == (5_000, False)


def test_a_line_not_on_the_receipt_is_refused() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a")])
    with pytest.raises(UnknownReturnLineError):
        shop.give_back(sale, receipt, {"zzz": 1000}, at(1))


def test_a_loyalty_return_needs_the_customers_wallet() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a")])
    with pytest.raises(ReturnWalletMissingError):
        price_return(
            shop.rules,
            receipt,
            {"a": 1000},
            sale_id=sale,
            return_id=uid(),
            till_id="t",
            now=at(1),
            wallet=None,
        )


def test_a_return_after_the_boost_expired_takes_back_only_what_was_still_usable() -> None:
    rules = plain_rules(
        first_purchase={"accrual_bp": 5000, "expiry_days": 14}, returns={"window_days": 30}
    )
    shop = Shop(rules)
    sale, receipt = shop.sell([line(10_000, line_id="a")])
    assert (receipt.accrual, receipt.boost) == (500, 4_500)
    # Day 20: the 45,00 boost lapsed unused on 15.03; the 5,00 accrual is still there.
    for e in expiry_entries_due(shop.wallet, now=at(20), till_id="t", rules_version=1):
        shop.wallet.apply(e)
    assert shop.wallet.available(at(20)) == 500
    result = shop.give_back(sale, receipt, {"a": 1000}, at(20, 1))
    reversals = {e.lot_id: e.points for e in result.entries if e.kind is EntryKind.REVERSAL}
    assert sorted(reversals.values()) == [-500, 0]  # the expired boost costs nothing
    balance = shop.wallet.balance(at(20, 1))
    assert (balance.available, balance.debt) == (0, 0)


def test_a_return_of_bonus_already_spent_is_charged_to_the_balance_then_to_debt() -> None:
    shop = Shop(plain_rules(), lot(200, when=at(-5)))
    sale, receipt = shop.sell([line(10_000, line_id="a")])  # earns 5,00, usable at once here
    # Day 1: spends the 2,00 and the 5,00, earning 5% of 93,00 = 4,65.
    shop.sell([line(10_000)], when=at(1), redeem=700)
    result = shop.give_back(sale, receipt, {"a": 1000}, at(2))
    # The 5,00 taken back was spent: 4,65 comes from the balance, 0,35 becomes debt.
    assert result.points_taken_back == 500
    assert result.debt_added == 35
    assert [n.params for n in result.notes if n.code == "return.debt"] == [{"debt": 35}]
    balance = shop.wallet.balance(at(2))
    assert (balance.available, balance.debt) == (0, 35)


def test_debt_from_two_reversals_of_one_return_adds_up() -> None:
    # A first purchase of 100,00 earns 5,00 and a 5,00 boost, both usable at once; the next
    # day 10,00 of bonus pays for another 100,00, which earns 5% of 90,00 = 4,50.
    shop = Shop(plain_rules(first_purchase={"accrual_bp": 1000, "expiry_days": 14}))
    sale, receipt = shop.sell([line(10_000, line_id="a")])
    assert (receipt.accrual, receipt.boost) == (500, 500)
    shop.sell([line(10_000)], when=at(1), redeem=1_000)
    result = shop.give_back(sale, receipt, {"a": 1000}, at(2))
    # Both 5,00 were spent: 4,50 come off the balance, the other 5,50 become debt.
    assert (result.points_taken_back, result.debt_added) == (1_000, 550)
    assert [n.params for n in result.notes if n.code == "return.debt"] == [{"debt": 550}]
    balance = shop.wallet.balance(at(2))
    assert (balance.available, balance.debt) == (0, 550)


def test_restoring_redeemed_bonus_can_be_switched_off() -> None:
    rules = plain_rules(returns={"restore_redeemed": False})
    shop = Shop(rules, lot(5_000, when=at(-10)))
    sale, receipt = shop.sell([line(10_000, line_id="a")], redeem=MAX)
    result = shop.give_back(sale, receipt, {"a": 1000}, at(1))
    assert (result.refund, result.bonus_restored) == (7_000, 0)
    assert EntryKind.RESTORE not in {e.kind for e in result.entries}
    assert shop.wallet.available(at(1)) == 2_000


def test_restored_bonus_keeps_its_original_expiry() -> None:
    shop = Shop(plain_rules(), lot(3_000, when=at(-300), expires=at(10)))
    sale, receipt = shop.sell([line(10_000, line_id="a")], redeem=MAX)
    assert receipt.redeemed == 3_000
    shop.give_back(sale, receipt, {"a": 1000}, at(11))
    # Back into the lot that expired on day 10: restored and lapsed at once, not renewed.
    balance = shop.wallet.balance(at(11))
    assert (balance.available, balance.lapsed) == (0, 3_000)


def test_buy_return_buy_cycles_do_not_mint_points() -> None:
    shop = Shop(default_rules(), lot(50_000, when=at(-30)))
    start = shop.wallet.balance(at(0)).ledger_total
    for n in range(5):
        sale, receipt = shop.sell([line(100_000, line_id="a")], when=at(n), redeem=MAX)
        shop.give_back(sale, receipt, {"a": 1000}, at(n, 1))
    assert shop.wallet.balance(at(6)).ledger_total == start
    assert shop.wallet.available(at(30)) == 50_000


def test_a_full_return_puts_the_customer_back_in_the_previous_tier() -> None:
    rules = default_rules()
    shop = Shop(rules, entry(EntryKind.PURCHASE, amount=1_490_000, sale_id=uid(), when=at(-1)))
    sale, receipt = shop.sell([line(20_000, line_id="a")])
    assert current_tier(rules, shop.wallet, at(1)).code == "silver"
    shop.give_back(sale, receipt, {"a": 1000}, at(1))
    assert current_tier(rules, shop.wallet, at(1)).code == "bronze"


def test_a_fully_returned_first_purchase_takes_back_both_referral_bonuses() -> None:
    rules = plain_rules(referral={"referrer_points": 30_000, "referred_points": 20_000})
    referrer = "22222222-2222-7222-8222-222222222222"
    shop = Shop(rules)
    sale, receipt = shop.sell([line(10_000, line_id="a")], referred_by=referrer)
    referrer_wallet = Wallet(referrer)
    for e in sale_entries(receipt, sale_id=sale, till_id="t"):
        referrer_wallet.apply(e)
    assert referrer_wallet.available(at(1)) == 30_000
    result = shop.give_back(sale, receipt, {"a": 1000}, at(1), referrer_wallet=referrer_wallet)
    for e in result.entries:
        referrer_wallet.apply(e)
    assert referrer_wallet.available(at(1)) == 0
    assert shop.wallet.available(at(1)) == 0


def test_a_return_past_the_window_needs_a_managers_approval() -> None:
    # Sold 01.03, window 14 days: returns are taken until the end of 15.03.
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a", qty=2000)])
    shop.give_back(sale, receipt, {"a": 1000}, at(14, 14))  # 15.03, 23:00
    with pytest.raises(ReturnWindowClosedError) as caught:
        shop.give_back(sale, receipt, {"a": 1000}, at(14, 15))  # 16.03, 00:00
    assert caught.value.params == {"sale_id": sale, "days": 14}
    late = shop.give_back(sale, receipt, {"a": 1000}, at(14, 15), late_approved=True)
    assert late.complete


def test_a_priced_return_names_its_sale_and_its_own_id() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(10_000, line_id="a")])
    return_id = uid()
    result = price_return(
        shop.rules,
        receipt,
        {"a": 1000},
        sale_id=sale,
        return_id=return_id,
        till_id="t",
        now=at(1),
        wallet=shop.wallet,
    )
    assert (result.sale_id, result.return_id) == (sale, return_id)
    assert {e.sale_id for e in result.entries} == {sale}


def test_bonus_a_return_restores_pays_for_the_accrual_already_spent_before_any_debt() -> None:
    # 30,00 of bonus pay for 100,00 (cap 30%); the 70,00 paid earn 3,50, usable at once. The
    # next day the 3,50 are spent on goods that earn nothing: the balance is 0. Returning the
    # first sale gives the 30,00 back, then takes back the 3,50 spent from them: 26,50 left,
    # no debt (not a debt of 3,50 and 30,00 given back).
    shop = Shop(plain_rules(), lot(3_000, when=at(-10), expires=at(300)))
    sale, receipt = shop.sell([line(10_000, line_id="a")], redeem=MAX)
    assert (receipt.redeemed, receipt.accrual) == (3_000, 350)
    shop.sell([line(10_000, flags=frozenset({"no_accrual"}))], when=at(1), redeem=MAX)
    assert shop.wallet.available(at(1)) == 0
    result = shop.give_back(sale, receipt, {"a": 1000}, at(2))
    assert (result.bonus_restored, result.points_taken_back, result.debt_added) == (3_000, 350, 0)
    assert "return.debt" not in [n.code for n in result.notes]
    balance = shop.wallet.balance(at(2))
    assert (balance.available, balance.debt) == (2_650, 0)


def _referred_sale(rules_referral: dict[str, int]) -> tuple[Shop, str, object, Wallet]:
    referrer = "22222222-2222-7222-8222-222222222222"
    shop = Shop(plain_rules(referral=rules_referral))
    sale, receipt = shop.sell([line(10_000, line_id="a")], referred_by=referrer)
    referrer_wallet = Wallet(referrer)
    for e in sale_entries(receipt, sale_id=sale, till_id="t"):
        referrer_wallet.apply(e)
    return shop, sale, receipt, referrer_wallet


def test_pricing_a_return_leaves_the_referrers_wallet_as_it_was() -> None:
    # The till prices the return on the referrer's cached wallet; only the committed entries
    # may change it.
    shop, sale, receipt, referrer_wallet = _referred_sale({"referrer_points": 30_000})
    before = wallet_to_snapshot(referrer_wallet)
    shop.give_back(sale, receipt, {"a": 1000}, at(1), referrer_wallet=referrer_wallet)  # type: ignore[arg-type]
    assert wallet_to_snapshot(referrer_wallet) == before
    assert referrer_wallet.available(at(1)) == 30_000


def test_a_referrers_bonus_that_lapsed_and_was_recorded_costs_nothing_to_take_back() -> None:
    # The referrer's 300,00 lapse after one day (at the next store midnight, day 1) and the
    # sweep records it on day 2. The first purchase is returned on day 3: the bonus is taken
    # back for all 300,00, which cost the referrer 0 points (the expiry already took them).
    shop, sale, receipt, referrer_wallet = _referred_sale(
        {"referrer_points": 30_000, "expiry_days": 1}
    )
    for e in expiry_entries_due(referrer_wallet, now=at(2), till_id="t", rules_version=1):
        referrer_wallet.apply(e)
    result = shop.give_back(sale, receipt, {"a": 1000}, at(3), referrer_wallet=referrer_wallet)  # type: ignore[arg-type]
    (taken,) = [e for e in result.entries if e.customer_id == referrer_wallet.customer_id]
    assert (taken.kind, taken.amount, taken.points) == (EntryKind.REVERSAL, 30_000, 0)
    referrer_wallet.apply(taken)
    balance = referrer_wallet.balance(at(3))
    assert (balance.available, balance.debt, balance.ledger_total) == (0, 0, 0)
