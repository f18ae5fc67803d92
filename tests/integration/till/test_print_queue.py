"""The print queue on a real till database: a receipt's job is committed with its sale,
waits through failures and restarts until it printed, and prints once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loyalty_core.rules import CurrencySettings
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.records import PrintKind
from pos_client.services.checkout import PriceChangedError
from pos_client.services.demo_store import demo_phone
from pos_client.services.enrollment import STORE_NAME_KEY
from pos_client.services.facade import TillServices
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    CompletedSale,
    ReceiptToPrint,
    RegisterCustomer,
    ReturnRequest,
)
from pos_client.services.printing import (
    NothingToReprintError,
    PrinterMissingError,
    UnknownReceiptError,
)

COFFEE = CartItem(sku="a", name="Кофе", unit_price=30_000, quantity_milli=2_000)
MILK = CartItem(sku="b", name="Молоко", unit_price=9_000)


def _open(database: Path, folder: Path, printer_url: str = "dummy://") -> Till:
    settings = load_settings(data_dir=folder, printer_url=printer_url)
    if not settings.resolved_database_path.exists():
        shutil.copyfile(database, settings.resolved_database_path)
    return bootstrap(settings, logs=False)


@pytest.fixture
def printing_till(seeded_store: Path, tmp_path: Path) -> Iterator[Till]:
    t = _open(seeded_store, tmp_path)
    yield t
    t.close()


def _sell(sv: TillServices, *, customer: bool = True, card: int = 0) -> CompletedSale:
    """Coffee and milk, 690,00 (no bonus spent): ``card`` by bank card, the rest in cash."""
    staff = sv.staff_list()[0]
    who = sv.identify(demo_phone(0)).customer.id if customer else None
    return sv.checkout(
        CheckoutRequest((COFFEE, MILK), staff.id, customer_id=who, redeem=0, card_amount=card)
    )


def _next(sv: TillServices) -> ReceiptToPrint:
    item = sv.next_to_print()
    assert item is not None
    return item


def test_a_sale_queues_its_receipt_with_everything_the_paper_says(printing_till: Till) -> None:
    sv = printing_till.services
    sale = _sell(sv)
    queue = sv.print_queue()
    assert (queue.waiting, queue.oldest_at, queue.last_error) == (1, sale.created_at, None)
    item = sv.next_to_print()
    assert item is not None
    assert item.job.kind is PrintKind.RECEIPT and item.job.sale_id == sale.sale_id
    assert item.sale is not None and item.sale.number == sale.number
    # 2 x 300,00 + 90,00 at the customer's 5% tier discount, nothing spent: the stored receipt.
    assert item.sale.receipt.to_pay == 65_550 and item.sale.receipt == sale.receipt
    assert item.cashier == sv.staff_list()[0].name
    assert item.returned is None and item.card is None and not item.copy
    # The balance printed is the one right after the sale, as the cashier's screen showed it.
    assert item.balance == sale.balance_after


def test_a_till_without_a_printer_queues_nothing_and_refuses_a_reprint(seeded_till: Till) -> None:
    sv = seeded_till.services
    _sell(sv)
    assert sv.print_queue().waiting == 0
    assert sv.next_to_print() is None
    with pytest.raises(PrinterMissingError):
        sv.reprint()


def test_a_refused_sale_leaves_no_print_job(printing_till: Till) -> None:
    sv = printing_till.services
    staff = sv.staff_list()[0]
    with pytest.raises(PriceChangedError):
        sv.checkout(CheckoutRequest((MILK,), staff.id, expected_to_pay=1))
    assert sv.print_queue().waiting == 0


def test_a_failed_print_waits_first_in_line_with_why_then_prints_once(printing_till: Till) -> None:
    sv = printing_till.services
    first, second = _sell(sv), _sell(sv, customer=False)
    job = sv.next_to_print()
    assert job is not None and job.job.sale_id == first.sale_id
    sv.print_failed(job.job.id, "printer 192.0.2.1:9100 does not answer")
    sv.print_failed(job.job.id, "printer 192.0.2.1:9100 is out of paper")
    again = sv.next_to_print()
    assert again is not None and again.job.id == job.job.id  # the order holds
    assert again.job.attempts == 2
    assert again.job.last_error == "printer 192.0.2.1:9100 is out of paper"
    assert sv.print_queue().last_error == "printer 192.0.2.1:9100 is out of paper"
    sv.printed(job.job.id)
    sv.printed(job.job.id)  # a late second answer changes nothing
    following = sv.next_to_print()
    assert following is not None and following.job.sale_id == second.sale_id
    assert following.balance is None  # an anonymous sale has no bonus block
    sv.printed(following.job.id)
    assert sv.next_to_print() is None
    assert sv.print_queue().waiting == 0
    with sv.uows.reading() as uow:
        done = uow.print_jobs.get(job.job.id)
    assert done is not None and done.printed_at is not None and done.attempts == 3
    assert done.last_error is None


def test_jobs_still_waiting_when_the_till_stops_are_there_after_a_restart(
    seeded_store: Path, tmp_path: Path
) -> None:
    till = _open(seeded_store, tmp_path)
    sale = _sell(till.services)
    till.close()
    restarted = _open(seeded_store, tmp_path)
    try:
        item = restarted.services.next_to_print()
        assert item is not None and item.job.sale_id == sale.sale_id
    finally:
        restarted.close()


def test_a_reprint_copies_the_newest_receipt_or_a_chosen_one_and_never_opens_the_drawer(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    with pytest.raises(NothingToReprintError):
        sv.reprint()
    first, second = _sell(sv), _sell(sv)
    for _ in range(2):
        item = sv.next_to_print()
        assert item is not None
        sv.printed(item.job.id)
    newest = sv.reprint()
    chosen = sv.reprint(first.sale_id)
    with pytest.raises(UnknownReceiptError):
        sv.reprint("00000000-0000-0000-0000-000000000000")
    copies = []
    while (item := sv.next_to_print()) is not None:
        copies.append(item)
        sv.printed(item.job.id)
    assert [c.job.id for c in copies] == [newest, chosen]
    assert [c.sale.id for c in copies if c.sale] == [second.sale_id, first.sale_id]
    assert all(c.copy and not c.open_drawer for c in copies)


def test_only_the_first_attempt_of_a_cash_sale_receipt_opens_the_drawer(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    _sell(sv, customer=False, card=69_000)
    cash = _sell(sv)
    item = sv.next_to_print()
    assert item is not None and not item.open_drawer  # paid by card: the drawer stays shut
    sv.printed(item.job.id)
    item = sv.next_to_print()
    assert item is not None and item.job.sale_id == cash.sale_id and item.open_drawer
    sv.print_failed(item.job.id, "offline")
    retry = sv.next_to_print()
    assert retry is not None and not retry.open_drawer  # minutes later: the drawer stays shut


def test_a_return_queues_its_own_receipt_with_the_lines_returned(printing_till: Till) -> None:
    sv = printing_till.services
    sale = _sell(sv)
    item = sv.next_to_print()
    assert item is not None
    sv.printed(item.job.id)
    staff = sv.staff_list()[0]
    done = sv.return_items(ReturnRequest(sale.number, {MILK.line_id: 1_000}, staff.id))
    item = sv.next_to_print()
    assert item is not None and item.sale is None and item.returned is not None
    assert item.returned.id == done.return_id and item.returned.number == done.number
    assert item.returned.original.id == sale.sale_id
    # Paid in cash, refunded in cash: the drawer opens for the money handed back.
    assert item.open_drawer and item.returned.refund == done.refund_payment
    assert [(ln.line_id, ln.refund) for ln in item.returned.returned.lines] == [
        (MILK.line_id, 8_550)  # 90,00 less the 5% tier discount it was sold with
    ]
    assert item.balance == done.balance_after
    # Reprinting "the last receipt" now copies the return.
    sv.printed(item.job.id)
    sv.reprint()
    copy = sv.next_to_print()
    assert copy is not None and copy.returned is not None and copy.returned.id == done.return_id


def test_a_return_to_the_bank_card_keeps_the_drawer_shut(printing_till: Till) -> None:
    sv = printing_till.services
    sale = _sell(sv, card=65_550)  # all of it (655,50 after the tier discount) on the card
    sv.printed(_next(sv).job.id)
    staff = sv.staff_list()[0]
    done = sv.return_items(ReturnRequest(sale.number, {MILK.line_id: 1_000}, staff.id))
    assert [(t.kind, t.amount) for t in done.refund_payment.tenders] == [("card", 8_550)]
    item = _next(sv)
    assert item.returned is not None and not item.open_drawer


def test_a_card_print_shows_the_masked_phone(printing_till: Till) -> None:
    sv = printing_till.services
    snapshot = sv.identify(demo_phone(0))
    assert snapshot.card_number is not None
    sv.print_card(snapshot.card_number)
    item = sv.next_to_print()
    assert item is not None and item.card is not None and item.sale is None
    assert item.card.number == snapshot.card_number
    phone = snapshot.customer.phone
    # +7 912 345-67-89 prints as +7912***6789: the middle digits never reach the paper.
    assert item.card.masked_phone == phone[:5] + "***" + phone[-4:]


def test_the_oldest_waiting_job_tells_how_long_receipts_have_waited(printing_till: Till) -> None:
    sv = printing_till.services
    first = _sell(sv)
    _sell(sv)
    state = sv.print_queue()
    assert state.waiting == 2 and state.oldest_at == first.created_at


def test_a_new_card_prints_with_the_registration_and_with_a_reissue(printing_till: Till) -> None:
    sv = printing_till.services
    staff = sv.staff_list()[0]
    registered = sv.register_customer(RegisterCustomer("+7 999 000-11-22", True, staff.id))
    sv.register_customer(RegisterCustomer("+7 999 000-11-33", True, staff.id, issue_card=False))
    cards = []

    def print_all() -> None:
        while (item := sv.next_to_print()) is not None:
            cards.append(item.card)
            sv.printed(item.job.id)

    print_all()
    reissued = sv.reissue_card(registered.customer.id, staff.id)  # lost the printed one
    print_all()
    assert [c.number for c in cards if c] == [registered.card_number, reissued.number]
    assert all(c and c.masked_phone == "+7999***1122" for c in cards)


def test_a_card_replaced_before_its_print_came_out_is_set_aside_not_printed(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    staff = sv.staff_list()[0]
    registered = sv.register_customer(RegisterCustomer("+7 999 000-11-22", True, staff.id))
    assert registered.card_number is not None
    # The printer is off; the customer asks for a new card before the first one printed.
    reissued = sv.reissue_card(registered.customer.id, staff.id)

    item = sv.next_to_print()
    assert item is not None and item.card is not None and item.card.number == reissued.number
    assert sv.print_queue().waiting == 1
    with sv.uows.reading() as uow:
        old_job = uow.print_jobs.get(1)
    assert old_job is not None and old_job.card_number == registered.card_number
    assert old_job.printed_at is None  # never printed, and kept with why
    assert old_job.last_error == f"card replaced by {'*' * 12}{reissued.number[-4:]}"


def test_a_job_set_aside_leaves_the_queue_and_the_next_one_prints(printing_till: Till) -> None:
    sv = printing_till.services
    first, second = _sell(sv), _sell(sv)
    job = sv.next_to_print()
    assert job is not None and job.job.sale_id == first.sale_id
    sv.print_set_aside(job.job.id, "could not be laid out: boom")
    nxt = sv.next_to_print()
    assert nxt is not None and nxt.job.sale_id == second.sale_id
    assert sv.print_queue().waiting == 1
    sv.print_set_aside(job.job.id, "again")  # not waiting any more: nothing changes
    with sv.uows.reading() as uow:
        kept = uow.print_jobs.get(job.job.id)
    assert kept is not None and kept.last_error == "could not be laid out: boom"


def test_a_till_without_a_printer_prints_no_card(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0]
    sv.register_customer(RegisterCustomer("+7 999 000-11-22", True, staff.id))
    assert sv.print_queue().waiting == 0


def test_the_paper_carries_the_store_the_programs_currency_and_the_stores_zone(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    with sv.uows.writing() as uow:
        uow.state.set(STORE_NAME_KEY, "Кофейня на Арбате")
        uow.commit()
    _sell(sv)
    snapshot = sv.identify(demo_phone(1))
    assert snapshot.card_number is not None
    sv.print_card(snapshot.card_number)
    receipt = sv.next_to_print()
    assert receipt is not None
    assert receipt.store_name == "Кофейня на Арбате"
    assert (receipt.currency.code, receipt.zone) == ("RUB", ZoneInfo("Europe/Moscow"))
    sv.printed(receipt.job.id)
    card = sv.next_to_print()
    assert card is not None and card.store_name == "Кофейня на Арбате"
    assert snapshot.customer.name  # the demo customers have names
    assert card.card is not None and card.card.customer_name == snapshot.customer.name
    assert card.cashier == ""


def test_a_return_receipt_names_the_cashier_who_took_it_back(printing_till: Till) -> None:
    sv = printing_till.services
    seller, taker = sv.staff_list()[0], sv.staff_list()[1]
    sale = _sell(sv)
    sv.return_items(ReturnRequest(sale.number, {MILK.line_id: 1_000}, taker.id))
    cashiers = []
    while (item := sv.next_to_print()) is not None:
        cashiers.append(item.cashier)
        sv.printed(item.job.id)
    assert cashiers == [seller.name, taker.name]


def test_the_screen_shows_any_receipt_and_queues_nothing(printing_till: Till) -> None:
    sv = printing_till.services
    with pytest.raises(NothingToReprintError):
        sv.receipt_to_show()
    first = _sell(sv)
    staff = sv.staff_list()[0]
    done = sv.return_items(ReturnRequest(first.number, {MILK.line_id: 1_000}, staff.id))
    waiting = sv.print_queue().waiting
    with sv.uows.writing() as uow:
        uow.state.set(STORE_NAME_KEY, "Кофейня на Арбате")
        uow.commit()
    newest = sv.receipt_to_show()
    assert newest.store_name == "Кофейня на Арбате"
    assert newest.returned is not None and newest.returned.id == done.return_id
    assert newest.job.created_at == done.created_at and not newest.copy
    chosen = sv.receipt_to_show(first.sale_id)
    assert chosen.sale is not None and chosen.sale.id == first.sale_id
    assert (chosen.job.kind, chosen.job.created_at) == (PrintKind.RECEIPT, first.created_at)
    assert chosen.balance == first.balance_after and chosen.cashier == staff.name
    unknown = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(UnknownReceiptError) as info:
        sv.receipt_to_show(unknown)
    assert unknown in info.value.message
    with pytest.raises(UnknownReceiptError) as info:
        sv.reprint(unknown)
    assert unknown in info.value.message
    assert sv.print_queue().waiting == waiting  # showing prints nothing


def test_a_sale_with_cash_in_it_is_queued_to_open_the_drawer_a_card_sale_is_not(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    in_cash, by_card, split = (
        _sell(sv),
        _sell(sv, customer=False, card=69_000),
        _sell(sv, customer=False, card=50_000),
    )
    with sv.uows.reading() as uow:
        jobs = uow.print_jobs.waiting()
    assert [(j.sale_id, j.open_drawer) for j in jobs] == [
        (in_cash.sale_id, True),
        (by_card.sale_id, False),
        (split.sale_id, True),
    ]


def test_a_receipt_whose_cashier_or_card_owner_is_unknown_here_still_prints(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    # A sale recorded under a staff id this till does not hold (a colleague removed since).
    sv.checkout(CheckoutRequest((MILK,), "00000000-0000-0000-0000-0000000000aa"))
    sv.print_card("0000000000000000")  # a card number this till never registered
    receipt = sv.next_to_print()
    assert receipt is not None and receipt.sale is not None and receipt.cashier == ""
    assert receipt.store_name == ""  # not enrolled with a store yet: no header
    assert sv.receipt_to_show().store_name == ""  # on screen too
    sv.printed(receipt.job.id)
    card = sv.next_to_print()
    assert card is not None and card.card is not None
    assert (card.card.masked_phone, card.card.customer_name) == ("", None)


def test_a_receipt_keeps_the_zone_and_currency_of_the_rules_it_was_priced_with(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    sale = _sell(sv)  # priced with the demo rules: RUB, Moscow
    first = sale.receipt.rules_version
    later = sv.rules().model_copy(
        update={
            "version": first + 1,
            "timezone": "Asia/Vladivostok",
            "currency": CurrencySettings(code="KZT", exponent=2, symbol="₸"),
        }
    )
    with sv.uows.writing() as uow:  # a new version pulled from the server, in force now
        uow.rules.save(later, received_at=sale.created_at, effective_at=sale.created_at)
        uow.commit()
    assert sv.rules().version == first + 1
    newer = _sell(sv, customer=False)  # priced with the new version
    assert newer.receipt.rules_version == first + 1
    item = sv.next_to_print()
    assert item is not None
    assert (item.currency.code, item.zone) == ("RUB", ZoneInfo("Europe/Moscow"))
    sv.printed(item.job.id)
    item = sv.next_to_print()
    assert item is not None
    assert (item.currency.code, item.currency.symbol) == ("KZT", "₸")
    assert item.zone == ZoneInfo("Asia/Vladivostok")


def test_a_receipt_the_printer_never_confirmed_counts_as_printed_with_why(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    first, second = _sell(sv), _sell(sv)
    item = sv.next_to_print()
    assert item is not None and item.job.sale_id == first.sale_id
    sv.print_unconfirmed(item.job.id, "tcp://printer took the job but did not confirm it")
    with sv.uows.reading() as uow:
        kept = uow.print_jobs.get(item.job.id)
    assert kept is not None and kept.printed_at is not None  # never sent again by itself
    assert kept.printed_at >= first.created_at and kept.attempts == 1
    assert kept.last_error == "tcp://printer took the job but did not confirm it"
    nxt = sv.next_to_print()
    assert nxt is not None and nxt.job.sale_id == second.sale_id
    assert sv.print_queue().waiting == 1
