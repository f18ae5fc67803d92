"""What the wallet counts for tiers and first purchases: spend by store day, net of returns,
and how many purchases the customer kept."""

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, entry, uid


def _bought(amount: int, day: float, sale: str | None = None) -> LedgerEntry:
    return entry(EntryKind.PURCHASE, amount=amount, sale_id=sale or uid(), when=at(day))


def _returned(amount: int, day: float, sale: str) -> LedgerEntry:
    return entry(EntryKind.PURCHASE_RETURN, amount=-amount, sale_id=sale, when=at(day))


def test_spend_since_a_day_counts_that_day_and_later_and_new_purchases() -> None:
    # 100,00 on day -10, 50,00 on day -2.
    wallet = project(CUSTOMER, [_bought(10_000, -10), _bought(5_000, -2)])
    assert wallet.spend_since(at(-2).date()) == 5_000  # the start day itself counts
    assert wallet.spend_since(at(-2).date()) == 5_000  # asked again: the same answer
    assert wallet.spend_since(at(-1).date()) == 0
    assert wallet.spend_since(at(-20).date()) == 15_000  # another start, its own answer
    assert wallet.spend_since(at(-2).date()) == 5_000
    wallet.apply(_bought(2_000, 0))  # a purchase since the last question counts
    assert wallet.spend_since(at(-2).date()) == 7_000
    assert wallet.spend_since(None) == wallet.lifetime_spend == 17_000


def test_a_return_takes_spend_off_the_day_of_the_sale_not_the_day_of_the_return() -> None:
    # 100,00 bought on day -10; 40,00 of it returned today. The last 5 days' spend stays 0
    # (not -40,00); since day -10 it is 60,00.
    sale = uid()
    wallet = project(CUSTOMER, [_bought(10_000, -10, sale), _returned(4_000, 0, sale)])
    assert wallet.spend_since(at(-5).date()) == 0
    assert wallet.spend_since(at(-10).date()) == 6_000
    assert (wallet.lifetime_spend, wallet.purchase_count) == (6_000, 1)  # still a purchase


def test_a_purchase_returned_in_full_no_longer_counts_as_a_purchase() -> None:
    # 100,00 returned in two parts, 40,00 then 60,00: after the second, as if never bought.
    sale = uid()
    wallet = project(CUSTOMER, [_bought(10_000, -10, sale), _returned(4_000, -1, sale)])
    assert wallet.purchase_count == 1
    wallet.apply(_returned(6_000, 0, sale))
    assert (wallet.purchase_count, wallet.lifetime_spend) == (0, 0)
    # Returning it again (a replayed return) does not count a purchase away twice.
    wallet.apply(_returned(1_000, 1, sale))
    assert wallet.purchase_count == 0


def test_a_return_of_a_sale_this_wallet_never_saw_counts_on_the_return_day() -> None:
    # The sale is not in this customer's ledger (an old import): the return still lowers
    # spend, on its own day, and counts no purchase away.
    wallet = project(CUSTOMER, [_bought(10_000, -10), _returned(3_000, 0, uid())])
    assert wallet.spend_since(T0.date()) == -3_000
    assert (wallet.lifetime_spend, wallet.purchase_count) == (7_000, 1)


def test_spend_asked_again_after_tiny_purchases_counts_the_new_one() -> None:
    # Purchases of 0,01 and 0,02 (two entries, 3 kopecks); then one of 0,05: 8 kopecks.
    wallet = project(CUSTOMER, [_bought(1, -3), _bought(2, -2)])
    assert wallet.spend_since(at(-3).date()) == 3
    wallet.apply(_bought(5, -1))
    assert wallet.spend_since(at(-3).date()) == 8


def test_a_sale_this_wallet_never_saw_returned_twice_counts_each_return_on_its_own_day() -> None:
    # Two returns of such a sale, 30,00 on day 0 and 20,00 on day 2: each lowers the spend of
    # its own day; the second is not moved onto the first one's day.
    sale = uid()
    wallet = project(CUSTOMER, [_returned(3_000, 0, sale), _returned(2_000, 2, sale)])
    assert wallet.spend_since(at(1).date()) == -2_000
    assert wallet.spend_since(at(0).date()) == -5_000
    assert wallet.purchase_count == 0


def test_a_purchase_of_one_kopeck_returned_in_full_no_longer_counts_as_a_purchase() -> None:
    # The smallest sale there is: 0,01 bought, 0,01 returned. As if never bought.
    sale = uid()
    wallet = project(CUSTOMER, [_bought(1, -1, sale)])
    assert wallet.purchase_count == 1
    wallet.apply(_returned(1, 0, sale))
    assert (wallet.purchase_count, wallet.lifetime_spend) == (0, 0)
